//! The checks of one article: segment by segment against the English, and the whole
//! translation's Markdown structure.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::glossary::Glossary;
use super::{CheckId, Sink, structure};
use crate::article::inline::{
    Mark, Piece, Placeholder, pieces, placeholders_of, visible_text_mapped_of,
};
use crate::article::{Article, ArticleForm, DiagnosticKind, Segment};

pub(super) fn article(article: &Article, glossary: &Glossary, sink: &mut Sink) {
    for d in article.diagnostics() {
        if is_span_problem(d.kind) {
            sink.at(CheckId::SpanBroken, d.offset, None, d.message.clone());
        }
    }
    let locale = article.locale();
    for segment in article.segments() {
        // Each side is parsed once; every check reads the same pieces.
        let target = Fragment::of(article.target_of(segment));
        empty_links(segment, &target, sink);
        if let Some(l) = locale {
            forbidden_forms(segment, &target, glossary, l, sink);
        }
        if let Some(source) = article.source_of(segment) {
            let source = Fragment::of(source);
            against_english(segment, &source, &target, glossary, locale, sink);
        }
    }
    if article.form() == ArticleForm::Bilingual {
        structure::markdown(article, sink);
    }
}

/// A segment's Markdown cut into pieces once, with the text a reader sees and where each of
/// its bytes comes from.
struct Fragment<'a> {
    md: &'a str,
    pieces: Vec<Piece>,
    visible: String,
    map: Vec<usize>,
}

