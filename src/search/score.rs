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
use tantivy::index::InvertedIndexReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

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
    pub what: String,
    pub score: Score,
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
    Phrase {
        terms: Vec<Term>,
        weight: Box<dyn Weight>,
        boost: Score,
    },
    Max(Vec<Node>, Score),
    Any(Vec<Node>),
    All(Vec<Node>),
}

/// Matching documents in increasing order, with their scores.
type Hits = Vec<(DocId, Score)>;

/// Per-document accumulators for merging one node's children, cleared as they are read
/// (only the entries touched).
#[derive(Default)]
struct Merge {
    docs: Vec<Acc>,
    /// The touched documents, as a bitset (read in order without sorting) …
    bits: Vec<u64>,
    /// … and as a list (few of them: sorting beats reading the bitset).
    touched: Vec<DocId>,
}

/// One document's children so far; `count` 0 means untouched.
#[derive(Clone, Copy, Default)]
struct Acc {
    best: Score,
    sum: Score,
    count: u32,
}

impl Merge {
    /// Room for documents below `max_doc`.
    fn fit(&mut self, max_doc: u32) {
        let n = max_doc as usize;
        if self.docs.len() < n {
            self.docs.resize(n, Acc::default());
            self.bits.resize(n.div_ceil(64), 0);
        }
    }

    /// Adds one child's score for a document.
    #[inline]
    fn add_one(&mut self, doc: DocId, score: Score) {
        let d = doc as usize;
        let acc = &mut self.docs[d];
        if acc.count == 0 {
            self.touched.push(doc);
            self.bits[d / 64] |= 1 << (d % 64);
            // tantivy's dismax starts its best at 0.
            *acc = Acc {
                best: score.max(0.0),
                sum: score,
                count: 1,
            };
        } else {
            acc.best = acc.best.max(score);
            acc.sum += score;
            acc.count += 1;
        }
    }

    /// Adds a child's hits. Children come in order, the order tantivy's unions and
    /// dismax sum in; its intersections sum cheapest first, so an `All` may differ from
    /// tantivy's in the last bit.
    fn add(&mut self, hits: &[(DocId, Score)]) {
        self.touched.reserve(hits.len());
        for &(doc, score) in hits {
            self.add_one(doc, score);
        }
    }

    /// Moves the merged hits into `out` in document order (`score` from best, sum and
    /// count; `None` drops the document), leaving the accumulators clear.
    fn drain(&mut self, out: &mut Hits, score: impl Fn(Score, Score, u32) -> Option<Score>) {
        out.reserve(self.touched.len());
        let mut take = |doc: DocId, docs: &mut [Acc]| {
            let acc = std::mem::take(&mut docs[doc as usize]);
            if let Some(s) = score(acc.best, acc.sum, acc.count) {
                out.push((doc, s));
            }
        };
        let last = self.touched.iter().max().map_or(0, |d| *d as usize / 64);
        // Sorting n documents costs about n log n; reading the bitset, a word per 64.
        if self.touched.len() * 8 < last {
            self.touched.sort_unstable();
            for &doc in &self.touched {
                self.bits[doc as usize / 64] = 0;
                take(doc, &mut self.docs);
            }
        } else {
            for w in 0..=last {
                let mut word = std::mem::take(&mut self.bits[w]);
                while word != 0 {
                    let doc = (w * 64) as DocId + word.trailing_zeros();
                    word &= word - 1;
                    take(doc, &mut self.docs);
                }
            }
        }
        self.touched.clear();
    }
}

/// What evaluating a tree needs beside the tree, kept per thread between queries so a
/// query allocates next to nothing: accumulators per depth (a node merges while its
/// children, one level down, are still being read), spare lists, and the open readers of
/// the segment at hand.
#[derive(Default)]
struct Workspace {
    levels: Vec<Merge>,
    spare: Vec<Hits>,
    fields: Vec<(Field, std::sync::Arc<InvertedIndexReader>, FieldNormReader)>,
}

thread_local! {
    static WORKSPACE: std::cell::RefCell<Workspace> = std::cell::RefCell::default();
}

impl Workspace {
    fn list(&mut self) -> Hits {
        self.spare.pop().unwrap_or_default()
    }

