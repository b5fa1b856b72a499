//! What `remedy inspect` reports: one article in detail, or totals over a content tree.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::article::{Article, ArticleForm, Block, Diagnostic, FrontMatter, Position};
use crate::content::{self, LoadError};
use crate::locale::Locale;

/// One article as `inspect --format json` prints it.
#[derive(Debug, Serialize)]
pub struct ArticleReport<'a> {
    /// The file, as named.
    pub path: String,
    /// Its locale (folder or `ms.contentlocale`).
    pub locale: Option<&'a Locale>,
    /// Bilingual (span pairs) or plain.
    pub form: ArticleForm,
    /// The front matter, when there is one.
    pub front_matter: Option<&'a FrontMatter>,
    /// The Markdown blocks, numbered.
    pub blocks: Vec<BlockReport<'a>>,
    /// The translation segments, in order.
    pub segments: Vec<SegmentReport<'a>>,
    /// What the parser noticed, with places.
    pub diagnostics: &'a [Diagnostic],
    /// `data-ttu-id=` occurrences: `segments + broken_pairs` for bilingual articles.
    pub span_attributes: usize,
    /// Span pairs that could not be read as pairs.
    pub broken_pairs: usize,
}

/// A block of the article, numbered for the segments to point at.
#[derive(Debug, Serialize)]
pub struct BlockReport<'a> {
    /// Its number, from 0 in document order.
    pub id: usize,
    /// The block.
    #[serde(flatten)]
    pub block: &'a Block,
}

/// A translation segment, with where it is and which block holds it.
#[derive(Debug, Serialize)]
pub struct SegmentReport<'a> {
    /// Its `data-ttu-id` (or structural) key.
    pub key: String,
    /// The hand-off prefix of its span id; `None` for a structural segment.
    pub handoff: Option<String>,
    /// Line and column of its start.
    #[serde(flatten)]
    pub position: Position,
    /// Byte range of the whole segment in the file.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// The block that holds it.
    pub block: Option<usize>,
    /// That block's kind.
    pub block_kind: Option<&'static str>,
    /// The translated Markdown.
    pub target: &'a str,
    /// The English Markdown, for a span pair.
    pub source: Option<&'a str>,
}

impl<'a> ArticleReport<'a> {
    /// The report of `article`.
    pub fn new(article: &'a Article) -> Self {
        ArticleReport {
            path: article.path().display().to_string(),
            locale: article.locale(),
            form: article.form(),
            front_matter: article.front_matter(),
            blocks: article
                .blocks()
                .iter()
                .enumerate()
                .map(|(id, block)| BlockReport { id, block })
                .collect(),
            segments: article
                .segments()
                .iter()
                .map(|s| SegmentReport {
                    key: s.key.to_string(),
                    handoff: s.handoff.as_ref().map(ToString::to_string),
                    position: s.position,
                    start: s.range.start,
                    end: s.range.end,
                    block: s.block,
                    block_kind: article.block_of(s).map(|b| b.kind.name()),
                    target: article.target_of(s),
                    source: article.source_of(s),
                })
                .collect(),
            diagnostics: article.diagnostics(),
            span_attributes: article.span_attributes(),
            broken_pairs: article.broken_pairs(),
        }
    }
}

/// Totals over a content tree, as `inspect --summary` prints them.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Articles read.
    pub articles: usize,
    /// Translation segments in them.
    pub segments: usize,
    /// Diagnostics per kind name.
    pub diagnostics: BTreeMap<&'static str, usize>,
    /// Articles with span pairs.
    pub bilingual: usize,
    /// Plain translations.
    pub plain: usize,
    /// Bytes read.
    pub bytes: u64,
    /// `data-ttu-id=` occurrences.
    pub span_attributes: usize,
    /// Span pairs that could not be read as pairs.
    pub broken_pairs: usize,
    /// Files that could not be read as articles (not UTF-8, I/O errors).
    pub unreadable: usize,
    /// Wall time.
    pub seconds: f64,
}

impl Summary {
    fn add(mut self, a: &Article) -> Self {
        self.articles += 1;
        self.segments += a.segments().len();
        match a.form() {
            ArticleForm::Bilingual => self.bilingual += 1,
            ArticleForm::Plain => self.plain += 1,
        }
        self.bytes += a.original().len() as u64;
        self.span_attributes += a.span_attributes();
        self.broken_pairs += a.broken_pairs();
        for d in a.diagnostics() {
            *self.diagnostics.entry(d.kind.name()).or_default() += 1;
        }
        self
    }

    fn merge(mut self, other: Summary) -> Self {
        self.articles += other.articles;
        self.segments += other.segments;
        self.bilingual += other.bilingual;
        self.plain += other.plain;
        self.bytes += other.bytes;
        self.span_attributes += other.span_attributes;
        self.broken_pairs += other.broken_pairs;
        for (k, v) in other.diagnostics {
            *self.diagnostics.entry(k).or_default() += v;
        }
        self
    }

    /// Reads every article under `root` in parallel and totals it.
    pub fn of_dir(root: &Path) -> (Summary, Vec<LoadError>) {
        let start = Instant::now();
        let (mut summary, errors) =
            content::fold_dir(root, Summary::default, Summary::add, Summary::merge);
        summary.unreadable = errors.len();
        summary.seconds = start.elapsed().as_secs_f64();
        (summary, errors)
    }
}

/// Every diagnostic under `root` (of one kind, if given) as `path:line:col: …` lines, in
/// path order.
pub fn diagnostics_of_dir(root: &Path, kind: Option<&str>) -> (Vec<String>, Vec<LoadError>) {
    let (mut lines, errors) = content::fold_dir(
        root,
        Vec::new,
        |mut acc: Vec<(String, usize, String)>, a| {
            let path = content::display_path(a.path());
            for d in a.diagnostics() {
                if kind.is_none_or(|k| k == d.kind.name()) {
                    acc.push((path.clone(), d.offset, format!("{path}:{d}")));
                }
            }
            acc
        },
        |mut a, b| {
            a.extend(b);
            a
        },
    );
    lines.sort();
    (lines.into_iter().map(|(_, _, l)| l).collect(), errors)
}
