use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::Args;

use super::{Failure, Format, print};
use remedy::article::View;
use remedy::content;
use remedy::inspect::{ArticleReport, Summary};

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The article to inspect.
    #[arg(required_unless_present_any = ["summary", "diagnostics"], conflicts_with_all = ["summary", "diagnostics", "content"])]
    file: Option<PathBuf>,
    /// Print one view of the article instead of the report.
    #[arg(long, value_enum, requires = "file")]
    view: Option<View>,
    /// The content folder to total (with --summary).
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Print totals over every article under --content.
    #[arg(long, conflicts_with = "diagnostics")]
    summary: bool,
    /// List every diagnostic under --content as `path:line:col: severity[kind]: message`.
    #[arg(long)]
    diagnostics: bool,
    /// Only diagnostics of this kind (with --diagnostics), e.g. span-without-partner.
    #[arg(long, requires = "diagnostics")]
    kind: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: InspectArgs) -> Result<ExitCode, Failure> {
    if args.summary || args.diagnostics {
        return content_dir(&args);
    }
    let path = args
        .file
        .as_ref()
        .expect("clap requires FILE without --summary");
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = content::decode(path, bytes)?;
    let article = remedy::article::Article::parse(path, text);
    if let Some(view) = args.view {
        let text = article.view(view).ok_or_else(|| {
            Failure::Usage(anyhow!(
                "{}: no English source: the article has no span pairs (it is a plain translation)",
                path.display()
            ))
        })?;
        print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = ArticleReport::new(&article);
    match args.format {
        Format::Human => print(&remedy::render::text::article_report(&report))?,
        Format::Json => print(&(to_json(&report)? + "\n"))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn content_dir(args: &InspectArgs) -> Result<ExitCode, Failure> {
    if !args.content.is_dir() {
        return Err(Failure::Data(anyhow!(
            "{}: not a folder (expected a content folder such as content/ with <locale>/*.md)",
            args.content.display()
        )));
    }
    if args.diagnostics {
        let (lines, errors) =
            remedy::inspect::diagnostics_of_dir(&args.content, args.kind.as_deref());
        for e in &errors {
            eprintln!("remedy: {e}");
        }
        let mut out = lines.join("\n");
        if !out.is_empty() {
            out.push('\n');
        }
        print(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (summary, errors) = Summary::of_dir(&args.content);
    for e in &errors {
        eprintln!("remedy: {e}");
    }
    match args.format {
        Format::Human => print(&remedy::render::text::content_summary(&summary))?,
        Format::Json => print(&(to_json(&summary)? + "\n"))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(Failure::from)
}