impl<'a> Fragment<'a> {
    fn of(md: &'a str) -> Fragment<'a> {
        let pieces = pieces(md);
        let (visible, map) = visible_text_mapped_of(md, pieces.iter().cloned());
        Fragment {
            md,
            pieces,
            visible,
            map,
        }
    }

    fn placeholders(&self) -> Vec<Placeholder> {
        placeholders_of(self.pieces.iter().cloned())
    }
}

fn is_span_problem(kind: DiagnosticKind) -> bool {
    matches!(
        kind,
        DiagnosticKind::SpanMalformed
            | DiagnosticKind::SpanWithoutPartner
            | DiagnosticKind::SpanIdMismatch
            | DiagnosticKind::SpanTargetUnclosed
            | DiagnosticKind::SpanSourceUnclosed
            | DiagnosticKind::SpanOrphanSource
    )
}

fn empty_links(segment: &Segment, fragment: &Fragment, sink: &mut Sink) {
    let (p, target) = (&fragment.pieces, fragment.md);
    for (i, piece) in p.iter().enumerate() {
        let Piece::Open {
            id,
            mark: Mark::Link(url),
            range,
        } = piece
        else {
            continue;
        };
        let empty = p[i + 1..]
            .iter()
            .take_while(|q| !matches!(q, Piece::Close { id: c, .. } if c == id))
            .all(|q| match q {
                Piece::Text(r) => target[r.clone()].trim().is_empty(),
                _ => false,
            });
        if empty {
            sink.at_segment(
                CheckId::EmptyLinkText,
                segment,
                range.start,
                format!("the link to {url} has no text"),
            );
        }
    }
}

fn forbidden_forms(
    segment: &Segment,
    target: &Fragment,
    glossary: &Glossary,
    locale: &crate::locale::Locale,
    sink: &mut Sink,
) {
    // The words a reader sees: `Azure AD **Koble til**` is found, a URL is not looked in.
    let (visible, map) = (&target.visible, &target.map);
    let mut hits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    for term in &glossary.terms {
        for form in term.forbidden.get(locale).into_iter().flatten() {
            for r in form.find(visible) {
                hits.push((r, &term.term.text));
            }
        }
    }
    // A longer term's form holds a shorter one's ("Azure AD Verbinding maken Health"):
    // one finding, for the longer.
    hits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut covered = 0;
    for (r, term) in hits {
        if r.end <= covered {
            continue;
        }
        covered = r.end;
        let shown = normalized(&visible[r.clone()]);
        sink.at_segment(
            CheckId::GlossaryForbidden,
            segment,
            map[r.start],
            format!(
                "\"{shown}\" is a translation of the term \"{term}\", which must stay as it is in {locale}"
            ),
        );
    }
}

fn against_english(
    segment: &Segment,
    source: &Fragment,
    target: &Fragment,
    glossary: &Glossary,
    locale: Option<&crate::locale::Locale>,
    sink: &mut Sink,
) {
    markup(segment, source, target, sink);
    let (vs, vt) = (&source.visible, &target.visible);
    identifiers_and_numbers(segment, vs, vt, sink);
    if is_untranslated(vs, vt, glossary) {
        sink.at_segment(
            CheckId::Untranslated,
            segment,
            0,
            format!("the translation is the English: \"{}\"", clip(vt.trim())),
        );
    }
    if let Some(locale) = locale {
        for term in glossary.terms_in(vs) {
            if term.term.find(vs).is_empty() || term.term.starts_word_in(vt) {
                continue;
            }
            let approved = term.forms.get(locale).map_or(&[][..], Vec::as_slice);
            if approved.iter().any(|f| f.starts_word_in(vt)) {
                continue;
            }
            let forbidden = term.forbidden.get(locale).map_or(&[][..], Vec::as_slice);
            if forbidden
                .iter()
                .any(|f| !f.find(&target.visible).is_empty())
            {
                continue; // already reported as forbidden
            }
            let also = if approved.is_empty() {
                String::new()
            } else {
                let names: Vec<&str> = approved.iter().map(|f| f.text.as_str()).collect();
                format!(" (or {})", names.join(", "))
            };
            sink.at_segment(
                CheckId::GlossaryMissing,
                segment,
                0,
                format!(
                    "the English says \"{}\"; the translation should keep it{also}",
                    term.term.text
                ),
            );
        }
    }
}

fn markup(segment: &Segment, source: &Fragment, target: &Fragment, sink: &mut Sink) {
    let (ps, pt) = (source.placeholders(), target.placeholders());
    let compared = |p: &&Placeholder| !matches!(p.mark, Mark::Escape(_));
    let (ms, mt): (Vec<&Placeholder>, Vec<&Placeholder>) = (
        ps.iter().filter(compared).collect(),
        pt.iter().filter(compared).collect(),
    );
    let (missing, extra) = difference(
        ms.iter().map(|p| p.mark.to_string()),
        mt.iter().map(|p| p.mark.to_string()),
    );
    if !missing.is_empty() || !extra.is_empty() {
        let offset = extra_offset(&mt, &extra);
        sink.at_segment(
            CheckId::MarkupCount,
            segment,
            offset,
            describe(&missing, &extra),
        );
    } else {
        let order_s: Vec<String> = ms.iter().map(|p| p.mark.to_string()).collect();
        let order_t: Vec<String> = mt.iter().map(|p| p.mark.to_string()).collect();
        let nest = |v: &[&Placeholder]| {
            let mut n: Vec<String> = v
                .iter()
                .map(|p| {
                    let within: Vec<String> = p.within.iter().map(Mark::to_string).collect();
                    format!("{} in [{}]", p.mark, within.join(" "))
                })
                .collect();
            n.sort();
            n
        };
        if nest(&ms) != nest(&mt) {
            let at = ms
                .iter()
                .zip(&mt)
                .find(|(a, b)| a.within != b.within)
                .map_or(0, |(_, b)| b.offset);
            sink.at_segment(
                CheckId::MarkupNesting,
                segment,
                at,
                "the markup is nested differently than in the English".into(),
            );
        } else if order_s != order_t && has_identity(&ms) {
            sink.at_segment(
                CheckId::MarkupOrder,
                segment,
                0,
                format!(
                    "the English has {}; the translation {}",
                    order_s.join(", "),
                    order_t.join(", ")
                ),
            );
        }
    }
    let escapes = |v: &[Placeholder]| {
        v.iter()
            .filter(|p| matches!(p.mark, Mark::Escape(_)))
            .map(|p| p.mark.to_string())
            .collect::<Vec<_>>()
    };
    let (missing, extra) = difference(escapes(&ps).into_iter(), escapes(&pt).into_iter());
    if !missing.is_empty() || !extra.is_empty() {
        sink.at_segment(
            CheckId::MarkupEscape,
            segment,
            0,
            describe(&missing, &extra),
        );
    }
}

/// Whether reordering can be told from a translation's word order: links, code and images
/// carry an identity; bold labels alone do not.
fn has_identity(p: &[&Placeholder]) -> bool {
    p.iter()
        .filter(|p| matches!(p.mark, Mark::Link(_) | Mark::Code(_) | Mark::Image(_)))
        .count()
        > 1
}

fn extra_offset(target: &[&Placeholder], extra: &[String]) -> usize {
    extra
        .first()
        .and_then(|e| target.iter().find(|p| &p.mark.to_string() == e))
        .map_or(0, |p| p.offset)
}

/// Items of `a` not in `b` and of `b` not in `a`, counted (multisets).
pub(super) fn difference(
    a: impl Iterator<Item = String>,
    b: impl Iterator<Item = String>,
) -> (Vec<String>, Vec<String>) {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    let mut order = Vec::new();
    for x in a {
        if !counts.contains_key(&x) {
            order.push(x.clone());
        }
        *counts.entry(x).or_default() += 1;
    }
    for x in b {
        if !counts.contains_key(&x) {
            order.push(x.clone());
        }
        *counts.entry(x).or_default() -= 1;
    }
    let (mut missing, mut extra) = (Vec::new(), Vec::new());
    for x in order {
        let n = counts[&x];
        for _ in 0..n.max(0) {
            missing.push(x.clone());
        }
        for _ in 0..(-n).max(0) {
            extra.push(x.clone());
        }
    }
    (missing, extra)
}

fn describe(missing: &[String], extra: &[String]) -> String {
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!("not in the English: {}", extra.join(", ")));
    }
    parts.join("; ")
}

