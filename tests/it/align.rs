//! Alignment on the seeds (always) and on the real span corpora in ../shared/corpus (or
//! $REMEDY_CORPUS; these fail under CI=true when the corpus is missing).

use crate::common;

use crate::common::remedy;

use std::path::Path;

use remedy::align::{self, DirOptions, LinkClass, Method, Model, align_keyed};
use remedy::article::Article;
use serde_json::Value;

fn content() -> &'static Path {
    common::seeds()
}

fn seed(rel: &str) -> Article {
    remedy::content::load_article(content(), Path::new(rel)).unwrap()
}

#[test]
fn password_sync_aligns_102_to_110_and_flags_only_108() {
    let nb = seed("nb-NO/password-sync.md");
    let nl = seed("nl-NL/password-sync.md");
    let al = align_keyed(&nb, &nl);
    let keys: Vec<(String, LinkClass)> = al
        .links
        .iter()
        .map(|l| {
            assert_eq!(l.a.len(), 1);
            assert_eq!(nb.segments()[l.a[0]].key, nl.segments()[l.b[0]].key);
            (nb.segments()[l.a[0]].key.to_string(), l.class)
        })
        .collect();
    let expected: Vec<(String, LinkClass)> = (102..=110)
        .map(|k| {
            let class = if k == 108 {
                LinkClass::EnglishChanged
            } else {
                LinkClass::Same
            };
            (k.to_string(), class)
        })
        .collect();
    assert_eq!(keys, expected);
    let drift = al.links[6].drift.as_ref().unwrap();
    assert_eq!(
        drift.marked(),
        "Specifies whether you have password sync enabled between on-premises and your {+Office 365 +}tenant."
    );
    assert!(drift.similarity > 0.85 && drift.similarity < 1.0);
}

