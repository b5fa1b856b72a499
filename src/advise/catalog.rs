//! The finding catalog (`content/findings.yaml`): which findings remedy knows, how other
//! tools name them, and where the knowledge base says how to fix them.

use std::collections::{BTreeMap, HashMap};

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::condition::{Condition, ParamSpec, ParamType, Unit, Verdict};
use crate::article::AssetId;
use crate::l10n::Arg;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something is broken: users are affected now.
    Error,
    /// Something will break or is degraded.
    Warning,
    /// Worth knowing; nothing is broken.
    Note,
}

impl Severity {
    /// The name as serialized (`error`, `warning`, `note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
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
    /// The article.
    pub article: ArticleRef,
    /// Where in it.
    pub place: Place,
}

/// One known finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Its code (`phs.stale`): the name remedy knows it by.
    pub code: String,
    /// Other names tools give it (`PHS_STALE`).
    pub aliases: Vec<String>,
    /// SARIF rule ids that report it (`AADC002`).
    pub sarif_rules: Vec<String>,
    /// Regular expressions for plain log lines; named groups become parameters.
    pub patterns: Vec<Regex>,
    /// Lines that match a pattern but report a healthy state ("not in staging mode").
    pub except: Vec<Regex>,
    /// How serious it is.
    pub severity: Severity,
    /// Fluent message id: the title; its `.description` attribute explains.
    pub message: String,
    /// The parameters a record may carry, with their types.
    pub params: Vec<ParamSpec>,
    /// Named thresholds, as written: the condition compares with them and the messages
    /// receive them, so the two cannot disagree.
    pub limits: BTreeMap<String, String>,
    /// When the finding is a problem; `None`: whenever it is reported.
    pub when: Option<Condition>,
    /// Where the fix is written, in order.
    pub remediation: Vec<Target>,
}

/// What a parameter that a record does not carry (or carries unreadably) is to the
/// messages: they select an `[unknown]` variant on it rather than invent a value.
pub const UNKNOWN: &str = "unknown";

impl Finding {
    /// Whether the finding holds for a record's raw parameter values.
    pub fn verdict(&self, raw: &serde_json::Map<String, Json>) -> Verdict {
        match &self.when {
            Some(c) => c.judge(&self.params, |p| raw.get(p).cloned()),
            None => Verdict::Holds,
        }
    }

    /// The messages' arguments: each declared parameter read as its type (`UNKNOWN` when
    /// missing or unreadable), the named limits, and any other parameter as given.
    pub fn args(&self, raw: &serde_json::Map<String, Json>) -> Vec<(String, Arg)> {
        let mut args: Vec<(String, Arg)> = self
            .params
            .iter()
            .map(|p| {
                let arg = raw
                    .get(&p.name)
                    .and_then(|v| p.kind.read(v))
                    .map_or_else(|| Arg::Text(UNKNOWN.to_owned()), |v| p.kind.fluent(&v));
                (p.name.clone(), arg)
            })
            .collect();
        let compared = self
            .when
            .as_ref()
            .map(|c| c.limit_args(&self.params))
            .unwrap_or_default();
        for (name, written) in &self.limits {
            let arg = compared
                .iter()
                .find(|(n, _)| n == name)
                .map_or_else(|| Arg::from_text(written), |(_, a)| a.clone());
            args.push((name.clone(), arg));
        }
        for (k, v) in raw {
            if !args.iter().any(|(n, _)| n == k)
                && let Some(arg) = Arg::from_json(v)
            {
                args.push((k.clone(), arg));
            }
        }
        args
    }

    /// The declared parameters whose values `raw` lacks or cannot be read as their type.
    pub fn unknown_params(&self, raw: &serde_json::Map<String, Json>) -> Vec<String> {
        self.params
            .iter()
            .filter(|p| raw.get(&p.name).and_then(|v| p.kind.read(v)).is_none())
            .map(|p| p.name.clone())
            .collect()
    }

    /// Whether `name` is a declared parameter.
    pub fn has_param(&self, name: &str) -> bool {
        self.params.iter().any(|p| p.name == name)
    }
}

