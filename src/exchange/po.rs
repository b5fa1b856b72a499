//! gettext PO: `msgctxt` is the article path and the segment id, `msgid` the English,
//! `msgstr` the translation. Where another locale has newer English, `msgid` is that
//! English, `#| msgid` the English this translation was made from, and the entry is
//! `fuzzy`: gettext's own way of saying "the source changed, look again".

use super::{Exported, Unit};
use crate::locale::Locale;

pub(super) fn write(units: &[Unit], target: &Locale) -> Exported {
    let now = now();
    let mut out = String::new();
    out.push_str("# Translation units of remedy's span articles (remedy export --format po).\n");
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for line in [
        "Project-Id-Version: remedy content\\n".to_owned(),
        format!("POT-Creation-Date: {now}\\n"),
        format!("PO-Revision-Date: {now}\\n"),
        "Last-Translator: remedy export\\n".to_owned(),
        format!("Language-Team: {target}\\n"),
        format!("Language: {}\\n", target.to_string().replace('-', "_")),
        "MIME-Version: 1.0\\n".to_owned(),
        "Content-Type: text/plain; charset=UTF-8\\n".to_owned(),
        "Content-Transfer-Encoding: 8bit\\n".to_owned(),
        "Plural-Forms: nplurals=2; plural=(n != 1);\\n".to_owned(),
        concat!("X-Generator: remedy ", env!("CARGO_PKG_VERSION"), "\\n").to_owned(),
    ] {
        out.push_str(&format!("\"{line}\"\n"));
    }
    let mut skipped = Vec::new();
    let mut written = 0;
    for u in units {
        if u.source.is_empty() {
            // An empty msgid is the header's.
            skipped.push(format!("{}#{}: the English is empty", u.path, u.id));
            continue;
        }
        let msgid = u.newer_english.as_ref().map_or(&u.source, |n| &n.text);
        let edge = |s: &str| (s.starts_with('\n'), s.ends_with('\n'));
        if !u.target.is_empty() && edge(msgid) != edge(&u.target) {
            // gettext (`msgfmt -c`) refuses an entry whose msgid and msgstr do not both
            // begin and end with a line break; rewriting the text would break the round trip.
            skipped.push(format!(
                "{}#{}: the English and the translation do not both begin and end with a line break, which PO does not allow",
                u.path, u.id
            ));
            continue;
        }
        out.push('\n');
        if u.machine_translated {
            out.push_str("#. machine translated (ms.translationtype: MT)\n");
        }
        out.push_str(&format!(
            "#. span {}\n",
            crate::content::display_path(std::path::Path::new(&u.span))
        ));
        if let Some(n) = &u.newer_english {
            out.push_str(&format!("#. newer English from {}\n", n.from));
        }
        out.push_str(&format!(
            "#: {}:{}\n",
            crate::content::display_path(std::path::Path::new(&u.path)),
            u.line
        ));
        let msgid = match &u.newer_english {
            Some(n) => {
                out.push_str("#, fuzzy\n");
                string(&mut out, "#| msgid", &u.source);
                &n.text
            }
            None => &u.source,
        };
        string(&mut out, "msgctxt", &format!("{}#{}", u.path, u.id));
        string(&mut out, "msgid", msgid);
        string(&mut out, "msgstr", &u.target);
        written += 1;
    }
    Exported {
        text: out,
        units: written,
        skipped,
    }
}

/// `keyword "…"`, split after each newline as gettext writes multi-line strings; every
/// line of a `#|` string carries the prefix.
fn string(out: &mut String, keyword: &str, s: &str) {
    let prefix = if keyword.starts_with("#|") { "#| " } else { "" };
    let escaped = escape(s);
    let parts: Vec<&str> = escaped.split_inclusive("\\n").collect();
    if parts.len() <= 1 {
        out.push_str(&format!("{keyword} \"{escaped}\"\n"));
        return;
    }
    out.push_str(&format!("{keyword} \"\"\n"));
    for p in parts {
        out.push_str(&format!("{prefix}\"{p}\"\n"));
    }
}

/// C escapes as gettext reads them.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\{:03o}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// The time as PO headers write it: `2026-12-06 17:20+0000`.
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let iso = crate::render::Timestamp::from_unix(secs).iso();
    // `2026-12-06T17:20:00Z` → `2026-12-06 17:20+0000`
    format!("{} {}+0000", &iso[..10], &iso[11..16])
}
