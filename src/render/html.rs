//! Markdown to safe HTML: pulldown-cmark's writer over an event stream that remedy edits
//! (heading ids, links pointed at generated pages, the English original of each translated
//! paragraph in a `<details>`, remote images as links), then ammonia over the result.
//!
//! Articles carry raw HTML written by others, so nothing reaches a page without the
//! sanitizer: script, event handlers, `javascript:`/`data:` URLs, frames, objects, forms
//! and `<base>` are removed whatever the Markdown or the HTML around them says.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

pub use crate::article::Original;
use crate::article::{heading_anchor, options};

/// The URL schemes a page may link to: the web, mail, and Windows Settings pages
/// (`ms-settings:windowsupdate`, which support articles open for the reader).
pub const SCHEMES: [&str; 4] = ["http", "https", "mailto", "ms-settings"];

/// Decides where a link goes: called with its destination and its byte offset.
pub type LinkResolver<'a> = dyn Fn(&str, usize) -> LinkTarget + 'a;

/// The offset given to [`HtmlOptions::links`] for a link inside an English original.
pub const ORIGINAL: usize = usize::MAX;

/// What to do with one link or image destination found in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Leave it as written.
    Keep,
    /// Point it somewhere else (a generated page).
    Replace(String),
    /// The link resolves to nothing: keep its text, drop the link.
    Drop,
}

/// Options of one rendering.
pub struct HtmlOptions<'a> {
    /// Sorted by start; each is shown after the paragraph or list item holding it.
    pub originals: &'a [Original],
    /// The `<summary>` of an English original (localized page chrome).
    pub original_label: &'a str,
    /// Called with each link destination and its byte offset in the Markdown
    /// ([`ORIGINAL`] for a link in an English original, which the caller should resolve
    /// but not report: the translation's link is reported already).
    pub links: Option<&'a LinkResolver<'a>>,
    /// Prefixed to every heading id, so that two rendered parts on one page keep apart.
    pub id_prefix: &'a str,
}

impl Default for HtmlOptions<'_> {
    fn default() -> Self {
        HtmlOptions {
            originals: &[],
            original_label: "English original",
            links: None,
            id_prefix: "",
        }
    }
}

/// Markdown as sanitized HTML.
///
/// ```
/// use remedy::render::{markdown_to_html, HtmlOptions};
/// let html = markdown_to_html("Hi <img src=x onerror=alert(1)> [x](javascript:alert(1))",
///     &HtmlOptions::default());
/// assert!(!html.contains("onerror") && !html.contains("javascript"));
/// ```
pub fn markdown_to_html(markdown: &str, opts: &HtmlOptions) -> String {
    let mut r = Rewriter {
        markdown,
        opts,
        events: Vec::new(),
        open: Vec::new(),
        shown: vec![false; opts.originals.len()],
        closes: Vec::new(),
        image: None,
        slugs: HashMap::new(),
        heading: None,
        raw: false,
    };
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if r.image.is_some() {
            r.inside_image(event);
            continue;
        }
        r.event(event, range);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, r.events.into_iter());
    // Markdown without raw HTML and with every URL checked is safe as pulldown-cmark
    // writes it; the sanitizer (a full HTML parse, ~14 MB/s) runs where someone's HTML is.
    if r.raw || !opts.originals.is_empty() || has_unsafe_url(&html) {
        with_alt(sanitizer().clean(&html).to_string())
    } else {
        html
    }
}

/// pulldown-cmark's events, rewritten as they come: heading ids, links resolved or
/// dropped, images as links, the English originals after the blocks that hold them.
struct Rewriter<'m, 'o> {
    markdown: &'m str,
    opts: &'o HtmlOptions<'o>,
    events: Vec<Event<'m>>,
    /// Open blocks that can receive an English original: (range, is a list item).
    open: Vec<(Range<usize>, bool)>,
    /// Which originals were shown already.
    shown: Vec<bool>,
    closes: Vec<Close>,
    /// (url, alt so far) of the image being read.
    image: Option<(String, String)>,
    /// Heading ids given so far, with how often.
    slugs: HashMap<String, usize>,
    /// The open heading: the index of its Start event, and its bytes.
    heading: Option<(usize, Range<usize>)>,
    /// Someone's HTML is in the output: it must be sanitized.
    raw: bool,
}

