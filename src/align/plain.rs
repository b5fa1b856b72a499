//! Alignment of two translations that carry no span ids.
//!
//! Two passes, both a dynamic programme over the Gale–Church length model with anchors:
//!
//! 1. **Units**: the text-holding blocks of each article (headings, paragraphs, table
//!    cells, pieces of raw HTML blocks, code blocks) are aligned as sequences. Besides
//!    length, the cost looks at the kind of block (a level-2 heading pairs with a level-2
//!    heading, a cell with the cell at the same row and column) and at anchors: text that
//!    survives translation unchanged (numbers, link targets, inline code, product names).
//! 2. **Sentences**: inside each linked pair of units the sentences are aligned with the
//!    moves 1-1, 1-2, 2-1, 1-0 and 0-1.
//!
//! Every link carries a confidence in `0..=1` from its length fit, its anchors and its
//! shape; `remedy align --evaluate` reports how often links of each confidence are right.

use std::ops::Range;

use serde::Serialize;

use super::sentences::{push, split_sentences};
use crate::article::{Article, BlockKind, markdown_to_text};

/// Sentences of side a and side b that translate each other, as byte ranges of each
/// article's text; one side is empty for a sentence the other translation lacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceLink {
    /// Side a's sentences.
    pub a: Vec<Range<usize>>,
    /// Side b's sentences.
    pub b: Vec<Range<usize>>,
    /// How sure the aligner is, `0..=1`; `None` for one-sided links.
    pub confidence: Option<f32>,
}

/// The alignment of two plain articles, links in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlainAlignment {
    /// Every link, in document order.
    pub links: Vec<SentenceLink>,
}

impl PlainAlignment {
    /// Links with sentences on both sides.
    pub fn linked(&self) -> usize {
        self.links
            .iter()
            .filter(|l| !l.a.is_empty() && !l.b.is_empty())
            .count()
    }

    /// One-sided links: sentences of one translation with no counterpart.
    pub fn unlinked(&self) -> usize {
        self.links.len() - self.linked()
    }

    /// Links that join more than one sentence on a side (1-2, 2-1).
    pub fn many(&self) -> usize {
        self.links
            .iter()
            .filter(|l| !l.a.is_empty() && !l.b.is_empty() && l.a.len() + l.b.len() > 2)
            .count()
    }

    /// Mean confidence of the two-sided links.
    pub fn mean_confidence(&self) -> Option<f32> {
        let c: Vec<f32> = self.links.iter().filter_map(|l| l.confidence).collect();
        (!c.is_empty()).then(|| c.iter().sum::<f32>() / c.len() as f32)
    }
}

/// Cost per character of a block left without a counterpart.
const UNIT_GAP_PER_CHAR: f64 = 0.05;

/// What kind of block a unit comes from; pairs of the same kind are cheaper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Heading(u8),
    Paragraph { list_depth: u8 },
    Cell { row: u32, column: u32 },
    Html,
    Code,
}

#[derive(Debug)]
struct Sentence {
    range: Range<usize>,
    len: f64,
    anchors: Vec<String>,
}

#[derive(Debug)]
struct Unit {
    kind: UnitKind,
    sentences: Vec<Sentence>,
    len: f64,
    anchors: Vec<String>,
}

/// Tuning of the cost model. The defaults were fitted on the span corpora, where the
/// span ids give the true alignment (see `align::evaluate`).
#[derive(Debug, Clone, Copy)]
pub struct Model {
    /// Gale–Church variance of the length difference per character.
    pub variance: f64,
    /// Cost of a unit pair whose block kinds differ outright (heading vs cell).
    pub kind_mismatch: f64,
    /// Cost of a pair of the same kind at a different place (heading level, cell column).
    pub place_mismatch: f64,
    /// Cost weight of anchors that do not match, for units and for sentences.
    pub unit_anchor_weight: f64,
    /// The same for sentences.
    pub sentence_anchor_weight: f64,
}

impl Default for Model {
    fn default() -> Model {
        Model {
            variance: 6.8,
            kind_mismatch: 6.0,
            place_mismatch: 2.0,
            unit_anchor_weight: 4.0,
            sentence_anchor_weight: 3.0,
        }
    }
}

/// Aligns two plain articles (for span articles, parse their target view first: the
/// hidden English would otherwise count as text).
pub fn align_plain(a: &Article, b: &Article) -> PlainAlignment {
    align_plain_with(a, b, &Model::default())
}

