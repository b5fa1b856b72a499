//! `remedy check --format html`: the report as a page people would rather look at than
//! read, from the same templates, chrome and escaping as the guides and the site.

use std::path::Path;

use serde::Serialize;

use super::{CheckId, Report, Severity};
use crate::l10n::{Arg, Messages};
use crate::locale::Locale;
use crate::render::{Chrome, Page, TemplateError, Templates, content_security_policy, encode_path};

/// At most this many findings are listed; the charts count them all.
const LISTED: usize = 5000;

#[derive(Serialize)]
struct View {
    summary: String,
    locales: Vec<LocaleRow>,
    failures: Vec<Bar>,
    drift: Vec<Bar>,
    articles: Vec<ArticleRows>,
    more: Option<String>,
}

#[derive(Serialize)]
struct LocaleRow {
    locale: String,
    articles: String,
    shares: [Share; 3],
}

/// A share for a meter: its length in percent, and as written.
#[derive(Serialize)]
struct Share {
    width: u32,
    label: String,
}

fn share(part: usize, whole: usize, format: &crate::render::Formatter) -> Share {
    let exact = if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    };
    // Small shares keep a decimal: 3 drifted segments of 1,900 are not "0 %".
    let shown = if exact > 0.0 && exact < 10.0 {
        format.tenths((exact * 10.0).round() as u64)
    } else {
        format.count(exact.round() as u64)
    };
    Share {
        width: exact.round() as u32,
        label: format!("{shown}\u{a0}% ({})", format.count(part as u64)),
    }
}

/// A bar of a chart: its label, its value as written, its length in percent of the
/// longest.
#[derive(Serialize)]
struct Bar {
    label: String,
    value: String,
    width: u32,
    class: &'static str,
    href: Option<String>,
}

#[derive(Serialize)]
struct ArticleRows {
    path: String,
    id: String,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    place: String,
    href: String,
    check: &'static str,
    severity: &'static str,
    severity_label: String,
    message: String,
}

fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        0
    } else {
        ((part as f64 / whole as f64) * 100.0).round() as u32
    }
}

/// The report as one self-contained HTML page in `locale`'s chrome. Each finding links to
/// its place: the article's page under `site` (a `remedy site` or `remedy serve` address)
/// at the section it is in, or else the Markdown file under `content`.
pub fn html_report(
    report: &Report,
    templates: &Templates,
    messages: &Messages,
    locale: &Locale,
    content: &Path,
    site: Option<&str>,
) -> Result<String, TemplateError> {
    let chrome = Chrome::new(messages, locale);
    let fmt = |n: usize| chrome.format.count(n as u64);
    let locales = report
        .locales
        .iter()
        .map(|(l, t)| LocaleRow {
            locale: l.clone(),
            articles: fmt(t.articles),
            shares: [
                share(t.articles, report.sets, &chrome.format),
                share(t.machine_translated, t.articles, &chrome.format),
                share(t.drifted_segments, t.segments, &chrome.format),
            ],
        })
        .collect();
    let more = (report.findings.len() > LISTED)
        .then(|| chrome.count("check-more", report.findings.len() - LISTED));
    let view = View {
        summary: summary(report, &chrome),
        locales,
        failures: failure_bars(report, &chrome),
        drift: drift_bars(report, &chrome, content, site),
        articles: finding_rows(report, &chrome, content, site),
        more,
    };
    let page = Page::new(
        &chrome,
        chrome.text("check-title", &[]),
        content_security_policy(None),
    );
    #[derive(Serialize)]
    struct Context<'a> {
        page: Page,
        check: &'a View,
    }
    templates.render("check.html.j2", &Context { page, check: &view })
}

