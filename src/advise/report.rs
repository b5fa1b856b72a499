//! Advice as a report for people: Markdown or plain text, one section per finding.

use super::resolve::{Advice, StepSource};
use crate::article::markdown_to_text;

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// CommonMark: a section per finding.
    Markdown,
    /// Plain text; with `colour`, titles bold and sources dim (ANSI), for a terminal.
    Text {
        /// ANSI bold and dim.
        colour: bool,
    },
}

/// One section per advice: title, code and severity, description, steps, source.
///
/// From the typed advice, not from advised output read back: a field renamed in
/// [`Advice`] is a compile error here, not a blank line in every report.
pub fn render(advice: &[Advice], format: ReportFormat) -> String {
    let (markdown, colour) = match format {
        ReportFormat::Markdown => (true, false),
        ReportFormat::Text { colour } => (false, colour),
    };
    let (bold, dim, reset) = if colour {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    for a in advice {
        let (title, code, severity) = (&a.title, &a.code, a.severity.as_str());
        let description = &a.description;
        let steps = a.steps.as_deref().unwrap_or_default();
        let sources: Vec<String> = a.sources.iter().map(StepSource::label).collect();
        if markdown {
            out.push_str(&format!(
                "## {title}\n\n`{code}` · {severity}\n\n{description}\n\n"
            ));
            if !steps.is_empty() {
                out.push_str(steps);
                out.push_str("\n\n");
            }
            for src in &sources {
                out.push_str(&format!("*{src}*\n\n"));
            }
        } else {
            out.push_str(&format!(
                "{bold}{title}{reset}  [{code}, {severity}]\n  {description}\n"
            ));
            for line in markdown_to_text(steps)
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
    fn reports_in_markdown_and_text() {
        let source = StepSource {
            article: crate::advise::ArticleLink {
                path: "a.md".into(),
                title: "A".into(),
                anchor: Some("x".into()),
            },
            locale: "nb-NO".into(),
            machine_translated: true,
            english_changed: false,
        };
        let a = Advice {
            code: "phs.disabled".into(),
            severity: crate::advise::Severity::Error,
            title: "Tittel".into(),
            description: "Forklaring.".into(),
            message_locale: "nb-NO".into(),
            steps: Some("1. Velg **Fil**.\n2. Lagre.".into()),
            article: None,
            locale: "nb-NO".into(),
            machine_translated: true,
            english_changed: false,
            sources: vec![source],
            unknown: Vec::new(),
        };
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
