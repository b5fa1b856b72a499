//! Guides and the site, made by the real binary: their languages, links, alternates and
//! sitemap, what a hostile article can do to them (nothing), what a broken template or a
//! failed build does (nothing to the previous site), and the pages in a real browser
//! (Debian's headless Chromium over CDP).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::{corpus, piped, remedy, remedy_ok};
use scraper::{Html, Selector};

const STALE: &str = "{\"code\":\"phs.stale\",\"params\":{\"days\":6}}\n";
const HOSTILE: &str = "tests/fixtures/hostile";

/// A fresh folder under cargo's temporary folder for tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pages")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().expect("a parent")).expect("scratch folder");
    dir
}

fn guide(locale: &str, format: &str) -> String {
    let out = piped(&["guide", "--locale", locale, "--format", format], STALE);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("a selector"))
        .collect()
}

#[test]
fn a_guide_speaks_the_reader_s_language_and_stands_alone() {
    for (locale, heading, title_word, original) in [
        ("nb-NO", "Feilsøkingsveiledning", "6 dager", true),
        (
            "nl-NL",
            "Handleiding voor probleemoplossing",
            "6 dagen",
            true,
        ),
        ("en-US", "Troubleshooting guide", "6 days", false),
    ] {
        let html = guide(locale, "html");
        let doc = Html::parse_document(&html);
        let root = select(&doc, "html")[0];
        assert_eq!(root.value().attr("lang"), Some(locale));
        assert_eq!(root.value().attr("dir"), Some("ltr"));
        assert_eq!(select(&doc, "h1")[0].text().collect::<String>(), heading);
        assert!(html.contains(title_word), "{locale}: {html}");
        // One file: no script, no stylesheet or image to fetch, a CSP that forbids both.
        assert!(select(&doc, "script, link[rel=stylesheet], img[src], iframe").is_empty());
        let csp = select(&doc, "meta[http-equiv=Content-Security-Policy]")[0]
            .value()
            .attr("content")
            .expect("a CSP");
        assert!(csp.contains("script-src 'none'") && csp.contains("default-src 'none'"));
        assert!(html.contains("@media print"), "print styles");
        assert!(html.contains("width=device-width"), "readable on a phone");
        // The summary table, then the finding with its steps and where they come from.
        assert_eq!(select(&doc, "table.summary tbody tr").len(), 1);
        assert!(
            !select(&doc, "section.finding ol li").is_empty(),
            "{locale}: steps"
        );
        assert_eq!(
            select(&doc, "p.provenance").len(),
            2,
            "{locale}: one per part"
        );
        // Span articles let the reader open the English; English steps need none.
        assert_eq!(
            !select(&doc, "details.original").is_empty(),
            original,
            "{locale}"
        );
        if original {
            assert!(
                !select(&doc, "p.notice").is_empty(),
                "{locale}: machine translated"
            );
        }
    }
}

#[test]
fn a_markdown_guide_is_commonmark_with_the_english_behind_details() {
    let md = guide("nb-NO", "md");
    assert!(md.starts_with("# Feilsøkingsveiledning\n"), "{md}");
    assert!(
        md.contains("| Funn | Alvorlighet | Antall |\n| --- | --- | ---: |"),
        "{md}"
    );
    assert!(md.contains("<details lang=\"en\"><summary>Engelsk original</summary>\n\n"));
    assert!(md.contains("> Denne teksten er maskinoversatt."), "{md}");
    // What a Markdown renderer makes of it: the table and the steps' list.
    let html = remedy::render::markdown_to_html(&md, &Default::default());
    assert!(html.contains("<table>") && html.contains("<ol>"), "{html}");
}

