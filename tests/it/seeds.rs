//! Facts about the seed articles in content/, through the library and the real binary.

use crate::common;

use crate::common::remedy;

use std::path::Path;

use remedy::article::{Article, ArticleForm, SegmentKey};

fn content() -> &'static Path {
    common::seeds()
}

fn seed(rel: &str) -> Article {
    remedy::content::load_article(content(), Path::new(rel)).unwrap()
}

fn english_of(a: &Article, key: u32) -> &str {
    let s = a
        .segments()
        .iter()
        .find(|s| s.key == SegmentKey::Sentence(key))
        .unwrap();
    a.source_of(s).unwrap()
}

#[test]
fn password_sync_nb_has_segments_102_to_110() {
    let a = seed("nb-NO/password-sync.md");
    let keys: Vec<String> = a.segments().iter().map(|s| s.key.to_string()).collect();
    assert_eq!(keys, (102..=110).map(|k| k.to_string()).collect::<Vec<_>>());
    assert_eq!(
        english_of(&a, 108),
        "Specifies whether you have password sync enabled between on-premises and your tenant."
    );
    assert_eq!(
        a.asset_id().unwrap().to_string(),
        "7aa9628f-c551-4d73-b966-29f47c2b3f43"
    );
    assert!(a.diagnostics().is_empty(), "{:?}", a.diagnostics());
}

#[test]
fn password_sync_nl_has_the_older_english() {
    let a = seed("nl-NL/password-sync.md");
    assert_eq!(
        english_of(&a, 108),
        "Specifies whether you have password sync enabled between on-premises and your Office 365 tenant."
    );
    assert_eq!(a.locale().unwrap().to_string(), "nl-NL");
}

#[test]
fn target_view_of_password_sync_has_no_english() {
    let a = seed("nb-NO/password-sync.md");
    let target = a.target_markdown();
    for s in a.segments() {
        let english = a.source_of(s).unwrap();
        assert!(!target.contains(english), "{english}");
    }
    assert!(!target.contains("sxs-lookup") && !target.contains("data-ttu-id"));
    assert!(
        target.contains("Angir om du har passordsynkronisering aktivert mellom lokale og leier.")
    );
}

#[test]
fn source_view_is_the_english_article() {
    let a = seed("nb-NO/troubleshoot-password-synchronization.md");
    let en = a.source_markdown().unwrap();
    assert!(en.contains("# <a name=\"troubleshoot-password-synchronization\"></a>Troubleshoot password synchronization\n"));
    assert!(en.contains("ms.contentlocale: en-US\n") && !en.contains("ms.translationtype"));
    // The title was translated outside the spans; the heading's English stands in for it.
    assert!(
        en.contains("title: \"Troubleshoot password synchronization\"\n"),
        "{en}"
    );
    assert!(!en.contains("Feilsøke"));
}

#[test]
fn plain_seed_gets_structural_segments() {
    let a = seed("nb-NO/password-synchronization.md");
    assert_eq!(a.form(), ArticleForm::Plain);
    assert!(a.asset_id().is_none());
    let keys: Vec<String> = a.segments().iter().map(|s| s.key.to_string()).collect();
    assert_eq!(keys[0], "password-synchronization/h");
    assert!(
        keys.contains(&"password-synchronization/l1.i4.p1".to_owned()),
        "{keys:?}"
    );
    let item = a
        .segments()
        .iter()
        .find(|s| s.key.to_string() == "password-synchronization/l1.i4.p1")
        .unwrap();
    assert!(
        a.target_of(item)
            .starts_with("Azure AD Koble til-serveren er for øyeblikket i oppsamlingsmodus")
    );
}

#[test]
fn every_seed_round_trips() {
    let (articles, errors) = remedy::content::load_dir(content());
    assert!(errors.is_empty());
    assert_eq!(articles.len(), 5);
    for a in &articles {
        assert_eq!(a.emit(), a.original());
    }
}

#[test]
fn cli_inspect_json() {
    let out = remedy(&[
        "inspect",
        "content/nb-NO/password-sync.md",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["locale"], "nb-NO");
    assert_eq!(v["form"], "bilingual");
    assert_eq!(v["segments"].as_array().unwrap().len(), 9);
    assert_eq!(v["segments"][6]["key"], "108");
    assert_eq!(v["segments"][6]["handoff"], "90cf8");
    assert_eq!(v["segments"][0]["block_kind"], "heading");
    assert_eq!(
        v["front_matter"]["asset_id"],
        "7aa9628f-c551-4d73-b966-29f47c2b3f43"
    );
    assert_eq!(v["front_matter"]["translation_type"], "MT");
}

#[test]
fn cli_inspect_human() {
    let out = remedy(&["inspect", "content/nb-NO/password-sync.md"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("segments (9)"));
    assert!(text.contains("90cf8-108"));
}

#[test]
fn cli_views() {
    let original = remedy(&[
        "inspect",
        "content/nb-NO/password-sync.md",
        "--view",
        "original",
    ]);
    assert_eq!(
        original.stdout,
        std::fs::read("content/nb-NO/password-sync.md").unwrap()
    );
    let source = remedy(&[
        "inspect",
        "content/nb-NO/password-sync.md",
        "--view",
        "source",
    ]);
    assert!(
        String::from_utf8(source.stdout)
            .unwrap()
            .contains("Enable Password Sync")
    );
    let text = remedy(&[
        "inspect",
        "content/nb-NO/password-sync.md",
        "--view",
        "text",
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("Aktiver synkronisering av passord\n"));
    assert!(!text.contains("**") && !text.contains("<span"));
}

#[test]
fn cli_source_view_of_a_plain_article_is_a_usage_error() {
    let out = remedy(&[
        "inspect",
        "content/nb-NO/password-synchronization.md",
        "--view",
        "source",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no English source"));
}

#[test]
fn cli_missing_file_is_a_data_error() {
    let out = remedy(&["inspect", "content/nb-NO/nope.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/nb-NO/nope.md"));
}

#[test]
fn cli_summary_of_content() {
    let out = remedy(&[
        "inspect",
        "--content",
        content().to_str().unwrap(),
        "--summary",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"], 5);
    assert_eq!(v["bilingual"], 4);
    // 9 + 9 + 12 + 6 span segments, and the plain article's structural ones.
    assert!(v["segments"].as_u64().unwrap() > 36);
    assert_eq!(v["broken_pairs"], 0);
    assert_eq!(
        v["diagnostics"]["invalid-asset-id"],
        serde_json::Value::Null
    );
}

#[test]
fn cli_not_utf8_is_reported_with_position() {
    let scratch = common::Scratch::new("seeds-utf8");
    let dir = scratch.path().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.md");
    std::fs::write(&file, b"# ok\nab\xff\n").unwrap();
    let out = remedy(&["inspect", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.md:2:3: not UTF-8"));
    // In a folder, the bad file is reported and skipped, the others are read.
    std::fs::write(dir.join("good.md"), "# fine\n").unwrap();
    let out = remedy(&[
        "inspect",
        "--content",
        dir.to_str().unwrap(),
        "--summary",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["articles"].as_u64(), v["unreadable"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.md:2:3"));
    std::fs::remove_dir_all(&dir).unwrap();
}
