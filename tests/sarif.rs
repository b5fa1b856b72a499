//! `remedy advise` on SARIF 2.1.0: advice in the results' property bags, rules helped,
//! run.language set, everything else kept; the output validates against the official
//! schema (tests/fixtures/sarif).

mod common;

use common::piped;

use serde_json::{Value, json};

fn advise(locale: &str, input: &str) -> (Value, String) {
    let out = piped(&["advise", "--locale", locale], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn log() -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "aadc-health",
                "version": "1.4.2",
                "rules": [{"id": "AADC002", "shortDescription": {"text": "Password sync is stale"}}]
            }},
            "results": [
                {"ruleId": "AADC002", "ruleIndex": 0, "level": "warning",
                 "message": {"text": "Last password sync 6 days ago"},
                 "properties": {"days": 6, "host": "AADC01"}},
                {"ruleId": "AADC001", "level": "error", "message": {"text": "Password hash sync is disabled"}},
                {"ruleId": "OTHER42", "level": "note", "message": {"text": "Something else"}}
            ],
            "invocations": [{"executionSuccessful": true}]
        }]
    })
}

fn validate(doc: &Value) {
    let errors = validation_errors(doc);
    assert!(errors.is_empty(), "{errors:#?}");
}

fn validation_errors(doc: &Value) -> Vec<String> {
    let mut schema: Value =
        serde_json::from_str(include_str!("fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    // The official schema's pattern for `language` properties has a stray `]`
    // ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"), which the validator rightly rejects as
    // a regex; use the pattern it means. Everything else is validated as published.
    fn fix(v: &mut Value, fixed: &mut usize) {
        match v {
            Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                *fixed += 1;
            }
            Value::Array(a) => a.iter_mut().for_each(|x| fix(x, fixed)),
            Value::Object(o) => o.values_mut().for_each(|x| fix(x, fixed)),
            _ => {}
        }
    }
    let mut fixed = 0;
    fix(&mut schema, &mut fixed);
    assert!(fixed >= 1);
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_schema_check_can_fail() {
    let mut broken = log();
    broken["version"] = json!("2.0");
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(validation_errors(&broken).len() >= 2);
}

#[test]
fn sarif_results_get_advice_rules_get_help() {
    let input = serde_json::to_string_pretty(&log()).unwrap();
    validate(&log());
    let (out, stderr) = advise("nb", &input);
    validate(&out);
    let run = &out["runs"][0];
    assert_eq!(run["language"], "nb-NO");
    // Everything of the input is still there.
    assert_eq!(run["tool"]["driver"]["version"], "1.4.2");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results[0]["message"]["text"],
        "Last password sync 6 days ago"
    );
    assert_eq!(results[0]["properties"]["host"], "AADC01");
    assert_eq!(
        results[0]["properties"]["advice"]["title"],
        "Passordene ble sist synkronisert for 6 dager siden"
    );
    assert_eq!(results[1]["properties"]["advice"]["code"], "phs.disabled");
    assert_eq!(results[2]["properties"]["advice"], Value::Null);
    // Rules: the existing one keeps its fields and gains help; the missing one is added.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules[0]["shortDescription"]["text"],
        "Password sync is stale"
    );
    assert!(
        rules[0]["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("**Passordene")
    );
    assert!(
        rules[0]["help"]["text"]
            .as_str()
            .unwrap()
            .contains("tre dager")
    );
    assert!(
        rules[0]["helpUri"]
            .as_str()
            .unwrap()
            .starts_with("urn:remedy:article:nb-NO:")
    );
    assert_eq!(rules[1]["id"], "AADC001");
    assert!(
        stderr.contains("3 records: 2 advised, 1 unknown"),
        "{stderr}"
    );
}

#[test]
fn a_one_line_sarif_log_is_read_too() {
    let (out, _) = advise("en-US", &serde_json::to_string(&log()).unwrap());
    assert_eq!(out["runs"][0]["language"], "en-US");
    assert_eq!(
        out["runs"][0]["results"][1]["properties"]["advice"]["title"],
        "Password hash synchronization is disabled"
    );
    validate(&out);
}
