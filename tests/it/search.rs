//! The index and search commands on the seeds: the JSON contract of
//! ../shared/eval/run_project.sh, incremental builds, and hard queries.

use crate::common;

use crate::common::remedy;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A scratch folder (removed when the first is dropped, also when the test fails) and
/// its path.
fn temp(name: &str) -> (common::Scratch, PathBuf) {
    let scratch = common::Scratch::new(name);
    let dir = scratch.path().to_path_buf();
    (scratch, dir)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An index of `content/` in a fresh temporary folder.
fn indexed(name: &str) -> (common::Scratch, PathBuf) {
    index_of(Path::new("content"), name)
}

/// An index of `content` in a fresh temporary folder.
fn index_of(content: &Path, name: &str) -> (common::Scratch, PathBuf) {
    let (scratch, index) = temp(name);
    common::build_index(content, &index);
    (scratch, index)
}

fn search(index: &Path, locale: &str, query: &str) -> Value {
    serde_json::from_str(&search_with(index, locale, &["--format", "json"], query)).unwrap()
}

/// `remedy search` with more options (`--explain`, `--format`), its standard output.
fn search_with(index: &Path, locale: &str, options: &[&str], query: &str) -> String {
    let mut args = vec![
        "search",
        "--index",
        index.to_str().unwrap(),
        "--locale",
        locale,
        "--limit",
        "10",
    ];
    args.extend_from_slice(options);
    args.push(query);
    common::remedy_ok(&args)
}

/// The highlighted stretches of a hit's snippet, lower-cased.
fn marked(hit: &Value) -> Vec<String> {
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let (a, b) = (
                h[0].as_u64().unwrap() as usize,
                h[1].as_u64().unwrap() as usize,
            );
            snippet[a..b].iter().collect::<String>().to_lowercase()
        })
        .collect()
}

/// The first hit of a Norwegian query marks a word that starts with `prefix`.
fn assert_first_hit_marks(index: &Path, query: &str, prefix: &str) {
    let v = search(index, "nb-NO", query);
    let words = marked(&v["hits"][0]);
    assert!(
        words.iter().any(|w| w.starts_with(prefix)),
        "{query}: {words:?}"
    );
}

#[test]
fn index_then_search_follows_the_eval_contract() {
    let (_index_scratch, index) = indexed("search-contract");
    let v = search(&index, "nb-NO", "passord synkroniseres ikke");
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    let first = &hits[0];
    for key in [
        "path",
        "locale",
        "title",
        "score",
        "snippet",
        "anchor",
        "highlights",
    ] {
        assert!(first.get(key).is_some(), "hit without {key}: {first}");
    }
    assert_eq!(first["locale"], "nb-NO");
    // Paths are relative to the locale folder.
    assert!(!first["path"].as_str().unwrap().starts_with("nb-NO"));
    let paths: Vec<&str> = hits.iter().map(|h| h["path"].as_str().unwrap()).collect();
    assert!(
        paths.contains(&"troubleshoot-password-synchronization.md"),
        "{paths:?}"
    );
    // Scores are ranked best first.
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    // Highlights point at matched words of the snippet.
    for word in marked(first) {
        assert!(
            ["passord", "synkroniser", "ikke"]
                .iter()
                .any(|w| word.contains(w)),
            "{word}"
        );
    }

    // Dutch is analysed as Dutch.
    let v = search(&index, "nl-NL", "wachtwoorden synchroniseren");
    assert_eq!(v["hits"][0]["path"], "password-sync.md");
}

#[test]
fn compound_words_meet_their_split_spelling() {
    let (_index_scratch, index) = indexed("search-compound");
    // The articles write "passordsynkronisering"; users write it in two words, and the
    // other way round.
    let split = search(&index, "nb-NO", "passord synkronisering");
    let joined = search(&index, "nb-NO", "passordsynkronisering");
    let top = |v: &Value| v["hits"][0]["path"].as_str().unwrap().to_owned();
    assert!(!split["hits"].as_array().unwrap().is_empty());
    assert!(!joined["hits"].as_array().unwrap().is_empty());
    assert!(top(&split).contains("password"), "{}", top(&split));
    assert!(top(&joined).contains("password"), "{}", top(&joined));
}

#[test]
fn english_words_in_a_local_query_find_their_translation() {
    let (_index_scratch, index) = indexed("search-lexicon");
    // The seeds pair "troubleshoot" with "feilsøke" (span sources beside their targets);
    // the Norwegian text never writes "troubleshoot", and the query is not English enough
    // for the English field. Without the lexicon only "synkronisering" would match.
    assert_first_hit_marks(&index, "troubleshoot synkronisering", "feilsøk");

    // "last" is learned as "siste" (the English "Last synchronized"), but in Norwegian it is
    // "last ned", written about as often as "siste": a word of the language, not a loan.
    let v = search(&index, "nb-NO", "last ned");
    for hit in v["hits"].as_array().unwrap() {
        for word in marked(hit) {
            assert!(!word.starts_with("sist"), "{word} marked for \"last\"");
        }
    }
}