/// Error codes, versions, cmdlets, parameters and URLs. Cmdlets by their approved verbs,
/// less the verbs English prose hyphenates (`Read-Only`, `Open-Source`, `Out-of-box`).
static IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:https?://[^\s)\]>]+)",
        r"|(?:\b0x[0-9A-Fa-f]+\b)",
        r"|(?:\b[A-Z][A-Za-z]*[A-Z]\d{3,}\b)",
        r"|(?:\b\d+(?:\.\d+){2,}\b)",
        r"|(?:\b(?:Get|Set|New|Remove|Add|Enable|Disable|Start|Stop|Update|Install|Uninstall|Import|Export|Test|Connect|Disconnect|Invoke|Search|Clear|Grant|Revoke|Restore|Reset|Register|Unregister|Move|Rename|Resume|Suspend|Format|ConvertTo|ConvertFrom|Measure|Restart|Wait|Repair|Confirm|Initialize|Approve|Block|Unblock|Mount|Dismount|Publish|Unpublish|Resolve|Submit|Merge|Expand|Compress|Optimize|Backup|Protect|Unprotect|Enter|Exit|Send|Receive)-[A-Z][A-Za-z0-9]+\b)",
        r"|(?:(?:^|[\s(])-[A-Z][a-z]+[A-Za-z]*\b)"
    ))
    .expect("a valid regex")
});

/// A number: digit groups of three joined by `,` `.` or a (no-break) space count as one
/// (`1,000` = `1 000` = `1.000`); other digit runs stand alone (`2.5` and `2,5` are both
/// 2 and 5).
static DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{1,3}(?:[,.\u{a0}\u{202f} ]\d{3})+\b|\d+").expect("a valid regex")
});

/// `01.02.2020` (a date as Norwegian and Dutch write it) or `1.000.000` (Dutch thousands):
/// numbers, not versions.
fn is_date_or_grouped(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    let date =
        parts.len() == 3 && parts[0].len() <= 2 && parts[1].len() <= 2 && parts[2].len() == 4;
    let grouped =
        parts.len() >= 2 && parts[0].len() <= 3 && parts[1..].iter().all(|p| p.len() == 3);
    date || grouped
}

