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
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: the folder exists and holds files remedy did not write (no {MARKER}); \
         choose another --out or empty it"
    )]
    NotASite { path: String },
    #[error("--base-url {url:?}: expected an absolute http:// or https:// URL")]
    BaseUrl { url: String },
    #[error("--out {path}: {why}")]
    Target { path: String, why: String },
}

/// A link in an article that does not lead to a page of the site.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LinkDiagnostic {
    /// The article's file.
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// `link-broken` (a relative link to an article that is not in the content: the link
    /// is dropped, its text kept), `link-unsafe` (a scheme other than
    /// [`SCHEMES`](crate::render::SCHEMES): dropped) or `link-outside-content` (a Microsoft Docs path that is not in
    /// the content: sent to [`DOCS_HOST`]).
    pub kind: &'static str,
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
    pub bytes: u64,
    /// Links between articles pointed at their pages.
    pub links_resolved: usize,
    pub links_broken: usize,
    pub links_outside: usize,
    /// Links with a scheme pages do not allow, left out.
    pub links_unsafe: usize,
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
        // Two articles on one page (a folder's and one placed by `ms.contentlocale`): the
        // first keeps it, the other is reported as not published.
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
        let (mut definitions, guide_errors) =
            Definition::load_dir(&content.join("guides"), advisor);
        let mut guide_errors: Vec<String> = guide_errors.iter().map(ToString::to_string).collect();
        // Two names that make one page name (`a b`, `a-b`): the first keeps it.
        let mut stems = BTreeSet::new();
        definitions.retain(|def| {
            let fresh = stems.insert(page_stem(&def.name));
            if !fresh {
                guide_errors.push(format!(
                    "guide {:?}: its page would be {}.html, which another guide has; left out",
                    def.name,
                    page_stem(&def.name)
                ));
            }
            fresh
        });
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
    Static,
    Served,
}

