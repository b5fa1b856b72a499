//! Scoring a query term at a time.
//!
//! A query is a small tree: every query word a disjunction-max over its ways of matching,
//! every way a disjunction-max over the fields, parts ANDed, a coverage constant and a
//! proximity phrase beside them. tantivy scores such a tree document at a time: every
//! node's scorer steps its children along, and a union fills and clears a buffer of 4,096
//! documents at every level. On a knowledge base of a few thousand articles that stepping
//! was most of a query's time. Here each leaf (a term in a field, a phrase) reads its
//! postings once into a list of `(document, score)`, and each inner node merges its
//! children's lists through score arrays indexed by document: the same scores, computed
//! in one pass per posting list.
//!
//! [`Scoring`] is a tantivy [`Query`], so collectors, segments and deletes work as for any
//! other query. A test holds its scores to tantivy's own queries built from the same tree.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy::{DocAddress, Score, Searcher, Term};

mod merge;

use merge::{Node, ScoringWeight, Workspace, all_in_one_document, phrase};

/// How a query scores.
#[derive(Debug, Clone)]
pub enum Scoring {
    /// A term in its field, scored by BM25 as tantivy scores a `TermQuery`, times the
    /// boost.
    Term(Term, Score),
    /// This score for every document that holds the term.
    Present(Term, Score),
    /// The terms in order, at most `slop` positions out of place: scored as tantivy
    /// scores a `PhraseQuery` with slop, times the boost.
    Phrase(Vec<Term>, u32, Score),
    /// The best child's score plus `tie` times the others' (tantivy's
    /// `DisjunctionMaxQuery`).
    Max(Vec<Scoring>, Score),
    /// The sum of the children that match (a boolean query of `Should` clauses).
    Any(Vec<Scoring>),
    /// The sum, for documents every child matches (a boolean query of `Must` clauses).
    All(Vec<Scoring>),
}

/// BM25's parameters, as tantivy sets them.
const K1: Score = 1.2;
const B: Score = 0.75;

/// Per field, the length part of BM25's term-frequency factor by fieldnorm id. tantivy
/// computes these 256 values for every term of a query; they depend only on the field.
type Norms = std::sync::Arc<[Score; 256]>;

struct Statistics<'a> {
    provider: &'a dyn Bm25StatisticsProvider,
    docs: u64,
    norms: Vec<(Field, Norms)>,
}

impl Statistics<'_> {
    fn norms(&mut self, field: Field) -> tantivy::Result<Norms> {
        if let Some((_, n)) = self.norms.iter().find(|(f, _)| *f == field) {
            return Ok(n.clone());
        }
        let average = self.provider.total_num_tokens(field)? as Score / self.docs as Score;
        let mut norms = [0.0; 256];
        for (id, n) in norms.iter_mut().enumerate() {
            let fieldnorm = FieldNormReader::id_to_fieldnorm(id as u8) as Score;
            *n = K1 * (1.0 - B + B * fieldnorm / average);
        }
        let norms: Norms = std::sync::Arc::new(norms);
        self.norms.push((field, norms.clone()));
        Ok(norms)
    }
}

impl Scoring {
    fn weight(
        &self,
        enable_scoring: EnableScoring<'_>,
        statistics: &mut Option<Statistics<'_>>,
    ) -> tantivy::Result<Node> {
        let mut children = |c: &[Scoring]| -> tantivy::Result<Vec<Node>> {
            c.iter()
                .map(|s| s.weight(enable_scoring, statistics))
                .collect()
        };
        Ok(match self {
            Scoring::Term(term, boost) => match statistics {
                Some(stats) => {
                    let df = stats.provider.doc_freq(term)?;
                    if df == 0 {
                        Node::Nothing
                    } else {
                        let x =
                            (stats.docs.saturating_sub(df) as Score + 0.5) / (df as Score + 0.5);
                        let idf = (1.0 + x).ln();
                        Node::Term {
                            term: term.clone(),
                            weight: idf * (1.0 + K1) * boost,
                            norms: stats.norms(term.field())?,
                        }
                    }
                }
                // Without scoring, a match is a match.
                None => Node::Present {
                    term: term.clone(),
                    score: 1.0,
                },
            },
            Scoring::Present(term, score) => Node::Present {
                term: term.clone(),
                score: *score,
            },
            Scoring::Phrase(terms, slop, boost) => {
                // Most queries have no document with all their words; then the phrase's
                // weight (statistics for every word) is not worth building.
                let possible = match enable_scoring.searcher() {
                    Some(searcher) => searcher.segment_readers().iter().try_fold(
                        false,
                        |any, reader| -> tantivy::Result<bool> {
                            Ok(any
                                || all_in_one_document(terms, reader, &mut Workspace::default())?)
                        },
                    )?,
                    None => true,
                };
                if possible {
                    Node::Phrase {
                        terms: terms.clone(),
                        weight: phrase(terms, *slop).weight(enable_scoring)?,
                        boost: *boost,
                    }
                } else {
                    Node::Nothing
                }
            }
            Scoring::Max(c, tie) => Node::Max(children(c)?, *tie),
            Scoring::Any(c) => Node::Any(children(c)?),
            Scoring::All(c) => Node::All(children(c)?),
        })
    }

