//! Text for people at a terminal: search hits, alignments and the aligner's evaluation,
//! each from its typed result (the JSON forms are the types serialized).

use std::fmt::Write as _;

use crate::align::{CONFIDENCE_BANDS, DirAlignment, Method, Score, SetAlignment};
use crate::search::{Explained, Hit};

/// Search hits, numbered, each with its path and section, its snippet (matches in bold
/// with `colour`, else in brackets) and, when asked, the explanation of its score.
pub fn search_hits(hits: &[Hit], colour: bool) -> String {
    if hits.is_empty() {
        return "no matching articles\n".to_owned();
    }
    let mut out = String::new();
    for (i, h) in hits.iter().enumerate() {
        let anchor = h
            .anchor
            .as_deref()
            .map(|a| format!("#{a}"))
            .unwrap_or_default();
        let label = if h.fallback {
            format!("  [{}]", h.locale)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{}. {}  ({:.2}){label}\n   {}{anchor}\n",
            i + 1,
            h.title,
            h.score,
            h.path
        ));
        out.push_str("   ");
        out.push_str(&marked(&h.snippet, &h.highlights, colour));
        out.push('\n');
        for e in h.explain.iter().flatten() {
            explained(&mut out, e, 1);
        }
        out.push('\n');
    }
    out
}

/// One line per node of an explanation, children indented below their parent.
fn explained(out: &mut String, e: &Explained, depth: usize) {
    out.push_str(&format!(
        "{}{:>8.3}  {}\n",
        "   ".repeat(depth),
        e.score,
        e.what
    ));
    for child in &e.from {
        explained(out, child, depth + 1);
    }
}

fn marked(text: &str, highlights: &[[usize; 2]], colour: bool) -> String {
    let (open, close) = if colour {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if highlights.iter().any(|h| h[0] == i) {
            out.push_str(open);
        }
        out.push(c);
        if highlights.iter().any(|h| h[1] == i + 1) {
            out.push_str(close);
        }
    }
    out
}

/// An alignment of a content folder: per set its pairs and (with detail) their links, the
/// problems found, and the totals.
pub fn alignment(result: &DirAlignment) -> String {
    let mut out = String::new();
    for set in &result.sets {
        set_human(&mut out, set);
    }
    for p in &result.problems {
        let _ = writeln!(out, "problem[{}]: {}", p.kind.name(), p.message);
        for path in &p.paths {
            let _ = writeln!(out, "    {path}");
        }
    }
    let t = &result.totals;
    let _ = writeln!(
        out,
        "\n{} in {} ({} with several locales); {}: {} keyed ({} identical), {} by structure",
        plural(t.articles, "article"),
        plural(t.sets, "set"),
        t.multilingual_sets,
        plural(t.pairs, "pair"),
        t.keyed_pairs,
        t.identical_pairs,
        t.structure_pairs
    );
    let l = &t.links;
    let _ = writeln!(
        out,
        "links: aligned {}  (same English {}, English changed {}, merged {})  missing {} (only in a {}, only in b {})",
        l.aligned, l.same, l.english_changed, l.merged, l.missing, l.only_a, l.only_b
    );
    if !t.problems.is_empty() {
        let list: Vec<String> = t.problems.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(out, "problems: {}", list.join(", "));
    }
    out
}

fn set_human(out: &mut String, set: &SetAlignment) {
    let locales: Vec<String> = set.locales.iter().map(ToString::to_string).collect();
    if set.pairs.is_empty() {
        let _ = writeln!(
            out,
            "{}  {}  (one locale)",
            set.relative_path,
            locales.join(" ")
        );
        return;
    }
    for p in &set.pairs {
        let c = &p.counts;
        let method = match p.method {
            Method::Keyed => "keyed",
            Method::Structure => "structure",
        };
        let _ = write!(
            out,
            "{}  {} {}  {method}  aligned {}  english-changed {}  missing {}  merged {}",
            set.relative_path, p.a, p.b, c.aligned, c.english_changed, c.missing, c.merged
        );
        if let Some(conf) = p.confidence {
            let _ = write!(out, "  confidence {conf:.2}");
        }
        out.push('\n');
        for l in &p.links {
            let keys = |k: &[String]| {
                if k.is_empty() {
                    "-".to_owned()
                } else {
                    k.join("+")
                }
            };
            let lines = |x: Option<u32>| x.map_or("-".to_owned(), |n| n.to_string());
            let _ = write!(
                out,
                "    {} {} → {}  lines {} ↔ {}",
                l.class,
                keys(&l.a),
                keys(&l.b),
                lines(l.line_a),
                lines(l.line_b)
            );
            if let Some(s) = l.similarity {
                let _ = write!(out, "  similarity {s:.2}");
            }
            if let Some(c) = l.confidence {
                let _ = write!(out, "  confidence {c:.2}");
            }
            out.push('\n');
            if let Some(diff) = &l.diff {
                let _ = writeln!(out, "        en: {}", one_line(diff));
            } else if let Some(en) = l.english_a.as_ref().or(l.english_b.as_ref()) {
                let _ = writeln!(out, "        en: {}", one_line(en));
            }
            if !l.text_a.is_empty() {
                let _ = writeln!(out, "        {}: {}", p.a, one_line(&l.text_a));
            }
            if !l.text_b.is_empty() {
                let _ = writeln!(out, "        {}: {}", p.b, one_line(&l.text_b));
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The plain-text aligner scored against the span ids: counts, precision, recall and F1,
/// and how often each confidence band was right.
pub fn evaluation(score: &Score, seconds: f64) -> String {
    let mut bands = String::new();
    for (k, (links, right)) in score.by_confidence.iter().enumerate() {
        let lo = CONFIDENCE_BANDS[k];
        let hi = CONFIDENCE_BANDS.get(k + 1).copied().unwrap_or(1.0);
        let share = if *links == 0 {
            1.0
        } else {
            *right as f64 / *links as f64
        };
        let _ = writeln!(
            bands,
            "  confidence {lo:.2}–{hi:.2}: {links} links, {:.1}% right",
            share * 100.0
        );
    }
    format!(
        "plain alignment scored against span ids: {} article pairs, {seconds:.1} s\n\
         segment pairs   ids {}  claimed {}  confirmed {}  (left out: {} without text, {} segments the English does not confirm)\n\
         precision {:.4}  recall {:.4}  F1 {:.4}\n",
        score.article_pairs,
        score.gold,
        score.predicted,
        score.correct,
        score.textless,
        score.unconfirmed,
        score.precision(),
        score.recall(),
        score.f1()
    ) + &bands
}
