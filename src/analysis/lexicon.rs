//! English words to the terms of a translation, learned from the parallel text the content
//! itself carries.
//!
//! Admins mix English into their own language: "bruker sperret for å sende spam",
//! "workflow op sharepoint lijst wordt niet gestart". Machine translation writes the
//! localized term ("søppelpost", "werkstroom"), so the English word finds nothing. But every
//! localized knowledge base holds its own dictionary: headings keep their English anchor
//! (`<a name="workflow-is-not-starting"></a>Werkstroom start niet`), files keep their
//! English name beside a translated title, and span articles pair every segment with its
//! English source. From those pairs the lexicon learns which localized term an English
//! word becomes.
//!
//! The method is competitive linking (Melamed, 1997): Dice coefficients over the pairs
//! rank every English–target candidate, then within each pair the best candidates are
//! linked one to one, so that "spam" links to "søppelpost" and not also to "mye" of "for
//! mye søppelpost" (which "much" takes). A translation is kept when it was linked in
//! enough pairs and in a fair share of the pairs its English word occurs in.
//!
//! ```
//! use std::sync::Arc;
//! use remedy::analysis::{Analyzer, Language, Lexicon, Vocabulary};
//! let pairs: Vec<(String, String)> = [
//!     ("sender-blocked-for-sending-spam", "Avsender blokkert for å sende søppelpost"),
//!     ("too-much-spam", "For mye søppelpost"),
//!     ("spam-filter", "Søppelpostfilter"),
//!     ("report-spam", "Rapporter søppelpost"),
//! ]
//! .iter()
//! .map(|(e, t)| (e.to_string(), t.to_string()))
//! .collect();
//! let en = Analyzer::new(Language::English, Arc::new(Vocabulary::default()));
//! let nb = Analyzer::new(Language::Norwegian, Arc::new(Vocabulary::default()));
//! let lexicon = Lexicon::learn(&pairs, &en, &nb);
//! assert_eq!(lexicon.translations("spam"), ["søppelpost"]);
//! ```

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Analyzer, TermKind};

/// Pairs an English word must be linked in before a translation is believed.
const MIN_LINKS: u32 = 3;
/// Share of the pairs with the English word that must link it to the translation.
const MIN_SHARE: f32 = 0.3;
/// Translations kept per English word, most often linked first.
const MAX_TRANSLATIONS: usize = 2;

/// English stems (see [`Lexicon::learn`]) to the index terms they are translated as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    map: FxHashMap<String, Vec<String>>,
}

impl Lexicon {
    /// Pairs with more English words than this (stop words aside) say too little about
    /// which word is which, and are not learned from.
    pub const MAX_PAIR_WORDS: usize = 40;