#[test]
fn repeated_sarif_results_are_one_entry_with_the_objects_cut_short() {
    let results: Vec<String> = (0..11)
        .map(|i| {
            format!(
                r#"{{"ruleId":"AADC002","message":{{"text":"stale"}},"properties":{{"days":6,"user":"user{i}@contoso.com"}}}}"#
            )
        })
        .collect();
    let sarif = format!(
        r#"{{"version":"2.1.0","runs":[{{"tool":{{"driver":{{"name":"aadc-health"}}}},"invocations":[{{"executionSuccessful":true,"startTimeUtc":"2026-03-05T14:03:00Z"}}],"results":[{},{{"ruleId":"AADC001","message":{{"text":"off"}}}},{{"ruleId":"NOPE","message":{{"text":"?"}}}}]}}]}}"#,
        results.join(",")
    );
    let out = piped(&["guide", "--locale", "nl", "--format", "html"], &sarif);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).expect("UTF-8");
    let doc = Html::parse_document(&html);
    let rows: Vec<String> = select(&doc, "table.summary tbody tr")
        .iter()
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("Wachtwoord-hashsynchronisatie is uitgeschakeld|Fout|1"),
        "{rows:?}"
    );
    assert!(rows[1].ends_with("|Waarschuwing|11"), "{rows:?}");
    let affected = select(&doc, "p.affected")[0].text().collect::<String>();
    assert!(
        affected.contains("user0@contoso.com") && affected.contains("en nog 3"),
        "{affected}"
    );
    assert!(!affected.contains("user8@"), "{affected}");
    let source = select(&doc, "p.source")[0].text().collect::<String>();
    assert!(
        source.contains("aadc-health") && source.contains("5 mrt 2026"),
        "{source}"
    );
    assert!(html.contains("NOPE"), "the unknown finding is listed");
}

