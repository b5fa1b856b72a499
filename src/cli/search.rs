use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, anyhow};
use clap::Args;

use super::{Failure, Format, print};
use remedy::index::{self, BuildOptions};
use remedy::locale::Locale;
use remedy::search::{Engine, Mode, SearchError, SearchOptions};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What is broken, in the user's words.
    #[arg(required_unless_present = "queries", conflicts_with = "queries")]
    query: Option<String>,
    /// The index folder (from `remedy index`). Without it, an index of --content in the
    /// user's cache folder, built or brought up to date first.
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// The content for the cached index (without --index).
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// The locale of the results, e.g. nb-NO.
    #[arg(long, default_value = "nb-NO")]
    locale: String,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Fill up with hits from other locales of the same articles, labelled.
    #[arg(long)]
    fallback: bool,
    /// Many queries, one per line (or `id<TAB>query`); prints JSON lines with timings.
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Show how each hit's score came about: every query word, the way it matched (as
    /// written, by its compound parts, a typo, a synonym, a translation), in which field.
    #[arg(long)]
    explain: bool,
    /// By words, by meaning (the e5 model), or both fused; hybrid falls back to lexical
    /// when there is no model or the index has no vectors, and says so.
    #[arg(long, value_enum, default_value = "hybrid")]
    mode: ModeArg,
    /// The embedding model (default: $REMEDY_MODEL, else `remedy model fetch`'s copy).
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// The dense part's weight in hybrid mode, 0 to 1.
    #[arg(long, value_name = "W", default_value_t = remedy::search::DENSE_WEIGHT)]
    dense_weight: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ModeArg {
    Lexical,
    Dense,
    Hybrid,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Lexical => Mode::Lexical,
            ModeArg::Dense => Mode::Dense,
            ModeArg::Hybrid => Mode::Hybrid,
        }
    }
}

pub fn run(args: SearchArgs) -> Result<ExitCode, Failure> {
    let locale: Locale = args
        .locale
        .parse()
        .map_err(|e| Failure::Usage(anyhow!("--locale: {e}")))?;
    let mode = Mode::from(args.mode);
    let load = || match mode {
        Mode::Lexical => Ok(None),
        _ => super::load_encoder(args.model.as_deref(), mode == Mode::Dense, args.explain),
    };
    let (index_dir, encoder) = match &args.index {
        Some(dir) => {
            if index::locales(dir).is_empty() {
                return Err(Failure::Data(anyhow!(
                    "{}: no index here (build one with `remedy index --content DIR --index {}`)",
                    dir.display(),
                    dir.display()
                )));
            }
            (dir.clone(), None)
        }
        // The cached index is brought up to date with the model, if there is one.
        None => {
            let encoder = load()?;
            (cached_index(&args.content, encoder.clone())?, encoder)
        }
    };
    let mut engine = Engine::open(&index_dir)?;
    let model_here = remedy::embed::locate(args.model.as_deref()).is_some();
    if mode != Mode::Lexical && !engine.has_vectors(&locale) && !model_here {
        // No model at all: said as `load` says it (for the cached index, it was).
        if args.index.is_some() {
            load()?;
        }
    } else if mode != Mode::Lexical && !engine.has_vectors(&locale) {
        let why = format!(
            "{}: the index has no vectors for {locale} (build it with the model: `remedy model fetch`, then `remedy index`)",
            index_dir.display()
        );
        if mode == Mode::Dense {
            return Err(Failure::Data(anyhow!(why)));
        }
        if args.explain {
            eprintln!("remedy: {why}; searching by words only");
        }
    }
    // A given index is read first: the model is loaded only for one with vectors.
    let encoder = match encoder {
        Some(e) => Some(e),
        None if args.index.is_some() && engine.has_vectors(&locale) => load()?,
        None => None,
    };
    engine.set_encoder(encoder);
    engine.set_dense_weight(args.dense_weight);
    let options = SearchOptions {
        locale,
        limit: args.limit,
        fallback: args.fallback,
        explain: args.explain,
        mode,
    };
    if let Some(file) = &args.queries {
        return batch(&mut engine, file, &options);
    }
    let query = args.query.as_deref().expect("clap requires a query");
    let hits = engine.search(query, &options).map_err(search_failure)?;
    let text = match args.format {
        Format::Json => serde_json::to_string(&serde_json::json!({ "hits": hits }))? + "\n",
        Format::Human => remedy::render::text::search_hits(
            &hits,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// A query the index cannot answer as asked (empty, a locale it does not have) is a
/// usage error; a damaged index, a data error.
fn search_failure(e: SearchError) -> Failure {
    match e {
        SearchError::EmptyQuery | SearchError::UnknownLocale { .. } => Failure::Usage(e.into()),
        _ => Failure::Data(e.into()),
    }
}

/// The index of `content` in the user's cache folder, brought up to date (only changed
/// files are re-read).
fn cached_index(
    content: &Path,
    encoder: Option<std::sync::Arc<remedy::embed::Encoder>>,
) -> Result<PathBuf, Failure> {
    let content = super::content_dir(content)?;
    let dir = index::cache_dir(&content)?;
    index::build(
        &content,
        &dir,
        &BuildOptions {
            full: false,
            progress: true,
            encoder: encoder.clone(),
        },
    )?;
    Ok(dir)
}

fn batch(engine: &mut Engine, file: &Path, options: &SearchOptions) -> Result<ExitCode, Failure> {
    let f = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}", file.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let (id, query) = match line.split_once('\t') {
            Some((id, q)) => (id.to_owned(), q.to_owned()),
            None => ((n + 1).to_string(), line.clone()),
        };
        let started = Instant::now();
        let result = engine.search_isolated(&query, options);
        let micros = started.elapsed().as_secs_f64() * 1e6;
        let record = match result {
            Ok(hits) => serde_json::json!({"id": id, "hits": hits, "micros": micros}),
            Err(e) => serde_json::json!({"id": id, "error": e.to_string(), "micros": micros}),
        };
        writeln!(out, "{record}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
