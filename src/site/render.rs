//! The site's pages through the templates, in each page's language.

use super::*;

impl<'a> Renderer<'a> {
    /// A renderer of `site`'s pages with `templates`, for `mode`.
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

    pub(super) fn article(&self, i: usize) -> Result<(String, PageOutcome), TemplateError> {
        let site = self.site;
        let p = &site.plan[i];
        let article = &self.advisor.knowledge.articles()[p.article];
        let chrome = self.chrome(&p.locale);
        let body = body_of(article);
        let links = ArticleLinks {
            site,
            planned: p,
            article,
            lines: LineIndex::new(article.original()),
            from_dir: parent_of(&relative_path(article.path())),
            body: &body,
            counts: RefCell::new((0, 0, 0, 0)),
            diagnostics: RefCell::new(Vec::new()),
        };
        let resolve = |dest: &str, at: usize| links.resolve(dest, at);
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
                counts: links.counts.into_inner(),
                diagnostics: links.diagnostics.into_inner(),
                has_alternates,
            },
        ))
    }

    pub(super) fn guide_path(&self, d: usize, l: usize) -> String {
        format!(
            "{}/guides/{}.html",
            self.site.locales[l],
            page_stem(&self.site.definitions[d].name)
        )
    }

    /// A guide page and its title.
    pub(super) fn guide(&self, d: usize, l: usize) -> Result<(String, String), TemplateError> {
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

    pub(super) fn home(&self, l: usize) -> Result<String, TemplateError> {
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

    pub(super) fn languages(&self) -> Result<String, TemplateError> {
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
    pub(super) fn sitemap(&self) -> Result<(String, usize), TemplateError> {
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

/// An article page, as `article.html.j2` receives it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticlePage {
    /// The frame every page has.
    pub page: Page,
    /// The article.
    pub article: ArticleView,
}

/// One article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// The article's title.
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
    /// The frame every page has.
    pub page: Page,
    /// The home page's content.
    pub home: HomeView,
}

/// A locale's home page: its articles and guides.
#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    /// The page's title, localized.
    pub title: String,
    /// "2 910 articles", localized.
    pub count: String,
    /// Sorted by title.
    pub articles: Vec<Listed>,
    /// The named guides, in the locale.
    pub guides: Vec<Listed>,
    /// The title filter, inlined; the page's CSP allows exactly this script.
    pub script: String,
}

/// A link in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The link's text.
    pub title: String,
    /// Relative to the page.
    pub href: String,
}

/// The root page, as `languages.html.j2` receives it.
#[derive(Debug, Clone, Serialize)]
pub struct LanguagesPage {
    /// The frame every page has.
    pub page: Page,
    /// A choice per locale of the site.
    pub languages: Vec<LanguageChoice>,
}

/// One language of the root page.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageChoice {
    /// Its BCP 47 tag (`hreflang`).
    pub lang: String,
    /// Its name in itself (`norsk bokmål`).
    pub name: String,
    /// Its home page, relative to the root.
    pub href: String,
    /// "2 910 articles", in that language.
    pub count: String,
}

/// `sitemap.xml.j2`'s view.
#[derive(Debug, Clone, Serialize)]
pub struct Sitemap {
    /// Every page of the site.
    pub urls: Vec<SitemapUrl>,
}

/// One page of the sitemap.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapUrl {
    /// Its absolute URL.
    pub loc: String,
    /// Every language the page exists in, itself and `x-default` included; empty when it
    /// exists in one.
    pub alternates: Vec<SitemapAlternate>,
}

/// A page's alternate in one language.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapAlternate {
    /// BCP 47, or `x-default`.
    pub lang: String,
    /// The page in that language, absolute.
    pub url: String,
}

/// The links of one article's page, resolved to the site's pages as the Markdown is
/// rendered, counted (resolved, broken, outside, unsafe) and the bad ones reported at
/// their place in the article's file.
struct ArticleLinks<'s> {
    site: &'s Site,
    planned: &'s Planned,
    article: &'s Article,
    lines: LineIndex,
    from_dir: String,
    body: &'s Body,
    counts: RefCell<(usize, usize, usize, usize)>,
    diagnostics: RefCell<Vec<LinkDiagnostic>>,
}

impl ArticleLinks<'_> {
    /// Where the link `dest` at `at` in the body (or in an English original, [`ORIGINAL`])
    /// goes on the page.
    fn resolve(&self, dest: &str, at: usize) -> LinkTarget {
        let (site, p) = (self.site, self.planned);
        let found = resolve_link(dest, &self.from_dir, &p.locale, &site.by_path);
        if at == ORIGINAL {
            return match found {
                Resolved::Page(i, fragment) => {
                    LinkTarget::Replace(format!("{}{fragment}", href(&p.page, &site.plan[i].page)))
                }
                Resolved::Outside(url) => LinkTarget::Replace(url),
                Resolved::External => LinkTarget::Keep,
                Resolved::Broken | Resolved::Unsafe => LinkTarget::Drop,
            };
        }
        let report = |kind: &'static str| {
            let article = self.article;
            let pos = self
                .lines
                .position(article.original(), to_original(self.body, article, at));
            self.diagnostics.borrow_mut().push(LinkDiagnostic {
                file: crate::content::display_path(&site.content.join(article.path())),
                line: pos.line,
                column: pos.column,
                kind,
                target: dest.to_owned(),
            });
        };
        let mut counts = self.counts.borrow_mut();
        match found {
            Resolved::Page(i, fragment) => {
                counts.0 += 1;
                LinkTarget::Replace(format!("{}{fragment}", href(&p.page, &site.plan[i].page)))
            }
            Resolved::Broken => {
                counts.1 += 1;
                report("link-broken");
                LinkTarget::Drop
            }
            Resolved::Outside(url) => {
                counts.2 += 1;
                report("link-outside-content");
                LinkTarget::Replace(url)
            }
            Resolved::External => LinkTarget::Keep,
            Resolved::Unsafe => {
                counts.3 += 1;
                report("link-unsafe");
                LinkTarget::Drop
            }
        }
    }
}