/// A rendered file of the site.
#[derive(Debug, Clone)]
pub struct Rendered {
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

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        advisor: &'a Advisor,
        templates: &'a Templates,
        mode: Mode,
    ) -> Result<Renderer<'a>, SiteError> {
        let chromes = site
            .locales
            .iter()
            .map(|l| (l.to_string(), Chrome::new(&advisor.messages, l)))
            .collect();
        Ok(Renderer {
            site,
            advisor,
            templates,
            chromes,
            mode,
            script: templates.text("filter.js")?,
        })
    }

    /// The file at `path` (below the site root), or `None` when the site has no such page.
    pub fn render(&self, path: &str) -> Result<Option<Rendered>, SiteError> {
        let Some(kind) = self.site.kinds.get(path) else {
            return Ok(None);
        };
        let html = |body: String, csp: String| Rendered {
            body,
            content_type: "text/html; charset=utf-8",
            csp: Some(csp),
        };
        Ok(Some(match *kind {
            Kind::Article(i) => html(self.article(i)?.0, self.csp(None)),
            Kind::Guide(d, l) => html(self.guide(d, l)?.0, self.csp(None)),
            Kind::Home(l) => html(self.home(l)?, self.csp(Some(&self.script))),
            Kind::Languages => html(self.languages()?, self.csp(None)),
            Kind::Sitemap => Rendered {
                body: self.sitemap()?.0,
                content_type: "application/xml; charset=utf-8",
                csp: None,
            },
            Kind::Style => Rendered {
                body: self.templates.text("style.css")?,
                content_type: "text/css; charset=utf-8",
                csp: None,
            },
        }))
    }

    /// The Content-Security-Policy of a page: served pages may submit their forms.
    pub fn csp(&self, script: Option<&str>) -> String {
        let csp = content_security_policy(script);
        match self.mode {
            Mode::Static => csp,
            Mode::Served => csp.replace("form-action 'none'", "form-action 'self'"),
        }
    }

    /// The chrome of a locale of the site (the first locale's for any other).
    pub fn chrome(&self, locale: &Locale) -> &Chrome<'a> {
        self.chromes
            .get(&locale.to_string())
            .or_else(|| self.chromes.values().next())
            .expect("a site has at least one locale")
    }

    /// The frame of a page at `path` in `locale`: style sheet, canonical URL, the way
    /// home, and when served the search box and the link to the findings page.
    pub fn frame(&self, locale: &Locale, path: &str, title: String, csp: String) -> Page {
        let chrome = self.chrome(locale);
        let base = &self.site.base;
        let home_path = format!("{locale}/index.html");
        let mut page = Page::new(chrome, title, csp);
        page.stylesheet = Some(href(path, STYLESHEET));
        page.canonical = Some(url(base, path));
        page.x_default = Some(url(base, "index.html"));
        if path != home_path {
            page.home = Some(href(path, &home_path));
        }
        if self.mode == Mode::Served {
            page.search = Some(SearchForm {
                action: href(path, &format!("{locale}/search")),
                query: String::new(),
                prominent: path == home_path,
            });
            page.findings = Some(href(path, &format!("{locale}/findings")));
        }
        page
    }

    /// The links of a guide's parts to their article pages, from a page at `from`.
    pub fn step_link(&self, from: &str, source: &StepSource) -> Option<String> {
        let i = self
            .site
            .by_path
            .get(&(source.locale.clone(), link_key(&source.article.path)))?;
        Some(format!(
            "{}{}",
            href(from, &self.site.plan[*i].page),
            source.article.fragment()
        ))
    }

    fn article(&self, i: usize) -> Result<(String, PageOutcome), TemplateError> {
        let site = self.site;
        let p = &site.plan[i];
        let articles = self.advisor.knowledge.articles();
        let article = &articles[p.article];
        let chrome = self.chrome(&p.locale);
        let diagnostics = RefCell::new(Vec::new());
        let counts = RefCell::new((0usize, 0usize, 0usize, 0usize));
        let body = body_of(article);
        let lines = LineIndex::new(article.original());
        let from_dir = parent_of(&relative_path(article.path()));
        let resolve = |dest: &str, at: usize| -> LinkTarget {
            let found = resolve_link(dest, &from_dir, &p.locale, &site.by_path);
            if at == ORIGINAL {
                return match found {
                    Resolved::Page(i, fragment) => LinkTarget::Replace(format!(
                        "{}{fragment}",
                        href(&p.page, &site.plan[i].page)
                    )),
                    Resolved::Outside(url) => LinkTarget::Replace(url),
                    Resolved::External => LinkTarget::Keep,
                    Resolved::Broken | Resolved::Unsafe => LinkTarget::Drop,
                };
            }
            let place = |kind: &'static str| {
                let pos = lines.position(article.original(), to_original(&body, article, at));
                LinkDiagnostic {
                    file: crate::content::display_path(&site.content.join(article.path())),
                    line: pos.line,
                    column: pos.column,
                    kind,
                    target: dest.to_owned(),
                }
            };
            match found {
                Resolved::Page(i, fragment) => {
                    counts.borrow_mut().0 += 1;
                    LinkTarget::Replace(format!("{}{fragment}", href(&p.page, &site.plan[i].page)))
                }
                Resolved::Broken => {
                    counts.borrow_mut().1 += 1;
                    diagnostics.borrow_mut().push(place("link-broken"));
                    LinkTarget::Drop
                }
                Resolved::Outside(url) => {
                    counts.borrow_mut().2 += 1;
                    diagnostics.borrow_mut().push(place("link-outside-content"));
                    LinkTarget::Replace(url)
                }
                Resolved::External => LinkTarget::Keep,
                Resolved::Unsafe => {
                    counts.borrow_mut().3 += 1;
                    diagnostics.borrow_mut().push(place("link-unsafe"));
                    LinkTarget::Drop
                }
            }
        };
        let original_label = chrome.text("page-english-original", &[]);
        let html = markdown_to_html(
            &body.markdown,
            &HtmlOptions {
                originals: &body.originals,
                original_label: &original_label,
                links: Some(&resolve),
                id_prefix: "",
            },
        );
        let siblings = &site.of_set[&p.set];
        let alternates = alternates_of(&site.plan, siblings, &p.page, &site.base);
        let mut notices = Vec::new();
        if article.machine_translated() {
            notices.push(chrome.text("page-machine-translated", &[]));
        }
        if site.changed.contains(&p.article) {
            notices.push(chrome.text("page-english-changed", &[]));
        }
        let title = title_of(article);
        let mut page = self.frame(&p.locale, &p.page, title.clone(), self.csp(None));
        let has_alternates = alternates.len() > 1;
        page.alternates = alternates;
        let rel = relative_path(article.path());
        let view = ArticlePage {
            page,
            article: ArticleView {
                title,
                html,
                notices,
                source: chrome.text(
                    "site-article-source",
                    &[("path", crate::l10n::Arg::Text(rel.clone()))],
                ),
                path: rel,
            },
        };
        let text = self.templates.render("article.html.j2", &view)?;
        Ok((
            text,
            PageOutcome {
                counts: *counts.borrow(),
                diagnostics: diagnostics.into_inner(),
                has_alternates,
            },
        ))
    }

    fn guide_path(&self, d: usize, l: usize) -> String {
        format!(
            "{}/guides/{}.html",
            self.site.locales[l],
            page_stem(&self.site.definitions[d].name)
        )
    }

    /// A guide page and its title.
    fn guide(&self, d: usize, l: usize) -> Result<(String, String), TemplateError> {
        let site = self.site;
        let locale = &site.locales[l];
        let page_path = self.guide_path(d, l);
        let chrome = self.chrome(locale);
        let guide = Guide::from_definition(self.advisor, &site.definitions[d], &locale.to_string());
        let link = |s: &StepSource| self.step_link(&page_path, s);
        let view: GuideView = guide.view(chrome, &link);
        let mut page = self.frame(locale, &page_path, view.title.clone(), self.csp(None));
        page.alternates = (0..site.locales.len())
            .map(|other| {
                let p = self.guide_path(d, other);
                Alternate {
                    lang: site.locales[other].to_string(),
                    name: autonym(&site.locales[other]),
                    href: href(&page_path, &p),
                    url: Some(url(&site.base, &p)),
                    current: other == l,
                }
            })
            .collect();
        let title = view.title.clone();
        let text = self
            .templates
            .render("guide.html.j2", &GuidePage { page, guide: view })?;
        Ok((text, title))
    }

    fn home(&self, l: usize) -> Result<String, TemplateError> {
        let site = self.site;
        let locale = &site.locales[l];
        let chrome = self.chrome(locale);
        let articles = self.advisor.knowledge.articles();
        let home_path = format!("{locale}/index.html");
        let mut list: Vec<Listed> = site
            .plan
            .iter()
            .filter(|p| p.locale == *locale)
            .map(|p| Listed {
                title: title_of(&articles[p.article]),
                href: href(&home_path, &p.page),
            })
            .collect();
        list.sort_by_cached_key(|l| (l.title.to_lowercase(), l.href.clone()));
        let mut guides = Vec::new();
        for d in 0..site.definitions.len() {
            let guide =
                Guide::from_definition(self.advisor, &site.definitions[d], &locale.to_string());
            guides.push(Listed {
                title: guide.view(chrome, &|_| None).title,
                href: href(&home_path, &self.guide_path(d, l)),
            });
        }
        let title = chrome.text("site-home-title", &[]);
        let mut page = self.frame(
            locale,
            &home_path,
            title.clone(),
            self.csp(Some(&self.script)),
        );
        page.alternates = site
            .locales
            .iter()
            .map(|other| {
                let p = format!("{other}/index.html");
                Alternate {
                    lang: other.to_string(),
                    name: autonym(other),
                    href: href(&home_path, &p),
                    url: Some(url(&site.base, &p)),
                    current: other == locale,
                }
            })
            .collect();
        let view = HomePage {
            page,
            home: HomeView {
                title,
                count: chrome.count("site-articles", list.len()),
                articles: list,
                guides,
                script: self.script.clone(),
            },
        };
        self.templates.render("home.html.j2", &view)
    }

    fn languages(&self) -> Result<String, TemplateError> {
        let site = self.site;
        let first = site.locales.first().cloned().unwrap_or_else(Locale::en_us);
        let chrome = Chrome::new(&self.advisor.messages, &first);
        let title = site
            .locales
            .iter()
            .map(|l| self.chrome(l).text("site-languages-title", &[]))
            .collect::<Vec<_>>()
            .join(" · ");
        let mut page = Page::new(&chrome, title, self.csp(None));
        page.stylesheet = Some(STYLESHEET.to_owned());
        page.canonical = Some(url(&site.base, "index.html"));
        page.x_default = Some(url(&site.base, "index.html"));
        page.lang = "mul".into();
        let counts = site.articles_by_locale();
        let languages: Vec<LanguageChoice> = site
            .locales
            .iter()
            .map(|l| LanguageChoice {
                lang: l.to_string(),
                name: autonym(l),
                href: format!("{l}/index.html"),
                count: self
                    .chrome(l)
                    .count("site-articles", counts[&l.to_string()]),
            })
            .collect();
        self.templates
            .render("languages.html.j2", &LanguagesPage { page, languages })
    }

    /// The sitemap, and how many URLs it lists.
    fn sitemap(&self) -> Result<(String, usize), TemplateError> {
        let site = self.site;
        let base = &site.base;
        let mut urls = Vec::new();
        for p in &site.plan {
            let siblings = &site.of_set[&p.set];
            let several = siblings.len() > 1;
            urls.push(SitemapUrl {
                loc: url(base, &p.page),
                alternates: alternates_of(&site.plan, siblings, &p.page, base)
                    .into_iter()
                    .filter(|_| several)
                    .map(|a| SitemapAlternate {
                        lang: a.lang,
                        url: a.url.unwrap_or_default(),
                    })
                    .chain(several.then(|| SitemapAlternate {
                        lang: "x-default".into(),
                        url: url(base, "index.html"),
                    }))
                    .collect(),
            });
        }
        for d in 0..site.definitions.len() {
            for l in 0..site.locales.len() {
                urls.push(SitemapUrl {
                    loc: url(base, &self.guide_path(d, l)),
                    alternates: Vec::new(),
                });
            }
        }
        for l in &site.locales {
            urls.push(SitemapUrl {
                loc: url(base, &format!("{l}/index.html")),
                alternates: Vec::new(),
            });
        }
        urls.push(SitemapUrl {
            loc: url(base, "index.html"),
            alternates: Vec::new(),
        });
        let n = urls.len();
        Ok((
            self.templates.render("sitemap.xml.j2", &Sitemap { urls })?,
            n,
        ))
    }
}

