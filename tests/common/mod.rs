//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// `sub` inside the real corpus (`$REMEDY_CORPUS`, default `../shared/corpus`), or `None`
/// when it is missing: then the test is skipped, loudly, except under `CI=true`, where a
/// missing corpus fails it.
#[allow(dead_code)] // not every test crate reads the corpus
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("REMEDY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let dir = root.join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but the corpus is missing at {}", dir.display());
    }
    eprintln!(
        "SKIPPED: no corpus at {} (set REMEDY_CORPUS)",
        dir.display()
    );
    None
}

/// Runs the real `remedy` binary from the project root.
#[allow(dead_code)] // not every test crate runs the binary
pub fn remedy(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_remedy"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the remedy binary runs")
}
