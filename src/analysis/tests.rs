use super::*;

fn analyzer(language: Language, words: &[&str]) -> Analyzer {
    let mut v = Vocabulary::default();
    for w in words {
        for _ in 0..compound::MIN_PART_COUNT {
            v.add(w);
        }
    }
    Analyzer::new(language, Arc::new(v))
}

fn terms(a: &mut Analyzer, text: &str) -> Vec<String> {
    a.analyze(text).into_iter().map(|t| t.text).collect()
}

#[test]
fn it_nouns_meet_their_inflections() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    for (a, b) in [
        ("driver", "driveren"),
        ("server", "serveren"),
        ("datasenter", "datasenteret"),
        ("bruker", "brukerne"),
    ] {
        assert_eq!(nb.stem(a), nb.stem(b), "{a} / {b}");
    }
    let mut nl = analyzer(Language::Dutch, &[]);
    assert_eq!(nl.stem("wachtwoord"), nl.stem("wachtwoorden"));
    assert_eq!(nl.stem("gebruiker"), nl.stem("gebruikers"));
}

/// Symptoms are told in the past and in the third person: strong verbs meet their
/// present ("ble ikke funnet" / "finner ikke"), and a Dutch -t present meets its
/// infinitive when the content writes it ("werkt" / "werken"), spelling rules included.
#[test]
fn verbs_meet_their_forms() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    for (a, b) in [
        ("funnet", "finner"),
        ("fant", "finne"),
        ("forsvant", "forsvinner"),
        ("lagt", "legge"),
        ("valgt", "velger"),
        ("gikk", "gå"),
    ] {
        assert_eq!(nb.stem(a), nb.stem(b), "{a} / {b}");
    }
    let mut nl = analyzer(
        Language::Dutch,
        &[
            "werken",
            "vinden",
            "laden",
            "beginnen",
            "synchroniseren",
            "kiezen",
            "leven",
        ],
    );
    for (a, b) in [
        ("werkt", "werken"),
        ("vindt", "vinden"),
        ("laadt", "laden"),
        ("begint", "beginnen"),
        ("synchroniseert", "synchroniseren"),
        ("kiest", "kiezen"),
        ("leeft", "leven"),
        ("gevonden", "vinden"),
        ("begonnen", "beginnen"),
        ("gesloten", "sluiten"),
    ] {
        assert_eq!(nl.stem(a), nl.stem(b), "{a} / {b}");
    }
    // Past forms that are also other words' plurals are not verbs.
    assert_ne!(nl.stem("namen"), nl.stem("nemen"), "namen: names");
    assert_ne!(nl.stem("sloten"), nl.stem("sluiten"), "sloten: locks");
    // Words ending in t whose "infinitive" the content does not write stay as they are.
    for w in ["start", "bericht", "test", "project", "niet"] {
        assert_eq!(nl.stem(w).as_deref(), Some(w), "{w}");
    }
    // Without the infinitive in the content, the rule does nothing.
    let mut bare = analyzer(Language::Dutch, &[]);
    assert_ne!(bare.stem("vindt"), bare.stem("vinden"));
}

#[test]
fn snowball_still_stems_ordinary_words() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    assert_eq!(nb.stem("innstillingene"), nb.stem("innstillinger"));
    let mut nl = analyzer(Language::Dutch, &[]);
    assert_eq!(nl.stem("instellingen"), nl.stem("instelling"));
    let mut en = analyzer(Language::English, &[]);
    assert_eq!(en.stem("syncing"), en.stem("sync"));
}

#[test]
fn stop_words_take_a_position_but_give_no_term() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    let t = nb.analyze("passordet er ikke synkronisert");
    let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
    // "er" is a stop word; "ikke" is on the stop list but symptoms hinge on it.
    assert_eq!(texts.len(), 3, "{texts:?}");
    let positions: Vec<usize> = t.iter().map(|t| t.position).collect();
    assert_eq!(positions, [0, 2, 3]);
    let mut nl = analyzer(Language::Dutch, &[]);
    assert!(nl.stem("niet").is_some() && nl.stem("de").is_none());
}

