//! Dense embedding: every article of the plain alchemy corpus (both locales) embedded as
//! `remedy index` embeds it (title and the opening of the body, `embed::passage`), on all
//! cores; then the judged queries one at a time, as `remedy search` embeds a query.
//!
//! `cargo bench --bench embed`; needs the model (`remedy model fetch`, or
//! `$REMEDY_MODEL`); `$REMEDY_CORPUS` (default ../shared/corpus); `$REMEDY_BENCH_LIMIT`
//! embeds only the first N articles. Prints articles per second, milliseconds per article
//! (wall clock over all threads and per thread), pieces per article, query latency
//! percentiles and the peak resident set.

use std::time::Instant;

use rayon::prelude::*;
use remedy::embed::{self, Encoder, Purpose};

mod common;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(model) = embed::locate(None) else {
        println!("no model (remedy model fetch): nothing measured");
        return;
    };
    let started = Instant::now();
    let encoder = Encoder::load(&model).expect("the model loads");
    println!(
        "model loaded in {:.2} s, peak RSS {}",
        started.elapsed().as_secs_f64(),
        common::peak_rss()
    );
    let content = common::corpus_or_content("alchemy");
    let (articles, _) = remedy::content::load_dir(&content);
    let limit = std::env::var("REMEDY_BENCH_LIMIT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let passages: Vec<String> = articles.iter().take(limit).map(embed::passage).collect();
    let pieces: usize = passages
        .iter()
        .map(|p| encoder.pieces(p, Purpose::Passage))
        .sum();
    let started = Instant::now();
    let vectors: Vec<Vec<f32>> = passages
        .par_iter()
        .map(|p| encoder.embed(p, Purpose::Passage))
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let threads = rayon::current_num_threads();
    println!(
        "{} articles ({} pieces each on average) in {seconds:.1} s on {threads} threads: \
         {:.1} articles/s, {:.0} ms per article (wall), {:.0} ms per article per thread",
        vectors.len(),
        pieces / vectors.len().max(1),
        vectors.len() as f64 / seconds,
        1e3 * seconds / vectors.len() as f64,
        1e3 * seconds * threads as f64 / vectors.len() as f64,
    );

    let queries_file = [
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/dev.tsv"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/eval/train.tsv"),
    ]
    .into_iter()
    .find(|f| std::path::Path::new(f).is_file())
    .expect("a query set");
    let queries: Vec<String> = std::fs::read_to_string(queries_file)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(2).map(str::to_owned))
        .collect();
    let mut micros: Vec<f64> = Vec::new();
    for _ in 0..5 {
        for q in &queries {
            let t = Instant::now();
            std::hint::black_box(encoder.embed(q, Purpose::Query));
            micros.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    micros.sort_by(f64::total_cmp);
    let at = |p: f64| micros[((micros.len() - 1) as f64 * p) as usize] / 1e3;
    println!(
        "query embedding ({} queries × 5, one thread): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms",
        queries.len(),
        at(0.5),
        at(0.9),
        at(0.99)
    );
    println!("peak RSS {}", common::peak_rss());
}
