use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Failure, Format, print};
use remedy::index::{self, BuildOptions};

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The content folder: one folder per locale (`nb-NO/…`, `nl-NL/…`).
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Where the index goes (one sub-folder per locale); updated in place, atomically.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Re-read every file and relearn the compound vocabulary (default: only what changed).
    #[arg(long)]
    full: bool,
    /// The embedding model (default: $REMEDY_MODEL, else `remedy model fetch`'s copy):
    /// every article also gets a vector for dense search.
    #[arg(long, value_name = "FILE", conflicts_with = "lexical")]
    model: Option<PathBuf>,
    /// No vectors: the index is for search by words only.
    #[arg(long)]
    lexical: bool,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: IndexArgs) -> Result<ExitCode, Failure> {
    if !args.content.is_dir() {
        return Err(Failure::Data(anyhow::anyhow!(
            "{}: not a folder (expected a content folder with one folder per locale)",
            args.content.display()
        )));
    }
    let encoder = match args.lexical {
        true => None,
        false => super::load_encoder(args.model.as_deref(), false, true)?,
    };
    let options = BuildOptions {
        full: args.full,
        progress: true,
        encoder,
    };
    let report = index::build(&args.content, &args.index, &options)?;
    for s in &report.skipped {
        eprintln!("remedy: {s}");
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Human => {
            let mut out = String::new();
            for (locale, r) in &report.locales {
                out.push_str(&format!(
                    "{locale}: {} documents ({} read{}, {} unchanged, {} removed), vocabulary {} words",
                    r.documents,
                    r.read,
                    if r.full { ", full build" } else { "" },
                    r.unchanged,
                    r.removed,
                    r.vocabulary
                ));
                if r.embeddings > 0 {
                    out.push_str(&format!(
                        ", {} vectors ({} embedded now)",
                        r.embeddings, r.embedded
                    ));
                }
                out.push('\n');
            }
            out.push_str(&format!(
                "index {} in {:.2} s\n",
                args.index.display(),
                report.seconds
            ));
            out
        }
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}