pub(super) fn identifiers(text: &str) -> Vec<String> {
    IDENTIFIER
        .find_iter(text)
        .filter(|m| {
            !(m.as_str().starts_with(|c: char| c.is_ascii_digit())
                && is_date_or_grouped(m.as_str()))
        })
        .map(|m| {
            let s = m.as_str().trim_start_matches([' ', '\t', '\n', '(']);
            let s = s.trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '\'']);
            if s.starts_with("http") {
                s.to_owned()
            } else {
                // PowerShell does not care about case; machine translation sometimes does.
                s.to_lowercase()
            }
        })
        .collect()
}

pub(super) fn numbers(text: &str) -> Vec<String> {
    let without = IDENTIFIER.replace_all(text, |c: &regex::Captures| {
        let m = &c[0];
        if m.starts_with(|c: char| c.is_ascii_digit()) && is_date_or_grouped(m) {
            m.to_owned()
        } else {
            " ".to_owned()
        }
    });
    DIGITS
        .find_iter(&without)
        .map(|m| {
            let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
            let t = digits.trim_start_matches('0');
            if t.is_empty() { "0" } else { t }.to_owned()
        })
        .collect()
}

fn identifiers_and_numbers(segment: &Segment, source: &str, target: &str, sink: &mut Sink) {
    let (missing, extra) = difference(
        identifiers(source).into_iter(),
        identifiers(target).into_iter(),
    );
    if !missing.is_empty() || !extra.is_empty() {
        sink.at_segment(CheckId::Identifiers, segment, 0, describe(&missing, &extra));
    }
    let (missing, extra) = difference(numbers(source).into_iter(), numbers(target).into_iter());
    if !missing.is_empty() || !extra.is_empty() {
        sink.at_segment(CheckId::Numbers, segment, 0, describe(&missing, &extra));
    }
}