    fn give(&mut self, mut list: Hits) {
        list.clear();
        self.spare.push(list);
    }

    fn level(&mut self, depth: usize, max_doc: u32) -> &mut Merge {
        if self.levels.len() <= depth {
            self.levels.resize_with(depth + 1, Merge::default);
        }
        let merge = &mut self.levels[depth];
        merge.fit(max_doc);
        merge
    }

    /// The field's inverted index and norms in this segment, opened once per segment.
    fn field(
        &mut self,
        reader: &SegmentReader,
        field: Field,
    ) -> tantivy::Result<(std::sync::Arc<InvertedIndexReader>, FieldNormReader)> {
        if let Some((_, index, norms)) = self.fields.iter().find(|(f, ..)| *f == field) {
            return Ok((index.clone(), norms.clone()));
        }
        let index = reader.inverted_index(field)?;
        let norms = reader
            .fieldnorms_readers()
            .get_field(field)?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        self.fields.push((field, index.clone(), norms.clone()));
        Ok((index, norms))
    }
}

impl Node {
    fn hits(
        &self,
        reader: &SegmentReader,
        ws: &mut Workspace,
        depth: usize,
    ) -> tantivy::Result<Hits> {
        let mut out = ws.list();
        match self {
            Node::Nothing | Node::Term { .. } | Node::Present { .. } => {
                if let Some(leaf) = self.leaf(reader, ws)? {
                    leaf.each(|d, score| out.push((d, score)));
                }
            }
            Node::Phrase {
                terms,
                weight,
                boost,
            } => {
                // Most queries have no document with all their words: finding that out
                // from the postings is far cheaper than opening the phrase's positions.
                if !all_in_one_document(terms, reader, ws)? {
                    return Ok(out);
                }
                let mut scorer = weight.scorer(reader, *boost)?;
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    out.push((doc, scorer.score()));
                    doc = scorer.advance();
                }
            }
            Node::Max(c, tie) if self.merges_by_order() => {
                // A term in its few fields: their postings merged in document order cost
                // less than accumulators to fill and drain.
                let lists = leaf_lists(c, reader, ws)?;
                merge_by_order(&lists, *tie, |d, score| out.push((d, score)));
                for list in lists {
                    ws.give(list);
                }
            }
            Node::Max(c, tie) => {
                if merge_children(c, reader, ws, depth, &mut out)?.is_some() {
                    let tie = *tie;
                    ws.level(depth, reader.max_doc())
                        .drain(&mut out, |best, sum, _| Some(best + (sum - best) * tie));
                }
            }
            Node::Any(c) => {
                if merge_children(c, reader, ws, depth, &mut out)?.is_some() {
                    ws.level(depth, reader.max_doc())
                        .drain(&mut out, |_, sum, _| Some(sum));
                }
            }
            Node::All(c) => {
                let n = c.len() as u32;
                match merge_children(c, reader, ws, depth, &mut out)? {
                    Some(matched) if matched == n => ws
                        .level(depth, reader.max_doc())
                        .drain(&mut out, |_, sum, count| (count == n).then_some(sum)),
                    Some(_) => {
                        // A part matched nowhere: nothing matches all of them.
                        ws.level(depth, reader.max_doc())
                            .drain(&mut out, |_, _, _| None);
                    }
                    None if n > 1 => out.clear(),
                    None => {}
                }
            }
        }
        Ok(out)
    }
}

/// Dismax nodes of at most this many leaves merge their lists in document order.
const MERGE_BY_ORDER: usize = 4;