/// [`align_plain`] with the model's costs given (for tuning and its evaluation).
pub fn align_plain_with(a: &Article, b: &Article, model: &Model) -> PlainAlignment {
    let ua = units(a);
    let ub = units(b);
    let lengths = length_model(&ua, &ub, model);
    let mut links = Vec::new();
    for (i, j, da, db) in align_units(&ua, &ub, &lengths, model) {
        let (ga, gb) = (&ua[i..i + da], &ub[j..j + db]);
        align_sentences(ga, gb, &lengths, model, &mut links);
    }
    PlainAlignment { links }
}

/// The length model for two articles' units: characters of b per character of a (Dutch
/// runs longer than Norwegian), clamped, as blocks only one side has would otherwise
/// skew it.
fn length_model(ua: &[Unit], ub: &[Unit], model: &Model) -> LengthModel {
    let total = |u: &[Unit]| u.iter().map(|u| u.len).sum::<f64>();
    let (ta, tb) = (total(ua), total(ub));
    let ratio = if ta > 0.0 && tb > 0.0 {
        (tb / ta).clamp(0.67, 1.5)
    } else {
        1.0
    };
    LengthModel {
        ratio,
        variance: model.variance,
    }
}

/// The anchors of a group of units or sentences, in order.
fn anchors_of<'a>(groups: impl IntoIterator<Item = &'a Vec<String>>) -> Vec<&'a str> {
    groups
        .into_iter()
        .flat_map(|anchors| anchors.iter().map(String::as_str))
        .collect()
}

/// The first pass: blocks (units) paired by length, kind and anchors, as
/// `(i, j, da, db)` groups.
fn align_units(
    ua: &[Unit],
    ub: &[Unit],
    lengths: &LengthModel,
    model: &Model,
) -> Vec<(usize, usize, usize, usize)> {
    // Blocks of two translations of one article correspond one to one far more often than
    // sentences do; a block split in two is rarer than a block one side lacks.
    let unit_steps = [
        Step::new(1, 1, 0.97),
        Step::new(1, 0, 0.01),
        Step::new(0, 1, 0.01),
        Step::new(2, 1, 0.002),
        Step::new(1, 2, 0.002),
    ];
    dp(ua.len(), ub.len(), &unit_steps, |i, j, da, db| {
        let ga = &ua[i..i + da];
        let gb = &ub[j..j + db];
        let la: f64 = ga.iter().map(|u| u.len).sum();
        let lb: f64 = gb.iter().map(|u| u.len).sum();
        if da == 0 || db == 0 {
            // A block only one translation has (a newer version added it) says nothing
            // about lengths; a mild charge per character keeps long blocks paired.
            return UNIT_GAP_PER_CHAR * (la + lb);
        }
        let aa = anchors_of(ga.iter().map(|u| &u.anchors));
        let ab = anchors_of(gb.iter().map(|u| &u.anchors));
        lengths.cost(la, lb)
            + kind_cost(ga, gb, model)
            + model.unit_anchor_weight * (1.0 - anchor_similarity(&aa, &ab).unwrap_or(1.0))
    })
}

