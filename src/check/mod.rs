//! Translation quality checks: what the (mostly machine) translation broke, at
//! file:line:column, each finding under a stable check id with a severity.
//!
//! Span articles are checked segment by segment against their English: markup, numbers
//! and identifiers, untranslated prose, glossary terms, and the Markdown structure of the
//! whole translation against the English rebuilt from the spans. Plain translations have
//! no English beside them: they get the checks that need none (forbidden glossary forms,
//! empty link text). Across the locales of an article set come English drift and heading
//! anchors.
//!
//! ```
//! use remedy::article::Article;
//! use remedy::check::{CheckId, Glossary, check_article};
//! let pair = "<span data-ttu-id=\"ab12c-102\">Velg [](https://x) og kjør `Get-X`.</span><span class=\"sxs-lookup\"><span data-stu-id=\"ab12c-102\">Choose [Settings](https://x) and run `Get-X`.</span></span>\n";
//! let article = Article::parse("nb-NO/a.md", pair);
//! let found = check_article(&article, &Glossary::default());
//! assert_eq!(found[0].check, CheckId::EmptyLinkText);
//! assert_eq!((found[0].line, found[0].column), (1, 36));
//! ```

mod glossary;
mod html;
mod plain;
mod rules;
mod sarif;
mod structure;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use glossary::{Glossary, GlossaryError};
pub use html::html_report;
pub use sarif::sarif;

use crate::align::{ArticleSet, align_keyed, english_source};
use crate::article::{Article, ArticleForm, LineIndex};
use crate::content::LoadError;
use crate::locale::Locale;

/// How much a finding matters; the order is the order of `--fail-on`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; often right (markup reordered with the sentence).
    Note,
    /// Probably wrong; a reader may be misled.
    Warning,
    /// Wrong: a link, a command or a term a reader needs is lost or broken.
    Error,
}

impl Severity {
    /// The name in every output format (`note`, `warning`, `error`).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! checks {
    ($($variant:ident $name:literal $severity:ident $summary:literal $help:literal;)*) => {
        /// A check, by its stable id (the kebab-case name in every output format).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum CheckId { $(#[doc = $summary] $variant,)* }

        impl CheckId {
            /// Every check, in the order reports list them.
            pub const ALL: &'static [CheckId] = &[$(CheckId::$variant,)*];

            /// The stable id.
            pub fn name(self) -> &'static str {
                match self { $(CheckId::$variant => $name,)* }
            }

            /// The severity its findings get.
            pub fn severity(self) -> Severity {
                match self { $(CheckId::$variant => Severity::$severity,)* }
            }

            /// One line on what it finds.
            pub fn summary(self) -> &'static str {
                match self { $(CheckId::$variant => $summary,)* }
            }

            /// What it looks at and how to fix what it finds (Markdown).
            pub fn help(self) -> &'static str {
                match self { $(CheckId::$variant => $help,)* }
            }
        }
    };
}

