//! Plain translations (no English beside them) checked against another locale of the same
//! article, block by block as `align_plain` pairs them: what no translation may change —
//! link targets, inline code, identifiers, numbers — must be the same in both.

use std::sync::LazyLock;

use regex::Regex;

use super::rules::{difference, identifiers, numbers};
use super::{CheckId, Sink};
use crate::align::{ArticleSet, align_plain};
use crate::article::{Article, ArticleForm};

/// Links below this confidence are not compared: a wrong pairing would be a false finding.
const CONFIDENT: f32 = 0.5;

static LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(\s*<?([^)\s>]+)").expect("a valid regex"));
static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`([^`\n]+)`").expect("a valid regex"));

/// Each plain member against the set's first span member (its target view), or, when no
/// member has spans, against the first member.
pub(super) fn against_partner(set: &ArticleSet, articles: &[&Article], sinks: &mut [Sink]) {
    if articles.len() < 2 {
        return;
    }
    let reference = super::reference(articles);
    let partner = Article::parse(
        articles[reference].path(),
        articles[reference].target_markdown().into_owned(),
    );
    let other = &set.members[reference].locale;
    for (m, a) in articles.iter().enumerate() {
        if m == reference || a.form() != ArticleForm::Plain {
            continue;
        }
        for link in align_plain(a, &partner).links {
            if link.a.is_empty()
                || link.b.is_empty()
                || link.confidence.is_none_or(|c| c < CONFIDENT)
            {
                continue;
            }
            let join = |text: &str, ranges: &[std::ops::Range<usize>]| {
                ranges
                    .iter()
                    .map(|r| &text[r.clone()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mine = join(a.original(), &link.a);
            let theirs = join(partner.original(), &link.b);
            let at = link.a[0].start;
            let markup = |t: &str| {
                let mut v: Vec<String> = LINK_TARGET
                    .captures_iter(t)
                    .map(|c| format!("link({})", &c[1]))
                    .collect();
                v.extend(CODE.captures_iter(t).map(|c| format!("code(`{}`)", &c[1])));
                v
            };
            let without_markup = |t: &str| {
                CODE.replace_all(&LINK_TARGET.replace_all(t, "]("), " ")
                    .into_owned()
            };
            let (vm, vt) = (without_markup(&mine), without_markup(&theirs));
            for (check, ours, other_side) in [
                (CheckId::MarkupCount, markup(&mine), markup(&theirs)),
                (CheckId::Identifiers, identifiers(&vm), identifiers(&vt)),
                (CheckId::Numbers, numbers(&vm), numbers(&vt)),
            ] {
                let (missing, extra) = difference(other_side.into_iter(), ours.into_iter());
                if !missing.is_empty() || !extra.is_empty() {
                    let mut parts = Vec::new();
                    if !missing.is_empty() {
                        parts.push(format!("only {other} has {}", missing.join(", ")));
                    }
                    if !extra.is_empty() {
                        parts.push(format!("only this one has {}", extra.join(", ")));
                    }
                    sinks[m].at(
                        check,
                        at,
                        None,
                        format!(
                            "compared with the {other} translation of this passage: {}",
                            parts.join("; ")
                        ),
                    );
                }
            }
        }
    }
}
