//! Any text as an article of a site beside the default content: planning the site and
//! rendering its pages through the templates (article, home, guide, languages, sitemap)
//! never panics, and no page carries a script, an event handler or a `javascript:` URL
//! that the article put there.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use remedy::advise::{Advisor, Knowledge};
use remedy::article::Article;
use remedy::render::Templates;
use remedy::site::{Mode, Renderer, Site};

fn content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// The default content's articles, read once.
fn seeds() -> &'static Vec<Article> {
    static SEEDS: OnceLock<Vec<Article>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        // The seed articles, not the hundreds of Alchemy ones: every page of the site is
        // rendered for each input.
        let (knowledge, errors) = Knowledge::load(&content());
        assert!(errors.is_empty(), "the default content reads: {errors:?}");
        knowledge
            .articles()
            .iter()
            .filter(|a| !a.path().to_string_lossy().contains("AlchemyInsights"))
            .cloned()
            .collect()
    })
}

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| Templates::new(None).expect("the built-in templates load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Beside the seeds; its front matter decides whether it joins one of their sets.
    let mut articles = seeds().clone();
    articles.push(Article::parse(Path::new("nb-NO/fuzz.md"), text));
    let advisor = Advisor {
        catalog: remedy::advise::Catalog::builtin(),
        messages: remedy::l10n::Messages::builtin(),
        knowledge: Knowledge::from_articles(articles),
    };
    let Ok(site) = Site::new(&advisor, &content(), "https://kb.example/") else {
        return;
    };
    let renderer = Renderer::new(&site, &advisor, templates(), Mode::Served)
        .expect("the built-in templates render");
    for path in site.paths() {
        let Some(page) = renderer.render(path).expect("a planned page renders") else {
            panic!("{path} is planned but not rendered");
        };
        if page.content_type.starts_with("text/html") {
            let lower = page.body.to_ascii_lowercase();
            // The home page carries its own filter script, allowed by its hash.
            let scripts = lower.matches("<script").count();
            assert!(
                scripts <= usize::from(path.ends_with("/index.html")),
                "{path}: {}",
                page.body
            );
            assert!(!lower.contains(" onerror="), "{path}: {}", page.body);
            assert!(!lower.contains("javascript:"), "{path}: {}", page.body);
        }
    }
});