checks! {
    SpanBroken "span-broken" Error
        "A span pair is broken or unpaired."
        "Each translated segment is a `data-ttu-id` span directly followed by its `sxs-lookup` English. A target without its English, an English without its target, mismatched ids or unclosed tags leave the segment out of search, alignment and export. Restore the pair as the hand-off wrote it.";
    MarkupCount "markup-count" Error
        "The translation lost or gained markup: a link, code, bold text, an image or an HTML tag."
        "The English and its translation must carry the same markup: the same links to the same addresses, the same inline code, the same number of bold UI labels, images and HTML tags. Machine translation drops, duplicates or rewrites them. Put back exactly the markup the English has.";
    MarkupNesting "markup-nesting" Error
        "Markup is nested differently than in the English (bold outside a link that held it, …)."
        "The same pieces of markup sit inside different elements than in the English, for example a bold label that was inside a link and now stands beside it. Nest them as the English does.";
    MarkupOrder "markup-order" Note
        "The markup comes in another order than in the English."
        "The same links, code and labels occur in another order. A translation may reorder a sentence, so this is a note: check that each link still covers the words it should.";
    MarkupEscape "markup-escape" Warning
        "A backslash escape of the English (`\\>`, `\\*`) is missing or added."
        "Escapes keep characters such as `>` or `*` from being read as Markdown. A missing escape can turn text into a quote or emphasis; an extra one shows a backslash. Escape what the English escapes.";
    EmptyLinkText "empty-link-text" Error
        "A link has no text (`[](url)`): readers cannot see or click it."
        "The translation emptied the text of a link, so the link disappears from the page. Translate the English link text into the brackets.";
    MarkdownStructure "markdown-structure" Error
        "The translation changes the Markdown structure: a list item, table cell or heading no longer parses as one."
        "The translated article, read as Markdown, has other blocks than the English rebuilt from the same spans: a table row with more cells (a `|` in the translation), a list item or heading that became a paragraph, a paragraph split in two. Fix the translated text so the block reads as in the English.";
    Numbers "numbers" Warning
        "Numbers differ between the English and the translation."
        "Every number of the English (counts, days, sizes, dates, ports) should appear in the translation; digits are compared, so `2.5` and `2,5` are the same. Written-out numbers in the translation are reported too: prefer digits where the English has them.";
    Identifiers "identifiers" Error
        "An error code, version, cmdlet, parameter or URL differs from the English."
        "Error codes (`0x80070005`, `AADSTS50126`), versions, PowerShell cmdlets and parameters, and addresses must be copied, never translated. Copy them from the English.";
    Untranslated "untranslated" Warning
        "The translation is the English text itself."
        "The target equals the English source although the source is prose (not a command, code or a product name). Translate it, or suppress the check for the file if the English is intended.";
    GlossaryForbidden "glossary-forbidden" Error
        "A glossary term appears in a form it must never take (a translated product name)."
        "The glossary names forms a term must never take in a locale, such as `Azure AD Koble til` for *Azure AD Connect* in Norwegian. Write the term as the glossary says.";
    GlossaryMissing "glossary-missing" Warning
        "The English uses a glossary term that the translation neither keeps nor translates as approved."
        "The English mentions a glossary term; the translation should keep it as is or use one of the glossary's approved forms for the locale.";
    EnglishDrift "english-drift" Warning
        "Another locale translated this segment from different English."
        "Two locales of one article carry different English for the same segment: one of them was translated from an older version of the source. Compare the English, then update the translation made from the older one.";
    AnchorMismatch "anchor-mismatch" Warning
        "A heading's anchor differs between the locales of one article."
        "Links into a section use its `<a name>` anchor, in every language. When one locale's heading has another anchor, those links land at the top of the page. Use the anchor the other locales use.";
}

impl std::str::FromStr for CheckId {
    type Err = String;
    fn from_str(s: &str) -> Result<CheckId, String> {
        CheckId::ALL
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown check {s:?}"))
    }
}

/// One thing a check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The check that found it.
    pub check: CheckId,
    /// How serious it is.
    pub severity: Severity,
    /// Relative to the content root, `/`-separated.
    pub path: String,
    /// From 1.
    pub line: u32,
    /// From 1, in characters.
    pub column: u32,
    /// The article's locale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// The segment key (`102`, `p101`) for findings in a span segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// What is wrong, for people.
    pub message: String,
    /// The anchor of the section the finding is in, for links into the article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// What one article contributes to the totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LocaleTotals {
    /// Articles checked.
    pub articles: usize,
    /// With span pairs (the English beside each segment).
    pub bilingual: usize,
    /// Marked `ms.translationtype: MT`.
    pub machine_translated: usize,
    /// Span segments.
    pub segments: usize,
    /// Span segments whose English another locale has differently.
    pub drifted_segments: usize,
    /// Findings, suppressed ones not counted.
    pub findings: usize,
}

impl LocaleTotals {
    fn add(&mut self, o: &LocaleTotals) {
        let LocaleTotals {
            articles,
            bilingual,
            machine_translated,
            segments,
            drifted_segments,
            findings,
        } = o;
        self.articles += articles;
        self.bilingual += bilingual;
        self.machine_translated += machine_translated;
        self.segments += segments;
        self.drifted_segments += drifted_segments;
        self.findings += findings;
    }
}

/// An article's English drift, for the report's chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleDrift {
    /// The article, relative to the content root.
    pub path: String,
    /// Its segments whose English another locale has differently.
    pub drifted: usize,
    /// Its span segments.
    pub segments: usize,
}

/// Everything `remedy check` found, and the totals around it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Every finding, by file and place.
    pub findings: Vec<Finding>,
    /// Findings switched off by the glossary or front matter.
    pub suppressed: usize,
    /// Totals by locale tag.
    pub locales: BTreeMap<String, LocaleTotals>,
    /// Findings per check id.
    pub by_check: BTreeMap<&'static str, usize>,
    /// Articles with drifted segments, most drifted first.
    pub drift: Vec<ArticleDrift>,
    /// Files that could not be read (reported on standard error as they are met).
    pub unreadable: usize,
    /// Article sets: the same article in any number of locales, counted once.
    pub sets: usize,
}

