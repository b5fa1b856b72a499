//! Invariants over every Markdown file of the real corpus in ../shared/corpus (or
//! $REMEDY_CORPUS). Without the corpus these tests fail under CI=true and are skipped,
//! loudly, elsewhere.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use remedy::article::front_matter::{self, YamlValue};
use remedy::article::{Article, ArticleForm};

fn corpus() -> Option<PathBuf> {
    common::corpus("")
}

/// Every article of the corpus, parsed in parallel, handed to `check`.
fn for_each_article(check: impl Fn(&Article) + Sync) -> usize {
    let Some(root) = corpus() else { return 0 };
    let (files, errors) = remedy::content::markdown_files(&root);
    assert!(errors.is_empty(), "{errors:?}");
    files.par_iter().for_each(|rel| {
        let article = remedy::content::load_article(&root, rel).unwrap();
        check(&article);
    });
    files.len()
}

#[test]
fn every_file_round_trips_and_every_span_id_is_accounted_for() {
    let segments = AtomicUsize::new(0);
    let broken = AtomicUsize::new(0);
    let files = for_each_article(|a| {
        assert_eq!(
            a.emit(),
            a.original(),
            "{} does not round-trip",
            a.path().display()
        );
        if a.form() == ArticleForm::Bilingual {
            assert_eq!(
                a.span_attributes(),
                a.segments().len() + a.broken_pairs(),
                "{}: data-ttu-id count != segments + broken",
                a.path().display()
            );
            segments.fetch_add(a.segments().len(), Ordering::Relaxed);
        }
        broken.fetch_add(a.broken_pairs(), Ordering::Relaxed);
        // Ranges are ordered and inside the text, whatever the input.
        for s in a.segments() {
            assert!(s.range.start <= s.target.start && s.target.end <= s.range.end);
        }
    });
    if files > 0 {
        assert!(files >= 14_000, "{files} files");
        // EDGE-CASES.md counts 215,944 `data-ttu-id="` in the articles; `&quot;`-quoted
        // ones come on top.
        assert!(segments.load(Ordering::Relaxed) >= 215_944);
        // The only broken pairs are the span syntax quoted in the corpus's own docs.
        assert_eq!(broken.load(Ordering::Relaxed), 13);
    }
}

#[test]
fn target_views_hold_no_hidden_english() {
    for_each_article(|a| {
        // Broken pairs and orphan English are reported and kept as written (only the
        // corpus's own docs, which quote span syntax, have them).
        let kept_as_written = a.diagnostics().iter().any(|d| {
            d.kind.is_broken_pair() || d.kind == remedy::article::DiagnosticKind::SpanOrphanSource
        });
        if a.form() != ArticleForm::Bilingual || kept_as_written {
            return;
        }
        let target = a.target_markdown();
        assert!(
            !target.contains("class=\"sxs-lookup\""),
            "{}",
            a.path().display()
        );
        assert!(!target.contains("data-ttu-id="), "{}", a.path().display());
    });
}

#[test]
fn front_matter_fast_path_agrees_with_serde_saphyr() {
    let checked = AtomicUsize::new(0);
    for_each_article(|a| {
        let Some(fm) = a.front_matter() else { return };
        let yaml = &a.original()[fm.yaml.clone()];
        let Some(simple) = front_matter::parse_simple(yaml, 0) else {
            return;
        };
        let full = front_matter::parse_full(yaml).expect("the fast path accepts only valid YAML");
        let simple: Vec<(String, YamlValue)> =
            simple.into_iter().map(|e| (e.key, e.value)).collect();
        assert_eq!(simple, full, "{}", a.path().display());
        checked.fetch_add(1, Ordering::Relaxed);
    });
}