/// The second pass, within a group of paired units: their sentences paired, each link
/// with its confidence, pushed to `links`. Sentences of a unit the other side lacks are
/// linked to nothing.
fn align_sentences(
    units_a: &[Unit],
    units_b: &[Unit],
    lengths: &LengthModel,
    model: &Model,
    links: &mut Vec<SentenceLink>,
) {
    let sa: Vec<&Sentence> = units_a.iter().flat_map(|u| &u.sentences).collect();
    let sb: Vec<&Sentence> = units_b.iter().flat_map(|u| &u.sentences).collect();
    if sa.is_empty() || sb.is_empty() {
        for s in &sa {
            links.push(SentenceLink {
                a: vec![s.range.clone()],
                b: Vec::new(),
                confidence: None,
            });
        }
        for s in &sb {
            links.push(SentenceLink {
                a: Vec::new(),
                b: vec![s.range.clone()],
                confidence: None,
            });
        }
        return;
    }
    let sentence_steps = [
        Step::new(1, 1, 0.89),
        Step::new(1, 0, 0.005),
        Step::new(0, 1, 0.005),
        Step::new(2, 1, 0.05),
        Step::new(1, 2, 0.05),
    ];
    let pair_cost = |i: usize, j: usize, da: usize, db: usize| {
        let la: f64 = sa[i..i + da].iter().map(|s| s.len).sum();
        let lb: f64 = sb[j..j + db].iter().map(|s| s.len).sum();
        let mut cost = lengths.cost(la, lb);
        if da > 0 && db > 0 {
            let aa = anchors_of(sa[i..i + da].iter().map(|s| &s.anchors));
            let ab = anchors_of(sb[j..j + db].iter().map(|s| &s.anchors));
            cost +=
                model.sentence_anchor_weight * (1.0 - anchor_similarity(&aa, &ab).unwrap_or(1.0));
        }
        cost
    };
    let one_to_one_units = units_a.len() + units_b.len() == 2;
    for (si, sj, sda, sdb) in dp(sa.len(), sb.len(), &sentence_steps, pair_cost) {
        let ga = &sa[si..si + sda];
        let gb = &sb[sj..sj + sdb];
        let confidence = (sda > 0 && sdb > 0).then(|| {
            let la: f64 = ga.iter().map(|s| s.len).sum();
            let lb: f64 = gb.iter().map(|s| s.len).sum();
            let aa = anchors_of(ga.iter().map(|s| &s.anchors));
            let ab = anchors_of(gb.iter().map(|s| &s.anchors));
            let units_agree = kind_cost(units_a, units_b, model) == 0.0;
            confidence(
                lengths.fit(la, lb),
                anchor_similarity(&aa, &ab),
                sda + sdb == 2 && one_to_one_units,
                units_agree,
            )
        });
        links.push(SentenceLink {
            a: ga.iter().map(|s| s.range.clone()).collect(),
            b: gb.iter().map(|s| s.range.clone()).collect(),
            confidence,
        });
    }
}

fn kind_cost(ga: &[Unit], gb: &[Unit], model: &Model) -> f64 {
    use UnitKind::*;
    let (ka, kb) = (ga[0].kind, gb[0].kind);
    match (ka, kb) {
        _ if ka == kb => 0.0,
        (Heading(_), Heading(_))
        | (Cell { .. }, Cell { .. })
        | (Paragraph { .. }, Paragraph { .. }) => model.place_mismatch,
        // Raw HTML in one translation can be Markdown in the other.
        (Html, Paragraph { .. } | Cell { .. }) | (Paragraph { .. } | Cell { .. }, Html) => {
            model.place_mismatch
        }
        _ => model.kind_mismatch,
    }
}

/// A link's confidence: the length fit, scaled down when anchors disagree, when the link
/// is not one to one, and when the blocks around it are of different kinds.
fn confidence(fit: f64, anchors: Option<f64>, one_to_one: bool, units_agree: bool) -> f32 {
    let mut c = fit;
    if let Some(sim) = anchors {
        c *= 0.5 + 0.5 * sim;
    }
    if !one_to_one {
        c *= 0.9;
    }
    if !units_agree {
        c *= 0.8;
    }
    c as f32
}

/// The Gale–Church model: the length in characters of a translation is normally
/// distributed around `ratio` times the original's, with variance proportional to it.
struct LengthModel {
    ratio: f64,
    variance: f64,
}

impl LengthModel {
    fn delta(&self, la: f64, lb: f64) -> f64 {
        let mean = ((la + lb / self.ratio) / 2.0).max(1.0);
        (lb - la * self.ratio) / (self.variance * mean).sqrt()
    }

    /// How well the lengths fit, `0..=1`: a Gaussian in δ twice as wide as the model's, so
    /// that an ordinary translation (|δ| ≈ 1) scores near 0.9 and only clear misfits fall
    /// below one half.
    fn fit(&self, la: f64, lb: f64) -> f64 {
        if la == 0.0 && lb == 0.0 {
            return 1.0;
        }
        let d = self.delta(la, lb);
        (-(d * d) / 8.0).exp()
    }

    /// Two-sided probability of a length difference at least this large.
    fn probability(&self, la: f64, lb: f64) -> f64 {
        if la == 0.0 && lb == 0.0 {
            return 1.0;
        }
        2.0 * (1.0 - normal_cdf(self.delta(la, lb).abs()))
    }

    fn cost(&self, la: f64, lb: f64) -> f64 {
        -self.probability(la, lb).max(1e-12).ln()
    }
}

