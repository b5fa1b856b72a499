//! The article model: one localized Markdown file, read losslessly.
//!
//! An [`Article`] keeps the exact original text and describes it with byte ranges: the
//! front matter, a tree of Markdown [`Block`]s, and the translation [`Segment`]s. Views
//! ([`Article::target_markdown`], [`Article::source_markdown`], [`Article::plain_text`])
//! are derived on demand; [`Article::emit`] rebuilds the original from the model.
//!
//! Parsing never fails: content problems become [`Diagnostic`]s beside the result.
//!
//! ```
//! use remedy::article::Article;
//! let text = "---\nms.contentlocale: nb-NO\n---\n# <span data-ttu-id=\"ab12c-102\">Hei</span><span class=\"sxs-lookup\"><span data-stu-id=\"ab12c-102\">Hello</span></span>\n";
//! let article = Article::parse("nb-NO/hello.md", text);
//! assert_eq!(article.locale().unwrap().to_string(), "nb-NO");
//! let segment = &article.segments()[0];
//! assert_eq!(segment.key.to_string(), "102");
//! assert_eq!(article.target_of(segment), "Hei");
//! assert_eq!(article.source_of(segment), Some("Hello"));
//! assert_eq!(article.emit(), text);
//! assert!(article.target_markdown().ends_with("# Hei\n"));
//! ```

mod diagnostic;
mod front_matter;
pub mod inline;
mod markdown;
mod source_map;
mod spans;
mod views;

pub use views::{Original, View, markdown_to_text};

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use front_matter::{AssetId, Entry, FrontMatter, TranslationType, YamlValue};
/// The two front matter readers, for the corpus-wide test that holds the fast one to the
/// full YAML parser; not an interface.
#[doc(hidden)]
pub use front_matter::{parse_full, parse_simple};
pub use markdown::{AlertKind, BlockId, BlockKind};
pub(crate) use markdown::{heading_anchor, options};
pub use source_map::{LineIndex, Position};
pub use spans::{Handoff, Pair, Scan, SegmentKey, SpanId, SpanProblem, scan};

use crate::locale::Locale;
use markdown::RawBlock;

/// A Markdown block of the article.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// What kind of block, with its level, column or language.
    #[serde(flatten)]
    pub kind: BlockKind,
    /// Its bytes in the file.
    #[serde(skip)]
    pub range: Range<usize>,
    /// The block it is in (a list item in a list, a paragraph in a quote).
    pub parent: Option<BlockId>,
    /// Line and column of its start.
    #[serde(flatten)]
    pub position: Position,
}

/// One unit of translation: a span pair (target and English source), or for articles
/// without spans a text-holding block (its text is the target; there is no source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Its key: the span id's number, or a structural key.
    pub key: SegmentKey,
    /// The hand-off prefix of the span id; `None` for structural segments.
    pub handoff: Option<Handoff>,
    /// The whole pair with its tags, or the block's inline content.
    pub range: Range<usize>,
    /// The target (translated) Markdown.
    pub target: Range<usize>,
    /// The English source Markdown; `None` for structural segments.
    pub source: Option<Range<usize>>,
    /// Line and column of its start.
    pub position: Position,
    /// The innermost block the segment starts in; `None` for text no block holds (a
    /// link reference definition).
    pub block: Option<BlockId>,
}

/// Whether the article carries bilingual spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleForm {
    /// `data-ttu-id` / `sxs-lookup` pairs; the English source is known.
    Bilingual,
    /// A plain translation; segments come from the block structure.
    Plain,
}

/// One localized article, parsed.
#[derive(Debug, Clone)]
pub struct Article {
    path: PathBuf,
    text: String,
    locale: Option<Locale>,
    front_matter: Option<FrontMatter>,
    blocks: Vec<Block>,
    segments: Vec<Segment>,
    diagnostics: Vec<Diagnostic>,
    form: ArticleForm,
    /// Number of `data-ttu-id=` occurrences in the text.
    span_attributes: usize,
}

impl Article {
    /// Parses `text`, read from `path` (used for the locale fallback and in messages).
    pub fn parse(path: impl Into<PathBuf>, text: impl Into<String>) -> Article {
        let path = path.into();
        let text = text.into();
        // The builder borrows the text; the article takes ownership once it is described.
        let mut article = Builder::new(&text).build(path);
        article.text = text;
        article
    }

    /// The path it was read from, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The exact original text.
    pub fn original(&self) -> &str {
        &self.text
    }

