use super::*;
use tantivy::collector::TopDocs;
use tantivy::query::Scorer;
use tantivy::schema::{IndexRecordOption, Schema, TEXT};
use tantivy::{DocId, SegmentReader, TERMINATED};
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
        let boosted =
            |q: Box<dyn Query>| by_doc(searcher.search(&BoostQuery::new(q, 2.5), &all).unwrap());
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