/// Φ(x) for x ≥ 0 (Abramowitz & Stegun 26.2.17, error below 7.5e-8).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * x);
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    1.0 - (-(x * x) / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly
}

/// Dice similarity of two anchor multisets; `None` when neither side has anchors.
fn anchor_similarity(a: &[&str], b: &[&str]) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return None;
    }
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    let (mut i, mut j, mut same) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Equal => {
                same += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    Some(2.0 * same as f64 / (a.len() + b.len()) as f64)
}

/// A move of the dynamic programme: how many items of each side one link takes.
struct Step {
    da: usize,
    db: usize,
    cost: f64,
}

impl Step {
    fn new(da: usize, db: usize, prior: f64) -> Step {
        Step {
            da,
            db,
            cost: -prior.ln(),
        }
    }
}

/// Minimum-cost path through an `n × m` grid by the given steps; returns the links as
/// `(i, j, da, db)`. Long sequences are searched in a band around the diagonal, wide
/// enough for the length difference plus a margin, so memory stays linear in practice.
fn dp(
    n: usize,
    m: usize,
    steps: &[Step],
    cost: impl Fn(usize, usize, usize, usize) -> f64,
) -> Vec<(usize, usize, usize, usize)> {
    const FULL: usize = 400;
    let width = if n.max(m) <= FULL {
        n.max(m) + 1
    } else {
        n.abs_diff(m) + 64
    };
    let lo = |i: usize| -> usize {
        let center = (i * m).checked_div(n).unwrap_or(0);
        center.saturating_sub(width)
    };
    let hi = |i: usize| -> usize {
        let center = (i * m).checked_div(n).unwrap_or(m);
        (center + width).min(m)
    };
    let row = 2 * width + 1;
    let mut table = vec![f64::INFINITY; (n + 1) * row];
    let mut back = vec![u8::MAX; (n + 1) * row];
    let at = |i: usize, j: usize| -> Option<usize> {
        (j >= lo(i) && j <= hi(i)).then(|| i * row + (j - lo(i)))
    };
    table[at(0, 0).expect("origin is in the band")] = 0.0;
    for i in 0..=n {
        for j in lo(i)..=hi(i) {
            let here = at(i, j).expect("in band");
            for (k, s) in steps.iter().enumerate() {
                if s.da > i || s.db > j {
                    continue;
                }
                let Some(prev) = at(i - s.da, j - s.db) else {
                    continue;
                };
                let base = table[prev];
                if !base.is_finite() {
                    continue;
                }
                let c = base + s.cost + cost(i - s.da, j - s.db, s.da, s.db);
                if c < table[here] {
                    table[here] = c;
                    back[here] = k as u8;
                }
            }
        }
    }
    let mut path = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(here) = at(i, j) else { break };
        let k = back[here];
        if k == u8::MAX {
            break;
        }
        let s = &steps[k as usize];
        i -= s.da;
        j -= s.db;
        path.push((i, j, s.da, s.db));
    }
    path.reverse();
    path
}

/// The text-holding blocks of an article in document order, split into sentences.
fn units(article: &Article) -> Vec<Unit> {
    let text = article.original();
    let blocks = article.blocks();
    let mut raw: Vec<(usize, UnitKind, Range<usize>)> = Vec::new();
    for s in article.segments() {
        let Some(b) = s.block else { continue };
        let kind = match &blocks[b].kind {
            BlockKind::Heading { level, .. } => UnitKind::Heading(*level),
            BlockKind::TableCell { row, column } => UnitKind::Cell {
                row: *row,
                column: *column,
            },
            _ => {
                let mut depth = 0u8;
                let mut cur = blocks[b].parent;
                while let Some(p) = cur {
                    if matches!(blocks[p].kind, BlockKind::ListItem { .. }) {
                        depth = depth.saturating_add(1);
                    }
                    cur = blocks[p].parent;
                }
                UnitKind::Paragraph { list_depth: depth }
            }
        };
        raw.push((s.target.start, kind, s.target.clone()));
    }
    for block in blocks {
        match block.kind {
            BlockKind::Html => {
                for piece in html_pieces(text, block.range.clone()) {
                    raw.push((piece.start, UnitKind::Html, piece));
                }
            }
            BlockKind::CodeBlock { .. } => {
                raw.push((block.range.start, UnitKind::Code, block.range.clone()))
            }
            _ => {}
        }
    }
    raw.sort_by_key(|(start, _, _)| *start);

    raw.into_iter()
        .filter_map(|(_, kind, range)| {
            let sentences: Vec<Sentence> = if kind == UnitKind::Code {
                vec![sentence(text, range, true)]
            } else {
                split_sentences(text, range)
                    .into_iter()
                    .map(|r| sentence(text, r, false))
                    .filter(|s| s.len > 0.0 || !s.anchors.is_empty())
                    .collect()
            };
            if sentences.is_empty() {
                return None;
            }
            let len = sentences.iter().map(|s| s.len).sum();
            let mut anchors: Vec<String> = sentences
                .iter()
                .flat_map(|s| s.anchors.iter().cloned())
                .collect();
            anchors.sort_unstable();
            Some(Unit {
                kind,
                sentences,
                len,
                anchors,
            })
        })
        .collect()
}