    /// The same scoring as tantivy's own queries: the reference the tests compare with.
    #[cfg(test)]
    pub fn to_tantivy(&self) -> Box<dyn Query> {
        use tantivy::query::{
            BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, TermQuery,
        };
        use tantivy::schema::IndexRecordOption;
        let all = |c: &[Scoring], occur: Occur| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                c.iter().map(|s| (occur, s.to_tantivy())).collect(),
            ))
        };
        match self {
            Scoring::Term(t, boost) => Box::new(BoostQuery::new(
                Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)),
                *boost,
            )),
            Scoring::Present(t, score) => Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic)),
                *score,
            )),
            Scoring::Phrase(terms, slop, boost) => {
                Box::new(BoostQuery::new(Box::new(phrase(terms, *slop)), *boost))
            }
            Scoring::Max(c, tie) => Box::new(DisjunctionMaxQuery::with_tie_breaker(
                c.iter().map(Scoring::to_tantivy).collect(),
                *tie,
            )),
            Scoring::Any(c) => all(c, Occur::Should),
            Scoring::All(c) => all(c, Occur::Must),
        }
    }
}

impl Query for Scoring {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut statistics = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Statistics {
                provider: statistics_provider,
                docs: statistics_provider.total_num_docs()?,
                norms: Vec::new(),
            }),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(ScoringWeight(Scoring::weight(
            self,
            enable_scoring,
            &mut statistics,
        )?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        match self {
            Scoring::Term(t, _) => visitor(t, false),
            Scoring::Present(t, _) => visitor(t, false),
            Scoring::Phrase(terms, ..) => {
                for t in terms {
                    visitor(t, true);
                }
            }
            Scoring::Max(c, _) | Scoring::Any(c) | Scoring::All(c) => {
                for s in c {
                    s.query_terms(visitor);
                }
            }
        }
    }
}

/// How one document scores under a query tree, node by node: what each node stands for,
/// what it gave the document, and the children that gave something.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explained {
    /// What the node stands for (a word by one of its ways, a field, proximity, …).
    pub what: String,
    /// What it gave the document.
    pub score: Score,
    /// Its children that gave something.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<Explained>,
}

impl Scoring {
    /// What this tree gives `doc`, or `None` when it does not match it; scored with the
    /// searcher's statistics exactly as a search with the tree scores.
    pub fn score_of(&self, searcher: &Searcher, doc: DocAddress) -> tantivy::Result<Option<Score>> {
        let mut statistics = Some(Statistics {
            provider: searcher,
            docs: searcher.total_num_docs()?,
            norms: Vec::new(),
        });
        let node = self.weight(
            EnableScoring::enabled_from_searcher(searcher),
            &mut statistics,
        )?;
        let reader = searcher.segment_reader(doc.segment_ord);
        ScoringWeight(node).with_hits(reader, |hits| {
            hits.binary_search_by_key(&doc.doc_id, |(d, _)| *d)
                .ok()
                .map(|i| hits[i].1)
        })
    }

    /// The tree's score for `doc`, broken down into the nodes that gave something.
    /// `what` names this node (else it is named by its kind), `labels` its children in
    /// order (those without a label are named by their kind), `name` a term.
    pub fn explain_tree(
        &self,
        searcher: &Searcher,
        doc: DocAddress,
        what: Option<String>,
        labels: &[String],
        name: &dyn Fn(&Term) -> String,
    ) -> tantivy::Result<Option<Explained>> {
        let Some(score) = self.score_of(searcher, doc)? else {
            return Ok(None);
        };
        let (kind, children): (String, &[Scoring]) = match self {
            Scoring::Term(t, _) => (name(t), &[]),
            Scoring::Present(t, _) => (format!("found {}", name(t)), &[]),
            Scoring::Phrase(terms, slop, _) => (
                format!(
                    "in order, at most {slop} apart: {}",
                    terms.iter().map(name).collect::<Vec<_>>().join(" ")
                ),
                &[],
            ),
            Scoring::Max(c, tie) => (format!("the best, + {tie} × the others"), c),
            Scoring::Any(c) => ("the sum".to_owned(), c),
            Scoring::All(c) => ("all of them, summed".to_owned(), c),
        };
        let mut from = Vec::new();
        for (i, child) in children.iter().enumerate() {
            if let Some(e) = child.explain_tree(searcher, doc, labels.get(i).cloned(), &[], name)? {
                from.push(e);
            }
        }
        // A node that only passes on its one child's score says nothing of its own.
        if from.len() == 1 && (from[0].score - score).abs() <= 1e-6 * score.abs().max(1.0) {
            let mut only = from.pop().expect("one child");
            if let Some(what) = what {
                only.what = format!("{what}: {}", only.what);
            }
            return Ok(Some(only));
        }
        Ok(Some(Explained {
            // The node's own rule stays in its name, so the children shown add up to it.
            what: what.map_or(kind.clone(), |w| format!("{w}: {kind}")),
            score,
            from,
        }))
    }
}

#[cfg(test)]
mod tests;
