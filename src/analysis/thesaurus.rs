//! Words admins type for the same thing: "langzaam" where the articles write "traag",
//! "inloggen" where they write "aanmelden", "mail" for "e-post".
//!
//! Machine translation settles on one word for each English one, so an article says
//! "Trage prestaties" and "verbinding verbroken"; the admin who searches says "laadt heel
//! langzaam" and "steeds losgekoppeld". Stemming cannot bridge that, and neither can the
//! [`Lexicon`](super::Lexicon): it learns which word an *English* one becomes. A thesaurus
//! per language can. The groups live in `locales/<locale>/synonyms.txt`, compiled in; a
//! group holds only words that mean the same in support text, so that a homograph (Norwegian
//! "skriver" is both "printer" and "writes") stays out.
//!
//! ```
//! use std::sync::Arc;
//! use remedy::analysis::{Analyzer, Language, Thesaurus, Vocabulary};
//! let thesaurus = Thesaurus::parse("# slow\ntraag, langzaam\n").unwrap();
//! let mut nl = Analyzer::new(Language::Dutch, Arc::new(Vocabulary::default()));
//! let synonyms = thesaurus.synonyms(&mut nl);
//! assert_eq!(synonyms.of("langzaam"), ["traag"]);
//! ```

use rustc_hash::FxHashMap;

use super::{Analyzer, Language};

/// Groups of words that mean the same, as written (lower-cased).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thesaurus {
    groups: Vec<Vec<String>>,
}

/// A line of a thesaurus file that is not a group of words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ThesaurusError {
    /// From 1.
    pub line: usize,
    /// In characters, from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Thesaurus {
    /// The thesaurus compiled in for `language` (`locales/<locale>/synonyms.txt`).
    pub fn builtin(language: Language) -> Thesaurus {
        let text = match language {
            Language::Norwegian => include_str!("../../locales/nb-NO/synonyms.txt"),
            Language::Dutch => include_str!("../../locales/nl-NL/synonyms.txt"),
            Language::English => include_str!("../../locales/en-US/synonyms.txt"),
            Language::Other => "",
        };
        // The files are part of the source: `tests::builtin_thesauri_are_sound` reads them.
        Thesaurus::parse(text).expect("built-in thesaurus parses")
    }

    /// One group per line, words separated by commas; `#` starts a comment. A word is
    /// letters and digits, with inner hyphens ("e-post") or apostrophes; it belongs to one
    /// group only, and a group has at least two words.
    pub fn parse(text: &str) -> Result<Thesaurus, ThesaurusError> {
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut seen: FxHashMap<String, usize> = FxHashMap::default();
        for (n, line) in text.lines().enumerate() {
            let content = line.split('#').next().unwrap_or_default();
            if content.trim().is_empty() {
                continue;
            }
            let err = |column: usize, message: String| ThesaurusError {
                line: n + 1,
                column,
                message,
            };
            let mut group = Vec::new();
            let mut start = 0;
            for piece in content.split(',') {
                let lead = piece.len() - piece.trim_start().len();
                let column = line[..start + lead].chars().count() + 1;
                start += piece.len() + 1;
                let word = piece.trim().to_lowercase();
                if word.is_empty() {
                    return Err(err(column, "expected a word between commas".into()));
                }
                let ok_char = |c: char| c.is_alphanumeric() || c == '-' || c == '\'';
                if !word.chars().all(ok_char)
                    || word.starts_with(['-', '\''])
                    || word.ends_with(['-', '\''])
                {
                    return Err(err(
                        column,
                        format!(
                            "expected one word (letters, digits, inner hyphens), found {word:?}"
                        ),
                    ));
                }
                if let Some(other) = seen.insert(word.clone(), n + 1) {
                    return Err(err(
                        column,
                        format!("{word:?} is already in the group on line {other}"),
                    ));
                }
                group.push(word);
            }
            if group.len() < 2 {
                return Err(err(
                    1,
                    "expected at least two words, separated by commas".into(),
                ));
            }
            groups.push(group);
        }
        Ok(Thesaurus { groups })
    }

    /// The groups of words that mean the same, as written in the file.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// The groups as index terms of `analyzer`'s language: each word's stem (the joined
    /// form of "e-post") to the other words' stems.
    pub fn synonyms(&self, analyzer: &mut Analyzer) -> Synonyms {
        let mut map: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for group in &self.groups {
            let stems: Vec<String> = group
                .iter()
                .filter_map(|w| analyzer.analyze(w).into_iter().next().map(|t| t.text))
                .collect();
            for s in &stems {
                let others = map.entry(s.clone()).or_default();
                for o in &stems {
                    if o != s && !others.contains(o) {
                        others.push(o.clone());
                    }
                }
            }
        }
        Synonyms { map }
    }
}

