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
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// How a query scores.
#[derive(Debug)]
pub enum Scoring {
    /// A term in its field, scored by BM25 as tantivy scores a `TermQuery`, times the
    /// boost.
    Term(Term, Score),
    /// This score for every document that holds the term.
    Present(Term, Score),
    /// Any other tantivy query (a phrase), scored as tantivy scores it, times the boost.
    Query(Box<dyn Query>, Score),
    /// The best child's score plus `tie` times the others' (tantivy's
    /// `DisjunctionMaxQuery`).
    Max(Vec<Scoring>, Score),
    /// The sum of the children that match (a boolean query of `Should` clauses).
    Any(Vec<Scoring>),
    /// The sum, for documents every child matches (a boolean query of `Must` clauses).
    All(Vec<Scoring>),
}

impl Clone for Scoring {
    fn clone(&self) -> Self {
        match self {
            Scoring::Term(t, boost) => Scoring::Term(t.clone(), *boost),
            Scoring::Present(t, score) => Scoring::Present(t.clone(), *score),
            Scoring::Query(q, boost) => Scoring::Query(q.box_clone(), *boost),
            Scoring::Max(children, tie) => Scoring::Max(children.clone(), *tie),
            Scoring::Any(children) => Scoring::Any(children.clone()),
            Scoring::All(children) => Scoring::All(children.clone()),
        }
    }
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
                        let x = ((stats.docs - df) as Score + 0.5) / (df as Score + 0.5);
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
            Scoring::Query(q, boost) => Node::Query(q.weight(enable_scoring)?, *boost),
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
            Scoring::Query(q, boost) => Box::new(BoostQuery::new(q.box_clone(), *boost)),
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
            Scoring::Query(q, _) => q.query_terms(visitor),
            Scoring::Max(c, _) | Scoring::Any(c) | Scoring::All(c) => {
                for s in c {
                    s.query_terms(visitor);
                }
            }
        }
    }
}

/// [`Scoring`] with its leaves' weights (their statistics taken from the searcher).
enum Node {
    /// A term that no document holds.
    Nothing,
    /// `weight` is BM25's idf × (1 + k1) × boost.
    Term {
        term: Term,
        weight: Score,
        norms: Norms,
    },
    Present {
        term: Term,
        score: Score,
    },
    Query(Box<dyn Weight>, Score),
    Max(Vec<Node>, Score),
    Any(Vec<Node>),
    All(Vec<Node>),
}

/// Matching documents in increasing order, with their scores.
type Hits = Vec<(DocId, Score)>;

/// Per-document accumulators for merging children, cleared after every merge (only the
/// entries touched), so one set serves the whole tree, and (kept per thread) every query.
#[derive(Default)]
struct Merge {
    best: Vec<Score>,
    sum: Vec<Score>,
    /// How many children matched; 0 means untouched.
    count: Vec<u32>,
    /// The touched documents, as a bitset (read in order without sorting) …
    bits: Vec<u64>,
    /// … and as a list (few of them: sorting beats reading the bitset).
    touched: Vec<DocId>,
}

thread_local! {
    static MERGE: std::cell::RefCell<Merge> = std::cell::RefCell::default();
}

impl Merge {
    /// Room for documents below `max_doc`.
    fn fit(&mut self, max_doc: u32) {
        let n = max_doc as usize;
        if self.count.len() < n {
            self.best.resize(n, 0.0);
            self.sum.resize(n, 0.0);
            self.count.resize(n, 0);
            self.bits.resize(n.div_ceil(64), 0);
        }
    }

    /// Adds every child's hits, in child order (the order tantivy sums in).
    fn add(&mut self, children: &[Hits]) {
        for hits in children {
            for &(doc, score) in hits {
                let d = doc as usize;
                if self.count[d] == 0 {
                    self.touched.push(doc);
                    self.bits[d / 64] |= 1 << (d % 64);
                    self.best[d] = score;
                } else {
                    self.best[d] = self.best[d].max(score);
                }
                self.count[d] += 1;
                self.sum[d] += score;
            }
        }
    }

