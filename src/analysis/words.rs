//! Words and codes: the first cut of text into searchable pieces.
//!
//! Support text is full of identifiers that must stay whole to be findable: `0x80070005`,
//! `5.7.750`, `AADSTS9000411`, `KB4023057`, `Set-ExecutionPolicy`, `Outlook.com`. A word
//! is a run of letters and digits; `.`, `-`, `_` and apostrophes between two of them join
//! the run. A run that contains a digit, a capital after its first letter, or is a
//! PowerShell-style `Verb-Noun`, is a **code**: kept whole, never stemmed or fuzzed.
//! Other joined runs (`e-post`, `Office-dokument`, `f.eks`) are split into their parts.

use std::ops::Range;

/// One piece of text, with its byte range in the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Its bytes in the text.
    pub range: Range<usize>,
    /// How it is analysed.
    pub kind: WordKind,
}

/// How a [`Word`] is analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    /// An ordinary word: lower-cased, stemmed, split into compound parts, fuzzed.
    Plain,
    /// An identifier: lower-cased only.
    Code,
    /// A part of a joined run that is not a code (`post` in `e-post`); analysed like a
    /// plain word.
    Part,
    /// The parts of a hyphenated run joined without the hyphen (`epost` for `e-post`), so
    /// that both spellings meet.
    Joined,
}

fn is_connector(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | '\'' | '’')
}

/// Cuts `text` into words, codes and parts, in order. A joined run comes first as a whole
/// (its code or joined form), then its parts, whose ranges lie inside it.
///
/// ```
/// use remedy::analysis::{words, WordKind};
/// let w: Vec<(&str, WordKind)> = words("Feil 0x80070005 i e-post (5.7.750)").iter().map(|w| (w.text, w.kind)).collect();
/// assert_eq!(w, [
///     ("Feil", WordKind::Plain), ("0x80070005", WordKind::Code), ("i", WordKind::Plain),
///     ("e-post", WordKind::Joined), ("e", WordKind::Part), ("post", WordKind::Part),
///     ("5.7.750", WordKind::Code),
/// ]);
/// ```
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    each_word(text, |w| out.push(w));
    out
}

