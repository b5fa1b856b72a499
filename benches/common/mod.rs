//! Shared by the benchmarks.

/// The process's peak resident set (Linux `VmHWM`), or "unknown".
#[allow(dead_code)] // not every benchmark reports memory
pub fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// `sub` of the corpus (`$REMEDY_CORPUS`, default `../shared/corpus`), or, when it is not
/// there, the committed `content/` (a few hundred articles of the same kind): every
/// benchmark runs on a fresh clone, and says what it measured.
#[allow(dead_code)] // not every benchmark reads the corpus
pub fn corpus_or_content(sub: &str) -> std::path::PathBuf {
    let root = std::env::var_os("REMEDY_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"))
        })
        .join(sub);
    if root.is_dir() {
        return root;
    }
    let content = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    println!(
        "no corpus at {}: measuring the committed content ({})",
        root.display(),
        content.display()
    );
    content
}