impl Report {
    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Checks every article under `root`, set by set, in parallel.
pub fn check_dir(root: &Path, glossary: &Glossary) -> (Report, Vec<LoadError>) {
    let (results, _problems, errors) = crate::align::map_sets(
        root,
        |_, _| true,
        |set, articles| check_set(set, articles, glossary),
    );
    let mut report = Report {
        unreadable: errors.len(),
        sets: results.len(),
        ..Report::default()
    };
    for r in results {
        report.findings.extend(r.findings);
        report.suppressed += r.suppressed;
        for (l, t) in r.locales {
            report.locales.entry(l).or_default().add(&t);
        }
        report.drift.extend(r.drift);
    }
    report
        .findings
        .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    for f in &report.findings {
        *report.by_check.entry(f.check.name()).or_default() += 1;
    }
    report
        .drift
        .sort_by(|a, b| b.drifted.cmp(&a.drifted).then_with(|| a.path.cmp(&b.path)));
    (report, errors)
}

/// The findings of one article on its own (no other locale to compare with), suppressions
/// applied.
pub fn check_article(article: &Article, glossary: &Glossary) -> Vec<Finding> {
    let mut sink = Sink::new(article);
    rules::article(article, glossary, &mut sink);
    let (findings, _) = sink.finish(glossary);
    findings
}

fn check_set(set: &ArticleSet, articles: &[&Article], glossary: &Glossary) -> Report {
    let mut sinks: Vec<Sink> = articles.iter().map(|a| Sink::new(a)).collect();
    for (a, sink) in articles.iter().zip(&mut sinks) {
        rules::article(a, glossary, sink);
    }
    let mut drifted = vec![std::collections::BTreeSet::new(); articles.len()];
    for x in 0..articles.len() {
        for y in x + 1..articles.len() {
            let (a, b) = (articles[x], articles[y]);
            if a.form() != ArticleForm::Bilingual || b.form() != ArticleForm::Bilingual {
                continue;
            }
            for link in align_keyed(a, b).links {
                let Some(drift) = &link.drift else { continue };
                if link.class != crate::align::LinkClass::EnglishChanged {
                    continue;
                }
                let (la, lb) = (&set.members[x].locale, &set.members[y].locale);
                // Each side is told how the other side's English differs from its own.
                let english = |art: &Article, segs: &[usize]| {
                    segs.iter()
                        .filter_map(|&i| art.source_of(&art.segments()[i]))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let (ea, eb) = (english(a, &link.a), english(b, &link.b));
                let reverse = crate::align::Drift::between(&eb, &ea);
                for (side, segs, other, d) in [(x, &link.a, lb, drift), (y, &link.b, la, &reverse)]
                {
                    let Some(&i) = segs.first() else { continue };
                    drifted[side].extend(segs.iter().copied());
                    let seg = &articles[side].segments()[i];
                    sinks[side].at_segment(
                        CheckId::EnglishDrift,
                        seg,
                        0,
                        format!(
                            "the {other} translation of this segment was made from other English (similarity {:.0} %): {}",
                            d.similarity * 100.0,
                            d.marked()
                        ),
                    );
                }
            }
        }
    }
    structure::anchors_of_set(set, articles, &mut sinks);
    plain::against_partner(set, articles, &mut sinks);

    let english = english_source(set, articles);
    let mut report = Report::default();
    for (i, (a, sink)) in articles.iter().zip(sinks).enumerate() {
        let locale = set.members[i].locale.to_string();
        let (findings, suppressed) = sink.finish(glossary);
        let t = report.locales.entry(locale).or_default();
        t.articles += 1;
        if a.form() == ArticleForm::Bilingual {
            t.bilingual += 1;
        }
        if a.machine_translated() {
            t.machine_translated += 1;
        }
        let segments = a.segments().iter().filter(|s| s.source.is_some()).count();
        t.segments += segments;
        t.drifted_segments += drifted[i].len();
        t.findings += findings.len();
        if !drifted[i].is_empty() && english.as_ref() != Some(&set.members[i].locale) {
            report.drift.push(ArticleDrift {
                path: crate::content::slash_path(a.path()),
                drifted: drifted[i].len(),
                segments,
            });
        }
        report.findings.extend(findings);
        report.suppressed += suppressed;
    }
    report
}

/// The member of a set the others are compared with: the first with spans (its English is
/// known), else the first.
fn reference(articles: &[&Article]) -> usize {
    articles
        .iter()
        .position(|a| a.form() == ArticleForm::Bilingual)
        .unwrap_or(0)
}

/// Collects one article's findings with their positions.
pub(crate) struct Sink<'a> {
    article: &'a Article,
    lines: LineIndex,
    /// Heading starts and anchors: a finding's section by binary search (an article of
    /// 100,000 findings must not walk its blocks for each).
    sections: Vec<(usize, Option<String>)>,
    path: String,
    findings: Vec<Finding>,
}

impl<'a> Sink<'a> {
    fn new(article: &'a Article) -> Sink<'a> {
        Sink {
            article,
            lines: LineIndex::new(article.original()),
            sections: sections(article),
            path: crate::content::slash_path(article.path()),
            findings: Vec::new(),
        }
    }

    /// A finding at byte `offset` of the article's text.
    pub(crate) fn at(
        &mut self,
        check: CheckId,
        offset: usize,
        segment: Option<String>,
        message: String,
    ) {
        let position = self.lines.position(self.article.original(), offset);
        self.findings.push(Finding {
            check,
            severity: check.severity(),
            path: self.path.clone(),
            line: position.line,
            column: position.column,
            locale: self.article.locale().cloned(),
            segment,
            message,
            section: {
                let i = self.sections.partition_point(|(start, _)| *start <= offset);
                i.checked_sub(1).and_then(|i| self.sections[i].1.clone())
            },
        });
    }

    /// A finding `offset` bytes into a segment's target.
    pub(crate) fn at_segment(
        &mut self,
        check: CheckId,
        segment: &crate::article::Segment,
        offset: usize,
        message: String,
    ) {
        let key = segment.source.is_some().then(|| segment.key.to_string());
        self.at(check, segment.target.start + offset, key, message);
    }

    /// The findings left after the glossary's and the front matter's suppressions, and how
    /// many were suppressed.
    fn finish(self, glossary: &Glossary) -> (Vec<Finding>, usize) {
        let off = front_matter_suppressions(self.article);
        let total = self.findings.len();
        let kept: Vec<Finding> = self
            .findings
            .into_iter()
            .filter(|f| {
                !(off.all || off.checks.contains(&f.check) || glossary.suppresses(f.check, &f.path))
            })
            .collect();
        let suppressed = total - kept.len();
        (kept, suppressed)
    }
}

#[derive(Default)]
struct Off {
    all: bool,
    checks: Vec<CheckId>,
}

/// `remedy.suppress: [untranslated, numbers]` (or `all`) in an article's front matter.
fn front_matter_suppressions(article: &Article) -> Off {
    use crate::article::YamlValue;
    let mut off = Off::default();
    let Some(fm) = article.front_matter() else {
        return off;
    };
    for e in fm.other.iter().filter(|e| e.key == "remedy.suppress") {
        let values: Vec<&YamlValue> = match &e.value {
            YamlValue::Seq(v) => v.iter().collect(),
            v => vec![v],
        };
        for v in values {
            if let Some(s) = v.as_scalar_text() {
                if s == "all" {
                    off.all = true;
                } else if let Ok(c) = s.parse() {
                    off.checks.push(c);
                }
            }
        }
    }
    off
}

/// Where each section starts and its anchor, in document order.
fn sections(article: &Article) -> Vec<(usize, Option<String>)> {
    article
        .blocks()
        .iter()
        .filter_map(|b| match &b.kind {
            crate::article::BlockKind::Heading { anchor, .. } => {
                Some((b.range.start, anchor.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Findings as lines for people: `path:line:col: severity[check]: message`.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            // One finding per line, whatever the file is called.
            crate::content::display_path(Path::new(&f.path)),
            f.line,
            f.column,
            f.severity.name(),
            f.check.name(),
            f.message
        ));
    }
    out
}

/// One line of totals.
pub fn summary_line(report: &Report) -> String {
    let mut by_severity = [0usize; 3];
    for f in &report.findings {
        by_severity[f.severity as usize] += 1;
    }
    let articles: usize = report.locales.values().map(|t| t.articles).sum();
    let counts: Vec<String> = report
        .by_check
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    format!(
        "{articles} articles: {} errors, {} warnings, {} notes ({}); {} suppressed; {} unreadable files",
        by_severity[2],
        by_severity[1],
        by_severity[0],
        if counts.is_empty() {
            "nothing found".to_owned()
        } else {
            counts.join(", ")
        },
        report.suppressed,
        report.unreadable
    )
}
