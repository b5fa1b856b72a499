//! Cross-locale alignment of span articles by segment key, confirmed by the English.
//!
//! Span ids are `H-K`: the hand-off prefix `H` differs per locale and per hand-off, the key
//! `K` is shared. Two segments with the same key translate the same English sentence unless
//! the English changed between the two hand-offs, which the sources tell: that is drift.
//! A merged id (`p102`) in one locale stands for a run of sentence ids (`124`, `125`) of
//! the other; its English contains theirs.

use std::collections::HashMap;

use serde::Serialize;

use super::drift::Drift;
use crate::article::{Article, SegmentKey};

/// How the two sides of a link relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkClass {
    /// Same key, same English.
    Same,
    /// Same key, different English: translated from different versions of the source.
    EnglishChanged,
    /// A merged `p` id on one side covering several sentence ids on the other.
    Merged,
    /// The key exists only on side a.
    OnlyA,
    /// The key exists only on side b.
    OnlyB,
}

impl LinkClass {
    /// The name in every output (`same`, `english-changed`, `merged`, `only-a`, `only-b`).
    pub fn name(self) -> &'static str {
        match self {
            LinkClass::Same => "same",
            LinkClass::EnglishChanged => "english-changed",
            LinkClass::Merged => "merged",
            LinkClass::OnlyA => "only-a",
            LinkClass::OnlyB => "only-b",
        }
    }
}

/// Segments of side a and side b that say the same thing, by index into
/// [`Article::segments`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// How the sides relate.
    pub class: LinkClass,
    /// Side a's segments (none for [`LinkClass::OnlyB`]).
    pub a: Vec<usize>,
    /// Side b's segments (none for [`LinkClass::OnlyA`]).
    pub b: Vec<usize>,
    /// For [`LinkClass::EnglishChanged`] and for merged links whose English is not the
    /// same text: how the English differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<Drift>,
}

/// The keyed alignment of two span articles, links in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyedAlignment {
    /// Every link, in document order.
    pub links: Vec<Link>,
}

impl KeyedAlignment {
    /// Links of `class`.
    pub fn count(&self, class: LinkClass) -> usize {
        self.links.iter().filter(|l| l.class == class).count()
    }

    /// Whether both sides have the same keys in the same order with the same English.
    pub fn is_identical(&self) -> bool {
        self.links.iter().all(|l| l.class == LinkClass::Same)
    }
}

/// A span segment seen from the aligner: index, key, English.
struct Side<'a> {
    index: usize,
    key: &'a SegmentKey,
    english: &'a str,
}

fn sides(article: &Article) -> Vec<Side<'_>> {
    article
        .segments()
        .iter()
        .enumerate()
        .filter_map(|(index, s)| {
            Some(Side {
                index,
                key: &s.key,
                english: article.source_of(s)?,
            })
        })
        .collect()
}

/// Aligns the span segments of two articles of one set.
///
/// ```
/// use remedy::article::Article;
/// use remedy::align::{align_keyed, LinkClass};
/// let pair = |h: &str, k: &str, t: &str, e: &str| format!(
///     "<span data-ttu-id=\"{h}-{k}\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{h}-{k}\">{e}</span></span>");
/// let nb = Article::parse("nb-NO/a.md", format!("{} {}\n", pair("aaaaa", "102", "Hei.", "Hello."), pair("aaaaa", "103", "Ja.", "Yes.")));
/// let nl = Article::parse("nl-NL/a.md", format!("{} {}\n", pair("bbbbb", "102", "Hallo.", "Hello."), pair("bbbbb", "103", "Ja.", "Yes!")));
/// let alignment = align_keyed(&nb, &nl);
/// assert_eq!(alignment.count(LinkClass::Same), 1);
/// assert_eq!(alignment.count(LinkClass::EnglishChanged), 1);
/// ```
pub fn align_keyed(a: &Article, b: &Article) -> KeyedAlignment {
    let sa = sides(a);
    let sb = sides(b);
    // Ids are unique within a file in all the real content; should one repeat, its
    // occurrences pair up in order.
    let mut in_b: HashMap<&SegmentKey, Vec<usize>> = HashMap::new();
    for (j, s) in sb.iter().enumerate().rev() {
        in_b.entry(s.key).or_default().push(j);
    }
    let mut partner_of_a: Vec<Option<usize>> = Vec::with_capacity(sa.len());
    let mut partner_of_b: Vec<Option<usize>> = vec![None; sb.len()];
    for (i, s) in sa.iter().enumerate() {
        let j = in_b.get_mut(s.key).and_then(Vec::pop);
        if let Some(j) = j {
            partner_of_b[j] = Some(i);
        }
        partner_of_a.push(j);
    }

    // Order: side a's order, b-only segments placed among them by their paired neighbours.
    let mut ordered: Vec<((usize, usize), Link)> = Vec::with_capacity(sa.len() + sb.len());
    for (i, s) in sa.iter().enumerate() {
        let link = match partner_of_a[i] {
            Some(j) => {
                let t = &sb[j];
                if s.english == t.english {
                    Link {
                        class: LinkClass::Same,
                        a: vec![s.index],
                        b: vec![t.index],
                        drift: None,
                    }
                } else {
                    Link {
                        class: LinkClass::EnglishChanged,
                        a: vec![s.index],
                        b: vec![t.index],
                        drift: Some(Drift::between(s.english, t.english)),
                    }
                }
            }
            None => Link {
                class: LinkClass::OnlyA,
                a: vec![s.index],
                b: Vec::new(),
                drift: None,
            },
        };
        ordered.push(((2 * i + 1, 0), link));
    }
    // Walking b backwards, a b-only run goes just before the link of the next paired b
    // segment, so after any a-only run in the same gap.
    let mut anchor = 2 * sa.len() + 2;
    for (j, t) in sb.iter().enumerate().rev() {
        match partner_of_b[j] {
            Some(i) => anchor = 2 * i,
            None => ordered.push((
                (anchor, j),
                Link {
                    class: LinkClass::OnlyB,
                    a: Vec::new(),
                    b: vec![t.index],
                    drift: None,
                },
            )),
        }
    }
    ordered.sort_by_key(|(k, _)| *k);
    let links = ordered.into_iter().map(|(_, l)| l).collect();
    KeyedAlignment {
        links: merge_runs(links, a, b),
    }
}

