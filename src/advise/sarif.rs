//! SARIF 2.1.0 in and out: every result whose `ruleId` the catalog knows gets the advice in
//! its property bag (`properties.advice`), its rule in `tool.driver.rules` gets `help`
//! (text and Markdown) and `helpUri`, and each run says its `language`. Everything else
//! in the log is kept as it was; `message.text` is not touched (GitHub code scanning
//! rejects argument-only messages).

use serde_json::{Map, Value, json};

use super::io::Summary;
use super::resolve::{Advice, Advisor};
use crate::article::markdown_to_text;
use crate::l10n::Arg;

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
pub fn advise_sarif(advisor: &Advisor, locale: &str, doc: &mut Value, summary: &mut Summary) {
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
        if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
            for result in results {
                let Some(result) = result.as_object_mut() else {
                    continue;
                };
                let rule = result
                    .get("ruleId")
                    .and_then(Value::as_str)
                    .or_else(|| {
                        result
                            .get("rule")
                            .and_then(|r| r.get("id"))
                            .and_then(Value::as_str)
                    })
                    .map(str::to_owned);
                let Some(rule) = rule else { continue };
                summary.records += 1;
                let props = result
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Some(props) = props.as_object_mut() else {
                    continue;
                };
                let Some(finding) = advisor.catalog.by_rule(&rule) else {
                    summary.unknown += 1;
                    props.insert("advice".into(), Value::Null);
                    continue;
                };
                let args: Vec<(String, Arg)> = props
                    .iter()
                    .filter(|(k, _)| finding.params.contains(k))
                    .filter_map(|(k, v)| Some((k.clone(), Arg::from_json(v)?)))
                    .collect();
                let advice = advisor.advise(finding, &args, locale);
                props.insert(
                    "advice".into(),
                    serde_json::to_value(&advice).expect("advice serializes"),
                );
                summary.advised += 1;
                if !helped.iter().any(|(r, _)| *r == rule) {
                    helped.push((rule, advice));
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
            let index = match rules
                .iter()
                .position(|r| r.get("id").and_then(Value::as_str) == Some(&rule))
            {
                Some(i) => i,
                None => {
                    rules.push(json!({ "id": rule }));
                    rules.len() - 1
                }
            };
            let Some(r) = rules[index].as_object_mut() else {
                continue;
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
    }
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
