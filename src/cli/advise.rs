use std::io::{BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::Failure;
use remedy::advise::io::{InputFormat, Options, OutputFormat, advise_with};
use remedy::advise::{Advisor, report};

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
    let stdout = std::io::stdout();
    // A report for people is rendered from the advised records once they are complete.
    let mut buffer: Vec<u8> = Vec::new();
    let out: Box<dyn std::io::Write + '_> = match args.format {
        AdviseFormat::Json | AdviseFormat::Sarif => {
            Box::new(std::io::BufWriter::new(stdout.lock()))
        }
        AdviseFormat::Md | AdviseFormat::Text => Box::new(&mut buffer),
    };
    let options = Options {
        input: args.input.format(),
        output: match args.format {
            AdviseFormat::Sarif => OutputFormat::Sarif,
            _ => OutputFormat::Same,
        },
        source: args
            .file
            .as_ref()
            .filter(|f| f.as_os_str() != "-")
            .map(|f| f.to_string_lossy().into_owned()),
    };
    let report = |r: String| eprintln!("remedy: {r}");
    let summary = match args.file.as_ref().filter(|f| f.as_os_str() != "-") {
        Some(path) => {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            advise_with(&advisor, &locale, options, BufReader::new(f), out, |r| {
                report(format!("{}: {r}", path.display()))
            })
        }
        None => {
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "remedy: reading findings from standard input (JSON lines, a JSON array or SARIF)…"
                );
            }
            advise_with(
                &advisor,
                &locale,
                options,
                std::io::stdin().lock(),
                out,
                report,
            )
        }
    }?;
    if matches!(args.format, AdviseFormat::Md | AdviseFormat::Text) {
        let advice = report::collect_advice(&String::from_utf8_lossy(&buffer));
        let format = match args.format {
            AdviseFormat::Md => report::ReportFormat::Markdown,
            _ => report::ReportFormat::Text {
                colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            },
        };
        super::print(&report::render(&advice, format))?;
    }
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
