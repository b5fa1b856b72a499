//! `remedy advise` on SARIF 2.1.0: advice in the results' property bags, rules helped,
//! run.language set, everything else kept; the output validates against the official
//! schema (tests/fixtures/sarif).

use crate::common;

use crate::common::piped;

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
    common::sarif_schema_errors(doc)
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
        stderr.contains("3 records: 2 advised, 0 not applicable, 1 unknown"),
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

/// JSON lines from two tools, an unknown finding and a broken line, as a SARIF log.
#[test]
fn json_lines_become_a_valid_sarif_log_that_keeps_everything() {
    let input = concat!(
        "{\"tool\":\"aadc-health\",\"code\":\"phs.stale\",\"severity\":\"warning\",\"params\":{\"days\":4},\"host\":\"AADC01\"}\n",
        "{\"tool\":\"dc-probe\",\"code\":\"AD_UNREACHABLE\",\"severity\":\"critical\",\"message\":\"DC01: port 389 closed\"}\n",
        "\n",
        "{not json\n",
        "{\"tool\":\"aadc-health\",\"code\":\"made.up\"}\n",
        "{\"code\":\"server.staging-mode\"}\n",
    );
    let out = piped(&["advise", "--locale", "nl", "--format", "sarif"], input);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 4, column 2: not JSON"), "{stderr}");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&log);
    let runs = log["runs"].as_array().unwrap();
    // One run per tool, in the order they first appear; results in input order.
    let tools: Vec<&str> = runs
        .iter()
        .map(|r| r["tool"]["driver"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(tools, ["aadc-health", "dc-probe", "remedy"]);
    for run in runs {
        assert_eq!(run["language"], "nl-NL");
        assert_eq!(run["conversion"]["tool"]["driver"]["name"], "remedy");
    }
    let health = runs[0]["results"].as_array().unwrap();
    assert_eq!(health.len(), 2);
    assert_eq!(health[0]["ruleId"], "phs.stale");
    assert_eq!(health[0]["level"], "warning");
    assert_eq!(
        health[0]["message"]["text"],
        "Wachtwoorden zijn 4 dagen geleden voor het laatst gesynchroniseerd"
    );
    assert_eq!(health[0]["properties"]["line"], 1);
    assert_eq!(health[0]["properties"]["record"]["host"], "AADC01");
    assert_eq!(health[0]["properties"]["record"]["params"]["days"], 4);
    assert!(health[0]["properties"]["record"].get("advice").is_none());
    assert_eq!(health[0]["properties"]["advice"]["locale"], "en-US");
    assert_eq!(health[1]["properties"]["line"], 5);
    assert_eq!(health[1]["properties"]["advice"], Value::Null);
    // The tool's own message and severity win over the catalog's.
    let probe = &runs[1]["results"][0];
    assert_eq!(probe["message"]["text"], "DC01: port 389 closed");
    assert_eq!(probe["level"], "error");
    assert_eq!(probe["properties"]["advice"]["code"], "ad.unreachable");
    // Rules for known codes, by the code the tool sent.
    let rules = runs[1]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules[0]["id"], "AD_UNREACHABLE");
    assert!(
        rules[0]["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("**Active Directory")
    );
    // The broken line is kept, as it was, in the first run's conversion notes.
    let notes = &runs[0]["conversion"]["invocation"]["toolExecutionNotifications"];
    assert_eq!(notes.as_array().unwrap().len(), 1);
    assert_eq!(notes[0]["properties"]["input"], "{not json");
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("line 4, column 2: not JSON")
    );
    // Nothing lost: every non-blank input line is a result or a note.
    let results: usize = runs
        .iter()
        .map(|r| r["results"].as_array().unwrap().len())
        .sum();
    assert_eq!(results + 1, input.lines().filter(|l| !l.is_empty()).count());
}

#[test]
fn a_json_array_becomes_sarif_too_and_a_sarif_log_stays_one() {
    let out = piped(
        &["advise", "--locale", "en", "--format", "sarif"],
        "[{\"code\":\"phs.disabled\"}, 42]",
    );
    let converted: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&converted);
    let run = &converted["runs"][0];
    assert_eq!(run["results"][0]["properties"]["item"], 1);
    assert_eq!(
        run["results"][0]["level"], "error",
        "the catalog's severity"
    );
    let notes = &run["conversion"]["invocation"]["toolExecutionNotifications"];
    assert_eq!(notes[0]["properties"]["input"], "42");

    // JSON lines that hold a one-line SARIF log: its runs join the converted log.
    let input = format!(
        "{}\n{{\"tool\":\"probe\",\"code\":\"phs.disabled\"}}\n",
        serde_json::to_string(&log()).unwrap()
    );
    let out = piped(&["advise", "--locale", "nb", "--format", "sarif"], &input);
    assert!(out.stdout.starts_with(b"{\n"));
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&merged);
    let names: Vec<&str> = merged["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tool"]["driver"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["probe", "aadc-health"]);
    assert_eq!(
        merged["runs"][1]["results"][1]["properties"]["advice"]["code"],
        "phs.disabled"
    );

    // SARIF in, SARIF out: --format sarif is the input's own format here.
    let input = serde_json::to_string_pretty(&log()).unwrap();
    let a = piped(&["advise", "--locale", "nb", "--format", "sarif"], &input);
    let b = piped(&["advise", "--locale", "nb"], &input);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn the_input_format_can_be_named_instead_of_detected() {
    let sarif_line = serde_json::to_string(&log()).unwrap();
    // JSON lines that hold a one-line SARIF log and a record: each advised as what it is.
    let input = format!("{sarif_line}\n{{\"code\":\"phs.disabled\"}}\n");
    let out = piped(&["advise", "--locale", "nb", "--input", "lines"], &input);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    validate(&lines[0]);
    assert_eq!(
        lines[0]["runs"][0]["results"][1]["properties"]["advice"]["code"],
        "phs.disabled"
    );
    assert_eq!(lines[1]["advice"]["code"], "phs.disabled");

    // Named wrongly: reported with the position, passed through unchanged.
    let records = "{\"code\":\"phs.disabled\"}\n{\"code\":\"phs.stale\"}\n";
    for (format, expected) in [
        ("sarif", "line 2, column 1: not JSON (trailing characters)"),
        (
            "array",
            "line 2, column 1: not a JSON array of findings (trailing characters)",
        ),
    ] {
        let out = piped(&["advise", "--input", format], records);
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), records);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{format}: {stderr}");
    }
    // A pretty array read as lines: its brackets are reported and kept as they were,
    // the record between them is advised.
    let array = "[\n{\"code\": \"phs.disabled\"}\n]\n";
    let out = piped(&["advise", "--input", "jsonl"], array);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "[");
    assert!(lines[1].starts_with("{\"code\":\"phs.disabled\",\"advice\":{"));
    assert_eq!(lines[2], "]");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3, column 1: not JSON"), "{stderr}");
}

