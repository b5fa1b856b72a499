//! Running a scoring tree: each leaf (a term in a field, a phrase) reads its postings once
//! into `(document, score)` lists, and each inner node merges its children's lists
//! through score arrays indexed by document.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::InvertedIndexReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Explanation, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use super::*;

/// [`Scoring`] with its leaves' weights (their statistics taken from the searcher).
pub(super) enum Node {
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
pub(super) type Hits = Vec<(DocId, Score)>;

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
pub(super) struct Workspace {
    levels: Vec<Merge>,
    spare: Vec<Hits>,
    fields: Vec<(Field, std::sync::Arc<InvertedIndexReader>, FieldNormReader)>,
}

thread_local! {
    pub(super) static WORKSPACE: std::cell::RefCell<Workspace> = std::cell::RefCell::default();
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

pub(super) fn phrase(terms: &[Term], slop: u32) -> tantivy::query::PhraseQuery {
    let terms = terms.iter().cloned().enumerate().collect();
    tantivy::query::PhraseQuery::new_with_offset_and_slop(terms, slop)
}

/// Whether some document of the segment holds every term. The rarest term's documents
/// are the candidates; every other term only seeks to them through its skip list, so a
/// common word ("ikke", in half the articles) is not decoded in full.
pub(super) fn all_in_one_document(
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

pub(super) struct ScoringWeight(pub(super) Node);

impl ScoringWeight {
    /// Runs `f` on the segment's hits, in document order.
    pub(super) fn with_hits<T>(
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