#[test]
fn codes_are_kept_whole_and_lower_cased() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    assert_eq!(
        terms(
            &mut nb,
            "Feil 0x80070005 og AADSTS9000411 fra Set-ExecutionPolicy (KB4023057, 5.7.750)"
        ),
        [
            "feil",
            "80070005",
            "0x80070005",
            "aadsts9000411",
            "set-executionpolicy",
            "kb4023057",
            "5.7.750"
        ]
    );
}

/// A product name of letters ("OneDrive", "ADFS") is a code, kept whole, and what users
/// type in lower case is a word, stemmed ("onedrive" → "onedriv"): the name's stem
/// stands beside it, so both spellings meet.
#[test]
fn names_meet_their_lower_case_spelling() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    for (name, typed) in [("OneDrive", "onedrive"), ("ADFS", "adfs")] {
        let of_name = terms(&mut nb, name);
        let of_typed = terms(&mut nb, typed);
        assert_eq!(of_name[0], typed, "the code, whole");
        assert!(
            of_typed.iter().all(|t| of_name.contains(t)),
            "{name}: {of_name:?} / {typed}: {of_typed:?}"
        );
    }
    // A name the stemmer leaves as it is gives one term.
    assert_eq!(terms(&mut nb, "SharePoint"), ["sharepoint"]);
}

#[test]
fn compound_parts_have_their_own_offsets_and_share_the_position() {
    let mut nb = analyzer(Language::Norwegian, &["passord", "synkronisering"]);
    let text = "Slik fikser du passordsynkronisering";
    let t = nb.analyze(text);
    let last: Vec<(&str, &str, usize)> = t
        .iter()
        .filter(|t| t.range.start >= 15)
        .map(|t| (t.text.as_str(), &text[t.range.clone()], t.position))
        .collect();
    assert_eq!(
        last,
        [
            ("passordsynkronisering", "passordsynkronisering", 3),
            ("passord", "passord", 3),
            ("synkronisering", "synkronisering", 3)
        ]
    );
}

#[test]
fn hyphenated_and_joined_spellings_meet() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    let hyphen = terms(&mut nb, "e-post");
    let joined = terms(&mut nb, "epost");
    assert!(hyphen.contains(&joined[0]), "{hyphen:?} {joined:?}");
    assert!(hyphen.contains(&"post".to_owned()));
}

#[test]
fn the_tokenizer_gives_tantivy_the_same_terms() {
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    let mut nb = analyzer(Language::Norwegian, &["passord", "synkronisering"]);
    let mut stream = nb.token_stream("Passordsynkronisering feiler");
    let mut seen = Vec::new();
    while stream.advance() {
        let t = stream.token();
        seen.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
    }
    assert_eq!(seen[0], ("passordsynkronisering".to_owned(), 0, 0, 21));
    assert_eq!(seen[1], ("passord".to_owned(), 0, 0, 7));
    assert_eq!(seen[3].1, 1);
}

/// Every token of a stream analysed a stretch at a time, as tantivy sees it.
fn streamed(
    analyzer: &mut Analyzer,
    text: &str,
    stretch: usize,
) -> Vec<(String, usize, usize, usize)> {
    use tantivy::tokenizer::TokenStream;
    let mut stream = TermStream::new(analyzer, text, stretch);
    let mut seen = Vec::new();
    while stream.advance() {
        let t = stream.token();
        seen.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
    }
    seen
}

proptest::proptest! {
    /// Cut at white space, stretches give exactly the whole text's terms, positions and
    /// offsets, whatever the stretch size.
    #[test]
    fn stretches_give_the_whole_texts_terms(
        text in "([a-zA-Z0-9æøåÆØÅ.'’_-]{1,14}|0x1F|AADSTS50011|e-post|365-abonnement|[ \n\t\u{a0}\u{2003}]{1,3}|[,;:!?()])*",
        stretch in 1usize..48,
    ) {
        let mut nb = analyzer(Language::Norwegian, &["passord", "synkronisering", "post"]);
        let whole: Vec<_> = nb
            .analyze(&text)
            .into_iter()
            .map(|t| (t.text, t.position, t.range.start, t.range.end))
            .collect();
        proptest::prop_assert_eq!(streamed(&mut nb, &text, stretch), whole);
    }
}