/// `lists` (each in document order) merged as a dismax: per document, the best score
/// (from 0, as tantivy's) plus `tie` times the others, summed in child order as the
/// accumulators sum. Lists are merged two at a time, a tight loop each: a term's title
/// and heading lists are short beside its body list.
fn merge_by_order(lists: &[Hits], tie: Score, mut out: impl FnMut(DocId, Score)) {
    let mut nonempty = lists.iter().filter(|l| !l.is_empty());
    let Some(first) = nonempty.next() else {
        return;
    };
    if lists.iter().filter(|l| !l.is_empty()).count() == 1 {
        // One child alone: its own scores (best + (sum - best) × tie, for scores ≥ 0).
        first.iter().for_each(|&(d, score)| {
            debug_assert!(score >= 0.0);
            out(d, score)
        });
        return;
    }
    // (doc, best, sum) so far.
    let mut acc: Vec<(DocId, Score, Score)> =
        first.iter().map(|&(d, s)| (d, s.max(0.0), s)).collect();
    let mut next: Vec<(DocId, Score, Score)> = Vec::new();
    for list in nonempty {
        next.clear();
        next.reserve(acc.len() + list.len());
        let (mut i, mut j) = (0, 0);
        while i < acc.len() && j < list.len() {
            let (d, best, sum) = acc[i];
            let (e, s) = list[j];
            if d < e {
                next.push((d, best, sum));
                i += 1;
            } else if e < d {
                next.push((e, s.max(0.0), s));
                j += 1;
            } else {
                next.push((d, best.max(s), sum + s));
                i += 1;
                j += 1;
            }
        }
        next.extend_from_slice(&acc[i..]);
        next.extend(list[j..].iter().map(|&(e, s)| (e, s.max(0.0), s)));
        std::mem::swap(&mut acc, &mut next);
    }
    for &(d, best, sum) in &acc {
        out(d, best + (sum - best) * tie);
    }
}

/// The postings of `leaves` (term nodes), one list each.
fn leaf_lists(
    leaves: &[Node],
    reader: &SegmentReader,
    ws: &mut Workspace,
) -> tantivy::Result<Vec<Hits>> {
    let mut lists = Vec::with_capacity(leaves.len());
    for leaf in leaves {
        let mut list = ws.list();
        if let Some(leaf) = leaf.leaf(reader, ws)? {
            leaf.each(|d, score| list.push((d, score)));
        }
        lists.push(list);
    }
    Ok(lists)
}

impl Node {
    /// A dismax of a few term leaves (a term in its fields), merged in document order.
    fn merges_by_order(&self) -> bool {
        matches!(self, Node::Max(c, _) if c.len() <= MERGE_BY_ORDER && c.iter().all(Node::is_leaf))
    }

    fn is_leaf(&self) -> bool {
        matches!(
            self,
            Node::Nothing | Node::Term { .. } | Node::Present { .. }
        )
    }

    /// A term node's postings in this segment, ready to read; `None` for other nodes
    /// (and for a term nobody holds, an empty leaf).
    fn leaf<'n>(
        &'n self,
        reader: &SegmentReader,
        ws: &mut Workspace,
    ) -> tantivy::Result<Option<Leaf<'n>>> {
        let (term, bm25, constant) = match self {
            Node::Nothing => return Ok(Some(Leaf::empty())),
            Node::Term {
                term,
                weight,
                norms,
            } => (term, Some((*weight, norms)), 0.0),
            Node::Present { term, score } => (term, None, *score),
            _ => return Ok(None),
        };
        let (index, fieldnorms) = ws.field(reader, term.field())?;
        let score = match bm25 {
            Some((weight, norms)) => LeafScore::Bm25 {
                weight,
                norms,
                fieldnorms,
            },
            None => LeafScore::Const(constant),
        };
        Leaf::open(&index, term, score).map(Some)
    }
}

/// A term's postings in one segment and how they score.
struct Leaf<'n> {
    postings: Option<BlockSegmentPostings>,
    score: LeafScore<'n>,
}

enum LeafScore<'n> {
    /// BM25: `weight` × tf / (tf + the field's length part for the document's norm).
    Bm25 {
        weight: Score,
        norms: &'n Norms,
        fieldnorms: FieldNormReader,
    },
    Const(Score),
}

impl<'n> Leaf<'n> {
    fn empty() -> Self {
        Leaf {
            postings: None,
            score: LeafScore::Const(0.0),
        }
    }

    /// The term's postings in `index` (frequencies only when BM25 needs them).
    fn open(
        index: &InvertedIndexReader,
        term: &Term,
        score: LeafScore<'n>,
    ) -> tantivy::Result<Self> {
        let option = match score {
            LeafScore::Bm25 { .. } => IndexRecordOption::WithFreqs,
            LeafScore::Const(_) => IndexRecordOption::Basic,
        };
        let postings = match index.get_term_info(term)? {
            Some(info) => Some(index.read_block_postings_from_terminfo(&info, option)?),
            None => None,
        };
        Ok(Leaf { postings, score })
    }

