//! What every request goes through: a request id, the security headers, errors in the
//! form the client reads (JSON, or a page for browsers), the request log line and the
//! metrics.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::state::Server;
use crate::locale::Locale;
use crate::render::{Page, escape_text};

/// Set by handlers on HTML pages: the response is a page, errors included.
const PANIC_MARK: &str = "x-remedy-panic";

/// The CSP of what is not a page (JSON, text): nothing may load from it.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// An error answer: status, a stable code and a message for people.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn internal(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// As JSON: `{"error": {"status", "code", "message", "request_id"}}`.
    pub fn json(&self, request_id: Option<&str>) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: Inner<'a>,
        }
        #[derive(Serialize)]
        struct Inner<'a> {
            status: u16,
            code: &'a str,
            message: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            request_id: Option<&'a str>,
        }
        let body = serde_json::to_string(&Body {
            error: Inner {
                status: self.status.as_u16(),
                code: self.code,
                message: &self.message,
                request_id,
            },
        })
        .unwrap_or_default();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body + "\n",
        )
            .into_response()
    }
}

impl IntoResponse for Failure {
    /// Handlers answer JSON; [`frame`] turns it into a page for a browser.
    fn into_response(self) -> Response {
        let mut r = self.json(None);
        r.extensions_mut().insert(self);
        r
    }
}

/// Whether the client reads pages (a browser's `Accept`).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// The route a path belongs to, for metrics: a fixed set, whatever the path.
fn route_of(path: &str) -> &'static str {
    match path {
        "/" => "/",
        "/healthz" => "/healthz",
        "/metrics" => "/metrics",
        "/api/search" => "/api/search",
        "/api/advise" => "/api/advise",
        "/api/guide" => "/api/guide",
        p if p.starts_with("/api/") => "/api/other",
        p if p.ends_with("/search") && p.matches('/').count() == 2 => "/{locale}/search",
        p if p.ends_with("/findings") && p.matches('/').count() == 2 => "/{locale}/findings",
        _ => "/{page}",
    }
}

/// The frame of every request.
pub async fn frame(State(server): State<Arc<Server>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = server.request_id();
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let html = wants_html(req.headers());
    let locale = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut response = if req.uri().query().is_some_and(|q| !decodes_to_utf8(q)) {
        Failure::bad_request(
            "bad-query-encoding",
            "the query string is not UTF-8 once decoded",
        )
        .into_response()
    } else {
        next.run(req).await
    };
    let status = response.status();
    let panicked = response.headers().contains_key(PANIC_MARK);
    if panicked {
        tracing::error!(request_id = %id, "a handler panicked (a bug in remedy); the server goes on");
    }
    // Errors from the layers (body too large, timeout, overload) and from handlers reach
    // the client in one form: JSON, or a page for a browser.
    if (status.is_client_error() || status.is_server_error()) && !is_page(&response) {
        let failure = response
            .extensions()
            .get::<Failure>()
            .cloned()
            .unwrap_or_else(|| layer_failure(status, &server));
        let shown_id = status.is_server_error().then_some(id.as_str());
        let allow = response.headers().get(header::ALLOW).cloned();
        response = if html {
            error_page(&server, &failure, shown_id, locale.as_deref())
        } else {
            failure.json(shown_id)
        };
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        // JSON or a page, in the reader's language: caches must keep them apart.
        response.headers_mut().insert(
            header::VARY,
            HeaderValue::from_static("accept, accept-language"),
        );
    }
    let headers = response.headers_mut();
    headers.remove(PANIC_MARK);
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert("x-request-id", v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(API_CSP));
    let micros = started.elapsed().as_micros() as u64;
    let status = response.status().as_u16();
    server
        .metrics
        .request(route_of(&path), &method, status, micros as f64 / 1e6);
    tracing::info!(
        method = %method,
        path = %path,
        status,
        micros,
        request_id = %id,
        "request"
    );
    response
}

/// Whether a query string's percent escapes (and `+`) decode to UTF-8 text: decoding
/// elsewhere would replace what is not, and search for something nobody typed.
fn decodes_to_utf8(query: &str) -> bool {
    std::str::from_utf8(&crate::site::percent_decode_bytes(query)).is_ok()
}

