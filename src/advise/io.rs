//! Findings in, the same records out with advice added: JSON lines, JSON arrays and
//! SARIF 2.1.0 logs (see [`super::sarif`]).
//! Nothing from the input is lost or reordered: keys keep their order, unknown findings
//! get `"advice": null`, and a line that is not JSON is passed through as it was and
//! reported with its line number.

use std::io::{BufRead, Write};

use serde_json::Value;

use super::resolve::{Advisor, advise_code};

/// Counts for the summary on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub records: usize,
    pub advised: usize,
    pub unknown: usize,
    /// Lines that are not JSON, or JSON that is not a finding record; passed through.
    pub passed_through: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} records: {} advised, {} unknown findings, {} passed through unread",
            self.records, self.advised, self.unknown, self.passed_through
        )
    }
}

/// Advice already resolved, by code and parameters: tools repeat the same findings, and
/// resolving reads articles. Bounded.
#[derive(Default)]
struct Cache {
    advice: std::collections::HashMap<(String, String), Value>,
}

const CACHE: usize = 1024;

/// Adds `advice` to one finding record (an object with a string `code`); `false` when
/// the record is not one.
fn advise_record(
    advisor: &Advisor,
    locale: &str,
    record: &mut Value,
    summary: &mut Summary,
    cache: &mut Cache,
) -> bool {
    let Some(obj) = record.as_object_mut() else {
        return false;
    };
    let Some(code) = obj.get("code").and_then(Value::as_str).map(str::to_owned) else {
        return false;
    };
    let params = obj
        .get("params")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    summary.records += 1;
    let key = (code.clone(), Value::Object(params.clone()).to_string());
    let advice = match cache.advice.get(&key) {
        Some(v) => v.clone(),
        None => {
            let v = serde_json::to_value(advise_code(advisor, &code, &params, locale))
                .expect("advice serializes");
            if cache.advice.len() >= CACHE {
                cache.advice.clear();
            }
            cache.advice.insert(key, v.clone());
            v
        }
    };
    if advice.is_null() {
        summary.unknown += 1;
    } else {
        summary.advised += 1;
    }
    obj.insert("advice".to_owned(), advice);
    true
}

/// Reads JSON lines (or one JSON array) and writes each record with `advice` added.
/// `report` receives one message per line passed through unread.
pub fn advise_json<R: BufRead, W: Write>(
    advisor: &Advisor,
    locale: &str,
    mut input: R,
    mut out: W,
    mut report: impl FnMut(String),
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut cache = Cache::default();
    // A JSON array is one document; JSON lines are read line by line, in constant memory.
    let starts_array = input.fill_buf()?.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if starts_array {
        let mut text = String::new();
        input.read_to_string(&mut text)?;
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(mut items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if !advise_record(advisor, locale, item, &mut summary, &mut cache) {
                        summary.passed_through += 1;
                        report(format!(
                            "item {}: not a finding record (no \"code\"); kept as is",
                            i + 1
                        ));
                    }
                }
                serde_json::to_writer_pretty(&mut out, &Value::Array(items))?;
                writeln!(out)?;
            }
            Ok(_) | Err(_) => {
                let why = serde_json::from_str::<Value>(&text)
                    .err()
                    .map_or_else(|| "not an array".to_owned(), |e| e.to_string());
                summary.passed_through += 1;
                report(format!(
                    "line 1: not a JSON array of findings ({why}); passed through as it was"
                ));
                out.write_all(text.as_bytes())?;
            }
        }
        return Ok(summary);
    }
    // A document that opens with `{` but whose first line is not a whole object is one
    // pretty-printed document: a SARIF log. JSON lines stay line by line.
    let mut line = String::new();
    let mut pending = false;
    if input.fill_buf()?.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        input.read_line(&mut line)?;
        let first_whole = serde_json::from_str::<Value>(line.trim_end()).is_ok();
        if !first_whole {
            input.read_to_string(&mut line)?;
        }
        if let Ok(mut doc) = serde_json::from_str::<Value>(&line)
            && super::sarif::is_sarif(&doc)
        {
            super::sarif::advise_sarif(advisor, locale, &mut doc, &mut summary);
            if first_whole {
                serde_json::to_writer(&mut out, &doc)?;
                out.write_all(if line.ends_with('\n') { b"\n" } else { b"" })?;
            } else {
                serde_json::to_writer_pretty(&mut out, &doc)?;
                writeln!(out)?;
                return Ok(summary);
            }
            line.clear();
        } else if first_whole {
            pending = true;
        } else {
            // Not one document: JSON lines after all, whose first line is broken.
            for (i, l) in line.split_inclusive('\n').enumerate() {
                one_line(
                    advisor,
                    locale,
                    i + 1,
                    l,
                    &mut out,
                    &mut report,
                    &mut summary,
                    &mut cache,
                )?;
            }
            return Ok(summary);
        }
    }
    let mut n = 0;
    loop {
        if pending {
            pending = false;
        } else {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                break;
            }
        }
        n += 1;
        one_line(
            advisor,
            locale,
            n,
            &line,
            &mut out,
            &mut report,
            &mut summary,
            &mut cache,
        )?;
    }
    Ok(summary)
}

/// One line of JSON lines: a finding record gets advice; anything else goes out as it
/// came, reported with its line number.
#[allow(clippy::too_many_arguments)] // the state of one streaming pass
fn one_line<W: Write>(
    advisor: &Advisor,
    locale: &str,
    n: usize,
    line: &str,
    out: &mut W,
    report: &mut impl FnMut(String),
    summary: &mut Summary,
    cache: &mut Cache,
) -> std::io::Result<()> {
    let content = line.trim_end_matches(['\n', '\r']);
    if content.trim().is_empty() {
        return out.write_all(line.as_bytes());
    }
    match serde_json::from_str::<Value>(content) {
        Ok(mut record) => {
            if advise_record(advisor, locale, &mut record, summary, cache) {
                serde_json::to_writer(&mut *out, &record)?;
                out.write_all(if line.ends_with('\n') { b"\n" } else { b"" })
            } else {
                summary.passed_through += 1;
                report(format!(
                    "line {n}: not a finding record (no \"code\"); passed through"
                ));
                out.write_all(line.as_bytes())
            }
        }
        Err(e) => {
            summary.passed_through += 1;
            report(format!(
                "line {n}: not JSON ({e}); passed through as it was"
            ));
            out.write_all(line.as_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisor() -> Advisor {
        Advisor::with_content(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/content"
        )))
        .0
    }

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
                unknown: 1,
                passed_through: 2
            }
        );
        assert!(reports[0].starts_with("line 4: not JSON"), "{reports:?}");
        assert!(reports[1].starts_with("line 5: not a finding record"));
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
