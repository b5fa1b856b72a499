//! The query plan: what each query word is (its terms, compound parts, typos, synonyms,
//! translations, English readings) and the scoring tree built from it, with the weights
//! the ranking is tuned by. Weights are judged on every judged set at once (`eval/`).

use std::collections::{BTreeMap, HashSet};

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::score::Scoring;
use super::*;
use crate::analysis::{Analyzer, Lexicon, Synonyms, TermKind};
use crate::index;

/// Field weights: a word in the title says more than one in a heading, which says more
/// than one in the body.
const TITLE: f32 = 3.0;
const HEADINGS: f32 = 1.5;
const BODY: f32 = 1.0;
/// A typo corrected against the content counts less than an exact match.
const FUZZY: f32 = 0.6;
/// One part of a compound alone.
const PART: f32 = 0.3;
/// A synonym users type for a word of the articles.
const SYNONYM: f32 = 0.8;
/// The localized term an English word of the query is translated as (lexicon).
const TRANSLATION: f32 = 1.0;
/// A query word found in the English source text, where it is more common than in the
/// translation: as much as a word of the body.
const ENGLISH_WORD: f32 = 1.0;
/// How many times more articles must write the translation than the English word itself
/// before the word is taken for a loanword and translated.
const LOANWORD_RATIO: u64 = 4;
/// What every query word found adds to an article's score, beside its BM25.
const COVERAGE: f32 = 2.0;
/// Share of a word's other ways of matching added to its best one.
const WORD_TIE: f32 = 0.1;
/// Share of a term's other fields added to its best field.
const TIE_BREAKER: f32 = 0.2;
/// Query words in order, close together: the symptom as written.
const PROXIMITY: f32 = 1.0;

/// What the lexicon learned a query word becomes when it is English: admins type "spam"
/// and "workflow" where the articles write "søppelpost" and "werkstroom". A translation
/// counts only when the articles write it more than four times as often as the word
/// itself: then the word is a loanword the translation avoids, while a word of the
/// language that looks English ("last" in "last ned") stays what it is. Codes stay as
/// they are.
fn translations(
    w: &QueryWord,
    query: &str,
    english: &mut Analyzer,
    lexicon: &Lexicon,
    searcher: &Searcher,
    body: Field,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if w.code {
        return out;
    }
    let typed = query.get(w.range.clone()).unwrap_or_default();
    for t in lexicon.lookup(english, typed) {
        if *t == w.main || w.parts.contains(t) || out.contains(t) {
            continue;
        }
        let df = searcher
            .doc_freq(&Term::from_field_text(body, t))
            .unwrap_or(0);
        if df > LOANWORD_RATIO * w.df {
            out.push(t.clone());
        }
    }
    out
}

/// One query word as analysed: its main term, compound parts, and how to match it.
#[derive(Debug, Clone)]
struct QueryWord {
    main: String,
    parts: Vec<String>,
    /// The parts that cover the word without overlapping, first found first: all of
    /// them together are the word ("epost" + "melding" of "e-postmeldinger", not also
    /// the "postmelding" of its second piece).
    cover: Vec<(String, std::ops::Range<usize>)>,
    /// Typo tolerance: the edit distance allowed (codes and short words: none).
    fuzzy: Option<u8>,
    /// Stems of known words within that distance, for a word the index does not know.
    near: Vec<String>,
    /// Stems of synonyms users type for the word ("mail" for "e-post").
    synonyms: Vec<String>,
    /// Terms the word becomes when it is English ("spam" → "søppelpost").
    translations: Vec<String>,
    /// The word's English term, when the English source text writes it more often than
    /// the translation does ("merge" of "mail merge"): it is searched there too.
    english: Option<String>,
    /// Where the word stands in the query (bytes).
    range: std::ops::Range<usize>,
    code: bool,
    /// Documents with the main term (body).
    df: u64,
    /// Documents with the main term or its most written synonym: rarer words count more
    /// when the query is cut.
    group_df: u64,
}

