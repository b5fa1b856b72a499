//! The pages: the site's own (home, articles, guides, sitemap, style sheet) rendered from
//! memory, the search results, and the page that turns pasted findings into a guide.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

use super::http::{Failure, error_page, html_response};
use super::state::{Generation, Server};
use crate::advise::InputFormat;
use crate::guide::{Guide, GuidePage};
use crate::l10n::Arg;
use crate::locale::Locale;
use crate::render::{Alternate, Chrome, Page, autonym, escape_text};
use crate::search::{Hit, SearchOptions};
use crate::site::{Mode, Renderer, href};

/// Hits on a results page.
const PAGE_HITS: usize = 20;

/// The best of `locales` for an `Accept-Language` header (fluent-langneg's filtering,
/// which also matches `nb` to `nb-NO` and `no` to nothing unless mapped).
pub fn negotiate(accept_language: Option<&str>, locales: &[Locale]) -> Option<Locale> {
    let asked: Vec<LanguageIdentifier> =
        fluent_langneg::accepted_languages::parse(accept_language.unwrap_or_default())
            .into_iter()
            .map(crate::l10n::as_read)
            .collect();
    let available: Vec<LanguageIdentifier> = locales
        .iter()
        .filter_map(|l| l.to_string().parse().ok())
        .collect();
    let chosen = fluent_langneg::negotiate_languages(
        &asked,
        &available,
        None,
        fluent_langneg::NegotiationStrategy::Filtering,
    );
    chosen.first().and_then(|id| id.to_string().parse().ok())
}

/// A locale of the site by its tag in a URL, `?lang=` or a form (any case, `_` or `-`).
fn site_locale(tag: &str, g: &Generation) -> Option<Locale> {
    let l = negotiate(Some(tag), g.site.locales())?;
    // `negotiate` matches a language to any of its regions; a URL names one exactly.
    l.to_string()
        .eq_ignore_ascii_case(&tag.replace('_', "-"))
        .then_some(l)
}

#[derive(Debug, Deserialize)]
pub struct RootQuery {
    lang: Option<String>,
}

/// `/`: the reader's locale (`?lang=`, else `Accept-Language`), else the language choice.
pub async fn root(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(q): Query<RootQuery>,
) -> Response {
    let g = server.current();
    let asked = q.lang.as_deref().or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
    });
    let mut response = match negotiate(asked, g.site.locales()) {
        Some(locale) => Redirect::to(&format!("/{locale}/")).into_response(),
        None => render_page(&server, &g, "index.html", &headers),
    };
    response.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("accept-language"),
    );
    response
}

/// Any other path: a page of the site, or 404.
pub async fn page(
    State(server): State<Arc<Server>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = Failure::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "pages are read with GET",
        )
        .into_response();
        r.headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let g = server.current();
    let raw = uri.path();
    let path = crate::site::percent_decode(raw.trim_start_matches('/'));
    // `/nb-NO` and `/nb-NO/` are the locale's home page.
    let trimmed = path.trim_end_matches('/');
    if g.site.locales().iter().any(|l| l.to_string() == trimmed) {
        if !path.ends_with('/') {
            return Redirect::permanent(&format!("/{trimmed}/")).into_response();
        }
        return render_page(&server, &g, &format!("{trimmed}/index.html"), &headers);
    }
    render_page(&server, &g, &path, &headers)
}

fn render_page(server: &Server, g: &Generation, path: &str, headers: &HeaderMap) -> Response {
    if !g.site.contains(path) {
        return not_found(server, headers);
    }
    let rendered =
        Renderer::new(&g.site, &g.advisor, &g.templates, Mode::Served).and_then(|r| r.render(path));
    match rendered {
        Ok(Some(r)) => match &r.csp {
            Some(csp) => html_response(StatusCode::OK, r.body, csp),
            None => ([(header::CONTENT_TYPE, r.content_type)], r.body).into_response(),
        },
        Ok(None) => not_found(server, headers),
        Err(e) => internal(&format!("{path}: {e}")),
    }
}

/// A 500 whose cause (paths of the index or the templates, say) goes to the log, not to
/// the client, who gets the request id to report.
pub fn internal(detail: &str) -> Response {
    tracing::error!("{detail}");
    Failure::internal(
        "an internal error (a bug in remedy); the server goes on. Report the request id.",
    )
    .into_response()
}

fn not_found(server: &Server, headers: &HeaderMap) -> Response {
    let failure = Failure::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "there is nothing at this address",
    );
    if super::http::wants_html(headers) {
        let lang = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        error_page(server, &failure, None, lang)
    } else {
        failure.into_response()
    }
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The search results page.
#[derive(Debug, Serialize)]
struct SearchPage {
    page: Page,
    search: SearchView,
}

