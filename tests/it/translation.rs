//! `remedy check`, `remedy export` and `remedy import` with the real binary: the checks on
//! hand-made articles that break one check each, the exports read by translators' own
//! tools (translate-toolkit, msgfmt, xmllint), and the round trip through them.

use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::{Scratch, copy_tree, remedy, remedy_ok, tool, tree};
use remedy::article::Article;
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/check";

fn check_json(content: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--content", content, "--format", "json"];
    args.extend(extra);
    let out = remedy(&args);
    let code = out.status.code().expect("an exit code");
    (
        serde_json::from_slice(&out.stdout).expect("JSON report"),
        code,
    )
}

fn findings(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_check_finds_what_it_names_at_its_place() {
    let (report, code) = check_json(FIXTURE, &[]);
    assert_eq!(code, 1, "errors fail the run by default");
    let got = findings(&report);
    let want = [
        ("markup-count", "nb-NO/broken.md", 11, 31),
        ("identifiers", "nb-NO/broken.md", 13, 31),
        ("numbers", "nb-NO/broken.md", 13, 31),
        ("untranslated", "nb-NO/broken.md", 15, 31),
        ("glossary-forbidden", "nb-NO/broken.md", 17, 37),
        ("empty-link-text", "nb-NO/broken.md", 19, 34),
        ("anchor-mismatch", "nb-NO/broken.md", 21, 13),
        ("numbers", "nb-NO/broken.md", 23, 31),
        ("english-drift", "nb-NO/broken.md", 23, 31),
        ("glossary-forbidden", "nb-NO/plain.md", 8, 6),
        ("empty-link-text", "nb-NO/plain.md", 8, 44),
        ("markdown-structure", "nb-NO/table.md", 9, 45),
        ("span-broken", "nb-NO/table.md", 11, 1),
        ("english-drift", "nl-NL/broken.md", 13, 31),
        ("markup-count", "nl-NL/plain.md", 8, 1),
        ("numbers", "nl-NL/plain.md", 8, 1),
    ];
    let want: Vec<(String, String, u64, u64)> = want
        .iter()
        .map(|(c, p, l, col)| ((*c).into(), (*p).into(), *l, *col))
        .collect();
    assert_eq!(got, want);
    // The ordinary verb ("kan ikke koble til", broken.md:27 and plain.md:10) is never the
    // product name: the exact list above has no finding there.
    // quiet.md switches `untranslated` off in its front matter.
    assert_eq!(report["suppressed"], 1);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(messages.contains(&"missing 0x80070005; not in the English: 0x80070006"));
    assert!(messages.contains(&"this heading's anchor is \"ferdig\"; in nl-NL it is \"done\" (made from the English heading)"));
    assert!(
        messages
            .iter()
            .any(|m| m.ends_with("your {+Office 365 +}tenant."))
    );

    // Severity gates: only notes and nothing at all pass `--fail-on error` … `never`.
    assert_eq!(check_json(FIXTURE, &["--fail-on", "never"]).1, 0);
    let human = remedy(&["check", "--content", FIXTURE]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("nb-NO/broken.md:17:37: error[glossary-forbidden]: \"Azure AD Koble til\" is a translation of the term \"Azure AD Connect\""), "{text}");
    let stderr = String::from_utf8(human.stderr).unwrap();
    assert!(
        stderr.contains("6 articles: 9 errors, 7 warnings, 0 notes"),
        "{stderr}"
    );
}

#[test]
fn suppressions_from_the_command_line_glossary() {
    let scratch = Scratch::new("check-suppress");
    let glossary = scratch.write(
        "g.yaml",
        "suppress:\n  - check: english-drift\n  - check: numbers\n    files: ['*/*.md']\n",
    );
    let (report, _) = check_json(FIXTURE, &["--glossary", &glossary]);
    let checks: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert!(
        !checks
            .iter()
            .any(|c| c == "english-drift" || c == "numbers")
    );
    // This glossary names no forbidden forms: the translated product name is not found.
    assert!(!checks.iter().any(|c| c == "glossary-forbidden"));
    assert_eq!(report["suppressed"], 6);
}

#[test]
fn a_broken_glossary_is_named_with_line_and_column() {
    let scratch = Scratch::new("check-glossary");
    let glossary = scratch.write(
        "g.yaml",
        "terms:\n  - term: X\n    forms:\n      nb NO: [Y]\n",
    );
    let out = remedy(&["check", "--content", FIXTURE, "--glossary", &glossary]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("g.yaml:4:7: \"nb NO\" is not a locale"),
        "{err}"
    );
    let out = remedy(&["check", "--content", FIXTURE, "--glossary", "no/such.yaml"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn sarif_and_html_reports() {
    let out = remedy(&["check", "--content", FIXTURE, "--format", "sarif"]);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = common::sarif_schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 16);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules
            .iter()
            .all(|r| !r["help"]["text"].as_str().unwrap().is_empty())
    );
    let r = &run["results"][4];
    assert_eq!(r["ruleId"], "glossary-forbidden");
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "glossary-forbidden"
    );
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 17, "startColumn": 37})
    );

    let out = remedy(&[
        "check",
        "--content",
        FIXTURE,
        "--format",
        "html",
        "--locale",
        "nb-NO",
        "--site-url",
        "http://127.0.0.1:8080",
    ]);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"nb-NO\""));
    assert!(html.contains("<h1>Oversettelseskontroll</h1>"), "{html}");
    assert!(html.contains("<svg class=\"chart\""));
    assert!(!html.contains("<script"), "no script in the report");
    assert!(html.contains("script-src &#39;none&#39;"));
    // Each finding links to its article's page at its section.
    assert!(
        html.contains("href=\"http://127.0.0.1:8080/nb-NO/broken.html#troubleshoot-sync\""),
        "{html}"
    );
    assert!(html.contains("href=\"http://127.0.0.1:8080/nb-NO/broken.html#ferdig\""));
    // Text from the articles is escaped.
    assert!(html.contains("&quot;Azure AD Koble til&quot;"));
}

