//! The render layer: what people read. Markdown to safe HTML ([`markdown_to_html`]), the
//! page chrome in the reader's language ([`Chrome`]: Fluent strings, ICU4X numbers and
//! dates), the typed views templates receive ([`Page`] and the views of guides and the
//! site), and the templates themselves ([`Templates`]).
//!
//! Guides (`crate::guide`) and the site (`crate::site`) build views and hand them to the
//! templates; nothing here knows where the content came from.

mod format;
mod html;
mod templates;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

pub use format::{Formatter, Timestamp};
pub use html::{
    HtmlOptions, LinkResolver, LinkTarget, ORIGINAL, Original, SCHEMES, markdown_to_html,
    sanitize_markdown, sanitizer, slug,
};
pub use templates::{TemplateError, Templates};

pub(crate) use html::escape_text;

use crate::l10n::{Arg, Messages};
use crate::locale::Locale;

/// The page chrome messages without arguments (`locales/<locale>/pages.ftl`), handed to
/// every template as `page.t`.
pub const CHROME: &[&str] = &[
    "page-language",
    "page-home",
    "page-english-original",
    "page-machine-translated",
    "page-english-changed",
    "page-skip",
    "page-translations",
    "site-home-title",
    "site-filter",
    "site-guides",
    "site-languages-title",
    "guide-title",
    "guide-summary",
    "guide-finding",
    "guide-severity",
    "guide-count",
    "guide-affected",
    "guide-steps",
    "guide-no-steps",
    "guide-flag-mt",
    "guide-flag-english-changed",
    "guide-nothing",
    "severity-error",
    "severity-warning",
    "severity-note",
    "search-label",
    "search-placeholder",
    "search-button",
    "findings-link",
    "findings-title",
    "findings-help",
    "findings-label",
    "findings-submit",
    "error-request",
    "check-title",
    "check-coverage",
    "check-locale",
    "check-articles",
    "check-coverage-share",
    "check-mt-share",
    "check-drift-share",
    "check-failures",
    "check-drift",
    "check-drift-none",
    "check-findings",
    "check-none",
    "check-place",
    "check-check",
    "check-message",
];

/// The page chrome of one locale: its Fluent strings (falling back per message to
/// English), its number and date formats.
pub struct Chrome<'a> {
    messages: &'a Messages,
    chain: Vec<Locale>,
    /// The locale the reader asked for, negotiated against the messages.
    pub locale: Locale,
    /// Numbers and dates in that locale.
    pub format: Formatter,
}

impl<'a> Chrome<'a> {
    /// The chrome of `locale`, falling back through the messages' negotiated chain.
    pub fn new(messages: &'a Messages, locale: &Locale) -> Chrome<'a> {
        let chain = messages.negotiate(&locale.to_string());
        Chrome {
            messages,
            chain,
            locale: locale.clone(),
            format: Formatter::new(locale),
        }
    }

    /// A message with arguments; its id when no locale has it (a test holds every locale
    /// to the English ids).
    pub fn text(&self, id: &str, args: &[(&str, Arg)]) -> String {
        self.messages
            .format(&self.chain, id, None, args)
            .map_or_else(|| id.to_owned(), |f| f.text)
    }

    /// A message about a count: `$count` selects the plural, `$shown` is the count as the
    /// locale writes it.
    pub fn count(&self, id: &str, n: usize) -> String {
        self.text(
            id,
            &[
                ("count", Arg::Number(n as f64)),
                ("shown", Arg::Text(self.format.count(n as u64))),
            ],
        )
    }

    /// Every message of [`CHROME`], by id.
    pub fn strings(&self) -> BTreeMap<String, String> {
        CHROME
            .iter()
            .map(|id| ((*id).to_owned(), self.text(id, &[])))
            .collect()
    }

    /// The severity label of `error`, `warning` or `note`.
    pub fn severity(&self, severity: &str) -> String {
        self.text(&format!("severity-{severity}"), &[])
    }

    /// "Made by remedy 0.1.0".
    pub fn generated(&self) -> String {
        self.text(
            "page-generated",
            &[("version", Arg::Text(env!("CARGO_PKG_VERSION").into()))],
        )
    }
}

/// Percent-encodes what may not stand in a URL path as written (`/` kept).
///
/// ```
/// assert_eq!(remedy::render::encode_path("nb-NO/a b.html"), "nb-NO/a%20b.html");
/// ```
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A language's own name, for switchers: readers look for their language written their
/// way, whatever the page's language.
pub fn autonym(locale: &Locale) -> String {
    match locale.to_string().as_str() {
        "en-US" => "English".into(),
        "nb-NO" => "Norsk bokmål".into(),
        "nn-NO" => "Norsk nynorsk".into(),
        "nl-NL" => "Nederlands".into(),
        "nl-BE" => "Nederlands (België)".into(),
        "de-DE" => "Deutsch".into(),
        "fr-FR" => "Français".into(),
        "sv-SE" => "Svenska".into(),
        "da-DK" => "Dansk".into(),
        other => other.to_owned(),
    }
}

/// Text direction of a locale's script.
pub fn direction(locale: &Locale) -> &'static str {
    match locale.to_string().split('-').next().unwrap_or_default() {
        "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" => "rtl",
        _ => "ltr",
    }
}

