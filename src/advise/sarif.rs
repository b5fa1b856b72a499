//! SARIF 2.1.0 in and out: every result whose `ruleId` the catalog knows gets the advice in
//! its property bag (`properties.advice`), its rule in `tool.driver.rules` gets `help`
//! (text and Markdown) and `helpUri`, and each run says its `language`. Everything else
//! in the log is kept as it was; `message.text` is not touched (GitHub code scanning
//! rejects argument-only messages).
//!
//! Finding records (JSON lines or an array) can be written as a SARIF log too: one run
//! per reporting tool, a result per record holding the whole record, and what was not a
//! record kept in the conversion's notifications (see `SarifLog`).

use serde_json::{Map, Value, json};

use std::io::Write;

use super::catalog::{Finding, Severity};
use super::resolve::{Advice, Advisor};
use super::resolved::{Cache, REASON, Resolved, Summary};
use super::splice::Splicer;
use crate::article::markdown_to_text;

/// Whether a JSON document is a SARIF log.
pub fn is_sarif(doc: &Value) -> bool {
    let runs = doc.get("runs").is_some_and(Value::is_array);
    let version = doc.get("version").and_then(Value::as_str) == Some("2.1.0");
    let schema = doc
        .get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.to_ascii_lowercase().contains("sarif"));
    runs && (version || schema)
}

/// What a JSON value is, for messages about the wrong one.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Adds advice to a SARIF log in place; gives back what in the log had the wrong shape
/// to be read (it is kept as it is).
pub(super) fn advise_sarif(
    advisor: &Advisor,
    locale: &str,
    doc: &mut Value,
    summary: &mut Summary,
    cache: &mut Cache,
    splicer: &mut Splicer,
    observe: Option<&mut super::io::Observer<'_>>,
) -> Vec<String> {
    let mut pass = SarifPass {
        advisor,
        locale,
        summary,
        cache,
        splicer,
        observe,
        problems: Vec::new(),
    };
    let Some(runs) = doc.get_mut("runs").and_then(Value::as_array_mut) else {
        pass.problems
            .push("SARIF `runs`: expected an array of runs".to_owned());
        return pass.problems;
    };
    let language = advisor.messages.negotiate(locale)[0].to_string();
    for (n, run) in runs.iter_mut().enumerate() {
        let Some(run) = run.as_object_mut() else {
            pass.problems.push(format!(
                "SARIF `runs[{n}]`: expected an object, found {}",
                kind_of(run)
            ));
            continue;
        };
        run.insert("language".into(), Value::String(language.clone()));
        let helped = pass.run(n, run);
        add_rule_help(run, helped);
    }
    pass.problems
}

/// What advising one SARIF log needs, and the problems it found.
struct SarifPass<'a, 'o, 'f> {
    advisor: &'a Advisor,
    locale: &'a str,
    summary: &'a mut Summary,
    cache: &'a mut Cache,
    splicer: &'a mut Splicer,
    observe: Option<&'o mut super::io::Observer<'f>>,
    problems: Vec<String>,
}

/// What a run says of all its results: the tool, the time, and its rules' ids by index.
struct RunContext {
    tool: Option<String>,
    time: Option<String>,
    /// Results may name their rule only by its place in the driver's rules.
    rule_ids: Vec<Option<String>>,
}