#[derive(Debug, Serialize)]
struct SearchView {
    title: String,
    query: String,
    /// "12 articles found".
    count: String,
    hits: Vec<HitView>,
    /// What to say when nothing matched.
    none: String,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct HitView {
    title: String,
    href: String,
    section: Option<String>,
    section_href: String,
    /// The snippet as HTML: escaped text, the matched words in `<mark>`.
    snippet: String,
    /// "in Nederlands" for a hit from another locale.
    fallback: Option<String>,
    lang: String,
    machine: bool,
}

/// `/{locale}/search?q=`: results rendered on the server, usable without scripts.
pub async fn search(
    State(server): State<Arc<Server>>,
    Path(tag): Path<String>,
    Query(q): Query<SearchQuery>,
    headers: HeaderMap,
) -> Response {
    let g = server.current();
    let Some(locale) = site_locale(&tag, &g) else {
        return not_found(&server, &headers);
    };
    let query = q.q.trim().to_owned();
    let max = server.settings.limits.max_query;
    let renderer = match Renderer::new(&g.site, &g.advisor, &g.templates, Mode::Served) {
        Ok(r) => r,
        Err(e) => return internal(&e.to_string()),
    };
    let chrome = renderer.chrome(&locale);
    let path = format!("{locale}/search");
    let shown: String = query.chars().take(200).collect();
    let title = if query.is_empty() {
        chrome.text("search-empty-title", &[])
    } else {
        chrome.text("search-title", &[("query", Arg::Text(shown.clone()))])
    };
    let mut status = StatusCode::OK;
    let mut error = None;
    let mut hits = Vec::new();
    if query.is_empty() {
        error = Some(chrome.text("search-error-empty", &[]));
    } else if query.chars().count() > max {
        status = StatusCode::BAD_REQUEST;
        error = Some(chrome.text(
            "search-error-long",
            &[("shown", Arg::Text(chrome.format.count(max as u64)))],
        ));
    } else {
        let options = SearchOptions {
            locale: locale.clone(),
            limit: PAGE_HITS,
            fallback: true,
            explain: false,
            mode: Default::default(),
        };
        match g.with_engine(|e| e.search_isolated(&query, &options)) {
            Ok(found) => hits = found,
            Err(e) => return internal(&format!("search {query:?}: {e}")),
        }
    }
    let views: Vec<HitView> = hits
        .iter()
        .filter_map(|h| hit_view(h, &g, &path, chrome))
        .collect();
    let mut page = renderer.frame(&locale, &path, title.clone(), renderer.csp(None));
    if let Some(s) = page.search.as_mut() {
        s.query = query.clone();
    }
    let encoded = serde_urlencoded::to_string([("q", query.as_str())]).unwrap_or_default();
    page.alternates = route_alternates(&g, &locale, "search", &format!("?{encoded}"));
    page.canonical = None;
    let view = SearchPage {
        page,
        search: SearchView {
            title,
            count: chrome.count("search-results", views.len()),
            none: chrome.text("search-none", &[("query", Arg::Text(shown))]),
            query,
            hits: views,
            error,
        },
    };
    let csp = renderer.csp(None);
    match g.templates.render("search.html.j2", &view) {
        Ok(body) => html_response(status, body, &csp),
        Err(e) => internal(&e.to_string()),
    }
}

/// The same served route (`search`, `findings`) in every locale, for the language switcher.
fn route_alternates(g: &Generation, current: &Locale, route: &str, query: &str) -> Vec<Alternate> {
    let from = format!("{current}/{route}");
    g.site
        .locales()
        .iter()
        .map(|l| Alternate {
            lang: l.to_string(),
            name: autonym(l),
            href: format!("{}{query}", href(&from, &format!("{l}/{route}"))),
            url: None,
            current: l == current,
        })
        .collect()
}

fn hit_view(h: &Hit, g: &Generation, from: &str, chrome: &Chrome) -> Option<HitView> {
    let page = g.site.article_page(&h.locale, &h.path)?;
    let link = href(from, page);
    let section_href = match &h.anchor {
        Some(a) => format!("{link}#{}", a),
        None => link.clone(),
    };
    let fallback = h.fallback.then(|| {
        let locale: Locale = h.locale.parse().unwrap_or_else(|_| Locale::en_us());
        chrome.text(
            "search-fallback",
            &[("language", Arg::Text(autonym(&locale)))],
        )
    });
    Some(HitView {
        title: h.title.clone(),
        href: section_href.clone(),
        // The first section is often the article itself, under its own title.
        section: h
            .section
            .clone()
            .filter(|s| !s.trim().eq_ignore_ascii_case(h.title.trim())),
        section_href,
        snippet: marked(&h.snippet, &h.highlights),
        fallback,
        lang: h.locale.clone(),
        machine: h.translation.as_deref() == Some("MT"),
    })
}

/// Escaped text with the highlighted character ranges in `<mark>`.
pub fn marked(text: &str, highlights: &[[usize; 2]]) -> String {
    let mut out = String::with_capacity(text.len() + 16 * highlights.len());
    let mut open = false;
    let mut buf = [0u8; 4];
    for (i, c) in text.chars().enumerate() {
        if !open && highlights.iter().any(|h| h[0] == i && h[1] > i) {
            out.push_str("<mark>");
            open = true;
        }
        out.push_str(&escape_text(c.encode_utf8(&mut buf)));
        if open && highlights.iter().any(|h| h[1] == i + 1) {
            out.push_str("</mark>");
            open = false;
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

#[derive(Debug, Serialize)]
struct FindingsPage {
    page: Page,
    findings: FindingsView,
}

#[derive(Debug, Serialize)]
struct FindingsView {
    action: String,
    text: String,
    error: Option<String>,
}

/// `/{locale}/findings`: the form.
pub async fn findings_form(
    State(server): State<Arc<Server>>,
    Path(tag): Path<String>,
    headers: HeaderMap,
) -> Response {
    let g = server.current();
    let Some(locale) = site_locale(&tag, &g) else {
        return not_found(&server, &headers);
    };
    findings_page(&g, &locale, String::new(), None, StatusCode::OK)
}

fn findings_page(
    g: &Generation,
    locale: &Locale,
    text: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let renderer = match Renderer::new(&g.site, &g.advisor, &g.templates, Mode::Served) {
        Ok(r) => r,
        Err(e) => return internal(&e.to_string()),
    };
    let path = format!("{locale}/findings");
    let title = renderer.chrome(locale).text("findings-title", &[]);
    let csp = renderer.csp(None);
    let mut page = renderer.frame(locale, &path, title, csp.clone());
    page.findings = None;
    page.canonical = None;
    page.alternates = route_alternates(g, locale, "findings", "");
    let view = FindingsPage {
        page,
        findings: FindingsView {
            action: "findings".into(),
            text,
            error,
        },
    };
    match g.templates.render("findings.html.j2", &view) {
        Ok(body) => html_response(status, body, &csp),
        Err(e) => internal(&e.to_string()),
    }
}

#[derive(Debug, Deserialize)]
pub struct FindingsForm {
    #[serde(default)]
    findings: String,
}

/// `POST /{locale}/findings`: the guide for what was pasted (findings in JSON or SARIF,
/// or a tool's log lines), in the page's language, its steps linked to their pages.
pub async fn findings_guide(
    State(server): State<Arc<Server>>,
    Path(tag): Path<String>,
    headers: HeaderMap,
    Form(form): Form<FindingsForm>,
) -> Response {
    let g = server.current();
    let Some(locale) = site_locale(&tag, &g) else {
        return not_found(&server, &headers);
    };
    let g2 = g.clone();
    server
        .heavy(move || guide_page(&g2, &locale, form.findings))
        .await
        .unwrap_or_else(|| {
            Failure::internal("the guide could not be made (a bug in remedy)").into_response()
        })
}

fn guide_page(g: &Generation, locale: &Locale, text: String) -> Response {
    let chrome_of = |id: &str, args: &[(&str, Arg)]| {
        crate::render::Chrome::new(&g.advisor.messages, locale).text(id, args)
    };
    if text.trim().is_empty() {
        let e = chrome_of("findings-error-empty", &[]);
        return findings_page(g, locale, text, Some(e), StatusCode::BAD_REQUEST);
    }
    let guide = match read_findings(g, &locale.to_string(), &text) {
        Ok(guide) => guide,
        Err(why) => {
            let e = chrome_of("findings-error-unread", &[("why", Arg::Text(why))]);
            return findings_page(g, locale, text, Some(e), StatusCode::BAD_REQUEST);
        }
    };
    let renderer = match Renderer::new(&g.site, &g.advisor, &g.templates, Mode::Served) {
        Ok(r) => r,
        Err(e) => return internal(&e.to_string()),
    };
    let path = format!("{locale}/findings");
    let link = |s: &crate::advise::StepSource| renderer.step_link(&path, s);
    let view = guide.view(renderer.chrome(locale), &link);
    let csp = renderer.csp(None);
    let mut page = renderer.frame(locale, &path, view.title.clone(), csp.clone());
    page.canonical = None;
    match g
        .templates
        .render("guide.html.j2", &GuidePage { page, guide: view })
    {
        Ok(body) => html_response(StatusCode::OK, body, &csp),
        Err(e) => internal(&e.to_string()),
    }
}

/// Findings pasted or posted: JSON lines, a JSON array or SARIF when the text starts as
/// JSON, else a log read line by line against the catalog's patterns.
pub fn read_findings(g: &Generation, locale: &str, text: &str) -> Result<Guide, String> {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let nothing = |g: &Guide| g.entries.is_empty() && g.unknown.is_empty() && g.not_applicable == 0;
    if start.starts_with('{') || start.starts_with('[') {
        let guide = Guide::from_findings(&g.advisor, locale, InputFormat::Auto, text.as_bytes())
            .map_err(|e| e.to_string())?;
        if !nothing(&guide) {
            return Ok(guide);
        }
        // `[12:00:01] WARN …` starts like JSON and is a log.
        let log = Guide::from_log(&g.advisor, locale, text).map_err(|e| e.to_string())?;
        return match guide.unread.first() {
            Some(first) if nothing(&log) => Err(first.clone()),
            _ => Ok(log),
        };
    }
    Guide::from_log(&g.advisor, locale, text).map_err(|e| e.to_string())
}
