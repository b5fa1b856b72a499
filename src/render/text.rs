//! Text for people at a terminal: search hits, alignments, the aligner's evaluation and
//! what `inspect` reports,
//! each from its typed result (the JSON forms are the types serialized).

use std::fmt::Write as _;

use crate::align::{CONFIDENCE_BANDS, DirAlignment, Method, Score, SetAlignment};
use crate::article::{ArticleForm, Block};
use crate::content;
use crate::inspect::{ArticleReport, Summary};
use crate::search::{Explained, Hit};
use std::path::Path;

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
/// How deep `remedy inspect` indents nested blocks: deeper levels are numbered, as
/// indenting 10,000 nested lists would print hundreds of megabytes.
const MAX_INDENT: usize = 32;

/// What `inspect` says of one article: its locale, form and front matter, its blocks
/// (indented by nesting), its segments with their texts, and its diagnostics.
pub fn article_report(r: &ArticleReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", content::display_path(Path::new(&r.path)));
    let locale = r.locale.map_or("unknown".to_owned(), ToString::to_string);
    let form = match r.form {
        ArticleForm::Bilingual => "bilingual (span pairs)",
        ArticleForm::Plain => "plain translation",
    };
    let _ = writeln!(o, "  locale       {locale}\n  form         {form}");
    if let Some(fm) = r.front_matter {
        let mut field = |name: &str, value: Option<String>| {
            if let Some(v) = value {
                let _ = writeln!(o, "  {name:<12} {v}");
            }
        };
        field("title", fm.title.clone());
        field("description", fm.description.clone());
        field("assetid", fm.asset_id.map(|a| a.to_string()));
        field(
            "translation",
            fm.translation_type.as_ref().map(|t| t.as_str().to_owned()),
        );
        field("date", fm.date.clone());
        field("lasthandoff", fm.last_handoff.clone());
        field("locfileid", fm.loc_file_id.clone());
        field(
            "custom",
            (!fm.custom.is_empty()).then(|| fm.custom.join(", ")),
        );
        field(
            "appverid",
            (!fm.app_ver_id.is_empty()).then(|| fm.app_ver_id.join(", ")),
        );
        field("robots", fm.robots.clone());
        let other: Vec<&str> = fm.other.iter().map(|e| e.key.as_str()).collect();
        field("other keys", (!other.is_empty()).then(|| other.join(", ")));
    }
    let _ = writeln!(o, "\nblocks ({})", r.blocks.len());
    // Parents come before their children: each depth from its parent's, in one pass.
    let mut depths: Vec<usize> = Vec::with_capacity(r.blocks.len());
    for b in &r.blocks {
        let depth = b.block.parent.map_or(0, |p| depths[p] + 1);
        depths.push(depth);
        // Deep nesting is drawn 32 levels deep and numbered beyond: indenting 10,000
        // nested lists would print hundreds of megabytes.
        let (indent, deeper) = if depth > MAX_INDENT {
            (MAX_INDENT, format!("(level {depth}) "))
        } else {
            (depth, String::new())
        };
        let _ = writeln!(
            o,
            "  {:>5}  {}{deeper}{}{}",
            b.block.position.to_string(),
            "  ".repeat(indent),
            b.block.kind.name(),
            block_detail(b.block)
        );
    }
    let _ = writeln!(o, "\nsegments ({})", r.segments.len());
    for s in &r.segments {
        let id = match &s.handoff {
            Some(h) => format!("{h}-{}", s.key),
            None => s.key.clone(),
        };
        let _ = writeln!(
            o,
            "  {:<16} {:>7}  {}",
            id,
            s.position.to_string(),
            s.block_kind.unwrap_or("-")
        );
        let _ = writeln!(o, "      target  {}", clipped(s.target));
        if let Some(src) = s.source {
            let _ = writeln!(o, "      source  {}", clipped(src));
        }
    }
    let _ = writeln!(o, "\ndiagnostics ({})", r.diagnostics.len());
    for d in r.diagnostics {
        let _ = writeln!(o, "  {}:{d}", content::display_path(Path::new(&r.path)));
    }
    o
}

/// The totals of `inspect --summary`, as lines for people.
pub fn content_summary(s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "articles      {:>9}  ({} bilingual, {} plain)",
        s.articles, s.bilingual, s.plain
    );
    let _ = writeln!(o, "segments      {:>9}", s.segments);
    let _ = writeln!(
        o,
        "span ids      {:>9}  ({} broken)",
        s.span_attributes, s.broken_pairs
    );
    let _ = writeln!(o, "unreadable    {:>9}", s.unreadable);
    let _ = writeln!(
        o,
        "read          {:>9.1} MB in {:.2} s",
        s.bytes as f64 / 1e6,
        s.seconds
    );
    let _ = writeln!(o, "diagnostics");
    for (kind, n) in &s.diagnostics {
        let _ = writeln!(o, "  {kind:<24} {n:>7}");
    }
    o
}

/// The detail a block kind carries, as `inspect` lists it.
fn block_detail(b: &Block) -> String {
    use crate::article::BlockKind::*;
    match &b.kind {
        Heading { level, anchor } => format!(
            " h{level}{}",
            anchor
                .as_ref()
                .map(|a| format!(" #{a}"))
                .unwrap_or_default()
        ),
        ListItem { path } => format!(
            " {}",
            path.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".")
        ),
        TableCell { row, column } => format!(" row {row} col {column}"),
        Alert { alert } => format!(" {alert:?}").to_lowercase(),
        CodeBlock { info, .. } if !info.is_empty() => format!(" {info}"),
        Paragraph { tight: true } => " (tight)".to_owned(),
        _ => String::new(),
    }
}

/// Whitespace collapsed, cut at 110 characters.
fn clipped(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 110 {
        format!("{}…", flat.chars().take(110).collect::<String>())
    } else {
        flat
    }
}