#[test]
fn the_shipped_content_and_glossary_are_checked() {
    let out = remedy(&["check", "--format", "json", "--fail-on", "never"]);
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_check = report["by_check"].as_object().unwrap();
    // content/glossary.yaml is read by default: the translated product names are found.
    assert!(
        by_check["glossary-forbidden"].as_u64().unwrap() >= 5,
        "{by_check:?}"
    );
    assert_eq!(report["locales"]["nb-NO"]["articles"], 193);
}

// ---------------------------------------------------------------------------------------
// Export and import

fn python_has_translate() -> bool {
    tool(
        "translate-toolkit (pip install translate-toolkit)",
        &["python3", "-c", "import translate.storage.xliff2"],
    )
}

fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `msgfmt -c` accepts the PO file (skipped, loudly, without gettext outside CI).
fn msgfmt_accepts(po: &str) {
    if !tool("msgfmt (Debian gettext)", &["msgfmt", "--version"]) {
        return;
    }
    let out = Command::new("msgfmt")
        .args(["-c", "-o", "/dev/null", po])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "msgfmt -c {po}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `xmllint` validates the file against the DTD (`--dtdvalid`) or XSD (`--schema`) in
/// tests/fixtures/schemas.
fn xmllint_validates(file: &str, how: &str, schema: &str) {
    if !tool("xmllint (Debian libxml2-utils)", &["xmllint", "--version"]) {
        return;
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schemas")
        .join(schema);
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", how, schema.to_str().unwrap(), file])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xmllint {file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How many units translate-toolkit reads in each file.
const COUNT: &str = r#"
import sys
from translate.storage import tmx, pypo, xliff2
kind, path = sys.argv[1], sys.argv[2]
if kind == "tmx":
    store = tmx.tmxfile.parsefile(path)
elif kind == "po":
    store = pypo.pofile.parsefile(path)
else:
    store = xliff2.Xliff2File.parsefile(path)
units = [u for u in store.units if not u.isheader()]
print(len(units), sum(1 for u in units if u.target))
"#;

fn export(content: &str, args: &[&str], out: &str) -> usize {
    let mut all = vec!["export", "--content", content, "--out", out];
    all.extend(args);
    let o = remedy(&all);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(o.status.success(), "{err}");
    // "remedy: N units from …"
    err.lines()
        .last()
        .unwrap_or_default()
        .trim_start_matches("remedy: ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a unit count in {err:?}"))
}

#[test]
fn exports_validate_and_translators_tools_read_them() {
    let scratch = Scratch::new("export-tools");
    let content = "content";
    let tmx = scratch.join("all.tmx");
    let tmx2 = scratch.join("all-inline.tmx");
    let xlf = scratch.join("nb.xlf");
    let po = scratch.join("nl.po");
    let jsonl = scratch.join("all.jsonl");
    let n_tmx = export(
        content,
        &["--format", "tmx", "--target", "nb-NO", "--target", "nl-NL"],
        &tmx,
    );
    let n_tmx2 = export(
        content,
        &[
            "--format", "tmx", "--inline", "--target", "nb-NO", "--target", "nl-NL",
        ],
        &tmx2,
    );
    let n_xlf = export(content, &["--format", "xliff", "--target", "nb-NO"], &xlf);
    let n_po = export(content, &["--format", "po", "--target", "nl-NL"], &po);
    let n_jsonl = export(
        content,
        &[
            "--format", "jsonl", "--target", "nb-NO", "--target", "nl-NL",
        ],
        &jsonl,
    );
    assert_eq!(n_tmx, n_tmx2);
    assert!(
        n_tmx > 1900 && n_tmx < n_jsonl,
        "shared English shares a tu: {n_tmx} of {n_jsonl}"
    );
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    let units: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(units.len(), n_jsonl);
    assert_eq!(
        units.iter().filter(|u| u["locale"] == "nb-NO").count(),
        n_xlf
    );
    assert_eq!(
        units.iter().filter(|u| u["locale"] == "nl-NL").count(),
        n_po
    );

    // Each format's own validator.
    xmllint_validates(&tmx, "--dtdvalid", "tmx14.dtd");
    xmllint_validates(&tmx2, "--dtdvalid", "tmx14.dtd");
    xmllint_validates(&xlf, "--schema", "xliff20/xliff-core-2.0.xsd");
    msgfmt_accepts(&po);
    if python_has_translate() {
        for (kind, file, n) in [
            ("tmx", &tmx, n_tmx),
            ("tmx", &tmx2, n_tmx2),
            ("xliff", &xlf, n_xlf),
            ("po", &po, n_po),
        ] {
            let counted = python(COUNT, &[kind, file]);
            let read: Vec<usize> = counted
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            assert_eq!(read[0], n, "translate-toolkit counts the units of {file}");
        }
    }

    // TMX level 2: the markup as codes, which give the Markdown back with the text.
    let doc = std::fs::read_to_string(&tmx2).unwrap();
    assert!(doc.contains("<bpt i=\"1\" type=\"bold\">**</bpt>"));
    assert!(doc.contains("<ph type=\"x-code\">"));
    let parsed = roxmltree::Document::parse_with_options(
        &doc,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let mut rebuilt = 0;
    for seg in parsed.descendants().filter(|n| n.has_tag_name("seg")) {
        let text: String = seg
            .descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap())
            .collect();
        let tuv = seg.parent().unwrap();
        let lang = tuv
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
            .unwrap();
        let original = if lang == "en-US" {
            units.iter().any(|u| u["source"] == text.as_str())
        } else {
            units
                .iter()
                .any(|u| u["target"] == text.as_str() && u["locale"] == lang)
        };
        assert!(original, "{lang}: {text:?} is not a segment's Markdown");
        rebuilt += 1;
    }
    assert!(rebuilt > n_tmx * 2);

    // Usage errors.
    let out = remedy(&[
        "export", "--format", "xliff", "--target", "nb-NO", "--target", "nl-NL",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("XLIFF 2.0 holds one target language"));
    let out = remedy(&[
        "export", "--format", "po", "--target", "nb-NO", "--source", "de-DE",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// Edits targets with translate-toolkit's own API and saves the file as the toolkit
/// writes it: args are the file, its kind, then (index, new target) pairs.
const EDIT: &str = r#"
import sys
from translate.storage import pypo, xliff2
path, kind = sys.argv[1], sys.argv[2]
store = xliff2.Xliff2File.parsefile(path) if kind == "xliff" else pypo.pofile.parsefile(path)
units = [u for u in store.units if not u.isheader()]
edits = sys.argv[3:]
for i in range(0, len(edits), 2):
    u = units[int(edits[i])]
    u.target = edits[i + 1]
    print(u.getcontext() if kind == "po" else u.getid())
with open(path, "wb") as f:
    f.write(bytes(store))
"#;

#[test]
fn round_trip_through_translate_toolkit_changes_exactly_the_edited_spans() {
    if !python_has_translate() {
        return;
    }
    let scratch = Scratch::new("round-trip");
    let content = scratch.path().join("content");
    copy_tree(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .as_path(),
        &content,
    );
    let content_s = content.to_str().unwrap();
    let before = tree(&content);
    let xlf = scratch.join("nb.xlf");
    let po = scratch.join("nl.po");
    export(content_s, &["--format", "xliff", "--target", "nb-NO"], &xlf);
    export(content_s, &["--format", "po", "--target", "nl-NL"], &po);

    // Targets that keep their English's markup, so the checks still pass on them.
    let nb_edits = python(
        EDIT,
        &[
            &xlf,
            "xliff",
            "5",
            "Under Hallo!-banneret velger du **Endre passord**.",
            "40",
            "For skrivebeskyttet tilgang setter du Read-Only til **Ja** og velger **Legg til**.",
        ],
    );
    let nl_edits = python(
        EDIT,
        &[
            &po,
            "po",
            "3",
            "Selecteer rechtsboven uw naam of profielfoto en kies **Account weergeven**.",
            "100",
            "Beheer-eenheden",
        ],
    );
    let edited: Vec<&str> = nb_edits.lines().chain(nl_edits.lines()).collect();
    assert_eq!(edited.len(), 4);

    // A dry run shows the diff and writes nothing.
    let out = remedy(&["import", "--content", content_s, &xlf, "--dry-run"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("+2. <span data-ttu-id=\"aa21b-106\">"),
        "{diff}"
    );
    assert_eq!(tree(&content), before);

    let out_x = remedy_ok(&["import", "--content", content_s, &xlf, "--json"]);
    let out_p = remedy_ok(&["import", "--content", content_s, &po, "--json"]);
    let rx: Value = serde_json::from_str(&out_x).unwrap();
    let rp: Value = serde_json::from_str(&out_p).unwrap();
    assert_eq!(rx["refused"], serde_json::json!([]));
    assert_eq!(rp["refused"], serde_json::json!([]));

    // Exactly the edited spans changed: the new file is the old one with those targets
    // replaced, every other byte the same.
    let after = tree(&content);
    let changed: Vec<&String> = after.keys().filter(|k| after[*k] != before[*k]).collect();
    assert_eq!(changed.len(), 4, "{changed:?}");
    let mut spans_changed = 0;
    for path in changed {
        let old = Article::parse(
            path.as_str(),
            String::from_utf8(before[path].clone()).unwrap(),
        );
        let new = Article::parse(
            path.as_str(),
            String::from_utf8(after[path].clone()).unwrap(),
        );
        assert_eq!(old.segments().len(), new.segments().len());
        let mut rebuilt = String::new();
        let mut at = 0;
        for (a, b) in old.segments().iter().zip(new.segments()) {
            assert_eq!(old.source_of(a), new.source_of(b));
            if old.target_of(a) != new.target_of(b) {
                spans_changed += 1;
                rebuilt.push_str(&old.original()[at..a.target.start]);
                rebuilt.push_str(new.target_of(b));
                at = a.target.end;
            }
        }
        rebuilt.push_str(&old.original()[at..]);
        assert_eq!(rebuilt, new.original(), "{path}: only targets changed");
    }
    assert_eq!(spans_changed, 4);

    // The checks pass on the new translations.
    let (report, _) = check_json(content_s, &["--fail-on", "never"]);
    let flagged: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}#{}",
                f["path"].as_str().unwrap(),
                f["segment"].as_str().unwrap_or("")
            )
        })
        .collect();
    let mut imported = Vec::new();
    for r in [&rx, &rp] {
        for c in r["changed"].as_array().unwrap() {
            for u in c["units"].as_array().unwrap() {
                imported.push(format!(
                    "{}#{}",
                    c["path"].as_str().unwrap(),
                    u.as_str().unwrap()
                ));
            }
        }
    }
    assert_eq!(imported.len(), 4, "{imported:?}");
    for key in &imported {
        assert!(!flagged.contains(key), "{key} is flagged after the import");
    }
    // And the check does look at those segments: the same article's other findings are
    // keyed the same way.
    assert!(flagged.iter().any(|k| k.contains(".md#")));

    // Importing the same file again changes nothing.
    remedy_ok(&["import", "--content", content_s, &xlf]);
    assert_eq!(tree(&content), after);
}

#[test]
fn import_refuses_what_it_cannot_apply_faithfully() {
    let scratch = Scratch::new("import-refuse");
    let content = scratch.path().join("content");
    copy_tree(common::seeds(), &content);
    let content_s = content.to_str().unwrap();
    let po = scratch.join("nb.po");
    export(content_s, &["--format", "po", "--target", "nb-NO"], &po);
    let text = std::fs::read_to_string(&po).unwrap();
    let before = tree(&content);

    // Three entries edited by hand: new English (msgid), span markup in the target, and a
    // target on a segment that does not exist.
    let mut entries: Vec<String> = text.split("\n\n").map(str::to_owned).collect();
    let pick = |entries: &[String], n: usize| {
        entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.contains("msgctxt") && !e.contains("msgid \"\"\n"))
            .nth(n)
            .map(|(i, _)| i)
            .unwrap()
    };
    let (a, b, c) = (pick(&entries, 0), pick(&entries, 1), pick(&entries, 2));
    entries[a] = entries[a].replacen("msgid \"", "msgid \"Changed English: ", 1);
    entries[a] = replace_msgstr(&entries[a], "Ny tekst");
    entries[b] = replace_msgstr(&entries[b], "Tekst</span> med span");
    entries[c] = entries[c]
        .replacen("#10", "#999", 1)
        .replacen(".md#1", ".md#999", 1);
    entries[c] = replace_msgstr(&entries[c], "Hvor?");
    std::fs::write(&po, entries.join("\n\n")).unwrap();

    let out = remedy(&["import", "--content", content_s, &po]);
    assert_eq!(out.status.code(), Some(1), "refusals exit 1");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "refused: the article's English for this segment is no longer the unit's English"
        ),
        "{err}"
    );
    assert!(
        err.contains("refused: the new text holds span markup"),
        "{err}"
    );
    assert!(
        err.contains("refused: the article has no segment with this id"),
        "{err}"
    );
    assert!(err.contains("3 refused"), "{err}");
    assert_eq!(tree(&content), before, "nothing was written");

    // A broken file is reported with its line and column.
    std::fs::write(&po, "msgctxt \"a.md#1\"\nmsgid \"x\nmsgstr \"y\"\n").unwrap();
    let out = remedy(&["import", "--content", content_s, &po]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("nb.po:2:7: expected a string in double quotes")
    );
    // Paths that leave the content folder are refused.
    std::fs::write(
        &po,
        "msgctxt \"../../etc/passwd.md#1\"\nmsgid \"x\"\nmsgstr \"y\"\n",
    )
    .unwrap();
    let out = remedy(&["import", "--content", content_s, &po]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("not the path of an article below the content folder")
    );
}

