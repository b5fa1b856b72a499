use super::*;
use crate::index::BuildOptions;

/// A panic inside an isolated call is that call's error, with its message; an
/// isolated search answers as a plain one, before and after a caught panic. (No query
/// panics today, so the panic is raised beside the engine, not inside it.)
#[test]
fn a_panic_in_one_search_is_its_error_and_the_engine_goes_on() {
    let caught = isolate::<()>(|| panic!("cut inside {}", '\u{202f}'));
    match caught {
        Err(SearchError::Panicked(m)) => assert_eq!(m, "cut inside \u{202f}"),
        other => panic!("{other:?}"),
    }
    let caught = isolate::<()>(|| panic!("plain"));
    assert!(matches!(caught, Err(SearchError::Panicked(m)) if m == "plain"));

    let dir = seeds("isolated");
    let mut engine = Engine::open(&dir).unwrap();
    let options = SearchOptions {
        locale: "nb-NO".parse().unwrap(),
        limit: 3,
        fallback: false,
        explain: false,
        mode: Default::default(),
    };
    let before = engine.search_isolated("passord synkronisering", &options);
    let _ = isolate::<()>(|| panic!("between two searches"));
    let after = engine.search_isolated("passord synkronisering", &options);
    assert!(!before.as_ref().unwrap().is_empty());
    assert_eq!(before.unwrap(), after.unwrap());
    let _ = std::fs::remove_dir_all(dir);
}

/// A full index of `content` in a fresh temporary folder named for the test.
fn built(content: &Path, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("remedy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let options = BuildOptions {
        full: true,
        progress: false,
        encoder: None,
    };
    index::build(content, &dir, &options).expect("index builds");
    dir
}

/// An index of one Norwegian article, `nb-NO/e-post.md` with `text`: the content folder
/// and the index, both to remove.
pub(super) fn one_article(name: &str, text: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let root = std::env::temp_dir().join(format!("remedy-{name}-{}", std::process::id()));
    let content = root.join("content");
    std::fs::create_dir_all(content.join("nb-NO")).unwrap();
    std::fs::write(content.join("nb-NO/e-post.md"), text).unwrap();
    let dir = built(&content, &format!("{name}-index"));
    (root, dir)
}

/// An index of the seeds (`content/`).
pub(super) fn seeds(name: &str) -> std::path::PathBuf {
    built(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), name)
}

/// A compound found as its parts weighs what one word weighs: each of its n parts
/// scores with 1/n of the word's weight, not the whole weight each.
/// Every article's stored term vector reads back against its stored body.
#[test]
fn every_stored_term_vector_reads() {
    use tantivy::schema::Value;
    let dir = seeds("vectors");
    let mut read = 0;
    for locale in index::locales(&dir) {
        let li = index::open(&dir, &locale).expect("opens");
        let searcher = li.reader.searcher();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..segment.max_doc() {
                let d: tantivy::TantivyDocument = searcher
                    .doc(tantivy::DocAddress::new(ord as u32, doc))
                    .unwrap();
                let text = |f| d.get_first(f).and_then(|v| v.as_str()).unwrap_or_default();
                let found = crate::analysis::TermVector::matches(
                    text(li.fields.body_terms),
                    text(li.fields.body),
                    |_| Some(()),
                )
                .expect("a sound vector");
                assert!(!found.is_empty());
                read += 1;
            }
        }
    }
    assert!(read >= 5, "{read} articles");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Term-at-a-time scoring gives every query the documents and scores tantivy's own
/// queries give it: on the seeds, and on the alchemy corpus with its judged symptom
/// queries when `../shared` is beside the project.
#[test]
fn scoring_matches_tantivys_queries() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<(std::path::PathBuf, Vec<(String, String)>)> = vec![(
        manifest.join("content"),
        [
            ("nb-NO", "passord synkroniseres ikke"),
            ("nb-NO", "passordsynkronisering feiler"),
            ("nl-NL", "wachtwoord synchronisatie werkt niet"),
            ("nb-NO", "password sync not working"),
            ("nb-NO", "synkronsiering"),
            ("nb-NO", "Set-ExecutionPolicy gir feil"),
            ("nl-NL", "status van wachtwoord synchronisatie"),
        ]
        .iter()
        .map(|(l, q)| (l.to_string(), q.to_string()))
        .collect(),
    )];
    let dev = manifest.join("../shared/eval/dev.tsv");
    let alchemy = manifest.join("../shared/corpus/alchemy");
    if let (Ok(text), true) = (std::fs::read_to_string(&dev), alchemy.is_dir()) {
        let queries = text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                Some((f.get(1)?.to_string(), f.get(2)?.to_string()))
            })
            .collect();
        cases.push((alchemy, queries));
    }
    for (n, (content, queries)) in cases.into_iter().enumerate() {
        let dir = built(&content, &format!("scoring-{n}"));
        let mut engine = Engine::open(&dir).expect("index opens");
        let mut compared = 0;
        for (locale, query) in &queries {
            let locale: Locale = locale.parse().expect("locale");
            let Some(Planned {
                scoring: ours,
                searcher,
                ..
            }) = engine.plan(query, &locale)
            else {
                continue;
            };
            let all = TopDocs::with_limit(100_000).order_by_score();
            let by_doc = |q: &dyn tantivy::query::Query| {
                searcher
                    .search(q, &all)
                    .expect("search")
                    .into_iter()
                    .map(|(s, d)| (d, s))
                    .collect::<BTreeMap<_, _>>()
            };
            let (a, b) = (by_doc(&*ours.to_tantivy()), by_doc(&ours));
            assert!(!a.is_empty(), "{query}: nothing found");
            assert_eq!(
                a.keys().collect::<Vec<_>>(),
                b.keys().collect::<Vec<_>>(),
                "{query}"
            );
            for (doc, s) in &a {
                assert!(
                    (s - b[doc]).abs() <= 1e-4 * s.abs().max(1.0),
                    "{query}: {s} vs {}",
                    b[doc]
                );
            }
            compared += 1;
        }
        assert!(
            compared >= queries.len() / 2,
            "only {compared} queries compared"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
