//! Alignment: which articles are the same article in other locales, and which of their
//! segments say the same thing.
//!
//! - [`group`]: articles grouped into [`ArticleSet`]s by trusted `ms.assetid`, else by path.
//! - [`align_keyed`]: span articles aligned by segment key and checked against the English
//!   ([`Drift`] when the English differs; merged `p` ids).
//! - [`align_plain`]: articles without ids aligned by structure and sentence lengths, with a
//!   confidence per link; [`evaluate_dir`] measures it against the span ids.
//!
//! [`align_dir`] runs all of it over a content folder: it reads every article once to
//! group them, then loads and aligns one set at a time, in parallel, so memory holds only
//! the sets in flight.

mod drift;
mod evaluate;
mod keyed;
mod plain;
mod sentences;
mod sets;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

pub use drift::{DiffPart, Drift};
pub use evaluate::{CONFIDENCE_BANDS, Score, evaluate_dir, evaluate_pair};
pub use keyed::{KeyedAlignment, Link, LinkClass, align_keyed};
pub use plain::{Model, PlainAlignment, SentenceLink, align_plain, align_plain_with};
pub use sentences::split_sentences;
pub use sets::{ArticleInfo, ArticleSet, Member, SetKey, SetProblem, SetProblemKind, group};

use crate::article::{Article, ArticleForm, FrontMatter, LineIndex};
use crate::content::{LoadError, fold_dir, load_article};
use crate::locale::Locale;

/// How a pair of articles was aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Both have span ids: by key, confirmed by the English.
    Keyed,
    /// At least one is a plain translation: by structure and sentence lengths.
    Structure,
}

/// Link counts of one pair of articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Two-sided links: same English, English changed, merged (for structure: linked
    /// sentences).
    pub aligned: usize,
    /// Links whose two sides were translated from the same English.
    pub same: usize,
    /// Links whose English differs between the sides.
    pub english_changed: usize,
    /// Links where one side's segment holds several of the other's.
    pub merged: usize,
    /// One-sided links, both directions.
    pub missing: usize,
    /// Segments only side a has.
    pub only_a: usize,
    /// Segments only side b has.
    pub only_b: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.aligned += o.aligned;
        self.same += o.same;
        self.english_changed += o.english_changed;
        self.merged += o.merged;
        self.missing += o.missing;
        self.only_a += o.only_a;
        self.only_b += o.only_b;
    }
}

/// A link worth a reader's attention: English changed, missing, merged; or, when every
/// link is asked for, any link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkReport {
    /// `same`, `english-changed`, `merged`, `only-a` or `only-b`.
    pub class: &'static str,
    /// Segment keys (keyed) on side a.
    pub a: Vec<String>,
    /// Segment keys on side b.
    pub b: Vec<String>,
    /// Line of the first segment on side a.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_a: Option<u32>,
    /// Line of the first segment on side b.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_b: Option<u32>,
    /// The target text of side a.
    pub text_a: String,
    /// The target text of side b.
    pub text_b: String,
    /// The English of side a, when it has some.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub english_a: Option<String>,
    /// The English of side b.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub english_b: Option<String>,
    /// How alike the two sides' English is, 0 to 1, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
    /// wdiff-style English diff: `[-removed-]{+added+}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// How sure the plain aligner is of the link, 0 to 1 ([`Method::Structure`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
}

/// The alignment of two members of a set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairAlignment {
    /// One member's locale.
    pub a: Locale,
    /// The other's.
    pub b: Locale,
    /// By span keys or by structure.
    pub method: Method,
    /// The links, counted by class.
    pub counts: Counts,
    /// Whether both sides have the same keys in the same order with the same English.
    pub identical: bool,
    /// Mean confidence of the links, for [`Method::Structure`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// The links asked for ([`Detail`]).
    pub links: Vec<LinkReport>,
}

/// One article set and the alignment of its members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetAlignment {
    /// What groups the set: an asset id or a relative path.
    pub key: SetKey,
    /// The path without its locale folder.
    pub relative_path: String,
    /// The members' locales.
    pub locales: Vec<Locale>,
    /// The members' paths from the content root.
    pub paths: Vec<String>,
    /// The member whose spans give the set's en-US article: the newest hand-off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub english_from: Option<Locale>,
    /// Each pair of members, aligned.
    pub pairs: Vec<PairAlignment>,
}

