//! Views of an article: original, target-only Markdown, English source Markdown, and
//! plain text for indexing.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use super::{Article, ArticleForm};

/// The English original of one translated segment: where its translation sits in some
/// Markdown taken from the article (a section, a run of segments), and the English
/// Markdown it was translated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    /// The translation's bytes in that Markdown.
    pub range: Range<usize>,
    /// The English Markdown.
    pub english: String,
}

/// Which text of an article to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The exact bytes of the file.
    Original,
    /// The translated Markdown with every hidden English source removed: what readers and
    /// search see.
    Target,
    /// The English Markdown rebuilt from the span sources: the en-US article.
    Source,
    /// Plain text of the target body, one block per line, for indexing.
    Text,
}

impl Article {
    /// One view of the article; `None` for [`View::Source`] of an article without spans.
    pub fn view(&self, view: View) -> Option<Cow<'_, str>> {
        match view {
            View::Original => Some(Cow::Borrowed(self.original())),
            View::Target => Some(self.target_markdown()),
            View::Source => self.source_markdown().map(Cow::Owned),
            View::Text => Some(Cow::Owned(self.plain_text())),
        }
    }

    /// The translated Markdown: each pair replaced by its target text, everything outside
    /// pairs (front matter, list markers, anchors, images) kept as written.
    pub fn target_markdown(&self) -> Cow<'_, str> {
        if self.form == ArticleForm::Plain {
            return Cow::Borrowed(self.original());
        }
        Cow::Owned(self.splice(|s| s.target.clone()))
    }

    /// The English article rebuilt from the sources, with `ms.contentlocale: en-US` and
    /// without `ms.translationtype` (the English is the original, not a translation).
    pub fn source_markdown(&self) -> Option<String> {
        if self.form == ArticleForm::Plain {
            return None;
        }
        let mut out = self.splice(|s| s.source.clone().unwrap_or(s.target.clone()));
        // Rewrite the front matter only when no pair sits in it: then it is unchanged text
        // at the start of `out`.
        if let Some(fm) = &self.front_matter {
            let untouched = self
                .segments
                .first()
                .is_none_or(|s| s.range.start >= fm.range.end);
            if untouched {
                let title = self.english_title();
                let rewritten =
                    english_front_matter(&self.text[fm.range.clone()], title.as_deref());
                out.replace_range(fm.range.clone(), &rewritten);
            }
        }
        Some(out)
    }

    /// The English title, when the front matter title is the text of the first heading
    /// (the Microsoft Docs convention): that heading's English source.
    fn english_title(&self) -> Option<String> {
        let title = self.title()?;
        let heading = self.segments.iter().find(|s| {
            s.block
                .is_some_and(|b| matches!(self.blocks[b].kind, super::BlockKind::Heading { .. }))
        })?;
        if markdown_to_text(self.target_of(heading)) != title.trim() {
            return None;
        }
        Some(markdown_to_text(self.source_of(heading)?))
    }

    /// Plain text of the target body for indexing: Markdown and HTML markup removed,
    /// entities decoded, one block per line; no front matter.
    pub fn plain_text(&self) -> String {
        let target = self.target_markdown();
        markdown_to_text(&target[self.target_body_start()..])
    }

    /// Where the body starts in the target view: after the front matter, which is the
    /// article's own text at the start of that view when no pair sits in it (else 0).
    pub fn target_body_start(&self) -> usize {
        self.front_matter
            .as_ref()
            .filter(|fm| {
                self.segments
                    .first()
                    .is_none_or(|s| s.range.start >= fm.range.end)
            })
            .map_or(0, |fm| fm.range.end)
    }

    /// The target Markdown and, for each span pair (by segment index), the byte range its
    /// target text occupies there: how text found in the target view maps back to segment
    /// keys (the plain-alignment evaluation scores against them). Plain articles map nothing.
    pub fn target_markdown_mapped(&self) -> (String, Vec<(usize, Range<usize>)>) {
        if self.form == ArticleForm::Plain {
            return (self.text.clone(), Vec::new());
        }
        let mut out = String::with_capacity(self.text.len());
        let mut map = Vec::with_capacity(self.segments.len());
        let mut at = 0;
        for (i, s) in self.segments.iter().enumerate() {
            if s.source.is_none() {
                continue;
            }
            out.push_str(&self.text[at..s.range.start]);
            let start = out.len();
            out.push_str(&self.text[s.target.clone()]);
            map.push((i, start..out.len()));
            at = s.range.end;
        }
        out.push_str(&self.text[at..]);
        (out, map)
    }

    /// The text with each pair replaced by one of its ranges.
    fn splice(&self, pick: impl Fn(&super::Segment) -> Range<usize>) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for s in self.segments.iter().filter(|s| s.source.is_some()) {
            out.push_str(&self.text[at..s.range.start]);
            out.push_str(&self.text[pick(s)]);
            at = s.range.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

fn english_front_matter(fm: &str, title: Option<&str>) -> String {
    let mut out = String::with_capacity(fm.len());
    for line in fm.split_inclusive('\n') {
        if let (Some(title), true) = (title, line.starts_with("title:")) {
            let escaped = title.replace('\\', "\\\\").replace('"', "\\\"");
            out.push_str(&format!("title: \"{escaped}\"\n"));
            continue;
        }
        if line.starts_with("ms.translationtype:") {
            continue;
        }
        if line.starts_with("ms.contentlocale:") {
            out.push_str("ms.contentlocale: en-US\n");
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Plain text of a Markdown fragment: text and code kept, markup and inline HTML dropped,
/// raw HTML blocks reduced to their text, one block per line.
///
/// ```
/// use remedy::article::markdown_to_text;
/// assert_eq!(markdown_to_text("Velg **Fil** \\> [Konto](x) &amp; `Get-X`"), "Velg Fil > Konto & Get-X");
/// ```
pub fn markdown_to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut html = String::new();
    let mut in_html_block = false;
    for event in Parser::new_ext(md, super::markdown::options()) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if in_html_block {
                    html.push_str(&t);
                } else {
                    out.push_str(&t);
                }
            }
            Event::Html(t) => html.push_str(&t),
            Event::InlineHtml(t) if is_break_tag(&t) => push_space(&mut out),
            Event::SoftBreak => push_space(&mut out),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::HtmlBlock) => in_html_block = true,
            Event::End(TagEnd::HtmlBlock) => {
                in_html_block = false;
                out.push_str(&html_to_text(&html));
                html.clear();
                end_line(&mut out);
            }
            Event::Start(Tag::TableCell) => push_space(&mut out),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock,
            ) => end_line(&mut out),
            _ => {}
        }
    }
    let trimmed = out.trim_end_matches([' ', '\n']).len();
    out.truncate(trimmed);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `<br>`, `<br/>`, `<BR >` (bytes: the tag may start with any character).
