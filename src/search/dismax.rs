//! A disjunction-max query that merges its disjuncts' doc streams directly.
//!
//! Every query word is a dismax over its ways of matching, and every way a dismax over the
//! fields. tantivy's `DisjunctionMaxQuery` scores through a buffered union that fills and
//! clears buffers of 4,096 documents for every node: with twenty nodes per query that
//! buffer work was the largest part of a search. Here a node keeps its few child scorers
//! and steps them along together — the same scores, no buffers.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// The best disjunct's score plus `tie` times the others' (tantivy's `DisjunctionMaxQuery`
/// scoring).
#[derive(Debug)]
pub struct DisMax {
    disjuncts: Vec<Box<dyn Query>>,
    tie: Score,
}

impl DisMax {
    pub fn new(disjuncts: Vec<Box<dyn Query>>, tie: Score) -> DisMax {
        DisMax { disjuncts, tie }
    }
}

impl Clone for DisMax {
    fn clone(&self) -> Self {
        DisMax {
            disjuncts: self.disjuncts.iter().map(|d| d.box_clone()).collect(),
            tie: self.tie,
        }
    }
}

impl Query for DisMax {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .disjuncts
            .iter()
            .map(|d| d.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(DisMaxWeight {
            weights,
            tie: self.tie,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for d in &self.disjuncts {
            d.query_terms(visitor);
        }
    }
}

struct DisMaxWeight {
    weights: Vec<Box<dyn Weight>>,
    tie: Score,
}

impl Weight for DisMaxWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers: Vec<Box<dyn Scorer>> = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            // One disjunct: its own score (the tie adds nothing).
            1 => scorers.pop().expect("one scorer"),
            _ => Box::new(DisMaxScorer::new(scorers, self.tie)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("max plus tie times the rest", scorer.score());
        for w in &self.weights {
            if let Ok(e) = w.explain(reader, doc) {
                explanation.add_detail(e);
            }
        }
        Ok(explanation)
    }
}

/// The children, stepped together; `doc` is the smallest of theirs.
struct DisMaxScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
    tie: Score,
}

impl DisMaxScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>, tie: Score) -> DisMaxScorer {
        let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        DisMaxScorer { scorers, doc, tie }
    }

    fn settle(&mut self) -> DocId {
        self.doc = self
            .scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for DisMaxScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for s in &mut self.scorers {
            if s.doc() == current {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for s in &mut self.scorers {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for DisMaxScorer {
    fn score(&mut self) -> Score {
        let (mut max, mut sum) = (0.0 as Score, 0.0 as Score);
        let current = self.doc;
        for s in &mut self.scorers {
            if s.doc() == current {
                let x = s.score();
                max = max.max(x);
                sum += x;
            }
        }
        max + self.tie * (sum - max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, doc};

    /// Same ranking and scores as tantivy's own dismax, nested and under a boolean query.
    #[test]
    fn scores_like_tantivys_dismax() {
        let mut b = Schema::builder();
        let title = b.add_text_field("title", TEXT);
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["alpha", "beta", "gamma", "delta", "epsilon"];
        for i in 0..400usize {
            let pick = |k: usize| words[(i * k + i / 7) % words.len()];
            w.add_document(doc!(
                title => format!("{} {}", pick(3), pick(5)),
                body => format!("{} {} {} {}", pick(1), pick(2), pick(7), pick(11)),
            ))
            .unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |f, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let build = |ours: bool| -> Box<dyn Query> {
            let fields = |t: &str| -> Box<dyn Query> {
                let d = vec![
                    Box::new(BoostQuery::new(term(title, t), 3.0)) as Box<dyn Query>,
                    term(body, t),
                ];
                if ours {
                    Box::new(DisMax::new(d, 0.2))
                } else {
                    Box::new(DisjunctionMaxQuery::with_tie_breaker(d, 0.2))
                }
            };
            let mut clauses = Vec::new();
            for (a, b) in [("alpha", "beta"), ("gamma", "zeta"), ("delta", "epsilon")] {
                let ways = vec![fields(a), fields(b)];
                let word: Box<dyn Query> = if ours {
                    Box::new(DisMax::new(ways, 0.1))
                } else {
                    Box::new(DisjunctionMaxQuery::with_tie_breaker(ways, 0.1))
                };
                clauses.push((Occur::Should, word));
            }
            Box::new(BooleanQuery::new(clauses))
        };
        let top = |q: &dyn Query| {
            searcher
                .search(q, &TopDocs::with_limit(400).order_by_score())
                .unwrap()
        };
        let (theirs, ours) = (top(&*build(false)), top(&*build(true)));
        assert_eq!(theirs.len(), ours.len());
        assert!(!ours.is_empty());
        let by_doc = |hits: &[(Score, tantivy::DocAddress)]| {
            hits.iter()
                .map(|(s, d)| (d.doc_id, *s))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let (a, b) = (by_doc(&theirs), by_doc(&ours));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (doc, s) in &a {
            assert!((s - b[doc]).abs() < 1e-4, "doc {doc}: {s} vs {}", b[doc]);
        }
    }
}