impl QueryWord {
    /// Adds a compound part (or a hyphenated run's piece), and to the cover when it
    /// overlaps no part there.
    fn add_part(&mut self, t: crate::analysis::Term) {
        if t.text == self.main || self.parts.contains(&t.text) {
            return;
        }
        let free = |(_, r): &(String, std::ops::Range<usize>)| {
            r.end <= t.range.start || t.range.end <= r.start
        };
        if self.cover.iter().all(free) {
            self.cover.push((t.text.clone(), t.range.clone()));
        }
        self.parts.push(t.text);
    }

    /// The ways the word can match, in the order the query scores them.
    fn ways(&self) -> impl Iterator<Item = Way<'_>> {
        let compound = !self.cover.is_empty();
        std::iter::once(Way::Exact(&self.main))
            .chain(compound.then_some(Way::AllParts(&self.cover)))
            .chain(self.parts.iter().map(|p| Way::Part(p)))
            .chain(self.near.iter().map(|n| Way::Typo(n)))
            .chain(
                self.synonyms
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Way::Synonym(i, s)),
            )
            .chain(self.translations.iter().map(|t| Way::Translation(t)))
            .chain(self.english.iter().map(|e| Way::English(e)))
    }
}

/// One way a query word matches.
enum Way<'a> {
    /// Its own term.
    Exact(&'a str),
    /// Every part of the compound it is (its cover).
    AllParts(&'a [(String, std::ops::Range<usize>)]),
    /// One part of the compound alone.
    Part(&'a str),
    /// A word of the content within its typo distance.
    Typo(&'a str),
    /// The `n`th synonym of its thesaurus group.
    Synonym(usize, &'a str),
    /// What the lexicon learned the English word is translated as.
    Translation(&'a str),
    /// The word itself in the English source text.
    English(&'a str),
}

impl std::fmt::Display for Way<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Way::Exact(t) => write!(f, "as written ({t})"),
            Way::AllParts(parts) => {
                let names: Vec<&str> = parts.iter().map(|(p, _)| p.as_str()).collect();
                write!(f, "as its parts ({})", names.join(" + "))
            }
            Way::Part(p) => write!(f, "by one part ({p})"),
            Way::Typo(t) => write!(f, "as a typo of {t}"),
            Way::Synonym(_, s) => write!(f, "by its synonym {s}"),
            Way::Translation(t) => write!(f, "translated ({t})"),
            Way::English(t) => write!(f, "in the English source ({t})"),
        }
    }
}

/// What a clause of the scoring tree stands for.
#[derive(Debug, Clone, Copy)]
pub(super) enum Clause {
    /// The coverage constant of the `n`th query word.
    Found(usize),
    /// The `n`th query word, by its best way of matching.
    Word(usize),
    Proximity,
    /// A term of the query's English reading, in the English source text.
    English,
}

/// What is searched for, and what snippets highlight.
pub struct Plan {
    words: Vec<QueryWord>,
}

/// The query's words, one per position (its codes, parts and joined forms folded in),
/// each once.
fn query_words(query: &str, analyzer: &mut Analyzer) -> Vec<QueryWord> {
    let mut by_position: BTreeMap<usize, QueryWord> = BTreeMap::new();
    for t in analyzer.analyze(query) {
        let w = by_position.entry(t.position).or_insert_with(|| QueryWord {
            main: String::new(),
            parts: Vec::new(),
            cover: Vec::new(),
            fuzzy: None,
            near: Vec::new(),
            synonyms: Vec::new(),
            translations: Vec::new(),
            english: None,
            range: t.range.clone(),
            code: false,
            df: 0,
            group_df: 0,
        });
        match t.kind {
            // A code inside a hyphenated run ("4c7" of "4c7-feil") is one of its parts;
            // two codes of the same stretch ("80070005", "0x80070005") are one code,
            // the longer.
            TermKind::Code if !w.main.is_empty() && t.range != w.range => w.add_part(t),
            TermKind::Code => {
                if w.main.is_empty() || t.text.len() > w.main.len() {
                    w.main = t.text;
                }
                w.code = true;
            }
            // A code typed as a name ("OneDrive") finds the name whole; its stem is
            // for lower-case queries, not another way of matching.
            TermKind::Spelling => {}
            TermKind::Word if w.main.is_empty() => w.main = t.text,
            // A hyphenated query word: its joined form comes first, then its parts.
            TermKind::Part if w.main.is_empty() => w.main = t.text,
            TermKind::Word | TermKind::Part => w.add_part(t),
        }
    }
    let mut words: Vec<QueryWord> = by_position
        .into_values()
        .filter(|w| !w.main.is_empty())
        .collect();
    // Same word twice counts once.
    let mut seen = HashSet::new();
    words.retain(|w| seen.insert(w.main.clone()));
    words
}

/// Typo tolerance for words the index does not know, and for words the
/// content never writes whose stem it happens to know ("kalendern" stems like
/// "kalenderne"; "kalenderen" is what was meant). The typo is corrected against
/// the words of the content itself, then stemmed like them.
fn typo_neighbours(w: &mut QueryWord, lowered: &[String], analyzer: &mut Analyzer) {
    if !w.code && w.parts.is_empty() {
        let raw = lowered
            .iter()
            .find(|l| analyzer.stem(l).as_deref() == Some(w.main.as_str()))
            .cloned()
            .unwrap_or_else(|| w.main.clone());
        let chars = raw.chars().count();
        let own = analyzer.vocabulary().count(&raw);
        if chars >= 5 && (w.df == 0 || own == 0) {
            let distance = if chars >= 9 { 2 } else { 1 };
            let near: Vec<String> = analyzer
                .vocabulary()
                .near(&raw, usize::from(distance))
                .into_iter()
                .take(4)
                .map(str::to_owned)
                .collect();
            w.fuzzy = Some(distance);
            for n in near {
                if let Some(stem) = analyzer.stem(&n)
                    && stem != w.main
                    && !w.near.contains(&stem)
                {
                    w.near.push(stem);
                }
            }
        }
    }
}

impl Plan {
    /// Whether the query has no word to search (stop words and punctuation only).
    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Analyses `query` with the locale's analyzer and finds its words' synonyms in the
    /// locale's thesaurus; `bridge` (the English analyzer and the locale's lexicon)
    /// translates its loanwords.
    pub(super) fn new(
        query: &str,
        (analyzer, synonyms): (&mut Analyzer, &Synonyms),
        bridge: (&mut Analyzer, &Lexicon),
        searcher: &Searcher,
        body: Field,
    ) -> Plan {
        let mut words = query_words(query, analyzer);
        let lowered = crate::analysis::words(query)
            .into_iter()
            .map(|w| w.text.to_lowercase())
            .collect::<Vec<_>>();
        for w in &mut words {
            w.df = searcher
                .doc_freq(&Term::from_field_text(body, &w.main))
                .unwrap_or(0);
            w.group_df = w.df;
            typo_neighbours(w, &lowered, analyzer);
            w.synonyms = synonyms.of(&w.main).to_vec();
            // The word occurs as often as its most written synonym ("mail" as "e-post").
            for s in &w.synonyms {
                let df = searcher
                    .doc_freq(&Term::from_field_text(body, s))
                    .unwrap_or(0);
                w.group_df = w.group_df.max(df);
            }
        }
        let (english, lexicon) = bridge;
        for w in &mut words {
            w.translations = translations(w, query, english, lexicon, searcher, body);
        }
        if words.len() > MAX_QUERY_WORDS {
            // Keep the most telling words: codes, then the rarest that occur at all (a
            // loanword occurs through its translation).
            words.sort_by_key(|w| {
                let absent = w.group_df == 0 && w.fuzzy.is_none() && w.translations.is_empty();
                (!w.code, absent, w.group_df)
            });
            words.truncate(MAX_QUERY_WORDS);
        }
        Plan { words }
    }

    /// The query's English terms when it reads as English: most of its words are more
    /// common in the English source text (for a plain translation: its English anchors and
    /// file name) than in the translation. Counting where a word is known is not enough: English
    /// words turn up in Norwegian text too ("not", "calendar" in a product name), just
    /// rarely.
    pub(super) fn english_reading(
        &mut self,
        query: &str,
        english: &mut Analyzer,
        searcher: &Searcher,
        english_field: Field,
    ) -> Option<Vec<crate::analysis::Term>> {
        let english_terms = english.analyze(query);
        let (mut voted, mut english_votes) = (0, 0);
        for w in &mut self.words {
            // The word's English reading; an English stop word ("is") does not vote, nor
            // does a code (no language's) or a word neither side knows (a typo).
            let Some(t) = english_terms
                .iter()
                .find(|t| t.range.start == w.range.start)
            else {
                continue;
            };
            let english_df = searcher
                .doc_freq(&Term::from_field_text(english_field, &t.text))
                .unwrap_or(0);
            if w.code || (english_df == 0 && w.df == 0) {
                continue;
            }
            voted += 1;
            if english_df > w.df {
                english_votes += 1;
                w.english = Some(t.text.clone());
            }
        }
        let whole = 2 * english_votes > voted;
        if whole {
            for w in &mut self.words {
                w.english = None;
            }
        }
        whole.then_some(english_terms)
    }

    /// The scoring tree, a sum of clauses, and what each clause stands for; `english`, the
    /// query's English terms when it reads as English, also searches the English source
    /// text.
    pub(super) fn query(
        &self,
        f: &index::Fields,
        english: Option<&[crate::analysis::Term]>,
        searcher: &Searcher,
    ) -> (Scoring, Vec<Clause>) {
        let (clauses, scorings) = self.clauses(f, english, searcher).into_iter().unzip();
        (Scoring::Any(scorings), clauses)
    }

    /// The clauses of the scoring tree (summed), each with what it stands for: per word
    /// its coverage and its best way of matching, then proximity, then the English
    /// reading.
    fn clauses(
        &self,
        f: &index::Fields,
        english: Option<&[crate::analysis::Term]>,
        searcher: &Searcher,
    ) -> Vec<(Clause, Scoring)> {
        let leaves = Leaves::new(f, searcher);
        let mut clauses: Vec<(Clause, Scoring)> = Vec::new();
        for (i, w) in self.words.iter().enumerate() {
            clauses.extend(word_clauses(i, w, f, &leaves));
        }
        // Proximity: the known words in order, a few words apart.
        let known: Vec<&QueryWord> = self.words.iter().filter(|w| w.df > 0).collect();
        if known.len() >= 2 {
            let terms = known
                .iter()
                .map(|w| Term::from_field_text(f.body, &w.main))
                .collect();
            // A phrase scores with the idf of all its words together: divided by their
            // number, the symptom as written weighs about one word of its own, not all of
            // them again.
            let share = 1.0 / known.len() as f32;
            clauses.push((
                Clause::Proximity,
                Scoring::Phrase(terms, 4, PROXIMITY * share),
            ));
        }
        if let Some(terms) = english {
            let mut seen = HashSet::new();
            for t in terms {
                if seen.insert(&t.text) {
                    clauses.push((
                        Clause::English,
                        Scoring::Term(Term::from_field_text(f.english, &t.text), 1.0),
                    ));
                }
            }
        }
        clauses
    }

    /// Per clause, its name and its children's (a word's ways of matching).
    pub(super) fn labels(&self, clauses: &[Clause]) -> Vec<(String, Vec<String>)> {
        clauses
            .iter()
            .map(|clause| match *clause {
                Clause::Found(i) => (format!("«{}» found", self.words[i].main), Vec::new()),
                Clause::Word(i) => {
                    let w = &self.words[i];
                    let labels: Vec<String> = w.ways().map(|way| way.to_string()).collect();
                    if labels.len() == 1 {
                        (format!("«{}» {}", w.main, labels[0]), Vec::new())
                    } else {
                        (format!("«{}»", w.main), labels)
                    }
                }
                Clause::Proximity => ("proximity".to_owned(), Vec::new()),
                Clause::English => ("English".to_owned(), Vec::new()),
            })
            .collect()
    }

    /// How `doc` scores under `scoring` (this plan's tree), clause by clause, each named
    /// by `labels` ([`Plan::labels`]).
    pub(super) fn explain(
        &self,
        scoring: &Scoring,
        labels: &[(String, Vec<String>)],
        searcher: &Searcher,
        doc: tantivy::DocAddress,
    ) -> Result<Vec<Explained>, SearchError> {
        let schema = searcher.schema();
        let name = |t: &Term| {
            format!(
                "{}:{}",
                schema.get_field_name(t.field()),
                t.value().as_str().unwrap_or_default()
            )
        };
        let Scoring::Any(clauses) = scoring else {
            unreachable!("a plan's tree is a sum of clauses")
        };
        let mut out = Vec::new();
        for (clause, (what, ways)) in clauses.iter().zip(labels) {
            if let Some(e) = clause.explain_tree(searcher, doc, Some(what.clone()), ways, &name)? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// What snippets mark: the terms searched for, typo corrections included.
    pub(super) fn matcher(&self) -> snippet::Matcher {
        let exact = self
            .words
            .iter()
            .flat_map(|w| {
                std::iter::once(w.main.clone())
                    .chain(w.parts.iter().cloned())
                    .chain(w.near.iter().cloned())
                    .chain(w.synonyms.iter().cloned())
                    .chain(w.translations.iter().cloned())
            })
            .collect();
        // Typos are marked through the corrections the search looked for (`near`): a word
        // no correction reaches matched nothing, in the ranking or here.
        snippet::Matcher::new(exact)
    }
}

/// How a term scores in the weighted fields.
struct Leaves<'s> {
    fields: [(Field, f32); 3],
    searcher: &'s Searcher,
}

impl<'s> Leaves<'s> {
    fn new(f: &index::Fields, searcher: &'s Searcher) -> Leaves<'s> {
        Leaves {
            fields: [(f.title, TITLE), (f.headings, HEADINGS), (f.body, BODY)],
            searcher,
        }
    }

    fn field_list(&self) -> [Field; 3] {
        self.fields.map(|(field, _)| field)
    }

    /// A term scores by its best field, plus a little for the others: a word in the
    /// title is usually in the body too, and must not count twice. `idf` scales each
    /// field's BM25 (see `group_idf`).
    fn term_in(&self, text: &str, weight: f32, idf: [f32; 3]) -> Scoring {
        let disjuncts = self
            .fields
            .iter()
            .zip(idf)
            .map(|((field, w), idf)| {
                Scoring::Term(Term::from_field_text(*field, text), *w * weight * idf)
            })
            .collect();
        Scoring::Max(disjuncts, TIE_BREAKER)
    }

    /// A term's own idf factors.
    fn own_idf(&self, t: &str) -> [f32; 3] {
        group_idf(&[t], &self.field_list(), self.searcher)[0]
    }
}

/// A query word's two clauses: its coverage (found at all, in any spelling of its
/// synonym group) and the word by its best way of matching.
fn word_clauses(
    i: usize,
    w: &QueryWord,
    f: &index::Fields,
    leaves: &Leaves,
) -> [(Clause, Scoring); 2] {
    // A word and its synonyms are one word written differently: each scores with the
    // group's idf, so that the rarer spelling ("inloggen", in one article) does not
    // outweigh the one the articles use ("aanmelden", in 163).
    let group: Vec<&str> = std::iter::once(w.main.as_str())
        .chain(w.synonyms.iter().map(String::as_str))
        .collect();
    let group_idf = group_idf(&group, &leaves.field_list(), leaves.searcher);
    // A part scores alone and with the others: its idf looked up once.
    let part_idf: Vec<[f32; 3]> = w.parts.iter().map(|p| leaves.own_idf(p)).collect();
    let part_idf = |p: &str| {
        w.parts
            .iter()
            .position(|q| q == p)
            .map_or_else(|| leaves.own_idf(p), |i| part_idf[i])
    };
    let mut ways: Vec<Scoring> = w
        .ways()
        .map(|way| match way {
            Way::Exact(t) => leaves.term_in(t, 1.0, group_idf[0]),
            // All parts of a compound, anywhere: "passord synkronisering" finds
            // "passordsynkronisering" and the other way round.
            Way::AllParts(parts) => {
                // Each part a share of one word: "terugzetten" found as "terug" and
                // "zetten" weighs what a word weighs, not two.
                let share = 1.0 / parts.len() as f32;
                Scoring::All(
                    parts
                        .iter()
                        .map(|(p, _)| leaves.term_in(p, share, part_idf(p)))
                        .collect(),
                )
            }
            // One part alone still says something ("netwerk" of "netwerkschijf").
            Way::Part(p) => leaves.term_in(p, PART, part_idf(p)),
            Way::Typo(t) => leaves.term_in(t, FUZZY, leaves.own_idf(t)),
            Way::Synonym(n, s) => leaves.term_in(s, SYNONYM, group_idf[n + 1]),
            Way::Translation(t) => leaves.term_in(t, TRANSLATION, leaves.own_idf(t)),
            // An English word in a local query ("mail merge"): the English source text,
            // or a plain article's English file name, writes it.
            Way::English(t) => Scoring::Term(Term::from_field_text(f.english, t), ENGLISH_WORD),
        })
        .collect();
    // Coverage: every query word the body holds adds the same, however common it is, so
    // an article that answers the whole symptom beats one that repeats a single rare
    // word. A synonym found is the word found.
    let present = |t: &str| Scoring::Present(Term::from_field_text(f.body, t), COVERAGE);
    let coverage = if group.len() == 1 {
        present(&w.main)
    } else {
        Scoring::Max(group.iter().map(|t| present(t)).collect(), 0.0)
    };
    // A word counts once, by its best way of matching: a compound must not weigh more
    // than a simple word because it can match three ways.
    let best = if ways.len() == 1 {
        ways.pop().expect("one way")
    } else {
        Scoring::Max(ways, WORD_TIE)
    };
    [(Clause::Found(i), coverage), (Clause::Word(i), best)]
}

/// Per term of `group` (a word and its synonyms) and per field, the factor that gives the
/// term one idf in every field: that of the group's most common term in its most common
/// field. Across fields this is Lucene's `BlendedTermQuery` (Elasticsearch's
/// `cross_fields`): a word every article body writes ("gi") is rare in titles, and by the
/// titles' own statistics would outweigh the symptom's real words wherever a title says
/// it. Across a synonym group it is Lucene's `SynonymQuery`: a rare spelling does not
/// outweigh the usual one. A term that is not in a field keeps factor 1 (it matches
/// nothing there).
fn group_idf(group: &[&str], fields: &[Field; 3], searcher: &Searcher) -> Vec<[f32; 3]> {
    use tantivy::query::Bm25StatisticsProvider;
    let docs = searcher.total_num_docs().unwrap_or(0);
    let idf = |df: u64| (1.0 + (docs.saturating_sub(df) as f32 + 0.5) / (df as f32 + 0.5)).ln();
    let dfs: Vec<[u64; 3]> = group
        .iter()
        .map(|t| {
            fields.map(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, t))
                    .unwrap_or(0)
            })
        })
        .collect();
    let common = idf(dfs.iter().flatten().copied().max().unwrap_or(0));
    dfs.iter()
        .map(|per_field| per_field.map(|df| if df > 0 { common / idf(df) } else { 1.0 }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tests::{one_article, seeds};
    use crate::search::{Engine, MAX_QUERY_WORDS};

    #[test]
    fn a_compound_found_as_its_parts_weighs_one_word() {
        let dir = seeds("parts");
        let mut engine = Engine::open(&dir).expect("index opens");
        let locale: Locale = "nb-NO".parse().unwrap();
        let planned = engine
            .plan("passordsynkronisering", &locale)
            .expect("a plan");
        let word = &planned.plan.words[0];
        assert_eq!(word.parts, ["passord", "synkronisering"], "{word:?}");
        let Scoring::Any(clauses) = &planned.scoring else {
            panic!("clauses")
        };
        let Some(Scoring::Max(ways, _)) = clauses.get(1) else {
            panic!("the word's ways: {clauses:?}")
        };
        // Ways: as written, as its parts, then each part alone.
        let Scoring::All(together) = &ways[1] else {
            panic!("{ways:?}")
        };
        let boosts = |s: &Scoring| -> Vec<f32> {
            let Scoring::Max(fields, _) = s else {
                panic!("{s:?}")
            };
            fields
                .iter()
                .map(|f| match f {
                    Scoring::Term(_, boost) => *boost,
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        for (i, part) in together.iter().enumerate() {
            let alone = boosts(&ways[2 + i]);
            for (t, a) in boosts(part).iter().zip(alone) {
                assert!((t / a - 0.5 / PART).abs() < 1e-5, "{t} vs {a}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A hyphenated compound is found as the parts that cover it once: its joined form's
    /// split ("epost" + "melding"), not also its second piece's ("postmelding", "post"),
    /// which an article writing "e-post" and "melding" apart never holds.
    #[test]
    fn a_hyphenated_compound_is_covered_once_by_its_parts() {
        let (root, dir) = one_article(
            "cover",
            "---\ntitle: E-post\n---\n# E-post\n\n\
             E-post og meldinger. E-post og meldinger. E-post og meldinger.\n",
        );
        let mut engine = Engine::open(&dir).expect("index opens");
        let locale: Locale = "nb-NO".parse().unwrap();
        let plan = engine
            .plan("e-postmeldinger", &locale)
            .expect("a plan")
            .plan;
        let word = &plan.words[0];
        let cover: Vec<&str> = word.cover.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(cover, ["epost", "melding"], "{word:?}");
        assert!(word.parts.iter().any(|p| p == "post"), "{word:?}");
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A long query is cut to its most telling words; a short word the articles never
    /// write (too short for typo correction) but whose synonym they do ("mail" for
    /// "e-post") is kept as a word that occurs.
    #[test]
    fn a_cut_query_keeps_a_word_its_synonym_finds() {
        let (root, dir) = one_article(
            "cut",
            "---\ntitle: E-post kommer ikke frem\n---\n# E-post kommer ikke frem\n\n\
             Når e-post ikke kommer frem, se på filteret.\n",
        );
        let mut engine = Engine::open(&dir).expect("index opens");
        let locale: Locale = "nb-NO".parse().unwrap();
        // Thirty two-letter words nobody writes, then "mail".
        let noise: Vec<String> = ('a'..='z')
            .flat_map(|a| ['q', 'x'].map(|b| format!("{b}{a}")))
            .take(30)
            .collect();
        let query = format!("{} mail", noise.join(" "));
        let plan = engine.plan(&query, &locale).expect("a plan").plan;
        assert_eq!(plan.words.len(), MAX_QUERY_WORDS);
        let mail = plan.words.iter().find(|w| w.main == "mail");
        assert!(
            mail.is_some_and(|w| w.df == 0 && w.group_df > 0),
            "{mail:?}"
        );
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Every term of a synonym group, in every field, scores with one idf: that of the
    /// group's most common term in its most common field. A term a field lacks keeps its
    /// own (it matches nothing there).
    #[test]
    fn terms_score_with_the_idf_of_their_group_across_fields() {
        let mut b = tantivy::schema::Schema::builder();
        let fields = [
            b.add_text_field("title", tantivy::schema::TEXT),
            b.add_text_field("headings", tantivy::schema::TEXT),
            b.add_text_field("body", tantivy::schema::TEXT),
        ];
        let index = tantivy::Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..40 {
            let mut d = tantivy::TantivyDocument::default();
            // "aanmelden" in 30 bodies, "inloggen" in 2; titles: "inloggen" once.
            d.add_text(
                fields[2],
                if i < 30 {
                    "aanmelden"
                } else if i < 32 {
                    "inloggen"
                } else {
                    "x"
                },
            );
            d.add_text(fields[0], if i == 35 { "inloggen" } else { "y" });
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let factors = group_idf(&["inloggen", "aanmelden"], &fields, &searcher);
        let idf = |df: f32| (1.0 + (40.0 - df + 0.5) / (df + 0.5)).ln();
        let close = |a: f32, b: f32| (a - b).abs() < 1e-5;
        // Body: the rare spelling scores as if it were as common as "aanmelden".
        assert!(close(factors[0][2] * idf(2.0), idf(30.0)), "{factors:?}");
        assert!(close(factors[1][2], 1.0), "{factors:?}");
        // Title: "inloggen" in one title scores as the group does in the bodies, not as
        // a word of one title in forty.
        assert!(close(factors[0][0] * idf(1.0), idf(30.0)), "{factors:?}");
        // Headings: nobody; a term a field lacks keeps factor 1.
        assert_eq!(factors[0][1], 1.0);
        assert_eq!(factors[1][0], 1.0);
        // A word alone: its most common field gives its idf everywhere.
        let alone = group_idf(&["inloggen"], &fields, &searcher);
        assert!(close(alone[0][0] * idf(1.0), idf(2.0)), "{alone:?}");
        assert!(close(alone[0][2], 1.0), "{alone:?}");
    }
}
