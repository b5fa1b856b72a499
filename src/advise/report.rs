//! Advice as a report for people: Markdown or plain text, one section per finding.

use serde_json::Value;

use super::resolve::StepSource;
use crate::article::markdown_to_text;

/// Every `advice` object in advised output (JSON lines, a JSON array or a SARIF log), in
/// order; `null` advice (unknown findings) is skipped.
pub fn collect_advice(output: &str) -> Vec<Value> {
    let mut found = Vec::new();
    fn walk(v: &Value, found: &mut Vec<Value>) {
        match v {
            Value::Object(o) => {
                if let Some(a) = o.get("advice").filter(|a| a.is_object()) {
                    found.push(a.clone());
                }
                for (k, x) in o {
                    if k != "advice" {
                        walk(x, found);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, found)),
            _ => {}
        }
    }
    match serde_json::from_str::<Value>(output) {
        Ok(doc) => walk(&doc, &mut found),
        Err(_) => {
            for line in output.lines() {
                if let Ok(v) = serde_json::from_str::<Value>(line) {
                    walk(&v, &mut found);
                }
            }
        }
    }
    found
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    /// Plain text; with `colour`, titles bold and sources dim (ANSI), for a terminal.
    Text {
        colour: bool,
    },
}

/// One section per advice: title, code and severity, description, steps, source.
pub fn render(advice: &[Value], format: ReportFormat) -> String {
    let (markdown, colour) = match format {
        ReportFormat::Markdown => (true, false),
        ReportFormat::Text { colour } => (false, colour),
    };
    let (bold, dim, reset) = if colour {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let s = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut out = String::new();
    for a in advice {
        let (title, code, severity) = (s(a, "title"), s(a, "code"), s(a, "severity"));
        let steps = s(a, "steps");
        let sources: Vec<String> = a
            .get("sources")
            .and_then(|s| serde_json::from_value::<Vec<StepSource>>(s.clone()).ok())
            .unwrap_or_default()
            .iter()
            .map(StepSource::label)
            .collect();
        if markdown {
            out.push_str(&format!(
                "## {title}\n\n`{code}` · {severity}\n\n{}\n\n",
                s(a, "description")
            ));
            if !steps.is_empty() {
                out.push_str(&steps);
                out.push_str("\n\n");
            }
            for src in &sources {
                out.push_str(&format!("*{src}*\n\n"));
            }
        } else {
            out.push_str(&format!(
                "{bold}{title}{reset}  [{code}, {severity}]\n  {}\n",
                s(a, "description")
            ));
            for line in markdown_to_text(&steps)
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                out.push_str(&format!("  - {}\n", line.trim()));
            }
            for src in &sources {
                out.push_str(&format!("  {dim}({src}){reset}\n"));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_is_found_in_lines_arrays_and_sarif() {
        let lines = "{\"code\":\"a\",\"advice\":{\"title\":\"T\",\"code\":\"a\"}}\n{\"code\":\"b\",\"advice\":null}\nnot json\n";
        assert_eq!(collect_advice(lines).len(), 1);
        let sarif = "{\"runs\":[{\"results\":[{\"properties\":{\"advice\":{\"title\":\"S\"}}}]}]}";
        assert_eq!(collect_advice(sarif)[0]["title"], "S");
    }

    #[test]
    fn reports_in_markdown_and_text() {
        let a = serde_json::json!({"title": "Tittel", "code": "phs.disabled", "severity": "error",
            "description": "Forklaring.", "steps": "1. Velg **Fil**.\n2. Lagre.",
            "sources": [{"path": "a.md", "title": "A", "anchor": "x", "locale": "nb-NO",
                "machine_translated": true, "english_changed": false}]});
        let md = render(std::slice::from_ref(&a), ReportFormat::Markdown);
        assert!(
            md.starts_with(
                "## Tittel\n\n`phs.disabled` · error\n\nForklaring.\n\n1. Velg **Fil**."
            )
        );
        assert!(md.contains("*a.md#x (nb-NO, machine translated)*"));
        let text = render(
            std::slice::from_ref(&a),
            ReportFormat::Text { colour: false },
        );
        assert!(
            text.starts_with("Tittel  [phs.disabled, error]\n  Forklaring.\n  - Velg Fil.\n"),
            "{text}"
        );
        let coloured = render(&[a], ReportFormat::Text { colour: true });
        assert!(coloured.starts_with("\x1b[1mTittel\x1b[0m  [phs.disabled, error]"));
        assert!(coloured.contains("\x1b[2m(a.md#x (nb-NO, machine translated))\x1b[0m"));
    }
}
