//! Markdown blocks with source offsets, read with pulldown-cmark.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// Index of a block in [`super::Article::blocks`].
pub type BlockId = usize;

/// The kind of a `> [!NOTE]`-style alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    /// `[!NOTE]`
    Note,
    /// `[!TIP]`
    Tip,
    /// `[!IMPORTANT]`
    Important,
    /// `[!WARNING]`
    Warning,
    /// `[!CAUTION]`
    Caution,
}

/// What a block is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BlockKind {
    /// The YAML front matter (not Markdown, but pairs can sit in it when the YAML was
    /// translated as prose).
    FrontMatter,
    /// An ATX or setext heading.
    Heading {
        /// 1 to 6.
        level: u8,
        /// The `<a name="…">` anchor before the heading text, the section's stable id.
        anchor: Option<String>,
    },
    /// A paragraph (or the text of a tight list item).
    Paragraph {
        /// The text of a tight list item, which CommonMark does not wrap in a paragraph.
        tight: bool,
    },
    /// A list.
    List {
        /// Numbered.
        ordered: bool,
    },
    /// An item of a list.
    ListItem {
        /// 1-based position in each enclosing list, outermost first: `[2, 1]` is the first
        /// item of the list nested in the second item (at most `MAX_ITEM_PATH` (16) levels,
        /// the innermost).
        path: Vec<u32>,
    },
    /// A GFM table.
    Table,
    /// A cell of a table.
    TableCell {
        /// 0 for the header row.
        row: u32,
        /// 1-based.
        column: u32,
    },
    /// A block quote that is not an alert.
    BlockQuote,
    /// A `> [!NOTE]`-style alert.
    Alert {
        /// Which kind.
        alert: AlertKind,
    },
    /// A code block.
    CodeBlock {
        /// Fenced (else indented).
        fenced: bool,
        /// The fence's info string (the language).
        info: String,
    },
    /// A raw HTML block: Markdown inside it is not parsed.
    Html,
    /// A thematic break.
    Rule,
    /// A footnote's definition.
    FootnoteDefinition,
}

impl BlockKind {
    /// A short name for listings: `heading`, `list-item`, …
    pub fn name(&self) -> &'static str {
        match self {
            BlockKind::FrontMatter => "front-matter",
            BlockKind::Heading { .. } => "heading",
            BlockKind::Paragraph { .. } => "paragraph",
            BlockKind::List { .. } => "list",
            BlockKind::ListItem { .. } => "list-item",
            BlockKind::Table => "table",
            BlockKind::TableCell { .. } => "table-cell",
            BlockKind::BlockQuote => "block-quote",
            BlockKind::Alert { .. } => "alert",
            BlockKind::CodeBlock { .. } => "code-block",
            BlockKind::Html => "html",
            BlockKind::Rule => "rule",
            BlockKind::FootnoteDefinition => "footnote-definition",
        }
    }

    /// Blocks whose inline text is a unit of translation (a structural segment).
    pub fn holds_text(&self) -> bool {
        matches!(
            self,
            BlockKind::Heading { .. } | BlockKind::Paragraph { .. } | BlockKind::TableCell { .. }
        )
    }

    /// The letter this kind contributes to a structural key.
    fn letter(&self) -> &'static str {
        match self {
            BlockKind::FrontMatter => "f",
            BlockKind::Heading { .. } => "h",
            BlockKind::Paragraph { .. } => "p",
            BlockKind::List { .. } => "l",
            BlockKind::ListItem { .. } => "i",
            BlockKind::Table => "t",
            BlockKind::TableCell { .. } => "c",
            BlockKind::BlockQuote => "q",
            BlockKind::Alert { .. } => "a",
            BlockKind::CodeBlock { .. } => "k",
            BlockKind::Html => "x",
            BlockKind::Rule => "r",
            BlockKind::FootnoteDefinition => "n",
        }
    }
}

/// A block before positions are attached: kind, byte range, parent, and the range of its
/// own inline content (for leaf blocks).
#[derive(Debug, Clone)]
pub(crate) struct RawBlock {
    pub kind: BlockKind,
    pub range: Range<usize>,
    pub parent: Option<BlockId>,
    pub inline: Option<Range<usize>>,
}

/// Inline markup that can cross a segment boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InlineMarkup {
    Emphasis,
    Strong,
    Strikethrough,
    Link,
    Image,
}

