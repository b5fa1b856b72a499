//! Drift: two translations of one segment made from different English.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff, utils::TextDiffRemapper};

/// How the English of one side differs from the other's, word by word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drift {
    /// Shared words over all words, `2·same / (words_a + words_b)`: 1.0 for texts that
    /// differ only in spacing, 0.0 for texts without a word in common.
    pub similarity: f32,
    /// The English of side a, turned into side b's by deleting and inserting runs.
    pub diff: Vec<DiffPart>,
}

/// One run of a word-level diff; concatenating the `same` and `removed` runs gives side a's
/// text, the `same` and `added` runs side b's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum DiffPart {
    /// Words both sides have.
    Same(String),
    /// Words only side a has.
    Removed(String),
    /// Words only side b has.
    Added(String),
}

impl Drift {
    /// Compares two English sources.
    ///
    /// ```
    /// use remedy::align::Drift;
    /// let d = Drift::between("enabled between on-premises and your tenant.",
    ///                        "enabled between on-premises and your Office 365 tenant.");
    /// assert_eq!(d.marked(), "enabled between on-premises and your {+Office 365 +}tenant.");
    /// assert!(d.similarity > 0.8 && d.similarity < 1.0);
    /// ```
    pub fn between(a: &str, b: &str) -> Drift {
        let diff = TextDiff::configure()
            .algorithm(Algorithm::Patience)
            .diff_words(a, b);
        let remapper = TextDiffRemapper::from_text_diff(&diff, a, b);
        let mut parts: Vec<DiffPart> = Vec::new();
        let (mut same, mut words_a, mut words_b) = (0usize, 0usize, 0usize);
        for op in diff.ops() {
            for (tag, text) in remapper.iter_slices(op) {
                let words = text.split_whitespace().count();
                match tag {
                    ChangeTag::Equal => {
                        same += words;
                        words_a += words;
                        words_b += words;
                    }
                    ChangeTag::Delete => words_a += words,
                    ChangeTag::Insert => words_b += words,
                }
                let part = match tag {
                    ChangeTag::Equal => DiffPart::Same(text.to_owned()),
                    ChangeTag::Delete => DiffPart::Removed(text.to_owned()),
                    ChangeTag::Insert => DiffPart::Added(text.to_owned()),
                };
                // Runs of one kind arrive in pieces; join them.
                match (parts.last_mut(), &part) {
                    (Some(DiffPart::Same(t)), DiffPart::Same(n))
                    | (Some(DiffPart::Removed(t)), DiffPart::Removed(n))
                    | (Some(DiffPart::Added(t)), DiffPart::Added(n)) => t.push_str(n),
                    _ => parts.push(part),
                }
            }
        }
        let similarity = if words_a + words_b == 0 {
            1.0
        } else {
            (2 * same) as f32 / (words_a + words_b) as f32
        };
        Drift {
            similarity,
            diff: parts,
        }
    }

    /// The diff in one line, wdiff style: `[-removed-]` and `{+added+}`.
    pub fn marked(&self) -> String {
        let mut out = String::new();
        for part in &self.diff {
            match part {
                DiffPart::Same(t) => out.push_str(t),
                DiffPart::Removed(t) => {
                    out.push_str("[-");
                    out.push_str(t);
                    out.push_str("-]");
                }
                DiffPart::Added(t) => {
                    out.push_str("{+");
                    out.push_str(t);
                    out.push_str("+}");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_rebuilds_both_sides() {
        let a = "Open **Settings** > Mail, then select Save.";
        let b = "Open **Settings** > Mail and Calendar, then choose Save.";
        let d = Drift::between(a, b);
        let side = |keep_removed: bool| -> String {
            d.diff
                .iter()
                .filter_map(|p| match p {
                    DiffPart::Same(t) => Some(t.as_str()),
                    DiffPart::Removed(t) if keep_removed => Some(t.as_str()),
                    DiffPart::Added(t) if !keep_removed => Some(t.as_str()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(side(true), a);
        assert_eq!(side(false), b);
    }

    #[test]
    fn similarity_counts_words_not_spaces() {
        assert_eq!(Drift::between("a  b", "a b").similarity, 1.0);
        assert_eq!(Drift::between("one two", "three four").similarity, 0.0);
        assert_eq!(Drift::between("", "").similarity, 1.0);
    }
}