/// A page answer (HTML from a handler), which stays as it is even for an error status.
fn is_page(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

/// What a status set by a layer means.
fn layer_failure(status: StatusCode, server: &Server) -> Failure {
    let limits = &server.settings.limits;
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => Failure::new(
            status,
            "body-too-large",
            format!(
                "the request body is larger than {} bytes (--max-body)",
                limits.max_body
            ),
        ),
        StatusCode::REQUEST_TIMEOUT => Failure::new(
            status,
            "timeout",
            format!(
                "the request took longer than {} s (--timeout)",
                limits.timeout.as_secs_f64()
            ),
        ),
        StatusCode::SERVICE_UNAVAILABLE => Failure::new(
            status,
            "overloaded",
            format!(
                "the server is answering {} requests already (--max-concurrent); try again",
                limits.max_concurrent
            ),
        ),
        StatusCode::METHOD_NOT_ALLOWED => Failure::new(
            status,
            "method-not-allowed",
            "this address does not take that method",
        ),
        StatusCode::NOT_FOUND => {
            Failure::new(status, "not-found", "there is nothing at this address")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Failure::new(
            status,
            "unsupported-media-type",
            "send the body as application/x-www-form-urlencoded",
        ),
        StatusCode::INTERNAL_SERVER_ERROR => Failure::internal(
            "an internal error (a bug in remedy); the server goes on. Report the request id.",
        ),
        s if s.is_client_error() => Failure::new(s, "bad-request", "the request is malformed"),
        s => Failure::new(s, "error", s.canonical_reason().unwrap_or("error")),
    }
}

/// An error as a page, in the reader's language when the site has it.
pub fn error_page(
    server: &Server,
    failure: &Failure,
    request_id: Option<&str>,
    accept_language: Option<&str>,
) -> Response {
    let generation = server.current();
    let locales = generation.site.locales().to_vec();
    let locale = super::pages::negotiate(accept_language, &locales)
        .or_else(|| locales.first().cloned())
        .unwrap_or_else(Locale::en_us);
    let chrome = crate::render::Chrome::new(&generation.advisor.messages, &locale);
    let title = chrome.text("error-title", &[]);
    let message = if failure.status == StatusCode::NOT_FOUND {
        chrome.text("error-not-found", &[])
    } else {
        failure.message.clone()
    };
    // Absolute links: the page may stand at any depth.
    let mut page = Page::new(
        &chrome,
        title.clone(),
        crate::render::content_security_policy(None),
    );
    page.stylesheet = Some(format!("/{}", crate::site::STYLESHEET));
    page.home = Some(format!("/{locale}/"));
    #[derive(Serialize)]
    struct ErrorView<'a> {
        title: String,
        message: String,
        request_id: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct ErrorPage<'a> {
        page: Page,
        error: ErrorView<'a>,
    }
    let csp = page.csp.clone();
    let body = generation
        .templates
        .render(
            "error.html.j2",
            &ErrorPage {
                page,
                error: ErrorView {
                    title,
                    message,
                    request_id,
                },
            },
        )
        .unwrap_or_else(|_| {
            format!(
                "<!DOCTYPE html><title>{0}</title><p>{0}</p>",
                escape_text(&failure.message)
            )
        });
    html_response(failure.status, body, &csp)
}

/// An HTML answer with its CSP as a header too (where `frame-ancestors` works).
pub fn html_response(status: StatusCode, body: String, csp: &str) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{csp}; frame-ancestors 'none'")) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// A panic in a handler: a 500, marked for [`frame`], which adds the request id.
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let mut r = Failure::internal(
        "an internal error (a bug in remedy); the server goes on. Report the request id.",
    )
    .into_response();
    r.headers_mut()
        .insert(PANIC_MARK, HeaderValue::from_static("1"));
    r
}

/// More requests at once than `--max-concurrent`.
pub async fn overloaded(_: tower::BoxError) -> Response {
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}
