//! The glossary (`content/glossary.yaml`): terms a translation must keep, the forms it may
//! take in each locale, the forms it must never take, and which checks a content team has
//! switched off where.
//!
//! ```yaml
//! terms:
//!   - term: Azure AD Connect          # kept as is in every translation
//!     forbidden:                       # what machine translation made of it
//!       nb-NO: [Azure AD Koble til, AAD Koble til]
//!   - term: Microsoft 365 admin center
//!     forms:                           # approved translations; `*` allows any ending
//!       nb-NO: ["administrasjonssenter*"]
//! suppress:
//!   - check: untranslated
//!     files: ["nl-NL/legacy/**"]       # globs from the content root; none: everywhere
//! ```
//!
//! Words of a term or form match case-insensitively, with any run of spaces or hyphens
//! between them, starting at a word boundary; the term is found inside compounds that
//! continue with a hyphen ("Azure AD Koble til-serveren"), never inside a longer word
//! ("koble til" alone is the ordinary verb and is never a match of "Azure AD Koble til").

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::CheckId;
use crate::locale::Locale;

/// A glossary that could not be read; the message names file, line and column.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not YAML of a glossary's shape (the message has the line and column).
    #[error("{path}: not a valid glossary: {message}")]
    Yaml {
        /// The file.
        path: String,
        /// What the YAML reader said.
        message: String,
    },
    /// An entry reads but means nothing (a locale that is not one, a bad glob, …).
    #[error("{path}:{line}:{column}: {message}")]
    Entry {
        /// The file.
        path: String,
        /// From 1.
        line: u64,
        /// From 1.
        column: u64,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    terms: Vec<FileTerm>,
    #[serde(default)]
    suppress: Vec<FileSuppress>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTerm {
    term: Spanned<String>,
    #[serde(default)]
    forms: BTreeMap<Key, Vec<Spanned<String>>>,
    #[serde(default)]
    forbidden: BTreeMap<Key, Vec<Spanned<String>>>,
}

/// A locale key with its place in the file; ordered by its text.
#[derive(Deserialize)]
#[serde(transparent)]
struct Key(Spanned<String>);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.value == other.0.value
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        self.0.value.cmp(&other.0.value)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSuppress {
    check: Spanned<CheckId>,
    #[serde(default)]
    files: Vec<Spanned<String>>,
}

/// A word pattern: a term or one of its forms.
#[derive(Debug, Clone)]
pub struct Form {
    /// As written in the glossary.
    pub text: String,
    regex: regex::Regex,
    /// `*` at the end: any ending is part of the form.
    open_ended: bool,
}

impl Form {
    fn new(text: &str) -> Result<Form, String> {
        let (body, open_ended) = match text.trim().strip_suffix('*') {
            Some(b) => (b, true),
            None => (text.trim(), false),
        };
        let words: Vec<String> = body
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(regex::escape)
            .collect();
        if words.is_empty() {
            return Err(format!("{text:?} has no words"));
        }
        let regex = regex::Regex::new(&format!("(?i){}", words.join(r"[\s\-]+")))
            .map_err(|e| e.to_string())?;
        Ok(Form {
            text: text.to_owned(),
            regex,
            open_ended,
        })
    }

    /// Byte ranges where the form occurs in `text` as whole words (or a word start, for an
    /// open-ended form).
    pub fn find(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        self.regex
            .find_iter(text)
            .filter(|m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && (self.open_ended || !after.is_some_and(char::is_alphanumeric))
            })
            .map(|m| m.range())
            .collect()
    }

    /// Whether the form occurs in `text` at a word start (endings allowed: the target may
    /// inflect or compound a kept term, "OneDrive-mappen").
    pub fn starts_word_in(&self, text: &str) -> bool {
        self.regex.find_iter(text).any(|m| {
            !text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        })
    }
}

/// One glossary term.
#[derive(Debug, Clone)]
pub struct Term {
    /// The English term, as the source text writes it.
    pub term: Form,
    /// Approved translations per locale; the term itself is always approved.
    pub forms: BTreeMap<Locale, Vec<Form>>,
    /// Forms that must never appear in a locale.
    pub forbidden: BTreeMap<Locale, Vec<Form>>,
}

/// A check switched off for some files (or everywhere).
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The check switched off.
    pub check: CheckId,
    /// No globs: every file.
    pub files: Option<globset::GlobSet>,
}

/// The glossary: terms and suppressions.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// The terms, in file order.
    pub terms: Vec<Term>,
    /// The checks switched off.
    pub suppress: Vec<Suppression>,
    /// Every term, for a one-pass look at which terms a source mentions.
    term_set: Option<regex::RegexSet>,
}