impl RunContext {
    fn of(run: &Map<String, Value>) -> RunContext {
        let driver = run.get("tool").and_then(|t| t.get("driver"));
        RunContext {
            tool: driver
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            time: run
                .get("invocations")
                .and_then(|i| i.get(0))
                .and_then(|i| i.get("startTimeUtc").or_else(|| i.get("endTimeUtc")))
                .and_then(Value::as_str)
                .map(str::to_owned),
            rule_ids: driver
                .and_then(|d| d.get("rules"))
                .and_then(Value::as_array)
                .map(|rules| {
                    rules
                        .iter()
                        .map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The rule a result names: by id, by `rule.id`, or by its index in the driver's rules.
    fn rule_of(&self, result: &Map<String, Value>) -> Option<String> {
        let index = result
            .get("ruleIndex")
            .or_else(|| result.get("rule").and_then(|r| r.get("index")))
            .and_then(Value::as_u64);
        result
            .get("ruleId")
            .and_then(Value::as_str)
            .or_else(|| {
                result
                    .get("rule")
                    .and_then(|r| r.get("id"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned)
            .or_else(|| {
                self.rule_ids
                    .get(usize::try_from(index?).ok()?)
                    .cloned()
                    .flatten()
            })
    }
}

impl<'a> SarifPass<'a, '_, '_> {
    /// Advises every result of run `n`; returns the rules that got advice, with the
    /// advice their help text is made of.
    fn run(&mut self, n: usize, run: &mut Map<String, Value>) -> Vec<(String, Advice)> {
        match run.get("results") {
            Some(r) if !r.is_array() => self.problems.push(format!(
                "SARIF `runs[{n}].results`: expected an array of results, found {}; kept as it is",
                kind_of(r)
            )),
            _ => {}
        }
        let context = RunContext::of(run);
        let mut helped: Vec<(String, Advice)> = Vec::new();
        let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) else {
            return helped;
        };
        for (k, result) in results.iter_mut().enumerate() {
            let Some(result) = result.as_object_mut() else {
                self.problems.push(format!(
                    "SARIF `runs[{n}].results[{k}]`: expected an object, found {}; kept as it is",
                    kind_of(result)
                ));
                continue;
            };
            if let Some((rule, finding)) = self.result(&context, result)
                && !helped.iter().any(|(r, _)| *r == rule)
                && let Some(advice) = &self
                    .cache
                    .for_finding(self.advisor, self.locale, finding, &Map::new())
                    .advice
            {
                helped.push((rule, advice.clone()));
            }
        }
        helped
    }

    /// Advises one result in its `properties`; returns its rule and finding when the
    /// catalog knows them, for the rule's help text.
    fn result(
        &mut self,
        context: &RunContext,
        result: &mut Map<String, Value>,
    ) -> Option<(String, &'a Finding)> {
        let rule = context.rule_of(result);
        self.summary.records += 1;
        let props = result
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()?;
        let Some(finding) = rule
            .as_deref()
            .and_then(|r| self.advisor.catalog.by_rule(r))
        else {
            self.summary.unknown += 1;
            props.insert("advice".into(), Value::Null);
            if let Some(observe) = self.observe.as_mut() {
                observe(super::io::Observed {
                    code: rule.as_deref().unwrap_or_default(),
                    record: result,
                    advice: None,
                    reason: None,
                    tool: context.tool.as_deref(),
                    time: context.time.as_deref(),
                });
            }
            return None;
        };
        let params: Map<String, Value> = props
            .iter()
            .filter(|(k, _)| finding.has_param(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let resolved = self
            .cache
            .for_finding(self.advisor, self.locale, finding, &params);
        props.insert("advice".into(), self.splicer.advice_placeholder(&resolved));
        if let Some(reason) = resolved.reason {
            props.insert(REASON.into(), Value::from(reason));
        }
        self.summary.outcome(&resolved);
        if let Some(observe) = self.observe.as_mut() {
            observe(super::io::Observed {
                code: &finding.code,
                record: result,
                advice: resolved.advice.as_ref(),
                reason: resolved.reason,
                tool: context.tool.as_deref(),
                time: context.time.as_deref(),
            });
        }
        Some((rule?, finding))
    }
}

/// Gives each rule that got advice its help text in the run's driver (made if missing).
fn add_rule_help(run: &mut Map<String, Value>, helped: Vec<(String, Advice)>) {
    if helped.is_empty() {
        return;
    }
    let driver = run
        .entry("tool")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .map(|t| {
            t.entry("driver")
                .or_insert_with(|| json!({"name": "unknown"}))
        });
    let Some(Value::Object(driver)) = driver else {
        return;
    };
    let rules = driver.entry("rules").or_insert_with(|| json!([]));
    let Some(rules) = rules.as_array_mut() else {
        return;
    };
    for (rule, advice) in helped {
        help_rule(rules, &rule, &advice);
    }
}

/// Gives the rule `id` in `rules` (added when missing) the advice as `help` and `helpUri`,
/// and its title and description as `shortDescription` and `fullDescription` where the
/// rule has none. `advice` is the finding's generic advice (no parameters: "when last is
/// unknown"), as a rule stands for every result of it.
fn help_rule(rules: &mut Vec<Value>, id: &str, advice: &Advice) {
    let index = match rules
        .iter()
        .position(|r| r.get("id").and_then(Value::as_str) == Some(id))
    {
        Some(i) => i,
        None => {
            rules.push(json!({ "id": id }));
            rules.len() - 1
        }
    };
    let Some(r) = rules[index].as_object_mut() else {
        return;
    };
    // GitHub code scanning requires both; a tool's own are kept.
    r.entry("shortDescription")
        .or_insert_with(|| json!({ "text": advice.title }));
    r.entry("fullDescription")
        .or_insert_with(|| json!({ "text": advice.description }));
    let steps = advice.steps.clone().unwrap_or_default();
    let text = format!(
        "{}\n\n{}\n\n{}",
        advice.title,
        advice.description,
        markdown_to_text(&steps)
    );
    let markdown = format!(
        "**{}**\n\n{}\n\n{}",
        advice.title, advice.description, steps
    );
    r.insert(
        "help".into(),
        json!({ "text": text.trim_end(), "markdown": markdown.trim_end() }),
    );
    if let Some(a) = &advice.article {
        let anchor = a.fragment();
        let path: String = a.path.split('/').map(encode).collect::<Vec<_>>().join("/");
        r.insert(
            "helpUri".into(),
            Value::String(format!(
                "urn:remedy:article:{}:{path}{anchor}",
                advice.locale
            )),
        );
    }
}

/// Where a record was in the input: a line of JSON lines, or an item of a JSON array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A line of JSON lines, from 1.
    Line(usize),
    /// An item of a JSON array, from 1.
    Item(usize),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Line(n) => write!(f, "line {n}"),
            Origin::Item(n) => write!(f, "item {n}"),
        }
    }
}

/// A SARIF 2.1.0 log built from finding records (`remedy advise --format sarif` on JSON
/// lines or an array), losing nothing of the input:
///
/// - one run per reporting tool (a record's `tool` string; `unknown` without one), in the
///   order the tools first appear, each result in input order;
/// - a result per record: `ruleId` its `code`, `level` from its `severity` (or the
///   catalog's), `message.text` its `message` (or the localized title), and in its
///   property bag the whole `record`, the `advice` (`null` when unknown) and where it was
///   in the input (`line` or `item`);
/// - each known code a rule with `help` and `helpUri`; each run says its `language` and
///   that remedy converted it (`conversion.tool`);
/// - input that is not a record is kept as a `toolExecutionNotifications` entry of the
///   conversion, with the text as it was;
/// - SARIF logs met on the way (one per line) have their runs added as they are.
pub(super) struct SarifLog {
    language: String,
    /// The input's name as a URI reference (`stdin` for standard input): results point at
    /// their record's line in it.
    source: String,
    /// The localized rule texts for a code remedy does not know (`{code}` stands for it).
    unknown_rule: (String, String),
    runs: Vec<Run>,
    merged: Vec<Value>,
    unread: Vec<Value>,
}

struct Run {
    tool: Option<String>,
    /// The tool's version and address, when its first record says (`tool_version`,
    /// `tool_uri`).
    version: Option<String>,
    information_uri: Option<String>,
    /// The results, each serialized on its own line: a large log is held as text, not
    /// as a tree of values.
    results: Vec<u8>,
    rules: Vec<Value>,
}

/// How deep a run's results sit in the pretty-printed log.
const RESULT_INDENT: &str = "        ";

impl SarifLog {
    /// A log in `language`, for records read from `source` (a path; `None`: standard
    /// input), with `unknown_rule` (title, description) for codes the catalog lacks.
    pub(super) fn new(
        language: &str,
        source: Option<&str>,
        unknown_rule: (String, String),
    ) -> SarifLog {
        SarifLog {
            language: language.to_owned(),
            source: source.map_or_else(|| "stdin".to_owned(), uri_reference),
            unknown_rule,
            runs: Vec::new(),
            merged: Vec::new(),
            unread: Vec::new(),
        }
    }

    /// One finding record as it came, with its advice (`null` for an unknown finding);
    /// `line` is where the record starts in the input, `rule` the finding's generic advice
    /// (`None` for a code the catalog lacks).
    pub(super) fn record(
        &mut self,
        origin: Origin,
        line: usize,
        record: &Value,
        resolved: &Resolved,
        rule: Option<&Advice>,
    ) {
        let run = self.run_of(record);
        let code = record
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let place = Place::of_record(record).unwrap_or_else(|| Place {
            uri: self.source.clone(),
            line: Some(line),
            column: None,
        });
        let run = &mut self.runs[run];
        write_result(&mut run.results, origin, record, code, &place, resolved);
        if !run.rules.iter().any(|r| r["id"] == code) {
            match rule {
                Some(advice) => help_rule(&mut run.rules, code, advice),
                None => {
                    let (title, description) = &self.unknown_rule;
                    let description = description.replace("{code}", code);
                    run.rules.push(json!({
                        "id": code,
                        "shortDescription": { "text": title.replace("{code}", code) },
                        "fullDescription": { "text": description },
                        "help": { "text": description },
                    }));
                }
            }
        }
    }

    /// The index of the run of the record's `tool`, made when it is the tool's first
    /// record.
    fn run_of(&mut self, record: &Value) -> usize {
        let tool = record.get("tool").and_then(Value::as_str);
        if let Some(i) = self.runs.iter().position(|r| r.tool.as_deref() == tool) {
            return i;
        }
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| record.get(n).and_then(Value::as_str))
                .map(str::to_owned)
        };
        self.runs.push(Run {
            tool: tool.map(str::to_owned),
            version: field(&["tool_version", "toolVersion"]),
            information_uri: field(&["tool_uri", "toolUri", "tool_information_uri"]),
            results: Vec::new(),
            rules: Vec::new(),
        });
        self.runs.len() - 1
    }

    /// Input that is not a finding record (at `place`, e.g. `line 4, column 2`), kept as
    /// it was.
    pub(super) fn unread(&mut self, place: &str, why: &str, raw: &str) {
        self.unread.push(json!({
            "level": "warning",
            "message": { "text": format!("{place}: {why}; kept as it was") },
            "properties": { "input": raw },
        }));
    }

    /// A SARIF log (advised already): its runs join this log's.
    pub(super) fn merge(&mut self, mut doc: Value) {
        if let Some(Value::Array(runs)) = doc.get_mut("runs") {
            self.merged.append(runs);
        }
    }

    /// Writes the finished log, pretty-printed with one result per line.
    pub(super) fn write<W: Write>(self, splicer: &Splicer, out: &mut W) -> std::io::Result<()> {
        let converter = json!({
            "driver": {
                "name": "remedy",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
            }
        });
        let mut runs: Vec<Value> = Vec::new();
        let mut unread = Some(self.unread).filter(|u| !u.is_empty());
        let mut own = self.runs;
        if own.is_empty() && unread.is_some() {
            own.push(Run {
                tool: None,
                version: None,
                information_uri: None,
                results: Vec::new(),
                rules: Vec::new(),
            });
        }
        let mut results = Vec::new();
        for (i, run) in own.into_iter().enumerate() {
            // Records that name no tool are remedy's to report.
            let mut driver = match run.tool.as_deref() {
                Some(tool) => {
                    let mut d = json!({ "name": tool });
                    if let Some(v) = &run.version {
                        d["version"] = json!(v);
                    }
                    if let Some(u) = &run.information_uri {
                        d["informationUri"] = json!(u);
                    }
                    d
                }
                None => json!({
                    "name": "remedy",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                }),
            };
            driver["rules"] = Value::Array(run.rules);
            let mut invocation = json!({ "executionSuccessful": true });
            if let Some(notes) = unread.take() {
                invocation["toolExecutionNotifications"] = Value::Array(notes);
            }
            let mut r = Map::new();
            r.insert("tool".into(), json!({ "driver": driver }));
            r.insert(
                "conversion".into(),
                json!({ "tool": converter.clone(), "invocation": invocation }),
            );
            r.insert("language".into(), Value::String(self.language.clone()));
            r.insert("results".into(), splicer.results_placeholder(i));
            runs.push(Value::Object(r));
            results.push(run.results);
        }
        runs.extend(self.merged);
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": runs,
        });
        splicer.write(out, &doc, true, &results)?;
        writeln!(out)
    }
}

/// Where remedy's documentation is. remedy has no public web address, so, like the
/// articles' `helpUri`, a URN names the README that ships with it.
const INFORMATION_URI: &str = "urn:remedy:readme";

/// Appends one record's SARIF result to a run's results. Serialized by hand so that the
/// advice, serialized once per finding, is copied in as text.
fn write_result(
    out: &mut Vec<u8>,
    origin: Origin,
    record: &Value,
    code: &str,
    place: &Place,
    resolved: &Resolved,
) {
    let text = |k: &str| record.get(k).and_then(Value::as_str);
    let advice = resolved.advice.as_ref();
    let level = text("severity")
        .or_else(|| text("level"))
        .and_then(level_of)
        .or_else(|| {
            advice.map(|a| match a.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            })
        });
    let message = text("message")
        .or_else(|| {
            record
                .get("message")
                .and_then(|m| m.get("text"))
                .and_then(Value::as_str)
        })
        .or_else(|| advice.map(|a| a.title.as_str()))
        .unwrap_or(code);
    let (key, n) = match origin {
        Origin::Line(n) => ("line", n),
        Origin::Item(n) => ("item", n),
    };
    if !out.is_empty() {
        out.extend_from_slice(b",\n");
    }
    out.extend_from_slice(RESULT_INDENT.as_bytes());
    out.extend_from_slice(b"{\"ruleId\":");
    serde_json::to_writer(&mut *out, code).expect("strings serialize");
    if let Some(level) = level {
        out.extend_from_slice(format!(",\"level\":\"{level}\"").as_bytes());
    }
    out.extend_from_slice(b",\"message\":{\"text\":");
    serde_json::to_writer(&mut *out, message).expect("strings serialize");
    out.extend_from_slice(b"},\"locations\":");
    serde_json::to_writer(&mut *out, &place.locations()).expect("values serialize");
    out.extend_from_slice(b",\"partialFingerprints\":{\"");
    out.extend_from_slice(FINGERPRINT.as_bytes());
    out.extend_from_slice(format!("\":\"{:016x}\"}}", fingerprint(code, record)).as_bytes());
    out.extend_from_slice(format!(",\"properties\":{{\"{key}\":{n},\"record\":").as_bytes());
    serde_json::to_writer(&mut *out, record).expect("values serialize");
    out.extend_from_slice(b",\"advice\":");
    out.extend_from_slice(resolved.json().as_bytes());
    if let Some(reason) = resolved.reason {
        out.extend_from_slice(format!(",\"{REASON}\":\"{reason}\"").as_bytes());
    }
    out.extend_from_slice(b"}}");
}

