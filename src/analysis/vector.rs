//! A text's terms with their byte ranges, as analysis made them at index time, stored
//! beside the text: a term vector, as Lucene's highlighters use.
//!
//! Every hit needs its matches for the snippet. Analysing the hit's body again costs more
//! than finding the hit did; reading the terms the index already made of it costs little.
//! It also highlights exactly what was indexed, whatever the analyzer learned since.
//!
//! Encoding, packed into text ([`crate::codec`]): the number of distinct terms, each term
//! (length first), in order of first use; then the number of tokens, each as its start
//! (less the previous token's start), its length and its term's number.
//!
//! ```
//! use std::sync::Arc;
//! use remedy::analysis::{Analyzer, Language, TermVector, Vocabulary};
//! let mut nb = Analyzer::new(Language::Norwegian, Arc::new(Vocabulary::default()));
//! let bytes = TermVector::encode(&mut nb, "Passord synkroniseres ikke");
//! let text = "Passord synkroniseres ikke";
//! let found = TermVector::matches(&bytes, text, |t| (t == "passord").then_some(7)).unwrap();
//! assert_eq!(found, [(0..7, 7)]);
//! ```

use std::ops::Range;

use super::Analyzer;
use crate::codec::{Reader, put, put_str};

/// Encodes and reads term vectors; see the module documentation.
pub struct TermVector;

/// Bytes that are not a term vector (a damaged or foreign stored field).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("damaged term vector at byte {at}")]
pub struct VectorError {
    /// Where reading stopped.
    pub at: usize,
}

impl TermVector {
    /// The terms `analyzer` makes of `text` ([`Analyzer::for_each_term`]), encoded.
    pub fn encode(analyzer: &mut Analyzer, text: &str) -> String {
        let mut numbers: rustc_hash::FxHashMap<String, u32> = Default::default();
        let mut terms: Vec<u8> = Vec::new();
        let mut tokens: Vec<(Range<usize>, u32)> = Vec::new();
        let mut distinct = 0u32;
        analyzer.for_each_term(text, |term, range, _| {
            let number = match numbers.get(term) {
                Some(&n) => n,
                None => {
                    put_str(&mut terms, term);
                    numbers.insert(term.to_owned(), distinct);
                    distinct += 1;
                    distinct - 1
                }
            };
            tokens.push((range, number));
        });
        // Starts are stored as steps: in order of start (analysis gives that order already;
        // a compound's parts and a code's hex form start where their word does or after).
        tokens.sort_by_key(|(r, _)| r.start);
        let mut encoded: Vec<u8> = Vec::with_capacity(tokens.len() * 3);
        let mut previous = 0;
        for (range, number) in &tokens {
            put(&mut encoded, range.start - previous);
            put(&mut encoded, range.end - range.start);
            put(&mut encoded, *number as usize);
            previous = range.start;
        }
        let mut out = Vec::with_capacity(terms.len() + encoded.len() + 8);
        put(&mut out, distinct as usize);
        out.extend_from_slice(&terms);
        put(&mut out, tokens.len());
        out.extend_from_slice(&encoded);
        String::from_utf8(out).expect("ASCII numbers and UTF-8 terms")
    }