#[test]
fn a_rule_named_only_by_its_index_is_found_and_a_rule_less_result_counted() {
    let input = json!({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "aadc-health", "rules": [{"id": "AADC001"}]}},
            "results": [
                {"ruleIndex": 0, "message": {"text": "Password hash sync is disabled"}},
                {"message": {"text": "No rule at all"}}
            ]
        }]
    });
    let (out, stderr) = advise("en", &serde_json::to_string_pretty(&input).unwrap());
    validate(&out);
    let results = &out["runs"][0]["results"];
    assert_eq!(results[0]["properties"]["advice"]["code"], "phs.disabled");
    assert_eq!(results[1]["properties"]["advice"], Value::Null);
    assert!(
        out["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"]
            .as_str()
            .is_some()
    );
    assert!(
        stderr.contains("2 records: 1 advised, 0 not applicable, 1 unknown"),
        "{stderr}"
    );
}

/// Issue 21 in SARIF: a result whose properties say the finding does not hold keeps
/// everything and gets `advice: null` with the reason, in a log that still validates; the
/// same in a SARIF log written from JSON lines.
#[test]
fn results_that_do_not_hold_get_no_advice_and_say_why() {
    let mut doc = log();
    doc["runs"][0]["results"][0]["properties"]["days"] = json!(2);
    let (out, stderr) = advise("en-US", &doc.to_string());
    let props = &out["runs"][0]["results"][0]["properties"];
    assert_eq!(props["advice"], Value::Null);
    assert_eq!(props["advice_reason"], "not-applicable");
    assert_eq!(props["host"], "AADC01");
    assert!(out["runs"][0]["results"][1]["properties"]["advice"].is_object());
    assert!(
        stderr.contains("3 records: 1 advised, 1 not applicable, 1 unknown"),
        "{stderr}"
    );
    validate(&out);

    let out = piped(
        &["advise", "--locale", "nb-NO", "--format", "sarif"],
        "{\"code\":\"phs.stale\",\"params\":{\"days\":1}}\n{\"code\":\"phs.stale\",\"params\":{\"days\":5}}\n",
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "nothing is dropped");
    assert_eq!(results[0]["properties"]["advice"], Value::Null);
    assert_eq!(results[0]["properties"]["advice_reason"], "not-applicable");
    assert!(results[1]["properties"]["advice"].is_object());
    validate(&doc);
}