    /// The content locale: `ms.contentlocale`, else a `ll-RR` folder in the path.
    pub fn locale(&self) -> Option<&Locale> {
        self.locale.as_ref()
    }

    /// The front matter, when the file opens with one that reads.
    pub fn front_matter(&self) -> Option<&FrontMatter> {
        self.front_matter.as_ref()
    }

    /// The front matter's `title`.
    pub fn title(&self) -> Option<&str> {
        self.front_matter.as_ref()?.title.as_deref()
    }

    /// `ms.translationtype: MT`: the text is machine translated.
    pub fn machine_translated(&self) -> bool {
        matches!(
            self.front_matter
                .as_ref()
                .and_then(|fm| fm.translation_type.as_ref()),
            Some(TranslationType::Machine)
        )
    }

    /// `ms.assetid`, when it is a valid one.
    pub fn asset_id(&self) -> Option<AssetId> {
        self.front_matter.as_ref()?.asset_id
    }

    /// The Markdown blocks, in document order.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The translation segments, in document order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// What the parser noticed, in document order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Bilingual (span pairs) or plain.
    pub fn form(&self) -> ArticleForm {
        self.form
    }

    /// How many `data-ttu-id=` attributes the text contains. Each is a segment or a
    /// broken pair: `span_attributes() == segments().len() + broken_pairs()` for
    /// bilingual articles.
    pub fn span_attributes(&self) -> usize {
        self.span_attributes
    }