impl InlineMarkup {
    pub fn name(self) -> &'static str {
        match self {
            InlineMarkup::Emphasis => "emphasis",
            InlineMarkup::Strong => "bold",
            InlineMarkup::Strikethrough => "strikethrough",
            InlineMarkup::Link => "link",
            InlineMarkup::Image => "image",
        }
    }
}

pub(crate) struct Parsed {
    pub blocks: Vec<RawBlock>,
    pub markup: Vec<(InlineMarkup, Range<usize>)>,
}

/// How many enclosing lists a [`BlockKind::ListItem`] path names, innermost last. Real
/// articles nest three or four deep.
pub const MAX_ITEM_PATH: usize = 16;

/// The Markdown dialect of the content: GFM tables, strikethrough and alerts.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_FOOTNOTES
}

/// Parses the body `text[body]` into blocks in document order (parents before children),
/// appended to `blocks`. Offsets are into `text`.
pub(crate) fn parse_blocks(text: &str, body: Range<usize>, blocks: Vec<RawBlock>) -> Parsed {
    let base = body.start;
    let src = &text[body];
    let mut p = BlockParser {
        blocks,
        stack: Vec::new(),
        list_counters: Vec::new(),
        table_row: 0,
        table_col: 0,
        markup: Vec::new(),
        implicit: None,
    };
    for (event, r) in Parser::new_ext(src, options()).into_offset_iter() {
        let range = base + r.start..base + r.end;
        let is_block_event = match &event {
            Event::Start(tag) => is_block_start(tag),
            Event::End(end) => is_block_end(end),
            Event::Rule => true,
            _ => false,
        };
        if !is_block_event {
            p.inline(&event, range);
            continue;
        }
        p.close_implicit();
        match event {
            Event::Start(tag) => p.start(&tag, &src[r], range),
            Event::End(end) => p.end(end),
            Event::Rule => {
                let parent = p.stack.last().copied();
                p.blocks.push(RawBlock {
                    kind: BlockKind::Rule,
                    range,
                    parent,
                    inline: None,
                });
            }
            _ => {}
        }
    }
    Parsed {
        blocks: p.blocks,
        markup: p.markup,
    }
}

/// The blocks found so far, the ones open, and the counters of lists and tables.
struct BlockParser {
    blocks: Vec<RawBlock>,
    stack: Vec<BlockId>,
    /// Counters of the open lists, for item paths.
    list_counters: Vec<u32>,
    table_row: u32,
    table_col: u32,
    markup: Vec<(InlineMarkup, Range<usize>)>,
    /// The paragraph opened for a tight list item's text, until a block event closes it.
    implicit: Option<BlockId>,
}

impl BlockParser {
    fn close_implicit(&mut self) {
        if let Some(id) = self.implicit.take() {
            debug_assert_eq!(self.stack.last(), Some(&id));
            self.stack.pop();
        }
    }

    /// Inline content: attributed to the innermost block (an implicit paragraph opened in
    /// a tight list item), and its emphasis, links and images noted.
    fn inline(&mut self, event: &Event, range: Range<usize>) {
        let owner = match self.stack.last().copied() {
            Some(id) if matches!(self.blocks[id].kind, BlockKind::ListItem { .. }) => {
                let id_new = self.blocks.len();
                self.blocks.push(RawBlock {
                    kind: BlockKind::Paragraph { tight: true },
                    range: range.clone(),
                    parent: Some(id),
                    inline: None,
                });
                self.stack.push(id_new);
                self.implicit = Some(id_new);
                Some(id_new)
            }
            other => other,
        };
        if let Some(id) = owner {
            let b = &mut self.blocks[id];
            b.inline = Some(match b.inline.take() {
                Some(i) => i.start.min(range.start)..i.end.max(range.end),
                None => range.clone(),
            });
            if self.implicit == Some(id) {
                b.range.end = b.range.end.max(range.end);
            }
        }
        if let Event::Start(tag) = event {
            let kind = match tag {
                Tag::Emphasis => Some(InlineMarkup::Emphasis),
                Tag::Strong => Some(InlineMarkup::Strong),
                Tag::Strikethrough => Some(InlineMarkup::Strikethrough),
                Tag::Link { .. } => Some(InlineMarkup::Link),
                Tag::Image { .. } => Some(InlineMarkup::Image),
                _ => None,
            };
            if let Some(kind) = kind {
                self.markup.push((kind, range));
            }
        }
    }

