//! `cargo bench --bench serve`: `remedy serve` under load on loopback, beside the same work
//! done in-process, in one run.
//!
//! - `GET /api/search` over the judged dev queries (`../shared/eval/dev.tsv`) on the index
//!   of `spans/alchemy` (both locales, 5,820 articles), with Debian's `wrk`: 32
//!   connections, 2 threads, 30 s; requests/s, p50/p99, errors. In-process: the same
//!   queries through [`remedy::search::Engine`] on one thread and on two.
//! - `POST /api/advise` with bodies of 1,000 findings (JSON lines: the codes of the
//!   catalog, with values that hold and that do not, and unknown codes), the same way;
//!   in-process: `advise_with` over the same body.
//!
//! Goals: no errors, p99 ≤ 10 ms for searches, HTTP throughput ≥ 60 % of in-process.
//! `DURATION` (seconds, default 30) and `CONNECTIONS` (default 32) change the load;
//! `REMEDY_CORPUS` points at the corpus. Without `wrk` (apt-get install wrk) only the
//! in-process numbers are printed.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use remedy::advise::Advisor;
use remedy::advise::{InputFormat, Options, OutputFormat, advise_with};
use remedy::search::{Engine, SearchOptions};

fn main() {
    let root = std::env::var_os("REMEDY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let content = root.join("spans/alchemy");
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev.tsv");
    if !content.is_dir() || !dev.is_file() {
        eprintln!(
            "SKIPPED: no corpus at {} or no {}",
            content.display(),
            dev.display()
        );
        return;
    }
    let seconds: u64 = env_or("DURATION", 30);
    let connections: u64 = env_or("CONNECTIONS", 32);
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-serve");
    std::fs::create_dir_all(&work).expect("a work folder");
    let index = work.join("index");

    let queries = dev_queries(&dev);
    println!("{} dev queries; index {}", queries.len(), index.display());
    let status = Command::new(env!("CARGO_BIN_EXE_remedy"))
        .args(["index", "--content"])
        .arg(&content)
        .arg("--index")
        .arg(&index)
        .stdout(Stdio::null())
        .status()
        .expect("remedy index runs");
    assert!(status.success());

    // In-process search: one thread, then two (each with its own engine, as the server's
    // worker threads have).
    let engine = Engine::open(&index).expect("the index opens");
    let one = search_throughput(engine.fork(), &queries, Duration::from_secs(5));
    println!(
        "in-process search, 1 thread: {:.0} queries/s (p50 {:.3} ms, p99 {:.3} ms)",
        one.0, one.1, one.2
    );
    let two: f64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let e = engine.fork();
                let q = &queries;
                s.spawn(move || search_throughput(e, q, Duration::from_secs(5)).0)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    println!("in-process search, 2 threads: {two:.0} queries/s");

    // In-process advice over 1,000-finding bodies.
    let body = findings_body(1000);
    std::fs::write(work.join("findings.jsonl"), &body).unwrap();
    let (advisor, _) = Advisor::with_content(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .as_path(),
    );
    let started = Instant::now();
    let mut bodies = 0u64;
    while started.elapsed() < Duration::from_secs(5) {
        let mut out = Vec::with_capacity(body.len() * 4);
        advise_with(
            &advisor,
            "nb-NO",
            Options {
                input: InputFormat::Lines,
                output: OutputFormat::Same,
                source: None,
            },
            body.as_bytes(),
            &mut out,
            |_| {},
        )
        .unwrap();
        bodies += 1;
    }
    let advise_rate = bodies as f64 / started.elapsed().as_secs_f64();
    println!("in-process advise, 1 thread: {advise_rate:.1} bodies/s of 1,000 findings");

    if Command::new("wrk").arg("--version").output().is_err() {
        println!("wrk: not installed (apt-get install wrk); no HTTP numbers");
        return;
    }
    let (mut server, base) = start_server(&content, &index, &work);

    let script = work.join("search.lua");
    let paths: Vec<String> = queries
        .iter()
        .map(|(locale, q)| {
            format!(
                "\"/api/search?{}\"",
                serde_urlencoded::to_string([("q", q.as_str()), ("locale", locale.as_str())])
                    .unwrap()
            )
        })
        .collect();
    std::fs::write(
        &script,
        format!(
            "local paths = {{{}}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n{DONE}",
            paths.join(",")
        ),
    )
    .unwrap();
    let search = wrk(&base, &script, seconds, connections);
    println!(
        "HTTP GET /api/search, {connections} connections, {seconds} s: {:.0} requests/s, p50 {:.3} ms, p99 {:.3} ms, {} errors ({} requests) — {:.0} % of in-process on 1 thread, {:.0} % on 2",
        search.rate,
        search.p50,
        search.p99,
        search.errors,
        search.requests,
        100.0 * search.rate / one.0,
        100.0 * search.rate / two
    );

    let script = work.join("advise.lua");
    std::fs::write(
        &script,
        format!(
            "local f = io.open(\"{}\", \"rb\")\nlocal body = f:read(\"*a\")\nf:close()\nrequest = function()\n  return wrk.format(\"POST\", \"/api/advise?locale=nb-NO\", {{[\"Content-Type\"] = \"application/x-ndjson\"}}, body)\nend\n{DONE}",
            work.join("findings.jsonl").display()
        ),
    )
    .unwrap();
    let advise = wrk(&base, &script, seconds, connections);
    println!(
        "HTTP POST /api/advise (1,000 findings), {connections} connections, {seconds} s: {:.1} requests/s, p50 {:.1} ms, p99 {:.1} ms, {} errors ({} requests) — {:.0} % of in-process on 1 thread",
        advise.rate,
        advise.p50,
        advise.p99,
        advise.errors,
        advise.requests,
        100.0 * advise.rate / advise_rate
    );
    let rss = std::fs::read_to_string(format!("/proc/{}/status", server.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        });
    if let Some(kb) = rss {
        println!(
            "server peak RSS: {:.1} MB",
            kb.parse::<f64>().unwrap_or(0.0) / 1024.0
        );
    }
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let status = server.wait().expect("the server stops");
    println!("server stopped: {status}");
}

/// wrk's `done` hook: the numbers this bench reads, one per line, in microseconds.
const DONE: &str = "done = function(summary, latency, requests)\n  io.write(string.format(\"RESULT %d %d %d %d %d %d %f\\n\", summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status, latency:percentile(50), latency:percentile(99), summary.duration, summary.requests / (summary.duration / 1e6)))\nend\n";

struct Load {
    requests: u64,
    errors: u64,
    rate: f64,
    p50: f64,
    p99: f64,
}

fn wrk(base: &str, script: &Path, seconds: u64, connections: u64) -> Load {
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(script)
        .arg(base)
        .output()
        .expect("wrk runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .unwrap_or_else(|| panic!("wrk said: {text}{}", String::from_utf8_lossy(&out.stderr)));
    let f: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    Load {
        requests: f[0] as u64,
        errors: (f[1] + f[2]) as u64,
        p50: f[3] / 1e3,
        p99: f[4] / 1e3,
        rate: f[6],
    }
}

fn start_server(content: &Path, index: &Path, work: &Path) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_remedy"))
        .args(["serve", "--addr", "127.0.0.1:0", "--no-watch", "--content"])
        .arg(content)
        .arg("--index")
        .arg(index)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(work.join("serve.log")).unwrap())
        .spawn()
        .expect("remedy serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("an address")
        .trim_end_matches('/')
        .to_owned();
    // Wait for /healthz.
    let host = base.trim_start_matches("http://").to_owned();
    for _ in 0..100 {
        if let Ok(mut s) = std::net::TcpStream::connect(&host) {
            use std::io::Write;
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut r = String::new();
            let _ = s.read_to_string(&mut r);
            if r.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, base)
}

/// (queries/s, p50 ms, p99 ms) of one engine on one thread over `queries` for `time`.
fn search_throughput(
    mut engine: Engine,
    queries: &[(String, String)],
    time: Duration,
) -> (f64, f64, f64) {
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut i = 0;
    while started.elapsed() < time {
        let (locale, q) = &queries[i % queries.len()];
        let t = Instant::now();
        let hits = engine
            .search(
                q,
                &SearchOptions {
                    locale: locale.parse().unwrap(),
                    limit: 10,
                    fallback: false,
                    explain: false,
                    mode: Default::default(),
                },
            )
            .unwrap();
        // The server also writes the hits as JSON.
        std::hint::black_box(serde_json::to_string(&serde_json::json!({ "hits": hits })).unwrap());
        latencies.push(t.elapsed().as_secs_f64() * 1e3);
        i += 1;
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    (rate, at(0.5), at(0.99))
}

fn dev_queries(path: &Path) -> Vec<(String, String)> {
    let mut text = String::new();
    std::fs::File::open(path)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 3).then(|| (f[1].to_owned(), f[2].to_owned()))
        })
        .collect()
}

/// `n` findings as JSON lines: known codes with values that hold and that do not, and
/// unknown codes.
fn findings_body(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let line = match i % 5 {
            0 => format!(
                "{{\"code\":\"phs.stale\",\"params\":{{\"days\":{}}},\"user\":\"u{i}\"}}",
                i % 9
            ),
            1 => "{\"code\":\"phs.disabled\",\"server\":\"aadc01\"}".to_owned(),
            2 => format!(
                "{{\"code\":\"dirsync.no-recent-sync\",\"params\":{{\"days\":{}}}}}",
                i % 7
            ),
            3 => format!("{{\"code\":\"unknown.{i}\",\"message\":\"something else\"}}"),
            _ => format!(
                "{{\"code\":\"PHS_STALE\",\"params\":{{\"days\":\"{} days\"}}}}",
                i % 11
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
