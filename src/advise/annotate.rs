//! `annotate`: a streaming filter for the plain text output of any tool. Every input byte
//! goes out unchanged and in order; after a line that matches a catalog pattern, the
//! localized advice follows, indented and marked. Memory stays constant: lines are
//! copied through in chunks and only the first [`MATCH_BYTES`] of each are kept for
//! matching; advice is cached per finding and parameters.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use super::resolve::{Advice, Advisor};

/// How much of a line is looked at for a match.
pub const MATCH_BYTES: usize = 64 * 1024;
/// Distinct (finding, parameters) advice kept.
const CACHE: usize = 1024;

/// Rendered advice blocks by finding code and parameters; `None` where the parameters
/// say the finding is not a problem.
type AdviceCache = HashMap<(String, Vec<(String, String)>), Option<String>>;

/// How advice is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colours (a terminal without `NO_COLOR`).
    pub colour: bool,
}

/// Counts for the summary on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnnotateSummary {
    /// Lines copied through.
    pub lines: u64,
    /// Lines followed by advice.
    pub matched: u64,
    /// Lines that match a finding's pattern whose values say it is not a problem ("last
    /// password sync was 1 days ago"): no advice.
    pub not_applicable: u64,
}

/// Copies `input` to `out`, adding advice after each matching line.
pub fn annotate<R: BufRead, W: Write>(
    advisor: &Advisor,
    locale: &str,
    mut input: R,
    mut out: W,
    style: Style,
) -> std::io::Result<AnnotateSummary> {
    let mut summary = AnnotateSummary::default();
    let mut line: Vec<u8> = Vec::with_capacity(1024);
    let mut cache = AdviceCache::new();
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (piece, ends_line) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..=i], true),
            None => (chunk, false),
        };
        out.write_all(piece)?;
        if line.len() < MATCH_BYTES {
            let room = MATCH_BYTES - line.len();
            line.extend_from_slice(&piece[..piece.len().min(room)]);
        }
        let used = piece.len();
        input.consume(used);
        if ends_line {
            summary.lines += 1;
            if let Some(block) = advice_for(advisor, locale, &line, style, &mut cache, &mut summary)
            {
                out.write_all(block.as_bytes())?;
            }
            line.clear();
        }
    }
    if !line.is_empty() {
        summary.lines += 1;
        if let Some(block) = advice_for(advisor, locale, &line, style, &mut cache, &mut summary) {
            // The last line had no line break: advice starts on a line of its own.
            out.write_all(b"\n")?;
            out.write_all(block.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(summary)
}

/// The advice block for a line, counted in `summary`; `None` for a line that matches no
/// finding, or one whose values say it is not a problem.
fn advice_for(
    advisor: &Advisor,
    locale: &str,
    line: &[u8],
    style: Style,
    cache: &mut AdviceCache,
    summary: &mut AnnotateSummary,
) -> Option<String> {
    let text = String::from_utf8_lossy(line);
    let (finding, params) = advisor.catalog.match_line(text.trim_end())?;
    let key = (finding.code.clone(), params);
    let block = match cache.get(&key) {
        Some(block) => block.clone(),
        None => {
            let raw: serde_json::Map<String, serde_json::Value> = key
                .1
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
                .collect();
            let block = advisor
                .advise_raw(finding, &raw, locale)
                .ok()
                .map(|advice| render(&advice, style));
            if cache.len() >= CACHE {
                cache.clear();
            }
            cache.insert(key, block.clone());
            block
        }
    };
    match &block {
        Some(_) => summary.matched += 1,
        None => summary.not_applicable += 1,
    }
    block
}

/// The advice block: a marked title line, then description, source and steps, indented.
pub fn render(advice: &Advice, style: Style) -> String {
    let (bold, dim, reset) = if style.colour {
        ("\x1b[1;33m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = format!(
        "  ▶ remedy [{}] {bold}{}{reset}\n",
        advice.code, advice.title
    );
    let mut push = |text: &str| {
        for l in text.lines() {
            out.push_str("  │ ");
            out.push_str(l);
            out.push('\n');
        }
    };
    if !advice.description.is_empty() {
        push(&advice.description);
    }
    for source in &advice.sources {
        push(&format!("{dim}{}{reset}", source.label()));
    }
    if let Some(steps) = &advice.steps {
        push(steps);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::seed_advisor as advisor;

    fn run(input: &[u8]) -> (Vec<u8>, AnnotateSummary) {
        let mut out = Vec::new();
        let s = annotate(&advisor(), "nb", input, &mut out, Style::default()).unwrap();
        (out, s)
    }

    /// The output without the advice blocks.
    fn strip(out: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(out);
        let mut kept = Vec::new();
        for l in text.split_inclusive('\n') {
            if !(l.starts_with("  ▶ remedy [") || l.starts_with("  │ ")) {
                kept.extend_from_slice(l.as_bytes());
            }
        }
        kept
    }

    #[test]
    fn every_line_goes_out_unchanged_with_advice_after_matches() {
        let input =
            b"10:00 INFO start\n10:01 WARN last password sync was 6 days ago\n10:02 INFO done\n";
        let (out, s) = run(input);
        assert_eq!(strip(&out), input);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "10:01 WARN last password sync was 6 days ago");
        assert_eq!(
            lines[2],
            "  ▶ remedy [phs.stale] Passordene ble sist synkronisert for 6 dager siden"
        );
        assert!(lines[3].starts_with("  │ "));
        assert!(text.ends_with("10:02 INFO done\n"));
        assert_eq!(
            s,
            AnnotateSummary {
                lines: 3,
                matched: 1,
                not_applicable: 0
            }
        );
    }

    #[test]
    fn bytes_that_are_not_text_and_a_missing_last_newline_survive() {
        let input = b"\xff\xfe binary \x00 junk\r\nERROR: server is in staging mode";
        let (out, s) = run(input);
        assert!(out.starts_with(b"\xff\xfe binary \x00 junk\r\nERROR: server is in staging mode\n  \xe2\x96\xb6 remedy [server.staging-mode]"));
        assert_eq!(s.matched, 1);
        assert_eq!(s.lines, 2);
    }

    #[test]
    fn huge_lines_are_copied_whole_but_matched_on_their_start() {
        let mut input = b"ERROR password hash sync is disabled ".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3 * MATCH_BYTES));
        input.push(b'\n');
        let (out, s) = run(&input);
        assert_eq!(&out[..input.len()], &input[..]);
        assert_eq!(s.matched, 1);
    }
}