    /// A block opens: the counters move first, then the block (if the model has it) is
    /// pushed with its item path or cell coordinates.
    fn start(&mut self, tag: &Tag, source: &str, range: Range<usize>) {
        match tag {
            Tag::List(_) => self.list_counters.push(0),
            Tag::Item => {
                if let Some(c) = self.list_counters.last_mut() {
                    *c += 1;
                }
            }
            Tag::Table(_) => self.table_row = 0,
            Tag::TableHead => self.table_col = 0,
            Tag::TableRow => {
                self.table_row += 1;
                self.table_col = 0;
            }
            Tag::TableCell => self.table_col += 1,
            _ => {}
        }
        let kind = block_kind_of(
            tag,
            source,
            &self.list_counters,
            self.table_row,
            self.table_col,
        );
        if let Some(kind) = kind {
            let id = self.blocks.len();
            self.blocks.push(RawBlock {
                kind,
                range,
                parent: self.stack.last().copied(),
                inline: None,
            });
            self.stack.push(id);
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::List(_) => {
                self.list_counters.pop();
            }
            // Block-level, but not blocks of the model: nothing was pushed.
            TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => return,
            _ => {}
        }
        self.stack.pop();
    }
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_)
    )
}

fn is_block_start(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
    )
}

/// The block of the model a start tag opens; `None` for inline tags and for block-level
/// containers the model does not keep (table heads and rows).
fn block_kind_of(
    tag: &Tag,
    source: &str,
    list_counters: &[u32],
    row: u32,
    column: u32,
) -> Option<BlockKind> {
    Some(match tag {
        Tag::Paragraph => BlockKind::Paragraph { tight: false },
        Tag::Heading { level, .. } => BlockKind::Heading {
            level: *level as u8,
            anchor: heading_anchor(source),
        },
        Tag::BlockQuote(kind) => match kind {
            None => BlockKind::BlockQuote,
            Some(k) => BlockKind::Alert {
                alert: match k {
                    BlockQuoteKind::Note => AlertKind::Note,
                    BlockQuoteKind::Tip => AlertKind::Tip,
                    BlockQuoteKind::Important => AlertKind::Important,
                    BlockQuoteKind::Warning => AlertKind::Warning,
                    BlockQuoteKind::Caution => AlertKind::Caution,
                },
            },
        },
        Tag::CodeBlock(kind) => match kind {
            CodeBlockKind::Indented => BlockKind::CodeBlock {
                fenced: false,
                info: String::new(),
            },
            CodeBlockKind::Fenced(info) => BlockKind::CodeBlock {
                fenced: true,
                info: info.to_string(),
            },
        },
        Tag::HtmlBlock => BlockKind::Html,
        Tag::List(start) => BlockKind::List {
            ordered: start.is_some(),
        },
        // The innermost levels only: a path per item of every enclosing list made 10,000
        // nested lists (a 20 KB file) cost 200 MB.
        Tag::Item => BlockKind::ListItem {
            path: list_counters[list_counters.len().saturating_sub(MAX_ITEM_PATH)..].to_vec(),
        },
        Tag::FootnoteDefinition(_) => BlockKind::FootnoteDefinition,
        Tag::Table(_) => BlockKind::Table,
        Tag::TableCell => BlockKind::TableCell { row, column },
        _ => return None,
    })
}

/// The `<a name="X">` (or `id="X"`) anchor at the start of a heading's source.
pub(crate) fn heading_anchor(heading: &str) -> Option<String> {
    let at = heading.find("<a ")?;
    // Only an anchor before the text counts, not a link somewhere in the heading.
    if heading[..at].trim_start_matches(['#', ' ', '\t']).trim() != "" {
        return None;
    }
    let tag_end = heading[at..].find('>')? + at;
    let tag = &heading[at..tag_end];
    for attr in ["name=", "id="] {
        if let Some(p) = tag.find(attr) {
            let rest = &tag[p + attr.len()..];
            let rest = rest
                .strip_prefix("&quot;")
                .or_else(|| rest.strip_prefix(['"', '\'']))
                .unwrap_or(rest);
            let end = rest.find(['"', '\'', '&', ' ', '>']).unwrap_or(rest.len());
            if end > 0 {
                return Some(rest[..end].to_owned());
            }
        }
    }
    None
}