fn sentence(text: &str, range: Range<usize>, code: bool) -> Sentence {
    let md = &text[range.clone()];
    let plain = if code {
        md.to_owned()
    } else {
        markdown_to_text(md)
    };
    let len = plain.chars().filter(|c| !c.is_whitespace()).count() as f64;
    let anchors = if code {
        vec![md.split_whitespace().collect::<Vec<_>>().join(" ")]
    } else {
        anchors(md, &plain)
    };
    Sentence {
        range,
        len,
        anchors,
    }
}

/// Text that a translation keeps as is: link targets, inline code, numbers, and words that
/// look like names (inner capitals, all capitals, or a capital inside the sentence).
fn anchors(md: &str, plain: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = md.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b']' && bytes.get(i + 1) == Some(&b'(') {
            let end = memchr::memchr(b')', &bytes[i + 2..]).map_or(bytes.len(), |k| i + 2 + k);
            let target = md[i + 2..end].split_whitespace().next().unwrap_or("");
            if !target.is_empty() {
                out.push(format!("link:{target}"));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    let mut code = md.split('`');
    code.next();
    for (k, span) in code.enumerate() {
        if k % 2 == 0 && !span.trim().is_empty() {
            out.push(format!("code:{}", span.trim()));
        }
    }
    for (k, word) in plain
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == ':'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == ':'))
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let first = word.chars().next().expect("non-empty");
        let number = word.chars().any(|c| c.is_ascii_digit());
        let name = word.chars().skip(1).any(char::is_uppercase)
            || (k > 0 && first.is_uppercase() && word.chars().count() > 1);
        if number || name {
            out.push(word.to_owned());
        }
    }
    out
}