    /// `data-ttu-id` occurrences that did not become segments (each has a diagnostic).
    pub fn broken_pairs(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.kind.is_broken_pair())
            .count()
    }

    /// The target Markdown of a segment.
    pub fn target_of(&self, segment: &Segment) -> &str {
        &self.text[segment.target.clone()]
    }

    /// The English source Markdown of a segment, if it has one.
    pub fn source_of(&self, segment: &Segment) -> Option<&str> {
        segment.source.clone().map(|r| &self.text[r])
    }

    /// The block a segment sits in.
    pub fn block_of(&self, segment: &Segment) -> Option<&Block> {
        segment.block.map(|b| &self.blocks[b])
    }

    /// The original text rebuilt from the model: the text between pairs, then each pair's
    /// tags, target and source, in order. Equal to [`Article::original`] for every input;
    /// the corpus tests and a property test hold the parser to it.
    pub fn emit(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for s in self.segments.iter().filter(|s| s.source.is_some()) {
            let source = s.source.clone().unwrap_or_default();
            for piece in [
                at..s.range.start,
                s.range.start..s.target.start,
                s.target.clone(),
                s.target.end..source.start,
                source.clone(),
                source.end..s.range.end,
            ] {
                out.push_str(&self.text[piece]);
            }
            at = s.range.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

/// Builds an [`Article`]; holds what the stages share.
struct Builder<'t> {
    text: &'t str,
    lines: LineIndex,
    diagnostics: Vec<Diagnostic>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            lines: LineIndex::new(text),
            diagnostics: Vec::new(),
        }
    }

    fn diag(&mut self, kind: DiagnosticKind, offset: usize, message: impl Into<String>) {
        let position = self.lines.position(self.text, offset);
        self.diagnostics
            .push(Diagnostic::new(kind, offset, position, message));
    }

    fn build(mut self, path: PathBuf) -> Article {
        let text = self.text;
        let mut raw_blocks = Vec::new();
        let (front_matter, body_start) = self.front_matter(&mut raw_blocks);
        let parsed = markdown::parse_blocks(text, body_start..text.len(), raw_blocks);
        let scan = spans::scan(text);
        let span_attributes = scan.attributes;
        for p in scan.problems {
            self.diag(p.kind, p.offset, p.message);
        }

        let form = if scan.pairs.is_empty() && span_attributes == 0 {
            ArticleForm::Plain
        } else {
            ArticleForm::Bilingual
        };
        let segments = self.segments(form, scan.pairs, &parsed.blocks);
        if form == ArticleForm::Bilingual {
            self.check_crossing_markup(&parsed.markup, &segments);
        }
        let mut cursor = self.lines.cursor(text);
        let blocks = parsed
            .blocks
            .into_iter()
            .map(|b| Block {
                position: cursor.position(b.range.start),
                kind: b.kind,
                range: b.range,
                parent: b.parent,
            })
            .collect();

        let locale = front_matter
            .as_ref()
            .and_then(|fm| fm.content_locale.clone())
            .or_else(|| locale_from_path(&path));
        self.diagnostics.sort_by_key(|d| d.offset);
        Article {
            path,
            locale,
            front_matter,
            blocks,
            segments,
            diagnostics: self.diagnostics,
            form,
            span_attributes,
            text: String::new(),
        }
    }

    /// The front matter, if the text opens with a closed `---` block (added to
    /// `raw_blocks`), and where the body starts.
    fn front_matter(&mut self, raw_blocks: &mut Vec<RawBlock>) -> (Option<FrontMatter>, usize) {
        let text = self.text;
        match front_matter::delimit(text) {
            front_matter::Delimited::Block { range, yaml } => {
                let mut problems = Vec::new();
                let fm = FrontMatter::parse(text, range.clone(), yaml, &mut problems);
                for p in problems {
                    self.diag(p.kind, p.offset, p.message);
                }
                raw_blocks.push(RawBlock {
                    kind: BlockKind::FrontMatter,
                    range: range.clone(),
                    parent: None,
                    inline: None,
                });
                (Some(fm), range.end)
            }
            front_matter::Delimited::None => {
                self.diag(
                    DiagnosticKind::NoFrontMatter,
                    0,
                    "no `---` front matter; the article has no metadata",
                );
                (None, 0)
            }
            front_matter::Delimited::Unclosed => {
                self.diag(
                    DiagnosticKind::FrontMatterUnclosed,
                    0,
                    "front matter opened with `---` is never closed; read as Markdown",
                );
                (None, 0)
            }
        }
    }

    /// The segments: a bilingual article's span pairs, or a plain article's blocks with
    /// inline content and a structural key.
    fn segments(&self, form: ArticleForm, pairs: Vec<Pair>, blocks: &[RawBlock]) -> Vec<Segment> {
        let mut cursor = self.lines.cursor(self.text);
        match form {
            ArticleForm::Bilingual => pairs
                .into_iter()
                .map(|p| Segment {
                    key: p.id.key,
                    handoff: Some(p.id.handoff),
                    position: cursor.position(p.range.start),
                    block: innermost_block(blocks, p.range.start),
                    range: p.range,
                    target: p.target,
                    source: Some(p.source),
                })
                .collect(),
            ArticleForm::Plain => markdown::structural_keys(blocks)
                .into_iter()
                .enumerate()
                .filter_map(|(id, key)| {
                    let inline = blocks[id].inline.clone()?;
                    Some(Segment {
                        key: SegmentKey::Structural(key?),
                        handoff: None,
                        position: cursor.position(inline.start),
                        block: Some(id),
                        range: inline.clone(),
                        target: inline,
                        source: None,
                    })
                })
                .collect(),
        }
    }

    /// Reports emphasis, links and images that open in one segment's text and close
    /// outside it: the Markdown of the bilingual file means something else than the
    /// Markdown of either language alone.
    fn check_crossing_markup(
        &mut self,
        markup: &[(markdown::InlineMarkup, Range<usize>)],
        segments: &[Segment],
    ) {
        // Which segment text (index, is-source) holds byte `x`, if any.
        let piece = |x: usize| -> Option<(usize, bool)> {
            let i = segments
                .partition_point(|s| s.range.start <= x)
                .checked_sub(1)?;
            let s = &segments[i];
            if s.target.contains(&x) {
                Some((i, false))
            } else if s.source.as_ref().is_some_and(|r| r.contains(&x)) {
                Some((i, true))
            } else {
                None
            }
        };
        for (kind, range) in markup {
            if range.is_empty() {
                continue;
            }
            let (a, b) = (piece(range.start), piece(range.end - 1));
            if a != b {
                let key = a
                    .or(b)
                    .map(|(i, _)| segments[i].key.to_string())
                    .unwrap_or_default();
                self.diag(
                    DiagnosticKind::MarkupCrossesSegment,
                    range.start,
                    format!(
                        "{} starting here ends outside the text of segment {key}; each language is read on its own",
                        kind.name()
                    ),
                );
            }
        }
    }
}

/// The innermost block containing byte `x`: the last block (in document order) that
/// starts at or before `x`, or the nearest of its ancestors that reaches `x`.
fn innermost_block(blocks: &[RawBlock], x: usize) -> Option<BlockId> {
    let mut id = blocks
        .partition_point(|b| b.range.start <= x)
        .checked_sub(1)?;
    loop {
        let b = &blocks[id];
        if b.range.contains(&x) {
            return Some(id);
        }
        id = b.parent?;
    }
}

fn locale_from_path(path: &Path) -> Option<Locale> {
    path.components()
        .filter_map(|c| c.as_os_str().to_str())
        .find_map(Locale::from_folder_name)
}

#[cfg(test)]
mod tests;
