//! TMX 1.4b. Level 1 (the default) writes each segment's Markdown as plain text, which
//! every TMX reader (Pontoon among them) takes; level 2 (`--inline`) writes the markup as
//! `bpt`/`ept`/`ph` codes so that a CAT tool protects it, the native code inside each
//! element, so that joining text and codes gives the Markdown back.

use std::collections::BTreeMap;

use super::{Exported, Unit, xml_attr, xml_cannot_hold, xml_escape};
use crate::article::inline::{Mark, Piece, pieces};

pub(super) fn write(units: &[Unit], inline: bool) -> Exported {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n",
        "<tmx version=\"1.4\">\n",
        "  <header creationtool=\"remedy\" creationtoolversion=\"",
        env!("CARGO_PKG_VERSION"),
        "\" segtype=\"sentence\" o-tmf=\"remedy\" adminlang=\"en-US\" srclang=\"en-US\" datatype=\"plaintext\">\n",
    ));
    out.push_str(&format!(
        "    <prop type=\"x-remedy-level\">{}</prop>\n  </header>\n  <body>\n",
        if inline { 2 } else { 1 }
    ));
    // One translation unit per article, segment and English: locales that translated the
    // same English share it.
    let mut groups: BTreeMap<(&str, &str, &str), Vec<&Unit>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for u in units {
        if let Some(why) = xml_cannot_hold(u) {
            skipped.push(why);
            continue;
        }
        groups
            .entry((u.article.as_str(), u.id.as_str(), u.source.as_str()))
            .or_default()
            .push(u);
    }
    let mut tus = 0;
    let mut variant: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for ((article, id, source), members) in &groups {
        let n = variant.entry((article, id)).or_default();
        *n += 1;
        out.push_str("    <tu tuid=\"");
        xml_attr(&format!("{article}#{id}"), &mut out);
        if *n > 1 {
            // The same segment translated from other English in another locale.
            out.push_str(&format!("~{n}"));
        }
        out.push_str("\">\n");
        out.push_str("      <tuv xml:lang=\"en-US\"><seg>");
        seg(source, inline, &mut out);
        out.push_str("</seg></tuv>\n");
        for u in members {
            out.push_str(&format!("      <tuv xml:lang=\"{}\">", u.locale));
            out.push_str("<prop type=\"x-remedy-path\">");
            xml_escape(&u.path, &mut out);
            out.push_str("</prop>");
            if u.machine_translated {
                out.push_str("<prop type=\"x-remedy-mt\">yes</prop>");
            }
            out.push_str("<seg>");
            seg(&u.target, inline, &mut out);
            out.push_str("</seg></tuv>\n");
        }
        tus += 1;
        out.push_str("    </tu>\n");
    }
    out.push_str("  </body>\n</tmx>\n");
    Exported {
        text: out,
        units: tus,
        skipped,
    }
}

fn seg(md: &str, inline: bool, out: &mut String) {
    if !inline {
        xml_escape(md, out);
        return;
    }
    for p in pieces(md) {
        match p {
            Piece::Text(r) => xml_escape(&md[r], out),
            Piece::Open { id, mark, range } => {
                out.push_str(&format!("<bpt i=\"{id}\" type=\"{}\">", kind(&mark)));
                xml_escape(&md[range], out);
                out.push_str("</bpt>");
            }
            Piece::Close { id, range } => {
                out.push_str(&format!("<ept i=\"{id}\">"));
                xml_escape(&md[range], out);
                out.push_str("</ept>");
            }
            Piece::Atom { mark, range } => {
                out.push_str(&format!("<ph type=\"{}\">", kind(&mark)));
                xml_escape(&md[range], out);
                out.push_str("</ph>");
            }
        }
    }
}

/// TMX's suggested `type` values where one fits.
fn kind(mark: &Mark) -> &'static str {
    match mark {
        Mark::Strong => "bold",
        Mark::Emphasis => "italic",
        Mark::Strikethrough => "x-strikethrough",
        Mark::Link(_) => "link",
        Mark::Image(_) => "image",
        Mark::Code(_) => "x-code",
        Mark::Html(_) => "x-html",
        Mark::Escape(_) => "x-escape",
        Mark::Other => "x-markdown",
    }
}