    /// The merged hits in document order (`score` from best, sum and count; `None` drops
    /// the document), leaving the accumulators clear.
    fn drain(&mut self, score: impl Fn(Score, Score, u32) -> Option<Score>) -> Hits {
        let mut out = Vec::with_capacity(self.touched.len());
        let mut take = |doc: DocId, m: &mut Merge| {
            let d = doc as usize;
            if let Some(s) = score(m.best[d], m.sum[d], m.count[d]) {
                out.push((doc, s));
            }
            m.best[d] = 0.0;
            m.sum[d] = 0.0;
            m.count[d] = 0;
        };
        let last = self.touched.iter().max().map_or(0, |d| *d as usize / 64);
        // Sorting n documents costs about n log n; reading the bitset, a word per 64.
        if self.touched.len() * 8 < last {
            let mut touched = std::mem::take(&mut self.touched);
            touched.sort_unstable();
            for &doc in &touched {
                self.bits[doc as usize / 64] = 0;
                take(doc, self);
            }
            touched.clear();
            self.touched = touched;
        } else {
            for w in 0..=last {
                let mut word = std::mem::take(&mut self.bits[w]);
                while word != 0 {
                    let doc = (w * 64) as DocId + word.trailing_zeros();
                    word &= word - 1;
                    take(doc, self);
                }
            }
            self.touched.clear();
        }
        out
    }
}

impl Node {
    fn hits(&self, reader: &SegmentReader, merge: &mut Merge) -> tantivy::Result<Hits> {
        let children = |c: &[Node], merge: &mut Merge| -> tantivy::Result<Vec<Hits>> {
            c.iter().map(|n| n.hits(reader, merge)).collect()
        };
        Ok(match self {
            Node::Nothing => Vec::new(),
            Node::Term {
                term,
                weight,
                norms,
            } => {
                let fieldnorms = reader
                    .fieldnorms_readers()
                    .get_field(term.field())?
                    .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
                let mut out = Vec::new();
                postings(reader, term, IndexRecordOption::WithFreqs, |docs, block| {
                    out.extend(docs.iter().enumerate().map(|(i, &d)| {
                        let tf = block.freq(i) as Score;
                        let norm = norms[usize::from(fieldnorms.fieldnorm_id(d))];
                        (d, weight * (tf / (tf + norm)))
                    }));
                })?;
                out
            }
            Node::Present { term, score } => {
                let mut out = Vec::new();
                postings(reader, term, IndexRecordOption::Basic, |docs, _| {
                    out.extend(docs.iter().map(|&d| (d, *score)));
                })?;
                out
            }
            Node::Query(weight, boost) => {
                let mut scorer = weight.scorer(reader, *boost)?;
                let mut out = Vec::with_capacity(scorer.size_hint() as usize);
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    out.push((doc, scorer.score()));
                    doc = scorer.advance();
                }
                out
            }
            Node::Max(c, tie) => {
                let mut lists = children(c, merge)?;
                lists.retain(|l| !l.is_empty());
                if lists.len() <= 1 {
                    // One child: its own scores (the tie adds nothing).
                    return Ok(lists.pop().unwrap_or_default());
                }
                merge.add(&lists);
                merge.drain(|best, sum, _| Some(best + (sum - best) * tie))
            }
            Node::Any(c) => {
                let mut lists = children(c, merge)?;
                lists.retain(|l| !l.is_empty());
                if lists.len() <= 1 {
                    return Ok(lists.pop().unwrap_or_default());
                }
                merge.add(&lists);
                merge.drain(|_, sum, _| Some(sum))
            }
            Node::All(c) => {
                let lists = children(c, merge)?;
                if lists.iter().any(Vec::is_empty) {
                    return Ok(Vec::new());
                }
                let n = lists.len() as u32;
                merge.add(&lists);
                merge.drain(|_, sum, count| (count == n).then_some(sum))
            }
        })
    }
}

/// Reads a term's postings in this segment a block at a time: `each(docs, block)`.
fn postings(
    reader: &SegmentReader,
    term: &Term,
    option: IndexRecordOption,
    mut each: impl FnMut(&[DocId], &BlockSegmentPostings),
) -> tantivy::Result<()> {
    let index = reader.inverted_index(term.field())?;
    let Some(info) = index.get_term_info(term)? else {
        return Ok(());
    };
    let mut block = index.read_block_postings_from_terminfo(&info, option)?;
    loop {
        let docs = block.docs();
        if docs.is_empty() {
            return Ok(());
        }
        each(docs, &block);
        block.advance();
    }
}

struct ScoringWeight(Node);

