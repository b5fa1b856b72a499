//! Crash safety: `remedy import`, `remedy index` and `remedy site` killed with SIGKILL at
//! spread-out points, 20 times each. After every kill the previous state must still be
//! whole: no article half written, the previous index opening and answering as before, the
//! previous site complete (or, killed between its two renames, complete beside it and put
//! back by the next build).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Scratch, copy_tree, remedy_ok, tree};

const KILLS: usize = 20;

/// Runs the binary to the end and says how long it took.
fn timed(args: &[&str]) -> Duration {
    let started = Instant::now();
    remedy_ok(args);
    started.elapsed()
}

/// Starts the binary, kills it (SIGKILL) after `delay`, and waits for it.
fn killed_after(args: &[&str], delay: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_remedy"))
        .env("REMEDY_MODEL", crate::common::NO_MODEL)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the remedy binary starts");
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

/// Kill points spread over `0..1.2 × full`, shuffled by a fixed-seed generator so a failure
/// repeats.
fn kill_points(full: Duration) -> Vec<Duration> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..KILLS)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Even coverage of the run, with a little jitter inside each slot.
            let slot = full.mul_f64(1.2 * i as f64 / KILLS as f64);
            slot + full.mul_f64(1.2 / KILLS as f64 * ((x % 1000) as f64 / 1000.0))
        })
        .collect()
}

