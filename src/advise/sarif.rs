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

use super::catalog::Severity;
use super::io::{Cache, REASON, Resolved, Splicer, Summary};
use super::resolve::{Advice, Advisor};
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

/// Adds advice to a SARIF log in place.
pub(super) fn advise_sarif(
    advisor: &Advisor,
    locale: &str,
    doc: &mut Value,
    summary: &mut Summary,
    cache: &mut Cache,
    splicer: &mut Splicer,
) {
    let language = advisor.messages.negotiate(locale)[0].to_string();
    let Some(runs) = doc.get_mut("runs").and_then(Value::as_array_mut) else {
        return;
    };
    for run in runs {
        let Some(run) = run.as_object_mut() else {
            continue;
        };
        run.insert("language".into(), Value::String(language.clone()));
        let mut helped: Vec<(String, Advice)> = Vec::new();
        // Results may name their rule only by its place in the driver's rules.
        let rule_ids: Vec<Option<String>> = run
            .get("tool")
            .and_then(|t| t.get("driver"))
            .and_then(|d| d.get("rules"))
            .and_then(Value::as_array)
            .map(|rules| {
                rules
                    .iter()
                    .map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
            for result in results {
                let Some(result) = result.as_object_mut() else {
                    continue;
                };
                let index = result
                    .get("ruleIndex")
                    .or_else(|| result.get("rule").and_then(|r| r.get("index")))
                    .and_then(Value::as_u64);
                let rule = result
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
                        rule_ids
                            .get(usize::try_from(index?).ok()?)
                            .cloned()
                            .flatten()
                    });
                summary.records += 1;
                let props = result
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Some(props) = props.as_object_mut() else {
                    continue;
                };
                let Some(finding) = rule.as_deref().and_then(|r| advisor.catalog.by_rule(r)) else {
                    summary.unknown += 1;
                    props.insert("advice".into(), Value::Null);
                    continue;
                };
                let params: Map<String, Value> = props
                    .iter()
                    .filter(|(k, _)| finding.has_param(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let resolved = cache.for_finding(advisor, locale, finding, &params);
                props.insert("advice".into(), splicer.advice_placeholder(&resolved));
                if let Some(reason) = resolved.reason {
                    props.insert(REASON.into(), Value::from(reason));
                }
                summary.outcome(&resolved);
                if let Some(rule) = rule
                    && !helped.iter().any(|(r, _)| *r == rule)
                    && let Some(advice) = &resolved.advice
                {
                    helped.push((rule, advice.clone()));
                }
            }
        }
        if helped.is_empty() {
            continue;
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
            continue;
        };
        let rules = driver.entry("rules").or_insert_with(|| json!([]));
        let Some(rules) = rules.as_array_mut() else {
            continue;
        };
        for (rule, advice) in helped {
            help_rule(rules, &rule, &advice);
        }
    }
}

/// Gives the rule `id` in `rules` (added when missing) the advice as `help` and `helpUri`.
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
    Line(usize),
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
    runs: Vec<Run>,
    merged: Vec<Value>,
    unread: Vec<Value>,
}

struct Run {
    tool: Option<String>,
    /// The results, each serialized on its own line: a large log is held as text, not
    /// as a tree of values.
    results: Vec<u8>,
    rules: Vec<Value>,
}

/// How deep a run's results sit in the pretty-printed log.
const RESULT_INDENT: &str = "        ";

impl SarifLog {
    pub(super) fn new(language: &str) -> SarifLog {
        SarifLog {
            language: language.to_owned(),
            runs: Vec::new(),
            merged: Vec::new(),
            unread: Vec::new(),
        }
    }

    /// One finding record as it came, with its advice (`null` for an unknown finding).
    pub(super) fn record(&mut self, origin: Origin, record: &Value, resolved: &Resolved) {
        let tool = record.get("tool").and_then(Value::as_str);
        let run = match self.runs.iter().position(|r| r.tool.as_deref() == tool) {
            Some(i) => &mut self.runs[i],
            None => {
                self.runs.push(Run {
                    tool: tool.map(str::to_owned),
                    results: Vec::new(),
                    rules: Vec::new(),
                });
                self.runs.last_mut().expect("just pushed")
            }
        };
        let text = |k: &str| record.get(k).and_then(Value::as_str);
        let code = text("code").unwrap_or_default();
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
        // Serialized by hand so that the advice, serialized once per finding, is copied
        // in as text.
        let out = &mut run.results;
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
        out.extend_from_slice(format!("}},\"properties\":{{\"{key}\":{n},\"record\":").as_bytes());
        serde_json::to_writer(&mut *out, record).expect("values serialize");
        out.extend_from_slice(b",\"advice\":");
        out.extend_from_slice(resolved.json().as_bytes());
        if let Some(reason) = resolved.reason {
            out.extend_from_slice(format!(",\"{REASON}\":\"{reason}\"").as_bytes());
        }
        out.extend_from_slice(b"}}");
        if let Some(advice) = advice
            && !run.rules.iter().any(|r| r["id"] == code)
        {
            help_rule(&mut run.rules, code, advice);
        }
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
            }
        });
        let mut runs: Vec<Value> = Vec::new();
        let mut unread = Some(self.unread).filter(|u| !u.is_empty());
        let mut own = self.runs;
        if own.is_empty() && unread.is_some() {
            own.push(Run {
                tool: None,
                results: Vec::new(),
                rules: Vec::new(),
            });
        }
        let mut results = Vec::new();
        for (i, run) in own.into_iter().enumerate() {
            let mut driver = json!({ "name": run.tool.as_deref().unwrap_or("unknown") });
            if !run.rules.is_empty() {
                driver["rules"] = Value::Array(run.rules);
            }
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