/// Every relative link of every page leads to a file, and its fragment to an id there.
fn assert_links_resolve(site: &Path) -> usize {
    let mut checked = 0;
    let pages: Vec<PathBuf> = walk(site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    for page in &pages {
        let doc = Html::parse_document(&std::fs::read_to_string(page).expect("a page"));
        for a in select(&doc, "a[href], link[href]") {
            let href = a.value().attr("href").expect("href");
            if href.starts_with("http:")
                || href.starts_with("https:")
                || href.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().expect("a folder").join(percent_decode(path))
            };
            assert!(target.is_file(), "{}: {href} leads nowhere", page.display());
            if !fragment.is_empty() {
                let there =
                    Html::parse_document(&std::fs::read_to_string(&target).expect("a page"));
                let css = format!("[id=\"{}\"]", percent_decode(fragment));
                assert!(
                    !select(&there, &css).is_empty(),
                    "{}: {href}: no such id",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    checked
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("a folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn build_site(content: &str, out: &Path) -> String {
    let out_s = out.to_str().expect("UTF-8 path");
    let run = remedy(&[
        "site",
        "--content",
        content,
        "--out",
        out_s,
        "--base-url",
        "https://kb.example.com/help",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stderr).expect("UTF-8")
}

#[test]
fn the_site_links_languages_and_pages_to_each_other() {
    let site = scratch("hostile-site");
    let report = build_site(HOSTILE, &site);
    assert!(
        report
            .contains("4 article pages (nb-NO 2, nl-NL 2), 4 with another language, 2 guide pages"),
        "{report}"
    );
    // The link to an article that is not in the content is reported where it is.
    assert!(
        report.contains(
            "tests/fixtures/hostile/nb-NO/hostile.md:34:37: link-broken: \"finnes-ikke.md\""
        ),
        "{report}"
    );
    assert!(
        report.contains("1 resolved, 1 broken, 0 outside the content, 5 unsafe"),
        "{report}"
    );
    assert!(assert_links_resolve(&site) > 20);

    let page = std::fs::read_to_string(site.join("nb-NO/password-sync.html")).expect("a page");
    let doc = Html::parse_document(&page);
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("nb-NO"));
    let alternates: Vec<(String, String)> = select(&doc, "link[rel=alternate]")
        .iter()
        .map(|l| {
            let v = l.value();
            (
                v.attr("hreflang").unwrap().to_owned(),
                v.attr("href").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        alternates,
        [
            (
                "nb-NO",
                "https://kb.example.com/help/nb-NO/password-sync.html"
            ),
            (
                "nl-NL",
                "https://kb.example.com/help/nl-NL/password-sync.html"
            ),
            ("x-default", "https://kb.example.com/help/index.html"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let canonical = select(&doc, "link[rel=canonical]")[0].value().attr("href");
    assert_eq!(
        canonical,
        Some("https://kb.example.com/help/nb-NO/password-sync.html")
    );
    // The switcher stays on the article.
    let switch = select(&doc, "nav.languages a")[0].value().attr("href");
    assert_eq!(switch, Some("../nl-NL/password-sync.html"));
    // The link from the hostile article to password-sync.md points at its page.
    let hostile = std::fs::read_to_string(site.join("nb-NO/hostile.html")).expect("a page");
    assert!(
        hostile.contains("href=\"password-sync.html#enable-password-sync\""),
        "{hostile}"
    );

    // The sitemap: every page once, each alternate a page that exists.
    let xml = std::fs::read_to_string(site.join("sitemap.xml")).expect("a sitemap");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let mut locs = BTreeSet::new();
    for url in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ns, "url")))
    {
        let loc = url
            .children()
            .find(|n| n.has_tag_name((ns, "loc")))
            .and_then(|n| n.text())
            .expect("loc");
        assert!(locs.insert(loc.to_owned()), "{loc} twice");
        for alt in url
            .children()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
        {
            let href = alt.attribute("href").expect("href");
            let rel = href
                .strip_prefix("https://kb.example.com/help/")
                .expect("under the base");
            assert!(site.join(rel).is_file(), "{href}");
        }
    }
    let pages = walk(&site)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(locs.len(), pages, "every page is in the sitemap");
}

#[test]
fn a_hostile_article_reaches_no_page_as_markup() {
    let site = scratch("hostile-scan");
    build_site(HOSTILE, &site);
    let mut pages: Vec<(String, String)> = walk(&site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("a page"),
            )
        })
        .collect();
    for format in ["html", "md"] {
        let out = hostile_guide(&["--format", format]);
        pages.push((format!("guide.{format}"), out));
    }
    for (name, text) in &pages {
        assert_inert(name, text);
    }
}

/// Nothing in a page (or, for a `.md` name, in what a Markdown renderer makes of it) can
/// run or load: no script but the home page's filter, no handler, no unsafe URL, no
/// frame, object, form or base, no style sheet but the site's.
fn assert_inert(name: &str, text: &str) {
    // Markdown goes through a renderer that keeps raw HTML: judge what it would make.
    let html = if name.ends_with(".md") {
        pulldown_html(text)
    } else {
        text.to_owned()
    };
    let doc = Html::parse_document(&html);
    for s in select(&doc, "script") {
        // Only the home page's own filter, allowed by its hash.
        assert!(
            name.ends_with("/index.html"),
            "{name}: a script: {}",
            s.html()
        );
        assert!(
            s.inner_html().contains("getElementById(\"filter\")"),
            "{name}"
        );
    }
    let bad = select(
        &doc,
        "iframe, object, embed, form, base, input:not(#filter), button, svg, math, style:not(head style), meta[http-equiv=refresh]",
    );
    assert!(bad.is_empty(), "{name}: {}", bad[0].html());
    for link in select(&doc, "link[rel=stylesheet]") {
        let href = link.value().attr("href").unwrap_or_default();
        assert_eq!(
            href.trim_start_matches("../"),
            "style.css",
            "{name}: {}",
            link.html()
        );
    }
    // Pages load nothing; a Markdown guide's images are its renderer's to fetch.
    if !name.ends_with(".md") {
        assert!(select(&doc, "img[src]").is_empty(), "{name}");
    }
    for el in select(&doc, "*") {
        for (attr, value) in el.value().attrs() {
            assert!(!attr.starts_with("on"), "{name}: {}", el.html());
            let v = value.trim().to_ascii_lowercase();
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "data" | "style"
            ) {
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!v.contains(scheme), "{name}: {}", el.html());
                }
            }
        }
    }
}

#[test]
fn hostile_findings_reach_no_guide_as_markup() {
    let input = concat!(
        r#"{"code":"phs.stale","params":{"days":6},"user":"<img src=x onerror=alert(1)>","tool":"<script>alert(2)</script>","time":"2026-03-05T14:03:00Z"}"#,
        "\n",
        r#"{"code":"x`\n\n<img src=x onerror=alert(3)>\n[a](javascript:alert(4))`"}"#,
        "\n",
        r#"{"code":"y``` <script>alert(5)</script> | col |"}"#,
        "\n",
    );
    for format in ["html", "md"] {
        let out = piped(&["guide", "--locale", "nb-NO", "--format", format], input);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert_inert(&format!("findings.{format}"), &text);
        assert!(
            text.contains("alert(3)"),
            "the unknown code is shown, as text: {text}"
        );
    }
}

/// The hostile fixture's named guide in nb-NO, with `extra` arguments.
fn hostile_guide(extra: &[&str]) -> String {
    let mut args = vec![
        "guide",
        "--content",
        HOSTILE,
        "--definition",
        "tests/fixtures/hostile/guides/hostile.yaml",
        "--locale",
        "nb-NO",
    ];
    args.extend_from_slice(extra);
    remedy_ok(&args)
}

fn pulldown_html(md: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(md));
    out
}

/// A templates folder whose `article.html.j2` is `text`.
fn article_template(name: &str, text: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("article.html.j2"), text).unwrap();
    dir
}