/// The key of remedy's fingerprint in `partialFingerprints`; bump the version when what
/// it hashes changes, so code scanning does not match old alerts to new meanings.
pub const FINGERPRINT: &str = "remedyFinding/v1";

/// Record fields that name what a finding is about (with `params` and the code, what
/// makes two reports the same finding); times, messages and severities are not.
pub const OBJECT_FIELDS: [&str; 14] = [
    "object", "user", "username", "upn", "host", "hostname", "server", "computer", "machine",
    "target", "resource", "tenant", "file", "path",
];

/// Fields a record may name its own place with: the file, then its line and column.
pub const FILE_FIELDS: [&str; 4] = ["file", "path", "uri", "filename"];
/// See [`FILE_FIELDS`].
pub const LINE_FIELDS: [&str; 3] = ["line", "lineNumber", "startLine"];
/// See [`FILE_FIELDS`].
pub const COLUMN_FIELDS: [&str; 3] = ["column", "col", "startColumn"];

/// Where a result points: a file (URI reference) and, when known, a line and column.
struct Place {
    uri: String,
    line: Option<usize>,
    column: Option<usize>,
}

impl Place {
    /// The place a record names for itself, at its top level or in its `params`: a file
    /// ([`FILE_FIELDS`]), and its line and column when given.
    fn of_record(record: &Value) -> Option<Place> {
        let field = |names: &[&str]| {
            names.iter().find_map(|n| {
                record
                    .get(n)
                    .or_else(|| record.get("params").and_then(|p| p.get(n)))
            })
        };
        let file = field(&FILE_FIELDS)?
            .as_str()
            .filter(|f| !f.trim().is_empty())?;
        let positive = |v: &Value| {
            v.as_u64()
                .or_else(|| v.as_str()?.trim().parse().ok())
                .and_then(|n| usize::try_from(n).ok())
                .filter(|n| *n > 0)
        };
        let line = field(&LINE_FIELDS).and_then(positive);
        Some(Place {
            uri: uri_reference(file),
            line,
            // A column means something only on a line.
            column: line.and(field(&COLUMN_FIELDS).and_then(positive)),
        })
    }