#[test]
fn a_rare_spelling_of_a_word_does_not_outweigh_the_common_one() {
    let Some(alchemy) = common::corpus("alchemy") else {
        return;
    };
    let (_index_scratch, index) = index_of(&alchemy, "search-alchemy-thesaurus");
    // One Dutch article writes "inloggen"; 163 write "aanmelden". Scored with the group's
    // idf, the article that answers (sign-in) wins over the one that merely spells it so.
    let v = search(&index, "nl-NL", "inloggen bij teams lukt niet");
    assert_eq!(
        v["hits"][0]["path"], "AlchemyInsights/cant-sign-in-to-teams.md",
        "{v}"
    );
    assert!(
        marked(&v["hits"][0]).contains(&"aanmelden".to_owned()),
        "{v}"
    );
}

#[test]
fn a_query_word_is_marked_through_what_it_matched() {
    let (_index_scratch, index) = indexed("search-marked");
    // A typo through its correction: "synkronsiering" is no word of the seeds,
    // "synkronisering" is, and is what is marked.
    assert_first_hit_marks(&index, "synkronsiering", "synkronis");
    // A thesaurus word through its synonym: users say a port is "sperret", the
    // translation says "blokkert" (nb-NO/synonyms.txt).
    assert_first_hit_marks(&index, "porter sperret av brannmuren", "blokkert");
}

#[test]
fn explain_breaks_every_score_down_by_query_word() {
    let (_index_scratch, index) = indexed("search-explain");
    let query = "passordsynkronisering feiler";
    let run = |options: &[&str]| search_with(&index, "nb-NO", options, query);
    let v: Value = serde_json::from_str(&run(&["--format", "json", "--explain"])).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    let mut ways = Vec::new();
    for hit in hits {
        // The clauses add up to the score.
        let clauses = hit["explain"].as_array().expect("an explanation per hit");
        let sum: f64 = clauses.iter().map(|c| c["score"].as_f64().unwrap()).sum();
        let score = hit["score"].as_f64().unwrap();
        assert!(
            (sum - score).abs() <= 1e-3 * score.max(1.0),
            "{sum} vs {score}: {hit}"
        );
        fn walk(e: &Value, out: &mut Vec<String>) {
            out.push(e["what"].as_str().unwrap().to_owned());
            for c in e["from"].as_array().into_iter().flatten() {
                walk(c, out);
            }
        }
        clauses.iter().for_each(|c| walk(c, &mut ways));
    }
    // The compound is found through its parts, and each word says which field gave it.
    assert!(
        ways.iter()
            .any(|w| w.contains("as its parts (passord + synkronisering)")),
        "{ways:?}"
    );
    assert!(
        ways.iter()
            .any(|w| w.starts_with("title:") || w.contains(": title:")),
        "{ways:?}"
    );
    // Without --explain the contract is unchanged; in human form it is indented lines.
    let plain: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    assert!(plain["hits"][0].get("explain").is_none());
    let human = run(&["--explain"]);
    assert!(human.contains("«feil»"), "{human}");
}

#[test]
fn an_english_word_in_a_local_query_is_searched_in_the_english_text() {
    // Two articles that say the same in Dutch; only one's English file name says "merge",
    // which the Dutch text never writes. The rest of the query is Dutch, so the query as a
    // whole does not read as English: "merge" alone must decide.
    let (_content_scratch, content) = temp("search-english-word-content");
    std::fs::create_dir_all(content.join("nl-NL")).unwrap();
    let article = "---\ntitle: Adressen in brieven\n---\n# Adressen in brieven\n\n\
                   Gebruik adressen uit een lijst voor brieven en etiketten.\n";
    for name in ["address-letters.md", "how-to-prepare-a-mail-merge.md"] {
        std::fs::write(content.join("nl-NL").join(name), article).unwrap();
    }
    let (_index_scratch, index) = index_of(&content, "search-english-word");
    let options = ["--format", "json", "--explain"];
    let out = search_with(&index, "nl-NL", &options, "merge adressen lijst brieven");
    let v: Value = serde_json::from_str(&out).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits[0]["path"], "how-to-prepare-a-mail-merge.md", "{v}");
    assert!(hits[0]["score"].as_f64() > hits[1]["score"].as_f64(), "{v}");
    assert!(
        hits[0]["explain"]
            .to_string()
            .contains("in the English source (merg)"),
        "{v}"
    );
}

