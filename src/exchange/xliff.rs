//! XLIFF 2.0: one `file` per article (its path as `original`), one `unit` per segment
//! (`id` the segment id, `name` the span id), `state` per segment, notes with the
//! machine-translation and English-drift flags.

use super::{Exported, Unit, by_article, xml_attr, xml_cannot_hold, xml_escape};
use crate::locale::Locale;

pub(super) fn write(units: &[Unit], target: &Locale) -> Exported {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en-US\" trgLang=\"{target}\">\n"
    ));
    let mut skipped = Vec::new();
    let mut written = 0;
    let mut files = 0;
    for (path, units) in by_article(units) {
        let mut writable = Vec::new();
        for u in units {
            match xml_cannot_hold(u) {
                Some(why) => skipped.push(why),
                None => writable.push(u),
            }
        }
        // A <file> holds at least one unit (the schema says so).
        if writable.is_empty() {
            continue;
        }
        files += 1;
        out.push_str(&format!("  <file id=\"f{files}\" original=\""));
        xml_attr(path, &mut out);
        out.push_str("\">\n");
        for u in writable {
            out.push_str(&format!("    <unit id=\"{}\" name=\"", u.id));
            xml_attr(&u.span, &mut out);
            out.push_str("\">\n");
            let mut notes = Vec::new();
            if u.machine_translated {
                notes.push((
                    "mt",
                    "Machine translated (ms.translationtype: MT).".to_owned(),
                ));
            }
            if let Some(n) = &u.newer_english {
                notes.push((
                    "drift",
                    format!(
                        "The English changed: {} was translated from newer English: {}",
                        n.from, n.text
                    ),
                ));
            }
            notes.push(("location", format!("{}:{}", u.path, u.line)));
            out.push_str("      <notes>\n");
            for (category, text) in notes {
                out.push_str(&format!("        <note category=\"remedy:{category}\">"));
                xml_escape(&text, &mut out);
                out.push_str("</note>\n");
            }
            out.push_str("      </notes>\n");
            out.push_str(&format!("      <segment state=\"{}\">\n", state(u)));
            out.push_str("        <source xml:space=\"preserve\">");
            xml_escape(&u.source, &mut out);
            out.push_str("</source>\n        <target xml:space=\"preserve\">");
            xml_escape(&u.target, &mut out);
            out.push_str("</target>\n      </segment>\n    </unit>\n");
            written += 1;
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</xliff>\n");
    Exported {
        text: out,
        units: written,
        skipped,
    }
}

/// `initial` when there is nothing or the English moved on, `translated` for machine
/// translation, `reviewed` for a human translation.
fn state(u: &Unit) -> &'static str {
    if u.target.trim().is_empty() || u.newer_english.is_some() {
        "initial"
    } else if u.machine_translated {
        "translated"
    } else {
        "reviewed"
    }
}
