//! Findings in, the same records out with advice added: JSON lines, JSON arrays and
//! SARIF 2.1.0 logs (see `sarif.rs`).
//! Nothing from the input is lost or reordered: keys keep their order, unknown findings
//! get `"advice": null`, and a line that is not JSON is passed through as it was and
//! reported with its line number.

use std::io::{BufRead, Write};

use serde_json::{Map, Value};

use std::rc::Rc;

use super::resolve::{Advice, Advisor};
use super::resolved::{Cache, Resolved};
pub use super::resolved::{REASON, Summary};
use super::sarif::{Origin, SarifLog, advise_sarif};
use super::splice::Splicer;
use crate::l10n::Arg;

/// The advice for one finding record (an object with a string `code`), counted; `None`
/// when the record is not one.
fn advise_record(
    advisor: &Advisor,
    locale: &str,
    record: &Value,
    summary: &mut Summary,
    cache: &mut Cache,
) -> Option<Rc<Resolved>> {
    let obj = record.as_object()?;
    let code = obj.get("code").and_then(Value::as_str)?;
    let resolved = cache.for_code(advisor, locale, code, obj.get("params"));
    summary.records += 1;
    summary.outcome(&resolved);
    Some(resolved)
}

/// Writes `record` with `advice` added as its last key, splicing in the advice already
/// serialized (a record that has an `advice` key of its own gets it replaced in place),
/// and `advice_reason` after it when there is no advice for a reason.
fn write_with_advice<W: Write>(
    out: &mut W,
    mut record: Value,
    resolved: &Resolved,
) -> std::io::Result<()> {
    let obj = record.as_object_mut().expect("records are objects");
    if let Some(own) = obj.get_mut("advice") {
        *own = resolved.value.clone();
        if let Some(reason) = resolved.reason {
            obj.insert(REASON.to_owned(), Value::from(reason));
        }
        return serde_json::to_writer(out, &record).map_err(Into::into);
    }
    let empty = obj.is_empty();
    let mut text = serde_json::to_vec(&record)?;
    text.pop(); // the closing brace
    if !empty {
        text.push(b',');
    }
    text.extend_from_slice(b"\"advice\":");
    text.extend_from_slice(resolved.json().as_bytes());
    if let Some(reason) = resolved.reason {
        text.extend_from_slice(format!(",\"{REASON}\":\"{reason}\"").as_bytes());
    }
    text.push(b'}');
    out.write_all(&text)
}

/// The line each item of a JSON array starts on (1-based); empty when `text` is not one.
fn item_lines(text: &str) -> Vec<usize> {
    let Ok(items) = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text) else {
        return Vec::new();
    };
    let (mut line, mut counted) = (1, 0);
    items
        .iter()
        .map(|item| {
            // The raw item is a slice of `text`: its offset is where it starts.
            let at = item.get().as_ptr() as usize - text.as_ptr() as usize;
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..at]).count();
            counted = at;
            line
        })
        .collect()
}

/// How the input is to be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InputFormat {
    /// From its first bytes: `[` opens a JSON array; a document opening with `{` that is
    /// a SARIF log is one; anything else is JSON lines.
    #[default]
    Auto,
    /// One JSON value per line; a line holding a one-line SARIF log is advised as one.
    Lines,
    /// One JSON array of finding records.
    Array,
    /// One SARIF 2.1.0 log.
    Sarif,
}

/// What is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// The input's own format, with advice added.
    #[default]
    Same,
    /// A SARIF 2.1.0 log, whatever the input.
    Sarif,
}

/// How [`advise_with`] reads and writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// How to read the input.
    pub input: InputFormat,
    /// What to write.
    pub output: OutputFormat,
    /// The input's file name, which SARIF results point at (`None`: standard input,
    /// `stdin`).
    pub source: Option<String>,
}

