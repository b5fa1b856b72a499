//! The knowledge base as a static, multilingual site: per locale a home page (articles
//! filterable by title) and a page per article, a page per named guide, a language choice
//! at the root, and `sitemap.xml` with the alternates.
//!
//! Pages link to each other relatively, so the site works from any folder, from `file://`
//! and behind any path; absolute URLs (canonical, `hreflang`, the sitemap) use the base
//! URL. Links between articles (relative `.md` links, Microsoft Docs paths) point at the
//! generated pages; the ones that resolve to nothing are reported with file, line and
//! column.
//!
//! The site is built in a folder beside the target and swapped in when complete: a failed
//! or killed build leaves the previous site as it was.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::advise::{Advisor, StepSource};
use crate::align::ArticleSet;
use crate::article::{Article, ArticleForm, BlockKind, LineIndex, Original};
use crate::content::relative_path;
use crate::guide::{Definition, Guide, GuidePage, GuideView};
use crate::locale::Locale;
use crate::render::encode_path;
use crate::render::{
    Alternate, Chrome, HtmlOptions, LinkTarget, ORIGINAL, Page, SCHEMES, SearchForm, TemplateError,
    Templates, autonym, content_security_policy, markdown_to_html,
};

mod links;
mod render;
mod write;

pub use links::href;
use links::*;
pub(crate) use links::{percent_decode, percent_decode_bytes};
pub use render::{
    ArticlePage, ArticleView, HomePage, HomeView, LanguageChoice, LanguagesPage, Listed, Sitemap,
    SitemapAlternate, SitemapUrl,
};
pub use write::build;

/// The file that marks a folder as a site remedy wrote, and so one it may replace.
pub const MARKER: &str = ".remedy-site";

/// The site's one style sheet (`templates/style.css`), which every page links.
pub const STYLESHEET: &str = "style.css";

/// The base URL when none is given: where `remedy serve` listens by default.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080/";

/// Where Microsoft Docs paths (`/azure/...`) that are not in the content point.
pub const DOCS_HOST: &str = "https://learn.microsoft.com";

/// How to build a site.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The site's folder; replaced as a whole when the build completes.
    pub out: PathBuf,
    /// Templates that replace the built-in ones file by file.
    pub templates: Option<PathBuf>,
    /// The site's public address, for canonical links, alternates and the sitemap.
    pub base_url: String,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

/// Why a site was not built.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A template does not compile or render.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A file or folder could not be written, moved or removed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// `--out` holds files remedy did not write: it is never replaced.
    #[error(
        "{path}: the folder exists and holds files remedy did not write (no {MARKER}); \
         choose another --out or empty it"
    )]
    NotASite {
        /// The folder.
        path: String,
    },
    /// `--base-url` is not an absolute http(s) URL.
    #[error("--base-url {url:?}: expected an absolute http:// or https:// URL")]
    BaseUrl {
        /// As given.
        url: String,
    },
    /// `--out` names no folder of its own, or one that holds the content.
    #[error("--out {path}: {why}")]
    Target {
        /// As given.
        path: String,
        /// Why it cannot be the site's folder.
        why: String,
    },
}

/// A link in an article that does not lead to a page of the site.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LinkDiagnostic {
    /// The article's file.
    pub file: String,
    /// Line of the link, from 1.
    pub line: u32,
    /// Its column, from 1, in characters.
    pub column: u32,
    /// `link-broken` (a relative link to an article that is not in the content: the link
    /// is dropped, its text kept), `link-unsafe` (a scheme other than
    /// [`SCHEMES`]: dropped) or `link-outside-content` (a Microsoft Docs path that is not in
    /// the content: sent to [`DOCS_HOST`]).
    pub kind: &'static str,
    /// The link's target as written.
    pub target: String,
}

impl std::fmt::Display for LinkDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            "link-broken" => "links to an article that is not in the content; the link is left out",
            "link-unsafe" => "uses a scheme pages do not allow; the link is left out",
            _ => {
                "is a Microsoft Docs path that is not in the content; it points at learn.microsoft.com"
            }
        };
        write!(
            f,
            "{}:{}:{}: {}: {:?} {what}",
            self.file, self.line, self.column, self.kind, self.target
        )
    }
}

