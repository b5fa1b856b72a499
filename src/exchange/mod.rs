//! The round trip through translators' tools: the span segments exported as translation
//! units (TMX 1.4b, XLIFF 2.0, gettext PO, JSON lines), and a translator's edited XLIFF or
//! PO imported back into the articles, changing only the target text of the spans that
//! changed.
//!
//! A unit is one span pair of one article: its English (the `sxs-lookup` source) and its
//! translation. It is named by the article's path from the content root and the segment
//! key (`nb-NO/AlchemyInsights/x.md` + `102`; a key that occurs twice in an article gets
//! `.2`), so an import finds its span again, and it carries the English it was exported
//! with, so an import refuses a unit whose article has other English by now.

mod import;
mod po;
mod tmx;
mod xliff;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

pub use import::{ImportError, ImportReport, Incoming, Refusal, import, read_translations};

use crate::align::{LinkClass, align_keyed, english_source};
use crate::article::{Article, ArticleForm, LineIndex};
use crate::content::LoadError;
use crate::locale::Locale;

/// One span pair, ready for a translator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// The article's path from the content root, `/`-separated.
    pub path: String,
    /// The article's path without its locale folder: the same for every locale of a set.
    pub article: String,
    /// The translation's locale.
    pub locale: Locale,
    /// The segment key, with `.N` for the N-th occurrence of a key in one article.
    pub id: String,
    /// The full span id (`9a49a-102`).
    pub span: String,
    /// The line of the span pair in the file, from 1.
    pub line: u32,
    /// The English this translation was made from (the span's `sxs-lookup` text).
    pub source: String,
    /// The translation, as Markdown.
    pub target: String,
    /// `ms.translationtype: MT`.
    pub machine_translated: bool,
    /// When another locale of the article has newer English for this segment: that
    /// English, and the locale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newer_english: Option<NewerEnglish>,
}

/// Newer English for a segment, from the locale whose hand-off is the newest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewerEnglish {
    /// The newer English.
    pub text: String,
    /// The locale whose span carries it.
    pub from: Locale,
}

/// The units' formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// TMX 1.4b: one translation unit per segment and English, a `tuv` per locale.
    Tmx,
    /// XLIFF 2.0: one `file` per article, one `unit` per segment; one target language.
    Xliff,
    /// gettext PO: `msgctxt` = path#key; one target language.
    Po,
    /// One JSON object per unit and line.
    Jsonl,
}

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The file format.
    pub format: Format,
    /// The target locales (one for XLIFF and PO).
    pub targets: Vec<Locale>,
    /// TMX level 2: Markdown markup as `bpt`/`ept`/`ph` instead of text.
    pub inline: bool,
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format holds one target language and several were asked (format, the
    /// targets, how many).
    #[error("{0} holds one target language; export one file per target (--target {1} gave {2})")]
    OneTarget(&'static str, String, usize),
    /// No target language was asked.
    #[error("no target language: name at least one with --target")]
    NoTarget,
    /// A source language other than en-US was asked.
    #[error("the span articles carry en-US sources only (--source {0})")]
    Source(String),
    /// The content has no span article of the targets.
    #[error("nothing to export: no span article of {0} in the content")]
    Empty(String),
}

/// The units of every span article of the target locales under `root`, in path order,
/// and the files that could not be read.
pub fn units(root: &Path, targets: &[Locale]) -> (Vec<Unit>, Vec<LoadError>) {
    let (sets, _problems, errors) = crate::align::map_sets(
        root,
        |set, _| set.locales().any(|l| targets.contains(l)),
        |set, articles| {
            let newest = english_source(set, articles);
            let newest_article = newest.as_ref().and_then(|l| {
                set.members
                    .iter()
                    .position(|m| &m.locale == l)
                    .map(|i| articles[i])
            });
            let mut out = Vec::new();
            for (m, a) in set.members.iter().zip(articles) {
                if !targets.contains(&m.locale) || a.form() != ArticleForm::Bilingual {
                    continue;
                }
                let newer = match (newest_article, &newest) {
                    (Some(n), Some(from)) if from != &m.locale => newer_english(a, n, from),
                    _ => HashMap::new(),
                };
                out.extend(article_units(a, &m.locale, &set.relative_path, &newer));
            }
            out
        },
    );
    let mut all: Vec<Unit> = sets.into_iter().flatten().collect();
    all.sort_by(|a, b| a.path.cmp(&b.path));
    (all, errors)
}

/// For the segments of `a` whose English differs from the newest hand-off `n`: that
/// English, by segment index.
fn newer_english(a: &Article, n: &Article, from: &Locale) -> HashMap<usize, NewerEnglish> {
    let mut out = HashMap::new();
    for link in align_keyed(a, n).links {
        if link.class != LinkClass::EnglishChanged {
            continue;
        }
        let text: Vec<&str> = link
            .b
            .iter()
            .filter_map(|&i| n.source_of(&n.segments()[i]))
            .collect();
        for &i in &link.a {
            out.insert(
                i,
                NewerEnglish {
                    text: text.join(" "),
                    from: from.clone(),
                },
            );
        }
    }
    out
}

/// The ids of an article's span segments, by segment index: the key, `.N` for repeats.
pub(crate) fn segment_ids(article: &Article) -> Vec<Option<String>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    article
        .segments()
        .iter()
        .map(|s| {
            s.source.as_ref()?;
            let key = s.key.to_string();
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            Some(if *n == 1 { key } else { format!("{key}.{n}") })
        })
        .collect()
}