/// Reads findings in any of the formats (detected) and writes the same records with
/// `advice` added. `report` receives one message per record passed through unread.
///
/// ```
/// # let advisor = remedy::advise::Advisor::with_content(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))).0;
/// let mut out = Vec::new();
/// let input = "{\"code\":\"phs.disabled\"}\n";
/// remedy::advise::advise_json(&advisor, "nb", input.as_bytes(), &mut out, |_| {}).unwrap();
/// let record: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(record["advice"]["locale"], "nb-NO");
/// ```
pub fn advise_json<R: BufRead, W: Write>(
    advisor: &Advisor,
    locale: &str,
    input: R,
    out: W,
    report: impl FnMut(String),
) -> std::io::Result<Summary> {
    advise_with(advisor, locale, Options::default(), input, out, report)
}

/// [`advise_json`] with the input format given or detected, and the output in the
/// input's format or as SARIF.
pub fn advise_with<R: BufRead, W: Write>(
    advisor: &Advisor,
    locale: &str,
    options: Options,
    input: R,
    out: W,
    report: impl FnMut(String),
) -> std::io::Result<Summary> {
    pass(advisor, locale, options, input, out, report, None)
}

/// One finding as the readers of [`advise_with`] saw it: for output built from the typed
/// advice rather than written around the input (guides).
#[derive(Debug)]
pub struct Observed<'a> {
    /// The code or rule id the input named the finding by.
    pub code: &'a str,
    /// The finding record (JSON input) or the SARIF result.
    pub record: &'a Map<String, Value>,
    /// `None`: unknown, or not a problem (`reason`).
    pub advice: Option<&'a Advice>,
    /// Why there is no advice for a known finding (`not-applicable`).
    pub reason: Option<&'static str>,
    /// The tool that reported it (a record's `tool`, a SARIF run's driver name).
    pub tool: Option<&'a str>,
    /// When the tool ran (a record's `time`/`timestamp`, a SARIF invocation's start).
    pub time: Option<&'a str>,
}

/// Receives each [`Observed`] finding.
pub type Observer<'a> = dyn FnMut(Observed<'_>) + 'a;

/// Reads findings as [`advise_with`] does (every input format, detected or given) and
/// hands each to `observe` with its advice; writes nothing. The summary counts as
/// `advise` does; `report` hears of input that is not a finding.
pub fn observe_findings<R: BufRead>(
    advisor: &Advisor,
    locale: &str,
    input_format: InputFormat,
    input: R,
    report: impl FnMut(String),
    observe: &mut Observer<'_>,
) -> std::io::Result<Summary> {
    let options = Options {
        input: input_format,
        ..Options::default()
    };
    pass(
        advisor,
        locale,
        options,
        input,
        std::io::sink(),
        report,
        Some(observe),
    )
}

