//! The best section of a hit and a snippet that highlights every kind of match: exact,
//! stemmed, compound part, and fuzzy (tantivy's own snippets miss fuzzy matches).

use std::collections::HashSet;

use rustc_hash::FxHashSet;
use std::ops::Range;

use crate::analysis::{Analyzer, TermKind};
use crate::index::Section;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;
/// Context kept before the first match, in characters.
const LEAD_CHARS: usize = 40;

/// The terms a snippet marks.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Index terms: stems, codes, compound parts.
    pub exact: FxHashSet<String>,
    /// Query stems with their typo distance.
    pub fuzzy: Vec<(String, u8)>,
}

impl Matcher {
    fn matches(&self, term: &str, kind: TermKind) -> bool {
        if self.exact.contains(term) {
            return true;
        }
        kind != TermKind::Code
            && self.fuzzy.iter().any(|(q, d)| {
                // Cheap tests first: this runs on every word of every hit.
                let d = usize::from(*d);
                q.len().abs_diff(term.len()) <= 2 * d
                    && q.chars().next() == term.chars().next()
                    && within(q, term, d)
            })
    }
}

/// A section and a stretch of it with the matches marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub anchor: Option<String>,
    pub heading: Option<String>,
    pub text: String,
    /// Character offsets `[start, end)` into `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// Picks the section with the most distinct matched terms (then the most matches, then the
/// first) and cuts a snippet around its densest run of matches.
pub fn best_section(
    body: &str,
    sections: &[Section],
    matcher: &Matcher,
    analyzer: &mut Analyzer,
) -> Snippet {
    let mut matched: Vec<(Range<usize>, String)> = Vec::new();
    analyzer.for_each_term(body, |term, range, kind| {
        if matcher.matches(term, kind) {
            matched.push((range, term.to_owned()));
        }
    });
    matched.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));

    let whole = Section {
        anchor: None,
        heading: String::new(),
        start: 0,
        end: body.len(),
    };
    let sections: &[Section] = if sections.is_empty() {
        std::slice::from_ref(&whole)
    } else {
        sections
    };
    let in_section = |s: &Section| -> Vec<&(Range<usize>, String)> {
        matched
            .iter()
            .filter(|(r, _)| r.start >= s.start && r.end <= s.end)
            .collect()
    };
    let best = sections
        .iter()
        .enumerate()
        .max_by_key(|(i, s)| {
            let m = in_section(s);
            let distinct: HashSet<&String> = m.iter().map(|(_, t)| t).collect();
            (distinct.len(), m.len(), std::cmp::Reverse(*i))
        })
        .map(|(_, s)| s)
        .expect("at least one section");
    let hits: Vec<Range<usize>> = in_section(best)
        .into_iter()
        .map(|(r, _)| r.clone())
        .collect();

    // The window start: the match with the most matches within reach after it.
    let reach = SNIPPET_CHARS * 2; // bytes, roughly: nb/nl text is mostly one byte a char
    let anchor_match = (0..hits.len()).max_by_key(|&i| {
        let n = hits[i..]
            .iter()
            .take_while(|r| r.end <= hits[i].start + reach)
            .count();
        (n, std::cmp::Reverse(i))
    });
    let mut start = match anchor_match {
        Some(i) => back_chars(body, hits[i].start, LEAD_CHARS).max(best.start),
        None => best.start,
    };
    // Start at a word.
    if start > best.start
        && let Some(sp) = body[start..].find(char::is_whitespace)
    {
        let next = start + sp + 1;
        if hits.iter().all(|h| h.start >= next || h.end <= start) {
            start = next;
        }
    }
    let mut end = forward_chars(body, start, SNIPPET_CHARS).min(best.end);
    if end < best.end
        && let Some(sp) = body[start..end].rfind(char::is_whitespace)
    {
        end = start + sp;
    }
    let raw = &body[start..end];
    let lead = raw.len() - raw.trim_start().len();
    let text_start = start + lead;
    let text = raw.trim().replace('\n', " ");

    // Highlights as character offsets, overlapping ranges merged (a compound part lies
    // inside its word).
    let mut spans: Vec<Range<usize>> = hits
        .iter()
        .filter(|r| r.start >= text_start && r.end <= text_start + text.len())
        .map(|r| r.start - text_start..r.end - text_start)
        .collect();
    spans.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let to_chars = |byte: usize| text[..byte].chars().count();
    let highlights = merged
        .iter()
        .map(|r| [to_chars(r.start), to_chars(r.end)])
        .collect();

    Snippet {
        anchor: best.anchor.clone(),
        heading: Some(best.heading.clone()).filter(|h| !h.is_empty()),
        text,
        highlights,
    }
}