/// Builds the site of `advisor`'s knowledge base (read from `content`) into `opts.out`.
pub fn build(
    advisor: &Advisor,
    content: &Path,
    opts: &SiteOptions,
) -> Result<SiteReport, SiteError> {
    normalize_base(&opts.base_url)?;
    // A broken template stops the build before anything is written.
    let templates = Templates::new(opts.templates.as_deref())?;
    let out = target_folder(&opts.out, content)?;
    let site = Site::new(advisor, content, &opts.base_url)?;
    for e in &site.guide_errors {
        eprintln!("remedy: {e}");
    }
    let renderer = Renderer::new(&site, advisor, &templates, Mode::Static)?;
    check_target(&out)?;
    let staging = sibling(&out, "partial");
    remove_ours(&staging)?;
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    // Marked first, so that a build killed at any point leaves a folder the next build
    // knows it may remove.
    std::fs::write(staging.join(MARKER), MARKER_TEXT).map_err(io(&staging))?;
    let guard = Staging(&staging);
    let report = write_site(&renderer, &staging, opts.progress)?;
    swap_in(&staging, &out)?;
    std::mem::forget(guard);
    Ok(report)
}

/// Removes the staging folder however the build ends (an error, a panic in a thread).
struct Staging<'a>(&'a Path);

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        let _ = remove_marked(self.0);
    }
}