/// A thesaurus by index term, for one analyzer: what a query word's stem also finds.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    map: FxHashMap<String, Vec<String>>,
}

impl Synonyms {
    /// The other terms of `stem`'s group (none when it is in no group).
    pub fn of(&self, stem: &str) -> &[String] {
        self.map.get(stem).map(Vec::as_slice).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::{TermKind, Vocabulary};

    #[test]
    fn parses_groups_and_comments() {
        let t = Thesaurus::parse("# comment\n\nTraag, langzaam  # slow\ne-mail,mail\n").unwrap();
        assert_eq!(
            t.groups(),
            [vec!["traag", "langzaam"], vec!["e-mail", "mail"]]
        );
    }

    #[test]
    fn bad_lines_say_where() {
        let cases = [
            ("traag\n", 1, 1, "at least two words"),
            ("a, b\ntraag,, langzaam\n", 2, 7, "a word between commas"),
            ("traag, heel langzaam\n", 1, 8, "one word"),
            ("traag, -langzaam\n", 1, 8, "one word"),
            (
                "traag, langzaam\nlangzaam, sloom\n",
                2,
                1,
                "already in the group on line 1",
            ),
        ];
        for (text, line, column, message) in cases {
            let e = Thesaurus::parse(text).unwrap_err();
            assert_eq!((e.line, e.column), (line, column), "{text:?}: {e}");
            assert!(e.message.contains(message), "{text:?}: {e}");
        }
    }

    #[test]
    fn synonyms_meet_by_stem_both_ways() {
        let t = Thesaurus::parse("e-post, epost, mail\ntreg, langsom\n").unwrap();
        let mut nb = Analyzer::new(Language::Norwegian, Arc::new(Vocabulary::default()));
        let s = t.synonyms(&mut nb);
        // "e-post" and "epost" are one term; a query's "mail" finds it and back.
        assert_eq!(s.of("mail"), ["epost"]);
        assert_eq!(s.of("epost"), ["mail"]);
        // By stem: "trege" meets "langsom" through "treg".
        let trege = nb.analyze("trege")[0].text.clone();
        assert_eq!(s.of(&trege), ["langsom"]);
        assert!(s.of("passord").is_empty());
    }

    /// Every group of every built-in file is usable: each word is a word of its language
    /// (not a stop word, not a code), and the group's words are different terms, or the
    /// group would find nothing new.
    #[test]
    fn builtin_thesauri_are_sound() {
        // Every problem at once, so a thesaurus edit is fixed in one round.
        let mut problems = Vec::new();
        for language in [Language::Norwegian, Language::Dutch, Language::English] {
            let t = Thesaurus::builtin(language);
            assert!(!t.groups().is_empty(), "{language:?}");
            let mut a = Analyzer::new(language, Arc::new(Vocabulary::default()));
            let mut seen: std::collections::HashMap<String, Vec<String>> = Default::default();
            for group in t.groups() {
                let mut stems = Vec::new();
                for w in group {
                    let terms = a.analyze(w);
                    match terms.first() {
                        None => {
                            problems.push(format!("{language:?}: {w:?} is a stop word or no word"))
                        }
                        Some(t) if t.kind == TermKind::Code => {
                            problems.push(format!("{language:?}: {w:?} is a code"))
                        }
                        Some(t) => stems.push(t.text.clone()),
                    }
                }
                let mut distinct = stems.clone();
                distinct.sort();
                distinct.dedup();
                if distinct.len() < 2 {
                    problems.push(format!("{language:?}: {group:?} is one term"));
                }
                for stem in distinct {
                    if let Some(other) = seen.insert(stem.clone(), group.clone()) {
                        problems.push(format!(
                            "{language:?}: {stem:?} is in two groups: {other:?} and {group:?}"
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