impl ScoringWeight {
    fn hits(&self, reader: &SegmentReader) -> tantivy::Result<Hits> {
        MERGE.with(|m| {
            // A merge interrupted by an error leaves entries behind: start afresh.
            let mut merge = m
                .try_borrow_mut()
                .map_or_else(|_| Merge::default(), |mut m| std::mem::take(&mut *m));
            merge.fit(reader.max_doc());
            let hits = self.0.hits(reader, &mut merge);
            if hits.is_ok()
                && let Ok(mut m) = m.try_borrow_mut()
            {
                *m = merge;
            }
            hits
        })
    }
}

impl Weight for ScoringWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut hits = self.hits(reader)?;
        if boost != 1.0 {
            for (_, s) in &mut hits {
                *s *= boost;
            }
        }
        Ok(Box::new(HitScorer { hits, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let hits = self.hits(reader)?;
        match hits.binary_search_by_key(&doc, |(d, _)| *d) {
            Ok(i) => Ok(Explanation::new("remedy scoring", hits[i].1)),
            Err(_) => Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            ))),
        }
    }

    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        for (doc, score) in self.hits(reader)? {
            if score > threshold {
                threshold = callback(doc, score);
            }
        }
        Ok(())
    }
}

/// Hits computed beforehand, as a scorer.
struct HitScorer {
    hits: Hits,
    at: usize,
}

impl DocSet for HitScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.hits.get(self.at).map_or(TERMINATED, |(d, _)| *d)
    }

    fn size_hint(&self) -> u32 {
        (self.hits.len() - self.at.min(self.hits.len())) as u32
    }
}

impl Scorer for HitScorer {
    fn score(&mut self) -> Score {
        self.hits.get(self.at).map_or(0.0, |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, doc};

    /// The same documents and scores as tantivy's own queries, for every kind of node,
    /// nested, with a phrase, over several segments and with deleted documents.
    #[test]
    fn scores_like_tantivy() {
        let mut b = Schema::builder();
        let title = b.add_text_field("title", TEXT);
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["alpha", "beta", "gamma", "delta", "epsilon"];
        for i in 0..600usize {
            let pick = |k: usize| words[(i * k + i / 7) % words.len()];
            w.add_document(doc!(
                title => format!("{} {}", pick(3), pick(5)),
                body => format!("{} {} {} {}", pick(1), pick(2), pick(7), pick(11)),
            ))
            .unwrap();
            if i % 200 == 199 {
                w.commit().unwrap();
            }
        }
        w.delete_term(Term::from_field_text(title, "epsilon"));
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        let term = Term::from_field_text;
        let fields = |t: &str| {
            Scoring::Max(
                vec![
                    Scoring::Term(term(title, t), 3.0),
                    Scoring::Term(term(body, t), 1.0),
                ],
                0.2,
            )
        };
        let mut clauses = Vec::new();
        for (a, b) in [("alpha", "beta"), ("gamma", "zeta"), ("delta", "epsilon")] {
            let both = Scoring::All(vec![fields(a), fields(b)]);
            clauses.push(Scoring::Max(vec![fields(a), fields(b), both], 0.1));
            clauses.push(Scoring::Present(term(body, a), 2.0));
        }
        let phrase = PhraseQuery::new_with_offset_and_slop(
            vec![
                (0, Term::from_field_text(body, "beta")),
                (1, Term::from_field_text(body, "gamma")),
            ],
            2,
        );
        clauses.push(Scoring::Query(Box::new(phrase), 1.5));
        clauses.push(Scoring::All(vec![fields("zeta"), fields("alpha")]));
        let ours = Scoring::Any(clauses);
        let theirs = ours.to_tantivy();
        let top = |q: &dyn Query| {
            searcher
                .search(q, &TopDocs::with_limit(1000).order_by_score())
                .unwrap()
        };
        let (theirs, ours) = (top(&*theirs), top(&ours));
        assert!(ours.len() > 100);
        let by_doc = |hits: &[(Score, tantivy::DocAddress)]| {
            hits.iter()
                .map(|(s, d)| (*d, *s))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let (a, b) = (by_doc(&theirs), by_doc(&ours));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (doc, s) in &a {
            assert!((s - b[doc]).abs() < 1e-4, "{doc:?}: {s} vs {}", b[doc]);
        }
    }
}