    /// Learns from `(english, target)` pairs: English text (anchors and file names with
    /// their hyphens, or source segments) beside the translation of the same thing.
    /// `english` and `target` are the analyzers of the two sides; keys are English stems,
    /// translations are the target's index terms.
    pub fn learn(pairs: &[(String, String)], english: &Analyzer, target: &Analyzer) -> Lexicon {
        let mut names: Vec<String> = Vec::new();
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut intern = |s: String| -> u32 {
            *ids.entry(s).or_insert_with_key(|k| {
                names.push(k.clone());
                (names.len() - 1) as u32
            })
        };
        // Analysis is most of the work (a span corpus has a hundred thousand pairs): in
        // parallel, one pair of analyzers per thread.
        // Big chunks: each analyzer's stem cache pays off over many pairs.
        let chunk = pairs.len().div_ceil(rayon::current_num_threads()).max(1);
        let analysed: Vec<Option<(Vec<String>, Vec<String>)>> = pairs
            .par_chunks(chunk)
            .flat_map_iter(|chunk| {
                let (mut english, mut target) = (english.clone(), target.clone());
                chunk
                    .iter()
                    .map(|(e, t)| sides_of(&mut english, &mut target, e, t))
                    .collect::<Vec<_>>()
            })
            .collect();
        // The same heading in two files (a copy of an article) is one piece of evidence,
        // not two. What is learned does not depend on the order of the pairs.
        let mut sides: FxHashSet<(Vec<u32>, Vec<u32>)> = FxHashSet::default();
        for (es, ts) in analysed.into_iter().flatten() {
            let mut es: Vec<u32> = es.into_iter().map(&mut intern).collect();
            let mut ts: Vec<u32> = ts.into_iter().map(&mut intern).collect();
            es.sort_unstable();
            es.dedup();
            ts.sort_unstable();
            ts.dedup();
            if !es.is_empty() && !ts.is_empty() {
                sides.insert((es, ts));
            }
        }
        let sides: Vec<(Vec<u32>, Vec<u32>)> = sides.into_iter().collect();

        let mut english_count: FxHashMap<u32, u32> = FxHashMap::default();
        let mut target_count: FxHashMap<u32, u32> = FxHashMap::default();
        let mut both: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for (es, ts) in &sides {
            for e in es {
                *english_count.entry(*e).or_default() += 1;
                for t in ts {
                    *both.entry((*e, *t)).or_default() += 1;
                }
            }
            for t in ts {
                *target_count.entry(*t).or_default() += 1;
            }
        }
        let dice = |e: u32, t: u32| -> f32 {
            2.0 * both[&(e, t)] as f32 / (english_count[&e] + target_count[&t]) as f32
        };

        // Each pair is linked on its own: in parallel, each thread with its own counts.
        let links = sides
            .par_iter()
            .fold(Linking::default, |mut linking, (es, ts)| {
                linking.link(es, ts, &dice, &names);
                linking
            })
            .map(|linking| linking.links)
            .reduce(FxHashMap::default, |mut a, b| {
                for (k, n) in b {
                    *a.entry(k).or_default() += n;
                }
                a
            });

        let mut found: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
        for (&(e, t), &n) in &links {
            let share = n as f32 / english_count[&e] as f32;
            // A word linked to itself ("sharepoint") needs no translation.
            if n >= MIN_LINKS && share >= MIN_SHARE && names[e as usize] != names[t as usize] {
                found.entry(e).or_default().push((n, t));
            }
        }
        let map = found
            .into_iter()
            .map(|(e, mut ts)| {
                ts.sort_unstable_by(|a, b| {
                    b.0.cmp(&a.0)
                        .then(names[a.1 as usize].cmp(&names[b.1 as usize]))
                });
                let ts = ts
                    .into_iter()
                    .take(MAX_TRANSLATIONS)
                    .map(|(_, t)| names[t as usize].clone())
                    .collect();
                (names[e as usize].clone(), ts)
            })
            .collect();
        Lexicon { map }
    }

    /// The target terms an English stem was learned to become, most likely first.
    pub fn translations(&self, english_stem: &str) -> &[String] {
        self.map.get(english_stem).map_or(&[], Vec::as_slice)
    }

    /// The translations of a word as typed, read the way the English side was learned
    /// ("add-in" is "add" and "in", as in an anchor).
    pub fn lookup(&self, english: &mut Analyzer, typed: &str) -> Vec<&String> {
        if self.map.is_empty() {
            return Vec::new();
        }
        english_words(english, typed)
            .iter()
            .flat_map(|(stem, _)| self.translations(stem))
            .collect()
    }

    /// English words with a translation.
    /// English terms that have a translation.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// One line per English stem: the stem, then its translations, tab-separated; sorted.
    pub fn to_tsv(&self) -> String {
        let mut keys: Vec<&String> = self.map.keys().collect();
        keys.sort();
        let mut out = String::new();
        for k in keys {
            out.push_str(k);
            for t in &self.map[k] {
                out.push('\t');
                out.push_str(t);
            }
            out.push('\n');
        }
        out
    }

    /// Reads what [`Lexicon::to_tsv`] wrote.
    pub fn from_tsv(text: &str) -> Result<Lexicon, String> {
        let mut map = FxHashMap::default();
        for (i, line) in text.lines().enumerate() {
            let mut cells = line.split('\t');
            let key = cells.next().unwrap_or_default();
            let ts: Vec<String> = cells.map(str::to_owned).collect();
            if key.is_empty() || ts.is_empty() {
                return Err(format!(
                    "line {}: expected an English word and its translations, tab-separated",
                    i + 1
                ));
            }
            map.insert(key.to_owned(), ts);
        }
        Ok(Lexicon { map })
    }
}

/// Links counted over pairs, (English id, target id) → pairs linking them.
#[derive(Default)]
struct Linking {
    links: FxHashMap<(u32, u32), u32>,
    /// Reused for every pair: (Dice, English id, target id).
    candidates: Vec<(f32, u32, u32)>,
}