/// Structural keys for the text-holding blocks, for articles without span ids: the section
/// (anchor of the heading above, or `s<n>`), then the path of blocks from the section down,
/// each as a letter and its position among siblings of the same kind. Editing a block's
/// text changes no key; inserting a block shifts only later siblings of the same kind in
/// the same container.
pub(crate) fn structural_keys(blocks: &[RawBlock]) -> Vec<Option<String>> {
    let mut ordinal = vec![0u32; blocks.len()];
    let mut counters: HashMap<(Option<BlockId>, &'static str), u32> = HashMap::new();
    let mut section_of = vec![String::new(); blocks.len()];
    let mut section = "top".to_owned();
    let mut headings = 0;
    for (id, b) in blocks.iter().enumerate() {
        if b.kind == BlockKind::FrontMatter {
            continue;
        }
        if let (BlockKind::Heading { anchor, .. }, None) = (&b.kind, b.parent) {
            headings += 1;
            section = anchor.clone().unwrap_or_else(|| format!("s{headings}"));
            counters.retain(|(parent, _), _| parent.is_some());
        }
        section_of[id] = section.clone();
        let n = counters.entry((b.parent, b.kind.letter())).or_insert(0);
        *n += 1;
        ordinal[id] = *n;
    }
    blocks
        .iter()
        .enumerate()
        .map(|(id, b)| {
            if !b.kind.holds_text() || b.inline.is_none() {
                return None;
            }
            if matches!(b.kind, BlockKind::Heading { .. }) && b.parent.is_none() {
                return Some(format!("{}/h", section_of[id]));
            }
            let mut path = Vec::new();
            let mut cur = Some(id);
            while let Some(c) = cur {
                let part = match &blocks[c].kind {
                    BlockKind::TableCell { row, column } => format!("r{row}.c{column}"),
                    kind => format!("{}{}", kind.letter(), ordinal[c]),
                };
                path.push(part);
                cur = blocks[c].parent;
            }
            path.reverse();
            Some(format!("{}/{}", section_of[id], path.join(".")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, String)> {
        parse_blocks(text, 0..text.len(), Vec::new())
            .blocks
            .iter()
            .map(|b| {
                (
                    b.kind.name().to_owned(),
                    text[b.range.clone()].trim_end().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn tight_items_get_implicit_paragraphs() {
        let text = "- a\n  - b\n- c\n";
        let k = kinds(text);
        let names: Vec<_> = k.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "list",
                "list-item",
                "paragraph",
                "list",
                "list-item",
                "paragraph",
                "list-item",
                "paragraph"
            ]
        );
        assert_eq!(k[2].1, "a");
        let parsed = parse_blocks(text, 0..text.len(), Vec::new());
        assert_eq!(
            parsed.blocks[4].kind,
            BlockKind::ListItem { path: vec![1, 1] }
        );
        assert_eq!(parsed.blocks[6].kind, BlockKind::ListItem { path: vec![2] });
    }

    #[test]
    fn headings_alerts_tables_code_html() {
        let text = "# <a name=\"x-y\"></a>Title\n\n> [!NOTE]\n> Careful\n\n| a | b |\n|---|---|\n| c | d |\n\n```ps\nGet-X\n```\n\n<table>\n<tr><td>z</td></tr>\n</table>\n";
        let parsed = parse_blocks(text, 0..text.len(), Vec::new());
        let b = &parsed.blocks;
        assert_eq!(
            b[0].kind,
            BlockKind::Heading {
                level: 1,
                anchor: Some("x-y".into())
            }
        );
        assert_eq!(
            b[1].kind,
            BlockKind::Alert {
                alert: AlertKind::Note
            }
        );
        assert!(
            b.iter()
                .any(|b| b.kind == BlockKind::TableCell { row: 1, column: 2 })
        );
        assert!(b.iter().any(|b| b.kind
            == BlockKind::CodeBlock {
                fenced: true,
                info: "ps".into()
            }));
        assert!(b.iter().any(|b| b.kind == BlockKind::Html));
    }

    #[test]
    fn structural_keys_are_stable_under_unrelated_inserts() {
        let a = "# <a name=\"one\"></a>One\n\nP1\n\n- x\n- y\n\n# Two\n\nP2\n";
        let b =
            "# <a name=\"one\"></a>One\n\nNew paragraph\n\nP1 edited\n\n- x\n- y\n\n# Two\n\nP2\n";
        let keys = |t: &str| {
            let parsed = parse_blocks(t, 0..t.len(), Vec::new());
            structural_keys(&parsed.blocks)
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(a),
            [
                "one/h",
                "one/p1",
                "one/l1.i1.p1",
                "one/l1.i2.p1",
                "s2/h",
                "s2/p1"
            ]
        );
        let kb = keys(b);
        assert!(kb.contains(&"one/l1.i2.p1".to_owned()) && kb.contains(&"s2/p1".to_owned()));
    }
}