    /// Calls `f(doc, score)` for every posting, in document order; whether there was any.
    fn each(self, mut f: impl FnMut(DocId, Score)) -> bool {
        let Some(mut block) = self.postings else {
            return false;
        };
        let mut any = false;
        loop {
            let docs = block.docs();
            if docs.is_empty() {
                return any;
            }
            any = true;
            match &self.score {
                LeafScore::Bm25 {
                    weight,
                    norms,
                    fieldnorms,
                } => {
                    for (i, &d) in docs.iter().enumerate() {
                        let tf = block.freq(i) as Score;
                        let norm = norms[usize::from(fieldnorms.fieldnorm_id(d))];
                        f(d, weight * (tf / (tf + norm)));
                    }
                }
                LeafScore::Const(score) => docs.iter().for_each(|&d| f(d, *score)),
            }
            block.advance();
        }
    }
}

/// Reads `children` into the accumulators of `depth`. When only one child matches
/// anything and nothing was merged, its list is left in `out` and `None` returned: its
/// own scores are the node's (a tie or a sum adds nothing). Otherwise `out` is left empty
/// for the merge and the number of children that matched is returned. Once a merge has
/// begun, term children stream their postings straight into it, without a list.
fn merge_children(
    children: &[Node],
    reader: &SegmentReader,
    ws: &mut Workspace,
    depth: usize,
    out: &mut Hits,
) -> tantivy::Result<Option<u32>> {
    let max_doc = reader.max_doc();
    let mut first: Option<Hits> = None;
    let mut merging = false;
    let mut matched = 0u32;
    for child in children {
        if (first.is_some() || merging)
            && let Some(leaf) = child.leaf(reader, ws)?
        {
            if let Some(f) = first.take() {
                ws.level(depth, max_doc).add(&f);
                ws.give(f);
            }
            merging = true;
            let merge = ws.level(depth, max_doc);
            if leaf.each(|d, score| merge.add_one(d, score)) {
                matched += 1;
            }
            continue;
        }
        if let (true, Node::Max(leaves, tie)) = (first.is_some() || merging, child)
            && child.merges_by_order()
        {
            // Straight into the accumulators, without a list between.
            let lists = leaf_lists(leaves, reader, ws)?;
            if let Some(f) = first.take() {
                ws.level(depth, max_doc).add(&f);
                ws.give(f);
            }
            merging = true;
            let merge = ws.level(depth, max_doc);
            let mut any = false;
            merge_by_order(&lists, *tie, |d, score| {
                any = true;
                merge.add_one(d, score);
            });
            matched += u32::from(any);
            for list in lists {
                ws.give(list);
            }
            continue;
        }
        let list = child.hits(reader, ws, depth + 1)?;
        if list.is_empty() {
            ws.give(list);
            continue;
        }
        matched += 1;
        if first.is_none() && !merging {
            first = Some(list);
            continue;
        }
        if let Some(f) = first.take() {
            ws.level(depth, max_doc).add(&f);
            ws.give(f);
        }
        merging = true;
        ws.level(depth, max_doc).add(&list);
        ws.give(list);
    }
    Ok(match first {
        Some(only) => {
            ws.give(std::mem::replace(out, only));
            None
        }
        None if merging => Some(matched),
        None => None,
    })
}

fn phrase(terms: &[Term], slop: u32) -> tantivy::query::PhraseQuery {
    let terms = terms.iter().cloned().enumerate().collect();
    tantivy::query::PhraseQuery::new_with_offset_and_slop(terms, slop)
}

/// Whether some document of the segment holds every term. The rarest term's documents
/// are the candidates; every other term only seeks to them through its skip list, so a
/// common word ("ikke", in half the articles) is not decoded in full.
fn all_in_one_document(
    terms: &[Term],
    reader: &SegmentReader,
    ws: &mut Workspace,
) -> tantivy::Result<bool> {
    let mut infos = Vec::with_capacity(terms.len());
    for term in terms {
        let (index, _) = ws.field(reader, term.field())?;
        match index.get_term_info(term)? {
            Some(info) => infos.push((info, index)),
            None => return Ok(false),
        }
    }
    infos.sort_by_key(|(info, _)| info.doc_freq);
    let Some(((rarest, index), others)) = infos.split_first() else {
        return Ok(false);
    };
    let mut candidates: Vec<DocId> = Vec::with_capacity(rarest.doc_freq as usize);
    let mut block = index.read_block_postings_from_terminfo(rarest, IndexRecordOption::Basic)?;
    while !block.docs().is_empty() {
        candidates.extend_from_slice(block.docs());
        block.advance();
    }
    for (info, index) in others {
        let mut postings = index.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        // Candidates ascend, so each seek moves forward.
        candidates.retain(|&d| postings.doc() <= d && postings.seek(d) == d);
        if candidates.is_empty() {
            return Ok(false);
        }
    }
    Ok(!candidates.is_empty())
}

