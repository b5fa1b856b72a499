//! How good is the plain aligner? The span corpora carry their own answer: strip the spans
//! from two translations of one article, align the plain texts, and compare with what the
//! span ids say.
//!
//! Scoring is over pairs of span segments. The id-based alignment links segment `k` of one
//! locale to segment `k` of the other (merged ids to every sentence they cover). The plain
//! aligner links sentences, found by its own splitter; each predicted link claims every
//! pair of segments whose text its two sides touch. Precision is the share of claimed pairs
//! the ids confirm, recall the share of id pairs claimed.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::keyed::{LinkClass, align_keyed};
use super::plain::{Model, align_plain_with};
use super::sets::{ArticleInfo, group};
use crate::article::{Article, ArticleForm, markdown_to_text};
use crate::content::{LoadError, load_article};

/// Counts of segment pairs; precision, recall and F1 derive from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Article pairs scored (both sides with spans).
    pub article_pairs: usize,
    /// Pairs the span ids give.
    pub gold: usize,
    /// Pairs the plain aligner claims.
    pub predicted: usize,
    /// Claimed pairs the ids confirm.
    pub correct: usize,
    /// Id pairs left out of `gold` because one side has no text to align (an empty target,
    /// or markup only).
    pub textless: usize,
    /// Segments left out because the English does not confirm their key: English
    /// changed, or the key exists on one side only.
    pub unconfirmed: usize,
    /// Two-sided links by confidence (below 0.5, 0.5–0.8, 0.8–0.95, from 0.95), each as
    /// (links scored, links whose every claimed pair is confirmed): whether the confidence
    /// means something.
    pub by_confidence: [(usize, usize); 4],
}

/// The lower bounds of the confidence bands in [`Score::by_confidence`].
pub const CONFIDENCE_BANDS: [f32; 4] = [0.0, 0.5, 0.8, 0.95];