impl Linking {
    /// Competitive linking within one pair: the best candidate first, each word of either
    /// side linked once.
    fn link(&mut self, es: &[u32], ts: &[u32], dice: &impl Fn(u32, u32) -> f32, names: &[String]) {
        self.candidates.clear();
        for e in es {
            for t in ts {
                self.candidates.push((dice(*e, *t), *e, *t));
            }
        }
        // Best first. A compound and its first part always go together, so they tie: the
        // longer target term, the whole word, wins. Then by name, so that what is learned
        // does not depend on the order of the pairs.
        self.candidates.sort_unstable_by(|a, b| {
            let (ta, tb) = (&names[a.2 as usize], &names[b.2 as usize]);
            b.0.total_cmp(&a.0)
                .then_with(|| tb.len().cmp(&ta.len()))
                .then_with(|| names[a.1 as usize].cmp(&names[b.1 as usize]))
                .then_with(|| ta.cmp(tb))
        });
        let (mut used_e, mut used_t) = (Vec::new(), Vec::new());
        for &(_, e, t) in &self.candidates {
            if used_e.contains(&e) || used_t.contains(&t) {
                continue;
            }
            used_e.push(e);
            used_t.push(t);
            *self.links.entry((e, t)).or_default() += 1;
        }
    }
}

/// One pair read for learning: the English stems and the target terms, without the words
/// both sides write ("SharePoint", "protection": a name or a loan the translation kept, not
/// a translation, however differently the two stemmers cut it). `None` when the English
/// says nothing or too much.
fn sides_of(
    english: &mut Analyzer,
    target: &mut Analyzer,
    e: &str,
    t: &str,
) -> Option<(Vec<String>, Vec<String>)> {
    let english_words = english_words(english, e);
    if english_words.is_empty() || english_words.len() > Lexicon::MAX_PAIR_WORDS {
        return None;
    }
    let mut ts: Vec<String> = target_words(target, t);
    let mut es: Vec<String> = Vec::new();
    for (stem, surface) in english_words {
        let same = target.stem(&surface);
        if let Some(i) = same.and_then(|same| ts.iter().position(|t| *t == same)) {
            ts.swap_remove(i);
            continue;
        }
        es.push(stem);
    }
    Some((es, ts))
}

/// The English words of a text as (stem, lower-cased word): hyphens and underscores
/// separate words (anchors and file names are slugs), stop words and short or numeric
/// words are left out.
fn english_words(english: &mut Analyzer, text: &str) -> Vec<(String, String)> {
    let text = text.replace(['-', '_'], " ");
    english
        .analyze(&text)
        .into_iter()
        .filter(|term| term.kind == TermKind::Word && telling(&term.text, true))
        .map(|term| (term.text, text[term.range].to_lowercase()))
        .collect()
}

/// The target terms of a text: each word's stem and its compound parts ("kalender" of
/// "Kalenderhendelser" is what "calendar" becomes, the compound is "calendar events"), a
/// hyphenated run's joined form only ("epost", not "e" and "post", which would tie with
/// it; a run analysis gives no joined term, like "f.eks", keeps its parts). Codes are left
/// out, as on the English side.
fn target_words(target: &mut Analyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The run the last whole term stood for, and whether it was a plain word.
    let mut run: std::ops::Range<usize> = 0..0;
    let mut plain = true;
    for term in target.analyze(text) {
        let inside = !run.is_empty() && term.range.start >= run.start && term.range.end <= run.end;
        if inside && !plain {
            continue;
        }
        if !inside {
            run = term.range.clone();
            plain = term.kind == TermKind::Word;
        }
        if term.kind != TermKind::Code && telling(&term.text, false) {
            out.push(term.text);
        }
    }
    out
}