impl<'m> Rewriter<'m, '_> {
    fn originals_of(&mut self, range: Range<usize>) {
        push_originals(&mut self.events, self.opts, &mut self.shown, range);
    }

    fn event(&mut self, event: Event<'m>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Paragraph) => {
                self.open.push((range, false));
                self.events.push(Event::Start(Tag::Paragraph));
            }
            Event::Start(Tag::Item) => {
                self.open.push((range, true));
                self.events.push(Event::Start(Tag::Item));
            }
            Event::End(TagEnd::Paragraph) => {
                self.events.push(Event::End(TagEnd::Paragraph));
                if let Some((r, _)) = self.open.pop() {
                    self.originals_of(r);
                }
            }
            Event::Start(Tag::List(first)) => {
                // A tight item's own text ends where its nested list starts.
                if let Some((r, true)) = self.open.last() {
                    let r = r.start..range.start;
                    self.originals_of(r);
                }
                self.events.push(Event::Start(Tag::List(first)));
            }
            Event::End(TagEnd::Item) => {
                if let Some((r, _)) = self.open.pop() {
                    self.originals_of(r);
                }
                self.events.push(Event::End(TagEnd::Item));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some((self.events.len(), range));
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                self.name_heading();
                self.events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link(link_type, dest_url, title, id, range.start),
            Event::End(TagEnd::Link) => match self.closes.pop() {
                Some(Close::Tag) => self.events.push(Event::End(TagEnd::Link)),
                Some(Close::Raw) => self.events.push(Event::InlineHtml("</a>".into())),
                _ => {}
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => {
                // Pages load nothing (their CSP says so, and a guide is one file): an
                // image is a link to it, labelled with its alt text.
                let dest_url = match resolve(self.opts, &dest_url, range.start, link_type) {
                    LinkTarget::Replace(u) => u,
                    LinkTarget::Drop => String::new(),
                    LinkTarget::Keep => dest_url.to_string(),
                };
                self.image = Some((dest_url, String::new()));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                self.raw = true;
                self.events.push(Event::Html(h));
            }
            other => self.events.push(other),
        }
    }

    /// Inside an image: its alt text is gathered, and at its end it becomes a link
    /// labelled with it (or the URL), or plain text when the URL was dropped.
    fn inside_image(&mut self, event: Event<'m>) {
        let Some((_, alt)) = self.image.as_mut() else {
            return;
        };
        match event {
            Event::End(TagEnd::Image) => {
                let (url, alt) = self.image.take().expect("inside an image");
                let label = if alt.trim().is_empty() {
                    url.clone()
                } else {
                    alt
                };
                if url.is_empty() {
                    self.events.push(Event::Text(label.into()));
                    return;
                }
                self.events.push(Event::InlineHtml(
                    format!(
                        "<a class=\"image\" href=\"{}\">{}</a>",
                        escape_attr(&url),
                        escape_text(&label)
                    )
                    .into(),
                ));
            }
            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
            _ => {}
        }
    }

    /// The closing heading's id: its `<a name>` anchor or its slug, numbered when taken.
    fn name_heading(&mut self) {
        let Some((at, r)) = self.heading.take() else {
            return;
        };
        let source = &self.markdown[r];
        let id = heading_anchor(source)
            .unwrap_or_else(|| slug(&crate::article::markdown_to_text(source)));
        let n = self.slugs.entry(id.clone()).or_insert(0);
        let id = if *n == 0 { id } else { format!("{id}-{n}") };
        *n += 1;
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut self.events[at] {
            *slot = Some(format!("{}{id}", self.opts.id_prefix).into());
        }
    }

    /// A link: resolved by the caller, dropped (its text kept), or written; a remote one
    /// as raw HTML with `rel="noopener noreferrer"`.
    fn link(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'m>,
        title: CowStr<'m>,
        id: CowStr<'m>,
        at: usize,
    ) {
        let dest_url = match resolve(self.opts, &dest_url, at, link_type) {
            LinkTarget::Drop => {
                self.closes.push(Close::Dropped);
                return;
            }
            LinkTarget::Replace(u) => CowStr::from(u),
            LinkTarget::Keep => dest_url,
        };
        if is_remote(&dest_url) {
            // Written here so that a page the sanitizer skips still opens other sites
            // without handing them this one.
            self.closes.push(Close::Raw);
            let title = if title.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", escape_attr(&title))
            };
            self.events.push(Event::InlineHtml(
                format!(
                    "<a href=\"{}\"{title} rel=\"noopener noreferrer\">",
                    escape_attr(&dest_url)
                )
                .into(),
            ));
        } else {
            self.closes.push(Close::Tag);
            self.events.push(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }));
        }
    }
}

/// How an open link is closed.
enum Close {
    Tag,
    Raw,
    Dropped,
}

