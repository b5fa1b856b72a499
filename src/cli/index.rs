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
    let options = BuildOptions {
        full: args.full,
        progress: true,
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
                    "{locale}: {} documents ({} read{}, {} unchanged, {} removed), vocabulary {} words\n",
                    r.documents,
                    r.read,
                    if r.full { ", full build" } else { "" },
                    r.unchanged,
                    r.removed,
                    r.vocabulary
                ));
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
