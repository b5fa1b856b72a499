//! Invariants over every Markdown file of the real corpus in ../shared/corpus (or
//! $REMEDY_CORPUS). Without the corpus these tests fail under CI=true and are skipped,
//! loudly, elsewhere.

use crate::common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use remedy::article::{Article, ArticleForm};
use remedy::article::{YamlValue, parse_full, parse_simple};

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
        let Some(simple) = parse_simple(yaml, 0) else {
            return;
        };
        let full = parse_full(yaml).expect("the fast path accepts only valid YAML");
        let simple: Vec<(String, YamlValue)> =
            simple.into_iter().map(|e| (e.key, e.value)).collect();
        assert_eq!(simple, full, "{}", a.path().display());
        checked.fetch_add(1, Ordering::Relaxed);
    });
}

/// Characters the machine translation writes as white space that are not ASCII (U+00A0,
/// U+2007, U+202F, U+3000, …).
fn is_wide_space(c: char) -> bool {
    c.is_whitespace() && !c.is_ascii()
}

/// Queries made of `body`'s words near its first three non-ASCII spaces: for each, the
/// three longest words within 60 characters (`3`), and every single word that starts
/// within 80 characters after it (`w`), so that some snippet window opens right before
/// the space, wherever the window's lead puts it.
fn queries_near_wide_spaces(body: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (at, _) in body.match_indices(is_wide_space).take(3) {
        let around = |back: usize, ahead: usize| {
            let from = body[..at]
                .char_indices()
                .rev()
                .nth(back)
                .map_or(0, |(i, _)| i);
            let to = body[at..]
                .char_indices()
                .nth(ahead)
                .map_or(body.len(), |(i, _)| at + i);
            (from, to)
        };
        let words = |from: usize, to: usize| -> Vec<&str> {
            body[from..to]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .collect()
        };
        let (from, to) = around(60, 60);
        let mut longest = words(from, to);
        longest.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        longest.dedup();
        longest.truncate(3);
        if !longest.is_empty() {
            out.push(("3", longest.join(" ")));
        }
        let (_, to) = around(0, 80);
        out.extend(words(at, to).into_iter().map(|w| ("w", w.to_owned())));
    }
    out
}

/// Issue 19: every article of the corpus with a non-ASCII space is searched by three of
/// its own words near that space, in one batch of the real binary per corpus: no query
/// fails (a panic used to end the batch), every hit has a snippet whose highlights lie
/// inside it, and the article itself is mostly found (the words are its own, but many
/// articles share them).
#[test]
fn articles_with_wide_spaces_are_found_with_snippets() {
    let Some(root) = corpus() else { return };
    let _scratch = common::Scratch::new("wide-spaces");
    let scratch = _scratch.path().to_path_buf();
    let mut searched = 0;
    for sub in ["alchemy", "spans/alchemy", "spans/m365", "spans/d365fo"] {
        let content = root.join(sub);
        let (files, errors) = remedy::content::markdown_files(&content);
        assert!(errors.is_empty(), "{errors:?}");
        // id<TAB>query, by locale; the id is the article's path inside its locale.
        let mut queries: std::collections::BTreeMap<String, String> = Default::default();
        for rel in &files {
            let article = remedy::content::load_article(&content, rel).unwrap();
            let body = remedy::index::SearchDocument::of(&article).body;
            let mut parts = rel.iter();
            let locale = parts.next().unwrap().to_string_lossy().into_owned();
            let path = parts.as_path().to_string_lossy().replace('\\', "/");
            for (kind, query) in queries_near_wide_spaces(&body) {
                queries
                    .entry(locale.clone())
                    .or_default()
                    .push_str(&format!("{kind}|{path}\t{query}\n"));
            }
        }
        let index = scratch.join(sub.replace('/', "-"));
        common::build_index(&content, &index);
        for (locale, lines) in &queries {
            let file = scratch.join(format!("{}-{locale}.tsv", sub.replace('/', "-")));
            std::fs::write(&file, lines).unwrap();
            let stdout = common::remedy_ok(&[
                "search",
                "--index",
                index.to_str().unwrap(),
                "--locale",
                locale,
                "--limit",
                "10",
                "--queries",
                file.to_str().unwrap(),
            ]);
            let (mut asked, mut found, mut lines_read) = (0, 0, 0);
            for line in stdout.lines() {
                let record: serde_json::Value = serde_json::from_str(line).unwrap();
                let id = record["id"].as_str().unwrap();
                assert!(
                    record.get("error").is_none(),
                    "{sub} {locale} {id}: {record}"
                );
                let hits = record["hits"].as_array().unwrap();
                for h in hits {
                    let snippet = h["snippet"].as_str().unwrap();
                    assert!(!snippet.is_empty(), "{sub} {locale} {id}: {h}");
                    let chars = snippet.chars().count() as u64;
                    for pair in h["highlights"].as_array().unwrap() {
                        let (x, y) = (pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap());
                        assert!(x < y && y <= chars, "{sub} {locale} {id}: {h}");
                    }
                }
                if let Some(path) = id.strip_prefix("3|") {
                    assert!(!hits.is_empty(), "{sub} {locale} {id}: no hit");
                    asked += 1;
                    found += usize::from(hits.iter().any(|h| h["path"] == path));
                }
                lines_read += 1;
            }
            assert_eq!(
                lines_read,
                lines.lines().count(),
                "{sub} {locale}: a line per query"
            );
            eprintln!(
                "{sub} {locale}: {lines_read} queries; {found} of {asked} three-word queries \
                 found their article"
            );
            // Measured: 74-100 % per corpus and locale; the misses are near-duplicate
            // articles (alchemy's billing and Outlook.com families) that rank above.
            assert!(
                found * 10 >= asked * 6,
                "{sub} {locale}: {found} of {asked}"
            );
            searched += asked;
        }
    }
    assert!(
        searched >= 500,
        "{searched} three-word queries near non-ASCII spaces"
    );
}
