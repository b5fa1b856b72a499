//! `/metrics` in the OpenMetrics text format (which Prometheus scrapes): requests by route
//! and status, their latency, the age of the index, loads.

use std::sync::atomic::AtomicU64;
use std::time::SystemTime;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::state::Generation;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LocaleLabels {
    locale: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 50 µs to about 1.6 s.
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    index_age: Gauge<f64, AtomicU64>,
    articles: Family<LocaleLabels, Gauge>,
    loads: Family<ResultLabels, Counter>,
    /// When the serving generation was loaded.
    loaded_at: std::sync::Mutex<SystemTime>,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("remedy");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from request to response, by route",
            latency.clone(),
        );
        let index_age = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "index_age_seconds",
            "Seconds since the served index was brought up to date",
            index_age.clone(),
        );
        let articles = Family::<LocaleLabels, Gauge>::default();
        registry.register(
            "articles",
            "Articles in the served index, by locale",
            articles.clone(),
        );
        let loads = Family::<ResultLabels, Counter>::default();
        registry.register(
            "loads",
            "Loads of the knowledge base (start and reloads), by result",
            loads.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            index_age,
            articles,
            loads,
            loaded_at: std::sync::Mutex::new(SystemTime::now()),
        }
    }

    /// Counts an answered request.
    pub fn request(&self, route: &'static str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route,
                // A fixed set: any token is a method to HTTP, and each would be a series.
                method: match method {
                    "GET" => "GET",
                    "HEAD" => "HEAD",
                    "POST" => "POST",
                    _ => "other",
                },
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route })
            .observe(seconds);
    }

    /// A generation went into service.
    pub fn loaded(&self, g: &Generation) {
        self.loads
            .get_or_create(&ResultLabels { result: "ok" })
            .inc();
        self.articles.clear();
        for (l, n) in &g.documents {
            self.articles
                .get_or_create(&LocaleLabels { locale: l.clone() })
                .set(*n as i64);
        }
        *self.loaded_at.lock().unwrap_or_else(|e| e.into_inner()) = g.loaded;
    }

    pub fn reload_failed(&self) {
        self.loads
            .get_or_create(&ResultLabels { result: "failed" })
            .inc();
    }

    /// The text of `/metrics`.
    pub fn encode(&self) -> String {
        let loaded = *self.loaded_at.lock().unwrap_or_else(|e| e.into_inner());
        self.index_age.set(
            SystemTime::now()
                .duration_since(loaded)
                .unwrap_or_default()
                .as_secs_f64(),
        );
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