fn replace_msgstr(entry: &str, new: &str) -> String {
    let i = entry.find("\nmsgstr ").expect("msgstr");
    format!("{}\nmsgstr \"{new}\"", &entry[..i])
}

#[test]
fn the_span_corpus_exports_and_checks() {
    let Some(spans) = common::corpus("spans") else {
        return;
    };
    let scratch = Scratch::new("corpus-export");
    let spans_s = spans.to_str().unwrap();
    let po = scratch.join("nb.po");
    let n = export(spans_s, &["--format", "po", "--target", "nb-NO"], &po);
    assert!(n > 90_000, "{n}");
    msgfmt_accepts(&po);
    let xlf = scratch.join("nl.xlf");
    export(spans_s, &["--format", "xliff", "--target", "nl-NL"], &xlf);
    xmllint_validates(&xlf, "--schema", "xliff20/xliff-core-2.0.xsd");
}

#[test]
fn the_glossary_finds_every_translated_product_name_in_the_corpus() {
    let Some(corpus) = common::corpus("") else {
        return;
    };
    let glossary = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/glossary.yaml");
    let out = remedy(&[
        "check",
        "--content",
        corpus.to_str().unwrap(),
        "--glossary",
        glossary.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "glossary-forbidden")
        .collect();
    let nb_files: std::collections::BTreeSet<&str> = hits
        .iter()
        .filter(|f| f["locale"] == "nb-NO")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let plain: Vec<&&str> = nb_files
        .iter()
        .filter(|p| p.starts_with("alchemy/"))
        .collect();
    // Every nb-NO article with "Azure AD Koble til" in any spelling, plain translations
    // included (docs/check.md lists them and the precision read by hand).
    assert_eq!(nb_files.len(), 31, "{nb_files:#?}");
    assert_eq!(plain.len(), 23);
    assert_eq!(hits.len(), 169);
}

/// A PO of one unit for `path#id` with `msgid` and `msgstr` (escaped as given).
fn po_unit(path: &str, id: &str, msgid: &str, msgstr: &str) -> String {
    format!("msgctxt \"{path}#{id}\"\nmsgid \"{msgid}\"\nmsgstr \"{msgstr}\"\n")
}

#[test]
fn import_edge_cases_never_crash_or_spill() {
    let scratch = Scratch::new("import-edges");
    let content = scratch.path().join("content");
    copy_tree(Path::new(FIXTURE), &content);
    let content_s = content.to_str().unwrap();
    let before = tree(&content);
    let import = |name: &str, text: &str| {
        let file = scratch.write(name, text);
        let out = remedy(&["import", "--content", content_s, &file]);
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let en = "Choose **Save** in [Settings](https://x/settings).";
    let en_po = en.replace('"', "\\\"");

    // The same segment twice with different text: the second is refused, no crash.
    let twice = format!(
        "{}\n{}",
        po_unit(
            "nb-NO/broken.md",
            "102",
            &en_po,
            "Velg **Lagre** i [Innstillinger](https://x/settings)."
        ),
        po_unit(
            "nb-NO/broken.md",
            "102",
            &en_po,
            "Velg **Lagre** under [Innstillinger](https://x/settings)."
        )
    );
    let (code, err) = import("twice.po", &twice);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("another unit of this file changes the same segment differently"),
        "{err}"
    );
    assert!(err.contains("1 changed in 1 articles"), "{err}");
    std::fs::write(content.join("nb-NO/broken.md"), &before["nb-NO/broken.md"]).unwrap();

    // A | the English does not have would split a table cell; an open code span would
    // run into the hidden English.
    let (code, err) = import(
        "pipe.po",
        &format!(
            "{}\n{}",
            po_unit("nb-NO/table.md", "105", "On", r"P\303\245 | Av"),
            po_unit("nb-NO/table.md", "103", "Value", "`Verdi")
        ),
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("it would split a table cell"), "{err}");
    assert!(err.contains("leaves a code span (`) open"), "{err}");

    // Octal escapes are bytes (UTF-8 é), a BOM is allowed, trailing spaces too.
    let (code, err) = import(
        "bom.po",
        concat!(
            "\u{feff}msgctxt \"nb-NO/table.md#105\"  \n",
            "msgid \"On\"\t\n",
            r#"msgstr "P\303\245 (p\303\245sl\303\245tt)"   "#,
            "\n"
        ),
    );
    assert_eq!(code, Some(0), "{err}");
    let table = std::fs::read_to_string(content.join("nb-NO/table.md")).unwrap();
    assert!(table.contains(">På (påslått)</span>"), "{table}");
    std::fs::write(content.join("nb-NO/table.md"), &before["nb-NO/table.md"]).unwrap();

    // A symbolic link on the way: refused, nothing written through it.
    let outside = scratch.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("x.md"), "untouched").unwrap();
    std::os::unix::fs::symlink(&outside, content.join("nb-NO/linked")).unwrap();
    let (code, err) = import("link.po", &po_unit("nb-NO/linked/x.md", "102", "a", "b"));
    assert_eq!(code, Some(1));
    assert!(err.contains("or a symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(outside.join("x.md")).unwrap(),
        "untouched"
    );
    std::fs::remove_file(content.join("nb-NO/linked")).unwrap();

    // XLIFF: a drifted unit (remedy:drift) is refused; an empty target changes nothing.
    let xlf = scratch.join("nl.xlf");
    export(content_s, &["--format", "xliff", "--target", "nl-NL"], &xlf);
    let text = std::fs::read_to_string(&xlf).unwrap();
    assert!(text.contains("remedy:drift"));
    let edited = text
        .replace(
            "Synchronisatie is ingeschakeld tussen on-premises en uw tenant.</target>",
            "Synchronisatie is ingeschakeld tussen on-premises en uw Office 365-tenant.</target>",
        )
        .replace(">Klaar</target>", "></target>");
    assert_ne!(edited, text);
    let (code, err) = import("nl.xlf", &edited);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("another locale has newer English for this segment"),
        "{err}"
    );
    assert!(err.contains("0 changed in 0 articles"), "{err}");
    assert_eq!(tree(&content), before, "nothing was written");
}

