//! An experiment for dense search: does a vector per section find articles better than one
//! vector per article (title and opening, as `remedy index` embeds)? Embeds every section of
//! the articles that have more than one (title, heading, the section's first
//! `PASSAGE_WORDS` words), embeds the judged queries, and writes per query the 100 nearest
//! articles two ways: by the article's vector, and by the best of its vector and its
//! sections'. `eval/sections.py` fuses each with the lexical ranking and scores them.
//!
//! ```text
//! cargo run --release --example section_vectors -- CORPUS_ROOT OUT.jsonl SET.tsv…
//! ```

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use rayon::prelude::*;
use remedy::embed::{self, Encoder, PASSAGE_WORDS, Purpose};
use remedy::index::SearchDocument;

/// One embedded text: the article it belongs to (locale, path) and its vector.
struct Vector {
    locale: String,
    path: String,
    vector: Vec<f32>,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    anyhow::ensure!(
        args.len() >= 3,
        "usage: section_vectors CORPUS_ROOT OUT.jsonl SET.tsv…"
    );
    let model =
        embed::locate(None).ok_or_else(|| anyhow::anyhow!("no model: remedy model fetch"))?;
    let encoder = Encoder::load(&model)?;
    let (articles, _) = remedy::content::load_dir(std::path::Path::new(&args[0]));
    let docs: Vec<(String, SearchDocument)> = articles
        .par_iter()
        .map(|a| {
            let locale = a.locale().map(|l| l.to_string()).unwrap_or_default();
            (locale, SearchDocument::of(a))
        })
        .collect();
    let mut texts: Vec<(usize, bool, String)> = Vec::new();
    for (i, (_, d)) in docs.iter().enumerate() {
        texts.push((i, false, d.passage.clone()));
        if d.sections.len() > 1 {
            for s in &d.sections {
                let words: Vec<&str> = d.body[s.start..s.end]
                    .split_whitespace()
                    .take(PASSAGE_WORDS)
                    .collect();
                let text = format!("{} — {} {}", d.title, s.heading, words.join(" "));
                texts.push((i, true, text));
            }
        }
    }
    let sections = texts.iter().filter(|t| t.1).count();
    let started = Instant::now();
    let vectors: Vec<(bool, Vector)> = texts
        .par_iter()
        .map(|(i, section, text)| {
            let (locale, d) = &docs[*i];
            let vector = encoder.embed(text, Purpose::Passage);
            let v = Vector {
                locale: locale.clone(),
                path: d.path.clone(),
                vector,
            };
            (*section, v)
        })
        .collect();
    eprintln!(
        "{} articles, {} with sections, {sections} sections embedded in {:.0} s",
        docs.len(),
        docs.iter().filter(|d| d.1.sections.len() > 1).count(),
        started.elapsed().as_secs_f64()
    );
    let mut out = std::io::BufWriter::new(std::fs::File::create(&args[1])?);
    for set in &args[2..] {
        for line in std::fs::read_to_string(set)?.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            let (qid, locale, query) = (fields[0], fields[1], fields[2]);
            let q = encoder.embed(query, Purpose::Query);
            let mut article: HashMap<&str, f32> = HashMap::new();
            let mut best: HashMap<&str, f32> = HashMap::new();
            for (section, v) in vectors.iter().filter(|v| v.1.locale == locale) {
                let cos: f32 = q.iter().zip(&v.vector).map(|(a, b)| a * b).sum();
                if !section {
                    article.insert(&v.path, cos);
                }
                let b = best.entry(&v.path).or_insert(f32::NEG_INFINITY);
                *b = b.max(cos);
            }
            let record = serde_json::json!({
                "qid": qid,
                "article": top(article),
                "sections": top(best),
            });
            writeln!(out, "{record}")?;
        }
    }
    Ok(())
}

/// The 100 best of `scores`, best first.
fn top(scores: HashMap<&str, f32>) -> Vec<(&str, f32)> {
    let mut all: Vec<(&str, f32)> = scores.into_iter().collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    all.truncate(100);
    all
}
