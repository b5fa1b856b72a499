//! Search fixes by symptom: queries analysed like the articles, BM25 over weighted fields,
//! compound parts, typo tolerance for unknown words, proximity, English source text for
//! English queries, and the best section with a highlighted snippet per hit.

mod plan;
mod score;
mod snippet;

use plan::{Clause, Plan};

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::Field;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

pub use snippet::{Snippet, best_section};

pub use score::Explained;
use score::Scoring;

use crate::analysis::{Analyzer, Language, Synonyms, Thesaurus, Vocabulary};
use crate::embed::{Encoder, Purpose};
use crate::index::{self, IndexError, LocaleIndex, Section};
use crate::locale::Locale;

/// Queries longer than this are cut (a pasted log): search time stays bounded.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// At most this many query words are searched; the rarest win.
pub const MAX_QUERY_WORDS: usize = 24;

/// Why a search gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Nothing but white space was asked.
    #[error("the query is empty")]
    EmptyQuery,
    /// The index has no such locale.
    #[error("no index for locale {asked}; the index has: {}", available.join(", "))]
    UnknownLocale {
        /// The locale asked for.
        asked: String,
        /// The locales the index has.
        available: Vec<String>,
    },
    /// The index could not be opened or read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// tantivy failed while searching.
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A bug: the search panicked. Caught by [`Engine::search_isolated`] so that one
    /// query cannot end a batch or a server.
    #[error("internal error (a bug in remedy, please report it): {0}")]
    Panicked(String),
}

/// Runs `f`, turning a panic inside it into [`SearchError::Panicked`] with the panic's
/// message. The panic hook still runs (its report names the place).
pub fn isolate<T>(f: impl FnOnce() -> Result<T, SearchError>) -> Result<T, SearchError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic without a message".to_owned());
        Err(SearchError::Panicked(message))
    })
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Relative to the locale folder of the content root.
    pub path: String,
    /// The article's locale (another than the one asked for when `fallback`).
    pub locale: String,
    /// The article's title.
    pub title: String,
    /// The ranking score (BM25 over weighted fields, coverage and proximity).
    pub score: f32,
    /// The anchor of the section that best matches (`#anchor` in a link).
    pub anchor: Option<String>,
    /// That section's heading (`None`: the text before the first heading).
    pub section: Option<String>,
    /// A stretch of that section around the matches.
    pub snippet: String,
    /// Matched stretches of `snippet`, as character offsets `[start, end)`.
    pub highlights: Vec<[usize; 2]>,
    /// `MT` or `HT` when the front matter says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    /// A hit from another locale of the same article set, filling a gap (`--fallback`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
    /// How the score came about, clause by clause (`--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<Explained>>,
}

/// Options of one search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The reader's locale: the index searched, and the language the query is read in.
    pub locale: Locale,
    /// At most this many hits.
    pub limit: usize,
    /// Fill a short list with the same articles' other locales ([`Hit::fallback`]).
    pub fallback: bool,
    /// Break each hit's score down ([`Hit::explain`]).
    pub explain: bool,
    /// Words, meaning, or both ([`Mode`]).
    pub mode: Mode,
}

/// How hits are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// By the query's words (BM25 over weighted fields, coverage, proximity).
    Lexical,
    /// By meaning: the cosine of the query's and the articles' e5 vectors.
    Dense,
    /// Both, fused ([`DENSE_WEIGHT`]); lexical where the engine has no model or the index
    /// no vectors.
    #[default]
    Hybrid,
}

/// The dense part's weight in hybrid search, each part's scores min-max normalized over
/// its own candidates (missing: 0). Chosen on every judged set at once (docs/search.md).
pub const DENSE_WEIGHT: f32 = 0.35;

/// Candidates each part brings to the fusion.
const FUSION_DEPTH: usize = 100;

/// An open index folder, ready for many queries.
pub struct Engine {
    locales: BTreeMap<Locale, Open>,
    /// The embedding model, for queries in dense and hybrid mode.
    encoder: Option<Arc<Encoder>>,
    /// The dense part's weight in hybrid mode.
    dense_weight: f32,
}

/// One locale of an open index, with what its queries are analysed by.
struct Open {
    index: LocaleIndex,
    analyzer: Analyzer,
    /// For English readings of a query and loanwords.
    english: Analyzer,
    /// The locale's thesaurus, by the analyzer's terms: built on the locale's first query,
    /// so that a process that searches one locale does not analyse every locale's. Shared
    /// by the engine's forks.
    synonyms: Arc<OnceLock<Synonyms>>,
}