const MARKER_TEXT: &str =
    "A site written by remedy (remedy site); replaced as a whole by the next build.\n";

/// `--out` made absolute and checked: it must name a folder of its own (not `/`, `.` or a
/// folder holding the content, which a swap would move away).
fn target_folder(out: &Path, content: &Path) -> Result<PathBuf, SiteError> {
    let bad = |why: &str| SiteError::Target {
        path: crate::content::display_path(out),
        why: why.to_owned(),
    };
    let absolute = std::path::absolute(out).map_err(io(out))?;
    // `a/..` and `.` resolved by the path, not by following links.
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    if clean.file_name().is_none() || clean.parent().is_none() {
        return Err(bad("names no folder of its own"));
    }
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let content = real(content);
    let target = real(&clean);
    if content.starts_with(&target) {
        return Err(bad("holds the content; the site would replace it"));
    }
    if std::fs::symlink_metadata(&clean).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(bad("is a symbolic link; name the folder itself"));
    }
    Ok(clean)
}

/// Writes every file of the site below `root`: article pages in parallel, then the rest.
fn write_site(
    renderer: &Renderer,
    root: &Path,
    progress_bar: bool,
) -> Result<SiteReport, SiteError> {
    let site = renderer.site;
    let dirs: BTreeSet<PathBuf> = site
        .plan
        .iter()
        .filter_map(|p| root.join(&p.page).parent().map(Path::to_path_buf))
        .chain(
            site.locales
                .iter()
                .map(|l| root.join(l.to_string()).join("guides")),
        )
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(io(d))?;
    }
    let bytes = AtomicU64::new(0);
    let bar = progress(progress_bar, site.plan.len() as u64);
    let write = |rel: &str, text: &str| -> Result<(), SiteError> {
        let path = root.join(rel);
        std::fs::write(&path, text).map_err(io(&path))?;
        bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
        Ok(())
    };
    // Article pages, in parallel: each renders, resolves its links and writes its file.
    let results: Vec<Result<PageOutcome, SiteError>> = (0..site.plan.len())
        .into_par_iter()
        .map(|i| {
            let (text, outcome) = renderer.article(i)?;
            write(&site.plan[i].page, &text)?;
            bar.inc(1);
            Ok(outcome)
        })
        .collect();
    bar.finish_and_clear();
    let mut report = SiteReport {
        unplaced: site.unplaced.clone(),
        articles: site.articles_by_locale(),
        ..SiteReport::default()
    };
    for r in results {
        let PageOutcome {
            counts: (resolved, broken, outside, unsafe_),
            diagnostics,
            has_alternates: alt,
        } = r?;
        report.links_resolved += resolved;
        report.links_broken += broken;
        report.links_outside += outside;
        report.links_unsafe += unsafe_;
        report.diagnostics.extend(diagnostics);
        report.with_alternates += usize::from(alt);
    }
    report
        .diagnostics
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    report.files = site.plan.len() + 1; // and the marker
    for path in site.paths().into_iter().skip(site.plan.len()) {
        let text = match site.kinds[path] {
            Kind::Sitemap => {
                let (text, n) = renderer.sitemap()?;
                report.sitemap_urls = n;
                text
            }
            Kind::Guide(..) => {
                report.guides += 1;
                renderer.render(path)?.map(|r| r.body).unwrap_or_default()
            }
            _ => renderer.render(path)?.map(|r| r.body).unwrap_or_default(),
        };
        write(path, &text)?;
        report.files += 1;
    }
    report.bytes = bytes.load(Ordering::Relaxed);
    Ok(report)
}

