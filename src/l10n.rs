//! Localized messages with Fluent: bundles per locale, locale negotiation with a fallback
//! chain, formatting with variables and plurals.
//!
//! The messages shipped in `locales/<locale>/*.ftl` are compiled into the binary
//! ([`Messages::builtin`]); [`Messages::from_dir`] reads a folder of the same shape.
//!
//! ```
//! use remedy::l10n::{Messages, Arg};
//! let m = Messages::builtin();
//! let chain = m.negotiate("no");
//! assert_eq!(chain[0].to_string(), "nb-NO");
//! let t = m.format(&chain, "finding-phs-stale", None, &[("days", Arg::Number(5.0))]).unwrap();
//! assert_eq!(t.text, "Passordene ble sist synkronisert for 5 dager siden");
//! assert_eq!(t.locale.to_string(), "nb-NO");
//! ```

use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_langneg::{NegotiationStrategy, negotiate_languages};
use unic_langid::LanguageIdentifier;

use crate::locale::Locale;

/// The messages compiled into the binary: (locale, file name, text).
const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "en-US",
        "findings.ftl",
        include_str!("../locales/en-US/findings.ftl"),
    ),
    (
        "nb-NO",
        "findings.ftl",
        include_str!("../locales/nb-NO/findings.ftl"),
    ),
    (
        "nl-NL",
        "findings.ftl",
        include_str!("../locales/nl-NL/findings.ftl"),
    ),
    (
        "en-US",
        "pages.ftl",
        include_str!("../locales/en-US/pages.ftl"),
    ),
    (
        "nb-NO",
        "pages.ftl",
        include_str!("../locales/nb-NO/pages.ftl"),
    ),
    (
        "nl-NL",
        "pages.ftl",
        include_str!("../locales/nl-NL/pages.ftl"),
    ),
];

/// Why a folder of Fluent messages could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum L10nError {
    /// A file is not valid Fluent.
    #[error("{path}:{line}:{column}: not valid Fluent: {message}")]
    Syntax {
        /// The `.ftl` file.
        path: String,
        /// Where the parser stopped, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
        /// What the Fluent parser said.
        message: String,
    },
    /// A message id occurs twice in one locale.
    #[error("{path}: message {id} is defined twice")]
    Duplicate {
        /// The file of the second definition.
        path: String,
        /// The message id.
        id: String,
    },
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The folder holds no locale with messages.
    #[error("{path}: no locale folders with .ftl files")]
    Empty {
        /// The folder.
        path: String,
    },
}

/// A value for a message variable.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A number: plural categories select on it, and it is formatted for the locale.
    Number(f64),
    /// Text, inserted as it is.
    Text(String),
}

impl Arg {
    /// A value as tools write it: numbers (also in strings, `"5"`) are numbers, so that
    /// plurals select; other text stays text.
    pub fn from_text(s: &str) -> Arg {
        s.trim()
            .parse()
            .map_or_else(|_| Arg::Text(s.to_owned()), Arg::Number)
    }

    /// A JSON number or string; `None` for other JSON values.
    pub fn from_json(v: &serde_json::Value) -> Option<Arg> {
        match v {
            serde_json::Value::Number(n) => n.as_f64().map(Arg::Number),
            serde_json::Value::String(s) => Some(Arg::from_text(s)),
            _ => None,
        }
    }
}

/// A formatted message and the locale it came from (a fallback when the asked locale
/// lacks the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// The message, its variables filled in.
    pub text: String,
    /// The locale whose bundle had the message.
    pub locale: Locale,
}

/// Fluent bundles, one per locale.
pub struct Messages {
    bundles: Vec<(Locale, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages")
            .field("locales", &self.locales())
            .finish()
    }
}

impl Messages {
    /// The messages shipped with remedy.
    pub fn builtin() -> Messages {
        let sources: Vec<(Locale, String, String)> = BUILTIN
            .iter()
            .map(|(l, name, text)| {
                (
                    l.parse().expect("built-in locale"),
                    format!("locales/{l}/{name}"),
                    (*text).to_owned(),
                )
            })
            .collect();
        Messages::from_sources(sources).expect("the built-in messages parse (tested)")
    }