/// The text runs of a raw HTML block between block-level tags (cells, list items,
/// paragraphs, line breaks), trimmed.
fn html_pieces(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    const BLOCK_TAGS: &[&str] = &[
        "td",
        "th",
        "tr",
        "table",
        "thead",
        "tbody",
        "li",
        "ul",
        "ol",
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dt",
        "dd",
        "dl",
        "blockquote",
        "caption",
        "hr",
    ];
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = range.start;
    let mut i = range.start;
    while i < range.end {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let close = memchr::memchr(b'>', &bytes[i..range.end]).map_or(range.end, |k| i + k + 1);
        let name: String = text[i + 1..close]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if BLOCK_TAGS.contains(&name.as_str()) {
            push(text, &mut pieces, start..i);
            start = close;
        }
        i = close;
    }
    push(text, &mut pieces, start..range.end);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(article: &'a Article, ranges: &[Range<usize>]) -> Vec<&'a str> {
        ranges
            .iter()
            .map(|r| &article.original()[r.clone()])
            .collect()
    }

    #[test]
    fn structure_and_lengths_align_two_translations() {
        let nb = Article::parse(
            "nb-NO/a.md",
            "# Feilsøke Outlook\n\nÅpne Outlook. Velg **Fil** > **Konto**.\n\n- Start PC-en på nytt.\n- Kjør `sfc /scannow` igjen.\n",
        );
        let nl = Article::parse(
            "nl-NL/a.md",
            "# Problemen met Outlook oplossen\n\nOpen Outlook. Kies **Bestand** > **Account**.\n\n- Start de pc opnieuw op.\n- Voer `sfc /scannow` opnieuw uit.\n",
        );
        let al = align_plain(&nb, &nl);
        let pairs: Vec<(Vec<&str>, Vec<&str>)> = al
            .links
            .iter()
            .map(|l| (texts(&nb, &l.a), texts(&nl, &l.b)))
            .collect();
        assert_eq!(pairs.len(), 5, "{pairs:?}");
        assert_eq!(pairs[1], (vec!["Åpne Outlook."], vec!["Open Outlook."]));
        assert_eq!(pairs[4].1, vec!["Voer `sfc /scannow` opnieuw uit."]);
        assert_eq!(al.linked(), 5);
        assert!(al.links.iter().all(|l| l.confidence.unwrap() > 0.0));
    }

    #[test]
    fn an_extra_paragraph_stays_one_sided() {
        let nb = Article::parse(
            "nb-NO/a.md",
            "Første avsnitt her.\n\nAndre avsnitt med mer tekst i seg.\n\nTredje.\n",
        );
        let nl = Article::parse(
            "nl-NL/a.md",
            "Eerste alinea hier.\n\nTweede alinea met wat meer tekst erin.\n\nEen extra alinea die alleen in het Nederlands staat, best lang.\n\nDerde.\n",
        );
        let al = align_plain(&nb, &nl);
        assert_eq!(al.linked(), 3);
        assert_eq!(al.unlinked(), 1);
        let lone = al.links.iter().find(|l| l.a.is_empty()).unwrap();
        assert!(texts(&nl, &lone.b)[0].starts_with("Een extra"));
    }

    #[test]
    fn raw_html_cells_are_units() {
        let text = "<table><tr><td>Navn</td><td>Beskrivelse av <b>feltet</b></td></tr></table>\n";
        let a = Article::parse("nb-NO/a.md", text);
        let pieces: Vec<&str> = html_pieces(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(pieces, ["Navn", "Beskrivelse av <b>feltet</b>"]);
        assert_eq!(units(&a).len(), 2);
    }

    #[test]
    fn empty_articles_align_to_nothing() {
        let a = Article::parse("nb-NO/a.md", "");
        let b = Article::parse("nl-NL/a.md", "Tekst.\n");
        let al = align_plain(&a, &b);
        assert_eq!(al.linked(), 0);
        assert_eq!(al.unlinked(), 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Every sentence of each side appears in exactly one link, in order, whatever the
        /// input.
        #[test]
        fn every_sentence_is_linked_once_in_order(
            a in "(#{0,2} |- |\\| |<td>|`|\\*\\*|[a-zA-ZøÅ0-9]{1,8}|[.!?] |\n\n?| ){0,60}",
            b in "(#{0,2} |- |\\| |<td>|`|\\*\\*|[a-zA-ZøÅ0-9]{1,8}|[.!?] |\n\n?| ){0,60}",
        ) {
            let (pa, pb) = (Article::parse("nb-NO/a.md", a), Article::parse("nl-NL/a.md", b));
            let al = align_plain(&pa, &pb);
            let side = |pick: fn(&SentenceLink) -> &Vec<Range<usize>>| -> Vec<Range<usize>> {
                al.links.iter().flat_map(|l| pick(l).iter().cloned()).collect()
            };
            for (ranges, article) in [(side(|l| &l.a), &pa), (side(|l| &l.b), &pb)] {
                let expected: Vec<Range<usize>> =
                    units(article).into_iter().flat_map(|u| u.sentences).map(|s| s.range).collect();
                proptest::prop_assert_eq!(&ranges, &expected);
                for r in &ranges {
                    proptest::prop_assert!(article.original().get(r.clone()).is_some());
                }
            }
            for l in &al.links {
                proptest::prop_assert!(!(l.a.is_empty() && l.b.is_empty()));
                if let Some(c) = l.confidence {
                    proptest::prop_assert!((0.0..=1.0).contains(&c));
                }
            }
        }
    }

    #[test]
    fn the_band_keeps_long_sequences_aligned() {
        let n = 1000;
        let left: String = (0..n)
            .map(|i| format!("Avsnitt nummer {i} med tekst.\n\n"))
            .collect();
        let right: String = (0..n)
            .map(|i| format!("Alinea nummer {i} met tekst erin.\n\n"))
            .collect();
        let al = align_plain(
            &Article::parse("nb-NO/a.md", left),
            &Article::parse("nl-NL/a.md", right),
        );
        assert_eq!(al.linked(), n);
    }
}
