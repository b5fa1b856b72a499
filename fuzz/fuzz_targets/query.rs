//! Any text as a query, in each locale, against an index of the seed articles: the
//! analyser and planner never panic and every hit has a path.
#![no_main]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use remedy::search::{Engine, SearchOptions};

fn engine() -> &'static Mutex<Engine> {
    static ENGINE: OnceLock<Mutex<Engine>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let content = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content");
        let index = std::env::temp_dir().join(format!("remedy-fuzz-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&index);
        remedy::index::build(&content, &index, &Default::default()).expect("the seed index builds");
        Mutex::new(Engine::open(&index).expect("the seed index opens"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let mut engine = engine().lock().unwrap();
    for locale in ["nb-NO", "nl-NL"] {
        let options = SearchOptions {
            locale: locale.parse().unwrap(),
            limit: 10,
            fallback: true,
            explain: true,
            mode: Default::default(),
        };
        if let Ok(hits) = engine.search(query, &options) {
            assert!(hits.iter().all(|h| !h.path.is_empty()));
        }
    }
});
