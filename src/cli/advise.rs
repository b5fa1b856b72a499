use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::Failure;
use remedy::advise::{Advice, Advisor, Observed, observe_findings, report};
use remedy::advise::{InputFormat, Options, OutputFormat, advise_with};

#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// Findings: JSON lines, a JSON array or a SARIF 2.1.0 log; `-` or nothing for
    /// standard input.
    file: Option<PathBuf>,
    /// How to read the input; `auto` detects it from its first bytes.
    #[arg(long, value_enum, default_value_t = Input::Auto)]
    input: Input,
    /// The reader's language (nb, no, nb-NO, nl, nl-BE, en-US, …); default from $LANG.
    #[arg(long)]
    locale: Option<String>,
    /// The knowledge base the remediation steps come from.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// `json`: the input's own format (JSON lines, JSON array or SARIF) with advice added;
    /// `sarif`: a SARIF 2.1.0 log whatever the input; `md` or `text`: a report for people.
    #[arg(long, value_enum, default_value_t = AdviseFormat::Json)]
    format: AdviseFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AdviseFormat {
    Json,
    Sarif,
    Md,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Input {
    Auto,
    /// JSON lines: one record per line.
    #[value(alias = "jsonl", alias = "ndjson")]
    Lines,
    /// One JSON array of records.
    #[value(alias = "json")]
    Array,
    /// A SARIF 2.1.0 log.
    Sarif,
}

impl Input {
    pub(super) fn format(self) -> InputFormat {
        match self {
            Input::Auto => InputFormat::Auto,
            Input::Lines => InputFormat::Lines,
            Input::Array => InputFormat::Array,
            Input::Sarif => InputFormat::Sarif,
        }
    }
}

pub fn run(args: AdviseArgs) -> Result<ExitCode, Failure> {
    let locale = args.locale.clone().unwrap_or_else(locale_from_env);
    let content = super::content_dir(&args.content)?;
    let (advisor, errors) = Advisor::with_content(&content);
    for e in &errors {
        eprintln!("remedy: {e}");
    }
    let source = args.file.as_ref().filter(|f| f.as_os_str() != "-");
    let input: Box<dyn BufRead> = match source {
        Some(path) => Box::new(BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
        )),
        None => {
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "remedy: reading findings from standard input (JSON lines, a JSON array or SARIF)…"
                );
            }
            Box::new(std::io::stdin().lock())
        }
    };
    let report = |r: String| match source {
        Some(path) => eprintln!("remedy: {}: {r}", path.display()),
        None => eprintln!("remedy: {r}"),
    };
    let summary = match args.format {
        AdviseFormat::Json | AdviseFormat::Sarif => {
            let options = Options {
                input: args.input.format(),
                output: match args.format {
                    AdviseFormat::Sarif => OutputFormat::Sarif,
                    _ => OutputFormat::Same,
                },
                source: source.map(|f| f.to_string_lossy().into_owned()),
            };
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            advise_with(&advisor, &locale, options, input, out, report)?
        }
        AdviseFormat::Md | AdviseFormat::Text => {
            // A report for people: the typed advice of each finding, in input order.
            let mut advice: Vec<Advice> = Vec::new();
            let summary = observe_findings(
                &advisor,
                &locale,
                args.input.format(),
                input,
                report,
                &mut |o: Observed<'_>| advice.extend(o.advice.cloned()),
            )?;
            let format = match args.format {
                AdviseFormat::Md => report::ReportFormat::Markdown,
                _ => report::ReportFormat::Text {
                    colour: std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none(),
                },
            };
            super::print(&report::render(&advice, format))?;
            summary
        }
    };
    eprintln!("remedy: {summary}");
    Ok(ExitCode::SUCCESS)
}

/// The reader's locale from `$LC_ALL` or `$LANG` (`nb_NO.UTF-8` → `nb_NO`).
pub fn locale_from_env() -> String {
    std::env::var("LC_ALL")
        .ok()
        .filter(|l| !l.is_empty())
        .or_else(|| std::env::var("LANG").ok())
        .map(|l| l.split('.').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}
