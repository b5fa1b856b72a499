//! Search end to end in one process: build the index of the plain alchemy corpus (both
//! locales), then answer the judged symptom queries of ../shared/eval/dev.tsv many times
//! with the index open, as a search service would.
//!
//! `cargo bench --bench search`; `$REMEDY_CORPUS` (default ../shared/corpus),
//! `$REMEDY_BENCH_ROUNDS` (default 20), `$REMEDY_BENCH_INDEX` (an index built before, to
//! search without building one: for profilers). Prints the build time and per-query latency
//! percentiles for 10 hits (with snippets) and for 1 hit. Query texts are not printed.

use std::path::PathBuf;
use std::time::Instant;

use remedy::index::{self, BuildOptions};

mod common;
use remedy::search::{Engine, Mode, SearchOptions};

/// As the `remedy` binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let content = common::corpus_or_content("alchemy");
    // The judged queries; without ../shared, the committed training set's (only their
    // text is used).
    let mut queries_file = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/eval/dev.tsv"
    ));
    if !queries_file.is_file() {
        queries_file = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/eval/train.tsv"));
        println!(
            "no ../shared/eval/dev.tsv: the queries of {}",
            queries_file.display()
        );
    }
    let rounds: usize = std::env::var("REMEDY_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);

    // $REMEDY_BENCH_INDEX: search an index built before (for profilers), build none.
    let given = std::env::var_os("REMEDY_BENCH_INDEX").map(PathBuf::from);
    let dir = given.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("remedy-bench-search-{}", std::process::id()))
    });
    if given.is_none() {
        let started = Instant::now();
        let report = index::build(
            &content,
            &dir,
            &BuildOptions {
                full: true,
                progress: false,
                encoder: None,
            },
        )
        .expect("index builds");
        let build = started.elapsed().as_secs_f64();
        let docs: usize = report.locales.values().map(|l| l.documents).sum();
        println!(
            "index build   {build:.2} s  {docs} documents ({} threads)",
            rayon::current_num_threads()
        );
    }

    let text = std::fs::read_to_string(&queries_file).expect("a query set");
    let queries: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            let _id = f.next()?;
            Some((f.next()?.to_owned(), f.next()?.to_owned()))
        })
        .collect();
    let mut engine = Engine::open(&dir).expect("index opens");
    // Lexical always; hybrid too when the model is here and the index has vectors (build
    // one with `remedy index` and pass it as $REMEDY_BENCH_INDEX: embedding the corpus
    // takes minutes).
    let encoder = remedy::embed::locate(None)
        .map(|p| std::sync::Arc::new(remedy::embed::Encoder::load(&p).expect("the model loads")));
    engine.set_encoder(encoder.clone());
    let locale0: remedy::locale::Locale = queries[0].0.parse().expect("locale");
    let mut modes = vec![Mode::Lexical];
    if engine.dense_ready(&locale0) {
        modes.push(Mode::Hybrid);
    } else {
        println!("hybrid: not measured (no model, or the index has no vectors)");
    }
    for mode in modes {
        for limit in [10, 1] {
            let mut times = Vec::new();
            for round in 0..=rounds {
                for (locale, q) in &queries {
                    let options = SearchOptions {
                        locale: locale.parse().expect("locale"),
                        limit,
                        fallback: false,
                        explain: false,
                        mode,
                    };
                    let t = Instant::now();
                    let hits = engine.search(q, &options).expect("search");
                    let us = t.elapsed().as_secs_f64() * 1e6;
                    std::hint::black_box(hits);
                    // Round 0 warms the caches.
                    if round > 0 {
                        times.push(us);
                    }
                }
            }
            times.sort_by(f64::total_cmp);
            let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
            println!(
                "{mode:?} search limit {limit:>2}  {} queries  p50 {:.0} µs  p95 {:.0} µs  p99 {:.0} µs",
                times.len(),
                p(0.5),
                p(0.95),
                p(0.99)
            );
        }
    }
    println!("peak RSS {}", common::peak_rss());
    if given.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
