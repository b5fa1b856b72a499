//! Advice written into a document as placeholders, then spliced in as serialized JSON
//! when the document is written: a large SARIF log or array holds each distinct advice
//! once, not once per result.

use std::io::Write;
use std::rc::Rc;

use serde_json::Value;

use super::resolved::Resolved;

/// Advice put into a document as a placeholder and written as its serialized JSON: a
/// large SARIF log or array holds each distinct advice once, not once per result.
pub(super) struct Splicer {
    /// Opens every placeholder string; unique to this process and moment, so no input
    /// string is mistaken for one.
    marker: String,
    table: Vec<Rc<Resolved>>,
    index: std::collections::HashMap<*const Resolved, usize>,
}

impl Splicer {
    pub(super) fn new() -> Splicer {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Splicer {
            marker: format!("\u{0}remedy-{:x}-{nanos:x}:", std::process::id()),
            table: Vec::new(),
            index: std::collections::HashMap::new(),
        }
    }

    /// What to put where the advice goes: `null` for an unknown finding.
    pub(super) fn advice_placeholder(&mut self, resolved: &Rc<Resolved>) -> Value {
        if resolved.advice.is_none() {
            return Value::Null;
        }
        let k = *self.index.entry(Rc::as_ptr(resolved)).or_insert_with(|| {
            self.table.push(resolved.clone());
            self.table.len() - 1
        });
        Value::String(format!("{}a{k}\u{0}", self.marker))
    }

    /// What to put where the `i`th of the `results` given to [`Splicer::write`] goes.
    pub(super) fn results_placeholder(&self, i: usize) -> Value {
        Value::String(format!("{}r{i}\u{0}", self.marker))
    }

    /// Writes `doc` with the placeholders replaced: advice by its JSON, results by an
    /// array of the serialized results (one per line, as [`super::sarif::SarifLog`]
    /// writes them). Streams: the document is never held as one string.
    pub(super) fn write<W: Write>(
        &self,
        out: &mut W,
        doc: &Value,
        pretty: bool,
        results: &[Vec<u8>],
    ) -> std::io::Result<()> {
        let mut w = SpliceWriter {
            splicer: self,
            results,
            // serde_json writes U+0000 as `\u0000`.
            open: format!("\"\\u0000{}", &self.marker[1..]).into_bytes(),
            pending: Vec::new(),
            out: std::io::BufWriter::with_capacity(1 << 16, out),
        };
        if pretty {
            serde_json::to_writer_pretty(&mut w, doc)?;
        } else {
            serde_json::to_writer(&mut w, doc)?;
        }
        w.finish()
    }
}

/// Replaces placeholders in serialized JSON as it passes. Holds back only what might be
/// the start of a placeholder.
struct SpliceWriter<'a, W: Write> {
    splicer: &'a Splicer,
    results: &'a [Vec<u8>],
    open: Vec<u8>,
    pending: Vec<u8>,
    out: std::io::BufWriter<W>,
}

const CLOSE: &[u8] = b"\\u0000\"";

impl<W: Write> SpliceWriter<'_, W> {
    /// Writes what of `pending` is settled: text before any placeholder, placeholders
    /// whole; keeps a possible beginning of one.
    fn drain(&mut self) -> std::io::Result<()> {
        let mut start = 0;
        loop {
            let rest = &self.pending[start..];
            match find(rest, &self.open) {
                Some(at) => {
                    let body = &rest[at + self.open.len()..];
                    let Some(end) = find(body, CLOSE) else {
                        self.out.write_all(&rest[..at])?;
                        start += at;
                        break;
                    };
                    self.out.write_all(&rest[..at])?;
                    let (kind, k) = body[..end].split_at(1);
                    let k: usize = std::str::from_utf8(k)
                        .ok()
                        .and_then(|k| k.parse().ok())
                        .expect("placeholders are numbered");
                    if kind == b"a" {
                        self.out
                            .write_all(self.splicer.table[k].json().as_bytes())?;
                    } else if self.results[k].is_empty() {
                        self.out.write_all(b"[]")?;
                    } else {
                        self.out.write_all(b"[\n")?;
                        self.out.write_all(&self.results[k])?;
                        self.out.write_all(b"\n      ]")?;
                    }
                    start += at + self.open.len() + end + CLOSE.len();
                }
                None => {
                    // Keep a tail that could be the first bytes of a placeholder.
                    let keep = (1..self.open.len().min(rest.len() + 1))
                        .rev()
                        .find(|&n| rest.ends_with(&self.open[..n]))
                        .unwrap_or(0);
                    self.out.write_all(&rest[..rest.len() - keep])?;
                    start += rest.len() - keep;
                    break;
                }
            }
        }
        self.pending.drain(..start);
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.drain()?;
        let rest = std::mem::take(&mut self.pending);
        self.out.write_all(&rest)?;
        self.out.flush()
    }
}

impl<W: Write> Write for SpliceWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= 1 << 14 || buf.contains(&b'"') {
            self.drain()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut from = 0;
    while let Some(i) = hay[from..].iter().position(|&b| b == first) {
        let at = from + i;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        if hay.len() - at < needle.len() {
            return None;
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::resolved::Cache;
    use crate::advise::seed_advisor as advisor;

    #[test]
    fn placeholders_are_replaced_however_the_bytes_arrive() {
        let a = advisor();
        let mut cache = Cache::default();
        let mut splicer = Splicer::new();
        let finding = a.catalog.by_code("phs.disabled").unwrap();
        let resolved = cache.for_finding(&a, "nb", finding, &serde_json::Map::new());
        let unknown = cache.for_code(&a, "nb", "no.such", None);
        let placeholder = splicer.advice_placeholder(&resolved);
        assert_eq!(splicer.advice_placeholder(&unknown), Value::Null);
        // Text that looks like the start of a placeholder, but is not one, survives.
        let lookalike = splicer.marker[..8].to_owned();
        let doc = serde_json::json!({
            "a": placeholder.clone(),
            "b": [lookalike.clone(), "\"quoted\"", placeholder, 1],
            "r": splicer.results_placeholder(0),
        });
        let results = vec![b"        {\"x\":1},\n        {\"x\":2}".to_vec()];
        let expected = serde_json::json!({
            "a": resolved.value,
            "b": [lookalike, "\"quoted\"", resolved.value, 1],
            "r": [{"x": 1}, {"x": 2}],
        });
        for pretty in [false, true] {
            let text = if pretty {
                serde_json::to_vec_pretty(&doc).unwrap()
            } else {
                serde_json::to_vec(&doc).unwrap()
            };
            for chunk in [1, 2, 3, 7, 64, text.len()] {
                let mut out = Vec::new();
                let mut w = SpliceWriter {
                    splicer: &splicer,
                    results: &results,
                    open: format!("\"\\u0000{}", &splicer.marker[1..]).into_bytes(),
                    pending: Vec::new(),
                    out: std::io::BufWriter::new(&mut out),
                };
                for piece in text.chunks(chunk) {
                    w.write_all(piece).unwrap();
                }
                w.finish().unwrap();
                let got: Value = serde_json::from_slice(&out)
                    .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)));
                assert_eq!(got, expected, "chunks of {chunk}");
            }
        }
    }
}