fn article_units(
    a: &Article,
    locale: &Locale,
    relative: &str,
    newer: &HashMap<usize, NewerEnglish>,
) -> Vec<Unit> {
    let lines = LineIndex::new(a.original());
    let path = crate::content::slash_path(a.path());
    let ids = segment_ids(a);
    let mut out = Vec::new();
    for (i, s) in a.segments().iter().enumerate() {
        let (Some(source), Some(id)) = (a.source_of(s), &ids[i]) else {
            continue;
        };
        let span = match &s.handoff {
            Some(h) => format!("{h}-{}", s.key),
            None => s.key.to_string(),
        };
        out.push(Unit {
            path: path.clone(),
            article: relative.to_owned(),
            locale: locale.clone(),
            id: id.clone(),
            span,
            line: lines.position(a.original(), s.target.start).line,
            source: source.to_owned(),
            target: a.target_of(s).to_owned(),
            machine_translated: a.machine_translated(),
            newer_english: newer.get(&i).cloned(),
        });
    }
    out
}

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct Exported {
    /// The file's text.
    pub text: String,
    /// Units written, as the format counts them: translation units (`tu`) for TMX, where
    /// locales that translated the same English share one; segments for the others.
    pub units: usize,
    /// Units left out, with why (text XML cannot hold, an empty English).
    pub skipped: Vec<String>,
}

/// Writes `units` in `options.format`.
pub fn export(
    units: &[Unit],
    source: &str,
    options: &ExportOptions,
) -> Result<Exported, ExportError> {
    if source != "en-US" {
        return Err(ExportError::Source(source.to_owned()));
    }
    if options.targets.is_empty() {
        return Err(ExportError::NoTarget);
    }
    let one = |name: &'static str| {
        if options.targets.len() == 1 {
            Ok(())
        } else {
            let names: Vec<String> = options.targets.iter().map(Locale::to_string).collect();
            Err(ExportError::OneTarget(
                name,
                names.join(" --target "),
                options.targets.len(),
            ))
        }
    };
    if units.is_empty() {
        let names: Vec<String> = options.targets.iter().map(Locale::to_string).collect();
        return Err(ExportError::Empty(names.join(", ")));
    }
    Ok(match options.format {
        Format::Tmx => tmx::write(units, options.inline),
        Format::Xliff => {
            one("XLIFF 2.0")?;
            xliff::write(units, &options.targets[0])
        }
        Format::Po => {
            one("A PO file")?;
            po::write(units, &options.targets[0])
        }
        Format::Jsonl => {
            let mut text = String::new();
            for u in units {
                text.push_str(&serde_json::to_string(u).expect("units serialize"));
                text.push('\n');
            }
            Exported {
                text,
                units: units.len(),
                skipped: Vec::new(),
            }
        }
    })
}

/// Text as XML character data or attribute value. `\r` is written as a reference: XML
/// parsers turn a literal CR LF into LF, and the round trip must keep every byte.
pub(crate) fn xml_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// Why a unit cannot be written as XML, if it cannot.
pub(crate) fn xml_cannot_hold(u: &Unit) -> Option<String> {
    let newer = u.newer_english.as_ref().map_or("", |n| n.text.as_str());
    [&u.source, &u.target, newer, &u.path]
        .iter()
        .any(|s| !xml_can_hold(s))
        .then(|| format!("{}#{}: a control character XML cannot hold", u.path, u.id))
}

/// Text as an XML attribute value: as [`xml_escape`], and tabs and line breaks as
/// references, which a parser would otherwise turn into spaces.
pub(crate) fn xml_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c => xml_escape(c.encode_utf8(&mut [0; 4]), out),
        }
    }
}

/// Whether XML 1.0 can hold `s` (no C0 controls but tab, LF and CR; no U+FFFE/U+FFFF).
fn xml_can_hold(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    })
}

/// Units by article path, in order.
pub(crate) fn by_article(units: &[Unit]) -> BTreeMap<&str, Vec<&Unit>> {
    let mut out: BTreeMap<&str, Vec<&Unit>> = BTreeMap::new();
    for u in units {
        out.entry(u.path.as_str()).or_default().push(u);
    }
    out
}
