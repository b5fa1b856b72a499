use std::io::{BufReader, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::Args;

use super::Failure;
use super::advise::{Input, locale_from_env};
use super::content_dir;
use remedy::advise::Advisor;
use remedy::guide::{Definition, Guide, GuideFormat, render};
use remedy::locale::Locale;
use remedy::render::Templates;

#[derive(Debug, Args)]
pub struct GuideArgs {
    /// Findings: JSON lines, a JSON array or a SARIF 2.1.0 log; `-` or nothing for
    /// standard input. Not read with `--definition`.
    file: Option<PathBuf>,
    /// How to read the findings; `auto` detects it from their first bytes.
    #[arg(long, value_enum, default_value_t = Input::Auto)]
    input: Input,
    /// A named guide instead of findings: `content/guides/NAME.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    definition: Option<PathBuf>,
    /// The reader's language (nb, no, nb-NO, nl, nl-BE, en-US, …); default from $LANG.
    #[arg(long)]
    locale: Option<String>,
    /// `html`: one self-contained page; `md`: CommonMark.
    #[arg(long, value_enum, default_value_t = GuideFormat::Html)]
    format: GuideFormat,
    /// Write the guide here (replaced in one step) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The guide's heading instead of the localized "Troubleshooting guide".
    #[arg(long)]
    title: Option<String>,
    /// The knowledge base the remediation steps come from.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Templates that replace the built-in ones file by file (`guide.html.j2`, …).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

pub fn run(args: GuideArgs) -> Result<ExitCode, Failure> {
    // A broken template is reported before any input is read.
    let templates = Templates::new(args.templates.as_deref())?;
    let asked = args.locale.clone().unwrap_or_else(locale_from_env);
    let content = content_dir(&args.content)?;
    let (advisor, errors) = Advisor::with_content(&content);
    for e in &errors {
        eprintln!("remedy: {e}");
    }
    let locale: Locale = advisor.messages.negotiate(&asked)[0].clone();
    let mut guide = match &args.definition {
        Some(path) => {
            let def = Definition::load(path, &advisor)?;
            Guide::from_definition(&advisor, &def, &locale.to_string())
        }
        None => {
            let format = args.input.format();
            let guide = match args.file.as_ref().filter(|f| f.as_os_str() != "-") {
                Some(path) => {
                    let f = std::fs::File::open(path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    Guide::from_findings(&advisor, &asked, format, BufReader::new(f)).map(
                        |mut g| {
                            for u in &mut g.unread {
                                *u = format!("{}: {u}", path.display());
                            }
                            g
                        },
                    )
                }
                None => {
                    if std::io::stdin().is_terminal() {
                        eprintln!(
                            "remedy: reading findings from standard input (JSON lines, a JSON array or SARIF)…"
                        );
                    }
                    Guide::from_findings(&advisor, &asked, format, std::io::stdin().lock())
                }
            }?;
            for u in &guide.unread {
                eprintln!("remedy: {u}");
            }
            guide
        }
    };
    if let Some(t) = args.title {
        guide.title = Some(t);
    }
    let text = render(&guide, &advisor, &locale, args.format, &templates)?;
    match &args.out {
        Some(path) => remedy::content::write_atomic(path, text.as_bytes())
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?,
        None => super::print(&text)?,
    }
    let found: usize = guide.entries.iter().map(|e| e.count.unwrap_or(1)).sum();
    eprintln!(
        "remedy: guide in {locale}: {} entries ({found} findings), {} unknown, {} not applicable",
        guide.entries.len(),
        guide.unknown.iter().map(|(_, n)| n).sum::<usize>(),
        guide.not_applicable
    );
    Ok(ExitCode::SUCCESS)
}