/// Whether a term can carry meaning across languages: not a number, not a letter or two,
/// and on the English side not one of the words every heading has ("not", "can").
fn telling(term: &str, english: bool) -> bool {
    let long_enough = term.chars().count() >= if english { 3 } else { 2 };
    long_enough
        && !term.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !(english && matches!(term, "not" | "cannot" | "can" | "no"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::{Language, Vocabulary};

    fn learn(pairs: &[(&str, &str)], language: Language) -> Lexicon {
        learn_with(pairs, language, Vocabulary::default())
    }

    /// With a vocabulary for the target side, which splits its compounds.
    fn learn_with(pairs: &[(&str, &str)], language: Language, vocabulary: Vocabulary) -> Lexicon {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(e, t)| ((*e).to_owned(), (*t).to_owned()))
            .collect();
        let en = Analyzer::new(Language::English, Arc::new(Vocabulary::default()));
        let target = Analyzer::new(language, Arc::new(vocabulary));
        Lexicon::learn(&pairs, &en, &target)
    }

    #[test]
    fn competitive_linking_keeps_the_translation_and_not_its_neighbours() {
        let l = learn(
            &[
                ("workflow-is-not-starting", "Werkstroom start niet"),
                (
                    "workflow-email-not-being-sent",
                    "E-mail van werkstroom wordt niet verzonden",
                ),
                (
                    "workflow-progress-issues",
                    "Problemen met de voortgang van de werkstroom",
                ),
                (
                    "access-denied-when-viewing-a-workflow",
                    "Toegang geweigerd bij het bekijken van een werkstroom",
                ),
                (
                    "workflow-troubleshooting",
                    "Problemen met werkstromen oplossen",
                ),
                ("progress-of-a-workflow", "Voortgang van een werkstroom"),
                ("progress-bar", "Voortgangsbalk"),
                ("slow-progress", "Trage voortgang"),
            ],
            Language::Dutch,
        );
        // Five pairs write "werkstroom"; "werkstromen" (stemmed apart) is one, too few.
        assert_eq!(l.translations("workflow"), ["werkstroom"]);
        // "progress" is in three of its four pairs with "voortgang" (the fourth holds the
        // compound); "met"/"van"/"de" are stop words, "problemen" belongs to "issues".
        assert_eq!(l.translations("progress"), ["voortgang"]);
        assert!(
            l.translations("start").is_empty(),
            "one pair is no evidence"
        );
        assert!(l.translations("not").is_empty());
    }

    #[test]
    fn names_shared_by_both_sides_need_no_translation() {
        let l = learn(
            &[
                ("sharepoint-spam", "SharePoint søppelpost"),
                ("sharepoint-lists", "SharePoint lister"),
                ("sharepoint-sites", "SharePoint områder"),
            ],
            Language::Norwegian,
        );
        assert!(l.translations("sharepoint").is_empty());
    }

    #[test]
    fn a_hyphenated_word_is_learned_joined_and_slugs_are_read_like_text() {
        let l = learn(
            &[
                ("email-delivery", "Levering av e-post"),
                ("email-not-received", "E-post ikke mottatt"),
                ("email-is-slow", "E-post er treg"),
            ],
            Language::Norwegian,
        );
        // One term for "e-post", the one the index has for the whole word.
        assert_eq!(l.translations("email"), ["epost"]);
        let mut en = Analyzer::new(Language::English, Arc::new(Vocabulary::default()));
        // Typed in a query as a slug or a sentence: the same stem.
        assert_eq!(l.lookup(&mut en, "Email-delivery"), ["epost"]);
        assert_eq!(l.lookup(&mut en, "emails"), ["epost"]);
    }

    #[test]
    fn compound_parts_are_translations_and_whole_compounds_too() {
        // A vocabulary that splits "kalenderhendelser", "kalenderdeling" and the others.
        let mut v = Vocabulary::default();
        for _ in 0..3 {
            for w in [
                "kalender",
                "hendelser",
                "deling",
                "tillatelser",
                "arbeid",
                "arbeidsflyt",
                "post",
                "flyt",
            ] {
                v.add(w);
            }
        }
        let l = learn_with(
            &[
                ("calendar-events-missing", "Kalenderhendelser mangler"),
                ("calendar-sharing", "Kalenderdeling"),
                ("calendar-permissions", "Kalendertillatelser"),
                ("calendar-not-updating", "Kalenderen oppdateres ikke"),
                ("workflow-is-not-starting", "Arbeidsflyten starter ikke"),
                (
                    "workflow-email-not-sent",
                    "E-post fra arbeidsflyten sendes ikke",
                ),
                ("workflow-troubleshooting", "Feilsøke arbeidsflyt"),
                ("mail-flow", "Postflyt"),
                ("mail-flow-rules", "Regler for postflyt"),
            ],
            Language::Norwegian,
            v,
        );
        // "calendar" is the head of every "kalender…" compound: the part is its translation.
        assert_eq!(l.translations("calendar"), ["kalend"]);
        // "workflow" is the whole word "arbeidsflyt" (split into "arbeid" and "flyt" as
        // well), not the "flyt" it shares with "postflyt": the whole word is the one
        // always beside it.
        assert_eq!(l.translations("workflow"), ["arbeidsflyt"]);
    }

    #[test]
    fn tsv_round_trips_and_bad_lines_are_errors() {
        let l = learn(
            &[
                ("blocked-sender", "Blokkert avsender"),
                ("sender-is-blocked", "Avsenderen er blokkert"),
                ("blocked-user", "Blokkert bruker"),
            ],
            Language::Norwegian,
        );
        assert_eq!(l.translations("block"), ["blokker"]);
        assert_eq!(Lexicon::from_tsv(&l.to_tsv()).unwrap(), l);
        assert!(
            Lexicon::from_tsv("spam\n")
                .unwrap_err()
                .starts_with("line 1:")
        );
    }
}
