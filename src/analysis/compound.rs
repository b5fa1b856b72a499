//! Compound splitting with a vocabulary learned from the content itself.
//!
//! Norwegian and Dutch glue words together ("passordsynkronisering",
//! "wachtwoordsynchronisatie") and users split them differently than the articles do.
//! A word is split into two or three parts when every part is a word the content uses on
//! its own (at least [`MIN_PART_COUNT`] times, at least [`MIN_PART_CHARS`] letters), with
//! the language's linking letters allowed between parts. Of all such splits the one whose
//! parts are most frequent (geometric mean, Koehn & Knight 2003) wins; fewer parts win
//! ties. The whole word is always kept beside its parts.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use super::Language;

/// Parts shorter than this are not split off: "in", "ut", "op" would match everywhere.
pub const MIN_PART_CHARS: usize = 4;
/// How often a word must occur on its own to count as a part.
pub const MIN_PART_COUNT: u32 = 3;
/// Words shorter than this are not split.
const MIN_WORD_CHARS: usize = 2 * MIN_PART_CHARS;

/// Word frequencies of one language's content, lower-cased.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    counts: HashMap<String, u32>,
    /// Words seen often enough, by first letter, with count and length in characters:
    /// typo correction looks only at one bucket. Built on first use.
    by_first: std::sync::OnceLock<Buckets>,
}

/// Words by first letter, each with its count, length in characters and [`letters`].
type Buckets = HashMap<char, Vec<(String, u32, usize, u64)>>;

/// A count written in decimal digits (nothing else), if it fits.
fn count(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &b| {
        let d = b.wrapping_sub(b'0');
        (d < 10).then_some(())?;
        n.checked_mul(10)?.checked_add(u32::from(d))
    })
}

/// Which letters a word holds, one bit per letter (letters beyond `a`–`z` share bits). An
/// edit changes at most two bits (a substitution: one letter out, one in), so words
/// within `d` edits differ in at most `2d` bits: a test of two instructions that spares
/// the edit-distance table for nearly every word of a bucket.
fn letters(word: &str) -> u64 {
    word.chars().fold(0, |mask, c| {
        let bit = if c.is_ascii_lowercase() {
            u32::from(c) - u32::from('a')
        } else {
            26 + u32::from(c) % 38
        };
        mask | 1 << bit
    })
}

impl Vocabulary {
    /// Counts one occurrence of a lower-cased word.
    pub fn add(&mut self, word: &str) {
        self.by_first = std::sync::OnceLock::new();
        if let Some(n) = self.counts.get_mut(word) {
            *n += 1;
        } else {
            self.counts.insert(word.to_owned(), 1);
        }
    }

