use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Args, ValueEnum};

use super::Failure;
use super::advise::locale_from_env;
use super::content_dir;
use remedy::check::{Glossary, Severity, check_dir, html_report, human, sarif, summary_line};
use remedy::l10n::Messages;
use remedy::locale::Locale;
use remedy::render::Templates;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The content to check.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Terms, forbidden forms and suppressions; default `<content>/glossary.yaml` when it
    /// exists.
    #[arg(long, value_name = "FILE")]
    glossary: Option<PathBuf>,
    /// Exit with 1 when a finding at or above this severity is found.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Write the report here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The language of the HTML report's page (default from $LANG).
    #[arg(long)]
    locale: Option<String>,
    /// Link each finding of the HTML report to the article's page on this site (a
    /// `remedy site` or `remedy serve` address) instead of the Markdown file.
    #[arg(long, value_name = "URL")]
    site_url: Option<String>,
    /// Templates that replace the built-in ones file by file (`check.html.j2`).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// `path:line:col: severity[check]: message`, one per line.
    Human,
    Json,
    /// SARIF 2.1.0, with remedy's checks as rules.
    Sarif,
    /// A report page with charts.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

pub fn run(args: CheckArgs) -> Result<ExitCode, Failure> {
    let content = content_dir(&args.content)?;
    let glossary = match &args.glossary {
        Some(path) => Glossary::load(path, false),
        None => Glossary::load(&content.join("glossary.yaml"), true),
    }?;
    let started = std::time::Instant::now();
    let (report, errors) = check_dir(&content, &glossary);
    for e in &errors {
        eprintln!("remedy: {e}");
    }
    let text = match args.format {
        CheckFormat::Human => human(&report),
        CheckFormat::Json => to_json(&report)?,
        CheckFormat::Sarif => {
            let root = std::path::absolute(&content).ok().map(|p| {
                format!(
                    "file://{}/",
                    remedy::render::encode_path(&p.to_string_lossy())
                )
            });
            to_json(&sarif(&report, root.as_deref()))?
        }
        CheckFormat::Html => {
            let templates = Templates::new(args.templates.as_deref())?;
            let messages = Messages::builtin();
            let asked = args.locale.clone().unwrap_or_else(locale_from_env);
            let locale: Locale = messages.negotiate(&asked)[0].clone();
            html_report(
                &report,
                &templates,
                &messages,
                &locale,
                &content,
                args.site_url.as_deref(),
            )?
        }
    };
    match &args.out {
        Some(path) => remedy::content::write_atomic(path, text.as_bytes())
            .map_err(|e| anyhow!("{}: {e}", path.display()))?,
        None => super::print(&text)?,
    }
    eprintln!(
        "remedy: {}; {:.2} s",
        summary_line(&report),
        started.elapsed().as_secs_f64()
    );
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    // An article that could not be read was not checked: a gate must not pass over it.
    let failed = matches!((report.worst(), threshold), (Some(w), Some(t)) if w >= t)
        || (threshold.is_some() && !errors.is_empty());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(Failure::from)
}