/// `remedy site` of the default content into `site` with `templates`.
fn site_with(site: &Path, templates: &Path) -> std::process::Output {
    remedy(&[
        "site",
        "--out",
        site.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ])
}

#[test]
fn a_broken_template_is_reported_and_nothing_is_written() {
    let site = scratch("broken-template");
    let templates = article_template(
        "broken-template-files",
        "{% extends \"base.html.j2\" %}\n{% block main %}\n{{ article.html | safe }\n{% endblock %}\n",
    );
    let out = site_with(&site, &templates);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("article.html.j2:3:") && err.contains("syntax error"),
        "{err}"
    );
    assert!(!site.exists(), "nothing written");
    // A guide stops the same way.
    let out = piped(
        &["guide", "--templates", templates.to_str().unwrap()],
        STALE,
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_failed_build_leaves_the_previous_site_and_a_foreign_folder_is_never_replaced() {
    let site = scratch("swap");
    // What a failed run of this test left beside the site.
    let _ = std::fs::remove_dir_all(site.with_file_name(".swap.old"));
    build_site("content", &site);
    let before: Vec<PathBuf> = walk(&site);
    let index = std::fs::read_to_string(site.join("nb-NO/index.html")).unwrap();
    // A template that fails while pages are written (not when it compiles).
    let templates = article_template("swap-templates", "{{ 1 // 0 }}");
    let out = site_with(&site, &templates);
    assert_ne!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(walk(&site), before);
    assert_eq!(
        std::fs::read_to_string(site.join("nb-NO/index.html")).unwrap(),
        index
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".swap."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A folder beside the site by the name remedy uses, that remedy did not write.
    let theirs = site.with_file_name(".swap.old");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("keep.txt"), "theirs").unwrap();
    let out = remedy(&["site", "--out", site.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(theirs.join("keep.txt")).unwrap(),
        "theirs"
    );
    std::fs::remove_dir_all(&theirs).unwrap();
    // No folder of its own, or one that holds the content.
    for bad in [".", "/", "content/.."] {
        let out = remedy(&["site", "--out", bad]);
        assert_eq!(out.status.code(), Some(2), "--out {bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("names no folder") || err.contains("holds the content"),
            "{err}"
        );
    }

    let foreign = scratch("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let out = remedy(&["site", "--out", foreign.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds files remedy did not write"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn the_span_corpus_becomes_a_page_per_article_and_locale() {
    let Some(content) = corpus("spans/alchemy") else {
        return;
    };
    let site = scratch("corpus-site");
    let report = build_site(content.to_str().unwrap(), &site);
    assert!(
        report.contains("5820 article pages (nb-NO 2910, nl-NL 2910), 5820 with another language"),
        "{report}"
    );
    let xml = std::fs::read_to_string(site.join("sitemap.xml")).expect("a sitemap");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(
        doc.root_element()
            .children()
            .filter(|n| n.has_tag_name("url"))
            .count(),
        5820 + 3
    );
    // Alternates only where the other locale exists: every article here has both.
    let page = std::fs::read_to_string(site.join("nl-NL/AlchemyInsights/1-1-call-recording.html"))
        .unwrap();
    assert_eq!(page.matches("rel=\"alternate\"").count(), 3);
    let _ = std::fs::remove_dir_all(&site);
}

// ---- In a real browser ------------------------------------------------------------------

/// Debian's Chromium, or `$REMEDY_CHROMIUM`; `None` (the test skips loudly) when missing,
/// except under `CI=true`, where `.ci/run` installs it and a missing browser fails.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("REMEDY_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.is_file() {
        return Some(path);
    }
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "CI=true but there is no Chromium at {}",
        path.display()
    );
    eprintln!(
        "SKIPPED: no Chromium at {} (set REMEDY_CHROMIUM)",
        path.display()
    );
    None
}

/// Runs a browser session (screenshots into `target/screenshots`) on a runtime of its own
/// for at most 4 minutes; what it saw, which must hold no console message, uncaught
/// exception or logged error (a CSP violation, a failed load).
fn in_browser<F>(session: impl FnOnce(PathBuf) -> F) -> browse::Seen
where
    F: std::future::Future<Output = Result<browse::Seen, Box<dyn std::error::Error>>>,
{
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let seen = runtime.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(240), session(shots))
            .await
            .expect("the browser test finishes in 4 minutes")
    });
    let seen = seen.unwrap_or_else(|e| panic!("the browser: {e}"));
    assert!(seen.console.is_empty(), "console: {:?}", seen.console);
    assert!(
        seen.exceptions.is_empty(),
        "exceptions: {:?}",
        seen.exceptions
    );
    assert!(seen.errors.is_empty(), "log errors: {:?}", seen.errors);
    seen
}