/// The Markdown a page shows: the target view without the front matter, with the English
/// original of each segment, and the map from the view back to the file.
struct Body {
    markdown: String,
    originals: Vec<Original>,
    /// Segment index and its target's place in `markdown`.
    map: Vec<(usize, std::ops::Range<usize>)>,
    /// Where `markdown` starts in the target view.
    start: usize,
}

fn body_of(article: &Article) -> Body {
    let (mut text, map) = article.target_markdown_mapped();
    let start = article.target_body_start();
    let map: Vec<(usize, std::ops::Range<usize>)> = map
        .into_iter()
        .filter(|(_, r)| r.start >= start)
        .map(|(i, r)| (i, r.start - start..r.end - start))
        .collect();
    let originals = map
        .iter()
        .filter_map(|(i, r)| {
            let s = &article.segments()[*i];
            let en = article.source_of(s)?;
            (en.trim() != article.target_of(s).trim()).then(|| Original {
                range: r.clone(),
                english: en.to_owned(),
            })
        })
        .collect();
    text.replace_range(..start, "");
    Body {
        markdown: text,
        originals,
        map,
        start,
    }
}

/// Where a byte of the rendered body is in the article's file: inside a segment, at the
/// same place in its target; between segments, the text was copied as it was.
fn to_original(body: &Body, article: &Article, at: usize) -> usize {
    let i = body.map.partition_point(|(_, r)| r.start <= at);
    if i == 0 {
        return at + body.start;
    }
    let (seg, r) = &body.map[i - 1];
    let s = &article.segments()[*seg];
    if at < r.end {
        s.target.start + (at - r.start)
    } else {
        s.range.end + (at - r.end)
    }
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

enum Resolved {
    /// A page of the site (index into the plan) and the fragment to keep.
    Page(usize, String),
    Broken,
    Outside(String),
    External,
    /// A scheme pages do not allow (`javascript:`, `java%09script:`): left out.
    Unsafe,
}

fn resolve_link(
    dest: &str,
    from_dir: &str,
    locale: &Locale,
    by_path: &HashMap<(String, String), usize>,
) -> Resolved {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') {
        return Resolved::External;
    }
    let (path, fragment) = match dest.find(['#', '?']) {
        Some(i) if dest[i..].starts_with('#') => (&dest[..i], dest[i..].to_owned()),
        Some(i) => {
            let frag = dest[i..]
                .find('#')
                .map_or(String::new(), |f| dest[i + f..].to_owned());
            (&dest[..i], frag)
        }
        None => (dest, String::new()),
    };
    let lookup = |key: &str| by_path.get(&(locale.to_string(), key.to_owned())).copied();
    let lower = path.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("https://docs.microsoft.com/")
        .or_else(|| lower.strip_prefix("https://learn.microsoft.com/"))
    {
        let rest = strip_docs_locale(rest);
        return match lookup(&link_key(rest)) {
            Some(i) => Resolved::Page(i, fragment),
            None => Resolved::External,
        };
    }
    if let Some(colon) = lower.find(':')
        && lower.find('/').is_none_or(|slash| colon < slash)
    {
        // A scheme: the ones pages allow are links; anything else is left out.
        let scheme = &lower[..colon];
        return if SCHEMES.contains(&scheme) {
            Resolved::External
        } else {
            Resolved::Unsafe
        };
    }
    if lower.starts_with("//") {
        return Resolved::External;
    }
    if let Some(rest) = path.strip_prefix('/') {
        let rest = strip_docs_locale(rest);
        return match lookup(&link_key(rest)) {
            Some(i) => Resolved::Page(i, fragment),
            None => Resolved::Outside(format!("{DOCS_HOST}{path}{fragment}")),
        };
    }
    // Relative: an article (`x.md`, or a name without extension) or another file.
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    if !ext.is_empty() && !ext.eq_ignore_ascii_case("md") {
        return Resolved::External;
    }
    let joined = join(from_dir, path);
    match joined.and_then(|j| lookup(&link_key(&j))) {
        Some(i) => Resolved::Page(i, fragment),
        None => Resolved::Broken,
    }
}