/// What a build made.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteReport {
    /// Article pages by locale.
    pub articles: BTreeMap<String, usize>,
    /// Article pages that have at least one other language.
    pub with_alternates: usize,
    /// Guide pages (definitions × locales).
    pub guides: usize,
    /// Every file written, pages, sitemap and marker included.
    pub files: usize,
    /// Their size.
    pub bytes: u64,
    /// Links between articles pointed at their pages.
    pub links_resolved: usize,
    /// Links to articles not in the content, left out (their text kept).
    pub links_broken: usize,
    /// Microsoft Docs paths not in the content, sent to learn.microsoft.com.
    pub links_outside: usize,
    /// Links with a scheme pages do not allow, left out.
    pub links_unsafe: usize,
    /// Every link not resolved, with its place.
    pub diagnostics: Vec<LinkDiagnostic>,
    /// URLs in the sitemap.
    pub sitemap_urls: usize,
    /// Markdown files with no locale (no locale folder, no `ms.contentlocale`), or whose
    /// page another article has: not published.
    pub unplaced: Vec<String>,
}

/// What rendering one article page found: links resolved, broken, outside the content and
/// unsafe; where; whether the page has another language.
struct PageOutcome {
    counts: (usize, usize, usize, usize),
    diagnostics: Vec<LinkDiagnostic>,
    has_alternates: bool,
}

/// One article's page: its path below the site root.
struct Planned {
    article: usize,
    locale: Locale,
    page: String,
    set: usize,
}

/// What a path of the site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// An article (index into the plan).
    Article(usize),
    /// A guide definition in a locale (indexes into the definitions and the locales).
    Guide(usize, usize),
    /// A locale's home page (index into the locales).
    Home(usize),
    /// The language choice at the root.
    Languages,
    Sitemap,
    Style,
}

/// The site of a knowledge base: which page each article, guide and locale has, and how
/// they link to each other. It holds no text; a [`Renderer`] makes the pages, which
/// [`build`] writes to a folder and `remedy serve` serves one by one.
pub struct Site {
    content: PathBuf,
    base: String,
    plan: Vec<Planned>,
    /// Every page by its path below the site root.
    kinds: HashMap<String, Kind>,
    /// Page of each (locale, article path without `.md`, lower-cased), for links.
    by_path: HashMap<(String, String), usize>,
    /// Pages of each set, by locale: the alternates.
    of_set: HashMap<usize, Vec<usize>>,
    locales: Vec<Locale>,
    /// Articles translated from English that changed since.
    changed: BTreeSet<usize>,
    definitions: Vec<Definition>,
    /// Guide definitions (`content/guides/*.yaml`) that could not be read, with why.
    pub guide_errors: Vec<String>,
    /// Markdown files with no locale, or whose page another article has: not published.
    pub unplaced: Vec<String>,
}

impl Site {
    /// Plans the site of `advisor`'s knowledge base, read from `content` (guide
    /// definitions from its `guides/` folder), published at `base_url`.
    pub fn new(advisor: &Advisor, content: &Path, base_url: &str) -> Result<Site, SiteError> {
        let base = normalize_base(base_url)?;
        let knowledge = &advisor.knowledge;
        let articles = knowledge.articles();
        let sets = knowledge.sets();
        let (plan, placed) = plan_articles(articles, sets);
        let unplaced: Vec<String> = articles
            .iter()
            .zip(&placed)
            .filter(|(_, p)| !**p)
            .map(|(a, _)| crate::content::display_path(&content.join(a.path())))
            .collect();
        let locales: Vec<Locale> = plan
            .iter()
            .map(|p| p.locale.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut by_path: HashMap<(String, String), usize> = HashMap::new();
        let mut of_set: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut kinds: HashMap<String, Kind> = HashMap::new();
        for (i, p) in plan.iter().enumerate() {
            let rel = relative_path(articles[p.article].path());
            by_path.insert((p.locale.to_string(), link_key(&rel)), i);
            of_set.entry(p.set).or_default().push(i);
            kinds.insert(p.page.clone(), Kind::Article(i));
        }
        let (definitions, guide_errors) = load_guides(content, advisor);
        for (d, def) in definitions.iter().enumerate() {
            for (l, locale) in locales.iter().enumerate() {
                kinds.insert(
                    format!("{locale}/guides/{}.html", page_stem(&def.name)),
                    Kind::Guide(d, l),
                );
            }
        }
        for (l, locale) in locales.iter().enumerate() {
            kinds.insert(format!("{locale}/index.html"), Kind::Home(l));
        }
        kinds.insert("index.html".into(), Kind::Languages);
        kinds.insert("sitemap.xml".into(), Kind::Sitemap);
        kinds.insert(STYLESHEET.into(), Kind::Style);
        Ok(Site {
            content: content.to_path_buf(),
            base,
            changed: english_changed(articles, sets),
            plan,
            kinds,
            by_path,
            of_set,
            locales,
            definitions,
            guide_errors,
            unplaced,
        })
    }

    /// The locales that have pages, in order.
    pub fn locales(&self) -> &[Locale] {
        &self.locales
    }

    /// Every path of the site: article pages in order, then guides, homes, the language
    /// choice, the sitemap and the style sheet.
    pub fn paths(&self) -> Vec<&str> {
        let mut rest: Vec<(&String, &Kind)> = self
            .kinds
            .iter()
            .filter(|(_, k)| !matches!(k, Kind::Article(_)))
            .collect();
        rest.sort();
        self.plan
            .iter()
            .map(|p| p.page.as_str())
            .chain(rest.into_iter().map(|(p, _)| p.as_str()))
            .collect()
    }

    /// Whether `path` is a page of the site.
    pub fn contains(&self, path: &str) -> bool {
        self.kinds.contains_key(path)
    }

    /// The page of an article of `locale` by its path below the locale folder (a search
    /// hit's `path`), if it is published.
    pub fn article_page(&self, locale: &str, path: &str) -> Option<&str> {
        let i = self.by_path.get(&(locale.to_owned(), link_key(path)))?;
        Some(&self.plan[*i].page)
    }

    /// Article pages by locale.
    pub fn articles_by_locale(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for p in &self.plan {
            *out.entry(p.locale.to_string()).or_insert(0) += 1;
        }
        out
    }
}

/// How pages are made: for a folder of files, or served by `remedy serve` (a search box
/// on every page, a page to paste findings, forms allowed by the CSP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Files for any web server or `file://`.
    Static,
    /// Pages of `remedy serve`.
    Served,
}