/// The Content-Security-Policy of a page: nothing may load or run but its styles (inline,
/// or the site's style sheet) and, on pages that filter a list, the one script whose
/// hash is given.
pub fn content_security_policy(script: Option<&str>) -> String {
    let scripts = match script {
        Some(s) => format!("'{}'", script_hash(s)),
        None => "'none'".to_owned(),
    };
    format!(
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; script-src {scripts}; \
         base-uri 'none'; form-action 'none'"
    )
}

/// `sha256-…` of a script, as CSP names an allowed inline script.
pub fn script_hash(script: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(script.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// What every page template receives as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// `lang` of `<html>`: the page's locale (BCP 47).
    pub lang: String,
    /// `dir` of `<html>`: `ltr` or `rtl`.
    pub dir: &'static str,
    /// `<title>`, and the page's main heading unless its template says otherwise.
    pub title: String,
    /// The page's absolute URL, when the site has a base URL.
    pub canonical: Option<String>,
    /// The same page in each language it exists in, this one included (`current`).
    pub alternates: Vec<Alternate>,
    /// The absolute URL of the language choice (`hreflang="x-default"`).
    pub x_default: Option<String>,
    /// Relative link to the locale's home page; `None` on the home page and in guides
    /// written alone.
    pub home: Option<String>,
    /// The Content-Security-Policy, also set as a `<meta>`.
    pub csp: String,
    /// Relative link to the site's style sheet; `None`: the styles are inline (a guide is
    /// one file).
    pub stylesheet: Option<String>,
    /// The chrome strings ([`CHROME`]) in the page's language.
    pub t: BTreeMap<String, String>,
    /// "Made by remedy 0.1.0", localized.
    pub generated: String,
    /// `remedy 0.1.0`, for `<meta name="generator">`.
    pub generator: String,
    /// The search box of served pages (`remedy serve`); `None` in files.
    pub search: Option<SearchForm>,
    /// Relative link to the page where findings are pasted (served pages).
    pub findings: Option<String>,
}

/// A search box.
#[derive(Debug, Clone, Serialize)]
pub struct SearchForm {
    /// Relative link to the locale's search page.
    pub action: String,
    /// The query searched for, shown in the box.
    pub query: String,
    /// The page's main content (the home page), not a box in the header.
    pub prominent: bool,
}

impl Page {
    /// A page in the chrome's locale with no alternates and no links.
    pub fn new(chrome: &Chrome, title: String, csp: String) -> Page {
        Page {
            lang: chrome.locale.to_string(),
            dir: direction(&chrome.locale),
            title,
            canonical: None,
            alternates: Vec::new(),
            x_default: None,
            home: None,
            csp,
            stylesheet: None,
            t: chrome.strings(),
            generated: chrome.generated(),
            generator: concat!("remedy ", env!("CARGO_PKG_VERSION")).to_owned(),
            search: None,
            findings: None,
        }
    }
}

/// One language a page exists in.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// BCP 47 tag, for `hreflang` and `lang`.
    pub lang: String,
    /// The language's own name.
    pub name: String,
    /// Relative link from the current page.
    pub href: String,
    /// Absolute URL, when the site has a base URL.
    pub url: Option<String>,
    /// This is the page being rendered.
    pub current: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_chrome_message() {
        let messages = Messages::builtin();
        for l in ["en-US", "nb-NO", "nl-NL"] {
            let locale: Locale = l.parse().unwrap();
            for id in CHROME.iter().chain(&[
                "page-other-locale",
                "page-generated",
                "site-articles",
                "site-article-source",
                "guide-source",
                "guide-source-tool",
                "guide-and-more",
                "guide-from",
                "guide-locale",
                "guide-unknown",
                "guide-not-applicable",
                "guide-occurrences",
                "search-title",
                "search-empty-title",
                "search-results",
                "search-none",
                "search-fallback",
                "search-error-empty",
                "search-error-long",
                "findings-error-empty",
                "findings-error-unread",
                "error-title",
                "error-not-found",
            ]) {
                assert!(messages.has(&locale, id), "{l} lacks {id}");
            }
        }
    }

    #[test]
    fn counts_select_the_plural_and_write_the_number_the_locale_s_way() {
        let messages = Messages::builtin();
        let nb = Chrome::new(&messages, &"nb-NO".parse().unwrap());
        assert_eq!(nb.count("site-articles", 1), "1 artikkel");
        assert_eq!(nb.count("site-articles", 2910), "2\u{a0}910 artikler");
        let nl = Chrome::new(&messages, &"nl-NL".parse().unwrap());
        assert_eq!(nl.count("site-articles", 2910), "2.910 artikelen");
    }

    #[test]
    fn the_csp_allows_exactly_the_script_given() {
        assert!(content_security_policy(None).contains("script-src 'none'"));
        let csp = content_security_policy(Some("x()"));
        assert!(csp.contains("script-src 'sha256-"), "{csp}");
        assert_eq!(
            script_hash(""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }
}