#[test]
fn hard_queries_get_answers_not_errors() {
    let (_index_scratch, index) = indexed("search-hard");
    let ix = index.to_str().unwrap();
    // Only stop words, only punctuation, query syntax: no hits, exit 0.
    for q in ["og i på", "?!.,;", "\"(passord:)* -", "AND OR NOT"] {
        let v = search(&index, "nb-NO", q);
        assert!(v["hits"].is_array(), "{q}");
    }
    // A typo finds the word.
    let v = search(&index, "nb-NO", "passordsynkroniserign");
    assert!(!v["hits"].as_array().unwrap().is_empty());
    // A pasted log: bounded, answered.
    let long = "Error 0x80070005 at sync step; ".repeat(400);
    assert!(long.len() > 10_000);
    let v = search(&index, "nb-NO", &long);
    assert!(v["hits"].is_array());
    // Empty: a usage error.
    let out = remedy(&["search", "--index", ix, "--locale", "nb-NO", "  "]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    // Unknown locale: the error lists the available ones.
    let out = remedy(&["search", "--index", ix, "--locale", "de-DE", "passord"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nb-NO, nl-NL"));
}

#[test]
fn batch_mode_answers_each_line_with_its_time() {
    let (_index_scratch, index) = indexed("search-batch");
    let queries = index.with_extension("tsv");
    std::fs::write(
        &queries,
        "q1\tpassord synkronisering\nq2\tkatalogsynkronisering\n\nbare tekst\n",
    )
    .unwrap();
    let out = remedy(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--locale",
        "nb-NO",
        "--queries",
        queries.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["q1", "q2", "4"]);
    assert!(
        lines
            .iter()
            .all(|l| l["micros"].as_f64().unwrap() > 0.0 && l["hits"].is_array())
    );
    std::fs::remove_file(&queries).unwrap();
}

#[test]
fn rebuilds_read_only_what_changed_and_fallback_fills_gaps() {
    let (_content_scratch, content) = temp("search-incremental-content");
    copy_dir(common::seeds(), &content);
    let (_index_scratch, index) = temp("search-incremental-index");
    let build = || {
        let out = remedy(&[
            "index",
            "--content",
            content.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let first = build();
    assert_eq!(first["locales"]["nb-NO"]["read"], 4);
    assert_eq!(first["locales"]["nb-NO"]["full"], true);
    let meta = || std::fs::read_to_string(index.join("nb-NO/meta.json")).unwrap();
    let before = meta();
    let second = build();
    assert_eq!(second["locales"]["nb-NO"]["read"], 0);
    assert_eq!(second["locales"]["nb-NO"]["unchanged"], 4);
    assert_eq!(second["locales"]["nb-NO"]["documents"], 4);
    // Nothing changed: no new commit, and the counts are those of the first build.
    assert_eq!(meta(), before);
    for count in ["vocabulary", "lexicon"] {
        assert_eq!(
            second["locales"]["nb-NO"][count],
            first["locales"]["nb-NO"][count]
        );
    }

    // Change one article, remove another.
    let changed = content.join("nb-NO/password-sync.md");
    let text = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(
        &changed,
        text + "\nEkstra avsnitt om zebrasynkronisering.\n",
    )
    .unwrap();
    std::fs::remove_file(content.join("nb-NO/active-directory-not-syncing.md")).unwrap();
    let third = build();
    assert_eq!(third["locales"]["nb-NO"]["read"], 1);
    assert_eq!(third["locales"]["nb-NO"]["removed"], 1);
    assert_eq!(third["locales"]["nb-NO"]["documents"], 3);
    // The update's new segment is merged with the old one: one segment to search.
    let li = remedy::index::open(&index, &"nb-NO".parse().unwrap()).unwrap();
    assert_eq!(li.index.searchable_segment_ids().unwrap().len(), 1);
    let v = search(&index, "nb-NO", "zebrasynkronisering");
    assert_eq!(v["hits"][0]["path"], "password-sync.md");
    // The lexicon is relearned from all articles' parallel text, not only the changed
    // one's: the same as a full build of what is there now.
    let (_fresh_scratch, fresh) = index_of(&content, "search-incremental-fresh");
    let full = remedy::index::open(&fresh, &"nb-NO".parse().unwrap()).unwrap();
    assert!(!full.lexicon.is_empty());
    assert_eq!(li.lexicon, full.lexicon);
    // Down to the pairs kept: the removed file's are gone, the changed file's are new.
    let kept = |dir: &Path, prefix: &str| -> Vec<String> {
        std::fs::read_dir(dir.join("nb-NO"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(prefix))
            .collect()
    };
    assert_eq!(kept(&index, "remedy-parallel-").len(), 1);
    assert_eq!(
        kept(&index, "remedy-parallel-"),
        kept(&fresh, "remedy-parallel-")
    );
    assert_eq!(
        kept(&index, "remedy-lexicon-"),
        kept(&fresh, "remedy-lexicon-")
    );
    // An open reader's watcher takes tantivy's meta lock (a file) now and then: close the
    // index before removing its folder.
    drop(full);
    drop(li);
    std::fs::remove_dir_all(&fresh).unwrap();

    // Without the last build's parallel text, an incremental build would learn the
    // lexicon from the changed files only: it reads everything instead.
    for entry in std::fs::read_dir(index.join("nb-NO")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().contains("remedy-parallel-") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let rebuilt = build();
    assert_eq!(rebuilt["locales"]["nb-NO"]["full"], true);
    assert_eq!(rebuilt["locales"]["nb-NO"]["read"], 3);

    // nl-NL has only password-sync.md: --fallback fills up from nb-NO, labelled.
    let out = remedy(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--locale",
        "nl-NL",
        "--fallback",
        "--format",
        "json",
        "synkronisering synchronisatie",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(
        hits.iter()
            .any(|h| h["fallback"] == true && h["locale"] == "nb-NO"),
        "{v}"
    );
    assert!(
        hits.iter()
            .all(|h| h["fallback"] == true || h["locale"] == "nl-NL")
    );
}

#[test]
fn without_an_index_the_cache_is_built_then_reused() {
    // What a fresh clone runs: no --index. The cache folder is a temporary one here.
    let (_cache_scratch, cache) = temp("search-cache-home");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_remedy"))
            .env("REMEDY_MODEL", crate::common::NO_MODEL)
            .args(["search", "--format", "json", "passord synkroniseres ikke"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("XDG_CACHE_HOME", &cache)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let v: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert!(!v["hits"].as_array().unwrap().is_empty());
    let built: Vec<_> = std::fs::read_dir(cache.join("remedy")).unwrap().collect();
    assert_eq!(built.len(), 1, "one cached index for content/");
    let second = run();
    assert_eq!(second.stdout, first.stdout);
}

#[test]
fn the_alchemy_lexicon_translates_the_loanwords_admins_type() {
    let Some(alchemy) = common::corpus("alchemy") else {
        return;
    };
    let (_index_scratch, index) = index_of(&alchemy, "search-alchemy-lexicon");
    // Learned from the English anchors and file names beside the translated headings and
    // titles: no span in this corpus, no list written by hand.
    let nb = remedy::index::open(&index, &"nb-NO".parse().unwrap()).unwrap();
    let nl = remedy::index::open(&index, &"nl-NL".parse().unwrap()).unwrap();
    for (lexicon, english, term) in [
        (&nb.lexicon, "spam", "søppelpost"),
        (&nb.lexicon, "attach", "vedlegg"),
        (&nb.lexicon, "password", "passord"),
        (&nb.lexicon, "workflow", "arbeidsflyt"),
        (&nl.lexicon, "workflow", "werkstroom"),
        (&nl.lexicon, "slow", "traag"),
        (&nl.lexicon, "password", "wachtwoord"),
    ] {
        assert_eq!(
            lexicon.translations(english).first().map(String::as_str),
            Some(term),
            "{english}"
        );
    }
    // Product names are the same in every language: nothing to translate.
    assert!(nb.lexicon.translations("sharepoint").is_empty());
    drop((nb, nl));

    // A query in English finds the Norwegian article: its words through the lexicon
    // ("calendar" is the "kalender" of "Kalenderhendelser"), the whole by the English
    // anchor and file name the plain translation kept.
    for (query, path) in [
        (
            "calendar events missing",
            "AlchemyInsights/calendar-events-missing.md",
        ),
        (
            "user cannot receive email from gmail",
            "AlchemyInsights/unable-to-receive-email-from-gmail-accounts.md",
        ),
    ] {
        let v = search(&index, "nb-NO", query);
        assert_eq!(v["hits"][0]["path"], path, "{query}: {v}");
    }
}

/// The text for people: numbered hits with path, section and a snippet whose matches are
/// in brackets when not at a terminal; the explanation under each hit; a query that
/// matches nothing says so.
#[test]
fn human_output_lists_hits_with_marked_snippets() {
    let out = common::remedy_ok(&[
        "search",
        "--locale",
        "nb-NO",
        "--explain",
        "passord synkroniseres ikke",
    ]);
    assert!(out.starts_with("1. "), "{out}");
    let second = out.lines().nth(1).unwrap_or_default();
    assert!(second.starts_with("   ") && second.contains(".md"), "{out}");
    let snippet = out.lines().nth(2).unwrap_or_default();
    assert!(snippet.starts_with("   ") && snippet.contains(']'), "{out}");
    // The explanation: scores right-aligned, indented by depth.
    assert!(
        out.lines()
            .any(|l| l.starts_with("      ") && l.contains('.')),
        "{out}"
    );
    let out = common::remedy_ok(&["search", "--locale", "nb-NO", "og"]);
    assert_eq!(out, "no matching articles\n");
}