impl Engine {
    /// Opens every locale of the index in `index_dir`, for many queries.
    pub fn open(index_dir: &Path) -> Result<Engine, SearchError> {
        let mut locales = BTreeMap::new();
        for locale in index::locales(index_dir) {
            let li = index::open(index_dir, &locale)?;
            let analyzer = li.analyzer();
            let english = Analyzer::new(Language::English, Arc::new(Vocabulary::default()));
            locales.insert(
                locale,
                Open {
                    index: li,
                    analyzer,
                    english,
                    synonyms: Arc::default(),
                },
            );
        }
        Ok(Engine {
            locales,
            encoder: None,
            dense_weight: DENSE_WEIGHT,
        })
    }

    /// Gives the engine the embedding model: dense and hybrid search where the index has
    /// vectors.
    pub fn set_encoder(&mut self, encoder: Option<Arc<Encoder>>) {
        self.encoder = encoder;
    }

    /// Sets the dense part's weight in hybrid mode (default [`DENSE_WEIGHT`]), clamped to
    /// 0..=1.
    pub fn set_dense_weight(&mut self, weight: f32) {
        self.dense_weight = weight.clamp(0.0, 1.0);
    }

    /// Whether the index holds vectors for `locale` (it was built with the model).
    pub fn has_vectors(&self, locale: &Locale) -> bool {
        self.locales
            .get(locale)
            .is_some_and(|o| o.index.embeddings.is_some())
    }

    /// Whether `locale` is searched by meaning too: the engine has the model and the
    /// index vectors.
    pub fn dense_ready(&self, locale: &Locale) -> bool {
        self.encoder.is_some() && self.has_vectors(locale)
    }

    /// Another engine on the same open index, for another thread: the index, its
    /// vocabulary, lexicon and thesaurus are shared; the analyzers (which cache what they
    /// analysed) are its own.
    ///
    /// ```no_run
    /// # use remedy::search::Engine;
    /// let engine = Engine::open(std::path::Path::new("index"))?;
    /// let other = engine.fork();
    /// std::thread::spawn(move || { let _ = other; });
    /// # Ok::<(), remedy::search::SearchError>(())
    /// ```
    pub fn fork(&self) -> Engine {
        let locales = self
            .locales
            .iter()
            .map(|(locale, open)| {
                (
                    locale.clone(),
                    Open {
                        index: open.index.clone(),
                        analyzer: open.index.analyzer(),
                        english: Analyzer::new(Language::English, Arc::new(Vocabulary::default())),
                        synonyms: open.synonyms.clone(),
                    },
                )
            })
            .collect();
        Engine {
            locales,
            encoder: self.encoder.clone(),
            dense_weight: self.dense_weight,
        }
    }

    /// How many articles each locale holds.
    pub fn documents(&self) -> BTreeMap<String, u64> {
        self.locales
            .iter()
            .map(|(l, o)| (l.to_string(), o.index.reader.searcher().num_docs()))
            .collect()
    }

    /// The locales the index holds.
    pub fn locales(&self) -> Vec<String> {
        self.locales.keys().map(ToString::to_string).collect()
    }