#[test]
fn seed_sets_group_by_path_and_pick_the_newest_english() {
    let (result, errors) = align::align_dir(content(), &DirOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    let sets: Vec<(&str, usize)> = result
        .sets
        .iter()
        .map(|s| (s.relative_path.as_str(), s.locales.len()))
        .collect();
    assert_eq!(
        sets,
        [
            ("active-directory-not-syncing.md", 1),
            ("password-sync.md", 2),
            ("password-synchronization.md", 1),
            ("troubleshoot-password-synchronization.md", 1),
        ]
    );
    let sync = &result.sets[1];
    assert_eq!(sync.pairs.len(), 1);
    assert_eq!(sync.pairs[0].method, Method::Keyed);
    assert!(sync.english_from.is_some());
    assert_eq!(result.totals.links.aligned, 9);
    assert_eq!(result.totals.links.english_changed, 1);
}

#[test]
fn cli_align_json_names_the_flagged_segment() {
    let out = remedy(&[
        "align",
        "--content",
        content().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let set = v["sets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["relative_path"] == "password-sync.md")
        .unwrap();
    assert_eq!(set["locales"], serde_json::json!(["nb-NO", "nl-NL"]));
    let pair = &set["pairs"][0];
    assert_eq!(pair["method"], "keyed");
    assert_eq!(pair["counts"]["aligned"], 9);
    assert_eq!(pair["counts"]["english_changed"], 1);
    assert_eq!(pair["counts"]["missing"], 0);
    assert_eq!(pair["counts"]["merged"], 0);
    let links = pair["links"].as_array().unwrap();
    assert_eq!(links.len(), 1, "only 108 is flagged");
    assert_eq!(links[0]["class"], "english-changed");
    assert_eq!(links[0]["a"], serde_json::json!(["108"]));
    assert!(
        links[0]["english_b"]
            .as_str()
            .unwrap()
            .ends_with("your Office 365 tenant.")
    );
    assert_eq!(v["totals"]["identical_pairs"], 0);
}

#[test]
fn cli_align_one_article_lists_every_link() {
    let out = remedy(&["align", "--article", "nl-NL/password-sync.md"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for k in 102..=110 {
        assert!(
            text.contains(&format!(" {k} → {k} ")),
            "{k} missing:\n{text}"
        );
    }
    assert_eq!(text.matches("english-changed 108 → 108").count(), 1);
    assert!(text.contains("{+Office 365 +}"));
}

#[test]
fn cli_align_unknown_article_or_folder_is_a_data_error() {
    let out = remedy(&["align", "--article", "nb-NO/nope.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nb-NO/nope.md: no such article"));
    let out = remedy(&["align", "--content", "no-such-dir"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_span_article_and_a_plain_translation_align_by_structure() {
    // nb-NO keeps its spans; nl-NL is the plain text of the nl span article (spans
    // stripped), as a plain translation would arrive.
    let scratch = crate::common::Scratch::new("align-mixed");
    let dir = scratch.path().to_path_buf();
    std::fs::create_dir_all(dir.join("nb-NO")).unwrap();
    std::fs::create_dir_all(dir.join("nl-NL")).unwrap();
    let nb = std::fs::read_to_string(content().join("nb-NO/password-sync.md")).unwrap();
    std::fs::write(dir.join("nb-NO/password-sync.md"), nb).unwrap();
    let nl = seed("nl-NL/password-sync.md")
        .target_markdown()
        .into_owned();
    std::fs::write(dir.join("nl-NL/password-sync.md"), nl).unwrap();

    let out = remedy(&[
        "align",
        "--content",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pair = &v["sets"][0]["pairs"][0];
    assert_eq!(pair["method"], "structure");
    assert_eq!(pair["counts"]["missing"], 0);
    // Nine segments; the plain side may split a segment into sentences differently.
    assert!(pair["counts"]["aligned"].as_u64().unwrap() >= 8, "{pair}");
    assert!(pair["confidence"].as_f64().unwrap() > 0.5);
}

#[test]
fn alchemy_agrees_with_the_independent_count() {
    let Some(dir) = common::corpus("spans/alchemy") else {
        return;
    };
    let (result, errors) = align::align_dir(&dir, &DirOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    let t = &result.totals;
    assert_eq!(t.multilingual_sets, 2910);
    assert_eq!(t.keyed_pairs, 2910);
    // SOURCE.md: identical (key, English) sequences in 2,884 of 2,910 articles.
    assert_eq!(t.identical_pairs, 2884);
    // One GUID shared by 14 articles is among the collisions, grouped by path instead.
    assert!(result.problems.iter().any(|p| p.paths.len() == 28));
}

#[test]
fn plain_aligner_reaches_097_on_both_span_corpora() {
    for sub in ["spans/alchemy", "spans/d365fo"] {
        let Some(dir) = common::corpus(sub) else {
            return;
        };
        let (score, errors) = align::evaluate_dir(&dir, &Model::default());
        assert!(errors.is_empty(), "{errors:?}");
        eprintln!(
            "{sub}: P {:.4} R {:.4} F1 {:.4} ({:?})",
            score.precision(),
            score.recall(),
            score.f1(),
            score
        );
        assert!(score.article_pairs >= 983);
        assert!(
            score.precision() >= 0.97,
            "{sub} precision {}",
            score.precision()
        );
        assert!(score.recall() >= 0.97, "{sub} recall {}", score.recall());
    }
}

#[test]
fn merged_ids_in_m365_are_found() {
    let Some(dir) = common::corpus("spans/m365") else {
        return;
    };
    let options = DirOptions {
        article: Some("microsoft-365/business/get-microsoft-365-business.md".into()),
        detail: Some(align::Detail::All),
    };
    let (result, _) = align::align_dir(&dir, &options);
    let pair = &result.sets[0].pairs[0];
    let merged: Vec<_> = pair.links.iter().filter(|l| l.class == "merged").collect();
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].a, ["113", "114"]);
    assert_eq!(merged[0].b, ["p101"]);
    assert!(
        merged[0].diff.is_none(),
        "the p101 English is 113 and 114 joined"
    );
}

/// The text for people: a line per pair, the links of one article with their English, and
/// the totals.
#[test]
fn human_output_has_pairs_links_and_totals() {
    let out = crate::common::remedy_ok(&["align", "--article", "nb-NO/password-sync.md"]);
    assert!(
        out.contains("password-sync.md  nb-NO nl-NL  keyed  aligned "),
        "{out}"
    );
    assert!(out.contains("        en: "), "{out}");
    assert!(out.contains("links: aligned "), "{out}");
    assert!(out.contains("1 set (1 with several locales)"), "{out}");
}