struct ScoringWeight(Node);

impl ScoringWeight {
    /// Runs `f` on the segment's hits, in document order.
    fn with_hits<T>(
        &self,
        reader: &SegmentReader,
        f: impl FnOnce(&[(DocId, Score)]) -> T,
    ) -> tantivy::Result<T> {
        WORKSPACE.with(|cell| {
            // Taken out of the cell, so a nested query (none today) gets its own. A
            // workspace interrupted by an error may hold entries: it is dropped.
            let mut ws = cell
                .try_borrow_mut()
                .map_or_else(|_| Workspace::default(), |mut w| std::mem::take(&mut *w));
            ws.fields.clear();
            let hits = self.0.hits(reader, &mut ws, 0)?;
            let result = f(&hits);
            ws.give(hits);
            ws.fields.clear();
            if let Ok(mut w) = cell.try_borrow_mut() {
                *w = ws;
            }
            Ok(result)
        })
    }
}

impl Weight for ScoringWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let hits = self.with_hits(reader, |hits| {
            hits.iter().map(|&(d, s)| (d, s * boost)).collect()
        })?;
        Ok(Box::new(HitScorer { hits, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let score = self.with_hits(reader, |hits| {
            hits.binary_search_by_key(&doc, |(d, _)| *d)
                .ok()
                .map(|i| hits[i].1)
        })?;
        match score {
            Some(score) => Ok(Explanation::new("remedy scoring", score)),
            None => Err(tantivy::TantivyError::InvalidArgument(format!(
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
        self.with_hits(reader, |hits| {
            for &(doc, score) in hits {
                if score > threshold {
                    threshold = callback(doc, score);
                }
            }
        })
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
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, doc};

    /// The same documents and scores as tantivy's own queries, for every kind of node,
    /// nested, with phrases (matching and not), over several segments (one of them large
    /// enough that merges sort their few documents instead of reading a bitset), with
    /// deleted documents, a word only one segment holds, a field without norms, empty and
    /// single children; and through a boost, a count and an explanation.
    #[test]
    fn scores_like_tantivy() {
        use tantivy::collector::Count;
        use tantivy::query::BoostQuery;
        use tantivy::schema::{TextFieldIndexing, TextOptions};
        let mut b = Schema::builder();
        let title = b.add_text_field("title", TEXT);
        let body = b.add_text_field("body", TEXT);
        let tags = b.add_text_field(
            "tags",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_fieldnorms(false)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 30_000_000).unwrap();
        let words = ["alpha", "beta", "gamma", "delta", "epsilon"];
        for i in 0..5000usize {
            let pick = |k: usize| words[(i * k + i / 7) % words.len()];
            // "omega" only in the first segment; "rare" alone in a few documents of the
            // large one (nothing else matches them).
            let omega = if i < 200 && i % 3 == 0 { " omega" } else { "" };
            let document = if i > 600 && i % 997 == 0 {
                doc!(title => "rare", body => "rare", tags => "rare")
            } else {
                doc!(
                    title => format!("{} {}", pick(3), pick(5)),
                    body => format!("{} {} {} {}{omega}", pick(1), pick(2), pick(7), pick(11)),
                    tags => format!("{} {}", pick(13), pick(13)),
                )
            };
            w.add_document(document).unwrap();
            if i == 199 || i == 599 {
                w.commit().unwrap();
            }
        }
        w.delete_term(Term::from_field_text(title, "epsilon"));
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 2);
        let term = Term::from_field_text;
        let fields = |t: &str| {
            Scoring::Max(
                vec![
                    Scoring::Term(term(title, t), 3.0),
                    Scoring::Term(term(body, t), 1.0),
                    Scoring::Term(term(tags, t), 0.5),
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
        for (words, slop) in [(["beta", "gamma"], 2), (["alpha", "zeta"], 4)] {
            let terms = words.iter().map(|w| term(body, w)).collect();
            clauses.push(Scoring::Phrase(terms, slop, 1.5));
        }
        clauses.push(Scoring::All(vec![fields("zeta"), fields("alpha")]));
        clauses.push(Scoring::All(vec![fields("omega")]));
        clauses.push(Scoring::Max(vec![fields("rare")], 0.3));
        clauses.push(Scoring::Any(vec![]));
        clauses.push(Scoring::Max(vec![], 0.1));
        let big = Scoring::Any(clauses);
        let queries = [
            big,
            // Only the rare word: a merge of few documents in a large segment.
            Scoring::Any(vec![
                fields("rare"),
                Scoring::Present(term(body, "rare"), 1.0),
            ]),
            Scoring::Max(vec![fields("omega"), fields("rare")], 0.5),
            // Last, a query the documents of "rare" do not match: whatever the queries
            // before left in the per-thread accumulators would show here.
            Scoring::Any(vec![
                fields("alpha"),
                fields("beta"),
                Scoring::Present(term(body, "gamma"), 1.0),
            ]),
        ];
        let by_doc = |hits: Vec<(Score, tantivy::DocAddress)>| {
            hits.into_iter()
                .map(|(s, d)| (d, s))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let same = |a: &std::collections::BTreeMap<tantivy::DocAddress, Score>,
                    b: &std::collections::BTreeMap<tantivy::DocAddress, Score>| {
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
            for (doc, s) in a {
                assert!((s - b[doc]).abs() < 1e-4, "{doc:?}: {s} vs {}", b[doc]);
            }
        };
        for (i, ours) in queries.into_iter().enumerate() {
            let theirs = ours.to_tantivy();
            // Every segment's matches as the scorers give them, before any collector
            // (which drops scores of 0), first: a document left behind in the
            // accumulators by the queries before would show here.
            let segments = |q: &dyn Query| -> Vec<Vec<(DocId, Score)>> {
                let w = q
                    .weight(EnableScoring::enabled_from_searcher(&searcher))
                    .unwrap();
                let scored = |r: &SegmentReader| {
                    let mut s = w.scorer(r, 1.0).unwrap();
                    let mut out = Vec::new();
                    while s.doc() != TERMINATED {
                        out.push((s.doc(), s.score()));
                        s.advance();
                    }
                    out
                };
                searcher.segment_readers().iter().map(scored).collect()
            };
            for (x, y) in segments(&*theirs).iter().zip(segments(&ours)) {
                let docs = |l: &[(DocId, Score)]| l.iter().map(|(d, _)| *d).collect::<Vec<_>>();
                assert_eq!(docs(x), docs(&y), "query {i}");
                for ((_, s), (_, t)) in x.iter().zip(&y) {
                    assert!((s - t).abs() < 1e-4, "query {i}: {s} vs {t}");
                }
            }
            let all = TopDocs::with_limit(10_000).order_by_score();
            let (a, b) = (
                by_doc(searcher.search(&*theirs, &all).unwrap()),
                by_doc(searcher.search(&ours, &all).unwrap()),
            );
            assert!(
                b.len() >= if i % 3 == 0 { 1000 } else { 3 },
                "query {i}: {}",
                b.len()
            );
            same(&a, &b);
            // Boosted from outside (through the scorer, not the pruning loop).
            let boosted = |q: Box<dyn Query>| {
                by_doc(searcher.search(&BoostQuery::new(q, 2.5), &all).unwrap())
            };
            same(
                &boosted(ours.to_tantivy()),
                &boosted(Box::new(ours.clone())),
            );
            // Counted without scores.
            assert_eq!(
                searcher.search(&*theirs, &Count).unwrap(),
                searcher.search(&ours, &Count).unwrap()
            );
            // Explained.
            let (doc, score) = b.iter().next().expect("a hit");
            let explained = ours.explain(&searcher, *doc).unwrap().value();
            assert!((explained - score).abs() < 1e-4, "{explained} vs {score}");
        }
    }
}