    /// Searches one locale; with `fallback`, other locales of the same article sets fill
    /// the gaps, labelled.
    pub fn search(
        &mut self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<Vec<Hit>, SearchError> {
        if query.trim().is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        if !self.locales.contains_key(&options.locale) {
            return Err(SearchError::UnknownLocale {
                asked: options.locale.to_string(),
                available: self.locales(),
            });
        }
        let mut hits = self.search_locale(&query, &options.locale, options)?;
        if options.fallback && hits.len() < options.limit {
            let others: Vec<Locale> = self
                .locales
                .keys()
                .filter(|l| **l != options.locale)
                .cloned()
                .collect();
            let mut seen: HashSet<String> = hits.iter().map(|h| h.path.clone()).collect();
            for other in others {
                for mut h in self.search_locale(&query, &other, options)? {
                    if hits.len() >= options.limit {
                        break;
                    }
                    if seen.insert(h.path.clone()) {
                        h.fallback = true;
                        hits.push(h);
                    }
                }
            }
        }
        Ok(hits)
    }

    /// [`Engine::search`], with a panic reported as [`SearchError::Panicked`] instead of
    /// unwinding into the caller: for batches and servers, where one query must not end
    /// the others. The engine holds only caches that a query fills, so it stays usable.
    pub fn search_isolated(
        &mut self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<Vec<Hit>, SearchError> {
        isolate(|| self.search(query, options))
    }

    /// What `query` searches for in `locale`, how it scores, and the searcher whose
    /// statistics it was planned with (search with the same one); `None` when no word of
    /// it is searchable (only stop words or punctuation).
    fn plan(&mut self, query: &str, locale: &Locale) -> Option<Planned> {
        let Open {
            index: li,
            analyzer,
            english,
            synonyms,
        } = self.locales.get_mut(locale).expect("checked by caller");
        let synonyms =
            synonyms.get_or_init(|| Thesaurus::builtin(analyzer.language()).synonyms(analyzer));
        let searcher = li.reader.searcher();
        let f = li.fields;
        let mut plan = Plan::new(
            query,
            (analyzer, synonyms),
            (english, &li.lexicon),
            &searcher,
            f.body,
        );
        if plan.is_empty() {
            return None;
        }
        let english = plan.english_reading(query, english, &searcher, f.english);
        let (scoring, clauses) = plan.query(&li.fields, english.as_deref(), &searcher);
        Some(Planned {
            plan,
            scoring,
            clauses,
            searcher,
        })
    }

    fn search_locale(
        &mut self,
        query: &str,
        locale: &Locale,
        options: &SearchOptions,
    ) -> Result<Vec<Hit>, SearchError> {
        let (limit, explain) = (options.limit, options.explain);
        let dense = match options.mode {
            Mode::Lexical => None,
            _ if !self.dense_ready(locale) => None,
            mode => Some(mode),
        };
        let planned = self.plan(query, locale);
        let lexical_depth = if dense.is_some() { FUSION_DEPTH } else { limit };
        let lexical: Vec<(f32, DocAddress)> = match (&planned, dense) {
            (_, Some(Mode::Dense)) | (None, _) => Vec::new(),
            (Some(p), _) => p.searcher.search(
                &p.scoring,
                &TopDocs::with_limit(lexical_depth).order_by_score(),
            )?,
        };
        let Open {
            index: li,
            analyzer,
            ..
        } = self.locales.get_mut(locale).expect("checked by caller");
        let f = li.fields;
        let searcher = match &planned {
            Some(p) => p.searcher.clone(),
            None => li.reader.searcher(),
        };
        // Each candidate: its address, the fused score, and the parts (lexical, dense).
        let candidates: Vec<Candidate> = match dense {
            None => lexical.into_iter().map(|(s, a)| (a, s, None)).collect(),
            Some(mode) => {
                let encoder = self.encoder.as_ref().expect("dense_ready");
                let embeddings = li.embeddings.as_ref().expect("dense_ready");
                let vector = encoder.embed(query, Purpose::Query);
                let mut near = Vec::new();
                for (key, cosine) in embeddings.nearest(&vector, FUSION_DEPTH) {
                    let term = Term::from_field_text(f.file, key);
                    let found = searcher.search(
                        &TermQuery::new(term, IndexRecordOption::Basic),
                        &TopDocs::with_limit(1).order_by_score(),
                    )?;
                    if let Some((_, address)) = found.first() {
                        near.push((cosine, *address));
                    }
                }
                fuse(
                    &lexical,
                    &near,
                    if mode == Mode::Dense {
                        1.0
                    } else {
                        self.dense_weight
                    },
                )
            }
        };
        let mut candidates = candidates;
        candidates.truncate(limit);
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let matcher = planned
            .as_ref()
            .map(|p| p.plan.matcher())
            .unwrap_or_default();
        // What each clause stands for, named once for all hits.
        let labels = match (&planned, explain) {
            (Some(p), true) => Some(p.plan.labels(&p.clauses)),
            _ => None,
        };
        let mut hits = Vec::with_capacity(candidates.len());
        for (address, score, parts) in candidates {
            let mut doc: Stored = searcher.doc(address)?;
            let body = doc.take(f.body);
            let sections = Section::unpack(&doc.take(f.sections)).unwrap_or_default();
            let terms = doc.take(f.body_terms);
            let snippet = best_section(&body, &sections, Some(&terms), &matcher, analyzer);
            let translation = Some(doc.take(f.translation)).filter(|t| !t.is_empty());
            let explain = match (&labels, &planned) {
                (Some(labels), Some(p)) => {
                    let mut e = p.plan.explain(&p.scoring, labels, &searcher, address)?;
                    if let Some((lexical, dense)) = parts {
                        e = explain_fusion(e, lexical, dense, score, self.dense_weight);
                    }
                    Some(e)
                }
                _ if explain => {
                    parts.map(|(l, d)| explain_fusion(Vec::new(), l, d, score, self.dense_weight))
                }
                _ => None,
            };
            hits.push(Hit {
                path: doc.take(f.path),
                locale: locale.to_string(),
                title: doc.take(f.title),
                score,
                anchor: snippet.anchor,
                section: snippet.heading,
                snippet: snippet.text,
                highlights: snippet.highlights,
                translation,
                fallback: false,
                explain,
            });
        }
        // Hits with the same score in path order: the index's document order, which
        // tantivy's two indexing threads decide, would otherwise order them differently
        // from one build to the next.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(hits)
    }
}

/// A document to be a hit: its address, its score, and in hybrid or dense mode the two
/// normalized parts (lexical, dense) the score was fused from.
type Candidate = (DocAddress, f32, Option<(f32, f32)>);

/// The lexical and dense candidates fused: each list's scores min-max normalized over
/// the list (a list of one, or of equal scores, counts 1), missing counts 0, and
/// `(1 − w) · lexical + w · dense`; best first, ties in document order. Each candidate
/// keeps its two normalized parts.
fn fuse(lexical: &[(f32, DocAddress)], dense: &[(f32, DocAddress)], w: f32) -> Vec<Candidate> {
    let normalized = |list: &[(f32, DocAddress)]| -> BTreeMap<DocAddress, f32> {
        let max = list.iter().map(|x| x.0).fold(f32::NEG_INFINITY, f32::max);
        let min = list.iter().map(|x| x.0).fold(f32::INFINITY, f32::min);
        list.iter()
            .map(|&(s, a)| {
                (
                    a,
                    if max > min {
                        (s - min) / (max - min)
                    } else {
                        1.0
                    },
                )
            })
            .collect()
    };
    let (l, d) = (normalized(lexical), normalized(dense));
    let mut all: Vec<Candidate> = l
        .keys()
        .chain(d.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|a| {
            let (ls, ds) = (
                l.get(a).copied().unwrap_or(0.0),
                d.get(a).copied().unwrap_or(0.0),
            );
            (*a, (1.0 - w) * ls + w * ds, Some((ls, ds)))
        })
        .collect();
    all.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    all
}

/// A hybrid hit's explanation: the fused score on top, its lexical part (with the
/// lexical explanation below) and its dense part.
fn explain_fusion(
    lexical_parts: Vec<Explained>,
    lexical: f32,
    dense: f32,
    score: f32,
    weight: f32,
) -> Vec<Explained> {
    vec![Explained {
        what: format!(
            "hybrid: {:.2} × lexical + {weight:.2} × dense (each normalized over its top {FUSION_DEPTH})",
            1.0 - weight
        ),
        score,
        from: vec![
            Explained {
                what: "lexical (normalized)".into(),
                score: lexical,
                from: lexical_parts,
            },
            Explained {
                what: "dense: cosine of the e5 vectors (normalized)".into(),
                score: dense,
                from: Vec::new(),
            },
        ],
    }]
}

/// A query ready to run: its plan, its scoring tree (the sum of its clauses), what each
/// clause stands for, and the searcher whose statistics the tree was built with.
struct Planned {
    plan: Plan,
    scoring: Scoring,
    clauses: Vec<Clause>,
    searcher: Searcher,
}

/// A hit's stored fields (all text), read straight into strings: tantivy's own document
/// type re-encodes every value into its own buffer first, which cost as much as the rest
/// of reading the hit.
struct Stored(Vec<(Field, String)>);

impl Stored {
    /// The field's text, taken out (empty when the document has none).
    fn take(&mut self, field: Field) -> String {
        self.0
            .iter_mut()
            .find(|(f, _)| *f == field)
            .map(|(_, text)| std::mem::take(text))
            .unwrap_or_default()
    }
}

impl tantivy::schema::document::DocumentDeserialize for Stored {
    fn deserialize<'de, D>(
        mut deserializer: D,
    ) -> Result<Self, tantivy::schema::document::DeserializeError>
    where
        D: tantivy::schema::document::DocumentDeserializer<'de>,
    {
        let mut fields = Vec::with_capacity(deserializer.size_hint());
        while let Some(field) = deserializer.next_field::<String>()? {
            fields.push(field);
        }
        Ok(Stored(fields))
    }
}

#[cfg(test)]
mod tests;