/// Folds one-sided runs between two paired links into merged links: a `p` id on one side
/// takes the sentence ids of the other side whose English it contains, in order.
fn merge_runs(links: Vec<Link>, a: &Article, b: &Article) -> Vec<Link> {
    let mut out = Vec::with_capacity(links.len());
    let mut gap: Vec<Link> = Vec::new();
    for link in links {
        if matches!(link.class, LinkClass::OnlyA | LinkClass::OnlyB) {
            gap.push(link);
            continue;
        }
        flush_gap(&mut gap, &mut out, a, b);
        out.push(link);
    }
    flush_gap(&mut gap, &mut out, a, b);
    out
}

/// Ends a run of one-sided links: where one side has merged (`p`) ids and the other
/// the sentences they were made of, they become merged links; otherwise the run stays.
fn flush_gap(gap: &mut Vec<Link>, out: &mut Vec<Link>, a: &Article, b: &Article) {
    if gap.is_empty() {
        return;
    }
    let key_a = |l: &Link| &a.segments()[l.a[0]].key;
    let key_b = |l: &Link| &b.segments()[l.b[0]].key;
    let has = |class: LinkClass| gap.iter().any(|l| l.class == class);
    let any_merged = gap.iter().any(|l| {
        let key = if l.class == LinkClass::OnlyA {
            key_a(l)
        } else {
            key_b(l)
        };
        matches!(key, SegmentKey::Merged(_))
    });
    if !(has(LinkClass::OnlyA) && has(LinkClass::OnlyB) && any_merged) {
        out.append(gap);
        return;
    }
    let (only_a, only_b): (Vec<Link>, Vec<Link>) =
        gap.drain(..).partition(|l| l.class == LinkClass::OnlyA);
    // Which side holds the merged ids.
    let a_merged = only_a
        .iter()
        .any(|l| matches!(key_a(l), SegmentKey::Merged(_)));
    let (merged_side, sentence_side) = if a_merged {
        (&only_a, &only_b)
    } else {
        (&only_b, &only_a)
    };
    let sides = Sides { a, b, a_merged };
    let mut taken = vec![false; sentence_side.len()];
    let mut next = 0;
    for m in merged_side {
        match sides.merge(m, sentence_side, &mut next) {
            Some((link, covered)) => {
                for k in covered {
                    taken[k] = true;
                }
                out.push(link);
            }
            None => out.push(m.clone()),
        }
    }
    out.extend(
        sentence_side
            .iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(l, _)| l.clone()),
    );
}

/// The two articles of a gap, and which of them holds the merged (`p`) ids.
struct Sides<'x> {
    a: &'x Article,
    b: &'x Article,
    a_merged: bool,
}