/// The check report and the three exports of the check fixtures, whole, against golden
/// files in `tests/fixtures/golden/` (`REMEDY_BLESS=1` rewrites them): a change to any
/// check, count or exported byte shows here in full.
#[test]
fn golden_check_report_and_exports() {
    let mut differ = Vec::new();
    let report = remedy(&[
        "check",
        "--content",
        FIXTURE,
        "--glossary",
        "tests/fixtures/check/glossary.yaml",
        "--format",
        "json",
    ]);
    differ.extend(crate::common::golden(
        "golden/check-report.json",
        &String::from_utf8_lossy(&report.stdout),
    ));
    for (format, name) in [
        ("tmx", "nb-NO.tmx"),
        ("xliff", "nb-NO.xlf"),
        ("po", "nb-NO.po"),
    ] {
        let out = crate::common::remedy_ok(&[
            "export",
            "--content",
            FIXTURE,
            "--format",
            format,
            "--target",
            "nb-NO",
        ]);
        // The export's own time is the one thing that changes from run to run.
        let out: String = out
            .lines()
            .map(|l| match l.split_once(": ") {
                Some((key @ ("\"POT-Creation-Date" | "\"PO-Revision-Date"), _)) => {
                    format!("{key}: (the export's time)\\n\"\n")
                }
                _ => format!("{l}\n"),
            })
            .collect();
        differ.extend(crate::common::golden(
            &format!("golden/export-{name}"),
            &out,
        ));
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