/// A rendered file of the site.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The file's text.
    pub body: String,
    /// The HTTP `Content-Type`.
    pub content_type: &'static str,
    /// The page's Content-Security-Policy (HTML pages).
    pub csp: Option<String>,
}

/// Renders the pages of a [`Site`] with the templates, in each page's language.
pub struct Renderer<'a> {
    site: &'a Site,
    advisor: &'a Advisor,
    templates: &'a Templates,
    chromes: HashMap<String, Chrome<'a>>,
    mode: Mode,
    /// The home page's title filter.
    script: String,
}

/// A page for every article of a set, in page order, and which articles got one. Two
/// articles on one page (a folder's and one placed by `ms.contentlocale`): the first keeps
/// it, the other is not published.
fn plan_articles(articles: &[Article], sets: &[ArticleSet]) -> (Vec<Planned>, Vec<bool>) {
    let mut plan: Vec<Planned> = Vec::new();
    let mut placed = vec![false; articles.len()];
    for (s, set) in sets.iter().enumerate() {
        for m in &set.members {
            placed[m.index] = true;
            let rel = relative_path(articles[m.index].path());
            let mut page = format!("{}/{}", m.locale, page_name(&rel));
            // The locale's home page and guides folder are the site's own.
            if page.eq_ignore_ascii_case(&format!("{}/index.html", m.locale))
                || page.starts_with(&format!("{}/guides/", m.locale))
            {
                page = format!("{}/articles/{}", m.locale, page_name(&rel));
            }
            plan.push(Planned {
                article: m.index,
                locale: m.locale.clone(),
                page,
                set: s,
            });
        }
    }
    plan.sort_by(|a, b| a.page.cmp(&b.page));
    let mut duplicates: Vec<usize> = Vec::new();
    plan.dedup_by(|b, a| {
        let same = a.page == b.page;
        if same {
            duplicates.push(b.article);
        }
        same
    });
    for i in duplicates {
        placed[i] = false;
    }
    (plan, placed)
}

/// The guide definitions of `content/guides`, and the errors of those left out. Two names
/// that make one page name (`a b`, `a-b`): the first keeps it.
fn load_guides(content: &Path, advisor: &Advisor) -> (Vec<Definition>, Vec<String>) {
    let (mut definitions, errors) = Definition::load_dir(&content.join("guides"), advisor);
    let mut errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let mut stems = BTreeSet::new();
    definitions.retain(|def| {
        let fresh = stems.insert(page_stem(&def.name));
        if !fresh {
            errors.push(format!(
                "guide {:?}: its page would be {}.html, which another guide has; left out",
                def.name,
                page_stem(&def.name)
            ));
        }
        fresh
    });
    (definitions, errors)
}

/// Articles whose English differs from another span member of their set for the same
/// segment: translated from older (or newer) English.
fn english_changed(articles: &[Article], sets: &[ArticleSet]) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for set in sets {
        let members: Vec<usize> = set
            .members
            .iter()
            .map(|m| m.index)
            .filter(|&i| articles[i].form() == ArticleForm::Bilingual)
            .collect();
        if members.len() < 2 {
            continue;
        }
        let english: Vec<HashMap<String, &str>> = members
            .iter()
            .map(|&i| {
                let a = &articles[i];
                a.segments()
                    .iter()
                    .filter_map(|s| Some((s.key.to_string(), a.source_of(s)?.trim())))
                    .collect()
            })
            .collect();
        for (x, mine) in english.iter().enumerate() {
            let differs = english.iter().enumerate().any(|(y, theirs)| {
                x != y
                    && mine
                        .iter()
                        .any(|(k, e)| theirs.get(k).is_some_and(|t| t != e))
            });
            if differs {
                out.insert(members[x]);
            }
        }
    }
    out
}

