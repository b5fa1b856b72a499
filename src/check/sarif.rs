//! `remedy check --format sarif`: a SARIF 2.1.0 log with remedy's own rules (one per
//! check, with help text), so code-scanning tools show translation findings beside code
//! findings.

use serde_json::{Value, json};

use super::{CheckId, Report, Severity};

/// The report as a SARIF 2.1.0 log; `root` is the content folder the paths are relative to
/// (an absolute `file:` URI, or `None` to leave the base unresolved).
pub fn sarif(report: &Report, root: Option<&str>) -> Value {
    let rules: Vec<Value> = CheckId::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.name(),
                "name": camel(c.name()),
                "shortDescription": {"text": c.summary()},
                "fullDescription": {"text": c.help()},
                "help": {"text": c.help(), "markdown": c.help()},
                "defaultConfiguration": {"level": level(c.severity())},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = CheckId::ALL.iter().position(|c| *c == f.check).unwrap_or(0);
            let mut result = json!({
                "ruleId": f.check.name(),
                "ruleIndex": index,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": crate::render::encode_path(&f.path), "uriBaseId": "CONTENT"},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }],
            });
            let mut props = serde_json::Map::new();
            if let Some(l) = &f.locale {
                props.insert("locale".into(), json!(l.to_string()));
            }
            if let Some(s) = &f.segment {
                props.insert("segment".into(), json!(s));
            }
            if !props.is_empty() {
                result["properties"] = Value::Object(props);
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "remedy",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "urn:remedy:readme",
            "rules": rules,
        }},
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    if let Some(root) = root {
        run["originalUriBaseIds"] = json!({"CONTENT": {"uri": root}});
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// `markup-count` → `MarkupCount`.
fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
