use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::anyhow;
use clap::Args;

use super::Failure;
use super::content_dir;
use remedy::serve::{DEFAULT_ADDR, Limits, LogFormat, ServeOptions, Settings, run};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The knowledge base to serve; changes to it are picked up while serving.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// Where the index is kept (built, then brought up to date on every load). Default: a
    /// folder of the user's cache, one per content folder.
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// The address to listen on (port 0: any free port).
    #[arg(long, default_value = DEFAULT_ADDR)]
    addr: SocketAddr,
    /// The public address, for canonical links and the sitemap (default: the listening
    /// address).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Templates that replace the built-in ones file by file.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// The embedding model for hybrid search (default: $REMEDY_MODEL, else `remedy model
    /// fetch`'s copy); without one, search is by words, said at start-up.
    #[arg(long, value_name = "FILE", conflicts_with = "lexical")]
    model: Option<PathBuf>,
    /// Search by words only, even with a model.
    #[arg(long)]
    lexical: bool,
    /// Do not watch the content for changes (reload with SIGHUP).
    #[arg(long)]
    no_watch: bool,
    /// The request log on stderr: one line per request, readable or JSON.
    #[arg(long, value_enum, default_value_t)]
    log_format: LogFormat,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body)]
    max_body: usize,
    /// Longest query, in characters.
    #[arg(long, value_name = "CHARS", default_value_t = Limits::default().max_query)]
    max_query: usize,
    /// Largest `limit` of an API search.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_limit)]
    max_limit: usize,
    /// Longest a request may take, in seconds (then 408).
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().timeout.as_secs_f64())]
    timeout: f64,
    /// Requests answered at once; more get 503 at once.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_concurrent)]
    max_concurrent: usize,
}

pub fn run_serve(args: ServeArgs) -> Result<ExitCode, Failure> {
    let content = content_dir(&args.content)?;
    let index = match &args.index {
        Some(dir) => dir.clone(),
        None => remedy::index::cache_dir(&content)?,
    };
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero() && t.as_secs() <= 86_400)
        .ok_or_else(|| {
            Failure::Usage(anyhow!(
                "--timeout {}: expected seconds, more than 0 and at most a day",
                args.timeout
            ))
        })?;
    for (flag, n, max) in [
        ("--max-concurrent", args.max_concurrent, 1_000_000),
        ("--max-limit", args.max_limit, 10_000),
        ("--max-query", args.max_query, 1_000_000),
    ] {
        if n == 0 || n > max {
            return Err(Failure::Usage(anyhow!(
                "{flag} {n}: expected a number from 1 to {max}"
            )));
        }
    }
    let encoder = match args.lexical {
        true => None,
        false => super::load_encoder(args.model.as_deref(), false, true)?,
    };
    let options = ServeOptions {
        settings: Settings {
            encoder,
            content,
            index,
            templates: args.templates,
            base_url: args.base_url,
            limits: Limits {
                max_body: args.max_body,
                max_query: args.max_query,
                max_limit: args.max_limit,
                timeout,
                max_concurrent: args.max_concurrent,
            },
        },
        addr: args.addr,
        watch: !args.no_watch,
        log_format: args.log_format,
    };
    run(options, |addr| {
        // The one line on stdout: where the knowledge base is.
        println!("remedy: serving the knowledge base at http://{addr}/ (Ctrl-C to stop)");
    })?;
    Ok(ExitCode::SUCCESS)
}