/// `nb-no/alchemyinsights/x` → `alchemyinsights/x`: Docs URLs may carry a locale first.
fn strip_docs_locale(path: &str) -> &str {
    match path.split_once('/') {
        Some((first, rest))
            if first.len() == 5 && first.as_bytes()[2] == b'-' && first.is_ascii() =>
        {
            rest
        }
        _ => path,
    }
}

/// The lookup key of an article path: lower case, percent escapes decoded, without `.md`
/// and without a trailing `/`.
fn link_key(path: &str) -> String {
    let p = percent_decode(path.trim_matches('/')).to_lowercase();
    match p.strip_suffix(".md") {
        Some(stem) => stem.to_owned(),
        None => p,
    }
}

/// `%20` → ` `; an escape that is not one, or bytes that are not UTF-8, stay as written.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    String::from_utf8(percent_decode_bytes(s)).unwrap_or_else(|_| s.to_owned())
}

/// The bytes `%XX` escapes stand for; an escape that is not one stays as written.
pub(crate) fn percent_decode_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// `dir` + a relative path, `.` and `..` resolved; `None` above the root.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn parent_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_owned())
}

/// `AlchemyInsights/x.md` → `AlchemyInsights/x.html`.
fn page_name(rel: &str) -> String {
    format!("{}.html", rel.strip_suffix(".md").unwrap_or(rel))
}

fn page_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The relative link from page `from` to page `to` (both below the site root).
pub fn href(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    encode_path(&out)
}

/// The absolute URL of a page.
fn url(base: &str, page: &str) -> String {
    format!("{base}{}", encode_path(page))
}

