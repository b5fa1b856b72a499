//! The JSON API (the CLI's outputs over HTTP), `/healthz` and `/metrics`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::http::Failure;
use super::pages::{negotiate, read_findings};
use super::state::{Generation, Server};
use crate::advise::{InputFormat, Options, OutputFormat, advise_with};
use crate::guide::{GuideFormat, render};
use crate::locale::Locale;
use crate::search::{SearchError, SearchOptions};

/// The locale a request asks for: `?locale=` (any form the messages negotiate, `nb`,
/// `no`, `nl_BE`), else `Accept-Language`; `None` when neither says.
fn asked_locale(params: &HashMap<String, String>, headers: &HeaderMap) -> Option<String> {
    params
        .get("locale")
        .cloned()
        .filter(|l| !l.is_empty())
        .or_else(|| {
            // `nb-NO,nb;q=0.9,en;q=0.8`: the reader's first language.
            let header = headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())?;
            fluent_langneg::accepted_languages::parse(header)
                .first()
                .map(ToString::to_string)
        })
}

fn json_response(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// `GET /api/search?q=&locale=&limit=&fallback=&explain=`: `{"hits": [...]}`, as
/// `remedy search --format json` prints it.
pub async fn search(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let limits = &server.settings.limits;
    let q = params.get("q").map(|s| s.trim()).unwrap_or_default();
    if q.is_empty() {
        return Failure::bad_request("empty-query", "q= is missing or empty: say what is wrong")
            .into_response();
    }
    if q.chars().count() > limits.max_query {
        return Failure::bad_request(
            "query-too-long",
            format!(
                "q= is longer than {} characters (--max-query)",
                limits.max_query
            ),
        )
        .into_response();
    }
    let limit = match params.get("limit").map(|l| l.parse::<usize>()) {
        None => 10,
        Some(Ok(n)) if (1..=limits.max_limit).contains(&n) => n,
        Some(_) => {
            return Failure::bad_request(
                "bad-limit",
                format!(
                    "limit= must be a number from 1 to {} (--max-limit)",
                    limits.max_limit
                ),
            )
            .into_response();
        }
    };
    let flag = |name: &str| -> Result<bool, Failure> {
        match params.get(name).map(String::as_str) {
            None | Some("false" | "0" | "no") => Ok(false),
            Some("" | "true" | "1" | "yes") => Ok(true),
            Some(other) => Err(Failure::bad_request(
                "bad-flag",
                format!("{name}={other:?}: expected true or false"),
            )),
        }
    };
    let (fallback, explain) = match (flag("fallback"), flag("explain")) {
        (Ok(f), Ok(e)) => (f, e),
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
    };
    let g = server.current();
    let locale = match resolve_locale(&g, asked_locale(&params, &headers).as_deref()) {
        Ok(l) => l,
        Err(f) => return f.into_response(),
    };
    let options = SearchOptions {
        locale,
        limit,
        fallback,
        explain,
        mode: Default::default(),
    };
    match g.with_engine(|e| e.search_isolated(q, &options)) {
        Ok(hits) => match serde_json::to_string(&serde_json::json!({ "hits": hits })) {
            Ok(body) => json_response(StatusCode::OK, "application/json", body + "\n"),
            Err(e) => super::pages::internal(&e.to_string()),
        },
        Err(SearchError::EmptyQuery) => {
            Failure::bad_request("empty-query", "q= is empty: say what is wrong").into_response()
        }
        Err(e @ SearchError::UnknownLocale { .. }) => {
            Failure::bad_request("unknown-locale", e.to_string()).into_response()
        }
        Err(e) => super::pages::internal(&format!("search {q:?}: {e}")),
    }
}

/// The index locale a request asked for: an exact one, else the one its language
/// negotiates to, else (asking nothing) the first.
fn resolve_locale(g: &Generation, asked: Option<&str>) -> Result<Locale, Failure> {
    let locales = g.locales();
    let Some(asked) = asked else {
        return locales
            .first()
            .cloned()
            .ok_or_else(|| Failure::internal("the index has no locale"));
    };
    if let Ok(exact) = asked.parse::<Locale>()
        && locales.contains(&exact)
    {
        return Ok(exact);
    }
    negotiate(Some(asked), &locales).ok_or_else(|| {
        Failure::bad_request(
            "unknown-locale",
            format!(
                "no articles in {asked:?}; the index has: {}",
                locales
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// The input format a request's `Content-Type` names; `Auto` for JSON or none.
fn input_format(headers: &HeaderMap) -> Result<InputFormat, Failure> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Ok(match ct.as_str() {
        "application/sarif+json" => InputFormat::Sarif,
        "application/x-ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines" => InputFormat::Lines,
        "" | "application/json" | "text/plain" | "application/octet-stream" => InputFormat::Auto,
        other => {
            return Err(Failure::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                format!(
                    "Content-Type {other:?}: send application/json, application/x-ndjson or \
                     application/sarif+json"
                ),
            ));
        }
    })
}

/// `POST /api/advise[?locale=&format=sarif]`: findings in (JSON lines, a JSON array or
/// SARIF, by `Content-Type` or detected), the same with advice out, as `remedy advise`
/// writes it. The summary is in the `Remedy-Summary` header.
pub async fn advise(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let format = match input_format(&headers) {
        Ok(f) => f,
        Err(f) => return f.into_response(),
    };
    let output = match params.get("format").map(String::as_str) {
        None | Some("json") => OutputFormat::Same,
        Some("sarif") => OutputFormat::Sarif,
        Some(other) => {
            return Failure::bad_request(
                "bad-format",
                format!("format={other:?}: expected json or sarif"),
            )
            .into_response();
        }
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Failure::bad_request("empty-body", "the body holds no findings").into_response();
    }
    let locale = asked_locale(&params, &headers).unwrap_or_default();
    let g = server.current();
    let done = server
        .heavy(move || {
            let mut out = Vec::with_capacity(body.len() * 2);
            let mut unread = Vec::new();
            let summary = advise_with(
                &g.advisor,
                &locale,
                Options {
                    input: format,
                    output,
                    source: None,
                },
                &body[..],
                &mut out,
                |r| unread.push(r),
            );
            summary.map(|s| (s, out, unread))
        })
        .await;
    match done {
        Some(Ok((summary, out, unread))) => {
            let text = String::from_utf8_lossy(&out);
            let content_type = match (output, text.trim_start().as_bytes().first()) {
                (OutputFormat::Sarif, _) => "application/sarif+json",
                _ if format == InputFormat::Sarif => "application/sarif+json",
                (_, Some(b'[')) => "application/json",
                (_, Some(b'{')) if format != InputFormat::Lines && !text.trim().contains('\n') => {
                    "application/json"
                }
                _ => "application/x-ndjson",
            };
            let mut response = json_response(StatusCode::OK, content_type, text.into_owned());
            if let Ok(v) = summary.to_string().parse() {
                response.headers_mut().insert("remedy-summary", v);
            }
            if let Some(first) = unread.first()
                && let Ok(v) = header::HeaderValue::from_str(&first.replace(['\r', '\n'], " "))
            {
                response.headers_mut().insert("remedy-unread", v);
            }
            response
        }
        Some(Err(e)) => Failure::bad_request("unreadable-findings", e.to_string()).into_response(),
        None => Failure::internal("advice failed (a bug in remedy)").into_response(),
    }
}

/// `POST /api/guide[?locale=&title=]`: findings (or a log) in, the guide out: HTML (one
/// self-contained page) or Markdown for `Accept: text/markdown`.
pub async fn guide(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let format = match headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
    {
        a if a.contains("text/markdown") => GuideFormat::Md,
        _ => GuideFormat::Html,
    };
    let Ok(text) = String::from_utf8(body.to_vec()) else {
        return Failure::bad_request("not-utf8", "the body is not UTF-8 text").into_response();
    };
    if text.trim().is_empty() {
        return Failure::bad_request("empty-body", "the body holds no findings").into_response();
    }
    let asked = asked_locale(&params, &headers).unwrap_or_default();
    let title = params.get("title").cloned();
    let g = server.current();
    let done = server
        .heavy(move || {
            let locale: Locale = g.advisor.messages.negotiate(&asked)[0].clone();
            let mut guide = read_findings(&g, &asked, &text)?;
            if title.is_some() {
                guide.title = title;
            }
            render(&guide, &g.advisor, &locale, format, &g.templates).map_err(|e| e.to_string())
        })
        .await;
    match done {
        Some(Ok(body)) => match format {
            GuideFormat::Md => json_response(StatusCode::OK, "text/markdown; charset=utf-8", body),
            GuideFormat::Html => super::http::html_response(
                StatusCode::OK,
                body,
                &crate::render::content_security_policy(None),
            ),
        },
        Some(Err(why)) => Failure::bad_request("unreadable-findings", why).into_response(),
        None => Failure::internal("the guide could not be made (a bug in remedy)").into_response(),
    }
}

#[derive(Debug, Serialize)]
struct Health {
    /// `ok`, or `degraded` when the last reload failed (older content is being served).
    status: &'static str,
    version: &'static str,
    articles: std::collections::BTreeMap<String, u64>,
    /// Seconds since the served index was brought up to date.
    index_age_seconds: f64,
    skipped: usize,
    reload: super::state::ReloadStatus,
}

/// `GET /healthz`: 200 while serving, with what and how fresh.
pub async fn healthz(State(server): State<Arc<Server>>) -> Response {
    let g = server.current();
    let reload = server
        .status
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let health = Health {
        status: if reload.error.is_some() {
            "degraded"
        } else {
            "ok"
        },
        version: env!("CARGO_PKG_VERSION"),
        articles: g.documents.clone(),
        index_age_seconds: SystemTime::now()
            .duration_since(g.loaded)
            .unwrap_or_default()
            .as_secs_f64(),
        skipped: g.skipped.len(),
        reload,
    };
    json_response(
        StatusCode::OK,
        "application/json",
        serde_json::to_string(&health).unwrap_or_default() + "\n",
    )
}

/// `GET /metrics`.
pub async fn metrics(State(server): State<Arc<Server>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        server.metrics.encode(),
    )
        .into_response()
}
