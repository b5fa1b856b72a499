//! The best section of a hit and a snippet that highlights every kind of match: exact,
//! stemmed, compound part, synonym, translation, and typo (tantivy's own snippets miss
//! fuzzy matches). A typo is marked through the corrections the search looked for, so
//! what is marked is what matched. Matches come from the body's term vector, stored at
//! index time ([`TermVector`]); the body is analysed again only when that is damaged.

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use crate::analysis::{Analyzer, TermVector};
use crate::index::Section;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 240;
/// Context kept before the first match, in characters.
const LEAD_CHARS: usize = 40;

/// The terms a snippet marks.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Index terms (stems, codes, compound parts, corrections of typos), each with a
    /// number that stands for it in matches.
    exact: FxHashMap<String, u32>,
}

/// A matched term: where, and which (its number in the [`Matcher`]).
type Match = (Range<usize>, u32);

impl Matcher {
    pub fn new(exact: FxHashSet<String>) -> Matcher {
        let mut terms: Vec<String> = exact.into_iter().collect();
        terms.sort();
        Matcher {
            exact: terms.into_iter().zip(0..).collect(),
        }
    }

    /// The matching terms of `text`, with their byte ranges, in order of position (a
    /// longer range first), each once: read from `vector` (the text's term vector) when it
    /// is sound, else by analysing `text`.
    fn find(&self, text: &str, vector: Option<&str>, analyzer: &mut Analyzer) -> Vec<Match> {
        let mut matched = match vector
            .and_then(|v| TermVector::matches(v, text, |t| self.exact.get(t).copied()).ok())
        {
            Some(found) => found,
            None => {
                let mut matched: Vec<Match> = Vec::new();
                analyzer.for_each_term(text, |term, range, _kind| {
                    if let Some(&id) = self.exact.get(term) {
                        matched.push((range, id));
                    }
                });
                matched
            }
        };
        // A word can reach one term twice (through a hyphenated compound's joined form
        // and through its part): it is one match.
        matched.sort_by_key(|(r, id)| (r.start, std::cmp::Reverse(r.end), *id));
        matched.dedup();
        matched
    }
}

/// A section and a stretch of it with the matches marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The section's anchor.
    pub anchor: Option<String>,
    /// The section's heading (`None` before the first heading).
    pub heading: Option<String>,
    /// The stretch of the section's text.
    pub text: String,
    /// Character offsets `[start, end)` into `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// Picks the section with the most distinct matched terms (then the most matches, then the
/// first) and cuts a snippet around its densest run of matches. `body_terms` is the body's
/// stored term vector (analysed again when absent or damaged).
pub fn best_section(
    body: &str,
    sections: &[Section],
    body_terms: Option<&str>,
    matcher: &Matcher,
    analyzer: &mut Analyzer,
) -> Snippet {
    let matched = matcher.find(body, body_terms, analyzer);

    // Sections come from the index; one that does not fit the body (a damaged or older
    // index) is left out rather than cut at.
    let fits = |s: &&Section| {
        s.start <= s.end
            && s.end <= body.len()
            && body.is_char_boundary(s.start)
            && body.is_char_boundary(s.end)
    };
    let whole = Section {
        anchor: None,
        heading: String::new(),
        start: 0,
        end: body.len(),
    };
    let mut sections: Vec<&Section> = sections.iter().filter(fits).collect();
    if sections.is_empty() {
        sections.push(&whole);
    }
    let in_section = |s: &Section| -> Vec<&Match> {
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
            let distinct: FxHashSet<u32> = m.iter().map(|(_, t)| *t).collect();
            (distinct.len(), m.len(), std::cmp::Reverse(*i))
        })
        .map(|(_, s)| *s)
        .expect("at least one section");
    let hits: Vec<Range<usize>> = in_section(best)
        .into_iter()
        .map(|(r, _)| r.clone())
        .collect();
    let Range { start, end } = window(body, best.start..best.end, &hits);
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

