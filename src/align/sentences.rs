//! Sentence boundaries in Markdown inline text, for aligning articles without span ids.
//!
//! The splitter works on the Markdown source so that every sentence is a byte range of the
//! article: code spans, link destinations and HTML tags are never split, `<br>` and hard
//! line breaks always end a sentence, and a full stop after a known abbreviation
//! (`f.eks.`, `bijv.`, `e.g.`) does not.

use std::ops::Range;

/// Abbreviations that end in a full stop without ending the sentence, lower-case, without
/// the final stop; Norwegian, Dutch and English as they occur in support articles.
const ABBREVIATIONS: &[&str] = &[
    // nb
    "f.eks", "bl.a", "osv", "dvs", "ca", "evt", "mht", "inkl", "ekskl", "pga", "jf", "kl", "mv",
    "m.m", "o.l", "tlf", "vha", "ref", "pr", // nl
    "bijv", "bv", "o.a", "d.w.z", "enz", "m.b.t", "i.p.v", "incl", "excl", "z.g.a.n", "ong",
    "resp", "t.a.v", "vgl", "zgn", "mr", "dhr", "mevr", "blz", "n.v.t", // en
    "e.g", "i.e", "etc", "vs", "dr", "approx", "fig", "cf", "jr", "sr", "st",
];

