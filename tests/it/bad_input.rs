//! Bad input, case by case, with the real binary: each case says what was wrong at which
//! file, line and column, gets its exit code, and costs nothing around it — the good
//! article beside the bad ones is still read and indexed, the good records around a broken
//! one are still advised. (HTTP requests that are slow, huge, truncated or malformed are in
//! tests/it/serve.rs.)

use crate::common::{Scratch, all_output, piped, remedy};

const FM: &str = "---\ntitle: God\nms.contentlocale: nb-NO\n---\n\n";

fn pair(k: u32, target: &str, source: &str) -> String {
    format!(
        "<span data-ttu-id=\"abcde-{k}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-{k}\">{source}</span></span>"
    )
}

/// (file, bytes, what `inspect --diagnostics` or the skip message says about it; `None`:
/// nothing, it reads cleanly).
fn article_cases() -> Vec<(&'static str, Vec<u8>, Option<&'static str>)> {
    let good = format!("{FM}# Uvanlig godartikkel\n\nPassord synkroniseres ikke.\n");
    vec![
        ("good.md", good.clone().into_bytes(), None),
        (
            "truncated-front-matter.md",
            b"---\ntitle: Avkortet\nms.contentlocale: nb-NO\n".to_vec(),
            Some("truncated-front-matter.md:1:1: error[front-matter-unclosed]: front matter opened with `---` is never closed"),
        ),
        (
            "yaml-error.md",
            b"---\ntitle: [unclosed\nms.contentlocale: nb-NO\n---\n\n# X\n".to_vec(),
            Some("yaml-error.md:3:17: error[front-matter-yaml]: front matter is not a YAML mapping"),
        ),
        (
            "bad-asset-id.md",
            b"---\nms.assetid: [a, b]\nms.contentlocale: nb-NO\n---\n\nTekst.\n".to_vec(),
            Some("bad-asset-id.md:2:13: warning[invalid-asset-id]"),
        ),
        (
            "bad-locale.md",
            b"---\nms.contentlocale: norsk bokm\xc3\xa5l\n---\n\nTekst.\n".to_vec(),
            Some("bad-locale.md:2:19: warning[invalid-locale]"),
        ),
        (
            "not-utf8.md",
            [FM.as_bytes(), b"Tekst \xff\xfe her\n"].concat(),
            Some("not-utf8.md:6:7: not UTF-8 text (invalid byte 0xff); the article is skipped"),
        ),
        (
            "binary.md",
            (0..=255u8).cycle().take(2048).collect(),
            Some("binary.md:2:118: not UTF-8 text (invalid byte 0x80); the article is skipped"),
        ),
        ("bom.md", [b"\xef\xbb\xbf".as_slice(), good.as_bytes()].concat(), None),
        ("crlf.md", good.replace('\n', "\r\n").into_bytes(), None),
        (
            "nul.md",
            format!("{FM}Tekst\0med NUL\n").into_bytes(),
            None,
        ),
        (
            "empty.md",
            Vec::new(),
            Some("empty.md:1:1: info[no-front-matter]"),
        ),
        (
            "only-dashes.md",
            b"---\n".to_vec(),
            Some("only-dashes.md:1:1: error[front-matter-unclosed]"),
        ),
        (
            "unclosed-target.md",
            format!("{FM}<span data-ttu-id=\"abcde-102\">Uten slutt<span class=\"sxs-lookup\"><span data-stu-id=\"abcde-102\">No end</span></span>\n").into_bytes(),
            Some("unclosed-target.md:6:41: warning[span-target-unclosed]"),
        ),
        (
            "mismatched-ids.md",
            format!("{FM}<span data-ttu-id=\"abcde-102\">Tekst</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-103\">Text</span></span>\n").into_bytes(),
            Some("mismatched-ids.md:6:43: warning[span-id-mismatch]"),
        ),
        (
            "orphan-source.md",
            format!("{FM}Tekst <span class=\"sxs-lookup\"><span data-stu-id=\"abcde-104\">English</span></span>\n").into_bytes(),
            Some("orphan-source.md:6:20: error[span-orphan-source]"),
        ),
        (
            "no-partner.md",
            format!("{FM}<span data-ttu-id=\"abcde-105\">Alene</span> og mer tekst.\n").into_bytes(),
            Some("no-partner.md:6:1: error[span-without-partner]"),
        ),
        (
            "unclosed-source.md",
            format!("{FM}<span data-ttu-id=\"abcde-106\">Mål</span><span class=\"sxs-lookup\"><span data-stu-id=\"abcde-106\">Source without end\n").into_bytes(),
            Some("unclosed-source.md:6:"),
        ),
        (
            "malformed-id.md",
            format!("{FM}<span data-ttu-id=\"\">Tom id</span><span class=\"sxs-lookup\"><span data-stu-id=\"\">Empty</span></span>\n").into_bytes(),
            Some("malformed-id.md:6:"),
        ),
        (
            "nested-lists.md",
            format!("{FM}{}dypt\n", "- ".repeat(10_000)).into_bytes(),
            None,
        ),
        (
            "nested-quotes.md",
            format!("{FM}{} dypt\n", ">".repeat(10_000)).into_bytes(),
            None,
        ),
        (
            "many-spans.md",
            format!(
                "{FM}{}\n",
                (0..100_000)
                    .map(|k| pair(k, "mål", "target"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
            .into_bytes(),
            None,
        ),
        (
            "long-line.md",
            format!("{FM}{}\n", "ord ".repeat(500_000)).into_bytes(),
            None,
        ),
    ]
}

#[test]
fn bad_articles_are_named_and_the_good_one_still_indexed() {
    let scratch = Scratch::new("bad-articles");
    let content = scratch.path().join("content");
    std::fs::create_dir_all(content.join("nb-NO")).unwrap();
    let cases = article_cases();
    for (name, bytes, _) in &cases {
        std::fs::write(content.join("nb-NO").join(name), bytes).unwrap();
    }
    // A symbolic link loop is not followed.
    std::os::unix::fs::symlink(".", content.join("nb-NO/loop")).unwrap();
    let content_s = content.to_str().unwrap();

    let out = remedy(&["inspect", "--content", content_s, "--diagnostics"]);
    assert!(out.status.success());
    let said = all_output(&out);
    for (name, _, expect) in &cases {
        match expect {
            Some(e) => assert!(said.contains(e), "{name}: expected {e:?} in\n{said}"),
            None => assert!(
                !said.contains(&format!("nb-NO/{name}:")),
                "{name} should read cleanly:\n{said}"
            ),
        }
    }

    // Every readable article is indexed, the good one is found.
    let index = scratch.join("index");
    let out = remedy(&["index", "--content", content_s, "--index", &index]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = all_output(&out);
    let readable = cases.len() - 2;
    assert!(
        said.contains(&format!("nb-NO: {readable} documents")),
        "{said}"
    );
    assert!(said.contains("binary.md:2:118: not UTF-8 text"), "{said}");
    let out = remedy(&[
        "search",
        "--index",
        &index,
        "--locale",
        "nb-NO",
        "--format",
        "json",
        "uvanlig godartikkel",
    ]);
    let hits = String::from_utf8_lossy(&out.stdout);
    assert!(hits.contains("\"path\":\"good.md\""), "{hits}");

    // The checks run over all of it; the two unreadable files fail the gate.
    let out = remedy(&["check", "--content", content_s, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 unreadable files"), "{err}");
}

#[test]
fn a_50_mb_article_is_indexed_whole_beside_a_small_one() {
    let scratch = Scratch::new("big-article");
    let content = scratch.path().join("content");
    std::fs::create_dir_all(content.join("nb-NO")).unwrap();
    let good = format!("{FM}# Uvanlig godartikkel\n\nPassord synkroniseres ikke.\n");
    std::fs::write(content.join("nb-NO/good.md"), &good).unwrap();
    let words = [
        "passordet",
        "synkroniseres",
        "ikke",
        "brukeren",
        "kan",
        "logge",
        "på",
        "tjenesten",
        "stoppet",
        "kontoen",
        "er",
        "låst",
        "tilbakestill",
        "administratoren",
    ];
    let mut big = String::from("---\ntitle: Stor\nms.contentlocale: nb-NO\n---\n\n");
    let mut k = 0usize;
    while big.len() < 50 << 20 {
        k += 1;
        if k % 50 == 1 {
            big.push_str(&format!("## Del {k}\n\n"));
        }
        for i in 0..30 {
            big.push_str(words[(k * 7 + i * 3) % words.len()]);
            big.push(' ');
        }
        big.push_str(".\n\n");
    }
    // The last words: found only if the whole article was indexed.
    big.push_str("Helt til slutt: kvitteringsordet.\n");
    std::fs::write(content.join("nb-NO/big.md"), &big).unwrap();
    let content_s = content.to_str().unwrap();
    let index = scratch.join("index");

    let out = remedy(&["index", "--content", content_s, "--index", &index]);
    let said = all_output(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("nb-NO: 2 documents"), "{said}");
    for (query, path) in [("kvitteringsordet", "big.md"), ("godartikkel", "good.md")] {
        let out = remedy(&[
            "search", "--index", &index, "--locale", "nb-NO", "--format", "json", query,
        ]);
        let hits = String::from_utf8_lossy(&out.stdout);
        assert!(
            hits.contains(&format!("\"path\":\"{path}\"")),
            "{query}: {hits}"
        );
    }
    let out = remedy(&["check", "--content", content_s, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs the real binary as an ordinary user: root reads files whatever their mode, and
/// the tests run as root in containers. (Not root: as the user the test runs as.)
fn as_ordinary_user(args: &[&str]) -> std::process::Output {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_remedy"));
    command.env("REMEDY_MODEL", crate::common::NO_MODEL);
    command.args(args);
    if std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
        // `nobody`.
        command.uid(65534).gid(65534);
    }
    command.output().expect("the remedy binary runs")
}

#[test]
fn unreadable_files_and_folders_are_named_and_the_rest_indexed() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = Scratch::new("unreadable");
    let content = scratch.path().join("content");
    let good = format!("{FM}# Uvanlig godartikkel\n\nPassord synkroniseres ikke.\n");
    std::fs::create_dir_all(content.join("nb-NO/closed")).unwrap();
    std::fs::write(content.join("nb-NO/good.md"), &good).unwrap();
    std::fs::write(content.join("nb-NO/locked.md"), &good).unwrap();
    std::fs::write(content.join("nb-NO/closed/inner.md"), &good).unwrap();
    let mode = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    // The index and the site are written beside the content, by the ordinary user.
    mode(scratch.path(), 0o777);
    mode(&content.join("nb-NO/locked.md"), 0o000);
    mode(&content.join("nb-NO/closed"), 0o000);
    let content_s = content.to_str().unwrap();
    let locked = format!("{content_s}/nb-NO/locked.md: cannot be read (Permission denied");
    let closed = format!("{content_s}/nb-NO/closed: cannot be listed (Permission denied");

    let index = scratch.join("index");
    let site = scratch.join("site");
    for args in [
        vec!["index", "--content", content_s, "--index", &index],
        vec!["inspect", "--content", content_s, "--diagnostics"],
        vec!["site", "--content", content_s, "--out", &site],
        vec!["check", "--content", content_s],
    ] {
        let out = as_ordinary_user(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&locked), "{args:?}: {err}");
        assert!(err.contains(&closed), "{args:?}: {err}");
        assert!(err.contains("the articles in it are skipped"), "{err}");
        // An article that cannot be read fails the translation checks, nothing else.
        let code = if args[0] == "check" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    }
    let out = as_ordinary_user(&[
        "search",
        "--index",
        &index,
        "--locale",
        "nb-NO",
        "--format",
        "json",
        "godartikkel",
    ]);
    let hits = String::from_utf8_lossy(&out.stdout);
    assert!(hits.contains("\"path\":\"good.md\""), "{hits}");
    assert!(!hits.contains("locked.md"), "{hits}");
    assert!(
        std::path::Path::new(&site)
            .join("nb-NO/good.html")
            .is_file()
    );
    // Open again, so that the scratch folder can be removed by whoever runs the tests.
    mode(&content.join("nb-NO/closed"), 0o755);
}

#[test]
fn broken_findings_are_named_and_the_rest_advised() {
    // A broken line in the middle of JSON lines.
    let out = piped(
        &["advise", "--locale", "nb"],
        "{\"code\":\"phs.stale\",\"params\":{\"days\":6}}\n{\"code\": broken\n{\"code\":\"dirsync.no-recent-sync\"}\n",
    );
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2, column 10: not JSON (expected value); passed through as it was"),
        "{err}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("\"advice\":{"))
            .count(),
        2
    );
    assert!(
        stdout.lines().nth(1) == Some("{\"code\": broken"),
        "kept as it was"
    );

    // SARIF with wrong types: said where, and kept.
    let out = piped(
        &["advise", "--locale", "nb"],
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":5}},"results":"nope"},{"results":[3,{"ruleId":"phs.stale"}]}]}"#,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SARIF `runs[0].results`: expected an array of results, found a string"),
        "{err}"
    );
    assert!(
        err.contains("SARIF `runs[1].results[0]`: expected an object, found a number"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"results\":\"nope\""));

    // A JSON array with a record that is not an object; invalid UTF-8 in a line; nothing.
    let out = piped(
        &["advise", "--locale", "nb"],
        "[{\"code\":\"phs.stale\"}, 7]",
    );
    assert!(out.status.success());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_remedy"))
        .env("REMEDY_MODEL", crate::common::NO_MODEL)
        .args(["advise", "--locale", "nb", "tests/fixtures/README.md"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "a text file is passed through, line by line"
    );
    let out = piped(&["advise", "--locale", "nb"], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 records"));
}

#[test]
fn broken_templates_glossaries_and_translation_files_name_their_place() {
    let scratch = Scratch::new("bad-files");
    std::fs::create_dir_all(scratch.path().join("tpl")).unwrap();
    let cases: Vec<(Vec<&str>, &str, &str, &str, i32)> = vec![
        (
            vec!["guide", "--locale", "nb", "--templates"],
            "tpl/guide.html.j2",
            "{% extends \"base.html.j2\" %}\n{% block main %}{{ guide.title | nosuchfilter }}{% endblock %}\n",
            "guide.html.j2:2: ",
            1,
        ),
        (
            vec!["guide", "--locale", "nb", "--templates"],
            "tpl/guide.html.j2",
            "{% extends \"base.html.j2\" %}\n{% block main %}\n{% for x in %}{% endblock %}\n",
            "guide.html.j2:3: ",
            1,
        ),
        (
            vec!["check", "--glossary"],
            "g.yaml",
            "terms:\n  - term: X\n    forbidden:\n      nb NO: [Y]\n",
            "g.yaml:4:7: \"nb NO\" is not a locale",
            1,
        ),
        (
            vec!["check", "--glossary"],
            "g.yaml",
            "terms: [\n",
            "g.yaml:1:8: not a valid glossary: unclosed bracket",
            1,
        ),
        (
            vec!["check", "--glossary"],
            "g.yaml",
            "suppress:\n  - check: untranslated\n    files: ['a/[']\n",
            "g.yaml:3:13: ",
            1,
        ),
        (
            vec!["import", "--content", "tests/fixtures/check"],
            "t.po",
            "msgctxt \"a.md#1\"\nmsgid \"x\nmsgstr \"y\"\n",
            "t.po:2:7: expected a string in double quotes",
            1,
        ),
        (
            vec!["import", "--content", "tests/fixtures/check"],
            "t.po",
            "msgctxt \"a.md#1\"\nmsgid \"x\"\nmsgfoo \"y\"\n",
            "t.po:3:1: expected msgctxt, msgid or msgstr",
            1,
        ),
        (
            vec!["import", "--content", "tests/fixtures/check"],
            "t.xlf",
            "<xliff version=\"2.0\">\n  <file a=1/>",
            "t.xlf:2:11: not well-formed XML",
            1,
        ),
        (
            vec!["import", "--content", "tests/fixtures/check"],
            "t.xlf",
            "<?xml version=\"1.0\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\"/>",
            "t.xlf:2:1: expected an XLIFF 2.0 document",
            1,
        ),
    ];
    for (args, file, text, expect, code) in cases {
        let path = scratch.write(file, text);
        let mut all: Vec<&str> = args.clone();
        let input = if file.starts_with("tpl/") {
            all.push(path.strip_suffix("/guide.html.j2").unwrap());
            "{\"code\":\"phs.stale\"}\n"
        } else {
            all.push(&path);
            if args[0] == "check" {
                all.extend(["--content", "tests/fixtures/check"]);
            }
            ""
        };
        let out = piped(&all, input);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{all:?}: {err}");
        assert!(
            err.contains(expect),
            "{all:?}: expected {expect:?} in {err}"
        );
    }
}

#[test]
fn a_damaged_index_is_a_data_error_said_once() {
    let scratch = Scratch::new("damaged-index");
    let index = scratch.join("index");
    crate::common::build_index(
        std::path::Path::new("content"),
        std::path::Path::new(&index),
    );
    std::fs::write(format!("{index}/nb-NO/meta.json"), "garbage\n").unwrap();
    let out = remedy(&["search", "--index", &index, "--locale", "nb-NO", "passord"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("nb-NO: Data corrupted"), "{err}");
    assert!(err.contains("meta.json"), "{err}");
    // The cause is in the message already: not repeated after it.
    assert_eq!(err.matches("cannot be deserialized").count(), 1, "{err}");
    // A flag's bad value is the command line's fault: exit 2.
    let out = remedy(&["search", "--index", &index, "--locale", "xx--", "passord"]);
    assert_eq!(out.status.code(), Some(2));
}