    /// Counts the words of a text (names of letters like "OneDrive" too; codes with
    /// digits and numbers are not compound parts), and hyphenated words by their joined
    /// form: "e-post" is the "epost" of "e-postmeldinger".
    pub fn learn(&mut self, text: &str) {
        for w in super::words(text) {
            match w.kind {
                // A name of letters ("OneDrive") is a word users type ("onedrive").
                super::WordKind::Plain | super::WordKind::Part | super::WordKind::Code
                    if w.text.chars().all(char::is_alphabetic) =>
                {
                    self.add(&w.text.to_lowercase());
                }
                super::WordKind::Joined => {
                    let joined = super::words::joined_lower(w.text);
                    if joined.chars().all(char::is_alphabetic) {
                        self.add(&joined);
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: Vocabulary) {
        self.by_first = std::sync::OnceLock::new();
        for (w, n) in other.counts {
            *self.counts.entry(w).or_insert(0) += n;
        }
    }

    /// How many times the content writes `word` (0 for a word it does not).
    pub fn count(&self, word: &str) -> u32 {
        self.counts.get(word).copied().unwrap_or(0)
    }

    /// Distinct words.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether no word was learned.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The vocabulary as `word<TAB>count` lines, sorted, for storing beside the index.
    pub fn to_tsv(&self) -> String {
        let mut words: Vec<(&String, &u32)> = self
            .counts
            .iter()
            .filter(|(_, n)| **n >= MIN_PART_COUNT)
            .collect();
        words.sort();
        let mut out = String::with_capacity(words.len() * 12);
        for (w, n) in words {
            out.push_str(w);
            out.push('\t');
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    }

    /// Reads [`Vocabulary::to_tsv`]'s format; a malformed line is an error naming it.
    pub fn from_tsv(text: &str) -> Result<Vocabulary, String> {
        // Read before every search from the command line (thousands of short lines): one
        // pass over the bytes, the table sized once, counts read digit by digit.
        let bytes = text.as_bytes();
        let rows = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut counts = HashMap::with_capacity_and_hasher(rows, Default::default());
        let mut start = 0;
        for (i, row) in bytes.split(|&b| b == b'\n').enumerate() {
            let at = start;
            start += row.len() + 1;
            // As `str::lines`: "\r\n" ends a line too, and a final newline adds none.
            let row = row.strip_suffix(b"\r").unwrap_or(row);
            if i + 1 == rows && row.is_empty() {
                break;
            }
            let (w, n) = row
                .iter()
                .position(|&b| b == b'\t')
                .and_then(|t| Some((&text[at..at + t], count(&row[t + 1..])?)))
                .ok_or_else(|| format!("line {}: expected word<TAB>count", i + 1))?;
            counts.insert(w.to_owned(), n);
        }
        Ok(Vocabulary {
            counts,
            by_first: std::sync::OnceLock::new(),
        })
    }

    /// A last part that is a known word plus an inflection ending.
    fn is_inflected_part(&self, part: &str, language: Language) -> bool {
        language.inflections().iter().any(|end| {
            part.strip_suffix(end)
                .is_some_and(|base| self.is_part(base))
        })
    }

    /// Known words within `distance` edits of `word` (same first letter, so the search
    /// stays cheap and a typo does not jump to an unrelated word), most frequent first.
    pub fn near(&self, word: &str, distance: usize) -> Vec<&str> {
        let Some(first) = word.chars().next() else {
            return Vec::new();
        };
        let len = word.chars().count();
        let buckets = self.by_first.get_or_init(|| {
            let mut b = Buckets::default();
            for (w, n) in &self.counts {
                if *n >= MIN_PART_COUNT
                    && let Some(c) = w.chars().next()
                {
                    b.entry(c)
                        .or_default()
                        .push((w.clone(), *n, w.chars().count(), letters(w)));
                }
            }
            b
        });
        let mask = letters(word);
        let mut out: Vec<(&str, u32)> = buckets
            .get(&first)
            .into_iter()
            .flatten()
            .filter(|(w, _, l, m)| {
                l.abs_diff(len) <= distance
                    && (m ^ mask).count_ones() as usize <= 2 * distance
                    && w.as_str() != word
                    && crate::analysis::within(word, w, distance)
            })
            .map(|(w, n, ..)| (w.as_str(), *n))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out.into_iter().map(|(w, _)| w).collect()
    }

    fn is_part(&self, part: &str) -> bool {
        part.chars().count() >= MIN_PART_CHARS && self.count(part) >= MIN_PART_COUNT
    }

    /// The best split of a lower-cased word into known parts, as byte ranges of the word
    /// (linking letters belong to no part); `None` when no split into known parts exists,
    /// or when the word itself is written more often than its best split's parts are (by
    /// their geometric mean). The rule is per written form: an inflected form may split
    /// where its base form, written more often, does not.
    ///
    /// ```
    /// use remedy::analysis::{Language, Vocabulary};
    /// let mut v = Vocabulary::default();
    /// for _ in 0..5 { for w in ["sikkerhet", "innstillinger", "gebruiker", "naam"] { v.add(w); } }
    /// let w = "sikkerhetsinnstillinger";
    /// let parts: Vec<&str> = v.split(w, Language::Norwegian).unwrap().into_iter().map(|r| &w[r]).collect();
    /// assert_eq!(parts, ["sikkerhet", "innstillinger"]);
    /// let w = "gebruikersnaam";
    /// let parts: Vec<&str> = v.split(w, Language::Dutch).unwrap().into_iter().map(|r| &w[r]).collect();
    /// assert_eq!(parts, ["gebruiker", "naam"]);
    /// assert_eq!(v.split("naamgebruik", Language::Dutch), None, "gebruik is unknown");
    /// ```
    pub fn split(&self, word: &str, language: Language) -> Option<Vec<Range<usize>>> {
        if word.chars().count() < MIN_WORD_CHARS || !word.chars().all(char::is_alphabetic) {
            return None;
        }
        let mut best: Option<(f64, Vec<Range<usize>>)> = None;
        self.splits(word, 0, language, &mut Vec::new(), &mut best);
        // The whole word is a candidate too (Koehn & Knight): a word the content writes
        // more often than its parts is a word of its own, not their sum. "wachtwoord"
        // is not "wacht" + "woord", "postboks" not "post" + "boks".
        let whole = f64::from(self.count(word)).ln();
        best.filter(|(score, _)| *score > whole)
            .map(|(_, parts)| parts)
    }

    /// Tries every way to cut `word[from..]` into at most three parts in all.
    fn splits(
        &self,
        word: &str,
        from: usize,
        language: Language,
        parts: &mut Vec<Range<usize>>,
        best: &mut Option<(f64, Vec<Range<usize>>)>,
    ) {
        let rest = &word[from..];
        // The rest as the last part, inflected or not ("…synkroniseringen").
        if !parts.is_empty() && (self.is_part(rest) || self.is_inflected_part(rest, language)) {
            parts.push(from..word.len());
            self.consider(word, parts, best);
            parts.pop();
        }
        if parts.len() >= 2 {
            return;
        }
        for (cut, _) in rest.char_indices().skip(MIN_PART_CHARS) {
            let head = &rest[..cut];
            if !self.is_part(head) {
                continue;
            }
            for link in language.linking() {
                let next = from + cut + link.len();
                if word[from + cut..].starts_with(link) && word.len() - next >= MIN_PART_CHARS {
                    parts.push(from..from + cut);
                    self.splits(word, next, language, parts, best);
                    parts.pop();
                }
            }
        }
    }

    fn consider(
        &self,
        word: &str,
        parts: &[Range<usize>],
        best: &mut Option<(f64, Vec<Range<usize>>)>,
    ) {
        let log_sum: f64 = parts
            .iter()
            .map(|r| f64::from(self.count(&word[r.clone()]).max(MIN_PART_COUNT)).ln())
            .sum();
        // Geometric mean of part counts; a small charge per part prefers fewer parts.
        let score = log_sum / parts.len() as f64 - 0.01 * parts.len() as f64;
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            *best = Some((score, parts.to_vec()));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The letter test never rejects a word the edit distance accepts: `b` is `a`
        /// after one or two edits (insert, delete, substitute, swap neighbours), over
        /// letters of the languages and beyond (ø, é, digits).
        #[test]
        fn letter_test_keeps_every_near_word(
            a in "[a-eøé1]{0,9}",
            edits in proptest::collection::vec((0u8..4, 0usize..10, "[a-gøéå2]"), 1..=2),
        ) {
            let mut b: Vec<char> = a.chars().collect();
            for (op, at, c) in &edits {
                let c = c.chars().next().expect("one character");
                let at = if b.is_empty() { 0 } else { at % b.len() };
                match op {
                    0 => b.insert(at, c),
                    1 if !b.is_empty() => { b.remove(at); }
                    2 if !b.is_empty() => b[at] = c,
                    3 if at + 1 < b.len() => b.swap(at, at + 1),
                    _ => {}
                }
            }
            let b: String = b.into_iter().collect();
            let d = edits.len();
            if crate::analysis::within(&a, &b, d) {
                prop_assert!((super::letters(&a) ^ super::letters(&b)).count_ones() as usize <= 2 * d);
            }
        }
    }

    use super::*;

    fn vocab(words: &[(&str, u32)]) -> Vocabulary {
        let mut v = Vocabulary::default();
        for (w, n) in words {
            for _ in 0..*n {
                v.add(w);
            }
        }
        v
    }

    fn parts<'a>(v: &Vocabulary, w: &'a str, l: Language) -> Vec<&'a str> {
        v.split(w, l)
            .map(|p| p.into_iter().map(|r| &w[r]).collect())
            .unwrap_or_default()
    }

    #[test]
    fn two_and_three_parts_with_linking_letters() {
        let v = vocab(&[
            ("passord", 10),
            ("synkronisering", 8),
            ("wachtwoord", 9),
            ("synchronisatie", 4),
            ("konto", 7),
            ("innstillinger", 5),
            ("bruker", 9),
            ("beheer", 6),
            ("centrum", 5),
        ]);
        assert_eq!(
            parts(&v, "passordsynkronisering", Language::Norwegian),
            ["passord", "synkronisering"]
        );
        assert_eq!(
            parts(&v, "wachtwoordsynchronisatie", Language::Dutch),
            ["wachtwoord", "synchronisatie"]
        );
        assert_eq!(
            parts(&v, "brukerkontoinnstillinger", Language::Norwegian),
            ["bruker", "konto", "innstillinger"]
        );
        assert_eq!(
            parts(&v, "beheerscentrum", Language::Dutch),
            ["beheer", "centrum"]
        );
    }

    #[test]
    fn the_last_part_may_be_inflected() {
        let v = vocab(&[
            ("passord", 5),
            ("synkronisering", 5),
            ("wachtwoord", 5),
            ("instelling", 5),
        ]);
        assert_eq!(
            parts(&v, "passordsynkroniseringen", Language::Norwegian),
            ["passord", "synkroniseringen"]
        );
        assert_eq!(
            parts(&v, "wachtwoordinstellingen", Language::Dutch),
            ["wachtwoord", "instellingen"]
        );
    }

    #[test]
    fn unknown_rare_or_short_parts_do_not_split() {
        let v = vocab(&[("skjerm", 5), ("deling", 2), ("data", 9), ("ing", 9)]);
        assert!(
            parts(&v, "skjermdeling", Language::Norwegian).is_empty(),
            "deling is rare"
        );
        assert!(
            parts(&v, "dataing", Language::Norwegian).is_empty(),
            "too short"
        );
        assert!(parts(&v, "skjerm", Language::Norwegian).is_empty());
        assert!(parts(&v, "skjerm2deling", Language::Norwegian).is_empty());
    }

    #[test]
    fn a_word_written_more_often_than_its_parts_stays_whole() {
        // As in the alchemy corpus: "wachtwoord" 298 times, "wacht" 63, "woord" 9;
        // "postboks" 212, "post" 40, "boks" 5. "skjermdeling" 12 times is rarer than
        // "skjerm" (29) and "deling" (164) are: a compound users split.
        let v = vocab(&[
            ("wachtwoord", 298),
            ("wacht", 63),
            ("woord", 9),
            ("postboks", 212),
            ("post", 40),
            ("boks", 5),
            ("skjermdeling", 12),
            ("skjerm", 29),
            ("deling", 164),
        ]);
        assert!(parts(&v, "wachtwoord", Language::Dutch).is_empty());
        assert!(parts(&v, "postboks", Language::Norwegian).is_empty());
        assert_eq!(
            parts(&v, "skjermdeling", Language::Norwegian),
            ["skjerm", "deling"]
        );
    }

    #[test]
    fn the_most_frequent_parts_win() {
        // "feilsøking+sveiledning" vs "feilsøkings+veiledning": the frequent parts win.
        let v = vocab(&[
            ("feilsøking", 20),
            ("veiledning", 15),
            ("sveiledning", 3),
            ("feilsøkings", 3),
        ]);
        assert_eq!(
            parts(&v, "feilsøkingsveiledning", Language::Norwegian),
            ["feilsøking", "veiledning"]
        );
    }

    #[test]
    fn the_vocabulary_round_trips_through_tsv() {
        let v = vocab(&[("passord", 3), ("konto", 4), ("sjelden", 1)]);
        let back = Vocabulary::from_tsv(&v.to_tsv()).unwrap();
        assert_eq!(back.count("passord"), 3);
        assert_eq!(back.count("sjelden"), 0, "rare words are not stored");
        assert!(
            Vocabulary::from_tsv("ord\tmange\n")
                .unwrap_err()
                .contains("line 1")
        );
        // Lines as `str::lines` reads them: CRLF, no final newline, nothing at all.
        for text in ["passord\t3\r\nkonto\t4\r\n", "passord\t3\nkonto\t4", ""] {
            let v = Vocabulary::from_tsv(text).unwrap();
            assert_eq!(
                v.count("konto"),
                if text.is_empty() { 0 } else { 4 },
                "{text:?}"
            );
        }
        for (text, line) in [
            ("passord\t3\n\nkonto\t4\n", "line 2"),
            ("passord\t3\nkonto 4\n", "line 2"),
            ("passord\t99999999999\n", "line 1"),
            ("passord\t\n", "line 1"),
            ("passord\t-3\n", "line 1"),
        ] {
            let e = Vocabulary::from_tsv(text).unwrap_err();
            assert!(e.contains(line), "{text:?}: {e}");
        }
    }
}