fn resolve(opts: &HtmlOptions, dest: &str, at: usize, kind: LinkType) -> LinkTarget {
    if matches!(kind, LinkType::Email) {
        return LinkTarget::Keep;
    }
    opts.links.map_or(LinkTarget::Keep, |f| f(dest, at))
}

fn is_remote(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//")
}

/// Gives every `<img>` (the sanitizer has taken its `src`) an `alt`, so that it reads as
/// text, or as nothing, never as a broken picture.
fn with_alt(html: String) -> String {
    if !html.contains("<img") {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<img") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        out.push_str(&rest[..at + 4]);
        if !rest[at..end].contains(" alt=") {
            out.push_str(" alt=\"\"");
        }
        rest = &rest[at + 4..];
    }
    out.push_str(rest);
    out
}

/// Any URL attribute that is not plainly relative, http(s), mailto or a fragment: the
/// sanitizer decides about it.
fn has_unsafe_url(html: &str) -> bool {
    ["href=\"", "src=\""].iter().any(|attr| {
        html.match_indices(attr).any(|(i, _)| {
            let url = &html[i + attr.len()..];
            let end = url.find('"').unwrap_or(url.len());
            let url = url[..end].to_ascii_lowercase();
            match url.find(':') {
                None => false,
                Some(colon) => {
                    let scheme = &url[..colon];
                    let slash = url.find(['/', '?', '#']).unwrap_or(usize::MAX);
                    colon < slash && !SCHEMES.contains(&scheme)
                }
            }
        })
    })
}

/// Markdown for Markdown readers (GitHub, GitLab), with what a hostile article could do
/// taken out: each raw HTML block and tag through the sanitizer, a link or image whose
/// destination has a scheme pages do not allow replaced by its text, and such link
/// definitions removed. Sanitizing can turn text into Markdown (a tag the sanitizer drops
/// leaves the text around it), so the result is sanitized again until nothing changes.
///
/// ```
/// let md = remedy::render::sanitize_markdown("*a* <img src=x onerror=alert(1)> [b](javascript:x)");
/// assert_eq!(md, "*a* <img alt=\"\"> b");
/// ```
pub fn sanitize_markdown(markdown: &str) -> String {
    let mut text = markdown.to_owned();
    for _ in 0..4 {
        let next = sanitize_markdown_once(&text);
        if next == text {
            return text;
        }
        text = next;
    }
    // Still changing: give the words, not the markup.
    escape_markdown(&crate::article::markdown_to_text(&text))
}

fn sanitize_markdown_once(markdown: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut block: Option<Range<usize>> = None;
    let mut parser = Parser::new_ext(markdown, options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(Tag::HtmlBlock) => block = Some(range),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(r) = block.take() {
                    let text = &markdown[r.clone()];
                    let clean = with_alt(sanitizer().clean(text).to_string());
                    let ends = text.len() - text.trim_end().len();
                    edits.push((r.start..r.end - ends, clean));
                }
            }
            Event::InlineHtml(tag) | Event::Html(tag) if block.is_none() => {
                edits.push((range, clean_tag(&tag)));
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if block.is_none() && !safe_scheme(&dest_url) =>
            {
                // The whole link becomes its words: where its destination is written
                // (entities, a reference, a title repeating it) does not matter.
                let words = crate::article::markdown_to_text(&markdown[range.clone()]);
                edits.push((range, escape_markdown(words.trim())));
            }
            _ => {}
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        if !safe_scheme(&def.dest) {
            edits.push((def.span.clone(), String::new()));
        }
    }
    // Edits may nest (an image inside a link): keep the outermost.
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for (r, text) in edits {
        if r.start < at {
            continue;
        }
        out.push_str(&markdown[at..r.start]);
        out.push_str(&text);
        at = r.end;
    }
    out.push_str(&markdown[at..]);
    out
}

/// Text that a Markdown renderer shows as written: the characters that open markup are
/// escaped with a backslash (`|` too, for tables), `&` as an entity, lines joined.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text as a Markdown code span: a backtick fence longer than any run inside it.
pub fn markdown_code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {text} {fence}")
}

/// One inline tag through the sanitizer, left open when it was an opening tag (the
/// sanitizer closes what it opens; Markdown's inline HTML opens and closes in two events).
fn clean_tag(tag: &str) -> String {
    let t = tag.trim();
    if let Some(name) = t.strip_prefix("</").and_then(|n| n.strip_suffix('>')) {
        let name = name.trim().to_ascii_lowercase();
        let allowed = sanitizer().clone_tags().contains(name.as_str());
        return if allowed {
            format!("</{name}>")
        } else {
            String::new()
        };
    }
    let clean = with_alt(sanitizer().clean(tag).to_string());
    match clean.rfind("</") {
        Some(at) if clean.ends_with('>') && !t.ends_with("/>") && !tag.contains("</") => {
            clean[..at].to_owned()
        }
        _ => clean,
    }
}

