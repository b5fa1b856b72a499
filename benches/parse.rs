//! Parse throughput over a whole corpus, on one core.
//!
//! `cargo bench --bench parse` reads every `*.md` under `$REMEDY_CORPUS` (default
//! `../shared/corpus`; the committed `content/` without it) into memory, then parses all of them on one thread, several rounds,
//! and prints MB/s per stage. Target: >= 100 MB/s per core for `Article::parse`.

use std::path::PathBuf;
use std::time::Instant;

use remedy::article::Article;

mod common;

fn main() {
    let root = common::corpus_or_content("");
    let (files, errors) = remedy::content::markdown_files(&root);
    assert!(
        errors.is_empty() && !files.is_empty(),
        "no corpus at {}",
        root.display()
    );
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(root.join(&rel)).expect("UTF-8 corpus file");
            (rel, text)
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {} files, {mb:.1} MB, {}",
        texts.len(),
        root.display()
    );

    let rounds: usize = std::env::var("REMEDY_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let mut best = f64::MAX;
    let mut segments = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        segments = 0;
        for (path, text) in &texts {
            let a = Article::parse(path.clone(), text.clone());
            segments += a.segments().len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "Article::parse     {:>7.1} MB/s  ({best:.3} s, {segments} segments, best of {rounds})",
        mb / best
    );

    let stage = |name: &str, f: &dyn Fn(&str) -> usize| {
        let start = Instant::now();
        let mut n = 0;
        for (_, text) in &texts {
            n += f(text);
        }
        let s = start.elapsed().as_secs_f64();
        println!("  {name:<17}{:>7.1} MB/s  ({s:.3} s)", mb / s);
        n
    };
    stage("span scan", &|t| remedy::article::scan(t).pairs.len());
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_GFM
        | pulldown_cmark::Options::ENABLE_FOOTNOTES;
    stage("pulldown-cmark", &|t| {
        pulldown_cmark::Parser::new_ext(t, options)
            .into_offset_iter()
            .count()
    });
    stage("front matter", &|t| {
        Article::parse(
            "",
            t.split_inclusive("\n---").next().unwrap_or("").to_owned() + "\n",
        )
        .segments()
        .len()
    });
    stage("clone only", &|t| t.to_owned().len());
    let articles: Vec<Article> = texts
        .iter()
        .map(|(p, t)| Article::parse(p.clone(), t.clone()))
        .collect();
    let start = Instant::now();
    let views: usize = articles.iter().map(|a| a.plain_text().len()).sum();
    let s = start.elapsed().as_secs_f64();
    println!(
        "plain_text view    {:>7.1} MB/s  ({s:.3} s, {views} bytes out)",
        mb / s
    );
}
