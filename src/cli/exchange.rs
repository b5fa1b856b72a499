use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;

use super::Failure;
use super::content_dir;
use remedy::exchange::{ExportError, ExportOptions, Format, export, import, units};
use remedy::locale::Locale;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: Format,
    /// The source language: the English of the spans.
    #[arg(long, default_value = "en-US")]
    source: String,
    /// A target language (repeat for TMX and JSON lines; XLIFF and PO hold one).
    #[arg(long = "target", value_name = "LOCALE", required = true)]
    targets: Vec<String>,
    /// The content to export.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Write here instead of standard output (in one step: never half a file).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// TMX level 2: Markdown markup as bpt/ept/ph codes.
    #[arg(long)]
    inline: bool,
}

pub fn run_export(args: ExportArgs) -> Result<ExitCode, Failure> {
    let content = content_dir(&args.content)?;
    let mut targets = Vec::new();
    for t in &args.targets {
        let l: Locale = t
            .parse()
            .map_err(|_| Failure::Usage(anyhow!("--target {t}: not a locale (nb-NO, nl-NL, …)")))?;
        targets.push(l);
    }
    if args.inline && args.format != Format::Tmx {
        return Err(Failure::Usage(anyhow!("--inline is for --format tmx")));
    }
    let started = std::time::Instant::now();
    let (units, errors) = units(&content, &targets);
    for e in &errors {
        eprintln!("remedy: {e}");
    }
    let options = ExportOptions {
        format: args.format,
        targets,
        inline: args.inline,
    };
    let exported = export(&units, &args.source, &options).map_err(|e| match e {
        // The flags ask for what no export can be; an empty one is the content's doing.
        ExportError::OneTarget(..) | ExportError::NoTarget | ExportError::Source(_) => {
            Failure::Usage(e.into())
        }
        ExportError::Empty(_) => Failure::Data(e.into()),
    })?;
    for s in &exported.skipped {
        eprintln!("remedy: {s}: left out");
    }
    match &args.out {
        Some(path) => remedy::content::write_atomic(path, exported.text.as_bytes())
            .map_err(|e| anyhow!("{}: {e}", path.display()))?,
        None => super::print(&exported.text)?,
    }
    let files: std::collections::BTreeSet<&str> = units.iter().map(|u| u.path.as_str()).collect();
    let drifted = units.iter().filter(|u| u.newer_english.is_some()).count();
    eprintln!(
        "remedy: {} units from {} articles ({} with newer English elsewhere, {} left out); {} unreadable files; {:.2} s",
        exported.units,
        files.len(),
        drifted,
        exported.skipped.len(),
        errors.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// An XLIFF 2.0 or PO file, as `remedy export` wrote it and a translator edited it.
    file: PathBuf,
    /// The content the units' paths are relative to.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Print the changes as a diff; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run_import(args: ImportArgs) -> Result<ExitCode, Failure> {
    let content = content_dir(&args.content)?;
    let report = import(&args.file, &content, args.dry_run)?;
    if args.json {
        let json = serde_json::to_string_pretty(&report)?;
        super::print(&format!("{json}\n"))?;
    } else if args.dry_run {
        let diffs: String = report.changed.iter().map(|c| c.diff.as_str()).collect();
        super::print(&diffs)?;
    }
    for r in &report.refused {
        eprintln!(
            "remedy: {}: {}#{}: refused: {}",
            r.at, r.path, r.id, r.reason
        );
    }
    let applied: usize = report.changed.iter().map(|c| c.units.len()).sum();
    eprintln!(
        "remedy: {} units read: {} {} in {} articles, {} unchanged, {} refused",
        report.read,
        applied,
        if args.dry_run {
            "would change"
        } else {
            "changed"
        },
        report.changed.len(),
        report.unchanged,
        report.refused.len()
    );
    Ok(if report.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
