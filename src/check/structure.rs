//! Checks of a whole article's shape: its Markdown blocks against the English, and its
//! heading anchors against the other locales of its set.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::{CheckId, Sink};
use crate::align::ArticleSet;
use crate::article::{Article, ArticleForm, BlockKind};

/// One block of a skeleton: what it is, and where it starts in the parsed view.
struct Shape {
    kind: String,
    offset: usize,
}

fn skeleton(md: &str) -> Vec<Shape> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(md, options).into_offset_iter() {
        let Event::Start(tag) = event else { continue };
        let kind = match tag {
            Tag::Paragraph => "paragraph".to_owned(),
            Tag::Heading { level, .. } => format!("heading {}", level as u8),
            Tag::BlockQuote(_) => "block quote".to_owned(),
            Tag::CodeBlock(_) => "code block".to_owned(),
            Tag::List(Some(_)) => "numbered list".to_owned(),
            Tag::List(None) => "list".to_owned(),
            Tag::Item => "list item".to_owned(),
            Tag::Table(cols) => format!("table of {} columns", cols.len()),
            Tag::TableRow | Tag::TableHead => "table row".to_owned(),
            Tag::TableCell => "table cell".to_owned(),
            Tag::HtmlBlock => "HTML block".to_owned(),
            _ => continue,
        };
        out.push(Shape {
            kind,
            offset: range.start,
        });
    }
    out
}

/// The translated article's blocks against the English rebuilt from the same spans: the
/// first place they part is reported (later differences follow from it).
pub(super) fn markdown(article: &Article, sink: &mut Sink) {
    let Some(english) = article.source_markdown() else {
        return;
    };
    let (target, map) = article.target_markdown_mapped();
    let (t, e) = (skeleton(&target), skeleton(&english));
    let Some(i) =
        (0..t.len().max(e.len())).find(|&i| t.get(i).map(|s| &s.kind) != e.get(i).map(|s| &s.kind))
    else {
        return;
    };
    let view_offset = t.get(i).or(t.last()).map_or(0, |s| s.offset);
    let offset = to_original(article, &map, view_offset);
    let what = |s: Option<&Shape>| {
        s.map_or("the end of the article".to_owned(), |s| {
            format!("a {}", s.kind)
        })
    };
    let segment = article
        .segments()
        .iter()
        .filter(|s| s.source.is_some())
        .find(|s| s.range.contains(&offset))
        .map(|s| s.key.to_string());
    sink.at(
        CheckId::MarkdownStructure,
        offset,
        segment,
        format!(
            "the translation reads as {} where the English has {}",
            what(t.get(i)),
            what(e.get(i))
        ),
    );
}

/// A byte offset of the target view back in the article's own text.
fn to_original(article: &Article, map: &[(usize, Range<usize>)], offset: usize) -> usize {
    let Some((i, mapped)) = map.iter().rev().find(|(_, m)| m.start <= offset) else {
        return offset;
    };
    let s = &article.segments()[*i];
    if offset < mapped.end {
        s.target.start + (offset - mapped.start)
    } else {
        s.range.end + (offset - mapped.end)
    }
}

/// A heading's anchor: the heading's segment key (span articles), where the anchor is, and
/// the anchor.
struct Anchor {
    key: Option<String>,
    at: usize,
    anchor: String,
}

/// Heading anchors in document order.
fn anchors(article: &Article) -> Vec<Anchor> {
    let mut out = Vec::new();
    for (id, b) in article.blocks().iter().enumerate() {
        let BlockKind::Heading {
            anchor: Some(anchor),
            ..
        } = &b.kind
        else {
            continue;
        };
        let key = article
            .segments()
            .iter()
            .find(|s| s.block == Some(id) && s.source.is_some())
            .map(|s| s.key.to_string());
        let at = article.original()[b.range.clone()]
            .find(anchor.as_str())
            .map_or(b.range.start, |i| b.range.start + i);
        out.push(Anchor {
            key,
            at,
            anchor: anchor.clone(),
        });
    }
    out
}

/// Each member's heading anchors against the set's first member with spans (else the
/// first member): a differing anchor is reported on the member that differs.
pub(super) fn anchors_of_set(set: &ArticleSet, articles: &[&Article], sinks: &mut [Sink]) {
    if articles.len() < 2 {
        return;
    }
    let reference = articles
        .iter()
        .position(|a| a.form() == ArticleForm::Bilingual)
        .unwrap_or(0);
    let base = anchors(articles[reference]);
    let by_key: BTreeMap<&str, &str> = base
        .iter()
        .filter_map(|a| Some((a.key.as_deref()?, a.anchor.as_str())))
        .collect();
    for (i, a) in articles.iter().enumerate() {
        if i == reference {
            continue;
        }
        let mine = anchors(a);
        let keyed = a.form() == ArticleForm::Bilingual
            && articles[reference].form() == ArticleForm::Bilingual;
        let pairs: Vec<(&Anchor, &str)> = if keyed {
            mine.iter()
                .filter_map(|m| Some((m, *by_key.get(m.key.as_deref()?)?)))
                .collect()
        } else if mine.len() == base.len() {
            mine.iter()
                .zip(base.iter().map(|b| b.anchor.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        let other = &set.members[reference].locale;
        for (Anchor { key, at, anchor }, theirs) in pairs {
            if anchor != theirs {
                sinks[i].at(
                    CheckId::AnchorMismatch,
                    *at,
                    key.clone(),
                    format!("this heading's anchor is \"{anchor}\"; in {other} it is \"{theirs}\""),
                );
            }
        }
    }
}