    /// Reads `dir/<locale>/*.ftl`.
    pub fn from_dir(dir: &Path) -> Result<Messages, L10nError> {
        let io = |p: &Path| {
            let path = p.display().to_string();
            move |source| L10nError::Io { path, source }
        };
        let mut sources = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(io(dir))?.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Some(locale) = Locale::from_folder_name(&entry.file_name().to_string_lossy())
            else {
                continue;
            };
            let mut files: Vec<_> = std::fs::read_dir(entry.path())
                .map_err(io(&entry.path()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                .collect();
            files.sort();
            for f in files {
                let text = std::fs::read_to_string(&f).map_err(io(&f))?;
                sources.push((locale.clone(), f.display().to_string(), text));
            }
        }
        if sources.is_empty() {
            return Err(L10nError::Empty {
                path: dir.display().to_string(),
            });
        }
        Messages::from_sources(sources)
    }

    /// Builds bundles from (locale, path for messages, Fluent text); files of one locale
    /// go into one bundle.
    pub fn from_sources(sources: Vec<(Locale, String, String)>) -> Result<Messages, L10nError> {
        let mut bundles: Vec<(Locale, FluentBundle<FluentResource>)> = Vec::new();
        for (locale, path, text) in sources {
            let resource = FluentResource::try_new(text.clone()).map_err(|(_, errors)| {
                let e = &errors[0];
                let (line, column) = line_column(&text, e.pos.start);
                L10nError::Syntax {
                    path: path.clone(),
                    line,
                    column,
                    message: e.kind.to_string(),
                }
            })?;
            let index = match bundles.iter().position(|(l, _)| *l == locale) {
                Some(i) => i,
                None => {
                    let mut bundle = FluentBundle::new_concurrent(vec![locale.id().clone()]);
                    // Plain text out: no Unicode isolation marks around variables.
                    bundle.set_use_isolating(false);
                    bundles.push((locale.clone(), bundle));
                    bundles.len() - 1
                }
            };
            bundles[index].1.add_resource(resource).map_err(|errors| {
                let id = errors
                    .iter()
                    .find_map(|e| match e {
                        fluent_bundle::FluentError::Overriding { id, .. } => Some(id.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                L10nError::Duplicate {
                    path: path.clone(),
                    id,
                }
            })?;
        }
        Ok(Messages { bundles })
    }

    /// The locales that have messages, in the order they were loaded.
    pub fn locales(&self) -> Vec<&Locale> {
        self.bundles.iter().map(|(l, _)| l).collect()
    }

    /// The locales to try for a requested one, best first, ending with en-US. `nb`, `no`,
    /// `nn` and `nb-NO` mean Norwegian Bokmål; `nl-BE` Dutch; anything unknown en-US.
    pub fn negotiate(&self, requested: &str) -> Vec<Locale> {
        let en = Locale::en_us();
        let asked: Option<LanguageIdentifier> =
            requested.trim().replace('_', "-").parse().ok().map(as_read);
        let available: Vec<LanguageIdentifier> =
            self.bundles.iter().map(|(l, _)| l.id().clone()).collect();
        let mut chain: Vec<Locale> = Vec::new();
        if let Some(asked) = asked {
            for id in
                negotiate_languages(&[asked], &available, None, NegotiationStrategy::Filtering)
            {
                if let Ok(l) = id.to_string().parse::<Locale>()
                    && !chain.contains(&l)
                {
                    chain.push(l);
                }
            }
        }
        if !chain.contains(&en) {
            chain.push(en);
        }
        chain
    }

    /// Whether `locale` has message `id`.
    pub fn has(&self, locale: &Locale, id: &str) -> bool {
        self.bundle(locale).is_some_and(|b| b.has_message(id))
    }

    fn bundle(&self, locale: &Locale) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(l, _)| l == locale)
            .map(|(_, b)| b)
    }

    /// Formats message `id` (or its `attribute`) in the first locale of `chain` that has
    /// it. `None` when no locale has it.
    pub fn format(
        &self,
        chain: &[Locale],
        id: &str,
        attribute: Option<&str>,
        args: &[(&str, Arg)],
    ) -> Option<Formatted> {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
                Arg::Text(t) => fluent_args.set(*name, FluentValue::from(t.as_str())),
            }
        }
        for locale in chain {
            let Some(bundle) = self.bundle(locale) else {
                continue;
            };
            let Some(message) = bundle.get_message(id) else {
                continue;
            };
            let pattern = match attribute {
                Some(a) => message.get_attribute(a).map(|a| a.value()),
                None => message.value(),
            };
            let Some(pattern) = pattern else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            return Some(Formatted {
                text: text.into_owned(),
                locale: locale.clone(),
            });
        }
        None
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The language a reader of `id` is served: Norwegian without a written standard (`no`)
/// and Nynorsk (`nn`) readers get Bokmål, as the content has no Nynorsk.
pub fn as_read(mut id: LanguageIdentifier) -> LanguageIdentifier {
    if matches!(id.language.as_str(), "no" | "nn") {
        id.language = "nb".parse().expect("valid subtag");
        id.region = None;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Locale {
        s.parse().unwrap()
    }

    #[test]
    fn negotiation_maps_norwegian_and_dutch_variants() {
        let m = Messages::builtin();
        for asked in ["nb", "no", "nn", "nb-NO", "nn-NO", "no_NO"] {
            assert_eq!(m.negotiate(asked)[0], l("nb-NO"), "{asked}");
        }
        for asked in ["nl", "nl-BE", "nl-NL"] {
            assert_eq!(m.negotiate(asked)[0], l("nl-NL"), "{asked}");
        }
        for asked in ["de-DE", "fr", "", "not a tag!", "en-GB"] {
            assert_eq!(m.negotiate(asked), [l("en-US")], "{asked}");
        }
        assert_eq!(m.negotiate("nb"), [l("nb-NO"), l("en-US")]);
    }

    #[test]
    fn plurals_follow_each_language() {
        let m = Messages::builtin();
        let f = |locale: &str, days: f64| {
            m.format(
                &m.negotiate(locale),
                "finding-phs-stale",
                None,
                &[("days", Arg::Number(days))],
            )
            .unwrap()
            .text
        };
        assert_eq!(
            f("en-US", 1.0),
            "Passwords were last synchronized one day ago"
        );
        assert_eq!(
            f("en-US", 4.0),
            "Passwords were last synchronized 4 days ago"
        );
        assert_eq!(
            f("nb-NO", 1.0),
            "Passordene ble sist synkronisert for én dag siden"
        );
        assert_eq!(
            f("nl-NL", 21.0),
            "Wachtwoorden zijn 21 dagen geleden voor het laatst gesynchroniseerd"
        );
        assert_eq!(
            f("nl-NL", 1.0),
            "Wachtwoorden zijn één dag geleden voor het laatst gesynchroniseerd"
        );
    }

    #[test]
    fn a_message_missing_in_a_locale_falls_back_per_message() {
        let m = Messages::from_sources(vec![
            (l("en-US"), "en".into(), "a = A\nb = B\n".into()),
            (l("nb-NO"), "nb".into(), "a = Å\n".into()),
        ])
        .unwrap();
        let chain = m.negotiate("nb");
        assert_eq!(m.format(&chain, "a", None, &[]).unwrap().text, "Å");
        let b = m.format(&chain, "b", None, &[]).unwrap();
        assert_eq!(
            (b.text.as_str(), b.locale.to_string().as_str()),
            ("B", "en-US")
        );
        assert!(m.format(&chain, "c", None, &[]).is_none());
    }

    #[test]
    fn broken_fluent_names_file_line_and_column() {
        let err = Messages::from_sources(vec![(
            l("nb-NO"),
            "nb-NO/x.ftl".into(),
            "ok = fint\nbad = { $\n".into(),
        )])
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("nb-NO/x.ftl:2:"), "{err}");
        let dup =
            Messages::from_sources(vec![(l("nb-NO"), "x.ftl".into(), "a = 1\na = 2\n".into())]);
        assert!(dup.is_err());
    }

    #[test]
    fn the_shipped_folder_reads_like_the_builtin() {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales"));
        let m = Messages::from_dir(dir).unwrap();
        let names: Vec<String> = m.locales().iter().map(|l| l.to_string()).collect();
        assert_eq!(names, ["en-US", "nb-NO", "nl-NL"]);
    }
}