fn is_break_tag(tag: &str) -> bool {
    let t = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .as_bytes();
    t.get(..2).is_some_and(|b| b.eq_ignore_ascii_case(b"br"))
        && !t.get(2).is_some_and(u8::is_ascii_alphanumeric)
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

fn end_line(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Text of an HTML fragment, with a space between block-level elements and entities
/// decoded (html5ever does what real browsers do with the broken markup of real files).
fn html_to_text(html: &str) -> String {
    use scraper::Node;
    let fragment = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    for edge in fragment.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if is_block_element(e.name()) => push_space(&mut out),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(e) = node.value()
                    && is_block_element(e.name())
                {
                    push_space(&mut out);
                }
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_become_text() {
        let md = "<table>\n<tr><td>FD</td><td>Foo &amp; <b>bar</b></td></tr>\n</table>\n\nAfter";
        assert_eq!(markdown_to_text(md), "FD Foo & bar\nAfter");
    }

    #[test]
    fn break_tags() {
        assert!(is_break_tag("<br>") && is_break_tag("<BR/>") && is_break_tag("</br >"));
        assert!(!is_break_tag("<bring>") && !is_break_tag("<ä>") && !is_break_tag("<b>"));
    }

    #[test]
    fn lists_and_tables() {
        let md = "# T\n\n1. a\n2. b **c**\n\n| x | y |\n|---|---|\n| 1 | 2<br>3 |\n";
        assert_eq!(markdown_to_text(md), "T\na\nb c\nx y\n1 2 3");
    }
}