/// Which links to describe in a [`PairAlignment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// None: counts only.
    None,
    /// English changed, missing and merged links.
    Flagged,
    /// Every link.
    All,
}

/// Aligns every pair of members of a set; `articles[i]` is the member of locale
/// `set.members[i].locale`.
pub fn align_set(set: &ArticleSet, articles: &[&Article], detail: Detail) -> SetAlignment {
    let mut pairs = Vec::new();
    for x in 0..articles.len() {
        for y in x + 1..articles.len() {
            pairs.push(align_pair(
                (&set.members[x].locale, articles[x]),
                (&set.members[y].locale, articles[y]),
                detail,
            ));
        }
    }
    SetAlignment {
        key: set.key.clone(),
        relative_path: set.relative_path.clone(),
        locales: set.locales().cloned().collect(),
        paths: set.members.iter().map(|m| m.path.clone()).collect(),
        english_from: english_source(set, articles),
        pairs,
    }
}

/// The member to rebuild the en-US article from: among the span articles, the one with
/// the newest `ms.lasthandoff` (else `ms.date`); ties go to the first locale.
pub fn english_source(set: &ArticleSet, articles: &[&Article]) -> Option<Locale> {
    let mut best: Option<(Option<Date>, &Locale)> = None;
    for (m, a) in set.members.iter().zip(articles) {
        if a.form() != ArticleForm::Bilingual {
            continue;
        }
        let date = a.front_matter().and_then(handoff_date);
        if best.as_ref().is_none_or(|(d, _)| date > *d) {
            best = Some((date, &m.locale));
        }
    }
    best.map(|(_, l)| l.clone())
}

/// (year, month, day), ordered.
type Date = (u32, u32, u32);

/// `ms.lasthandoff` or `ms.date` as a [`Date`]; both `MM/DD/YYYY` and
/// `YYYY-MM-DD` occur.
fn handoff_date(fm: &FrontMatter) -> Option<Date> {
    let s = fm.last_handoff.as_deref().or(fm.date.as_deref())?.trim();
    let parts: Vec<u32> = s
        .split(['/', '-', 'T', ' '])
        .take(3)
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [y, m, d] if y > 31 => Some((y, m, d)),
        [m, d, y] => Some((y, m, d)),
        _ => None,
    }
}

fn align_pair(
    (la, a): (&Locale, &Article),
    (lb, b): (&Locale, &Article),
    detail: Detail,
) -> PairAlignment {
    if a.form() == ArticleForm::Bilingual && b.form() == ArticleForm::Bilingual {
        let keyed = align_keyed(a, b);
        let mut counts = Counts::default();
        for l in &keyed.links {
            match l.class {
                LinkClass::Same => counts.same += 1,
                LinkClass::EnglishChanged => counts.english_changed += 1,
                LinkClass::Merged => counts.merged += 1,
                LinkClass::OnlyA => counts.only_a += 1,
                LinkClass::OnlyB => counts.only_b += 1,
            }
        }
        counts.aligned = counts.same + counts.english_changed + counts.merged;
        counts.missing = counts.only_a + counts.only_b;
        let links = keyed
            .links
            .iter()
            .filter(|l| match detail {
                Detail::None => false,
                Detail::Flagged => l.class != LinkClass::Same,
                Detail::All => true,
            })
            .map(|l| keyed_report(l, a, b))
            .collect();
        return PairAlignment {
            a: la.clone(),
            b: lb.clone(),
            method: Method::Keyed,
            counts,
            identical: keyed.is_identical(),
            confidence: None,
            links,
        };
    }
    let plain_a = plain_view(a);
    let plain_b = plain_view(b);
    let (pa, pb) = (plain_a.as_ref().unwrap_or(a), plain_b.as_ref().unwrap_or(b));
    let plain = align_plain(pa, pb);
    let only_a = plain.links.iter().filter(|l| l.b.is_empty()).count();
    let only_b = plain.links.iter().filter(|l| l.a.is_empty()).count();
    let counts = Counts {
        aligned: plain.linked(),
        same: 0,
        english_changed: 0,
        merged: plain.many(),
        missing: only_a + only_b,
        only_a,
        only_b,
    };
    let index_a = LineIndex::new(pa.original());
    let index_b = LineIndex::new(pb.original());
    let links = plain
        .links
        .iter()
        .filter(|l| match detail {
            Detail::None => false,
            Detail::Flagged => l.a.is_empty() || l.b.is_empty() || l.a.len() + l.b.len() > 2,
            Detail::All => true,
        })
        .map(|l| plain_report(l, (pa, &index_a), (pb, &index_b)))
        .collect();
    PairAlignment {
        a: la.clone(),
        b: lb.clone(),
        method: Method::Structure,
        counts,
        identical: false,
        confidence: plain.mean_confidence(),
        links,
    }
}

