use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;

use super::{Failure, Format, print};
use remedy::align::{self, DirOptions, Model};
use remedy::content::LoadError;

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// The content folder: one folder per locale (`nb-NO/…`, `nl-NL/…`).
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Only the set holding this article (path relative to --content, or to the locale
    /// folder), with every link listed.
    #[arg(long, value_name = "PATH")]
    article: Option<String>,
    /// Score the plain-text aligner against the span ids instead: strip the spans, align
    /// the plain translations, compare (precision, recall, F1).
    #[arg(long, conflicts_with = "article")]
    evaluate: bool,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(args: AlignArgs) -> Result<ExitCode, Failure> {
    if !args.content.is_dir() {
        return Err(Failure::Data(anyhow!(
            "{}: not a folder (expected a content folder with one folder per locale)",
            args.content.display()
        )));
    }
    if args.evaluate {
        return evaluate(&args);
    }
    let options = DirOptions {
        article: args.article.clone(),
        detail: args.article.as_ref().map(|_| align::Detail::All),
    };
    let (result, errors) = align::align_dir(&args.content, &options);
    report_errors(&errors);
    if let (Some(path), true) = (&args.article, result.sets.is_empty()) {
        return Err(Failure::Data(anyhow!(
            "{path}: no such article under {}",
            args.content.display()
        )));
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&result)? + "\n",
        Format::Human => remedy::render::text::alignment(&result),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn evaluate(args: &AlignArgs) -> Result<ExitCode, Failure> {
    let started = std::time::Instant::now();
    let (score, errors) = align::evaluate_dir(&args.content, &Model::default());
    report_errors(&errors);
    let seconds = started.elapsed().as_secs_f64();
    let text = match args.format {
        Format::Json => {
            let value = serde_json::json!({
                "article_pairs": score.article_pairs,
                "gold": score.gold,
                "predicted": score.predicted,
                "correct": score.correct,
                "textless": score.textless,
                "unconfirmed": score.unconfirmed,
                "by_confidence": align::CONFIDENCE_BANDS.iter().zip(score.by_confidence).map(|(lo, (links, right))| {
                    serde_json::json!({"from": lo, "links": links, "correct": right})
                }).collect::<Vec<_>>(),
                "precision": score.precision(),
                "recall": score.recall(),
                "f1": score.f1(),
                "seconds": seconds,
            });
            serde_json::to_string_pretty(&value)? + "\n"
        }
        Format::Human => remedy::render::text::evaluation(&score, seconds),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn report_errors(errors: &[LoadError]) {
    for e in errors {
        eprintln!("remedy: {e}");
    }
}