fn normalized(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The target is the English, and the English is prose: at least three words of letters
/// that are not glossary terms or identifiers, two of them lower-case (product names and
/// UI labels are capitalized; sentences have lower-case words).
fn is_untranslated(source: &str, target: &str, glossary: &Glossary) -> bool {
    if normalized(source) != normalized(target) {
        return false;
    }
    let mut text = IDENTIFIER.replace_all(source, " ").into_owned();
    for term in glossary.terms_in(&text) {
        for r in term.term.find(&text).into_iter().rev() {
            text.replace_range(r, " ");
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .collect();
    words.len() >= 3
        && words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .count()
            >= 2
}

fn clip(s: &str) -> String {
    if s.chars().count() <= 80 {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(77).collect();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckId, check_article};

    fn pair(target: &str, source: &str) -> String {
        format!(
            "---\nms.contentlocale: nb-NO\n---\n\n<span data-ttu-id=\"ab12c-102\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"ab12c-102\">{source}</span></span>\n"
        )
    }

    fn found(target: &str, source: &str, glossary: &Glossary) -> Vec<(CheckId, String)> {
        let a = Article::parse("nb-NO/a.md", pair(target, source));
        check_article(&a, glossary)
            .into_iter()
            .map(|f| (f.check, f.message))
            .collect()
    }

    fn ids(target: &str, source: &str) -> Vec<CheckId> {
        found(target, source, &Glossary::default())
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    #[test]
    fn faithful_translations_pass() {
        assert!(ids(
            "Velg **Lagre** i [Innstillinger](https://x/y), og kjør `Get-MsolUser -All` etter 30 dager.",
            "Choose **Save** in [Settings](https://x/y), and run `Get-MsolUser -All` after 30 days."
        )
        .is_empty());
        assert!(ids("Vent 2,5 timer.", "Wait 2.5 hours.").is_empty());
        assert!(
            ids(
                "Opptil 1 000 brukere fra 01.02.2020.",
                "Up to 1,000 users from 01.02.2020."
            )
            .is_empty()
        );
        assert!(ids("Tot 1.000.000 items.", "Up to 1,000,000 items.").is_empty());
        assert!(ids("Azure AD Connect", "Azure AD Connect").is_empty());
    }

    #[test]
    fn markup_is_compared_by_count_nesting_and_order() {
        let f = found("Velg Lagre.", "Choose **Save**.", &Glossary::default());
        assert_eq!(f, [(CheckId::MarkupCount, "missing bold".into())]);
        let f = found(
            "Se [dette](https://a) og [dette](https://c).",
            "See [this](https://a) and [that](https://b).",
            &Glossary::default(),
        );
        assert_eq!(
            f,
            [(
                CheckId::MarkupCount,
                "missing link(https://b); not in the English: link(https://c)".into()
            )]
        );
        assert_eq!(
            ids("**[Lagre](u)**", "[**Save**](u)"),
            [CheckId::MarkupNesting]
        );
        assert_eq!(
            ids("`b` så [x](u) og `a`", "`a` then [x](u) and `b`"),
            [CheckId::MarkupOrder]
        );
        assert_eq!(
            ids("Velg Fil > Konto", "Choose File \\> Account"),
            [CheckId::MarkupEscape]
        );
    }

    #[test]
    fn identifiers_and_numbers_must_survive() {
        assert_eq!(
            found(
                "Feil 0x80070006 etter 3 dager",
                "Error 0x80070005 after 3 days",
                &Glossary::default()
            ),
            [(
                CheckId::Identifiers,
                "missing 0x80070005; not in the English: 0x80070006".into()
            )]
        );
        assert_eq!(ids("Vent tre dager", "Wait 3 days"), [CheckId::Numbers]);
        assert_eq!(
            ids("Kjør Hent-MsolUser", "Run Get-MsolUser"),
            [CheckId::Identifiers]
        );
    }

    #[test]
    fn untranslated_prose_is_found_but_names_are_not() {
        assert_eq!(
            ids(
                "Choose the account you want to sync.",
                "Choose the account you want to sync."
            ),
            [CheckId::Untranslated]
        );
        assert!(ids("Microsoft Teams Rooms", "Microsoft Teams Rooms").is_empty());
        assert!(
            ids(
                "`Set-MsolDirSyncEnabled -EnableDirSync $false`",
                "`Set-MsolDirSyncEnabled -EnableDirSync $false`"
            )
            .is_empty()
        );
    }

    #[test]
    fn glossary_terms_forbidden_and_missing() {
        let g = Glossary::parse(
            "g.yaml",
            "terms:\n  - term: Azure AD Connect\n    forbidden:\n      nb-NO: [Azure AD Koble til]\n  - term: OneDrive\n  - term: Microsoft 365 admin center\n    forms:\n      nb-NO: ['administrasjonssenter*']\n",
        )
        .unwrap();
        let f = found(
            "Start Azure AD Koble til-veiviseren.",
            "Start the Azure AD Connect wizard.",
            &g,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, CheckId::GlossaryForbidden);
        assert!(
            f[0].1
                .starts_with("\"Azure AD Koble til\" is a translation"),
            "{f:?}"
        );
        assert!(found("Du kan ikke koble til.", "You cannot connect.", &g).is_empty());
        assert_eq!(
            found("Åpne En stasjon-mappen.", "Open the OneDrive folder.", &g)[0].0,
            CheckId::GlossaryMissing
        );
        assert!(found("Åpne OneDrive-mappen.", "Open the OneDrive folder.", &g).is_empty());
        assert!(
            found(
                "Gå til administrasjonssenteret for Microsoft 365.",
                "Go to the Microsoft 365 admin center.",
                &g
            )
            .is_empty()
        );
    }

    #[test]
    fn empty_link_text_is_an_error_in_plain_articles_too() {
        let a = Article::parse(
            "nb-NO/a.md",
            "---\nms.contentlocale: nb-NO\n---\n\nSe [](https://x) for mer.\n",
        );
        let f = check_article(&a, &Glossary::default());
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].check, f[0].line, f[0].column),
            (CheckId::EmptyLinkText, 5, 4)
        );
    }
}