fn normalize_base(base: &str) -> Result<String, SiteError> {
    let lower = base.to_ascii_lowercase();
    let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
        && base.len() > "https://".len()
        && !base.contains(['"', '<', '>', ' ', '\'']);
    if !ok {
        return Err(SiteError::BaseUrl { url: base.into() });
    }
    Ok(if base.ends_with('/') {
        base.to_owned()
    } else {
        format!("{base}/")
    })
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

/// The folder may be replaced: missing, empty, or a site remedy wrote. A build killed
/// between its two renames left the previous site beside it: it is put back first.
fn check_target(out: &Path) -> Result<(), SiteError> {
    let old = sibling(out, "old");
    if !out.exists() && is_ours(&old) {
        std::fs::rename(&old, out).map_err(io(out))?;
    } else {
        remove_ours(&old)?;
    }
    if !out.exists() {
        return Ok(());
    }
    let shown = crate::content::display_path(out);
    if !out.is_dir() {
        return Err(SiteError::NotASite { path: shown });
    }
    let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
    if empty || is_ours(out) {
        Ok(())
    } else {
        Err(SiteError::NotASite { path: shown })
    }
}

/// A real folder (not a link) that remedy marked as a site.
fn is_ours(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && dir.join(MARKER).is_file()
}

/// Removes a folder remedy left beside the site (a staging or an old site); anything else
/// by that name is someone's and stops the build.
fn remove_ours(dir: &Path) -> Result<(), SiteError> {
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    // A build killed between making its staging folder and marking it left it empty.
    let empty = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    if empty {
        return std::fs::remove_dir(dir).map_err(io(dir));
    }
    if !is_ours(dir) {
        return Err(SiteError::NotASite {
            path: crate::content::display_path(dir),
        });
    }
    remove_marked(dir).map_err(io(dir))
}

/// Removes a folder remedy marked, its marker last: a removal killed half way leaves a
/// folder still marked, which the next build may remove (`remove_dir_all` takes files in
/// any order, and a folder that lost its marker first was refused as somebody else's).
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    std::fs::remove_file(dir.join(MARKER))?;
    std::fs::remove_dir(dir)
}

/// `site` → `.site.partial` beside it.
fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{what}"))
}

/// Puts the finished build in place of the previous site: the old one is moved aside,
/// the new one renamed in, the old one removed (if that fails, the next build does it).
fn swap_in(staging: &Path, out: &Path) -> Result<(), SiteError> {
    let old = sibling(out, "old");
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back before saying so.
        if old.exists() {
            let _ = std::fs::rename(&old, out);
        }
        return Err(io(out)(e));
    }
    let _ = remove_marked(&old);
    Ok(())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: crate::content::display_path(path),
        source,
    }
}

fn progress(show: bool, len: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} pages {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("remedy site");
    bar
}

/// An article page, as `article.html.j2` receives it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticlePage {
    pub page: Page,
    pub article: ArticleView,
}

/// One article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub title: String,
    /// The target view as sanitized HTML, each translated paragraph's English original in
    /// a `<details>`.
    pub html: String,
    /// Machine translated; translated from English that has changed since.
    pub notices: Vec<String>,
    /// "Source: PATH", localized.
    pub source: String,
    /// The article's path below its locale folder.
    pub path: String,
}

/// A locale's home page, as `home.html.j2` receives it.
#[derive(Debug, Clone, Serialize)]
pub struct HomePage {
    pub page: Page,
    pub home: HomeView,
}

#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    pub title: String,
    /// "2 910 articles", localized.
    pub count: String,
    /// Sorted by title.
    pub articles: Vec<Listed>,
    pub guides: Vec<Listed>,
    /// The title filter, inlined; the page's CSP allows exactly this script.
    pub script: String,
}

/// A link in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub title: String,
    pub href: String,
}

/// The root page, as `languages.html.j2` receives it.
#[derive(Debug, Clone, Serialize)]
pub struct LanguagesPage {
    pub page: Page,
    pub languages: Vec<LanguageChoice>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageChoice {
    pub lang: String,
    pub name: String,
    pub href: String,
    /// "2 910 articles", in that language.
    pub count: String,
}

/// `sitemap.xml.j2`'s view.
#[derive(Debug, Clone, Serialize)]
pub struct Sitemap {
    pub urls: Vec<SitemapUrl>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SitemapUrl {
    pub loc: String,
    /// Every language the page exists in, itself and `x-default` included; empty when it
    /// exists in one.
    pub alternates: Vec<SitemapAlternate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SitemapAlternate {
    pub lang: String,
    pub url: String,
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