/// [`words`] one at a time, without collecting them: for highlighting, which cuts many
/// short stretches of every hit.
pub fn each_word<'a>(text: &'a str, mut f: impl FnMut(Word<'a>)) {
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut joined = false;
        loop {
            match chars.peek().copied() {
                Some((i, c)) if c.is_alphanumeric() => {
                    end = i + c.len_utf8();
                    chars.next();
                }
                Some((i, c)) if is_connector(c) => {
                    // A connector joins only when a letter or digit follows it.
                    let after = text[i + c.len_utf8()..].chars().next();
                    if after.is_some_and(char::is_alphanumeric) {
                        joined = true;
                        end = i + c.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        let run = &text[start..end];
        if is_code(run) {
            f(Word {
                text: run,
                range: start..end,
                kind: WordKind::Code,
            });
            // `Outlook.com`, `outlook.live.com`: the whole name is a code, its parts are
            // findable too.
            if joined && run.contains('.') && !run.chars().any(|c| c.is_ascii_digit()) {
                push_parts(&mut f, run, start, is_connector, |_| WordKind::Part);
            } else if joined && is_code_with_words(run) {
                // So are the words a code is hyphenated to: Norwegian and Dutch glue
                // numbers and codes to nouns (`365-abonnement`, `E5-licentie`, `4c7-feil`,
                // `5.7.750-feil`), and "abonnement" or "5.7.750" alone must find them. The
                // run is cut at its hyphens only, and a code among the pieces stays a code.
                let kind = |piece: &str| {
                    if is_code(piece) {
                        WordKind::Code
                    } else {
                        WordKind::Part
                    }
                };
                push_parts(&mut f, run, start, |c| c == '-', kind);
            }
        } else if joined {
            if run.contains(['-', '\'', '’']) {
                f(Word {
                    text: run,
                    range: start..end,
                    kind: WordKind::Joined,
                });
            }
            push_parts(&mut f, run, start, is_connector, |_| WordKind::Part);
        } else {
            f(Word {
                text: run,
                range: start..end,
                kind: WordKind::Plain,
            });
        }
    }
}

/// A hyphenated run as one lower-case word, connectors left out: `epost` for `E-post`.
pub(crate) fn joined_lower(run: &str) -> String {
    let mut out = String::with_capacity(run.len());
    join_lower_into(run, &mut out);
    out
}

/// [`joined_lower`] into a reused buffer (cleared first).
pub(crate) fn join_lower_into(run: &str, out: &mut String) {
    out.clear();
    out.extend(
        run.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase),
    );
}

/// The pieces of `run` (at byte `base`) between the characters `cut` at, each of the
/// kind `kind` gives it.
fn push_parts<'a>(
    f: &mut impl FnMut(Word<'a>),
    run: &'a str,
    base: usize,
    cut: impl Fn(char) -> bool,
    kind: impl Fn(&str) -> WordKind,
) {
    let mut at = 0;
    for piece in run.split(&cut) {
        if !piece.is_empty() {
            f(Word {
                text: piece,
                range: base + at..base + at + piece.len(),
                kind: kind(piece),
            });
        }
        // Cuts are one character; find the next piece after it.
        at += piece.len();
        at += run[at..].chars().next().map_or(0, char::len_utf8);
    }
}

/// Whether a piece of a joined run is an ordinary word of at least two letters (not a
/// code, not a lone letter like the `v` of `v2`).
fn is_plain(piece: &str) -> bool {
    piece.chars().count() >= 2 && piece.chars().all(char::is_alphabetic) && !is_code(piece)
}

/// A PowerShell-style `Verb-Noun` (`Get-Mailbox`): capitalised parts of three letters or
/// more, joined by hyphens only. Kept whole, without its parts. (`Wi-Fi` is a word.)
fn is_cmdlet(run: &str) -> bool {
    let capitalised =
        |p: &str| p.chars().next().is_some_and(char::is_uppercase) && p.chars().count() >= 3;
    let mut parts = run.split('-');
    run.contains('-')
        && !run.contains(['.', '_', '\'', '’'])
        && parts.clone().count() >= 2
        && parts.all(capitalised)
}

/// A code hyphenated to ordinary words (`365-abonnement`, `4c7-feil`), not a cmdlet and
/// not a run of hex groups (a GUID's `beef` is no word).
fn is_code_with_words(run: &str) -> bool {
    let hex = |p: &str| p.chars().all(|c| c.is_ascii_hexdigit());
    run.contains('-') && run.split('-').any(is_plain) && !run.split('-').all(hex) && !is_cmdlet(run)
}

/// Whether a run is an identifier to keep whole.
pub fn is_code(run: &str) -> bool {
    // Fast path for the common case, without allocating: a plain word has no digit, no
    // connector and no capital after its first letter.
    let mut chars = run.chars();
    let first_plain = chars.next().is_some_and(|c| !c.is_ascii_digit());
    if first_plain && chars.all(|c| c.is_lowercase() || (c.is_alphabetic() && !c.is_uppercase())) {
        return false;
    }
    if run.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    let letters: Vec<char> = run.chars().filter(|c| c.is_alphabetic()).collect();
    // Acronyms and constants: DNS, MFA, MALWAREPROTECTION_SCAN_STARTED.
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return true;
    }
    let parts: Vec<&str> = run.split(is_connector).filter(|p| !p.is_empty()).collect();
    // CamelCase inside a part: OneDrive, ExecutionPolicy.
    let camel =
        |p: &str| p.chars().skip(1).any(char::is_uppercase) && p.chars().any(char::is_lowercase);
    if parts.iter().any(|p| camel(p)) {
        return true;
    }
    if is_cmdlet(run) {
        return true;
    }
    // Host names: outlook.com, login.microsoftonline.com.
    parts.len() >= 2
        && run.contains('.')
        && !run.contains('-')
        && parts
            .last()
            .is_some_and(|tld| matches!(*tld, "com" | "net" | "org" | "ms" | "io" | "no" | "nl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, WordKind)> {
        words(text).into_iter().map(|w| (w.text, w.kind)).collect()
    }

    #[test]
    fn codes_stay_whole() {
        for code in [
            "0x80070005",
            "5.7.750",
            "AADSTS9000411",
            "KB4023057",
            "Set-ExecutionPolicy",
            "Get-Mailbox",
            "OneDrive",
            "MALWAREPROTECTION_SCAN_STARTED",
            "DNS",
            "Outlook.com",
        ] {
            let w = words(code);
            assert_eq!(w[0].text, code);
            assert_eq!(w[0].kind, WordKind::Code, "{code}");
        }
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_a_word() {
        assert_eq!(
            kinds("Kjør Set-ExecutionPolicy. Feil: 0x80070005!"),
            [
                ("Kjør", WordKind::Plain),
                ("Set-ExecutionPolicy", WordKind::Code),
                ("Feil", WordKind::Plain),
                ("0x80070005", WordKind::Code),
            ]
        );
    }

    #[test]
    fn hyphenated_words_split_and_join() {
        assert_eq!(
            kinds("Office-dokument"),
            [
                ("Office-dokument", WordKind::Joined),
                ("Office", WordKind::Part),
                ("dokument", WordKind::Part)
            ]
        );
        assert_eq!(
            kinds("f.eks."),
            [("f", WordKind::Part), ("eks", WordKind::Part)]
        );
        assert_eq!(
            kinds("doesn't"),
            [
                ("doesn't", WordKind::Joined),
                ("doesn", WordKind::Part),
                ("t", WordKind::Part)
            ]
        );
    }

    #[test]
    fn words_hyphenated_to_a_code_are_findable() {
        assert_eq!(
            kinds("365-abonnement"),
            [
                ("365-abonnement", WordKind::Code),
                ("365", WordKind::Code),
                ("abonnement", WordKind::Part)
            ]
        );
        assert_eq!(
            kinds("4c7-feil"),
            [
                ("4c7-feil", WordKind::Code),
                ("4c7", WordKind::Code),
                ("feil", WordKind::Part)
            ]
        );
        // A code among the pieces stays a code.
        assert_eq!(
            kinds("5.7.750-feil"),
            [
                ("5.7.750-feil", WordKind::Code),
                ("5.7.750", WordKind::Code),
                ("feil", WordKind::Part)
            ]
        );
        // Codes of codes stay whole: an error number, a version, a GUID, cmdlets.
        for code in [
            "30180-28",
            "5.7.750",
            "v2-0",
            "9167-ddab5b025710",
            "3f2504e0-beef-41d3-9a0c-0305e82c3301",
            "Get-Mailbox",
        ] {
            assert_eq!(kinds(code), [(code, WordKind::Code)], "{code}");
        }
        // "Wi-Fi" is no cmdlet: a hyphenated word, as "wifi" and its parts.
        assert_eq!(kinds("Wi-Fi")[0], ("Wi-Fi", WordKind::Joined));
    }

    #[test]
    fn host_names_are_codes_with_findable_parts() {
        assert_eq!(
            kinds("outlook.live.com"),
            [
                ("outlook.live.com", WordKind::Code),
                ("outlook", WordKind::Part),
                ("live", WordKind::Part),
                ("com", WordKind::Part)
            ]
        );
    }

    #[test]
    fn offsets_point_at_the_text() {
        let text = "Æ-ø «Sikkerhets-innstillinger» Teams’ status";
        for w in words(text) {
            assert_eq!(&text[w.range.clone()], w.text);
        }
    }
}
