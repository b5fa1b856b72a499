//! Numbers and strings packed into stored text fields: tantivy reads a stored text field
//! as one copy, while it reads a bytes field one element at a time. Numbers are varints
//! of six bits a byte, bit 6 saying another byte follows, so every byte of a number is
//! ASCII and a packed string of numbers and UTF-8 text is itself UTF-8.
//!
//! ```
//! use remedy::codec::{Reader, put, put_str};
//! let mut out = Vec::new();
//! put(&mut out, 300);
//! put_str(&mut out, "Feilsøke");
//! let packed = String::from_utf8(out).unwrap();
//! let mut r = Reader::new(&packed);
//! assert_eq!(r.number(), Some(300));
//! assert_eq!(r.str(), Some("Feilsøke"));
//! assert!(r.at_end());
//! ```

/// FNV-1a over `bytes`: a hash that stays the same across versions, machines and runs
/// (the standard library's does not), for names and fingerprints that must be stable.
///
/// ```
/// assert_eq!(remedy::codec::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
/// assert_ne!(remedy::codec::fnv1a(b"a"), remedy::codec::fnv1a(b"b"));
/// ```
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Bit 6 of a number's byte: another byte follows.
const MORE: u8 = 0x40;

/// Appends `n`.
pub fn put(out: &mut Vec<u8>, mut n: usize) {
    while n >= usize::from(MORE) {
        out.push((n as u8 & 0x3f) | MORE);
        n >>= 6;
    }
    out.push(n as u8);
}

/// Appends `s`, its byte length first.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// Reads what [`put`] and [`put_str`] wrote; `None` where the text holds something else.
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader { text, at: 0 }
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.at
    }

    /// Whether every byte has been read.
    pub fn at_end(&self) -> bool {
        self.at == self.text.len()
    }

    /// The next number; `None` at the end or on bytes that do not make one.
    pub fn number(&mut self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let (mut n, mut shift) = (0usize, 0u32);
        loop {
            let b = *bytes.get(self.at)?;
            let digit = usize::from(b & 0x3f);
            // Past the width of a number, or bits that would fall off its top.
            if b >= 0x80 || shift >= usize::BITS || (digit << shift) >> shift != digit {
                return None;
            }
            self.at += 1;
            n |= digit << shift;
            if b & MORE == 0 {
                return Some(n);
            }
            shift += 6;
        }
    }

    /// The next string (its length, then its bytes); `None` when the text is too short
    /// or the cut falls inside a character.
    pub fn str(&mut self) -> Option<&'a str> {
        let len = self.number()?;
        let end = self.at.checked_add(len)?;
        let s = self.text.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn numbers_and_strings_round_trip(items in proptest::collection::vec((any::<usize>(), "\\PC{0,12}"), 0..8)) {
            let mut out = Vec::new();
            for (n, s) in &items {
                put(&mut out, *n);
                put_str(&mut out, s);
            }
            let packed = String::from_utf8(out).unwrap();
            let mut r = Reader::new(&packed);
            for (n, s) in &items {
                prop_assert_eq!(r.number(), Some(*n));
                prop_assert_eq!(r.str(), Some(s.as_str()));
            }
            prop_assert!(r.at_end());
        }

        #[test]
        fn any_text_reads_without_panic(text in "\\PC{0,40}") {
            let mut r = Reader::new(&text);
            while r.number().is_some() && r.str().is_some() {}
        }
    }
}
