//! `remedy advise` on the seed findings, through the real binary.

use crate::common;

use crate::common::piped;

use serde_json::Value;

fn advise(locale: &str, input: &str) -> (Vec<String>, String) {
    let out = piped(&["advise", "--locale", locale], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    (lines, String::from_utf8(out.stderr).unwrap())
}

const SEED_FINDINGS: &str = r#"{"code":"phs.disabled","severity":"error","tool":"aadc-health"}
{"code":"phs.stale","params":{"days":4}}
{"code":"dirsync.no-recent-sync","params":{"days":"5"}}
{"code":"connector.missing-replication-permissions"}
{"code":"signin.method-changed"}
{"code":"ad.unreachable"}
{"code":"server.staging-mode"}
{"code":"user.must-change-password"}
{"code":"user.not-in-sync-scope"}
"#;

#[test]
fn every_seed_finding_gets_advice_in_all_three_locales() {
    for (locale, expect) in [
        ("nb-NO", "nb-NO"),
        ("nl-NL", "nl-NL"),
        ("en-US", "en-US"),
        ("no", "nb-NO"),
        ("nl-BE", "nl-NL"),
        ("de", "en-US"),
    ] {
        let (lines, stderr) = advise(locale, SEED_FINDINGS);
        assert_eq!(lines.len(), 9);
        for line in &lines {
            let v: Value = serde_json::from_str(line).unwrap();
            let a = &v["advice"];
            assert!(a.is_object(), "{locale}: {line}");
            assert_eq!(a["message_locale"], expect, "{locale}: {line}");
            assert!(!a["title"].as_str().unwrap().is_empty());
            assert!(!a["description"].as_str().unwrap().is_empty());
            let steps = a["steps"]
                .as_str()
                .unwrap_or_else(|| panic!("{locale}: no steps: {line}"));
            assert!(
                !steps.contains("sxs-lookup") && !steps.contains("data-ttu-id"),
                "{steps}"
            );
        }
        assert!(stderr.contains("9 records: 9 advised"), "{stderr}");
    }
}

#[test]
fn parameters_fill_the_messages() {
    let (lines, _) = advise("nl", SEED_FINDINGS);
    let stale: Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(
        stale["advice"]["title"],
        "Wachtwoorden zijn 4 dagen geleden voor het laatst gesynchroniseerd"
    );
    let dirsync: Value = serde_json::from_str(&lines[2]).unwrap();
    assert_eq!(
        dirsync["advice"]["title"],
        "Al 5 dagen geen adreslijstsynchronisatie"
    );
    // The threshold of the condition reaches the description.
    assert!(
        dirsync["advice"]["description"]
            .as_str()
            .unwrap()
            .contains("al meer dan 3 dagen niet gesynchroniseerd"),
        "{dirsync}"
    );
}

/// Issue 21: a finding whose values say all is well is kept as it came, with no advice
/// and the reason; one that names the code without the value is advised, saying the value
/// is unknown; nothing is lost.
#[test]
fn findings_that_do_not_hold_keep_their_record_and_get_no_advice() {
    let input = r#"{"code":"phs.stale","params":{"days":1},"host":"AADC01"}
{"code":"phs.stale","params":{"days":3}}
{"code":"phs.stale","params":{"days":4}}
{"code":"phs.stale","params":{"days":"72 hours"}}
{"code":"phs.stale","params":{"days":"PT73H"}}
{"code":"phs.stale"}
{"code":"phs.stale","params":{"days":"recently"}}
{"code":"signin.method-changed","params":{"method":"Password Hash Synchronization"}}
{"code":"signin.method-changed","params":{"method":"AD FS"}}
{"code":"ad.unreachable","params":{"count":0}}
"#;
    let (lines, stderr) = advise("en-US", input);
    let v: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines[0],
        r#"{"code":"phs.stale","params":{"days":1},"host":"AADC01","advice":null,"advice_reason":"not-applicable"}"#
    );
    let applies: Vec<bool> = v.iter().map(|r| r["advice"].is_object()).collect();
    assert_eq!(
        applies,
        [
            false, false, true, false, true, true, true, false, true, false
        ]
    );
    assert_eq!(
        v[2]["advice"]["title"],
        "Passwords were last synchronized 4 days ago"
    );
    assert_eq!(v[2]["advice"].get("unknown"), None);
    assert_eq!(
        v[4]["advice"]["title"],
        "Passwords were last synchronized 3 days ago"
    );
    for r in [&v[5], &v[6]] {
        assert_eq!(
            r["advice"]["title"],
            "Passwords have not been synchronized recently (when last is unknown)"
        );
        assert_eq!(r["advice"]["unknown"], serde_json::json!(["days"]));
    }
    assert!(
        stderr.contains("10 records: 5 advised, 5 not applicable, 0 unknown findings"),
        "{stderr}"
    );
    // The same in Norwegian and Dutch: no English word, no placeholder.
    for locale in ["nb-NO", "nl-NL"] {
        let (lines, _) = advise(locale, r#"{"code":"dirsync.no-recent-sync"}"#);
        let title = serde_json::from_str::<Value>(&lines[0]).unwrap()["advice"]["title"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            !title.contains("unknown") && !title.contains('{'),
            "{locale}: {title}"
        );
    }
}

/// The example of issue 21, in `annotate`: a healthy line gets no advice; the same line
/// with a stale value does.
#[test]
fn annotate_adds_no_advice_to_healthy_lines() {
    let out = piped(
        &["annotate", "--locale", "en"],
        "10:02 WARN last password sync was 1 days ago
10:03 WARN last password sync was 6 days ago
",
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "10:02 WARN last password sync was 1 days ago");
    assert_eq!(lines[1], "10:03 WARN last password sync was 6 days ago");
    assert!(lines[2].contains("[phs.stale] Passwords were last synchronized 6 days ago"));
    assert_eq!(stdout.matches("▶ remedy").count(), 1, "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("2 lines, 1 with advice, 1 matching a finding that does not hold"),
        "{stderr}"
    );
}

#[test]
fn missing_articles_fall_back_with_the_locale_named() {
    // password-synchronization.md exists only in Norwegian, without spans.
    let (lines, _) = advise("en-US", r#"{"code":"server.staging-mode"}"#);
    let v: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(v["advice"]["message_locale"], "en-US");
    assert_eq!(v["advice"]["locale"], "nb-NO");
    // troubleshoot-password-synchronization.md has Norwegian spans: English is rebuilt.
    let (lines, _) = advise("en-US", r#"{"code":"phs.stale","params":{"days":9}}"#);
    let v: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(v["advice"]["locale"], "en-US");
    assert_eq!(v["advice"]["machine_translated"], false);
    let (lines, _) = advise("nb-NO", r#"{"code":"phs.stale","params":{"days":9}}"#);
    let v: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(v["advice"]["machine_translated"], true);
}

#[test]
fn unknown_and_malformed_records_pass_through_in_order() {
    let input = "{\"code\":\"nope\",\"x\":1}\n{broken\n{\"code\":\"PHS_DISABLED\"}\n";
    let (lines, stderr) = advise("nb", input);
    assert_eq!(lines[0], "{\"code\":\"nope\",\"x\":1,\"advice\":null}");
    assert_eq!(lines[1], "{broken");
    assert!(lines[2].contains("\"advice\":{"));
    assert!(stderr.contains("line 2, column 2: not JSON"), "{stderr}");
    assert!(
        stderr.contains(
            "2 records: 1 advised, 0 not applicable, 1 unknown findings, 1 passed through"
        ),
        "{stderr}"
    );
}

#[test]
fn steps_from_two_locales_name_both() {
    let out = piped(
        &["advise", "--locale", "nl", "--format", "md"],
        "{\"code\":\"phs.stale\",\"params\":{\"days\":4}}\n",
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("*troubleshoot-password-synchronization.md#troubleshoot-password-synchronization (en-US)*"),
        "{md}"
    );
    assert!(
        md.contains("*password-sync.md (nl-NL, machine translated)*"),
        "{md}"
    );
}

#[test]
fn a_missing_input_file_is_a_data_error() {
    let out = common::remedy(&["advise", "no-such-findings.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-findings.jsonl"));
}

#[test]
fn annotate_passes_every_line_and_adds_advice() {
    let input = "a\nERROR user must change password at next logon\nb\n";
    let out = piped(&["annotate", "--locale", "en-US"], input);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "a");
    assert_eq!(lines[1], "ERROR user must change password at next logon");
    assert_eq!(
        lines[2],
        "  ▶ remedy [user.must-change-password] The user must change the password at next sign-in"
    );
    assert_eq!(lines.last(), Some(&"b"));
    assert!(
        lines[3..lines.len() - 1]
            .iter()
            .all(|l| l.starts_with("  │ "))
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 lines, 1 with advice"));
}

#[test]
fn reports_for_people_in_markdown_and_text() {
    let out = piped(
        &["advise", "--locale", "nb", "--format", "md"],
        "{\"code\":\"phs.disabled\"}\n{\"code\":\"unknown\"}\n",
    );
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.starts_with("## Synkronisering av passord-hash er slått av\n\n`phs.disabled` · error\n"),
        "{md}"
    );
    assert_eq!(
        md.matches("## ").count(),
        1,
        "unknown findings make no section"
    );
    let out = piped(
        &["advise", "--locale", "en", "--format", "text"],
        "{\"code\":\"ad.unreachable\"}\n",
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Active Directory cannot be reached  [ad.unreachable, error]\n"),
        "{text}"
    );
    assert!(!text.contains("**"));
    assert!(!text.contains('\x1b'), "no colours into a pipe");
}