fn safe_scheme(url: &str) -> bool {
    !has_unsafe_url(&format!("href=\"{}\"", url.replace('"', "")))
}

fn push_originals(
    events: &mut Vec<Event>,
    opts: &HtmlOptions,
    shown: &mut [bool],
    block: Range<usize>,
) {
    let from = opts
        .originals
        .partition_point(|o| o.range.start < block.start);
    let mut english: Vec<&str> = Vec::new();
    for (i, o) in opts.originals.iter().enumerate().skip(from) {
        if o.range.start >= block.end {
            break;
        }
        if shown[i] || o.range.end > block.end {
            continue;
        }
        shown[i] = true;
        english.push(o.english.trim());
    }
    if english.is_empty() {
        return;
    }
    let mut inner = String::new();
    let mut dropped: Vec<bool> = Vec::new();
    let text = english.join(" ");
    let events_en = Parser::new_ext(&text, options()).filter_map(|e| match e {
        // The English stays inline text: its block structure is the translation's.
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        // Its links go where the translation's go (`ORIGINAL`: not reported twice).
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => match resolve(opts, &dest_url, ORIGINAL, link_type) {
            LinkTarget::Drop => {
                dropped.push(true);
                None
            }
            target => {
                dropped.push(false);
                let dest_url = match target {
                    LinkTarget::Replace(u) => CowStr::from(u),
                    _ => dest_url,
                };
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
        },
        Event::End(TagEnd::Link) => {
            (dropped.pop() != Some(true)).then_some(Event::End(TagEnd::Link))
        }
        // An image in the English is its alt text: the translation's place shows the link.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    pulldown_cmark::html::push_html(&mut inner, events_en);
    events.push(Event::Html(
        format!(
            "<details class=\"original\" lang=\"en\"><summary>{}</summary>{}</details>\n",
            escape_text(opts.original_label),
            inner
        )
        .into(),
    ));
}

/// A heading's id when the article gives none: lowercase words joined by hyphens, as
/// Microsoft Docs and GitHub make them.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;").replace('\'', "&#39;")
}

/// The one sanitizer: ammonia's defaults (which already drop script, styles, event
/// handlers, frames, forms and unsafe URL schemes) plus what rendered articles need.
pub fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["details", "summary", "tfoot"])
            .add_generic_attributes(["id", "lang", "dir"])
            .add_tag_attributes("a", ["name"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("th", ["align", "style"])
            .add_tag_attributes("td", ["align", "style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .add_allowed_classes("details", ["original"])
            .add_allowed_classes(
                "blockquote",
                [
                    "markdown-alert-note",
                    "markdown-alert-tip",
                    "markdown-alert-important",
                    "markdown-alert-warning",
                    "markdown-alert-caution",
                ],
            )
            .url_schemes(HashSet::from(SCHEMES))
            .add_allowed_classes("a", ["image"])
            // Pages load nothing: an image of the content keeps its alt text, not its src.
            .attribute_filter(|element, attribute, value| {
                (!(element == "img" && attribute == "src")).then(|| value.into())
            });
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        markdown_to_html(md, &HtmlOptions::default())
    }

    #[test]
    fn headings_get_their_anchor_or_a_slug_as_id() {
        let out =
            html("# <a name=\"enable-sync\"></a>Enable sync\n\n## Two words\n\n## Two words\n");
        assert!(out.contains("<h1 id=\"enable-sync\">"), "{out}");
        assert!(out.contains("<h2 id=\"two-words\">"), "{out}");
        assert!(out.contains("<h2 id=\"two-words-1\">"), "{out}");
    }

    #[test]
    fn originals_follow_their_paragraph_and_tight_item() {
        let md = "Hei verden.\n\n- Punkt en\n  - indre\n- Punkt to\n";
        let at = |s: &str| {
            let i = md.find(s).unwrap();
            i..i + s.len()
        };
        let originals = vec![
            Original {
                range: at("Hei verden."),
                english: "Hello **world**.".into(),
            },
            Original {
                range: at("Punkt en"),
                english: "Item one".into(),
            },
            Original {
                range: at("indre"),
                english: "inner".into(),
            },
        ];
        let out = markdown_to_html(
            md,
            &HtmlOptions {
                originals: &originals,
                original_label: "Engelsk original",
                ..HtmlOptions::default()
            },
        );
        let p = out.find("Hei verden.</p>").unwrap();
        let d = out.find("<strong>world</strong>").unwrap();
        assert!(p < d, "{out}");
        // The outer item's English comes before its nested list, not after it.
        let one = out.find("Item one").unwrap();
        let inner = out.find("<li>indre").unwrap();
        assert!(one < inner, "{out}");
        assert_eq!(
            out.matches("<summary>Engelsk original</summary>").count(),
            3
        );
        assert!(
            out.contains("<details class=\"original\" lang=\"en\">"),
            "{out}"
        );
    }

    #[test]
    fn links_are_replaced_or_dropped_and_remote_images_linked() {
        let md = "[a](a.md) [b](b.md#x) ![chart](https://example.com/c.png) ![local](m/c.png)";
        let links = |d: &str, _at: usize| match d {
            "a.md" => LinkTarget::Replace("a.html".into()),
            "b.md#x" => LinkTarget::Drop,
            _ => LinkTarget::Keep,
        };
        let out = markdown_to_html(
            md,
            &HtmlOptions {
                links: Some(&links),
                ..HtmlOptions::default()
            },
        );
        assert!(out.contains("<a href=\"a.html\">a</a>"), "{out}");
        assert!(out.contains(" b "), "{out}");
        assert!(!out.contains("b.md"), "{out}");
        assert!(out.contains("href=\"https://example.com/c.png\""), "{out}");
        assert!(out.contains(">chart</a>"), "{out}");
        assert!(
            out.contains("<a class=\"image\" href=\"m/c.png\">local</a>"),
            "{out}"
        );
        assert!(!out.contains("<img"), "{out}");
        let raw = html("<img src=\"https://example.com/x.png\"> <img alt=\"A\" src=\"y.png\">");
        assert!(
            raw.contains("<img alt=\"\">") && raw.contains("<img alt=\"A\">"),
            "{raw}"
        );
        assert!(!raw.contains("src="), "{raw}");
    }

    #[test]
    fn hostile_markup_is_removed() {
        for md in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java&#09;script:alert(1))",
            "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<iframe src=\"https://evil\"></iframe>",
            "<object data=x></object><embed src=x>",
            "<form action=x><input name=q></form>",
            "<base href=\"https://evil/\">",
            "<svg onload=alert(1)>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<table><tr><td><img src=x onerror=alert(1)></td></tr></table>",
        ] {
            let out = html(md).to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "javascript:",
                "data:",
                "vbscript:",
                "<iframe",
                "<object",
                "<embed",
                "<form",
                "<base",
                "style=",
            ] {
                assert!(!out.contains(bad), "{md:?} gave {out:?}");
            }
        }
    }

    /// What a Markdown renderer makes of sanitized Markdown: no live unsafe link, no tag
    /// with a handler.
    fn assert_inert(md: &str) {
        let clean = sanitize_markdown(md);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&clean, options()));
        let lower = html.to_ascii_lowercase();
        for bad in [
            "href=\"javascript",
            "src=\"javascript",
            "onerror",
            "<script",
            "href=\"data:",
        ] {
            assert!(!lower.contains(bad), "{md:?} → {clean:?} → {html}");
        }
    }

    #[test]
    fn markdown_keeps_no_way_to_a_script() {
        for md in [
            "[javascript:x](javascript&#58;x)",
            "[a](javascript:x \"javascript:x\")",
            "[javascript:x]\n\n[javascript:x]: javascript:alert(1)",
            "[#]\n\n[#]: javascript:alert(1)",
            "[\\[x\\](javascript:alert\\(1\\))][r]\n\n[r]: javascript:alert(2)",
            "<foo>\n[x](javascript:alert(1))",
            "<textarea>\n[x](javascript:alert(1))\n</textarea>",
            "<JaVaScRiPt:alert(1)>",
            "![a](data:image/svg+xml,<svg onload=alert(1)>)",
            "<img src=x onerror=alert(1)>",
            "<div>\n<script>alert(1)</script>\n</div>",
        ] {
            assert_inert(md);
        }
        assert_eq!(
            sanitize_markdown("[a](https://x.test/) `<b>`"),
            "[a](https://x.test/) `<b>`"
        );
    }

    #[test]
    fn safe_markdown_is_not_reparsed_but_still_safe() {
        let out = html("*a* [b](https://x.test/?q=1) `<c>`");
        assert_eq!(
            out,
            "<p><em>a</em> <a href=\"https://x.test/?q=1\" rel=\"noopener noreferrer\">b</a> \
             <code>&lt;c&gt;</code></p>\n"
        );
        assert!(!has_unsafe_url("<a href=\"page.html#x:y\">"));
        assert!(has_unsafe_url("<a href=\"javascript:x\">"));
    }
}