#[test]
fn a_text_without_white_space_is_one_stretch() {
    let mut nb = analyzer(Language::Norwegian, &[]);
    let text = "a-b-c-d-e-f-g-h-i-j-k-l-m-n";
    let all = streamed(&mut nb, text, 3);
    assert_eq!(all.len(), nb.analyze(text).len());
    assert!(
        all.iter().all(|t| t.1 == 0),
        "one run, one position: {all:?}"
    );
}

/// A hyphenated compound is a compound like any other: "e-postmeldinger" is "epost" +
/// "meldinger", each part with the bytes it was written as.
#[test]
fn hyphenated_compounds_split_into_their_parts() {
    let mut v = Vocabulary::default();
    // "e-post" counts as "epost" (its joined form), as the index learns it.
    for _ in 0..5 {
        v.learn("e-post og meldinger");
    }
    assert_eq!(v.count("epost"), 5);
    let mut nb = Analyzer::new(Language::Norwegian, Arc::new(v));
    let text = "Ingen e-postmeldinger";
    let found: Vec<(String, &str)> = nb
        .analyze(text)
        .into_iter()
        .map(|t| (t.text, &text[t.range]))
        .collect();
    let epost = nb.stem("epost").unwrap();
    let melding = nb.stem("meldinger").unwrap();
    assert!(found.contains(&(epost, "e-post")), "{found:?}");
    assert!(found.contains(&(melding.clone(), "meldinger")), "{found:?}");
    // Through the joined form and through the part "postmeldinger": counted once.
    assert_eq!(
        found.iter().filter(|(t, _)| *t == melding).count(),
        1,
        "{found:?}"
    );
}

/// What the index makes of a text (`analyze`) and what snippets and stored term vectors
/// make of it (`for_each_term`) are the same terms at the same bytes, on the seeds and on
/// text full of the hard cases: hyphenated compounds, codes glued to words, names, GUIDs,
/// letters whose lower case is longer.
#[test]
fn analysis_and_highlighting_see_the_same_terms() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    let mut texts: Vec<(Language, String)> = Vec::new();
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "md") {
            let language = if e.path().to_string_lossy().contains("nl-NL") {
                Language::Dutch
            } else {
                Language::Norwegian
            };
            texts.push((language, std::fs::read_to_string(e.path()).unwrap()));
        }
    }
    let hard = "E-postmeldinger og e-post i Microsoft 365-abonnementet: 4c7-feil, 5.7.750-feil, \
                0x80070005-feilen, OneDrive og onedrive, ADFS, Wi-Fi, Get-Mailbox, \
                3f2504e0-beef-41d3-9a0c-0305e82c3301, İ-post, STRAẞE-navn, brukerpostboksen.";
    texts.push((Language::Norwegian, hard.to_owned()));
    texts.push((Language::Dutch, hard.replace("og", "en")));
    for (language, text) in texts {
        let mut v = Vocabulary::default();
        for _ in 0..3 {
            v.learn(&text);
        }
        let mut a = Analyzer::new(language, Arc::new(v));
        let mut analysed: Vec<(String, Range<usize>)> = a
            .analyze(&text)
            .into_iter()
            .map(|t| (t.text, t.range))
            .collect();
        let mut highlighted: Vec<(String, Range<usize>)> = Vec::new();
        a.for_each_term(&text, |t, r, _| highlighted.push((t.to_owned(), r)));
        for list in [&mut analysed, &mut highlighted] {
            list.sort_by_key(|(t, r)| (r.start, r.end, t.clone()));
            list.dedup();
        }
        assert_eq!(analysed, highlighted, "{language:?}");
        for (_, r) in &analysed {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}