/// A span article as plain text (its target view), for aligning with a plain one.
fn plain_view(a: &Article) -> Option<Article> {
    (a.form() == ArticleForm::Bilingual)
        .then(|| Article::parse(a.path(), a.target_markdown().into_owned()))
}

fn keyed_report(l: &Link, a: &Article, b: &Article) -> LinkReport {
    let side = |article: &Article, ids: &[usize]| {
        let segs: Vec<_> = ids.iter().map(|&i| &article.segments()[i]).collect();
        let keys = segs.iter().map(|s| s.key.to_string()).collect();
        let line = segs.first().map(|s| s.position.line);
        let text = segs
            .iter()
            .map(|s| article.target_of(s))
            .collect::<Vec<_>>()
            .join(" ");
        let english = (!segs.is_empty()).then(|| {
            segs.iter()
                .filter_map(|s| article.source_of(s))
                .collect::<Vec<_>>()
                .join(" ")
        });
        (keys, line, text, english)
    };
    let (ka, line_a, text_a, english_a) = side(a, &l.a);
    let (kb, line_b, text_b, english_b) = side(b, &l.b);
    LinkReport {
        class: l.class.name(),
        a: ka,
        b: kb,
        line_a,
        line_b,
        text_a,
        text_b,
        english_a,
        english_b,
        similarity: l.drift.as_ref().map(|d| d.similarity),
        diff: l.drift.as_ref().map(Drift::marked),
        confidence: None,
    }
}

fn plain_report(
    l: &SentenceLink,
    (a, index_a): (&Article, &LineIndex),
    (b, index_b): (&Article, &LineIndex),
) -> LinkReport {
    let side = |(article, index): (&Article, &LineIndex), ranges: &[std::ops::Range<usize>]| {
        let line = ranges
            .first()
            .map(|r| index.position(article.original(), r.start).line);
        let text = ranges
            .iter()
            .map(|r| &article.original()[r.clone()])
            .collect::<Vec<_>>()
            .join(" ");
        (line, text)
    };
    let (line_a, text_a) = side((a, index_a), &l.a);
    let (line_b, text_b) = side((b, index_b), &l.b);
    let class = match (l.a.len(), l.b.len()) {
        (_, 0) => "only-a",
        (0, _) => "only-b",
        (1, 1) => "linked",
        _ => "linked-many",
    };
    LinkReport {
        class,
        a: Vec::new(),
        b: Vec::new(),
        line_a,
        line_b,
        text_a,
        text_b,
        english_a: None,
        english_b: None,
        similarity: None,
        diff: None,
        confidence: l.confidence,
    }
}

/// Totals over a content folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Articles read.
    pub articles: usize,
    /// Article sets.
    pub sets: usize,
    /// Sets with at least two locales.
    pub multilingual_sets: usize,
    /// Pairs aligned.
    pub pairs: usize,
    /// Of them, by span keys.
    pub keyed_pairs: usize,
    /// By structure (a plain translation on a side).
    pub structure_pairs: usize,
    /// Keyed pairs whose keys and English agree throughout.
    pub identical_pairs: usize,
    /// The links of every pair.
    pub links: Counts,
    /// Set problems by kind.
    pub problems: BTreeMap<&'static str, usize>,
}