/// `remedy advise --format sarif` on records: the log as parsed JSON.
fn to_sarif(args: &[&str], input: &str) -> Value {
    let mut all = vec!["advise", "--locale", "en-US", "--format", "sarif"];
    all.extend_from_slice(args);
    let out = piped(&all, input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const GITHUB_RECORDS: &str = r#"{"code":"phs.stale","params":{"days":6},"tool":"aadc-health","tool_version":"1.4.2","tool_uri":"https://contoso.example/aadc-health","host":"AADC01","time":"10:00"}
{"code":"phs.disabled","host":"AADC01"}
not a record
{"code":"made.up","file":"scripts\\Check Sync.ps1","line":"12","column":3}
{"code":"phs.stale","params":{"days":1}}
"#;

/// Issue 18: what GitHub code scanning needs, checked field by field (the Multitool
/// checks it again below): every rule has short and full descriptions and help, every
/// run has rules, every result a location, stable fingerprints, remedy as the driver of
/// records that name no tool.
#[test]
fn sarif_from_records_has_what_code_scanning_needs() {
    let doc = to_sarif(&[], GITHUB_RECORDS);
    validate(&doc);
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    let health = &runs[0]["tool"]["driver"];
    assert_eq!(health["name"], "aadc-health");
    assert_eq!(health["version"], "1.4.2");
    assert_eq!(
        health["informationUri"],
        "https://contoso.example/aadc-health"
    );
    let remedy = &runs[1]["tool"]["driver"];
    assert_eq!(remedy["name"], "remedy");
    assert_eq!(remedy["version"], env!("CARGO_PKG_VERSION"));
    assert!(remedy["informationUri"].is_string());
    for run in runs {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in run["results"].as_array().unwrap() {
            let rule = rules
                .iter()
                .find(|r| r["id"] == result["ruleId"])
                .unwrap_or_else(|| panic!("no rule for {result}"));
            for key in ["shortDescription", "fullDescription", "help"] {
                assert!(rule[key]["text"].is_string(), "{key} of {rule}");
            }
            assert!(
                result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string()
            );
            assert!(result["partialFingerprints"]["remedyFinding/v1"].is_string());
        }
    }
    // The generic title stands for the rule; the result keeps its own numbers.
    let stale = &runs[0]["tool"]["driver"]["rules"][0];
    assert_eq!(
        stale["shortDescription"]["text"],
        "Passwords have not been synchronized recently (when last is unknown)"
    );
    assert!(
        stale["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("more than 3 days")
    );
    assert_eq!(
        runs[0]["results"][0]["message"]["text"],
        "Passwords were last synchronized 6 days ago"
    );
    let unknown = &runs[1]["tool"]["driver"]["rules"][1];
    assert_eq!(unknown["id"], "made.up");
    assert_eq!(unknown["shortDescription"]["text"], "made.up");
    // Locations: the record's line in standard input, or the place the record names.
    let place =
        |run: usize, i: usize| runs[run]["results"][i]["locations"][0]["physicalLocation"].clone();
    assert_eq!(
        place(0, 0),
        json!({"artifactLocation": {"uri": "stdin"}, "region": {"startLine": 1}})
    );
    assert_eq!(
        place(1, 0),
        json!({"artifactLocation": {"uri": "stdin"}, "region": {"startLine": 2}})
    );
    assert_eq!(
        place(1, 1),
        json!({"artifactLocation": {"uri": "scripts/Check%20Sync.ps1"}, "region": {"startLine": 12, "startColumn": 3}})
    );
    assert_eq!(place(1, 2)["region"]["startLine"], 5);

    // A file: its name; an array: each item's own line.
    let scratch = common::Scratch::new("sarif-file-places");
    let dir = scratch.path().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("findings.json");
    std::fs::write(&file, "[\n  {\"code\": \"phs.disabled\"},\n\n  {\"code\": \"ad.unreachable\",\n   \"host\": \"DC01\"}\n]\n").unwrap();
    let doc = to_sarif(&[file.to_str().unwrap()], "");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let uri = format!("file://{}", file.display());
    for (r, line) in results.iter().zip([2, 4]) {
        let physical = &r["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], uri.as_str());
        assert_eq!(physical["region"]["startLine"], line);
    }
}

/// The same finding keeps its fingerprint across runs and inputs (times and messages do
/// not count); another parameter value or another object is another finding.
#[test]
fn fingerprints_follow_the_finding_not_the_run() {
    let print = |input: &str| -> String {
        to_sarif(&[], input)["runs"][0]["results"][0]["partialFingerprints"]["remedyFinding/v1"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let base = print(
        r#"{"code":"phs.stale","params":{"days":6,"dc":"DC1"},"host":"AADC01","time":"10:00"}"#,
    );
    assert_eq!(base.len(), 16);
    let same = [
        r#"{"time":"11:30","code":"phs.stale","host":"AADC01","params":{"dc":"DC1","days":6},"message":"again"}"#,
        "\n\n{\"code\":\"phs.stale\",\"params\":{\"days\":6,\"dc\":\"DC1\"},\"host\":\"AADC01\",\"severity\":\"high\"}",
    ];
    for input in same {
        assert_eq!(print(input), base, "{input}");
    }
    let other = [
        r#"{"code":"phs.stale","params":{"days":7,"dc":"DC1"},"host":"AADC01"}"#,
        r#"{"code":"phs.stale","params":{"days":6,"dc":"DC1"},"host":"AADC02"}"#,
        r#"{"code":"dirsync.no-recent-sync","params":{"days":6,"dc":"DC1"},"host":"AADC01"}"#,
    ];
    for input in other {
        assert_ne!(print(input), base, "{input}");
    }
}

/// Microsoft's SARIF Multitool (`.ci/run` installs it from npm), with GitHub's rules:
/// no error and no warning on every kind of log remedy writes. Where it is not
/// installed the test is skipped, loudly, except under CI=true, where it fails.
#[test]
fn microsofts_validator_accepts_every_log_remedy_writes() {
    let tool = std::env::var_os("SARIF_MULTITOOL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")
        });
    if !tool.is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the SARIF Multitool is missing at {}",
            tool.display()
        );
        eprintln!(
            "SKIPPED: no SARIF Multitool at {} (set SARIF_MULTITOOL)",
            tool.display()
        );
        return;
    }
    let scratch = common::Scratch::new("sarif-multitool");
    let dir = scratch.path().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    // A SARIF log as GitHub wants it, advised: it must stay valid.
    let mut complete = log();
    complete["runs"][0]["tool"]["driver"]["informationUri"] =
        json!("https://contoso.example/aadc-health");
    complete["runs"][0]["tool"]["driver"]["rules"] = json!([
        {"id": "AADC002", "shortDescription": {"text": "Password sync is stale"},
         "fullDescription": {"text": "The last password sync is too old."},
         "help": {"text": "Run a sync."}},
        {"id": "AADC001", "shortDescription": {"text": "Password hash sync is disabled"},
         "fullDescription": {"text": "Password hash sync is off."}, "help": {"text": "Turn it on."}},
        {"id": "OTHER42", "shortDescription": {"text": "Other"},
         "fullDescription": {"text": "Something else."}, "help": {"text": "Nothing to do."}}
    ]);
    for r in complete["runs"][0]["results"].as_array_mut().unwrap() {
        r["locations"] = json!([{"physicalLocation": {"artifactLocation": {"uri": "health.log"}, "region": {"startLine": 1}}}]);
    }
    let logs: Vec<(&str, Value)> = vec![
        ("records", to_sarif(&[], GITHUB_RECORDS)),
        ("nb-records", {
            let out = piped(
                &["advise", "--locale", "nb-NO", "--format", "sarif"],
                GITHUB_RECORDS,
            );
            serde_json::from_slice(&out.stdout).unwrap()
        }),
        ("unknown-only", to_sarif(&[], "{\"code\":\"made.up\"}\n")),
        (
            "array",
            to_sarif(
                &["--input", "array"],
                "[{\"code\":\"phs.disabled\"},{\"code\":\"x\"}]",
            ),
        ),
        ("advised-sarif", advise("nl-NL", &complete.to_string()).0),
    ];
    for (name, doc) in logs {
        let file = dir.join(format!("{name}.sarif"));
        std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        let out = std::process::Command::new(&tool)
            .args([
                "validate",
                file.to_str().unwrap(),
                "--rule-kind",
                "Gh;Sarif",
                "--log",
                "ForceOverwrite",
                "-o",
            ])
            .arg(dir.join(format!("{name}.out.sarif")))
            .output()
            .expect("the Multitool runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let problems: Vec<&str> = stdout
            .lines()
            .filter(|l| l.contains(": error ") || l.contains(": warning "))
            .collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        assert!(
            stdout.contains("Analysis completed successfully"),
            "{name}: {stdout}"
        );
    }
}