#[test]
fn pages_work_in_a_real_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = scratch("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let mut pages: Vec<PathBuf> = Vec::new();
    for locale in ["nb-NO", "nl-NL", "en-US"] {
        let path = dir.join(format!("guide-{locale}.html"));
        std::fs::write(&path, guide(locale, "html")).unwrap();
        pages.push(path);
    }
    // The translation check report (its findings link to the fixture's Markdown files).
    let report = dir.join("check-report.html");
    let out = remedy(&[
        "check",
        "--content",
        "tests/fixtures/check",
        "--format",
        "html",
        "--locale",
        "nl-NL",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "the fixture has errors");
    pages.push(report);
    let hostile_path = dir.join("guide-hostile.html");
    hostile_guide(&["--out", hostile_path.to_str().unwrap()]);
    pages.push(hostile_path);
    let site = dir.join("site");
    build_site(HOSTILE, &site);
    pages.extend(
        walk(&site)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html")),
    );
    let seen =
        in_browser(|shots| async move { browse::visit(&browser, &pages, &shots, &dir).await });
    assert!(seen.dialogs.is_empty(), "dialogs: {:?}", seen.dialogs);
    let remote: Vec<&String> = seen
        .requests
        .iter()
        .filter(|u| !u.starts_with("file://"))
        .collect();
    assert!(remote.is_empty(), "network requests: {remote:?}");
    for page in &seen.pages {
        assert!(!page.title.is_empty(), "{}: no title", page.path);
        assert!(!page.lang.is_empty(), "{}: no lang", page.path);
        assert!(
            page.images_without_alt == 0,
            "{}: images without alt",
            page.path
        );
        for href in &page.links {
            if let Some(file) = href.strip_prefix("file://") {
                let file = percent_decode(file.split('#').next().unwrap());
                assert!(
                    Path::new(&file).is_file(),
                    "{}: {href} leads nowhere",
                    page.path
                );
            }
        }
    }
    let by_name = |n: &str| seen.pages.iter().find(|p| p.path.ends_with(n)).expect(n);
    let report = by_name("check-report.html");
    assert_eq!(report.lang, "nl-NL");
    assert_eq!(report.title, "Vertaalcontrole");
    // Bars for 10 checks and the drifted article, drawn with a width.
    assert_eq!(report.bars, 11, "the report's charts are drawn");
    assert!(report.links.iter().filter(|l| l.contains("#L")).count() >= 14);
    assert_eq!(by_name("guide-nb-NO.html").lang, "nb-NO");
    assert_eq!(by_name("guide-nl-NL.html").lang, "nl-NL");
    assert_eq!(by_name("guide-en-US.html").title, "Troubleshooting guide");
    assert!(
        by_name("guide-nb-NO.html").original_opened,
        "the English original opens"
    );
    // The home page's filter runs (its CSP allows exactly its script) and filters.
    let home = by_name("site/nb-NO/index.html");
    assert_eq!(
        home.filtered,
        Some(1),
        "typing 'fiendtlig' leaves one article"
    );
}

mod browse {
    //! The CDP side of the browser test (chromiumoxide: no browser download).

    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use chromiumoxide::browser::{Browser, BrowserConfig};
    use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
    use chromiumoxide::cdp::browser_protocol::network::EventRequestWillBeSent;
    use chromiumoxide::cdp::browser_protocol::page::{
        CaptureScreenshotFormat, EventJavascriptDialogOpening, HandleJavaScriptDialogParams,
    };
    use chromiumoxide::cdp::js_protocol::runtime::{EventConsoleApiCalled, EventExceptionThrown};
    use chromiumoxide::handler::viewport::Viewport;
    use chromiumoxide::page::ScreenshotParams;
    use futures::StreamExt;

    #[derive(Debug, Default)]
    pub struct Seen {
        pub dialogs: Vec<String>,
        pub console: Vec<String>,
        pub exceptions: Vec<String>,
        pub errors: Vec<String>,
        pub requests: Vec<String>,
        pub pages: Vec<PageSeen>,
    }

    #[derive(Debug, Default)]
    pub struct PageSeen {
        pub path: String,
        pub lang: String,
        pub title: String,
        pub links: Vec<String>,
        pub images_without_alt: usize,
        pub original_opened: bool,
        pub filtered: Option<usize>,
        /// Bars of inline SVG charts drawn wider than nothing.
        pub bars: usize,
    }

    type Sink = Arc<Mutex<Vec<String>>>;

    /// A headless Chromium with one page, and what the page reports while it is driven.
    struct Session {
        browser: Browser,
        handler: tokio::task::JoinHandle<()>,
        page: chromiumoxide::Page,
        listeners: Vec<tokio::task::JoinHandle<()>>,
        dialogs: Sink,
        console: Sink,
        exceptions: Sink,
        errors: Sink,
        requests: Sink,
    }

    impl Session {
        async fn open(
            chromium: &Path,
            scratch: &Path,
        ) -> Result<Session, Box<dyn std::error::Error>> {
            let profile = scratch.join("chromium-profile");
            let config = BrowserConfig::builder()
                .chrome_executable(chromium)
                .new_headless_mode()
                .no_sandbox()
                .arg("disable-gpu")
                .arg("disable-quic")
                .arg("disable-component-update")
                .arg("disable-background-networking")
                .arg("disable-dev-shm-usage")
                // The reader's language, as the browser sends it (`Accept-Language`).
                .arg("lang=nb-NO")
                .arg("accept-lang=nb-NO,nb;q=0.9")
                .user_data_dir(&profile)
                .window_size(1100, 900)
                .viewport(Viewport {
                    width: 1100,
                    height: 900,
                    ..Viewport::default()
                })
                .launch_timeout(Duration::from_secs(60))
                .request_timeout(Duration::from_secs(30))
                .build()?;
            let (browser, mut handler) = Browser::launch(config).await?;
            let handler_task = tokio::spawn(async move {
                while let Some(r) = handler.next().await {
                    if let Err(chromiumoxide::error::CdpError::Ws(_)) = r {
                        break;
                    }
                }
            });
            let page = browser.new_page("about:blank").await?;
            let (dialogs, console, exceptions, errors, requests): (Sink, Sink, Sink, Sink, Sink) =
                Default::default();
            let mut tasks = Vec::new();
            {
                let mut events = page
                    .event_listener::<EventJavascriptDialogOpening>()
                    .await?;
                let (p, sink) = (page.clone(), dialogs.clone());
                tasks.push(tokio::spawn(async move {
                    while let Some(e) = events.next().await {
                        sink.lock().unwrap().push(e.message.clone());
                        let _ = p.execute(HandleJavaScriptDialogParams::new(true)).await;
                    }
                }));
            }
            {
                let mut events = page.event_listener::<EventConsoleApiCalled>().await?;
                let sink = console.clone();
                tasks.push(tokio::spawn(async move {
                    while let Some(e) = events.next().await {
                        sink.lock().unwrap().push(format!(
                            "{:?} {:?}",
                            e.r#type,
                            e.args.iter().map(|a| a.value.clone()).collect::<Vec<_>>()
                        ));
                    }
                }));
            }
            {
                let mut events = page.event_listener::<EventExceptionThrown>().await?;
                let sink = exceptions.clone();
                tasks.push(tokio::spawn(async move {
                    while let Some(e) = events.next().await {
                        sink.lock().unwrap().push(e.exception_details.text.clone());
                    }
                }));
            }
            {
                let mut events = page.event_listener::<EventEntryAdded>().await?;
                let sink = errors.clone();
                tasks.push(tokio::spawn(async move {
                    while let Some(e) = events.next().await {
                        if matches!(e.entry.level, LogEntryLevel::Error | LogEntryLevel::Warning) {
                            sink.lock().unwrap().push(e.entry.text.clone());
                        }
                    }
                }));
            }
            {
                let mut events = page.event_listener::<EventRequestWillBeSent>().await?;
                let sink = requests.clone();
                tasks.push(tokio::spawn(async move {
                    while let Some(e) = events.next().await {
                        sink.lock().unwrap().push(e.request.url.clone());
                    }
                }));
            }

            Ok(Session {
                browser,
                handler: handler_task,
                page,
                listeners: tasks,
                dialogs,
                console,
                exceptions,
                errors,
                requests,
            })
        }

        /// Closes the browser; `seen` gets what the page reported.
        async fn close(mut self, mut seen: Seen) -> Seen {
            let _ = tokio::time::timeout(Duration::from_secs(15), self.browser.close()).await;
            let _ = tokio::time::timeout(Duration::from_secs(15), self.browser.wait()).await;
            self.handler.abort();
            for t in self.listeners {
                t.abort();
            }
            seen.dialogs = self.dialogs.lock().unwrap().clone();
            seen.console = self.console.lock().unwrap().clone();
            seen.exceptions = self.exceptions.lock().unwrap().clone();
            seen.errors = self.errors.lock().unwrap().clone();
            seen.requests
                .extend(self.requests.lock().unwrap().iter().cloned());
            seen
        }
    }

    pub async fn visit(
        chromium: &Path,
        pages: &[PathBuf],
        shots: &Path,
        scratch: &Path,
    ) -> Result<Seen, Box<dyn std::error::Error>> {
        let session = Session::open(chromium, scratch).await?;
        let page = session.page.clone();
        let requests = session.requests.clone();
        let mut seen = Seen::default();
        for path in pages {
            let url = format!("file://{}", path.display());
            page.goto(url.as_str()).await?;
            let mut p = PageSeen {
                path: path.display().to_string(),
                lang: page
                    .evaluate("document.documentElement.lang")
                    .await?
                    .into_value()?,
                title: page.evaluate("document.title").await?.into_value()?,
                links: page
                    .evaluate(
                        // SVG links' `href` is not a string: resolve the attribute.
                        "Array.from(document.querySelectorAll('a[href]'), \
                         a => new URL(a.getAttribute('href'), document.baseURI).href)",
                    )
                    .await?
                    .into_value()?,
                images_without_alt: page
                    .evaluate(
                        "Array.from(document.images).filter(i => !i.hasAttribute('alt')).length",
                    )
                    .await?
                    .into_value()?,
                bars: page
                    .evaluate(
                        "Array.from(document.querySelectorAll('svg.chart rect.bar')).filter(r => r.getBoundingClientRect().width > 0).length",
                    )
                    .await?
                    .into_value()?,
                ..PageSeen::default()
            };
            // Resources the page asked for, whatever the network events said.
            let resources: Vec<String> = page
                .evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                .await?
                .into_value()?;
            requests.lock().unwrap().extend(resources);
            let has_original: bool = page
                .evaluate("document.querySelector('details.original > summary') !== null")
                .await?
                .into_value()?;
            if has_original {
                page.find_element("details.original > summary")
                    .await?
                    .click()
                    .await?;
                p.original_opened = page
                    .evaluate_expression(
                        "(() => { const d = document.querySelector('details.original'); \
                         const b = d.querySelector(':scope > :not(summary)'); \
                         return d.open && b.getBoundingClientRect().height > 0; })()",
                    )
                    .await?
                    .into_value()?;
            }
            let has_filter: bool = page
                .evaluate("document.getElementById('filter') !== null")
                .await?
                .into_value()?;
            if has_filter {
                p.filtered = Some(
                    page.evaluate_expression(
                        "(() => { const f = document.getElementById('filter'); f.value = 'fiendtlig'; \
                         f.dispatchEvent(new Event('input')); \
                         return Array.from(document.querySelectorAll('#articles li')).filter(li => !li.hidden).length; })()",
                    )
                    .await?
                    .into_value()?,
                );
            }
            let name = path
                .strip_prefix(scratch)
                .unwrap_or(path)
                .display()
                .to_string()
                .replace('/', "_")
                .replace(".html", ".png");
            page.save_screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .full_page(true)
                    .build(),
                shots.join(name),
            )
            .await?;
            seen.pages.push(p);
        }
        Ok(session.close(seen).await)
    }

    pub async fn served(
        chromium: &Path,
        base: &str,
        shots: &Path,
        scratch: &Path,
    ) -> Result<Seen, Box<dyn std::error::Error>> {
        let session = Session::open(chromium, scratch).await?;
        let page = session.page.clone();
        let mut seen = Seen::default();
        let origin = base.trim_end_matches('/').to_owned();
        async fn look(
            page: &chromiumoxide::Page,
            origin: &str,
            shots: &Path,
            name: &str,
        ) -> Result<PageSeen, Box<dyn std::error::Error>> {
            let url: String = page.evaluate("location.href").await?.into_value()?;
            let p = PageSeen {
                path: url.strip_prefix(origin).unwrap_or(&url).to_owned(),
                lang: page
                    .evaluate("document.documentElement.lang")
                    .await?
                    .into_value()?,
                title: page.evaluate("document.title").await?.into_value()?,
                filtered: Some(
                    page.evaluate("document.querySelectorAll('ol.hits mark').length")
                        .await?
                        .into_value()?,
                ),
                ..PageSeen::default()
            };
            page.save_screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .full_page(false)
                    .build(),
                shots.join(name),
            )
            .await?;
            Ok(p)
        }
        /// Waits until `js` is true on the page, through the navigations that make it so
        /// (an evaluation during one fails; it is tried again).
        async fn until(
            page: &chromiumoxide::Page,
            js: &str,
        ) -> Result<(), Box<dyn std::error::Error>> {
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            loop {
                let done = page
                    .evaluate(js)
                    .await
                    .ok()
                    .and_then(|v| v.into_value::<bool>().ok())
                    .unwrap_or(false);
                if done {
                    return Ok(());
                }
                if std::time::Instant::now() > deadline {
                    return Err(format!("waited 30 s for {js}").into());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        // `/`, negotiated to the browser's language.
        page.goto(base).await?;
        until(
            &page,
            "location.pathname === '/nb-NO/' && document.readyState === 'complete'",
        )
        .await?;
        seen.pages
            .push(look(&page, &origin, shots, "serve-home-nb-NO.png").await?);
        page.find_element("input#q")
            .await?
            .click()
            .await?
            .type_str("passord synkroniseres ikke")
            .await?
            .press_key("Enter")
            .await?;
        until(
            &page,
            "location.pathname === '/nb-NO/search' && document.readyState === 'complete'",
        )
        .await?;
        seen.pages
            .push(look(&page, &origin, shots, "serve-search-nb-NO.png").await?);
        // The first hit that exists in Dutch too (the seeds beside the Alchemy slice are
        // mostly Norwegian only), followed by the page itself.
        page.evaluate(
            "Array.from(document.querySelectorAll('ol.hits li h2 a')).find(a => a.href.includes('/AlchemyInsights/')).click()",
        )
        .await?;
        until(
            &page,
            "location.pathname.endsWith('.html') && document.readyState === 'complete'",
        )
        .await?;
        seen.pages
            .push(look(&page, &origin, shots, "serve-article-nb-NO.png").await?);
        // The link is followed by the page itself (the element handle of a page met
        // after a navigation can be stale in CDP's DOM agent).
        page.evaluate("document.querySelector('nav.languages a[hreflang=nl-NL]').click()")
            .await?;
        until(
            &page,
            "location.pathname.startsWith('/nl-NL/') && document.readyState === 'complete'",
        )
        .await?;
        seen.pages
            .push(look(&page, &origin, shots, "serve-article-nl-NL.png").await?);
        Ok(session.close(seen).await)
    }
}

/// `remedy serve` on the default content, in Chromium speaking Norwegian: open `/`, type a symptom, read the
/// localized results with their highlights, open a hit, switch language onto the same
/// article.
#[test]
fn the_server_in_a_real_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = scratch("serve-browser");
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_remedy"))
        .env("REMEDY_MODEL", crate::common::NO_MODEL)
        .args(["serve", "--addr", "127.0.0.1:0", "--no-watch", "--index"])
        .arg(dir.join("index"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(dir.join("serve.log")).unwrap())
        .spawn()
        .expect("remedy serve starts");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let seen = in_browser(|shots| {
        let base = base.clone();
        async move { browse::served(&browser, &base, &shots, &dir).await }
    });
    let _ = child.kill();
    let _ = child.wait();
    let remote: Vec<&String> = seen
        .requests
        .iter()
        .filter(|u| !u.starts_with(&base))
        .collect();
    assert!(remote.is_empty(), "requests elsewhere: {remote:?}");
    let [home, results, article, other] = &seen.pages[..] else {
        panic!("four pages: {:?}", seen.pages);
    };
    assert_eq!(
        (home.lang.as_str(), home.path.as_str()),
        ("nb-NO", "/nb-NO/")
    );
    assert_eq!(results.lang, "nb-NO");
    assert!(
        results.path.starts_with("/nb-NO/search?q="),
        "{}",
        results.path
    );
    assert!(results.title.contains("passord"), "{}", results.title);
    assert!(
        results.filtered.is_some_and(|marks| marks >= 3),
        "highlights: {:?}",
        results.filtered
    );
    assert_eq!(article.lang, "nb-NO");
    let page = article.path.split('#').next().unwrap_or_default();
    assert!(
        page.starts_with("/nb-NO/") && page.ends_with(".html"),
        "{}",
        article.path
    );
    assert_eq!(other.lang, "nl-NL");
    let file = |p: &str| {
        p.rsplit('/')
            .next()
            .unwrap_or_default()
            .split('#')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        file(&other.path),
        file(&article.path),
        "the same article in Dutch"
    );
    assert!(other.path.starts_with("/nl-NL/"), "{}", other.path);
}