/// Why a finding catalog could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file is not YAML of a catalog's shape.
    #[error("{path}: not a valid finding catalog: {message}")]
    Yaml {
        /// The file.
        path: String,
        /// What the YAML reader said, with line and column.
        message: String,
    },
    /// A finding reads but means nothing (a bad pattern, a condition on an unknown
    /// parameter, a name used twice).
    #[error("{path}: finding {code}: {message}")]
    Entry {
        /// The file.
        path: String,
        /// The finding's code.
        code: String,
        /// What is wrong.
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
    #[serde(default)]
    except: Vec<String>,
    severity: Severity,
    message: String,
    #[serde(default)]
    params: Vec<FileParam>,
    #[serde(default)]
    limits: BTreeMap<String, Scalar>,
    #[serde(default)]
    when: Option<String>,
    remediation: Vec<FileTarget>,
}

/// A parameter: its name alone (text), or its name and type.
#[derive(Deserialize)]
#[serde(untagged)]
enum FileParam {
    Name(String),
    Typed(TypedParam),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypedParam {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    /// Durations: the unit of a bare number, and of the value the messages receive.
    #[serde(default)]
    unit: Option<String>,
    /// Enumerations: each value, alone or with the other ways tools write it.
    #[serde(default)]
    values: Vec<EnumValue>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum EnumValue {
    Name(String),
    WithAliases(BTreeMap<String, Vec<String>>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Number(f64),
    Text(String),
}

impl Scalar {
    fn written(&self) -> String {
        match self {
            Scalar::Number(n) => n.to_string(),
            Scalar::Text(t) => t.clone(),
        }
    }
}

impl FileParam {
    fn spec(&self) -> Result<ParamSpec, String> {
        let t = match self {
            FileParam::Name(name) => {
                return Ok(ParamSpec {
                    name: name.clone(),
                    kind: ParamType::Text,
                });
            }
            FileParam::Typed(t) => t,
        };
        let kind = match t.kind.as_str() {
            "text" => ParamType::Text,
            "number" => ParamType::Number,
            "duration" => {
                let unit = t.unit.as_deref().unwrap_or("seconds");
                ParamType::Duration(Unit::parse(unit).ok_or_else(|| {
                    format!(
                        "param {}: unknown unit {unit:?} (seconds, minutes, hours, days, weeks)",
                        t.name
                    )
                })?)
            }
            "enum" => {
                let mut values = Vec::new();
                for v in &t.values {
                    match v {
                        EnumValue::Name(n) => values.push((n.clone(), Vec::new())),
                        EnumValue::WithAliases(m) => {
                            values.extend(m.iter().map(|(n, a)| (n.clone(), a.clone())));
                        }
                    }
                }
                if values.is_empty() {
                    return Err(format!("param {}: an enum needs `values`", t.name));
                }
                ParamType::Enum(values)
            }
            other => {
                return Err(format!(
                    "param {}: unknown type {other:?} (text, number, duration, enum)",
                    t.name
                ));
            }
        };
        if !matches!(kind, ParamType::Duration(_)) && t.unit.is_some() {
            return Err(format!("param {}: only a duration has a unit", t.name));
        }
        Ok(ParamSpec {
            name: t.name.clone(),
            kind,
        })
    }
}

/// A remediation target as files write it: `article` (an `ms.assetid` or a path below the
/// locale folder) with a `section` anchor or `segments` keys, or neither (the whole).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileTarget {
    pub article: String,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub segments: Vec<String>,
}

impl FileTarget {
    pub(crate) fn target(&self) -> Result<Target, String> {
        let article = match self.article.parse::<AssetId>() {
            Ok(id) => ArticleRef::Asset(id),
            Err(()) => ArticleRef::Path(self.article.trim_start_matches("./").to_owned()),
        };
        let place = match (&self.section, self.segments.is_empty()) {
            (Some(_), false) => return Err("a target has a section or segments, not both".into()),
            (Some(s), true) => Place::Section(s.clone()),
            (None, false) => Place::Segments(self.segments.clone()),
            (None, true) => Place::Whole,
        };
        Ok(Target { article, place })
    }
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

impl Finding {
    /// A catalog entry checked on its own: its patterns compile, its parameters, limits and
    /// condition agree, it has a remediation. The error is the message for the entry.
    fn of(f: FileFinding) -> Result<Finding, String> {
        if f.remediation.is_empty() {
            return Err("no remediation target".into());
        }
        let compile = |list: &[String]| {
            list.iter()
                .map(|p| Regex::new(p).map_err(|e| format!("pattern {p:?}: {e}")))
                .collect::<Result<Vec<_>, _>>()
        };
        let patterns = compile(&f.patterns)?;
        let except = compile(&f.except)?;
        if !except.is_empty() && patterns.is_empty() {
            return Err("`except` without `patterns`".into());
        }
        let params = f
            .params
            .iter()
            .map(FileParam::spec)
            .collect::<Result<Vec<_>, _>>()?;
        let limits: BTreeMap<String, String> = f
            .limits
            .iter()
            .map(|(k, v)| (k.clone(), v.written()))
            .collect();
        for name in limits.keys() {
            if params.iter().any(|p| p.name == *name) {
                return Err(format!("{name} is both a param and a limit"));
            }
        }
        let when = f
            .when
            .as_deref()
            .map(|w| Condition::parse(w, &params, &limits))
            .transpose()?;
        check_groups(&patterns, &params, when.as_ref())?;
        let remediation = f
            .remediation
            .iter()
            .map(FileTarget::target)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Finding {
            code: f.code,
            aliases: f.aliases,
            sarif_rules: f.sarif,
            patterns,
            except,
            severity: f.severity,
            message: f.message,
            params,
            limits,
            when,
            remediation,
        })
    }
}

/// A pattern's named groups are the line's parameters: each must be declared, and each
/// parameter the condition reads must be a group of every pattern (else every line it
/// matches would be judged on an unknown value).
fn check_groups(
    patterns: &[Regex],
    params: &[ParamSpec],
    when: Option<&Condition>,
) -> Result<(), String> {
    for p in patterns {
        let groups: Vec<&str> = p.capture_names().flatten().collect();
        if let Some(g) = groups
            .iter()
            .find(|g| !params.iter().any(|s| s.name == **g))
        {
            return Err(format!(
                "pattern {:?}: group {g:?} is not one of the params",
                p.as_str()
            ));
        }
        if let Some(c) = when
            && let Some(needed) = c.params().find(|n| !groups.contains(n))
        {
            return Err(format!(
                "pattern {:?} cannot give {needed}, which `when: {}` reads",
                p.as_str(),
                c.source()
            ));
        }
    }
    Ok(())
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
            let code = f.code.clone();
            let entry = |message: String| CatalogError::Entry {
                path: path.to_owned(),
                code: code.clone(),
                message,
            };
            let finding = Finding::of(f).map_err(entry)?;
            let index = catalog.findings.len();
            for name in std::iter::once(&finding.code).chain(&finding.aliases) {
                if catalog.by_name.insert(name.to_lowercase(), index).is_some() {
                    return Err(entry(format!("the name {name} is used twice")));
                }
            }
            for rule in &finding.sarif_rules {
                if catalog.by_rule.insert(rule.clone(), index).is_some() {
                    return Err(entry(format!("the SARIF rule {rule} is used twice")));
                }
            }
            catalog.findings.push(finding);
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

    /// Every finding, in file order.
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

    /// The first finding whose pattern matches a text line (and none of its `except`
    /// patterns), with the pattern's named groups as parameters. Whether the finding
    /// holds for them is [`Finding::verdict`]'s to say.
    pub fn match_line(&self, line: &str) -> Option<(&Finding, Vec<(String, String)>)> {
        if !self.any_pattern.is_match(line) {
            return None;
        }
        for f in &self.findings {
            if f.except.iter().any(|e| e.is_match(line)) {
                continue;
            }
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
                    .map(|p| (p.name.as_str(), crate::l10n::Arg::Number(5.0)))
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
        assert_eq!(params, [("days".to_owned(), "5 days".to_owned())]);
        let (f, _) = c
            .match_line("ERROR: Password hash synchronization is disabled")
            .unwrap();
        assert_eq!(f.code, "phs.disabled");
        assert!(c.match_line("INFO: export completed, 0 errors").is_none());
    }

    /// What `annotate` does with a line: `None` for no finding, else the code and whether
    /// the finding holds (`false`: matched, but its values say all is well).
    fn judged(c: &Catalog, line: &str) -> Option<(String, bool)> {
        let (f, params) = c.match_line(line)?;
        let raw: serde_json::Map<String, Json> = params
            .into_iter()
            .map(|(k, v)| (k, Json::from(v)))
            .collect();
        Some((f.code.clone(), f.verdict(&raw) != Verdict::Fails))
    }

    /// Issue 21: every pattern of the shipped catalog on lines it must match, and on
    /// near misses a health check writes when all is well, boundary values included.
    #[test]
    fn every_pattern_fires_on_problems_and_not_on_healthy_lines() {
        let c = Catalog::builtin();
        let problem = |code: &str, lines: &[&str]| {
            for line in lines {
                assert_eq!(judged(&c, line), Some((code.to_owned(), true)), "{line}");
            }
        };
        let healthy = |lines: &[&str]| {
            for line in lines {
                let got = judged(&c, line);
                assert!(
                    got.is_none() || got.as_ref().is_some_and(|(_, holds)| !holds),
                    "{line}: {got:?}"
                );
            }
        };
        problem(
            "phs.disabled",
            &[
                "ERROR: Password hash synchronization is disabled",
                "password hash sync not enabled for connector contoso.com",
                "Password hash sync turned off",
            ],
        );
        healthy(&[
            "Password hash synchronization is enabled",
            "password hash sync is not disabled",
            "Password hash sync disabled: False",
        ]);
        problem(
            "phs.stale",
            &[
                "WARN last password sync was 4 days ago",
                "last successful password hash synchronization was 30 days ago",
                "last password sync completed 73 hours ago",
                "Last password sync 3.5 days ago",
            ],
        );
        healthy(&[
            "WARN last password sync was 1 days ago",
            "WARN last password sync was 3 days ago",
            "last password sync was 0 days ago",
            "last password sync completed 72 hours ago",
            "last password sync 2 h ago",
            "password sync completed",
        ]);
        problem(
            "dirsync.no-recent-sync",
            &[
                "no recent directory synchronization for 5 days",
                "No recent sync in the last 4 days",
                "directory last synced 12 days ago",
                "Directory was last synced 100 hours ago",
            ],
        );
        healthy(&[
            "no recent sync errors in the last 7 days",
            "directory last synced 3 days ago",
            "directory last synced 0 days ago",
            "directory last synced 2 hours ago",
            "sync completed, 0 errors",
        ]);
        problem(
            "connector.missing-replication-permissions",
            &[
                "The AD DS connector account lacks Replicate Directory Changes permission",
                "account CONTOSO\\MSOL_1 does not have the 'Replicating Directory Changes' right",
                "Missing permissions: Replicate Directory Changes All",
                "connector account is missing replicate directory changes",
            ],
        );
        healthy(&[
            "permissions ok: Replicate Directory Changes, Replicate Directory Changes All",
            "missing permissions: none (Replicate Directory Changes granted)",
            "connector account has Replicate Directory Changes",
        ]);
        problem(
            "signin.method-changed",
            &[
                "User sign-in method changed",
                "sign-in method was changed to AD FS",
                "user sign-in method changed from password hash sync to federation with AD FS",
                "Signin method has been changed to Pass-through authentication",
            ],
        );
        healthy(&[
            "user sign-in method changed to Password Hash Synchronization",
            "sign-in method changed from federation to PHS",
            "sign-in method unchanged",
        ]);
        problem(
            "ad.unreachable",
            &[
                "domain controller DC01 unreachable",
                "Domain controllers are not reachable",
                "2 of 4 domain controllers unreachable",
                "required ports are blocked",
                "1 required port blocked",
            ],
        );
        healthy(&[
            "0 domain controllers unreachable",
            "0 of 4 domain controllers are unreachable",
            "domain controllers unreachable: 0",
            "required ports blocked: none",
            "all domain controllers reachable",
        ]);
        problem(
            "server.staging-mode",
            &[
                "WARN server is in staging mode",
                "AADC02 is running in staging mode",
            ],
        );
        healthy(&[
            "server is not in staging mode",
            "AADC01 is no longer in staging mode",
            "staging mode: disabled",
            "Staging mode = False",
        ]);
        problem(
            "user.must-change-password",
            &["jdoe: user must change password at next logon"],
        );
        healthy(&[
            "User must change password at next logon: False",
            "user must change password at next sign-in = no",
        ]);
        problem(
            "user.not-in-sync-scope",
            &[
                "user object is not in scope for synchronization",
                "Object not configured for sync: OU=Contractors",
            ],
        );
        healthy(&[
            "user object is in scope for synchronization",
            "INFO: export completed, 0 errors",
        ]);
    }

    /// The threshold lives in one place: a catalog that says 5 days moves both the rule
    /// and the description's number.
    #[test]
    fn the_condition_and_the_description_read_the_same_limit() {
        let text =
            include_str!("../../content/findings.yaml").replace("stale_days: 3", "stale_days: 5");
        let c = Catalog::parse("findings.yaml", &text).unwrap();
        let f = c.by_code("phs.stale").unwrap();
        let raw = |days: u32| -> serde_json::Map<String, Json> {
            [("days".to_owned(), Json::from(days))]
                .into_iter()
                .collect()
        };
        assert_eq!(f.verdict(&raw(5)), Verdict::Fails);
        assert_eq!(f.verdict(&raw(6)), Verdict::Holds);
        let m = Messages::builtin();
        for (locale, says) in [
            ("en-US", "more than 5 days"),
            ("nb-NO", "mer enn 5 dager"),
            ("nl-NL", "meer dan 5 dagen"),
        ] {
            let chain = [locale.parse::<Locale>().unwrap()];
            let args = f.args(&raw(6));
            let args: Vec<(&str, crate::l10n::Arg)> =
                args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            let d = m
                .format(&chain, &f.message, Some("description"), &args)
                .unwrap();
            assert!(d.text.contains(says), "{locale}: {}", d.text);
        }
    }

    /// Every message formats with each of its finding's parameters unknown, and says so
    /// in the reader's language: no placeholder, no English word.
    #[test]
    fn messages_say_when_a_value_is_unknown() {
        let c = Catalog::builtin();
        let m = Messages::builtin();
        for locale in ["en-US", "nb-NO", "nl-NL"] {
            let chain = [locale.parse::<Locale>().unwrap()];
            for f in c.findings() {
                let args = f.args(&serde_json::Map::new());
                let args: Vec<(&str, crate::l10n::Arg)> =
                    args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                for attr in [None, Some("description")] {
                    let t = m.format(&chain, &f.message, attr, &args).unwrap().text;
                    assert!(
                        !t.contains('{') && !t.contains("unknown days"),
                        "{locale}: {t}"
                    );
                    if locale != "en-US" {
                        assert!(!t.contains("unknown"), "{locale}: {t}");
                    }
                }
            }
        }
    }

    #[test]
    fn conditions_are_checked_against_params_and_patterns() {
        let entry = |extra: &str| {
            format!(
                "findings:\n  - code: a\n    severity: note\n    message: m\n    remediation: [{{article: a.md}}]\n{extra}"
            )
        };
        let err = |extra: &str| {
            Catalog::parse("x.yaml", &entry(extra))
                .unwrap_err()
                .to_string()
        };
        let e = err("    params: [{name: days, type: number}]\n    when: hours > 3\n");
        assert!(
            e.contains(
                "finding a: condition \"hours > 3\": \"hours\" is not one of the finding's params"
            ),
            "{e}"
        );
        let e = err(
            "    patterns: ['sync (?P<days>\\d+) days', 'sync late']\n    params: [{name: days, type: number}]\n    when: days > 3\n",
        );
        assert!(
            e.contains("pattern \"sync late\" cannot give days, which `when: days > 3` reads"),
            "{e}"
        );
        let e = err("    patterns: ['(?P<hours>\\d+)']\n");
        assert!(
            e.contains("group \"hours\" is not one of the params"),
            "{e}"
        );
        let e = err("    params: [{name: days, type: weeks}]\n");
        assert!(e.contains("unknown type \"weeks\""), "{e}");
        let e = err("    params: [{name: days, type: duration, unit: fortnights}]\n");
        assert!(e.contains("unknown unit \"fortnights\""), "{e}");
        let e = err(
            "    params: [{name: days, type: number}]\n    limits: {max: many}\n    when: days > max\n",
        );
        assert!(e.contains("\"many\" is not a value of days"), "{e}");
        let e = err("    params: [{name: m, type: enum, values: [a, b]}]\n    when: m == c\n");
        assert!(e.contains("\"c\" is not a value of m"), "{e}");
        let ok = entry(
            "    patterns: ['sync (?P<days>\\d+) days']\n    params: [{name: days, type: number}]\n    limits: {max: 3}\n    when: days > max\n",
        );
        assert!(Catalog::parse("x.yaml", &ok).is_ok());
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
        // A pattern that would compile to a huge automaton is refused, not built.
        let huge = "findings:\n  - {code: a, patterns: ['(x{1000}){1000}'], severity: note, message: m, remediation: [{article: a.md}]}\n";
        let e = Catalog::parse("x.yaml", huge).unwrap_err().to_string();
        assert!(e.contains("exceeds size limit"), "{e}");
    }

    /// Patterns run in time linear in the line (finite automata, no backtracking): the
    /// classic catastrophic pattern on a long line that almost matches returns at once.
    #[test]
    fn a_catastrophic_pattern_is_linear() {
        let text = "findings:\n  - {code: a, patterns: ['^(a+)+$', '(a|aa)*c'], severity: note, message: m, remediation: [{article: a.md}]}\n";
        let c = Catalog::parse("x.yaml", text).unwrap();
        let line = format!("{}b", "a".repeat(100_000));
        assert!(c.match_line(&line).is_none());
    }
}