fn pass<'a, R: BufRead, W: Write>(
    advisor: &'a Advisor,
    locale: &'a str,
    options: Options,
    mut input: R,
    mut out: W,
    report: impl FnMut(String),
    observe: Option<&'a mut Observer<'a>>,
) -> std::io::Result<Summary> {
    // A byte-order mark (PowerShell and .NET tools write one) is not part of the JSON:
    // set aside, and written back in front of output in the input's format.
    let bom = input.fill_buf()?.starts_with(BOM);
    if bom {
        input.consume(BOM.len());
        if options.output == OutputFormat::Same {
            out.write_all(BOM)?;
        }
    }
    let sniffed = match options.input {
        InputFormat::Auto => sniff(&mut input)?,
        format => Sniffed {
            format,
            head: Vec::new(),
            doc: None,
        },
    };
    let mut pass = Pass {
        advisor,
        locale,
        summary: Summary::default(),
        cache: Cache::default(),
        report,
        sarif: (options.output == OutputFormat::Sarif).then(|| {
            let chain = advisor.messages.negotiate(locale);
            let code = [("code", Arg::Text("{code}".to_owned()))];
            let text = |attribute| {
                advisor
                    .messages
                    .format(&chain, "finding-unknown", attribute, &code)
                    .map_or_else(|| "{code}".to_owned(), |f| f.text)
            };
            SarifLog::new(
                &chain[0].to_string(),
                options.source.as_deref(),
                (text(None), text(Some("description"))),
            )
        }),
        splicer: Splicer::new(),
        observe,
    };
    match sniffed.format {
        InputFormat::Lines | InputFormat::Auto => {
            let mut input = std::io::Read::chain(&sniffed.head[..], input);
            let mut line: Vec<u8> = Vec::new();
            let mut n = 0;
            loop {
                line.clear();
                if input.read_until(b'\n', &mut line)? == 0 {
                    break;
                }
                n += 1;
                match std::str::from_utf8(&line) {
                    Ok(text) => pass.line(n, text, &mut out)?,
                    // A line in another encoding is passed through as it came.
                    Err(e) => pass.unread(
                        format!("line {n}, byte {}", e.valid_up_to() + 1),
                        "not UTF-8 text; passed through as it was".into(),
                        &line,
                        &mut out,
                    )?,
                }
            }
        }
        format => {
            let mut bytes = sniffed.head;
            input.read_to_end(&mut bytes)?;
            match String::from_utf8(bytes) {
                Ok(text) if format == InputFormat::Array => {
                    pass.array(&text, sniffed.doc, &mut out)?
                }
                Ok(text) => pass.sarif_document(&text, sniffed.doc, &mut out)?,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to() + 1;
                    pass.unread(
                        format!("byte {at}"),
                        "not UTF-8 text; passed through as it was".into(),
                        e.as_bytes(),
                        &mut out,
                    )?
                }
            }
        }
    }
    if let Some(log) = pass.sarif.take() {
        log.write(&pass.splicer, &mut out)?;
    }
    out.flush()?;
    Ok(pass.summary)
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// serde_json's message without its position (which the caller reports its own way).
fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => text,
    }
}

/// Where a JSON error is in a whole document.
fn at(e: &serde_json::Error) -> String {
    format!("line {}, column {}", e.line(), e.column())
}

/// What detection found, and what it read on the way (to be read again).
struct Sniffed {
    format: InputFormat,
    head: Vec<u8>,
    /// The document already parsed, when detection had to parse it.
    doc: Option<Value>,
}

fn sniff<R: BufRead>(input: &mut R) -> std::io::Result<Sniffed> {
    let first = input
        .fill_buf()?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let mut head = Vec::new();
    if !matches!(first, Some(b'[' | b'{')) {
        return Ok(Sniffed {
            format: InputFormat::Lines,
            head,
            doc: None,
        });
    }
    // A first line that is a whole JSON object is JSON lines (a one-line SARIF log among
    // them is advised as one, line by line). Otherwise the input is one document: an
    // array, or a SARIF log, if it parses as one — else JSON lines after all (a log whose
    // lines start with "[2024-05-01 …]", say).
    input.read_until(b'\n', &mut head)?;
    let line = serde_json::from_slice::<Value>(head.trim_ascii_end());
    if first == Some(b'{') && line.is_ok() {
        return Ok(Sniffed {
            format: InputFormat::Lines,
            head,
            doc: None,
        });
    }
    input.read_to_end(&mut head)?;
    let (format, doc) = match serde_json::from_slice::<Value>(&head) {
        Ok(doc @ Value::Array(_)) => (InputFormat::Array, Some(doc)),
        Ok(doc) if super::sarif::is_sarif(&doc) => (InputFormat::Sarif, Some(doc)),
        _ => (InputFormat::Lines, None),
    };
    Ok(Sniffed { format, head, doc })
}

/// The state of one pass over the input.
struct Pass<'a, F> {
    advisor: &'a Advisor,
    locale: &'a str,
    summary: Summary,
    cache: Cache,
    report: F,
    /// With SARIF output: the log being built; records go there instead of out.
    sarif: Option<SarifLog>,
    splicer: Splicer,
    /// Told of every finding read, for output built from typed advice (guides).
    observe: Option<&'a mut Observer<'a>>,
}

