use std::io::{BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::Failure;
use remedy::advise::Advisor;
use remedy::advise::{Style, annotate};

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// A tool's text output; `-` or nothing for standard input.
    file: Option<PathBuf>,
    /// The reader's language; default from $LANG.
    #[arg(long)]
    locale: Option<String>,
    /// The knowledge base the remediation steps come from.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
}

pub fn run(args: AnnotateArgs) -> Result<ExitCode, Failure> {
    let locale = args
        .locale
        .clone()
        .unwrap_or_else(super::advise::locale_from_env);
    let content = super::content_dir(&args.content)?;
    let (advisor, errors) = Advisor::with_content(&content);
    for e in &errors {
        eprintln!("remedy: {e}");
    }
    let style = Style {
        colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let summary = match args.file.as_ref().filter(|f| f.as_os_str() != "-") {
        Some(path) => {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            annotate(
                &advisor,
                &locale,
                BufReader::with_capacity(64 * 1024, f),
                out,
                style,
            )
        }
        None => annotate(&advisor, &locale, std::io::stdin().lock(), out, style),
    }?;
    eprintln!(
        "remedy: {} lines, {} with advice, {} matching a finding that does not hold",
        summary.lines, summary.matched, summary.not_applicable
    );
    Ok(ExitCode::SUCCESS)
}