    /// The tokens whose term `wanted` gives a value for, with their byte ranges in `text`
    /// (the text the vector was made of), in text order. `wanted` is asked once per
    /// distinct term. A range outside `text` or off its character boundaries is damage.
    pub fn matches<T: Clone>(
        vector: &str,
        text: &str,
        mut wanted: impl FnMut(&str) -> Option<T>,
    ) -> Result<Vec<(Range<usize>, T)>, VectorError> {
        let mut r = Reader::new(vector);
        let damage = |r: &Reader| VectorError { at: r.position() };
        let distinct = r.number().ok_or_else(|| damage(&r))?;
        let mut values: Vec<Option<T>> = Vec::with_capacity(distinct.min(vector.len()));
        for _ in 0..distinct {
            let term = r.str().ok_or_else(|| damage(&r))?;
            values.push(wanted(term));
        }
        let count = r.number().ok_or_else(|| damage(&r))?;
        let mut out = Vec::new();
        let mut start = 0usize;
        for _ in 0..count {
            let at = r.position();
            let mut next = || r.number().ok_or(VectorError { at });
            start = start.checked_add(next()?).ok_or(VectorError { at })?;
            let end = start
                .checked_add(next()?)
                .filter(|&e| {
                    e <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(e)
                })
                .ok_or(VectorError { at })?;
            let value = values.get(next()?).ok_or(VectorError { at })?;
            if let Some(v) = value {
                out.push((start..end, v.clone()));
            }
        }
        if !r.at_end() {
            return Err(damage(&r));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::analysis::{Language, Vocabulary};

    fn analysed(a: &mut Analyzer, text: &str) -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        a.for_each_term(text, |t, r, _| out.push((r, t.to_owned())));
        out
    }

    #[test]
    fn a_vector_gives_back_what_analysis_gave() {
        let mut v = Vocabulary::default();
        for _ in 0..3 {
            v.learn("passord synkronisering");
        }
        let mut a = Analyzer::new(Language::Norwegian, Arc::new(v));
        let text = "Passordsynkroniseringen feiler: 0x80070005 i e-post, Set-ExecutionPolicy.";
        let bytes = TermVector::encode(&mut a, text);
        let all = TermVector::matches(&bytes, text, |t| Some(t.to_owned())).unwrap();
        assert_eq!(all, analysed(&mut a, text));
        assert!(all.iter().any(|(_, t)| t == "synkronisering"), "{all:?}");
        // Only what is wanted, each distinct term asked once.
        let mut asked = Vec::new();
        let some = TermVector::matches(&bytes, text, |t| {
            asked.push(t.to_owned());
            (t == "passord").then_some(1)
        })
        .unwrap();
        assert_eq!(some, [(0..7, 1)]);
        let mut distinct = asked.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(asked.len(), distinct.len());
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut a = Analyzer::new(Language::Dutch, Arc::new(Vocabulary::default()));
        let text = "wachtwoord synchronisatie werkt niet";
        let bytes = TermVector::encode(&mut a, text);
        for cut in (0..bytes.len()).filter(|&c| bytes.is_char_boundary(c)) {
            assert!(
                TermVector::matches(&bytes[..cut], text, |_| Some(())).is_err(),
                "{cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push('\0');
        assert!(TermVector::matches(&longer, text, |_| Some(())).is_err());
        assert!(TermVector::matches("ÿÿÿÿÿÿ", text, |_| Some(())).is_err());
        assert!(TermVector::matches("~~~~~~~~~~~~", text, |_| Some(())).is_err());
        // A range beyond the text, or inside a character, is damage too.
        assert!(TermVector::matches(&bytes, "wacht", |_| Some(())).is_err());
        let mut wide = Analyzer::new(Language::Dutch, Arc::new(Vocabulary::default()));
        let accented = TermVector::encode(&mut wide, "één");
        assert!(TermVector::matches(&accented, "één", |_| Some(())).is_ok());
        assert!(TermVector::matches(&accented, "ééé", |_| Some(())).is_err());
    }

    proptest! {
        #[test]
        fn any_text_round_trips(text in "[a-zæøå0-9 .,:'-]{0,80}|\\PC{0,40}") {
            let mut a = Analyzer::new(Language::Norwegian, Arc::new(Vocabulary::default()));
            let bytes = TermVector::encode(&mut a, &text);
            let back = TermVector::matches(&bytes, &text, |t| Some(t.to_owned())).unwrap();
            prop_assert_eq!(back, analysed(&mut a, &text));
        }

        #[test]
        fn arbitrary_strings_never_panic(vector in "[\\x00-\\x7f]{0,64}|\\PC{0,64}") {
            let _ = TermVector::matches(&vector, "some text é", |_| Some(()));
        }

        /// A real vector with one byte changed: an error or matches inside the text, never
        /// a panic.
        #[test]
        fn a_damaged_vector_never_panics(at in 0usize..200, byte in 0u8..0x80) {
            let text = "Passordsynkroniseringen feiler: 0x80070005 i e-post, Set-ExecutionPolicy.";
            let mut a = Analyzer::new(Language::Norwegian, Arc::new(Vocabulary::default()));
            let mut bytes = TermVector::encode(&mut a, text).into_bytes();
            let at = at % bytes.len();
            bytes[at] = byte;
            if let Ok(damaged) = String::from_utf8(bytes)
                && let Ok(found) = TermVector::matches(&damaged, text, |_| Some(()))
            {
                for (r, _) in found {
                    prop_assert!(text.get(r).is_some());
                }
            }
        }
    }
}
