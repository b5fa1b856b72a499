use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::Failure;
use super::content_dir;
use remedy::advise::{Advisor, Catalog, Knowledge};
use remedy::l10n::Messages;
use remedy::site::{DEFAULT_BASE_URL, SiteError, SiteOptions, build};

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The knowledge base to publish (guide definitions in its `guides/` folder).
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// The site's folder; replaced as a whole when the build completes (only an empty
    /// folder or a site remedy wrote).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Templates that replace the built-in ones file by file.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// The site's public address, for canonical links, alternates and the sitemap.
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// Print the site report as JSON (link diagnostics included) on standard output.
    #[arg(long)]
    json: bool,
}

pub fn run(args: SiteArgs) -> Result<ExitCode, Failure> {
    let content = content_dir(&args.content)?;
    let started = std::time::Instant::now();
    let (articles, errors) = remedy::content::load_dir(&content);
    for e in &errors {
        eprintln!("remedy: {e}");
    }
    let advisor = Advisor {
        catalog: Catalog::builtin(),
        messages: Messages::builtin(),
        knowledge: Knowledge::from_articles(articles),
    };
    let opts = SiteOptions {
        out: args.out.clone(),
        templates: args.templates.clone(),
        base_url: args.base_url.clone(),
        progress: std::io::stderr().is_terminal(),
    };
    let report = build(&advisor, &content, &opts).map_err(|e| match e {
        // The flags' values are refused: --out that names no folder of its own or one
        // that is not remedy's, --base-url that is not a URL.
        SiteError::NotASite { .. } | SiteError::BaseUrl { .. } | SiteError::Target { .. } => {
            Failure::Usage(e.into())
        }
        SiteError::Template(_) | SiteError::Io { .. } => Failure::Data(e.into()),
    })?;
    for d in &report.diagnostics {
        eprintln!("remedy: {d}");
    }
    for path in &report.unplaced {
        eprintln!(
            "remedy: {path}: no locale (neither a locale folder nor ms.contentlocale); not published"
        );
    }
    if args.json {
        let json = serde_json::to_string_pretty(&report)?;
        super::print(&format!("{json}\n"))?;
    }
    let pages: usize = report.articles.values().sum();
    let per_locale: Vec<String> = report
        .articles
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    eprintln!(
        "remedy: site in {}: {pages} article pages ({}), {} with another language, {} guide pages, \
         {} files, {:.1} MB; links between articles: {} resolved, {} broken, {} outside the content, {} unsafe; \
         {} unreadable files; {:.2} s",
        args.out.display(),
        per_locale.join(", "),
        report.with_alternates,
        report.guides,
        report.files,
        report.bytes as f64 / 1e6,
        report.links_resolved,
        report.links_broken,
        report.links_outside,
        report.links_unsafe,
        errors.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