/// The result of aligning a content folder.
#[derive(Debug, Clone, Serialize)]
pub struct DirAlignment {
    /// Every set, in path order.
    pub sets: Vec<SetAlignment>,
    /// What kept articles apart or out (a reused asset id, two articles of one locale).
    pub problems: Vec<SetProblem>,
    /// The totals.
    pub totals: Totals,
}

/// What to align in a folder.
#[derive(Debug, Clone, Default)]
pub struct DirOptions {
    /// Only the sets holding this path (relative to the content root, or to the locale
    /// folder).
    pub article: Option<String>,
    /// Which links to describe; `None`: counts only.
    pub detail: Option<Detail>,
}

/// Reads every article under `root` once to group them into sets, then loads the sets that
/// `keep` accepts one at a time, in parallel, and hands each with its members (in member
/// order) to `f`; memory holds only the sets in flight. A set with an unreadable member is
/// skipped and the error returned.
pub fn map_sets<T: Send>(
    root: &Path,
    keep: impl Fn(&ArticleSet, &[ArticleInfo]) -> bool + Sync,
    f: impl Fn(&ArticleSet, &[&Article]) -> T + Sync,
) -> (Vec<T>, Vec<SetProblem>, Vec<LoadError>) {
    let (mut infos, mut errors) = fold_dir(
        root,
        Vec::new,
        |mut v, a| {
            v.push(ArticleInfo::of(a));
            v
        },
        |mut x, y| {
            x.extend(y);
            x
        },
    );
    infos.sort_by(|a, b| a.path.cmp(&b.path));
    let (sets, problems) = group(&infos);
    let results: Vec<(Option<T>, Vec<LoadError>)> = sets
        .par_iter()
        .filter(|set| keep(set, &infos))
        .map(|set| {
            let mut errs = Vec::new();
            let mut loaded = Vec::new();
            for m in &set.members {
                match load_article(root, &infos[m.index].path) {
                    Ok(a) => loaded.push(a),
                    Err(e) => errs.push(e),
                }
            }
            if !errs.is_empty() {
                return (None, errs);
            }
            let refs: Vec<&Article> = loaded.iter().collect();
            (Some(f(set, &refs)), errs)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (s, e) in results {
        out.extend(s);
        errors.extend(e);
    }
    (out, problems, errors)
}

/// Groups and aligns every article under `root`.
pub fn align_dir(root: &Path, options: &DirOptions) -> (DirAlignment, Vec<LoadError>) {
    let detail = options.detail.unwrap_or(Detail::Flagged);
    let (aligned, problems, errors) = map_sets(
        root,
        |s, infos| match &options.article {
            None => true,
            Some(p) => {
                let p = p.trim_start_matches("./");
                s.relative_path == p
                    || s.members
                        .iter()
                        .any(|m| infos[m.index].path == Path::new(p))
            }
        },
        |set, refs| align_set(set, refs, detail),
    );

    let problems: Vec<SetProblem> = if options.article.is_some() {
        // Only the problems that concern the sets asked for.
        problems
            .into_iter()
            .filter(|p| {
                aligned
                    .iter()
                    .any(|s| s.paths.iter().any(|path| p.paths.contains(path)))
            })
            .collect()
    } else {
        problems
    };
    let mut totals = Totals {
        articles: aligned.iter().map(|s| s.locales.len()).sum(),
        sets: aligned.len(),
        ..Totals::default()
    };
    for s in &aligned {
        if s.locales.len() > 1 {
            totals.multilingual_sets += 1;
        }
        for p in &s.pairs {
            totals.pairs += 1;
            match p.method {
                Method::Keyed => totals.keyed_pairs += 1,
                Method::Structure => totals.structure_pairs += 1,
            }
            if p.identical {
                totals.identical_pairs += 1;
            }
            totals.links.add(&p.counts);
        }
    }
    for p in &problems {
        *totals.problems.entry(p.kind.name()).or_default() += 1;
    }
    (
        DirAlignment {
            sets: aligned,
            problems,
            totals,
        },
        errors,
    )
}