impl<F: FnMut(String)> Pass<'_, F> {
    /// One line of JSON lines: a finding record or a one-line SARIF log gets advice;
    /// anything else goes out as it came, reported with its line number.
    fn line<W: Write>(&mut self, n: usize, line: &str, out: &mut W) -> std::io::Result<()> {
        let content = line.trim_end_matches(['\n', '\r']);
        // The line's own ending, "\r\n" too.
        let newline: &[u8] = &line.as_bytes()[content.len()..];
        if content.trim().is_empty() {
            return match self.sarif {
                Some(_) => Ok(()),
                None => out.write_all(line.as_bytes()),
            };
        }
        // Where and what, for what cannot be advised.
        let why: (String, String) = match serde_json::from_str::<Value>(content) {
            Ok(doc) if super::sarif::is_sarif(&doc) => {
                self.log(doc, false, out)?;
                if self.sarif.is_none() {
                    out.write_all(newline)?;
                }
                return Ok(());
            }
            Ok(record) => {
                if let Some(resolved) = self.record(&record) {
                    let rule = self.rule_advice(&record);
                    match &mut self.sarif {
                        Some(log) => {
                            let rule = rule.as_ref().and_then(|r| r.advice.as_ref());
                            log.record(Origin::Line(n), n, &record, &resolved, rule);
                        }
                        None => {
                            write_with_advice(out, record, &resolved)?;
                            out.write_all(newline)?;
                        }
                    }
                    return Ok(());
                }
                (
                    format!("line {n}"),
                    "not a finding record (no \"code\"); passed through".to_owned(),
                )
            }
            Err(e) => (
                format!("line {n}, column {}", e.column()),
                format!("not JSON ({}); passed through as it was", json_error(&e)),
            ),
        };
        self.unread(why.0, why.1, line.as_bytes(), out)
    }

    /// One JSON array of records.
    fn array<W: Write>(
        &mut self,
        text: &str,
        doc: Option<Value>,
        out: &mut W,
    ) -> std::io::Result<()> {
        let mut items = match doc.map_or_else(|| serde_json::from_str::<Value>(text), Ok) {
            Ok(Value::Array(items)) => items,
            Ok(_) => {
                let why = "not a JSON array of findings; passed through as it was";
                return self.unread("line 1".into(), why.into(), text.as_bytes(), out);
            }
            Err(e) => {
                let why = format!(
                    "not a JSON array of findings ({}); passed through as it was",
                    json_error(&e)
                );
                return self.unread(at(&e), why, text.as_bytes(), out);
            }
        };
        let lines = match self.sarif {
            Some(_) => item_lines(text),
            None => Vec::new(),
        };
        for (i, item) in items.iter_mut().enumerate() {
            if let Some(resolved) = self.record(item) {
                let rule = self.rule_advice(item);
                match &mut self.sarif {
                    Some(log) => {
                        let line = lines.get(i).copied().unwrap_or(1);
                        let rule = rule.as_ref().and_then(|r| r.advice.as_ref());
                        log.record(Origin::Item(i + 1), line, item, &resolved, rule);
                    }
                    None => {
                        let advice = self.splicer.advice_placeholder(&resolved);
                        if let Some(obj) = item.as_object_mut() {
                            obj.insert("advice".to_owned(), advice);
                            if let Some(reason) = resolved.reason {
                                obj.insert(REASON.to_owned(), Value::from(reason));
                            }
                        }
                    }
                }
            } else {
                self.summary.passed_through += 1;
                (self.report)(format!(
                    "item {}: not a finding record (no \"code\"); kept as is",
                    i + 1
                ));
                if let Some(log) = &mut self.sarif {
                    log.unread(
                        &Origin::Item(i + 1).to_string(),
                        "not a finding record (no \"code\")",
                        &item.to_string(),
                    );
                }
            }
        }
        if self.sarif.is_none() {
            self.splicer.write(out, &Value::Array(items), true, &[])?;
            writeln!(out)?;
        }
        Ok(())
    }

    /// One SARIF log (parsed already when detection found it).
    fn sarif_document<W: Write>(
        &mut self,
        text: &str,
        doc: Option<Value>,
        out: &mut W,
    ) -> std::io::Result<()> {
        let doc = match doc.map_or_else(|| serde_json::from_str::<Value>(text), Ok) {
            Ok(doc) if doc.get("runs").is_some_and(Value::is_array) => doc,
            Ok(_) => {
                let why = "not a SARIF log (no \"runs\" array); passed through as it was";
                return self.unread("line 1".into(), why.to_owned(), text.as_bytes(), out);
            }
            Err(e) => {
                let why = format!("not JSON ({}); passed through as it was", json_error(&e));
                return self.unread(at(&e), why, text.as_bytes(), out);
            }
        };
        // One line in, one line out; pretty in, pretty out.
        self.log(doc, text.trim().contains('\n'), out)?;
        if self.sarif.is_none() {
            writeln!(out)?;
        }
        Ok(())
    }

    /// Advises a SARIF log and writes it (or, for SARIF output, adds its runs to the log
    /// being built).
    fn log<W: Write>(&mut self, mut doc: Value, pretty: bool, out: &mut W) -> std::io::Result<()> {
        let problems = advise_sarif(
            self.advisor,
            self.locale,
            &mut doc,
            &mut self.summary,
            &mut self.cache,
            &mut self.splicer,
            self.observe.as_deref_mut(),
        );
        for p in problems {
            (self.report)(p);
        }
        match &mut self.sarif {
            Some(log) => {
                log.merge(doc);
                Ok(())
            }
            None => self.splicer.write(out, &doc, pretty, &[]),
        }
    }

    /// The advice for one finding record; `None` when the record is not one.
    fn record(&mut self, record: &Value) -> Option<Rc<Resolved>> {
        let resolved = advise_record(
            self.advisor,
            self.locale,
            record,
            &mut self.summary,
            &mut self.cache,
        )?;
        if let (Some(observe), Some(obj)) = (self.observe.as_mut(), record.as_object()) {
            let text = |keys: &[&str]| keys.iter().find_map(|k| obj.get(*k)?.as_str());
            observe(Observed {
                code: text(&["code"]).unwrap_or_default(),
                record: obj,
                advice: resolved.advice.as_ref(),
                reason: resolved.reason,
                tool: text(&["tool", "source"]),
                time: text(&["time", "timestamp", "@timestamp"]),
            });
        }
        Some(resolved)
    }

    /// The generic advice of a record's finding (no parameters), for its SARIF rule:
    /// resolved once per code and shared from the cache; `None` when no SARIF is written.
    fn rule_advice(&mut self, record: &Value) -> Option<Rc<Resolved>> {
        self.sarif.as_ref()?;
        let code = record.get("code").and_then(Value::as_str)?;
        Some(self.cache.for_code(self.advisor, self.locale, code, None))
    }

    /// Input that is not a record: reported, and kept — as it came, or in the SARIF log.
    fn unread<W: Write>(
        &mut self,
        place: String,
        why: String,
        raw: &[u8],
        out: &mut W,
    ) -> std::io::Result<()> {
        self.summary.passed_through += 1;
        (self.report)(format!("{place}: {why}"));
        match &mut self.sarif {
            Some(log) => {
                // SARIF holds text: bytes that are not UTF-8 are kept as replacement marks.
                let why = why.split("; passed through").next().unwrap_or_default();
                let text = String::from_utf8_lossy(raw);
                log.unread(&place, why, text.trim_end_matches(['\n', '\r']));
                Ok(())
            }
            None => out.write_all(raw),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::seed_advisor as advisor;

    fn run(input: &str, locale: &str) -> (String, Summary, Vec<String>) {
        let a = advisor();
        let mut out = Vec::new();
        let mut reports = Vec::new();
        let s = advise_json(&a, locale, input.as_bytes(), &mut out, |r| reports.push(r)).unwrap();
        (String::from_utf8(out).unwrap(), s, reports)
    }

    #[test]
    fn json_lines_keep_every_field_and_order_and_gain_advice() {
        let input = "{\"tool\":\"aadc-check\",\"code\":\"phs.stale\",\"severity\":\"warning\",\"params\":{\"days\":5},\"host\":\"AADC01\"}\n\n{\"code\":\"made.up\"}\nnot json at all\n[1,2]\n";
        let (out, s, reports) = run(input, "nb-NO");
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), 6, "{out}");
        let first: Value = serde_json::from_str(lines[0]).unwrap();
        let keys: Vec<&str> = first
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["tool", "code", "severity", "params", "host", "advice"]
        );
        assert_eq!(
            first["advice"]["title"],
            "Passordene ble sist synkronisert for 5 dager siden"
        );
        assert_eq!(first["advice"]["locale"], "nb-NO");
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "{\"code\":\"made.up\",\"advice\":null}");
        assert_eq!(lines[3], "not json at all");
        assert_eq!(lines[4], "[1,2]");
        assert_eq!(
            s,
            Summary {
                records: 2,
                advised: 1,
                not_applicable: 0,
                unknown: 1,
                passed_through: 2
            }
        );
        assert!(
            reports[0].starts_with("line 4, column 2: not JSON (expected ident)"),
            "{reports:?}"
        );
        assert!(reports[1].starts_with("line 5: not a finding record"));
    }

    /// What real tool output holds besides clean JSON lines: another encoding, CRLF line
    /// ends, a byte-order mark, log lines that open with "[".
    #[test]
    fn foreign_bytes_crlf_bom_and_bracket_lines_survive() {
        let a = advisor();
        let run = |input: &[u8]| {
            let mut out = Vec::new();
            let mut reports = Vec::new();
            let s = advise_json(&a, "en", input, &mut out, |r| reports.push(r)).unwrap();
            (out, s, reports)
        };
        // A Latin-1 line between records: passed through, the records after it advised.
        let (out, s, reports) =
            run(b"{\"code\":\"phs.disabled\"}\r\ncaf\xE9 log\n{\"code\":\"phs.stale\"}");
        let text = String::from_utf8_lossy(&out);
        let lines: Vec<&[u8]> = out.split(|b| *b == b'\n').collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].ends_with(b"}\r"), "CRLF kept: {text}");
        assert_eq!(lines[1], b"caf\xE9 log");
        assert!(text.contains("\"code\":\"phs.stale\",\"advice\":{"));
        assert!(!out.ends_with(b"\n"), "no newline added at the end");
        assert_eq!((s.advised, s.passed_through), (2, 1));
        assert_eq!(
            reports,
            ["line 2, byte 4: not UTF-8 text; passed through as it was"]
        );

        // A byte-order mark: set aside, the JSON read, the mark written back.
        let (out, s, _) = run(b"\xEF\xBB\xBF{\"code\":\"phs.disabled\"}\n");
        assert!(out.starts_with(b"\xEF\xBB\xBF{\"code\":\"phs.disabled\",\"advice\":{"));
        assert_eq!(s.advised, 1);

        // Lines that open with "[" but are no array: JSON lines after all.
        let (out, s, _) = run(b"[2024-05-01 10:00] sync started\n{\"code\":\"phs.disabled\"}\n");
        assert!(out.starts_with(
            b"[2024-05-01 10:00] sync started\n{\"code\":\"phs.disabled\",\"advice\":{"
        ));
        assert_eq!((s.advised, s.passed_through), (1, 1));
    }

    #[test]
    fn a_json_array_comes_back_as_an_array() {
        let (out, s, _) = run("[{\"code\":\"AD_UNREACHABLE\"},{\"code\":\"x\"}]", "nl");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["advice"]["code"], "ad.unreachable");
        assert_eq!(v[0]["advice"]["message_locale"], "nl-NL");
        assert_eq!(v[1]["advice"], Value::Null);
        assert_eq!(s.advised, 1);
    }
}
