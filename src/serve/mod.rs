//! `remedy serve`: the knowledge base over HTTP. Pages (the site's own, plus search results
//! and a page that turns pasted findings into a guide), a JSON API (search, advise, guide),
//! `/healthz` and `/metrics`, on axum.
//!
//! Everything a request reads comes from one [`Generation`]: the index, the articles, the
//! site's plan and the templates, loaded together. A change to the content (seen by a
//! watcher, or announced with SIGHUP) builds the next generation beside the current one
//! and swaps it in; requests in flight finish on the one they started with, and a failed
//! load leaves the current one serving (`/healthz` says why).
//!
//! Pages are rendered from the articles in memory, never read from disk by the requested
//! path: a path the site does not have is a 404, whatever it spells (`..`, encodings,
//! backslashes).

mod api;
mod http;
mod metrics;
mod pages;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower::ServiceBuilder;

pub use state::{Generation, LoadError, Server, Settings};

/// What the server accepts; each has a flag of `remedy serve`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body (findings pasted or posted), in bytes.
    pub max_body: usize,
    /// Longest query, in characters.
    pub max_query: usize,
    /// Largest `limit` of a search.
    pub max_limit: usize,
    /// Longest a request may take, body included.
    pub timeout: Duration,
    /// Requests handled at once; more are refused with 503 at once rather than queued.
    pub max_concurrent: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body: 16 << 20,
            max_query: crate::search::MAX_QUERY_CHARS,
            max_limit: 100,
            timeout: Duration::from_secs(30),
            max_concurrent: 256,
        }
    }
}

/// The request log's format on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per request.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// How `remedy serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What is served, from where, within which limits.
    pub settings: Settings,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Watch the content folder and reload on changes.
    pub watch: bool,
    /// The request log's format.
    pub log_format: LogFormat,
}

/// Why the server did not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address is taken or not allowed.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The knowledge base could not be loaded at start.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The runtime or the signal handlers could not be set up.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Runs the server until SIGINT or SIGTERM; requests in flight are completed first.
/// `ready` hears the address once the knowledge base is loaded and requests are served.
pub fn run(options: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let _log = init_log(options.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async move {
        use tokio::signal::unix::{SignalKind, signal};
        // Signals are taken over first: one that comes while the knowledge base loads
        // stops the server (exit 0) or reloads it once loaded, instead of killing it.
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let hangup = signal(SignalKind::hangup())?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => {},
                _ = interrupt.recv() => {},
            }
            tracing::info!("shutting down: answering the requests in flight");
            let _ = stop.send(true);
        });
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: options.addr,
                source,
            })?;
        let mut addr = listener.local_addr()?;
        if addr.ip().is_unspecified() {
            // Listening everywhere; this machine reaches itself on loopback.
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        let mut settings = options.settings.clone();
        if settings.base_url.is_none() {
            if options.addr.ip().is_unspecified() {
                tracing::warn!(
                    "listening on {}: canonical links and the sitemap say {addr}; set --base-url to the public address",
                    options.addr
                );
            }
            settings.base_url = Some(format!("http://{addr}/"));
        }
        let mut waiting = stopped.clone();
        let server = tokio::select! {
            started = Server::start(settings) => started?,
            _ = waiting.wait_for(|s| *s) => {
                tracing::info!("stopped before the knowledge base was loaded");
                return Ok(());
            }
        };
        let _watcher = if options.watch {
            match server.watch() {
                Ok(w) => Some(w),
                Err(e) => {
                    tracing::warn!(
                        "cannot watch the content for changes ({e}); reload with SIGHUP"
                    );
                    None
                }
            }
        } else {
            None
        };
        server.reload_on(hangup);
        let app = router(server.clone());
        let limits_timeout = server.settings.limits.timeout;
        ready(addr);
        serve_connections(listener, app, stopped, limits_timeout).await;
        tracing::info!("stopped: every request in flight was answered");
        Ok(())
    });
    // A load still running (stopped while loading) is not waited for: the index it may be
    // writing commits atomically or not at all.
    runtime.shutdown_background();
    result
}

/// Accepts connections until `stopped`, then waits for the requests in flight. Each
/// connection is HTTP/1.1 with a header-read timeout (the request timeout): a client that
/// never finishes its headers is dropped, not held.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    mut stopped: tokio::sync::watch::Receiver<bool>,
    header_timeout: std::time::Duration,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.wait_for(|s| *s) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, say: wait a little rather than spin.
                tracing::warn!("accept: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        // Answers are written whole; no reason to hold a small one back for an ACK.
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(header_timeout);
        let connection = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection's errors (a client gone, malformed HTTP answered with 400) are
            // the client's business.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// The routes, with limits, request ids, security headers, the request log and metrics.
pub fn router(server: Arc<Server>) -> Router {
    let limits = server.settings.limits.clone();
    let mut limited = Router::new()
        .route("/", get(pages::root))
        // Browsers ask for it on every site; the knowledge base has no icon.
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/api/search", get(api::search))
        .route("/api/advise", axum::routing::post(api::advise))
        .route("/api/guide", axum::routing::post(api::guide))
        .route("/{locale}/search", get(pages::search))
        .route(
            "/{locale}/findings",
            get(pages::findings_form).post(pages::findings_guide),
        )
        .fallback(pages::page);
    if cfg!(debug_assertions) && std::env::var_os("REMEDY_TEST_PANIC").is_some() {
        // A handler bug on demand, for the test that the server survives one.
        limited = limited.route(
            "/api/_panic",
            get(|| async {
                panic!("a deliberate panic (REMEDY_TEST_PANIC)");
                #[allow(unreachable_code)]
                ""
            }),
        );
    }
    let limited = limited.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(http::overloaded))
            .load_shed()
            // Global: the router gives every route its own copy of these layers, and the
            // limit is on the server, not per route.
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                limits.max_concurrent,
            ))
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                http::panicked,
            ))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                limits.timeout,
            ))
            .layer(tower_http::limit::RequestBodyLimitLayer::new(
                limits.max_body,
            ))
            .layer(DefaultBodyLimit::max(limits.max_body)),
    );
    // Health and metrics answer under any load: a busy server is not a dead one.
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .merge(limited)
        .layer(axum::middleware::from_fn_with_state(
            server.clone(),
            http::frame,
        ))
        .with_state(server)
}

/// The log on stderr: the request lines and what the server says (loads, reloads).
///
/// Lines are written by a thread of their own: a write to stderr per request on the
/// request's thread cost about a tenth of the searches per second under load. None is
/// dropped (a full queue waits); the guard writes what is queued when it is dropped.
fn init_log(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    let filter = tracing_subscriber::filter::LevelFilter::INFO;
    let builder = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_max_level(filter)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    guard
}

/// The default `--addr`.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
