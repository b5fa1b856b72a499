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
use tantivy::Searcher;
use tantivy::collector::TopDocs;
use tantivy::schema::Field;

pub use snippet::{Snippet, best_section};

pub use score::Explained;
use score::Scoring;

use crate::analysis::{Analyzer, Language, Synonyms, Thesaurus, Vocabulary};
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
}

/// An open index folder, ready for many queries.
pub struct Engine {
    locales: BTreeMap<Locale, Open>,
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
        Ok(Engine { locales })
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
        Engine { locales }
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
        let mut hits =
            self.search_locale(&query, &options.locale, options.limit, options.explain)?;
        if options.fallback && hits.len() < options.limit {
            let others: Vec<Locale> = self
                .locales
                .keys()
                .filter(|l| **l != options.locale)
                .cloned()
                .collect();
            let mut seen: HashSet<String> = hits.iter().map(|h| h.path.clone()).collect();
            for other in others {
                for mut h in self.search_locale(&query, &other, options.limit, options.explain)? {
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
        limit: usize,
        explain: bool,
    ) -> Result<Vec<Hit>, SearchError> {
        let Some(Planned {
            plan,
            scoring: q,
            clauses,
            searcher,
        }) = self.plan(query, locale)
        else {
            return Ok(Vec::new());
        };
        let Open {
            index: li,
            analyzer,
            ..
        } = self.locales.get_mut(locale).expect("checked by caller");
        let f = li.fields;
        let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
        if top.is_empty() {
            return Ok(Vec::new());
        }
        let matcher = plan.matcher();
        // What each clause stands for, named once for all hits.
        let labels = explain.then(|| plan.labels(&clauses));
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let mut doc: Stored = searcher.doc(address)?;
            let body = doc.take(f.body);
            let sections = Section::unpack(&doc.take(f.sections)).unwrap_or_default();
            let terms = doc.take(f.body_terms);
            let snippet = best_section(&body, &sections, Some(&terms), &matcher, analyzer);
            let translation = Some(doc.take(f.translation)).filter(|t| !t.is_empty());
            let explain = match &labels {
                Some(labels) => Some(plan.explain(&q, labels, &searcher, address)?),
                None => None,
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
