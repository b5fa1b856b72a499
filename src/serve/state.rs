//! What requests read (a [`Generation`]) and how the next one replaces it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use tokio::sync::mpsc;

use super::Limits;
use super::metrics::Metrics;
use crate::advise::Advisor;
use crate::index::{self, BuildOptions};
use crate::locale::Locale;
use crate::render::Templates;
use crate::search::{Engine, SearchOptions};
use crate::site::Site;

/// What the server serves, and from where.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The knowledge base.
    pub content: PathBuf,
    /// Where its index is kept (built, then brought up to date on every load).
    pub index: PathBuf,
    /// Templates that replace the built-in ones file by file.
    pub templates: Option<PathBuf>,
    /// The public address, for canonical links and the sitemap; the listening address
    /// when `None`.
    pub base_url: Option<String>,
    /// What requests may ask.
    pub limits: Limits,
    /// The embedding model: the index gets vectors and search is hybrid. Without it,
    /// search is by words.
    pub encoder: Option<std::sync::Arc<crate::embed::Encoder>>,
}

/// Why a generation could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The index could not be brought up to date.
    #[error("index: {0}")]
    Index(#[from] crate::index::IndexError),
    /// The index could not be opened for search.
    #[error("search: {0}")]
    Search(#[from] crate::search::SearchError),
    /// A template does not compile.
    #[error("templates: {0}")]
    Template(#[from] crate::render::TemplateError),
    /// The site could not be planned.
    #[error("site: {0}")]
    Site(#[from] crate::site::SiteError),
    /// A bug: loading panicked; the current generation goes on serving.
    #[error("the load panicked (a bug in remedy): {0}")]
    Panicked(String),
}

/// The knowledge base as loaded at one moment: the index and the articles, the site's
/// plan and the templates. Immutable; replaced as a whole.
pub struct Generation {
    /// The catalog, the messages and the articles.
    pub advisor: Advisor,
    /// The site's plan.
    pub site: Site,
    /// The templates, compiled.
    pub templates: Templates,
    engines: Pool,
    /// When this generation was loaded (the index was brought up to date then).
    pub loaded: SystemTime,
    /// Articles in the index, by locale.
    pub documents: BTreeMap<String, u64>,
    /// Files that could not be read, with why.
    pub skipped: Vec<String>,
}

impl Generation {
    /// Loads the content of `settings`: brings the index up to date (only changed files
    /// are read), reads the articles, plans the site and compiles the templates.
    pub fn load(settings: &Settings) -> Result<Generation, LoadError> {
        let report = index::build(
            &settings.content,
            &settings.index,
            &BuildOptions {
                full: false,
                progress: false,
                encoder: settings.encoder.clone(),
            },
        )?;
        // Templates first: a broken one is reported before the rest is read.
        let templates = Templates::new(settings.templates.as_deref())?;
        let (advisor, errors) = Advisor::with_content(&settings.content);
        let mut skipped = report.skipped;
        skipped.extend(errors.iter().map(ToString::to_string));
        skipped.sort();
        skipped.dedup();
        let base = settings
            .base_url
            .clone()
            .unwrap_or_else(|| crate::site::DEFAULT_BASE_URL.to_owned());
        let site = Site::new(&advisor, &settings.content, &base)?;
        skipped.extend(site.guide_errors.iter().cloned());
        let mut engine = Engine::open(&settings.index)?;
        engine.set_encoder(settings.encoder.clone());
        // Each locale's first query builds its thesaurus: done here, not in a request.
        for locale in engine.locales() {
            if let Ok(locale) = locale.parse::<Locale>() {
                let _ = engine.search_isolated(
                    "warm",
                    &SearchOptions {
                        locale,
                        limit: 1,
                        fallback: false,
                        explain: false,
                        mode: Default::default(),
                    },
                );
            }
        }
        Ok(Generation {
            documents: engine.documents(),
            engines: Pool::new(engine),
            advisor,
            site,
            templates,
            loaded: SystemTime::now(),
            skipped,
        })
    }

    /// Runs `f` with an engine of this generation that no other request is using.
    pub fn with_engine<R>(&self, f: impl FnOnce(&mut Engine) -> R) -> R {
        self.engines.with(f)
    }

    /// The locales the index holds.
    pub fn locales(&self) -> Vec<Locale> {
        self.documents
            .keys()
            .filter_map(|l| l.parse().ok())
            .collect()
    }
}

/// Engines for the threads that search at once: the first opened the index, the others
/// are its forks (one per thread that needed one, kept for the next request).
struct Pool {
    base: Mutex<Engine>,
    idle: Mutex<Vec<Engine>>,
}

impl Pool {
    fn new(engine: Engine) -> Pool {
        Pool {
            base: Mutex::new(engine),
            idle: Mutex::new(Vec::new()),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Engine) -> R) -> R {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut engine =
            taken.unwrap_or_else(|| self.base.lock().unwrap_or_else(|e| e.into_inner()).fork());
        let out = f(&mut engine);
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(engine);
        out
    }
}

/// How the last loads went, for `/healthz`.
#[derive(Debug, Clone, Serialize)]
pub struct ReloadStatus {
    /// Loads since start, the first included.
    pub loads: u64,
    /// Loads that failed.
    pub failures: u64,
    /// The last failed load, if it came after the last good one: the server is serving
    /// older content than the folder holds.
    pub error: Option<String>,
    /// When it failed (seconds since the Unix epoch).
    pub failed_at: Option<u64>,
}

/// The running server's state.
pub struct Server {
    /// What it serves, from where.
    pub settings: Settings,
    current: RwLock<Arc<Generation>>,
    /// How the loads went.
    pub status: Mutex<ReloadStatus>,
    /// The counters `/metrics` reports.
    pub metrics: Metrics,
    reload: mpsc::Sender<()>,
    /// Places for work off the request threads (advice, guides): one per core. More at
    /// once would not finish sooner, and each holds its body and its output in memory.
    heavy: Arc<tokio::sync::Semaphore>,
    next_id: AtomicU64,
    /// Distinguishes this process's request ids from another's.
    id_prefix: u32,
}

impl Server {
    /// Loads the first generation and starts the task that loads the next ones.
    pub async fn start(settings: Settings) -> Result<Arc<Server>, LoadError> {
        let s = settings.clone();
        let first = tokio::task::spawn_blocking(move || Generation::load(&s))
            .await
            .map_err(|e| LoadError::Panicked(e.to_string()))??;
        log_generation(&first, "loaded");
        let (tx, rx) = mpsc::channel(1);
        let metrics = Metrics::new();
        metrics.loaded(&first);
        let id_prefix = (SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos() as u32)
            ^ std::process::id();
        let server = Arc::new(Server {
            settings,
            current: RwLock::new(Arc::new(first)),
            status: Mutex::new(ReloadStatus {
                loads: 1,
                failures: 0,
                error: None,
                failed_at: None,
            }),
            metrics,
            reload: tx,
            heavy: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            next_id: AtomicU64::new(1),
            id_prefix,
        });
        tokio::spawn(reloader(server.clone(), rx));
        Ok(server)
    }

    /// The generation requests read now.
    pub fn current(&self) -> Arc<Generation> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Runs `f` on the blocking pool once a place for heavy work is free; `None` if it
    /// panicked (a bug, logged).
    pub async fn heavy<R: Send + 'static>(
        &self,
        f: impl FnOnce() -> R + Send + 'static,
    ) -> Option<R> {
        // The place goes with the work, not with the request: a request dropped (its client
        // gone, its time up) does not stop work already begun, which keeps its place
        // until it ends.
        let permit = self.heavy.clone().acquire_owned().await.ok()?;
        match tokio::task::spawn_blocking(move || {
            let _place = permit;
            f()
        })
        .await
        {
            Ok(r) => Some(r),
            Err(e) => {
                tracing::error!("a request's work failed (a bug in remedy): {e}");
                None
            }
        }
    }

    /// Asks for a reload; one already asked for and not begun covers this one too.
    pub fn request_reload(&self) {
        let _ = self.reload.try_send(());
    }

    /// A new request id: this process's prefix and a counter, in hex.
    pub fn request_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{:08x}-{n:06x}", self.id_prefix)
    }

    /// Reloads on every change below the content folder (but the index, should it be
    /// kept there), a few hundred milliseconds after the changes stop.
    pub fn watch(self: &Arc<Server>) -> Result<impl Drop, notify::Error> {
        use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
        use notify_debouncer_full::{
            Config, DebounceEventResult, RecommendedCache, new_debouncer_opt,
        };
        let server = Arc::downgrade(self);
        let index = canonical(&self.settings.index);
        // The content is read without following links; so is it watched (a link to /etc
        // must not put /etc under watch).
        let config = Config::default()
            .with_timeout(Duration::from_millis(300))
            .with_notify_config(notify::Config::default().with_follow_symlinks(false));
        let mut debouncer = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
            config,
            move |result: DebounceEventResult| {
                // An error (a queue overflow) may hide a change: reload to be sure.
                let relevant = match result {
                    Err(_) => true,
                    Ok(events) => events.iter().any(|e| {
                        e.need_rescan()
                            || (!e.kind.is_access()
                                && (e.paths.is_empty()
                                    || e.paths.iter().any(|p| !p.starts_with(&index))))
                    }),
                };
                if relevant && let Some(server) = server.upgrade() {
                    server.request_reload();
                }
            },
            RecommendedCache::new(),
        )?;
        // Absolute, so that events name absolute paths and the index can be told apart.
        debouncer.watch(canonical(&self.settings.content), RecursiveMode::Recursive)?;
        Ok(debouncer)
    }

    /// Reloads on every signal of `signals` (SIGHUP).
    pub fn reload_on(self: &Arc<Server>, mut signals: tokio::signal::unix::Signal) {
        let server = Arc::downgrade(self);
        tokio::spawn(async move {
            while signals.recv().await.is_some() {
                match server.upgrade() {
                    Some(s) => s.request_reload(),
                    None => break,
                }
            }
        });
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn log_generation(g: &Generation, what: &str) {
    let counts: Vec<String> = g
        .documents
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    tracing::info!(
        "{what}: {} articles ({}), {} files skipped",
        g.documents.values().sum::<u64>(),
        counts.join(", "),
        g.skipped.len()
    );
    for s in &g.skipped {
        tracing::warn!("{s}");
    }
}

/// Loads the next generation whenever asked, one at a time, and swaps it in.
async fn reloader(server: Arc<Server>, mut asked: mpsc::Receiver<()>) {
    while asked.recv().await.is_some() {
        let settings = server.settings.clone();
        let started = std::time::Instant::now();
        let loaded = tokio::task::spawn_blocking(move || Generation::load(&settings))
            .await
            .unwrap_or_else(|e| Err(LoadError::Panicked(e.to_string())));
        let mut status = server.status.lock().unwrap_or_else(|e| e.into_inner());
        status.loads += 1;
        match loaded {
            Ok(next) => {
                log_generation(
                    &next,
                    &format!(
                        "reloaded in {:.0} ms",
                        started.elapsed().as_secs_f64() * 1e3
                    ),
                );
                server.metrics.loaded(&next);
                *server.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
                status.error = None;
                status.failed_at = None;
            }
            Err(e) => {
                tracing::error!("reload failed, still serving the previous content: {e}");
                server.metrics.reload_failed();
                status.failures += 1;
                status.error = Some(e.to_string());
                status.failed_at = Some(
                    SystemTime::now()
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .unwrap_or_default()
                        .as_secs(),
                );
            }
        }
    }
}