/// Splits `text[range]` into sentence ranges (trimmed, never empty), in order.
///
/// ```
/// use remedy::align::split_sentences;
/// let text = "Velg **Fil**. Klikk f.eks. på [Lagre](https://x.y/a.b). 3. Ferdig!<br>Neste";
/// let parts: Vec<&str> = split_sentences(text, 0..text.len()).into_iter().map(|r| &text[r]).collect();
/// assert_eq!(parts, ["Velg **Fil**.", "Klikk f.eks. på [Lagre](https://x.y/a.b).", "3. Ferdig!", "Neste"]);
/// ```
pub fn split_sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let end = range.end;
    // A pipe table that CommonMark did not take for one (it interrupts a paragraph, or its
    // delimiter row is off) still has one cell per translation unit.
    let table_like = text[range.clone()]
        .lines()
        .any(|l| l.trim_start().starts_with('|'));
    let mut out = Vec::new();
    let mut start = range.start;
    let mut i = range.start;
    while i < end {
        match bytes[i] {
            b'|' if table_like && (i == 0 || bytes[i - 1] != b'\\') => {
                push(text, &mut out, start..i);
                start = i + 1;
                i += 1;
            }
            b'`' => i = skip_code_span(bytes, i, end),
            b']' if i + 1 < end && bytes[i + 1] == b'(' => i = skip_parens(bytes, i + 1, end),
            b'<' => {
                let close = match memchr::memchr(b'>', &bytes[i..end]) {
                    Some(k) => i + k + 1,
                    None => i + 1,
                };
                if is_break_tag(&text[i..close]) {
                    push(text, &mut out, start..i);
                    start = close;
                }
                i = close;
            }
            // Support articles are not hard-wrapped: a line break inside a block separates
            // units (lettered steps, link lists), and splitting one sentence in two costs
            // less than joining two.
            b'\n' => {
                push(text, &mut out, start..i);
                start = i + 1;
                i += 1;
            }
            b'.' | b'!' | b'?' => {
                if let Some(next) = sentence_end(text, start, i, end) {
                    push(text, &mut out, start..next.0);
                    start = next.1;
                    i = next.1;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    push(text, &mut out, start..end);
    out
}

/// Whether the terminator at `at` ends a sentence: returns where the sentence ends (after
/// closing quotes and emphasis) and where the next one starts.
fn sentence_end(text: &str, start: usize, at: usize, end: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut j = at + 1;
    loop {
        match bytes.get(j).filter(|_| j < end) {
            Some(b'.' | b'!' | b'?' | b'*' | b'_' | b'"' | b'\'' | b')') => j += 1,
            // A stop inside link text: `[… konto.](url) Neste`.
            Some(b']') if bytes.get(j + 1) == Some(&b'(') => j = skip_parens(bytes, j + 1, end),
            Some(b']') => j += 1,
            _ => break,
        }
    }
    // Closing quotes outside ASCII.
    while let Some(c) = text[j..end].chars().next() {
        if matches!(c, '”' | '’' | '»') {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    let mut k = j;
    while k < end && matches!(bytes[k], b' ' | b'\t' | b'\n' | b'\r') {
        k += 1;
    }
    if k == j || k >= end {
        return None;
    }
    // The next sentence starts with a capital or a digit, perhaps after opening markup.
    let mut n = k;
    loop {
        match text[n..end].chars().next() {
            Some(c @ ('*' | '_' | '[' | '(' | '"' | '\'' | '`' | '“' | '„' | '«' | '‘' | '\\')) => {
                n += c.len_utf8()
            }
            Some('<') => match memchr::memchr(b'>', &bytes[n..end]) {
                Some(g) => n += g + 1,
                None => return None,
            },
            Some(c) if c.is_uppercase() || c.is_ascii_digit() => break,
            // Machine translation lower-cases after `?` and `!` more often than a question
            // or an exclamation goes on.
            Some(c) if c.is_alphabetic() && bytes[at] != b'.' => break,
            _ => return None,
        }
        if n >= end {
            return None;
        }
    }
    if bytes[at] == b'.' {
        let before = &text[start..at];
        // "3. Ferdig": a number opening the sentence is an ordinal, not a sentence.
        let numbered =
            !before.trim().is_empty() && before.trim().bytes().all(|b| b.is_ascii_digit());
        if numbered || is_abbreviation(before) {
            return None;
        }
    }
    Some((j, k))
}

/// Whether the word before a full stop is an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '*' | '_' | '"'))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    let mut chars = word.chars();
    // A single letter: an initial ("J. Smith") or a list letter opening the sentence
    // ("a. Logg på"); not the Norwegian and Dutch one-letter words ("i.", "u.").
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_alphabetic()
    {
        return c.is_uppercase() || before.trim() == word;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Tags that end a unit of text: line breaks and block-level HTML, which support articles
/// put inside Markdown paragraphs and table cells (`<p>`, `<ul><li>`).
fn is_break_tag(tag: &str) -> bool {
    const BLOCK: &[&str] = &[
        "br",
        "p",
        "li",
        "ul",
        "ol",
        "td",
        "th",
        "tr",
        "table",
        "div",
        "dt",
        "dd",
        "dl",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "hr",
    ];
    let name: String = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK.contains(&name.as_str())
}

fn skip_code_span(bytes: &[u8], at: usize, end: usize) -> usize {
    let mut run = at;
    while run < end && bytes[run] == b'`' {
        run += 1;
    }
    let n = run - at;
    let mut i = run;
    while i < end {
        if bytes[i] == b'`' {
            let mut close = i;
            while close < end && bytes[close] == b'`' {
                close += 1;
            }
            if close - i == n {
                return close;
            }
            i = close;
        } else {
            i += 1;
        }
    }
    // An unclosed run is literal backticks.
    run
}

/// Skips a link destination `( … )` with nested parentheses; stops at a line end.
fn skip_parens(bytes: &[u8], open: usize, end: usize) -> usize {
    let mut depth = 0;
    let mut i = open;
    while i < end {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    end
}

/// Pushes `r` with surrounding whitespace trimmed off, unless nothing is left.
pub(crate) fn push(text: &str, out: &mut Vec<Range<usize>>, r: Range<usize>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail >= s.len() {
        return;
    }
    out.push(r.start + lead..r.end - trail);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<&str> {
        split_sentences(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn code_links_and_html_are_never_split() {
        assert_eq!(
            parts("Kjør `Get-X. Y` nå. Se <a href=\"a. B\">her</a>. Ferdig."),
            [
                "Kjør `Get-X. Y` nå.",
                "Se <a href=\"a. B\">her</a>.",
                "Ferdig."
            ]
        );
    }

    #[test]
    fn lower_case_after_a_stop_continues_the_sentence() {
        assert_eq!(
            parts("Versjon 2. deretter videre."),
            ["Versjon 2. deretter videre."]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            parts("Gebruik bijv. Outlook of d.w.z. Teams. Zie J. Smith."),
            ["Gebruik bijv. Outlook of d.w.z. Teams.", "Zie J. Smith."]
        );
    }

    #[test]
    fn emphasis_and_quotes_close_the_sentence() {
        assert_eq!(
            parts("Velg **Lagre.** \"Neste\" er nå aktiv."),
            ["Velg **Lagre.**", "\"Neste\" er nå aktiv."]
        );
    }

    #[test]
    fn line_breaks_and_block_tags_end_sentences() {
        assert_eq!(
            parts("Én  \nTo<br/>Tre\\\nFire <p>Fem</p>"),
            ["Én", "To", "Tre\\", "Fire", "Fem"]
        );
    }

    #[test]
    fn a_paragraph_that_is_a_table_splits_at_pipes() {
        assert_eq!(
            parts("| Navn | Verdi |\n|---|---|\n| A \\| B | 1 |"),
            ["Navn", "Verdi", "---", "---", "A \\| B", "1"]
        );
    }

    #[test]
    fn one_letter_words_end_sentences_initials_do_not() {
        assert_eq!(
            parts("Malen ligger i. Legg merke til J. Smith.\na. Velg Fil.\nb. Lagre"),
            [
                "Malen ligger i.",
                "Legg merke til J. Smith.",
                "a. Velg Fil.",
                "b. Lagre"
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// Sentences are trimmed, non-empty, in order, inside the range and on character
        /// boundaries, whatever the text.
        #[test]
        fn sentences_are_ordered_trimmed_slices(text in "(\\PC|[.!?\\]\\[()`<>|\\n *_\"“”«»])*") {
            let ranges = split_sentences(&text, 0..text.len());
            let mut at = 0;
            for r in ranges {
                proptest::prop_assert!(r.start >= at && r.start < r.end && r.end <= text.len());
                let s = text.get(r.clone());
                proptest::prop_assert!(s.is_some());
                let s = s.unwrap();
                proptest::prop_assert_eq!(s, s.trim());
                at = r.end;
            }
        }
    }

    #[test]
    fn never_panics_on_multibyte_text() {
        for text in ["ø.", "«ø.» Å", "a.“Б", "x. ’Y", "…? Ø", "`", "](", "<"] {
            let _ = parts(text);
        }
    }
}
