//! `cargo bench --bench site`: `remedy site` over the span corpus (5,820 article pages)
//! beside Hugo (Debian's `hugo`) building the same articles' target Markdown, each a whole
//! process timed by `/usr/bin/time`: wall time, peak memory, output size. The Hugo content
//! tree is exported first and not timed. Goal: remedy at most half of Hugo's time.
//!
//! `REMEDY_CORPUS` points at the corpus (default `../shared/corpus`); `RUNS` sets the runs
//! per tool (default 3; the median is reported).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = std::env::var_os("REMEDY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let content = root.join("spans/alchemy");
    if !content.is_dir() {
        eprintln!("SKIPPED: no corpus at {}", content.display());
        return;
    }
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-site");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("a work folder");

    let hugo_src = work.join("hugo");
    let exported = export_for_hugo(&content, &hugo_src);
    println!("exported {exported} articles' target Markdown for Hugo");

    let remedy_out = work.join("remedy-site");
    let remedy = measure(runs, || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_remedy"));
        c.args(["site", "--content"])
            .arg(&content)
            .arg("--out")
            .arg(&remedy_out);
        c
    });
    report("remedy site", &remedy, &remedy_out);

    if Command::new("hugo").arg("version").output().is_err() {
        println!("hugo: not installed (apt-get install hugo); nothing to compare");
        return;
    }
    let hugo_out = work.join("hugo-public");
    let hugo = measure(runs, || {
        // Hugo writes into an existing folder without removing stale files: each run
        // starts from none (removed before the pause, untimed).
        let _ = std::fs::remove_dir_all(&hugo_out);
        let mut c = Command::new("hugo");
        c.arg("--source")
            .arg(&hugo_src)
            .arg("--destination")
            .arg(&hugo_out)
            .args(["--quiet", "--noBuildLock"]);
        c
    });
    report("hugo", &hugo, &hugo_out);
    println!(
        "remedy / hugo wall time: {:.2} (goal: at most 0.50)",
        remedy.0.median / hugo.0.median
    );
}

/// Wall seconds (median, fastest, slowest) and the largest peak resident size (KB) of
/// `runs` runs.
fn measure(runs: usize, command: impl Fn() -> Command) -> (Timing, u64) {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        // ext4 searches for inodes it did not free in the last seconds when it creates a
        // file: a build right after deleting thousands of files pays for that, so each run
        // starts after a pause.
        let c = command();
        std::thread::sleep(std::time::Duration::from_secs(8));
        let mut timed = Command::new("/usr/bin/time");
        timed
            .args(["-f", "%e %M"])
            .arg(c.get_program())
            .args(c.get_args());
        let out = timed.output().expect("/usr/bin/time runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        let mut parts = last.split_whitespace();
        let secs: f64 = parts.next().and_then(|s| s.parse().ok()).expect("seconds");
        let kb: u64 = parts.next().and_then(|s| s.parse().ok()).expect("KB");
        times.push(secs);
        peak = peak.max(kb);
    }
    times.sort_by(f64::total_cmp);
    let timing = Timing {
        median: times[times.len() / 2],
        min: times[0],
        max: times[times.len() - 1],
    };
    (timing, peak)
}

struct Timing {
    median: f64,
    min: f64,
    max: f64,
}

fn report(name: &str, (t, kb): &(Timing, u64), out: &Path) {
    let (files, bytes) = size(out);
    println!(
        "{name:12} median {:5.2} s (fastest {:.2}, slowest {:.2})   peak {:4.0} MB   {files} files, {:.1} MB",
        t.median,
        t.min,
        t.max,
        *kb as f64 / 1024.0,
        bytes as f64 / 1e6
    );
}

fn size(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            files += 1;
            bytes += e.metadata().map_or(0, |m| m.len());
        }
    }
    (files, bytes)
}

/// A Hugo site of the articles' target Markdown (spans resolved, front matter kept), per
/// locale folder, with a minimal layout: the comparison is of building pages, not themes.
fn export_for_hugo(content: &Path, dir: &Path) -> usize {
    let (articles, errors) = remedy::content::load_dir(content);
    assert!(errors.is_empty(), "{errors:?}");
    // The articles remedy publishes: those in a locale folder (not SOURCE.md).
    let articles: Vec<_> = articles.iter().filter(|a| a.locale().is_some()).collect();
    for a in &articles {
        let mut path = dir.join("content").join(a.path());
        // An `index.md` makes its folder one Hugo page (a leaf bundle) whose other files
        // are resources, not pages.
        if path.file_name().is_some_and(|n| n == "index.md") {
            path.set_file_name("index-article.md");
        }
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("a folder");
        let text = a.target_markdown();
        // Hugo stops at front matter YAML that remedy reads with a diagnostic, and at a
        // file that opens with an HTML comment: each gets a title of its own instead.
        let body_start = a.target_body_start();
        let title = serde_json::to_string(a.title().unwrap_or_default()).expect("JSON");
        let front = format!("---\ntitle: {title}\n---\n");
        std::fs::write(&path, format!("{front}{}", &text[body_start..])).expect("written");
    }
    std::fs::write(
        dir.join("config.toml"),
        "baseURL = 'http://127.0.0.1:8080/'\ndisableKinds = ['taxonomy', 'term', 'RSS']\n\
         [markup.goldmark.renderer]\nunsafe = true\n",
    )
    .expect("config");
    let layouts = dir.join("layouts/_default");
    std::fs::create_dir_all(&layouts).expect("layouts");
    std::fs::write(
        layouts.join("single.html"),
        "<!DOCTYPE html><html lang=\"{{ .Params.ms_contentlocale }}\"><head><meta charset=\"utf-8\">\
         <title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n",
    )
    .expect("layout");
    std::fs::write(
        layouts.join("list.html"),
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\
         <body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n",
    )
    .expect("layout");
    articles.len()
}
