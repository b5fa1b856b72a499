//! The best section of a hit and a snippet that highlights every kind of match: exact,
//! stemmed, compound part, synonym, translation, and typo (tantivy's own snippets miss
//! fuzzy matches). A typo is marked through the corrections the search looked for, so
//! what is marked is what matched.

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use crate::analysis::Analyzer;
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
    /// Finds the stretches of text worth analysing (see [`Matcher::with_probes`]);
    /// without it, all text is analysed.
    probes: Option<Probes>,
    /// The matches of every white-space-delimited run analysed so far (offsets within
    /// the run): the same words recur in a query's hits, and a lookup is far cheaper
    /// than analysing them again.
    seen: std::cell::RefCell<FxHashMap<Box<str>, Vec<Match>>>,
}

/// A matched term: where, and which (its number in the [`Matcher`]).
type Match = (Range<usize>, u32);

impl Matcher {
    pub fn new(exact: FxHashSet<String>) -> Matcher {
        let mut terms: Vec<String> = exact.into_iter().collect();
        terms.sort();
        Matcher {
            exact: terms.into_iter().zip(0..).collect(),
            probes: None,
            seen: Default::default(),
        }
    }

    /// Analysing every word of every hit is most of a query's time; only words that
    /// contain a probe of a searched term (or a character [`Analyzer::probe_always`]
    /// names) can match, so only those are analysed.
    pub fn with_probes(mut self, analyzer: &Analyzer) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        for term in self.exact.keys() {
            for p in analyzer.probes(term) {
                // Letters outside ASCII do not fold case in the scan: add the upper
                // case too ("ØRE" and "Øre" then match "øre").
                if !p.is_ascii() {
                    patterns.push(p.to_uppercase());
                }
                patterns.push(p);
            }
        }
        patterns.extend(analyzer.probe_always());
        self.probes = Some(Probes::new(&patterns));
        self
    }

    /// The matching terms of `text`, with their byte ranges, in order of position.
    fn find(&self, text: &str, analyzer: &mut Analyzer) -> Vec<Match> {
        let mut matched: Vec<Match> = Vec::new();
        let analyse = |chunk: &str, matched: &mut Vec<Match>, analyzer: &mut Analyzer| {
            analyzer.for_each_term(chunk, |term, range, _kind| {
                if let Some(&id) = self.exact.get(term) {
                    matched.push((range, id));
                }
            });
        };
        match &self.probes {
            None => analyse(text, &mut matched, analyzer),
            Some(probes) => {
                // Words never span white space: analyse the white-space-delimited run
                // around each probe found, each run once.
                let bytes = text.as_bytes();
                let mut done = 0;
                let mut seen = self.seen.borrow_mut();
                let mut fresh: Vec<Match> = Vec::new();
                probes.each(bytes, |at, len| {
                    if at < done {
                        return;
                    }
                    let start = bytes[..at]
                        .iter()
                        .rposition(u8::is_ascii_whitespace)
                        .map_or(0, |i| i + 1)
                        .max(done);
                    let end = bytes[at + len..]
                        .iter()
                        .position(u8::is_ascii_whitespace)
                        .map_or(text.len(), |i| at + len + i);
                    done = end;
                    let run = &text[start..end];
                    let found = match seen.get(run) {
                        Some(found) => found,
                        None => {
                            fresh.clear();
                            analyse(run, &mut fresh, analyzer);
                            seen.entry(run.into()).or_insert_with(|| fresh.clone())
                        }
                    };
                    matched.extend(
                        found
                            .iter()
                            .map(|(r, id)| (start + r.start..start + r.end, *id)),
                    );
                });
            }
        }
        matched
    }
}

/// Short byte strings found in a text, ASCII case aside: a set of the first two bytes of
/// every pattern tells where a pattern may start, so a scan costs a bit test per byte,
/// and building one per query costs next to nothing (an Aho–Corasick automaton costs
/// more to build than ten bodies take to scan).
#[derive(Debug, Clone)]
struct Probes {
    /// Patterns of one byte, by byte.
    single: [u64; 4],
    /// Patterns of two bytes or more, by their first two bytes.
    pairs: Box<[u64; 1024]>,
    /// Those patterns, sorted by their first two bytes (lower-cased).
    long: Vec<Vec<u8>>,
}

impl Probes {
    fn new(patterns: &[String]) -> Probes {
        let mut p = Probes {
            single: [0; 4],
            pairs: Box::new([0; 1024]),
            long: Vec::new(),
        };
        for pattern in patterns {
            let bytes = pattern.as_bytes().to_ascii_lowercase();
            match bytes.len() {
                0 => {}
                1 => p.single[usize::from(bytes[0] >> 6)] |= 1 << (bytes[0] & 63),
                _ => {
                    let key = pair(bytes[0], bytes[1]);
                    p.pairs[key >> 6] |= 1 << (key & 63);
                    p.long.push(bytes);
                }
            }
        }
        p.long.sort_by_key(|b| pair(b[0], b[1]));
        p.long.dedup();
        p
    }

    /// Calls `found(start, len)` for every pattern occurrence, in order of start.
    fn each(&self, text: &[u8], mut found: impl FnMut(usize, usize)) {
        for i in 0..text.len() {
            let b = text[i].to_ascii_lowercase();
            if self.single[usize::from(b >> 6)] & (1 << (b & 63)) != 0 {
                found(i, 1);
            }
            let Some(&next) = text.get(i + 1) else { break };
            let key = pair(b, next.to_ascii_lowercase());
            if self.pairs[key >> 6] & (1 << (key & 63)) == 0 {
                continue;
            }
            let from = self.long.partition_point(|p| pair(p[0], p[1]) < key);
            for p in self.long[from..]
                .iter()
                .take_while(|p| pair(p[0], p[1]) == key)
            {
                if text.len() >= i + p.len() && text[i..i + p.len()].eq_ignore_ascii_case(p) {
                    found(i, p.len());
                    break;
                }
            }
        }
    }
}

fn pair(a: u8, b: u8) -> usize {
    (usize::from(a) << 8) | usize::from(b)
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
    let mut matched = matcher.find(body, analyzer);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Language, Vocabulary};
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
        )
        .with_probes(&a);
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
        assert!(marked.contains(&"passord".to_owned()), "{marked:?}");
        assert!(
            !marked.contains(&"synkronsiering".to_owned()),
            "a misspelling in the article matched nothing: {marked:?}"
        );
        assert!(marked.contains(&"feiler".to_owned()), "stemmed: {marked:?}");
    }

    /// The probes and the remembered runs only skip work: on real articles, for terms of every kind they hold
    /// (stems, compound parts, codes, joined words, accented Dutch, override stems), the
    /// matches found with them are the matches found by analysing everything.
    /// `PROBE_EXTRA=../shared/corpus/alchemy cargo test --release --lib probes` adds 400
    /// articles per locale of a corpus (checked so on alchemy and spans/m365).
    #[test]
    fn probes_find_what_full_analysis_finds() {
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
            if let Ok(extra_dir) = std::env::var("PROBE_EXTRA") {
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
                for chunk in terms.chunks(7) {
                    let plain = Matcher::new(chunk.iter().cloned().collect());
                    let probed = plain.clone().with_probes(&a);
                    assert!(probed.probes.is_some());
                    let found = probed.find(text, &mut a);
                    assert_eq!(
                        found,
                        plain.find(text, &mut a),
                        "{language:?}, terms {chunk:?}"
                    );
                    // Again, every run now remembered.
                    assert_eq!(probed.find(text, &mut a), found, "{language:?}, remembered");
                }
            }
        }
    }
}