#[test]
fn a_killed_import_never_leaves_an_article_half_written() {
    let scratch = Scratch::new("crash-import");
    let content = scratch.path().join("content");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &content,
    );
    let content_s = content.to_str().unwrap();
    let po = scratch.join("nb.po");
    remedy_ok(&[
        "export",
        "--content",
        content_s,
        "--format",
        "po",
        "--target",
        "nb-NO",
        "--out",
        &po,
    ]);
    // Every translation changed: the import rewrites every nb-NO span article.
    let text = std::fs::read_to_string(&po).unwrap();
    let edited: String = text
        .split("\n\n")
        .map(|entry| {
            if entry.contains("msgctxt") && !entry.contains("#, fuzzy") {
                entry.replacen("\nmsgstr \"", "\nmsgstr \"✓ ", 1)
            } else {
                entry.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    std::fs::write(&po, edited).unwrap();

    // The state after a complete import, in a copy.
    let reference = scratch.path().join("reference");
    copy_tree(&content, &reference);
    let before = tree(&content);
    let full = timed(&["import", "--content", reference.to_str().unwrap(), &po]);
    let after = tree(&reference);
    let changed = before.keys().filter(|k| before[*k] != after[*k]).count();
    assert!(
        changed > 150,
        "the import rewrites many articles: {changed}"
    );

    let mut midway = 0;
    for delay in kill_points(full) {
        // Each kill starts from the content before the import.
        std::fs::remove_dir_all(&content).unwrap();
        for (path, bytes) in &before {
            let p = content.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        killed_after(&["import", "--content", content_s, &po], delay);
        let (mut old, mut new) = (0, 0);
        for (path, bytes) in tree(&content) {
            if path.contains(".partial-") {
                continue; // a temporary file the kill left; never an article
            }
            if before[&path] == after[&path] {
                continue;
            }
            if before.get(&path) == Some(&bytes) {
                old += 1;
            } else if after.get(&path) == Some(&bytes) {
                new += 1;
            } else {
                panic!("{path} is neither the old nor the new article after a kill at {delay:?}");
            }
        }
        if old > 0 && new > 0 {
            midway += 1;
        }
    }
    // The kills did land while files were being written.
    assert!(midway >= 2, "only {midway} kills landed mid-import");
    // Finishing the import gives exactly the complete result.
    remedy_ok(&["import", "--content", content_s, &po]);
    let done: BTreeMap<String, Vec<u8>> = tree(&content)
        .into_iter()
        .filter(|(p, _)| !p.contains(".partial-"))
        .collect();
    assert_eq!(done, after);
}

fn answers(index: &str, content: &str) -> String {
    let mut all = String::new();
    for q in [
        "passord synkroniseres ikke",
        "tofaktorautentisering",
        "konto låst",
    ] {
        all.push_str(&remedy_ok(&[
            "search",
            "--index",
            index,
            "--content",
            content,
            "--locale",
            "nb-NO",
            "--format",
            "json",
            q,
        ]));
    }
    all
}

#[test]
fn a_killed_index_build_leaves_the_previous_index_answering() {
    let scratch = Scratch::new("crash-index");
    let content = scratch.path().join("content");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &content,
    );
    let (content_s, index) = (content.to_str().unwrap(), scratch.join("index"));
    remedy_ok(&["index", "--content", content_s, "--index", &index]);
    let old = answers(&index, content_s);

    // New content the next build adds: an article every query finds first.
    let extra = content.join("nb-NO/krasj.md");
    std::fs::write(
        &extra,
        "---\ntitle: Passord synkroniseres ikke etter tofaktorautentisering og konto låst\nms.contentlocale: nb-NO\n---\n\n# Passord synkroniseres ikke\n\nPassord synkroniseres ikke; tofaktorautentisering; konto låst.\n",
    )
    .unwrap();
    // The full rebuild's answers, measured on a copy.
    let reference = scratch.join("reference-index");
    let full = timed(&[
        "index",
        "--content",
        content_s,
        "--index",
        &reference,
        "--full",
    ]);
    let new = answers(&reference, content_s);
    assert_ne!(old, new);

    let pristine = scratch.path().join("index-before");
    copy_tree(Path::new(&index), &pristine);
    let (mut as_before, mut as_after) = (0, 0);
    for delay in kill_points(full) {
        // Each kill starts from the index before the new article.
        std::fs::remove_dir_all(&index).unwrap();
        copy_tree(&pristine, Path::new(&index));
        killed_after(
            &["index", "--content", content_s, "--index", &index, "--full"],
            delay,
        );
        // `search --index` opens what is committed (it does not update the index).
        let now = answers(&index, content_s);
        if now == old {
            as_before += 1;
        } else if now == new {
            as_after += 1;
        } else {
            panic!("after a kill at {delay:?} the index answers neither as before nor as after");
        }
    }
    // Kills landed both before and after the commit.
    assert!(
        as_before >= 3 && as_after >= 1,
        "{as_before} before, {as_after} after"
    );
}

#[test]
fn a_killed_site_build_leaves_the_previous_site() {
    let scratch = Scratch::new("crash-site");
    let out = scratch.path().join("site");
    let out_s = out.to_str().unwrap();
    let full = timed(&["site", "--out", out_s]);
    let site = tree(&out);
    assert!(site.len() > 380);
    let old = scratch.path().join(".site.old");
    let partial = scratch.path().join(".site.partial");
    let mut midway = 0;
    for delay in kill_points(full) {
        killed_after(&["site", "--out", out_s], delay);
        if partial.exists() {
            midway += 1;
        }
        // Complete where it was, or — killed between the two renames — complete beside
        // it, where the next build finds it.
        let here = if out.is_dir() { tree(&out) } else { tree(&old) };
        assert_eq!(here.len(), site.len(), "after a kill at {delay:?}");
        assert!(here == site, "the site changed after a kill at {delay:?}");
    }
    assert!(midway >= 2, "only {midway} kills landed mid-build");
    remedy_ok(&["site", "--out", out_s]);
    assert!(tree(&out) == site);
    assert!(!old.exists() && !partial.exists());
}

#[test]
fn content_that_churns_while_the_index_is_built_never_fails_the_build() {
    let scratch = Scratch::new("vanishing");
    let content = scratch.path().join("content");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &content,
    );
    let (content_s, index) = (content.to_str().unwrap(), scratch.join("index"));
    let churn = content.join("nb-NO/churn");
    std::fs::create_dir_all(&churn).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Files appear and disappear all through the builds.
    let worker = {
        let (stop, churn) = (stop.clone(), churn.clone());
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let path = churn.join(format!("a{}.md", n % 50));
                if n.is_multiple_of(2) {
                    let _ =
                        std::fs::write(&path, "---\nms.contentlocale: nb-NO\n---\n\nFlyktig.\n");
                } else {
                    let _ = std::fs::remove_file(&path);
                }
                n += 1;
            }
        })
    };
    let mut vanished = 0;
    for _ in 0..10 {
        let out = Command::new(env!("CARGO_BIN_EXE_remedy"))
            .env("REMEDY_MODEL", crate::common::NO_MODEL)
            .args(["index", "--content", content_s, "--index", &index])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        // What vanished (when the race is hit) is named and said why; the build goes on.
        for line in err.lines().filter(|l| l.contains("/churn/")) {
            assert!(line.contains("No such file or directory"), "{line}");
            vanished += 1;
        }
        assert!(
            err.contains("nb-NO: ") || String::from_utf8_lossy(&out.stdout).contains("nb-NO: ")
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    worker.join().unwrap();
    eprintln!("{vanished} articles vanished between the walk and the read");
    let hits = remedy_ok(&[
        "search",
        "--index",
        &index,
        "--locale",
        "nb-NO",
        "--format",
        "json",
        "passord synkroniseres ikke",
    ]);
    assert!(hits.contains("\"hits\":[{"), "{hits}");
}