impl Glossary {
    /// Reads `path`; a missing file is an empty glossary only if `optional`.
    pub fn load(path: &Path, optional: bool) -> Result<Glossary, GlossaryError> {
        let name = crate::content::display_path(path);
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|e| GlossaryError::Yaml {
                    path: name.clone(),
                    message: format!(
                        "not UTF-8 (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                })?;
                Glossary::parse(&name, &text)
            }
            Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Glossary::default())
            }
            Err(source) => Err(GlossaryError::Io { path: name, source }),
        }
    }

    /// Reads a glossary; `path` names it in errors.
    pub fn parse(path: &str, text: &str) -> Result<Glossary, GlossaryError> {
        let file: File = serde_saphyr::from_str(text).map_err(|e| match e.location() {
            Some(l) => GlossaryError::Entry {
                path: path.to_owned(),
                line: l.line(),
                column: l.column(),
                message: format!(
                    "not a valid glossary: {}",
                    strip_location(&e.without_snippet().to_string())
                ),
            },
            None => GlossaryError::Yaml {
                path: path.to_owned(),
                message: e.to_string(),
            },
        })?;
        let at = |loc: &serde_saphyr::Location, message: String| GlossaryError::Entry {
            path: path.to_owned(),
            line: loc.line(),
            column: loc.column(),
            message,
        };
        let forms_of = |map: &BTreeMap<Key, Vec<Spanned<String>>>| {
            let mut out = BTreeMap::new();
            for (Key(locale), forms) in map {
                let l: Locale = locale.value.parse().map_err(|_| {
                    at(
                        &locale.referenced,
                        format!("{:?} is not a locale (nb-NO, nl-NL, …)", locale.value),
                    )
                })?;
                let mut list = Vec::new();
                for f in forms {
                    list.push(Form::new(&f.value).map_err(|m| at(&f.referenced, m))?);
                }
                out.insert(l, list);
            }
            Ok::<_, GlossaryError>(out)
        };
        let mut terms = Vec::new();
        for t in &file.terms {
            let term = Form::new(&t.term.value).map_err(|m| at(&t.term.referenced, m))?;
            terms.push(Term {
                term,
                forms: forms_of(&t.forms)?,
                forbidden: forms_of(&t.forbidden)?,
            });
        }
        let mut suppress = Vec::new();
        for s in &file.suppress {
            let files = if s.files.is_empty() {
                None
            } else {
                let mut b = globset::GlobSetBuilder::new();
                for g in &s.files {
                    b.add(
                        globset::GlobBuilder::new(&g.value)
                            .literal_separator(true)
                            .build()
                            .map_err(|e| at(&g.referenced, e.kind().to_string()))?,
                    );
                }
                Some(
                    b.build()
                        .map_err(|e| at(&s.check.referenced, e.to_string()))?,
                )
            };
            suppress.push(Suppression {
                check: s.check.value,
                files,
            });
        }
        let term_set = regex::RegexSet::new(terms.iter().map(|t| t.term.regex.as_str())).ok();
        Ok(Glossary {
            terms,
            suppress,
            term_set,
        })
    }

    /// The terms whose words occur in `text` (a first, cheap pass; `Form::find` decides).
    pub fn terms_in(&self, text: &str) -> Vec<&Term> {
        match &self.term_set {
            Some(set) => set
                .matches(text)
                .into_iter()
                .map(|i| &self.terms[i])
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether the glossary switches `check` off for the file at `path` (relative to the
    /// content root, `/`-separated).
    pub fn suppresses(&self, check: CheckId, path: &str) -> bool {
        self.suppress
            .iter()
            .any(|s| s.check == check && s.files.as_ref().is_none_or(|g| g.is_match(path)))
    }
}

/// serde-saphyr ends its messages with `at line L, column C`, which the error's prefix
/// already says.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => &message[..i],
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_match_whole_words_across_spaces_and_hyphens() {
        let f = Form::new("Azure AD Koble til").unwrap();
        let hits = |t: &str| f.find(t).len();
        assert_eq!(hits("Kjør Azure AD Koble til på serveren"), 1);
        assert_eq!(hits("i Azure AD-Koble til-serveren"), 1);
        assert_eq!(hits("azure ad koble\ntil."), 1);
        assert_eq!(hits("Du kan ikke koble til Azure AD"), 0);
        assert_eq!(hits("MyAzure AD Koble til"), 0);
        assert_eq!(hits("Azure AD Koble tilgang"), 0);
        let open = Form::new("administrasjonssenter*").unwrap();
        assert_eq!(open.find("i administrasjonssenteret").len(), 1);
    }

    #[test]
    fn bad_glossaries_name_line_and_column() {
        let e = Glossary::parse(
            "g.yaml",
            "terms:\n  - term: X\n    forbidden:\n      nb NO: [Y]\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "g.yaml:4:7: \"nb NO\" is not a locale (nb-NO, nl-NL, …)");
        let e = Glossary::parse("g.yaml", "suppress:\n  - check: spelling\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("g.yaml:2:12: not a valid glossary: unknown variant `spelling`")
                && !e.contains(" at line "),
            "{e}"
        );
        let e = Glossary::parse("g.yaml", "terms:\n  - term: [unclosed\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "g.yaml:2:11: not a valid glossary: expected string scalar"
        );
        let e = Glossary::parse("g.yaml", "terms:\n  - term: ' - '\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.yaml:2:11: "), "{e}");
        let e = Glossary::parse(
            "g.yaml",
            "suppress:\n  - check: untranslated\n    files: ['a/[']\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("g.yaml:3:13: "), "{e}");
    }

    #[test]
    fn suppressions_apply_by_check_and_glob() {
        let g = Glossary::parse(
            "g.yaml",
            "suppress:\n  - check: untranslated\n    files: ['nl-NL/**']\n  - check: numbers\n",
        )
        .unwrap();
        assert!(g.suppresses(CheckId::Untranslated, "nl-NL/a/b.md"));
        assert!(!g.suppresses(CheckId::Untranslated, "nb-NO/a/b.md"));
        assert!(g.suppresses(CheckId::Numbers, "nb-NO/a/b.md"));
    }
}