/// The stretch of `body[section]` a snippet shows: at most [`SNIPPET_CHARS`] characters
/// from a little before the densest run of `hits`, starting and ending at white space
/// where that cuts no match. `section` and every hit are on character boundaries, and so
/// is what comes back, whatever white space the text uses (the machine translation writes
/// U+00A0 and U+202F, which take two and three bytes).
fn window(body: &str, section: Range<usize>, hits: &[Range<usize>]) -> Range<usize> {
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
        Some(i) => back_chars(body, hits[i].start, LEAD_CHARS).max(section.start),
        None => section.start,
    };
    // Start at a word: after the first white space, unless that would cut a match.
    if start > section.start
        && let Some((sp, c)) = body[start..section.end]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
    {
        let next = start + sp + c.len_utf8();
        if hits.iter().all(|h| h.start >= next || h.end <= start) {
            start = next;
        }
    }
    let mut end = forward_chars(body, start, SNIPPET_CHARS).min(section.end);
    // End before the last white space, unless the section ends here anyway.
    if end < section.end
        && let Some(sp) = body[start..end].rfind(char::is_whitespace)
    {
        end = start + sp;
    }
    start..end
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Language, Vocabulary};
    use proptest::prelude::*;
    use std::sync::Arc;

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
        // "synkronsiering" was typed; the search corrected it to "synkronisering".
        let m = Matcher::new(
            ["passord", "feil", "synkronisering"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
        let vector = TermVector::encode(&mut a, body);
        let s = best_section(body, &sections, Some(&vector), &m, &mut a);
        assert_eq!(s, best_section(body, &sections, None, &m, &mut a));
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
        assert!(marked.contains(&"passord".to_owned()), "{marked:?}");
        assert!(
            !marked.contains(&"synkronsiering".to_owned()),
            "a misspelling in the article matched nothing: {marked:?}"
        );
        assert!(marked.contains(&"feiler".to_owned()), "stemmed: {marked:?}");
    }

    /// The body text behind a snippet: what `best_section` shows is a piece of it.
    fn shown_in(body: &str, s: &Snippet) -> bool {
        body.replace('\n', " ").contains(&s.text)
    }

    /// The spaces, joiners, marks and 4-byte characters machine-translated text carries.
    const AWKWARD: [&str; 14] = [
        "\u{a0}",
        "\u{2007}",
        "\u{202f}",
        "\u{2009}",
        "\u{3000}",
        "\u{200b}",
        "\u{200c}",
        "\u{200d}",
        "e\u{301}",
        "\u{1f600}",
        "\u{1d400}",
        "\n",
        " ",
        "\u{2028}",
    ];

    /// The real case (alchemy `1-1-call-recording.md`, nl-NL): a snippet whose window
    /// opened just before a U+202F was cut inside it.
    #[test]
    fn a_window_opening_at_a_narrow_no_break_space_is_cut_after_it() {
        let mut a = Analyzer::new(Language::Dutch, Arc::new(Vocabulary::default()));
        let query = "oproepbeleid blokkeren";
        let mut terms = FxHashSet::default();
        a.for_each_term(query, |t, _, _| {
            terms.insert(t.to_owned());
        });
        let m = Matcher::new(terms);
        // The window opens LEAD_CHARS before the first match: two characters before the
        // space.
        let lead = "z".repeat(LEAD_CHARS - 4);
        for space in AWKWARD {
            let body = format!("1:1 oproepopname\nAls de knop yyyyyy{space}{lead} {query}.");
            let s = best_section(&body, &[], None, &m, &mut a);
            assert!(shown_in(&body, &s), "{space:?}: {s:?}");
            assert_eq!(s.highlights.len(), 2, "{space:?}: {s:?}");
        }
    }

    /// Sections from a damaged index (past the end, inside a character, backwards) are
    /// not cut at: the snippet comes from the sections that fit, or the whole body.
    #[test]
    fn sections_that_do_not_fit_the_body_are_left_out() {
        let mut a = Analyzer::new(Language::Norwegian, Arc::new(Vocabulary::default()));
        let body = "Feil\u{202f}ved pålogging. Passordet\u{a0}utløper.";
        let bad = |start, end| Section {
            anchor: Some("x".into()),
            heading: "X".into(),
            start,
            end,
        };
        let m = Matcher::new(["passord".to_owned()].into_iter().collect());
        for sections in [
            vec![bad(0, 500)],
            vec![bad(5, 10)],
            vec![bad(30, 4)],
            vec![bad(0, 5), bad(6, body.len())],
        ] {
            let s = best_section(body, &sections, None, &m, &mut a);
            assert!(shown_in(body, &s), "{sections:?}: {s:?}");
            assert_eq!(s.anchor, None, "{sections:?}");
        }
    }

    /// Text made of words and of the characters above, each likely.
    fn awkward_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => prop::sample::select(vec![
                "passord", "synkronisering", "feiler", "oproepbeleid", "blokkeren",
                "e-post", "0x80070005", "Set-ADUser", "ØRE", "geëxporteerd", "Wi-Fi", "",
            ]).prop_map(str::to_owned),
            3 => prop::sample::select(AWKWARD.to_vec()).prop_map(str::to_owned),
            1 => "\\PC{1,6}",
            1 => "[a-zæøå]{1,12}",
        ];
        prop::collection::vec(piece, 0..120).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the text, a snippet cut around any of its terms is a piece of it, its
        /// highlights lie inside it and are not empty: no offset falls inside a character.
        #[test]
        fn snippets_of_any_text_are_cut_at_characters(
            text in awkward_text(),
            cuts in prop::collection::vec((0usize..2000, 0usize..2000), 0..4),
        ) {
            let mut v = Vocabulary::default();
            v.learn(&text);
            for language in [Language::Norwegian, Language::Dutch] {
                let mut a = Analyzer::new(language, Arc::new(v.clone()));
                let mut terms: Vec<String> = Vec::new();
                a.for_each_term(&text, |t, _, _| terms.push(t.to_owned()));
                terms.sort();
                terms.dedup();
                let vector = TermVector::encode(&mut a, &text);
                // Sections at arbitrary bytes, as a damaged index may hold.
                let sections: Vec<Section> = cuts
                    .iter()
                    .map(|&(x, y)| Section { anchor: None, heading: "h".into(), start: x, end: y })
                    .collect();
                for term in &terms {
                    let m = Matcher::new([term.clone()].into_iter().collect());
                    for vector in [Some(vector.as_str()), None] {
                        let s = best_section(&text, &sections, vector, &m, &mut a);
                        prop_assert!(shown_in(&text, &s), "{:?} not in {:?}", s.text, text);
                        let chars = s.text.chars().count();
                        for &[x, y] in &s.highlights {
                            prop_assert!(x < y && y <= chars, "{:?} in {:?}", [x, y], s.text);
                        }
                    }
                }
            }
        }
    }

    /// The stored term vector only saves work: on real articles, for terms of every kind
    /// they hold (stems, compound parts, codes, joined words, accented Dutch, override
    /// stems), the matches read from it are the matches found by analysing the text.
    /// `VECTOR_EXTRA=../shared/corpus/alchemy cargo test --release --lib vector` adds 400
    /// articles per locale of a corpus.
    #[test]
    fn the_term_vector_finds_what_analysis_finds() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let texts = |dir: &str| -> Vec<String> {
            let mut out = Vec::new();
            for e in walkdir::WalkDir::new(format!("{root}{dir}")) {
                let e = e.unwrap();
                if e.path().extension().is_some_and(|x| x == "md") {
                    let text = std::fs::read_to_string(e.path()).unwrap();
                    let a = crate::article::Article::parse(e.path(), text);
                    out.push(crate::article::markdown_to_text(&a.target_markdown()));
                }
            }
            out
        };
        let extra = "Stuurprogramma's en drivers, Wi-Fi en wifi, e-post en epost, geëxporteerd \
            en financiële ideeën, 0x80070005 en AADSTS50126, Set-ExecutionPolicy, ØRE øre Øre, \
            Ruteren og routeren, brukerens passordsynkronisering. De pagina laadt traag: \
            laden, laden, laden; het neemt tijd, nemen nemen nemen; het werkt niet, werken \
            werken werken; synchroniseert synchroniseren synchroniseren synchroniseren; \
            begint beginnen beginnen beginnen; leeft leven leven leven. Filen ble ikke \
            funnet, vi fant den ikke.";
        for (language, dirs) in [
            (
                Language::Norwegian,
                ["content/nb-NO", "tests/fixtures/edge-cases"],
            ),
            (
                Language::Dutch,
                ["content/nl-NL", "tests/fixtures/edge-cases"],
            ),
        ] {
            let mut all: Vec<String> = dirs.iter().flat_map(|d| texts(d)).collect();
            if let Ok(extra_dir) = std::env::var("VECTOR_EXTRA") {
                let sub = if language == Language::Dutch {
                    "nl-NL"
                } else {
                    "nb-NO"
                };
                let mut more = texts(&format!("{extra_dir}/{sub}"));
                more.truncate(400);
                all.extend(more);
            }
            all.push(extra.to_owned());
            let mut v = Vocabulary::default();
            for t in &all {
                v.learn(t);
            }
            let mut a = Analyzer::new(language, Arc::new(v));
            for text in &all {
                let mut terms: Vec<String> = Vec::new();
                a.for_each_term(text, |t, _, _| terms.push(t.to_owned()));
                terms.sort();
                terms.dedup();
                let vector = TermVector::encode(&mut a, text);
                for chunk in terms.chunks(7) {
                    let m = Matcher::new(chunk.iter().cloned().collect());
                    let found = m.find(text, Some(&vector), &mut a);
                    assert!(!found.is_empty(), "{language:?}, terms {chunk:?}");
                    assert_eq!(
                        found,
                        m.find(text, None, &mut a),
                        "{language:?}, terms {chunk:?}"
                    );
                }
                // A damaged vector is read as none.
                let m = Matcher::new(terms.iter().take(3).cloned().collect());
                let half = (0..=vector.len() / 2)
                    .rev()
                    .find(|&i| vector.is_char_boundary(i))
                    .unwrap_or(0);
                assert_eq!(
                    m.find(text, Some(&vector[..half]), &mut a),
                    m.find(text, None, &mut a)
                );
            }
        }
    }
}