fn alternates_of(
    plan: &[Planned],
    siblings: &[usize],
    current: &str,
    base: &str,
) -> Vec<Alternate> {
    siblings
        .iter()
        .map(|&i| {
            let p = &plan[i];
            Alternate {
                lang: p.locale.to_string(),
                name: autonym(&p.locale),
                href: href(current, &p.page),
                url: Some(url(base, &p.page)),
                current: p.page == current,
            }
        })
        .collect()
}

/// The title: the front matter's, else the first heading's text, else the file name.
fn title_of(article: &Article) -> String {
    if let Some(t) = article.title().map(str::trim).filter(|t| !t.is_empty()) {
        return t.to_owned();
    }
    let target = article.target_markdown();
    let view = Article::parse(article.path(), target.as_ref());
    if let Some(h) = view
        .blocks()
        .iter()
        .find(|b| matches!(b.kind, BlockKind::Heading { .. }))
    {
        let text = crate::article::markdown_to_text(&view.original()[h.range.clone()]);
        let text = text.trim().trim_start_matches('#').trim();
        if !text.is_empty() {
            return text.to_owned();
        }
    }
    article
        .path()
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_between_pages() {
        assert_eq!(href("nb-NO/a/x.html", "nb-NO/a/y.html"), "y.html");
        assert_eq!(
            href("nb-NO/a/x.html", "nl-NL/a/x.html"),
            "../../nl-NL/a/x.html"
        );
        assert_eq!(
            href("nb-NO/index.html", "nb-NO/a/it's.html"),
            "a/it%27s.html"
        );
        assert_eq!(href("index.html", "nb-NO/index.html"), "nb-NO/index.html");
        assert_eq!(href("nb-NO/guides/g.html", "nb-NO/x.html"), "../x.html");
    }

    #[test]
    fn links_resolve_to_pages_or_are_reported() {
        let nb: Locale = "nb-NO".parse().unwrap();
        let mut by_path = HashMap::new();
        by_path.insert(
            ("nb-NO".to_owned(), "alchemyinsights/reactivate".to_owned()),
            0,
        );
        by_path.insert(
            ("nb-NO".to_owned(), "alchemyinsights/sub/manage".to_owned()),
            1,
        );
        let r = |d: &str| resolve_link(d, "AlchemyInsights", &nb, &by_path);
        assert!(matches!(r("reactivate.md"), Resolved::Page(0, f) if f.is_empty()));
        assert!(matches!(r("sub/manage.md#x"), Resolved::Page(1, f) if f == "#x"));
        assert!(matches!(r("./Reactivate.md"), Resolved::Page(0, _)));
        assert!(matches!(
            r("https://docs.microsoft.com/alchemyinsights/reactivate"),
            Resolved::Page(0, _)
        ));
        assert!(
            matches!(r("https://docs.microsoft.com/nb-no/alchemyinsights/reactivate#y"), Resolved::Page(0, f) if f == "#y")
        );
        assert!(matches!(
            r("/alchemyinsights/reactivate"),
            Resolved::Page(0, _)
        ));
        assert!(matches!(r("missing.md"), Resolved::Broken));
        assert!(matches!(r("../../../x.md"), Resolved::Broken));
        assert!(
            matches!(r("/azure/x"), Resolved::Outside(u) if u == "https://learn.microsoft.com/azure/x")
        );
        assert!(matches!(
            r("https://docs.microsoft.com/azure/x"),
            Resolved::External
        ));
        assert!(matches!(r("media/x.png"), Resolved::External));
        assert!(matches!(r("#anchor"), Resolved::External));
        assert!(matches!(r("mailto:a@b.c"), Resolved::External));
        assert!(matches!(r("java%09script:alert(1)"), Resolved::Unsafe));
        assert!(matches!(r("javascript:alert(1)"), Resolved::Unsafe));
    }

    #[test]
    fn base_urls_must_be_absolute() {
        assert_eq!(
            normalize_base("https://kb.example.com").unwrap(),
            "https://kb.example.com/"
        );
        assert!(normalize_base("kb.example.com").is_err());
        assert!(normalize_base("javascript:alert(1)//").is_err());
    }
}
