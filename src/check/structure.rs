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
            // GFM drops the cells a row has beyond its header's, so a `|` a translation added
            // shows only in the row's own text.
            Tag::TableRow | Tag::TableHead => {
                format!("table row of {} cells", cells(&md[range.clone()]))
            }
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

/// The cells of a table row as written: `|` outside code spans and escapes.
fn cells(row: &str) -> usize {
    let row = row.lines().next().unwrap_or_default().trim();
    let (mut pipes, mut code, mut escaped) = (0usize, false, false);
    for c in row.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => code = !code,
            '|' if !code => pipes += 1,
            _ => {}
        }
    }
    let outer = usize::from(row.starts_with('|'))
        + usize::from(row.ends_with('|') && !row.ends_with("\\|"));
    (pipes + 1).saturating_sub(outer)
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
    let mut offset = to_original(article, &map, view_offset);
    // A row that gained a cell: point at the `|` the translation added.
    let line_end = article.original()[offset..]
        .find('\n')
        .map_or(article.original().len(), |i| offset + i);
    if let Some((seg, at)) = article
        .segments()
        .iter()
        .filter(|s| s.source.is_some() && s.range.start >= offset && s.range.end <= line_end)
        .find_map(|s| {
            let target = article.target_of(s);
            let extra = cells(target) > cells(article.source_of(s).unwrap_or_default());
            extra.then(|| (s, target.find('|').unwrap_or(0)))
        })
    {
        offset = seg.target.start + at;
    }
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
    // The span segment each block starts, looked up per heading (not a walk over every
    // segment for each heading).
    let mut key_of: std::collections::HashMap<usize, String> = std::collections::HashMap::new();
    for s in article.segments().iter().filter(|s| s.source.is_some()) {
        if let Some(b) = s.block {
            key_of.entry(b).or_insert_with(|| s.key.to_string());
        }
    }
    let mut out = Vec::new();
    for (id, b) in article.blocks().iter().enumerate() {
        let BlockKind::Heading {
            anchor: Some(anchor),
            ..
        } = &b.kind
        else {
            continue;
        };
        let key = key_of.get(&id).cloned();
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

/// Heading anchors across the members of a set. Span articles are compared heading by
/// heading (by segment key): where the anchors differ, the one made from the English
/// heading (`Done` → `done`) is right, else the first span member's; plain articles are
/// compared by position when they have as many headings as the first span member.
pub(super) fn anchors_of_set(set: &ArticleSet, articles: &[&Article], sinks: &mut [Sink]) {
    if articles.len() < 2 {
        return;
    }
    let reference = super::reference(articles);
    let all: Vec<Vec<Anchor>> = articles.iter().map(|a| anchors(a)).collect();
    // Keyed: key → (member, anchor index) for every span member.
    let mut by_key: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (m, list) in all.iter().enumerate() {
        if articles[m].form() != ArticleForm::Bilingual {
            continue;
        }
        for (i, a) in list.iter().enumerate() {
            if let Some(k) = &a.key {
                by_key.entry(k).or_default().push((m, i));
            }
        }
    }
    for sides in by_key.values() {
        let first = &all[sides[0].0][sides[0].1].anchor;
        if sides.iter().all(|&(m, i)| &all[m][i].anchor == first) {
            continue;
        }
        let from_english = sides.iter().find(|&&(m, i)| {
            let a = &all[m][i];
            english_slug(articles[m], a).as_deref() == Some(a.anchor.as_str())
        });
        let (right_m, right_i) = from_english
            .or_else(|| sides.iter().find(|(m, _)| *m == reference))
            .copied()
            .unwrap_or(sides[0]);
        let right = &all[right_m][right_i].anchor;
        let why = if from_english.is_some() {
            " (made from the English heading)"
        } else {
            ""
        };
        for &(m, i) in sides {
            let a = &all[m][i];
            if &a.anchor != right {
                sinks[m].at(
                    CheckId::AnchorMismatch,
                    a.at,
                    a.key.clone(),
                    format!(
                        "this heading's anchor is \"{}\"; in {} it is \"{right}\"{why}",
                        a.anchor, set.members[right_m].locale
                    ),
                );
            }
        }
    }
    let base = &all[reference];
    for (m, list) in all.iter().enumerate() {
        if m == reference
            || articles[m].form() == ArticleForm::Bilingual
            || list.len() != base.len()
        {
            continue;
        }
        for (a, theirs) in list.iter().zip(base) {
            if a.anchor != theirs.anchor {
                sinks[m].at(
                    CheckId::AnchorMismatch,
                    a.at,
                    None,
                    format!(
                        "this heading's anchor is \"{}\"; in {} it is \"{}\"",
                        a.anchor, set.members[reference].locale, theirs.anchor
                    ),
                );
            }
        }
    }
}

/// The anchor the heading's English would give (`Troubleshoot sync` → `troubleshoot-sync`).
fn english_slug(article: &Article, anchor: &Anchor) -> Option<String> {
    let key = anchor.key.as_deref()?;
    let segment = article
        .segments()
        .iter()
        .find(|s| s.source.is_some() && s.key.to_string() == key)?;
    let english = crate::article::markdown_to_text(article.source_of(segment)?);
    Some(crate::render::slug(&english))
}
