use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;

use super::{Failure, Format, print};
use remedy::align::{self, DirAlignment, DirOptions, Method, Model, SetAlignment};
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
        Format::Human => human(&result),
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
        Format::Human => {
            let mut bands = String::new();
            for (k, (links, right)) in score.by_confidence.iter().enumerate() {
                let lo = align::CONFIDENCE_BANDS[k];
                let hi = align::CONFIDENCE_BANDS.get(k + 1).copied().unwrap_or(1.0);
                let share = if *links == 0 {
                    1.0
                } else {
                    *right as f64 / *links as f64
                };
                let _ = writeln!(
                    bands,
                    "  confidence {lo:.2}–{hi:.2}: {links} links, {:.1}% right",
                    share * 100.0
                );
            }
            format!(
                "plain alignment scored against span ids: {} article pairs, {seconds:.1} s\n\
             segment pairs   ids {}  claimed {}  confirmed {}  (left out: {} without text, {} segments the English does not confirm)\n\
             precision {:.4}  recall {:.4}  F1 {:.4}\n",
                score.article_pairs,
                score.gold,
                score.predicted,
                score.correct,
                score.textless,
                score.unconfirmed,
                score.precision(),
                score.recall(),
                score.f1()
            ) + &bands
        }
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn report_errors(errors: &[LoadError]) {
    for e in errors {
        eprintln!("remedy: {e}");
    }
}

fn human(result: &DirAlignment) -> String {
    let mut out = String::new();
    for set in &result.sets {
        set_human(&mut out, set);
    }
    for p in &result.problems {
        let _ = writeln!(out, "problem[{}]: {}", p.kind.name(), p.message);
        for path in &p.paths {
            let _ = writeln!(out, "    {path}");
        }
    }
    let t = &result.totals;
    let _ = writeln!(
        out,
        "\n{} in {} ({} with several locales); {}: {} keyed ({} identical), {} by structure",
        plural(t.articles, "article"),
        plural(t.sets, "set"),
        t.multilingual_sets,
        plural(t.pairs, "pair"),
        t.keyed_pairs,
        t.identical_pairs,
        t.structure_pairs
    );
    let l = &t.links;
    let _ = writeln!(
        out,
        "links: aligned {}  (same English {}, English changed {}, merged {})  missing {} (only in a {}, only in b {})",
        l.aligned, l.same, l.english_changed, l.merged, l.missing, l.only_a, l.only_b
    );
    if !t.problems.is_empty() {
        let list: Vec<String> = t.problems.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(out, "problems: {}", list.join(", "));
    }
    out
}

fn set_human(out: &mut String, set: &SetAlignment) {
    let locales: Vec<String> = set.locales.iter().map(ToString::to_string).collect();
    if set.pairs.is_empty() {
        let _ = writeln!(
            out,
            "{}  {}  (one locale)",
            set.relative_path,
            locales.join(" ")
        );
        return;
    }
    for p in &set.pairs {
        let c = &p.counts;
        let method = match p.method {
            Method::Keyed => "keyed",
            Method::Structure => "structure",
        };
        let _ = write!(
            out,
            "{}  {} {}  {method}  aligned {}  english-changed {}  missing {}  merged {}",
            set.relative_path, p.a, p.b, c.aligned, c.english_changed, c.missing, c.merged
        );
        if let Some(conf) = p.confidence {
            let _ = write!(out, "  confidence {conf:.2}");
        }
        out.push('\n');
        for l in &p.links {
            let keys = |k: &[String]| {
                if k.is_empty() {
                    "-".to_owned()
                } else {
                    k.join("+")
                }
            };
            let lines = |x: Option<u32>| x.map_or("-".to_owned(), |n| n.to_string());
            let _ = write!(
                out,
                "    {} {} → {}  lines {} ↔ {}",
                l.class,
                keys(&l.a),
                keys(&l.b),
                lines(l.line_a),
                lines(l.line_b)
            );
            if let Some(s) = l.similarity {
                let _ = write!(out, "  similarity {s:.2}");
            }
            if let Some(c) = l.confidence {
                let _ = write!(out, "  confidence {c:.2}");
            }
            out.push('\n');
            if let Some(diff) = &l.diff {
                let _ = writeln!(out, "        en: {}", one_line(diff));
            } else if let Some(en) = l.english_a.as_ref().or(l.english_b.as_ref()) {
                let _ = writeln!(out, "        en: {}", one_line(en));
            }
            if !l.text_a.is_empty() {
                let _ = writeln!(out, "        {}: {}", p.a, one_line(&l.text_a));
            }
            if !l.text_b.is_empty() {
                let _ = writeln!(out, "        {}: {}", p.b, one_line(&l.text_b));
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