impl Score {
    /// Correct links among those claimed.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// Correct links among the span ids' links.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(mut self, other: Score) -> Score {
        self.article_pairs += other.article_pairs;
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.correct += other.correct;
        self.textless += other.textless;
        self.unconfirmed += other.unconfirmed;
        for (mine, theirs) in self.by_confidence.iter_mut().zip(other.by_confidence) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
        self
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scores the plain aligner on one pair of span articles.
pub fn evaluate_pair(a: &Article, b: &Article, model: &Model) -> Score {
    let mut score = Score {
        article_pairs: 1,
        ..Score::default()
    };
    let has_text = |article: &Article, i: usize| {
        let t = article.target_of(&article.segments()[i]);
        markdown_to_text(t).chars().any(char::is_alphanumeric)
    };
    let mut gold = HashSet::new();
    // Only links the English confirms are ground truth: a key whose English changed, or
    // that one side lacks, says nothing certain about which sentences correspond. Their
    // segments are left out of both the truth and the claims.
    let mut confirmed_a = HashSet::new();
    let mut confirmed_b = HashSet::new();
    for link in align_keyed(a, b).links {
        let confirmed = match link.class {
            LinkClass::Same => true,
            LinkClass::Merged => link.drift.is_none(),
            _ => false,
        };
        if !confirmed {
            score.unconfirmed += link.a.len() + link.b.len();
            continue;
        }
        confirmed_a.extend(link.a.iter().copied());
        confirmed_b.extend(link.b.iter().copied());
        for &i in &link.a {
            for &j in &link.b {
                if has_text(a, i) && has_text(b, j) {
                    gold.insert((i, j));
                } else {
                    score.textless += 1;
                }
            }
        }
    }

    let (text_a, map_a) = a.target_markdown_mapped();
    let (text_b, map_b) = b.target_markdown_mapped();
    let plain_a = Article::parse(a.path(), text_a);
    let plain_b = Article::parse(b.path(), text_b);
    let alignment = align_plain_with(&plain_a, &plain_b, model);
    let mut predicted = HashSet::new();
    for link in &alignment.links {
        if link.a.is_empty() || link.b.is_empty() {
            continue;
        }
        let sa = touched(plain_a.original(), &map_a, &link.a);
        let sb = touched(plain_b.original(), &map_b, &link.b);
        let mut claims = 0;
        let mut right = 0;
        for &i in sa.iter().filter(|i| confirmed_a.contains(*i)) {
            for &j in sb.iter().filter(|j| confirmed_b.contains(*j)) {
                predicted.insert((i, j));
                claims += 1;
                right += usize::from(gold.contains(&(i, j)));
            }
        }
        if claims > 0 {
            let c = link.confidence.unwrap_or(0.0);
            let band = CONFIDENCE_BANDS
                .iter()
                .rposition(|&lo| c >= lo)
                .unwrap_or(0);
            score.by_confidence[band].0 += 1;
            score.by_confidence[band].1 += usize::from(right == claims);
        }
    }
    score.gold = gold.len();
    score.predicted = predicted.len();
    score.correct = predicted.intersection(&gold).count();
    score
}

/// The segments whose target text a set of sentence ranges touches (shares a visible
/// character with).
fn touched(text: &str, map: &[(usize, Range<usize>)], ranges: &[Range<usize>]) -> Vec<usize> {
    let mut out = Vec::new();
    for r in ranges {
        let first = map.partition_point(|(_, m)| m.end <= r.start);
        for (segment, m) in &map[first..] {
            if m.start >= r.end {
                break;
            }
            let overlap = m.start.max(r.start)..m.end.min(r.end);
            if text[overlap].chars().any(|c| !c.is_whitespace()) && !out.contains(segment) {
                out.push(*segment);
            }
        }
    }
    out
}

/// Scores the plain aligner on every set of a content folder whose members have spans,
/// every pair of locales.
pub fn evaluate_dir(root: &Path, model: &Model) -> (Score, Vec<LoadError>) {
    let (files, mut errors) = crate::content::markdown_files(root);
    let loaded: Vec<_> = files
        .par_iter()
        .map(|rel| load_article(root, rel))
        .collect();
    let mut articles = Vec::with_capacity(loaded.len());
    for r in loaded {
        match r {
            Ok(a) => articles.push(a),
            Err(e) => errors.push(e),
        }
    }
    let infos: Vec<ArticleInfo> = articles.iter().map(ArticleInfo::of).collect();
    let (sets, _) = group(&infos);
    let score = sets
        .par_iter()
        .map(|set| {
            let members: Vec<&Article> = set
                .members
                .iter()
                .map(|m| &articles[m.index])
                .filter(|a| a.form() == ArticleForm::Bilingual)
                .collect();
            let mut score = Score::default();
            for (x, a) in members.iter().enumerate() {
                for b in &members[x + 1..] {
                    score = score.add(evaluate_pair(a, b, model));
                }
            }
            score
        })
        .reduce(Score::default, Score::add);
    (score, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(h: &str, k: &str, target: &str, english: &str) -> String {
        format!(
            "<span data-ttu-id=\"{h}-{k}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{h}-{k}\">{english}</span></span>"
        )
    }

    #[test]
    fn a_perfect_alignment_scores_one() {
        let nb = Article::parse(
            "nb-NO/a.md",
            format!(
                "# {}\n\n{} {}\n",
                pair("aaaaa", "101", "Tittel", "Title"),
                pair(
                    "aaaaa",
                    "102",
                    "Første setning her.",
                    "First sentence here."
                ),
                pair(
                    "aaaaa",
                    "103",
                    "Andre setning, litt lengre enn den første.",
                    "Second sentence, a bit longer than the first."
                )
            ),
        );
        let nl = Article::parse(
            "nl-NL/a.md",
            format!(
                "# {}\n\n{} {}\n",
                pair("bbbbb", "101", "Titel", "Title"),
                pair("bbbbb", "102", "Eerste zin hier.", "First sentence here."),
                pair(
                    "bbbbb",
                    "103",
                    "Tweede zin, iets langer dan de eerste zin.",
                    "Second sentence, a bit longer than the first."
                )
            ),
        );
        let s = evaluate_pair(&nb, &nl, &Model::default());
        assert_eq!((s.gold, s.predicted, s.correct), (3, 3, 3));
        assert_eq!(s.f1(), 1.0);
    }

    #[test]
    fn a_missed_sentence_boundary_costs_precision() {
        // The colon ends a segment but not a sentence: the splitter keeps both segments
        // in one sentence on each side, which claims two wrong pairs.
        let nb = Article::parse(
            "nb-NO/a.md",
            format!(
                "{}{}\n",
                pair("aaaaa", "101", "Gjør dette: ", "Do this: "),
                pair("aaaaa", "102", "velg alt.", "select all.")
            ),
        );
        let nl = Article::parse(
            "nl-NL/a.md",
            format!(
                "{}{}\n",
                pair("bbbbb", "101", "Doe dit: ", "Do this: "),
                pair("bbbbb", "102", "selecteer alles.", "select all.")
            ),
        );
        let s = evaluate_pair(&nb, &nl, &Model::default());
        assert_eq!((s.gold, s.predicted, s.correct), (2, 4, 2));
        assert_eq!(s.recall(), 1.0);
        assert_eq!(s.precision(), 0.5);
    }
}