/// The report's one-sentence summary: articles, locales and findings by severity.
fn summary(report: &Report, chrome: &Chrome) -> String {
    let fmt = |n: usize| Arg::Text(chrome.format.count(n as u64));
    let mut by_severity = [0usize; 3];
    for f in &report.findings {
        by_severity[f.severity as usize] += 1;
    }
    let articles: usize = report.locales.values().map(|t| t.articles).sum();
    chrome.text(
        "check-summary",
        &[
            ("articles", fmt(articles)),
            ("locales", fmt(report.locales.len())),
            ("errors", fmt(by_severity[Severity::Error as usize])),
            ("warnings", fmt(by_severity[Severity::Warning as usize])),
            ("notes", fmt(by_severity[Severity::Note as usize])),
        ],
    )
}

/// A bar per check that found something, longest first.
fn failure_bars(report: &Report, chrome: &Chrome) -> Vec<Bar> {
    let most = report.by_check.values().copied().max().unwrap_or(1);
    let mut failures: Vec<Bar> = report
        .by_check
        .iter()
        .map(|(c, n)| {
            let check: CheckId = c.parse().unwrap_or(CheckId::SpanBroken);
            Bar {
                label: (*c).to_owned(),
                value: chrome.format.count(*n as u64),
                width: percent(*n, most).max(1),
                class: check.severity().name(),
                href: None,
            }
        })
        .collect();
    failures.sort_by(|a, b| b.width.cmp(&a.width).then_with(|| a.label.cmp(&b.label)));
    failures
}

/// A bar per article with the most drifted segments (the first 20).
fn drift_bars(report: &Report, chrome: &Chrome, content: &Path, site: Option<&str>) -> Vec<Bar> {
    let fmt = |n: usize| chrome.format.count(n as u64);
    let most_drift = report.drift.first().map_or(1, |d| d.drifted);
    report
        .drift
        .iter()
        .take(20)
        .map(|d| Bar {
            label: clip_start(&d.path, 32),
            value: format!("{} / {}", fmt(d.drifted), fmt(d.segments)),
            width: percent(d.drifted, most_drift).max(1),
            class: "warning",
            href: Some(place(content, site, &d.path, None, None)),
        })
        .collect()
}

/// The first [`LISTED`] findings, grouped by article, each linked to its place.
fn finding_rows(
    report: &Report,
    chrome: &Chrome,
    content: &Path,
    site: Option<&str>,
) -> Vec<ArticleRows> {
    let mut articles: Vec<ArticleRows> = Vec::new();
    for f in report.findings.iter().take(LISTED) {
        if articles.last().is_none_or(|a| a.path != f.path) {
            articles.push(ArticleRows {
                path: f.path.clone(),
                id: format!("a{}", articles.len() + 1),
                rows: Vec::new(),
            });
        }
        let rows = &mut articles.last_mut().expect("pushed above").rows;
        rows.push(Row {
            place: format!("{}:{}", f.line, f.column),
            href: place(content, site, &f.path, f.section.as_deref(), Some(f.line)),
            check: f.check.name(),
            severity: f.severity.name(),
            severity_label: chrome.severity(f.severity.name()),
            message: f.message.clone(),
        });
    }
    articles
}

/// Where a finding is: the article's page on the site at its section, or the file.
fn place(
    content: &Path,
    site: Option<&str>,
    path: &str,
    section: Option<&str>,
    line: Option<u32>,
) -> String {
    match site {
        Some(base) => {
            let page = format!("{}.html", path.strip_suffix(".md").unwrap_or(path));
            let anchor = section.map(|s| format!("#{s}")).unwrap_or_default();
            format!(
                "{}/{}{anchor}",
                base.trim_end_matches('/'),
                encode_path(&page)
            )
        }
        None => {
            let abs =
                std::path::absolute(content.join(path)).unwrap_or_else(|_| content.join(path));
            let fragment = line.map(|l| format!("#L{l}")).unwrap_or_default();
            format!("file://{}{fragment}", encode_path(&abs.to_string_lossy()))
        }
    }
}

/// The end of a long path, which names the article: `…/sync-issues.md`.
fn clip_start(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_owned();
    }
    let tail: String = s.chars().skip(n - (max - 1)).collect();
    format!("…{tail}")
}
