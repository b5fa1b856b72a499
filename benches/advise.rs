//! Remediation throughput: `advise` over JSON lines on one core, and `annotate` over a
//! gigabyte of log text with its peak memory.
//!
//! Also the same findings written as SARIF, and a SARIF log of as many results advised in
//! place (whole documents: memory grows with them, time should not grow faster).
//!
//! `cargo bench --bench advise`; `$REMEDY_BENCH_FINDINGS` (default 400,000) and
//! `$REMEDY_BENCH_LOG_MB` (default 1,024). Targets: >= 200k findings/s; annotate memory
//! flat (peak RSS does not grow with the input).

mod common;
use common::peak_rss;

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use remedy::advise::{Advisor, Summary};
use remedy::advise::{InputFormat, Options, OutputFormat, advise_with};
use remedy::advise::{Style, annotate};

fn main() {
    let content = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    let advisor = Advisor::with_content(content).0;
    let n: usize = std::env::var("REMEDY_BENCH_FINDINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400_000);
    let codes = [
        "phs.disabled",
        "phs.stale",
        "ad.unreachable",
        "server.staging-mode",
        "no.such.code",
    ];
    let mut input = String::new();
    for i in 0..n {
        let code = codes[i % codes.len()];
        input.push_str(&format!(
            "{{\"tool\":\"aadc-health\",\"host\":\"AADC{:02}\",\"code\":\"{code}\",\"severity\":\"warning\",\"params\":{{\"days\":{}}}}}\n",
            i % 17,
            i % 9 + 1
        ));
    }
    let (summary, secs, _) = timed(&advisor, OutputFormat::Same, input.as_bytes());
    println!(
        "advise (JSON lines, 1 thread)  {n} findings, {:.1} MB in {secs:.2} s: {:.0} findings/s ({} advised)",
        input.len() as f64 / 1e6,
        n as f64 / secs,
        summary.advised
    );
    println!("  peak RSS after advise        {}", peak_rss());

    // Annotate first: its memory must stay at the level advise left.
    let mb: u64 = std::env::var("REMEDY_BENCH_LOG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let log = Log::new(mb * 1024 * 1024);
    let started = Instant::now();
    let s = annotate(
        &advisor,
        "nb-NO",
        std::io::BufReader::with_capacity(64 * 1024, log),
        std::io::sink(),
        Style::default(),
    )
    .unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "annotate                       {mb} MB, {} lines ({} with advice) in {secs:.2} s: {:.0} MB/s",
        s.lines,
        s.matched,
        mb as f64 / secs
    );
    println!("  peak RSS after annotate      {}", peak_rss());

    // The same findings, written as a SARIF log.
    let (_, secs, sarif) = timed(&advisor, OutputFormat::Sarif, input.as_bytes());
    println!(
        "advise (JSON lines -> SARIF)   {n} findings in {secs:.2} s: {:.0} findings/s ({:.1} MB out)",
        n as f64 / secs,
        sarif as f64 / 1e6
    );
    drop(input);

    // A SARIF log in, advised in place.
    let results: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let rule = ["AADC001", "AADC002", "AADC005", "AADC007", "OTHER"][i % 5];
            serde_json::json!({
                "ruleId": rule,
                "level": "warning",
                "message": {"text": format!("finding {i} on AADC{:02}", i % 17)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": format!("hosts/aadc{:02}.json", i % 17)}}}],
                "properties": {"days": i % 9 + 1, "host": format!("AADC{:02}", i % 17)}
            })
        })
        .collect();
    let log = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "aadc-health"}}, "results": results}]
    });
    let text = serde_json::to_string_pretty(&log).unwrap();
    drop(log);
    let (summary, secs, _) = timed(&advisor, OutputFormat::Same, text.as_bytes());
    println!(
        "advise (SARIF in and out)      {n} results, {:.1} MB in {secs:.2} s: {:.0} results/s ({} advised)",
        text.len() as f64 / 1e6,
        n as f64 / secs,
        summary.advised
    );
    drop(text);
    println!("  peak RSS after SARIF         {}", peak_rss());
}

/// Advises `input` (format detected) in Norwegian into a byte counter: the summary, the
/// seconds taken and the bytes written.
fn timed(advisor: &Advisor, output: OutputFormat, input: &[u8]) -> (Summary, f64, usize) {
    let options = Options {
        input: InputFormat::Auto,
        output,
        source: None,
    };
    let mut out = Counted(0);
    let started = Instant::now();
    let summary = advise_with(advisor, "nb-NO", options, input, &mut out, |_| {}).unwrap();
    (summary, started.elapsed().as_secs_f64(), out.0)
}

/// A sink that counts what it is given.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A synthetic tool log of `len` bytes: ordinary lines, now and then a known finding.
struct Log {
    left: u64,
    pattern: Vec<u8>,
    at: usize,
}

impl Log {
    fn new(len: u64) -> Log {
        let mut pattern = Vec::new();
        for i in 0..1000 {
            let line = match i % 100 {
                7 => format!(
                    "2026-11-23T10:{:02}:00Z WARN last password sync was {} days ago\n",
                    i % 60,
                    i % 9 + 1
                ),
                42 => "2026-11-23T10:00:00Z ERROR server is in staging mode\n".to_owned(),
                _ => format!(
                    "2026-11-23T10:{:02}:00Z INFO export step {i} completed, 0 errors, 12 objects\n",
                    i % 60
                ),
            };
            pattern.extend_from_slice(line.as_bytes());
        }
        Log {
            left: len,
            pattern,
            at: 0,
        }
    }
}

impl Read for Log {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let n = buf
            .len()
            .min(self.pattern.len() - self.at)
            .min(self.left as usize);
        buf[..n].copy_from_slice(&self.pattern[self.at..self.at + n]);
        self.at = (self.at + n) % self.pattern.len();
        self.left -= n as u64;
        Ok(n)
    }
}