impl Sides<'_> {
    /// The English of a one-sided link, on the merged side or the sentence side.
    fn english<'l>(&'l self, l: &Link, merged: bool) -> &'l str {
        if merged == self.a_merged {
            self.a
                .source_of(&self.a.segments()[l.a[0]])
                .unwrap_or_default()
        } else {
            self.b
                .source_of(&self.b.segments()[l.b[0]])
                .unwrap_or_default()
        }
    }

    /// The merged link of `m` with the sentence-side links from `next` on whose English
    /// its English contains, in order, and their indices; `None` when `m` is no merged id
    /// or covers fewer than two sentences (not a merge we can show). `next` moves past the
    /// links taken.
    fn merge(
        &self,
        m: &Link,
        sentence_side: &[Link],
        next: &mut usize,
    ) -> Option<(Link, Vec<usize>)> {
        let merged_key = if self.a_merged {
            &self.a.segments()[m.a[0]].key
        } else {
            &self.b.segments()[m.b[0]].key
        };
        if !matches!(merged_key, SegmentKey::Merged(_)) {
            return None;
        }
        let whole = normalize(self.english(m, true));
        let mut covered = Vec::new();
        let mut k = *next;
        while k < sentence_side.len() {
            let part = normalize(self.english(&sentence_side[k], false));
            if part.is_empty() || !whole.contains(&part) {
                break;
            }
            covered.push(k);
            k += 1;
        }
        if covered.len() < 2 {
            return None;
        }
        *next = k;
        let joined = covered
            .iter()
            .map(|&k| self.english(&sentence_side[k], false))
            .collect::<Vec<_>>()
            .join(" ");
        let drift = Drift::between(self.english(m, true), &joined);
        let drift = (normalize(&joined) != whole).then_some(drift);
        let sentences: Vec<usize> = covered
            .iter()
            .flat_map(|&k| {
                let l = &sentence_side[k];
                if self.a_merged {
                    l.b.clone()
                } else {
                    l.a.clone()
                }
            })
            .collect();
        let (la, lb) = if self.a_merged {
            (m.a.clone(), sentences)
        } else {
            (sentences, m.b.clone())
        };
        let link = Link {
            class: LinkClass::Merged,
            a: la,
            b: lb,
            drift,
        };
        Some((link, covered))
    }
}

/// Whitespace collapsed: merged English joins sentences with one space, the originals may
/// have line breaks.
fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(h: &str, k: &str, target: &str, english: &str) -> String {
        format!(
            "<span data-ttu-id=\"{h}-{k}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{h}-{k}\">{english}</span></span>"
        )
    }

    fn article(path: &str, h: &str, pairs: &[(&str, &str)]) -> Article {
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, e)| pair(h, k, &format!("T {e}"), e))
            .collect();
        Article::parse(path, body.join(" ") + "\n")
    }

    fn classes(al: &KeyedAlignment) -> Vec<(&'static str, usize, usize)> {
        al.links
            .iter()
            .map(|l| (l.class.name(), l.a.len(), l.b.len()))
            .collect()
    }

    #[test]
    fn one_sided_keys_keep_document_order() {
        let a = article(
            "nb-NO/x.md",
            "aaaaa",
            &[("101", "A."), ("102", "B."), ("104", "D.")],
        );
        let b = article(
            "nl-NL/x.md",
            "bbbbb",
            &[("100", "Z."), ("101", "A."), ("103", "C."), ("104", "D.")],
        );
        let al = align_keyed(&a, &b);
        assert_eq!(
            classes(&al),
            [
                ("only-b", 0, 1),
                ("same", 1, 1),
                ("only-a", 1, 0),
                ("only-b", 0, 1),
                ("same", 1, 1)
            ]
        );
        assert!(!al.is_identical());
    }

    #[test]
    fn a_merged_id_covers_the_sentences_whose_english_it_contains() {
        let a = article(
            "nb-NO/x.md",
            "aaaaa",
            &[("123", "One."), ("p102", "Two. Three."), ("126", "Four.")],
        );
        let b = article(
            "nl-NL/x.md",
            "bbbbb",
            &[
                ("123", "One."),
                ("124", "Two."),
                ("125", "Three."),
                ("126", "Four."),
            ],
        );
        let al = align_keyed(&a, &b);
        assert_eq!(
            classes(&al),
            [("same", 1, 1), ("merged", 1, 2), ("same", 1, 1)]
        );
        assert_eq!(al.links[1].drift, None);
        // And the other way round.
        let al = align_keyed(&b, &a);
        assert_eq!(
            classes(&al),
            [("same", 1, 1), ("merged", 2, 1), ("same", 1, 1)]
        );
    }

    #[test]
    fn a_merged_id_that_contains_nothing_stays_one_sided() {
        let a = article("nb-NO/x.md", "aaaaa", &[("p101", "Other text entirely.")]);
        let b = article("nl-NL/x.md", "bbbbb", &[("101", "One."), ("102", "Two.")]);
        let al = align_keyed(&a, &b);
        assert_eq!(
            classes(&al),
            [("only-a", 1, 0), ("only-b", 0, 1), ("only-b", 0, 1)]
        );
    }
}