fn back_chars(s: &str, from: usize, n: usize) -> usize {
    s[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn forward_chars(s: &str, from: usize, n: usize) -> usize {
    s[from..]
        .char_indices()
        .nth(n)
        .map_or(s.len(), |(i, _)| from + i)
}

/// Whether two words are within `d` edits (insert, delete, substitute, swap neighbours).
pub fn within(a: &str, b: &str, d: usize) -> bool {
    // Words are short: rows live on the stack (longer words fall back to the heap).
    const MAX: usize = 48;
    let (mut ab, mut bb) = (['\0'; MAX], ['\0'; MAX]);
    let (mut n, mut m) = (0, 0);
    for c in a.chars() {
        if n == MAX {
            return within_long(a, b, d);
        }
        ab[n] = c;
        n += 1;
    }
    for c in b.chars() {
        if m == MAX {
            return within_long(a, b, d);
        }
        bb[m] = c;
        m += 1;
    }
    if n.abs_diff(m) > d {
        return false;
    }
    let mut rows = [[0usize; MAX + 1]; 3];
    distance_rows(&ab[..n], &bb[..m], d, &mut rows)
}

fn within_long(a: &str, b: &str, d: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > d {
        return false;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; 3];
    let [r0, r1, r2] = &mut rows[..] else {
        unreachable!()
    };
    osa(&a, &b, d, [r0, r1, r2])
}

fn distance_rows<const W: usize>(
    a: &[char],
    b: &[char],
    d: usize,
    rows: &mut [[usize; W]; 3],
) -> bool {
    let [r0, r1, r2] = rows;
    osa(a, b, d, [&mut r0[..], &mut r1[..], &mut r2[..]])
}

/// Optimal string alignment distance ≤ `d`, with early exit; rows: two back, one back,
/// current.
fn osa(a: &[char], b: &[char], d: usize, rows: [&mut [usize]; 3]) -> bool {
    let [mut prev2, mut prev, mut cur] = rows;
    let (n, m) = (a.len(), b.len());
    for (j, v) in prev.iter_mut().enumerate().take(m + 1) {
        *v = j;
    }
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > d {
            return false;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m] <= d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Language, Vocabulary};
    use std::sync::Arc;

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert!(within("synkronisering", "synkroniserign", 1));
        assert!(within("passord", "pasord", 1));
        assert!(!within("passord", "pasrod", 1));
        assert!(within("passord", "pasrod", 2));
    }

    #[test]
    fn the_section_with_most_distinct_matches_wins_and_every_match_is_marked() {
        let mut v = Vocabulary::default();
        for _ in 0..3 {
            v.add("passord");
            v.add("synkronisering");
        }
        let mut a = Analyzer::new(Language::Norwegian, Arc::new(v));
        let body = "Intro om konto.\nFeilsøke\nPassordsynkroniseringen feiler. Sjekk passord og synkronsiering.";
        let sections = vec![
            Section {
                anchor: None,
                heading: String::new(),
                start: 0,
                end: 15,
            },
            Section {
                anchor: Some("fix".into()),
                heading: "Feilsøke".into(),
                start: 16,
                end: body.len(),
            },
        ];
        let m = Matcher {
            exact: ["passord".to_owned(), "feil".to_owned()]
                .into_iter()
                .collect(),
            fuzzy: vec![("synkronisering".to_owned(), 2)],
        };
        let s = best_section(body, &sections, &m, &mut a);
        assert_eq!(s.anchor.as_deref(), Some("fix"));
        let marked: Vec<String> = s
            .highlights
            .iter()
            .map(|[x, y]| s.text.chars().skip(*x).take(y - x).collect())
            .collect();
        assert!(
            marked.contains(&"Passordsynkroniseringen".to_owned()),
            "{marked:?} in {}",
            s.text
        );
        assert!(
            marked.contains(&"synkronsiering".to_owned()),
            "fuzzy: {marked:?}"
        );
        assert!(marked.contains(&"feiler".to_owned()), "stemmed: {marked:?}");
    }
}
