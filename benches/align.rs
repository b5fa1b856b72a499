//! Alignment end to end: both locales of the span alchemy corpus, read from disk, parsed,
//! grouped into sets and aligned (keyed), then the same corpus through the plain aligner
//! (spans stripped, aligned by structure, scored).
//!
//! `cargo bench --bench align` uses `$REMEDY_CORPUS/spans/alchemy` (default
//! `../shared/corpus`; the committed `content/` without it); rounds with `$REMEDY_BENCH_ROUNDS` (default 5), threads with
//! `$RAYON_NUM_THREADS`. Prints the best wall time per stage and the peak resident memory
//! of the process.

mod common;
use common::peak_rss;

use std::time::Instant;

use remedy::align::{self, DirOptions, Model};

fn main() {
    let root = common::corpus_or_content("spans/alchemy");
    let rounds: usize = std::env::var("REMEDY_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    println!(
        "corpus: {} ({} threads)",
        root.display(),
        rayon::current_num_threads()
    );

    let mut best = f64::MAX;
    let mut totals = None;
    for _ in 0..rounds {
        let start = Instant::now();
        let (result, errors) = align::align_dir(&root, &DirOptions::default());
        best = best.min(start.elapsed().as_secs_f64());
        assert!(errors.is_empty());
        totals = Some(result.totals);
    }
    let t = totals.expect("at least one round");
    println!(
        "align (keyed)      {best:.3} s  {} articles, {} sets, {} links aligned, {} identical pairs",
        t.articles, t.sets, t.links.aligned, t.identical_pairs
    );
    println!("  peak RSS so far  {}", peak_rss());

    let mut best = f64::MAX;
    let mut score = None;
    for _ in 0..rounds {
        let start = Instant::now();
        let (s, _) = align::evaluate_dir(&root, &Model::default());
        best = best.min(start.elapsed().as_secs_f64());
        score = Some(s);
    }
    let s = score.expect("at least one round");
    println!(
        "plain + scoring    {best:.3} s  {} article pairs, P {:.4} R {:.4}",
        s.article_pairs,
        s.precision(),
        s.recall()
    );
    println!("  peak RSS         {}", peak_rss());
}