    /// As a result's `locations`.
    fn locations(&self) -> Value {
        let mut physical = json!({ "artifactLocation": { "uri": self.uri } });
        if let Some(line) = self.line {
            let mut region = json!({ "startLine": line });
            if let Some(c) = self.column {
                region["startColumn"] = json!(c);
            }
            physical["region"] = region;
        }
        json!([{ "physicalLocation": physical }])
    }
}

/// A path as a URI reference: `/` separators, each segment percent-encoded, an absolute
/// path as a `file://` URI.
fn uri_reference(path: &str) -> String {
    let path = path.replace('\\', "/");
    if path.contains("://") {
        return path;
    }
    let encoded = path.split('/').map(encode).collect::<Vec<_>>().join("/");
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// A finding's identity across runs: its code, its parameters and the object it is about
/// ([`OBJECT_FIELDS`]), keys sorted, hashed with [`crate::codec::fnv1a`].
fn fingerprint(code: &str, record: &Value) -> u64 {
    let mut text = String::from(code);
    text.push('\0');
    if let Some(p) = record.get("params") {
        canonical(p, &mut text);
    }
    for f in OBJECT_FIELDS {
        if let Some(v) = record.get(f) {
            text.push('\0');
            text.push_str(f);
            text.push('=');
            canonical(v, &mut text);
        }
    }
    crate::codec::fnv1a(text.as_bytes())
}

/// `v` as JSON with every object's keys sorted.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for k in keys {
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                canonical(&m[k], out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for i in items {
                canonical(i, out);
                out.push(',');
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A SARIF level for the severities tools write.
fn level_of(severity: &str) -> Option<&'static str> {
    Some(match severity.to_ascii_lowercase().as_str() {
        "error" | "err" | "critical" | "fatal" | "high" | "severe" => "error",
        "warning" | "warn" | "medium" | "moderate" => "warning",
        "note" | "info" | "information" | "informational" | "notice" | "low" => "note",
        "none" | "ok" | "pass" | "passed" => "none",
        _ => return None,
    })
}

/// Percent-encodes what a URI path segment cannot hold.
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
