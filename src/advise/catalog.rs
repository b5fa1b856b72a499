//! The finding catalog (`content/findings.yaml`): which findings remedy knows, how other
//! tools name them, and where the knowledge base says how to fix them.

use std::collections::HashMap;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::article::AssetId;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// Which article a remediation is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleRef {
    /// By `ms.assetid`: the same article in every locale.
    Asset(AssetId),
    /// By path below the locale folder.
    Path(String),
}

/// Where in the article the fix is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The section under the heading with this anchor.
    Section(String),
    /// These segments, in this order (span keys or structural keys).
    Segments(Vec<String>),
    /// The whole article.
    Whole,
}

/// One remediation target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub article: ArticleRef,
    pub place: Place,
}

/// One known finding.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: String,
    pub aliases: Vec<String>,
    pub sarif_rules: Vec<String>,
    pub patterns: Vec<Regex>,
    pub severity: Severity,
    /// Fluent message id: the title; its `.description` attribute explains.
    pub message: String,
    pub params: Vec<String>,
    pub remediation: Vec<Target>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: not a valid finding catalog: {message}")]
    Yaml { path: String, message: String },
    #[error("{path}: finding {code}: {message}")]
    Entry {
        path: String,
        code: String,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCatalog {
    findings: Vec<FileFinding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFinding {
    code: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    sarif: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    severity: Severity,
    message: String,
    #[serde(default)]
    params: Vec<String>,
    remediation: Vec<FileTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTarget {
    article: String,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    segments: Vec<String>,
}

/// The catalog, indexed for matching.
#[derive(Debug, Clone)]
pub struct Catalog {
    findings: Vec<Finding>,
    /// Codes and aliases, lower-cased.
    by_name: HashMap<String, usize>,
    by_rule: HashMap<String, usize>,
    /// Every pattern at once: most log lines match none, and one pass tells.
    any_pattern: regex::RegexSet,
}

impl Catalog {
    /// The catalog shipped in `content/findings.yaml`.
    pub fn builtin() -> Catalog {
        Catalog::parse(
            "content/findings.yaml",
            include_str!("../../content/findings.yaml"),
        )
        .expect("the built-in catalog is valid (tested)")
    }

    /// Reads a catalog; `path` names it in errors.
    pub fn parse(path: &str, text: &str) -> Result<Catalog, CatalogError> {
        let file: FileCatalog = serde_saphyr::from_str(text).map_err(|e| CatalogError::Yaml {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let mut catalog = Catalog {
            findings: Vec::new(),
            by_name: HashMap::new(),
            by_rule: HashMap::new(),
            any_pattern: regex::RegexSet::empty(),
        };
        for f in file.findings {
            let entry = |message: String| CatalogError::Entry {
                path: path.to_owned(),
                code: f.code.clone(),
                message,
            };
            if f.remediation.is_empty() {
                return Err(entry("no remediation target".into()));
            }
            let patterns = f
                .patterns
                .iter()
                .map(|p| Regex::new(p).map_err(|e| entry(format!("pattern {p:?}: {e}"))))
                .collect::<Result<Vec<_>, _>>()?;
            let remediation = f
                .remediation
                .iter()
                .map(|t| {
                    let article = match t.article.parse::<AssetId>() {
                        Ok(id) => ArticleRef::Asset(id),
                        Err(()) => ArticleRef::Path(t.article.trim_start_matches("./").to_owned()),
                    };
                    let place = match (&t.section, t.segments.is_empty()) {
                        (Some(_), false) => {
                            return Err(entry(
                                "a target has a section or segments, not both".into(),
                            ));
                        }
                        (Some(s), true) => Place::Section(s.clone()),
                        (None, false) => Place::Segments(t.segments.clone()),
                        (None, true) => Place::Whole,
                    };
                    Ok(Target { article, place })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let index = catalog.findings.len();
            for name in std::iter::once(&f.code).chain(&f.aliases) {
                if catalog.by_name.insert(name.to_lowercase(), index).is_some() {
                    return Err(entry(format!("the name {name} is used twice")));
                }
            }
            for rule in &f.sarif {
                if catalog.by_rule.insert(rule.clone(), index).is_some() {
                    return Err(entry(format!("the SARIF rule {rule} is used twice")));
                }
            }
            catalog.findings.push(Finding {
                code: f.code,
                aliases: f.aliases,
                sarif_rules: f.sarif,
                patterns,
                severity: f.severity,
                message: f.message,
                params: f.params,
                remediation,
            });
        }
        catalog.any_pattern = regex::RegexSet::new(
            catalog
                .findings
                .iter()
                .flat_map(|f| f.patterns.iter().map(Regex::as_str)),
        )
        .expect("each pattern compiled on its own");
        Ok(catalog)
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The finding a JSON record's `code` names (code or alias, any case).
    pub fn by_code(&self, code: &str) -> Option<&Finding> {
        self.by_name
            .get(&code.trim().to_lowercase())
            .map(|&i| &self.findings[i])
    }

    /// The finding a SARIF result's `ruleId` names (a rule, else a code or alias).
    pub fn by_rule(&self, rule: &str) -> Option<&Finding> {
        self.by_rule
            .get(rule.trim())
            .map(|&i| &self.findings[i])
            .or_else(|| self.by_code(rule))
    }

    /// The first finding whose pattern matches a text line, with the pattern's named
    /// groups as parameters.
    pub fn match_line(&self, line: &str) -> Option<(&Finding, Vec<(String, String)>)> {
        if !self.any_pattern.is_match(line) {
            return None;
        }
        for f in &self.findings {
            for p in &f.patterns {
                if let Some(c) = p.captures(line) {
                    let params = p
                        .capture_names()
                        .flatten()
                        .filter_map(|n| Some((n.to_owned(), c.name(n)?.as_str().to_owned())))
                        .collect();
                    return Some((f, params));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::Messages;
    use crate::locale::Locale;

    const REQUIRED: [&str; 9] = [
        "phs.disabled",
        "phs.stale",
        "dirsync.no-recent-sync",
        "connector.missing-replication-permissions",
        "signin.method-changed",
        "ad.unreachable",
        "server.staging-mode",
        "user.must-change-password",
        "user.not-in-sync-scope",
    ];

    #[test]
    fn the_shipped_catalog_has_every_code_other_tools_send() {
        let c = Catalog::builtin();
        let codes: Vec<&str> = c.findings().iter().map(|f| f.code.as_str()).collect();
        for code in REQUIRED {
            assert!(codes.contains(&code), "{code} missing");
        }
    }

    #[test]
    fn every_message_exists_in_every_locale_with_a_description() {
        let c = Catalog::builtin();
        let m = Messages::builtin();
        for locale in ["en-US", "nb-NO", "nl-NL"] {
            let l: Locale = locale.parse().unwrap();
            for f in c.findings() {
                assert!(m.has(&l, &f.message), "{locale}: {} missing", f.message);
                let chain = [l.clone()];
                let args: Vec<(&str, crate::l10n::Arg)> = f
                    .params
                    .iter()
                    .map(|p| (p.as_str(), crate::l10n::Arg::Number(5.0)))
                    .collect();
                let title = m.format(&chain, &f.message, None, &args).unwrap();
                let description = m.format(&chain, &f.message, Some("description"), &args);
                assert!(
                    !title.text.contains('{'),
                    "{locale} {}: {}",
                    f.message,
                    title.text
                );
                assert!(
                    description.is_some(),
                    "{locale}: {} has no .description",
                    f.message
                );
            }
        }
    }

    #[test]
    fn codes_aliases_rules_and_lines_find_their_finding() {
        let c = Catalog::builtin();
        assert_eq!(c.by_code("PHS.Disabled").unwrap().code, "phs.disabled");
        assert_eq!(c.by_code("PHS_STALE").unwrap().code, "phs.stale");
        assert_eq!(c.by_rule("AADC007").unwrap().code, "server.staging-mode");
        assert_eq!(c.by_rule("ad.unreachable").unwrap().code, "ad.unreachable");
        assert!(c.by_code("no.such.code").is_none());
        let (f, params) = c
            .match_line("2026-11-23T10:00:01Z WARN last password sync was 5 days ago on AADC01")
            .unwrap();
        assert_eq!(f.code, "phs.stale");
        assert_eq!(params, [("days".to_owned(), "5".to_owned())]);
        let (f, _) = c
            .match_line("ERROR: Password hash synchronization is disabled")
            .unwrap();
        assert_eq!(f.code, "phs.disabled");
        assert!(c.match_line("INFO: export completed, 0 errors").is_none());
    }

    #[test]
    fn bad_catalogs_say_what_is_wrong() {
        let e =
            Catalog::parse("x.yaml", "findings:\n  - code: a\n    severity: fatal\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.yaml: not a valid finding catalog"),
            "{e}"
        );
        let twice = "findings:\n  - {code: a, severity: note, message: m, remediation: [{article: a.md}]}\n  - {code: b, aliases: [A], severity: note, message: m, remediation: [{article: a.md}]}\n";
        let e = Catalog::parse("x.yaml", twice).unwrap_err().to_string();
        assert!(e.contains("finding b: the name A is used twice"), "{e}");
        let bad_re = "findings:\n  - {code: a, patterns: ['(x'], severity: note, message: m, remediation: [{article: a.md}]}\n";
        let e = Catalog::parse("x.yaml", bad_re).unwrap_err().to_string();
        assert!(e.contains("finding a: pattern"), "{e}");
    }
}
