//! Bilingual span pairs: `<span data-ttu-id="H-K">target</span>` directly followed by
//! `<span class="sxs-lookup"><span data-stu-id="H-K">source</span></span>`.
//!
//! The scanner works on bytes, not on a Markdown or HTML tree, because the pairs occur in
//! every context (paragraphs, headings, link text, raw HTML table cells, even front
//! matter) and because real files break HTML nesting: unclosed `<span>`s, stray
//! `</span>`s and attributes quoted as `&quot;`. A pair is anchored on its `sxs-lookup`
//! partner, so whatever sits between a target's opening tag and its partner is target
//! text, however badly nested.
//!
//! Invariant: every `data-ttu-id=` in the input yields either one [`Pair`] or one
//! broken-pair diagnostic ([`DiagnosticKind::is_broken_pair`]).

use std::ops::Range;

use memchr::memmem;
use serde::Serialize;

use super::diagnostic::DiagnosticKind;

/// The key of a segment within its article: the part of a span id after the dash
/// (`103`, `p101`), or a structural key for articles without spans.
///
/// Keys, unlike whole span ids, are comparable across locales: the hand-off prefix
/// differs per locale and per hand-off.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SegmentKey {
    /// An ordinary sentence id, `103`.
    Sentence(u32),
    /// A merged-paragraph id, `p101`, standing for a run of sentence ids.
    Merged(u32),
    /// A position in the document structure, for articles without spans
    /// (`enable-password-sync/l1.i2.p1`): section anchor, then the path of blocks.
    Structural(String),
}

impl SegmentKey {
    /// Parses the part after the dash of a span id.
    ///
    /// ```
    /// use remedy::article::SegmentKey;
    /// assert_eq!(SegmentKey::parse_span_key("p101"), Some(SegmentKey::Merged(101)));
    /// assert_eq!(SegmentKey::parse_span_key("103").unwrap().to_string(), "103");
    /// assert_eq!(SegmentKey::parse_span_key("x1"), None);
    /// ```
    pub fn parse_span_key(s: &str) -> Option<SegmentKey> {
        let (merged, digits) = match s.strip_prefix(['p', 'P']) {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = digits.parse().ok()?;
        Some(if merged {
            SegmentKey::Merged(n)
        } else {
            SegmentKey::Sentence(n)
        })
    }
}

impl std::fmt::Display for SegmentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SegmentKey::Sentence(n) => write!(f, "{n}"),
            SegmentKey::Merged(n) => write!(f, "p{n}"),
            SegmentKey::Structural(s) => f.write_str(s),
        }
    }
}

impl Serialize for SegmentKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The hand-off prefix of a span id (`90cf8` in `90cf8-108`): up to 8 hex digits. It
/// identifies one translation hand-off of one article in one locale.
///
/// ```
/// use remedy::article::Handoff;
/// let h: Handoff = "0A1b2".parse().unwrap();
/// assert_eq!(h.to_string(), "0a1b2");
/// assert!("xyz".parse::<Handoff>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handoff {
    value: u32,
    digits: u8,
}

impl std::str::FromStr for Handoff {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        if s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        let value = u32::from_str_radix(s, 16).map_err(|_| ())?;
        Ok(Handoff {
            value,
            digits: s.len() as u8,
        })
    }
}

impl std::fmt::Display for Handoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:0width$x}", self.value, width = self.digits as usize)
    }
}

impl Serialize for Handoff {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A full span id, `90cf8-108`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpanId {
    /// The hand-off prefix (`90cf8`).
    pub handoff: Handoff,
    /// The segment's key (`108`).
    pub key: SegmentKey,
}

impl SpanId {
    /// Parses `HANDOFF-KEY`: one to eight hex digits, a dash, a number or pNUMBER.
    pub fn parse(s: &str) -> Option<SpanId> {
        let (handoff, key) = s.split_once('-')?;
        Some(SpanId {
            handoff: handoff.parse().ok()?,
            key: SegmentKey::parse_span_key(key)?,
        })
    }
}

impl std::fmt::Display for SpanId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.handoff, self.key)
    }
}

/// One span pair as byte ranges into the scanned text. The five pieces
/// `range.start..target.start` (opening tag), `target`, `target.end..source.start`
/// (`</span>` and the partner's opening tags), `source`, `source.end..range.end`
/// (closing tags) tile `range` exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The pair's id (both spans carry it).
    pub id: SpanId,
    /// The whole pair, tags included.
    pub range: Range<usize>,
    /// The translation's Markdown.
    pub target: Range<usize>,
    /// The English Markdown.
    pub source: Range<usize>,
}

/// A problem found while scanning, at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanProblem {
    /// What kind of problem.
    pub kind: DiagnosticKind,
    /// Where, in bytes of the text.
    pub offset: usize,
    /// What was found and what was expected.
    pub message: String,
}

/// The result of scanning one text.
#[derive(Debug, Default)]
pub struct Scan {
    /// How many `data-ttu-id=` attributes the text has.
    pub attributes: usize,
    /// The pairs read, in order.
    pub pairs: Vec<Pair>,
    /// What could not be read as a pair, in order.
    pub problems: Vec<SpanProblem>,
}

const TTU: &[u8] = b"data-ttu-id=";
const LOOKUP: &[u8] = b"sxs-lookup";
const CLOSE: &[u8] = b"</span>";
const CLOSE2: &[u8] = b"</span></span>";
const STU: &[u8] = b"data-stu-id=";

/// Searchers built once: building one costs more than a short search.
struct Finders {
    ttu: memmem::Finder<'static>,
    lookup: memmem::Finder<'static>,
    close: memmem::Finder<'static>,
    open: memmem::Finder<'static>,
    stu: memmem::Finder<'static>,
}

static FIND: std::sync::LazyLock<Finders> = std::sync::LazyLock::new(|| Finders {
    ttu: memmem::Finder::new(TTU),
    lookup: memmem::Finder::new(LOOKUP),
    close: memmem::Finder::new(CLOSE),
    open: memmem::Finder::new(b"<span"),
    stu: memmem::Finder::new(STU),
});

/// Finds every span pair in `text`.
///
/// ```
/// use remedy::article::scan;
/// let text = r#"# <span data-ttu-id="ab12c-102">Hei</span><span class="sxs-lookup"><span data-stu-id="ab12c-102">Hello</span></span>"#;
/// let scan = scan(text);
/// let pair = &scan.pairs[0];
/// assert_eq!(pair.id.to_string(), "ab12c-102");
/// assert_eq!(&text[pair.target.clone()], "Hei");
/// assert_eq!(&text[pair.source.clone()], "Hello");
/// assert!(scan.problems.is_empty());
/// ```
pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let starts: Vec<usize> = FIND.ttu.find_iter(bytes).collect();
    let mut out = Scan {
        attributes: starts.len(),
        pairs: Vec::with_capacity(starts.len()),
        problems: Vec::new(),
    };
    let mut entity_quoted: Option<(usize, usize)> = None;
    // Everything before `consumed` belongs to an earlier pair.
    let mut consumed = 0;
    for (i, &attr) in starts.iter().enumerate() {
        let limit = starts.get(i + 1).copied().unwrap_or(bytes.len());
        let Some((tag_start, id, target_start)) = open_target(
            text,
            attr,
            consumed,
            limit,
            &mut out.problems,
            &mut entity_quoted,
        ) else {
            continue;
        };

        let Some(partner) = find_partner(text, target_start, limit) else {
            out.problems.push(problem(
                DiagnosticKind::SpanWithoutPartner,
                tag_start,
                format!("target span `{id}` has no `sxs-lookup` English partner before the next pair; its text stays as written"),
            ));
            // Its own `</span>` is part of the unpaired text, not of the next pair.
            consumed = attr + TTU.len();
            continue;
        };
        if partner.entity_quoted {
            let e = entity_quoted.get_or_insert((partner.start, 0));
            e.1 += 1;
        }
        let target_end = target_end(bytes, target_start, partner.start, &id, &mut out.problems);
        match SpanId::parse(partner.id) {
            Some(ref pid) if *pid == id => {}
            _ => out.problems.push(problem(
                DiagnosticKind::SpanIdMismatch,
                partner.start,
                format!(
                    "target `{id}` is followed by the English of `{}`; paired anyway",
                    partner.id
                ),
            )),
        }
        let source_start = partner.end;
        let (source_end, end) = source_end(bytes, source_start, limit, &id, &mut out.problems);
        check_inner_spans(
            text,
            target_start..target_end,
            &id,
            "target",
            &mut out.problems,
        );
        check_inner_spans(
            text,
            source_start..source_end,
            &id,
            "English",
            &mut out.problems,
        );
        consumed = end;
        out.pairs.push(Pair {
            id,
            range: tag_start..end,
            target: target_start..target_end,
            source: source_start..source_end,
        });
    }
    if let Some((offset, count)) = entity_quoted {
        out.problems.push(SpanProblem {
            kind: DiagnosticKind::SpanEntityQuoted,
            offset,
            message: format!("{count} span tags quote their attributes with `&quot;`; read anyway"),
        });
    }
    find_orphan_sources(text, &out.pairs, &mut out.problems);
    out.problems.sort_by_key(|p| p.offset);
    out
}

/// The target span whose `data-ttu-id=` is at `attr`: where its tag starts, its id and
/// where its text starts; `None`, with the problem pushed, when it opens no pair.
/// `consumed` is where the earlier pairs end, `limit` the next `data-ttu-id=`; a tag
/// quoted with `&quot;` is counted in `entity_quoted` (the first one's place, the count).
fn open_target(
    text: &str,
    attr: usize,
    consumed: usize,
    limit: usize,
    problems: &mut Vec<SpanProblem>,
    entity_quoted: &mut Option<(usize, usize)>,
) -> Option<(usize, SpanId, usize)> {
    let bytes = text.as_bytes();
    if attr < consumed {
        // A `data-ttu-id=` inside an earlier pair's text: it cannot open a pair.
        problems.push(problem(
            DiagnosticKind::SpanMalformed,
            attr,
            "`data-ttu-id` inside the text of another pair".into(),
        ));
        return None;
    }
    let Some(tag_start) = tag_start_before(bytes, attr, consumed) else {
        problems.push(problem(
            DiagnosticKind::SpanMalformed,
            attr,
            "`data-ttu-id` outside a `<span …>` tag".into(),
        ));
        return None;
    };
    let Some(open) = read_attr_tag(text, attr + TTU.len(), limit) else {
        problems.push(problem(
            DiagnosticKind::SpanMalformed,
            tag_start,
            "expected `data-ttu-id=\"HANDOFF-KEY\">` with a hex hand-off and a number or pNUMBER key".into(),
        ));
        return None;
    };
    if open.entity_quoted {
        let e = entity_quoted.get_or_insert((tag_start, 0));
        e.1 += 1;
    }
    let Some(id) = SpanId::parse(open.value) else {
        problems.push(problem(
            DiagnosticKind::SpanMalformed,
            tag_start,
            format!(
                "span id `{}` is not HANDOFF-KEY (hex hand-off, number or pNUMBER key)",
                open.value
            ),
        ));
        return None;
    };
    Some((tag_start, id, open.end))
}

/// Where the target of `id` ends: before the `</span>` in front of its partner, or at the
/// partner when that `</span>` is missing (a problem).
fn target_end(
    bytes: &[u8],
    target_start: usize,
    partner_start: usize,
    id: &SpanId,
    problems: &mut Vec<SpanProblem>,
) -> usize {
    if bytes[..partner_start].ends_with(CLOSE) && partner_start - CLOSE.len() >= target_start {
        return partner_start - CLOSE.len();
    }
    problems.push(problem(
        DiagnosticKind::SpanTargetUnclosed,
        partner_start,
        format!("target `{id}` is not closed by `</span>` before its `sxs-lookup` partner"),
    ));
    partner_start
}

/// Where the English of `id` ends and where its pair ends (after `</span></span>`, one
/// `</span>`, or, never closed, before the next pair's tag), with a problem for each
/// way it is not as it should be.
fn source_end(
    bytes: &[u8],
    source_start: usize,
    limit: usize,
    id: &SpanId,
    problems: &mut Vec<SpanProblem>,
) -> (usize, usize) {
    match find_source_end(bytes, source_start, limit) {
        SourceEnd::Closed {
            source_end,
            unclosed,
        } => {
            if unclosed {
                problems.push(problem(
                    DiagnosticKind::SpanUnclosedInner,
                    source_start,
                    format!(
                        "the English of `{id}` has a `<span>` that is never closed; kept as text"
                    ),
                ));
            }
            (source_end, source_end + CLOSE2.len())
        }
        SourceEnd::Single(source_end) => {
            problems.push(problem(
                DiagnosticKind::SpanSourceUnclosed,
                source_end,
                format!("the English of `{id}` ends with one `</span>` where `</span></span>` was expected"),
            ));
            (source_end, source_end + CLOSE.len())
        }
        SourceEnd::Missing => {
            problems.push(problem(
                DiagnosticKind::SpanSourceUnclosed,
                source_start,
                format!("the English of `{id}` is never closed; it runs to the next pair"),
            ));
            (
                limit_before_tag(bytes, source_start, limit),
                limit_before_tag(bytes, source_start, limit),
            )
        }
    }
}

fn problem(kind: DiagnosticKind, offset: usize, message: String) -> SpanProblem {
    SpanProblem {
        kind,
        offset,
        message,
    }
}

/// The `<` of the `<span` tag that holds the attribute at `attr`, if the attribute is
/// inside such a tag that starts at or after `floor`.
fn tag_start_before(bytes: &[u8], attr: usize, floor: usize) -> Option<usize> {
    let window_start = attr.saturating_sub(200).max(floor);
    let lt = memchr::memrchr(b'<', &bytes[window_start..attr])? + window_start;
    let inside = &bytes[lt..attr];
    if inside.len() < 6
        || !inside[..5].eq_ignore_ascii_case(b"<span")
        || !inside[5].is_ascii_whitespace()
    {
        return None;
    }
    // No tag end between `<span` and the attribute.
    (!inside.contains(&b'>')).then_some(lt)
}

/// An attribute value and the end of the tag that holds it.
struct AttrTag<'a> {
    value: &'a str,
    /// Byte offset just past the tag's `>`.
    end: usize,
    entity_quoted: bool,
}

/// Reads `"VALUE"` (or `'VALUE'`, or `&quot;VALUE&quot;`, or mixed, as real files have)
/// starting at `at`, then skips to the end of the tag.
fn read_attr_tag(text: &str, at: usize, limit: usize) -> Option<AttrTag<'_>> {
    let bytes = text.as_bytes();
    let rest = &bytes[at..limit.min(bytes.len())];
    let (open_len, mut entity_quoted) = quote_len(rest)?;
    let value_start = at + open_len;
    let vrest = &bytes[value_start..limit];
    // The value is short; it ends at the first quote of either kind.
    let value_len = vrest
        .iter()
        .take(64)
        .position(|&b| b == b'"' || b == b'\'' || b == b'&' || b == b'>')?;
    let value_end = value_start + value_len;
    let (close_len, close_entity) = quote_len(&bytes[value_end..limit])?;
    entity_quoted |= close_entity;
    let after = value_end + close_len;
    // Skip further attributes up to `>` (none in real files, but allowed by HTML).
    let gt = memchr::memchr(b'>', &bytes[after..limit])?;
    if bytes[after..after + gt].contains(&b'<') {
        return None;
    }
    Some(AttrTag {
        value: &text[value_start..value_end],
        end: after + gt + 1,
        entity_quoted,
    })
}

fn quote_len(bytes: &[u8]) -> Option<(usize, bool)> {
    if bytes.starts_with(b"&quot;") {
        Some((6, true))
    } else if matches!(bytes.first(), Some(b'"' | b'\'')) {
        Some((1, false))
    } else {
        None
    }
}

struct Partner<'a> {
    /// Offset of `<span class="sxs-lookup">`.
    start: usize,
    /// Offset just past `<span data-stu-id="…">`.
    end: usize,
    id: &'a str,
    entity_quoted: bool,
}

/// Finds `<span class="sxs-lookup"><span data-stu-id="ID">` in `from..limit`.
fn find_partner(text: &str, from: usize, limit: usize) -> Option<Partner<'_>> {
    let bytes = text.as_bytes();
    let mut search = from;
    while let Some(rel) = FIND.lookup.find(&bytes[search..limit]) {
        let hit = search + rel;
        search = hit + LOOKUP.len();
        // Back up over the quote and `class=` to the tag's `<`.
        let Some(lt) = memchr::memrchr(b'<', &bytes[from..hit]).map(|p| p + from) else {
            continue;
        };
        let head = &bytes[lt..hit];
        if head.len() > 40
            || !head.starts_with(b"<span")
            || !head.windows(6).any(|w| w == b"class=")
        {
            continue;
        }
        let entity_quoted = head.ends_with(b"&quot;");
        let Some(gt) = memchr::memchr(b'>', &bytes[search..limit]) else {
            continue;
        };
        let inner = search + gt + 1;
        // The inner `<span data-stu-id=…>`, allowing whitespace between the tags.
        let skip = bytes[inner..limit]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        let inner = inner + skip;
        let Some(attr_rel) = bytes[inner..limit]
            .starts_with(b"<span")
            .then(|| FIND.stu.find(&bytes[inner..limit.min(inner + 64)]))
            .flatten()
        else {
            continue;
        };
        let Some(tag) = read_attr_tag(text, inner + attr_rel + STU.len(), limit) else {
            continue;
        };
        return Some(Partner {
            start: lt,
            end: tag.end,
            id: tag.value,
            entity_quoted: entity_quoted || tag.entity_quoted,
        });
    }
    None
}

enum SourceEnd {
    /// The source ends at `source_end`, followed by `</span></span>`.
    /// `unclosed`: a plain `<span>` inside the source is never closed.
    Closed {
        source_end: usize,
        unclosed: bool,
    },
    /// Only one `</span>` was found.
    Single(usize),
    Missing,
}

/// Where the English source that starts at `from` ends. Prefers the first `</span></span>`
/// before which the plain `<span>`s inside the source are balanced; otherwise the first
/// `</span></span>` (an unclosed inner `<span>`, as in `*yourbusiness.<span>com*`).
fn find_source_end(bytes: &[u8], from: usize, limit: usize) -> SourceEnd {
    let region = &bytes[from..limit];
    // The common case: no markup in the English before its closing tags.
    if let Some(lt) = memchr::memchr(b'<', region)
        && region[lt..].starts_with(CLOSE2)
    {
        return SourceEnd::Closed {
            source_end: from + lt,
            unclosed: false,
        };
    }
    let mut first_double = None;
    let mut first_single = None;
    // Single closes, so that the overlapping `</span></span>` of a nested close is seen.
    for rel in FIND.close.find_iter(region) {
        first_single.get_or_insert(rel);
        if !region[rel + CLOSE.len()..].starts_with(CLOSE) {
            continue;
        }
        let inner = &region[..rel];
        let (opens, closes) = (count_open_spans(inner), FIND.close.find_iter(inner).count());
        first_double.get_or_insert((rel, opens > closes));
        // More closes than opens are stray `</span>`s (reported with the text): the pair's
        // own close is still this one.
        if opens <= closes {
            return SourceEnd::Closed {
                source_end: from + rel,
                unclosed: false,
            };
        }
    }
    match (first_double, first_single) {
        (Some((rel, unclosed)), _) => SourceEnd::Closed {
            source_end: from + rel,
            unclosed,
        },
        (None, Some(rel)) => SourceEnd::Single(from + rel),
        (None, None) => SourceEnd::Missing,
    }
}

/// The end of an unclosed source: the start of the next pair's tag, or `limit`.
fn limit_before_tag(bytes: &[u8], from: usize, limit: usize) -> usize {
    if limit >= bytes.len() {
        return bytes.len();
    }
    tag_start_before(bytes, limit, from).unwrap_or(limit)
}

fn count_open_spans(bytes: &[u8]) -> usize {
    FIND.open
        .find_iter(bytes)
        .filter(|&i| matches!(bytes.get(i + 5), Some(b'>' | b' ' | b'\t' | b'\n')))
        .count()
}

/// Reports plain `<span>`s inside a segment's text that are not closed, and `</span>`s
/// that close nothing. The text is kept as written either way.
fn check_inner_spans(
    text: &str,
    range: Range<usize>,
    id: &SpanId,
    what: &str,
    problems: &mut Vec<SpanProblem>,
) {
    let bytes = &text.as_bytes()[range.clone()];
    if memchr::memchr(b'<', bytes).is_none() {
        return;
    }
    let mut depth = 0usize;
    let mut first_open = None;
    let mut i = 0;
    while let Some(rel) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + rel;
        let rest = &bytes[at..];
        if rest.starts_with(CLOSE) {
            if depth == 0 {
                problems.push(SpanProblem {
                    kind: DiagnosticKind::SpanStrayClose,
                    offset: range.start + at,
                    message: format!(
                        "a `</span>` inside the {what} of `{id}` closes nothing; kept as text"
                    ),
                });
            } else {
                depth -= 1;
            }
        } else if rest.starts_with(b"<span")
            && matches!(rest.get(5), Some(b'>' | b' ' | b'\t' | b'\n'))
        {
            if depth == 0 {
                first_open = Some(at);
            }
            depth += 1;
        }
        i = at + 1;
    }
    // An unclosed `<span>` in the source was already reported when its end was chosen.
    if depth > 0 && what == "target" {
        problems.push(SpanProblem {
            kind: DiagnosticKind::SpanUnclosedInner,
            offset: range.start + first_open.unwrap_or(0),
            message: format!(
                "the {what} of `{id}` has a `<span>` that is never closed; kept as text"
            ),
        });
    }
}

/// `sxs-lookup` partners that no target claimed: hidden English without a translation.
fn find_orphan_sources(text: &str, pairs: &[Pair], problems: &mut Vec<SpanProblem>) {
    let bytes = text.as_bytes();
    if FIND.lookup.find_iter(bytes).count() <= pairs.len() {
        return;
    }
    let mut p = 0;
    for hit in FIND.lookup.find_iter(bytes) {
        while p < pairs.len() && pairs[p].range.end <= hit {
            p += 1;
        }
        if pairs.get(p).is_some_and(|pair| pair.range.start <= hit) {
            continue;
        }
        let before = &bytes[hit.saturating_sub(20)..hit];
        if before.windows(6).any(|w| w == b"class=") {
            problems.push(SpanProblem {
                kind: DiagnosticKind::SpanOrphanSource,
                offset: hit,
                message:
                    "an `sxs-lookup` English source with no target span before it; kept as written"
                        .into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(id: &str, target: &str, source: &str) -> String {
        format!(
            r#"<span data-ttu-id="{id}">{target}</span><span class="sxs-lookup"><span data-stu-id="{id}">{source}</span></span>"#
        )
    }

    fn texts<'a>(text: &'a str, scan: &Scan) -> Vec<(String, &'a str, &'a str)> {
        scan.pairs
            .iter()
            .map(|p| {
                (
                    p.id.to_string(),
                    &text[p.target.clone()],
                    &text[p.source.clone()],
                )
            })
            .collect()
    }

    fn kinds(scan: &Scan) -> Vec<DiagnosticKind> {
        scan.problems.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn canonical_pairs_in_sequence() {
        let text = format!(
            "1. {} {}\n",
            pair("90cf8-107", "**A:** b", "**A:** B"),
            pair("90cf8-p108", "c", "C")
        );
        let s = scan(&text);
        assert_eq!(
            texts(&text, &s),
            vec![
                ("90cf8-107".into(), "**A:** b", "**A:** B"),
                ("90cf8-p108".into(), "c", "C")
            ]
        );
        assert!(s.problems.is_empty());
        assert_eq!(s.pairs[1].id.key, SegmentKey::Merged(108));
    }

    #[test]
    fn stray_close_in_target_is_kept_as_text() {
        let text = pair(
            "e7ff8-112",
            "følge </span> i denne",
            "follow the instructions</span> found in this",
        );
        let s = scan(&text);
        assert_eq!(texts(&text, &s)[0].1, "følge </span> i denne");
        assert_eq!(
            texts(&text, &s)[0].2,
            "follow the instructions</span> found in this"
        );
        assert_eq!(
            kinds(&s),
            vec![
                DiagnosticKind::SpanStrayClose,
                DiagnosticKind::SpanStrayClose
            ]
        );
        assert_eq!(s.pairs[0].range.end, text.len());
    }

    #[test]
    fn balanced_inner_span_in_source() {
        let text = pair(
            "a1b2c-101",
            "se <span>https:</span>//x",
            "see <span>https:</span>",
        );
        // The source ends in a nested close: `<span>https:</span>` then the pair's own.
        let s = scan(&text);
        assert_eq!(texts(&text, &s)[0].2, "see <span>https:</span>");
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn unclosed_inner_span() {
        let text = pair(
            "763d6-101",
            "zoals *uw bedrijf. <span> com*",
            "such as *yourbusiness.<span>com*",
        );
        let s = scan(&text);
        assert_eq!(texts(&text, &s)[0].2, "such as *yourbusiness.<span>com*");
        assert_eq!(
            kinds(&s),
            vec![
                DiagnosticKind::SpanUnclosedInner,
                DiagnosticKind::SpanUnclosedInner
            ]
        );
    }

    #[test]
    fn entity_quoted_attributes() {
        let text = r#"<span data-ttu-id="5caef-121&quot;>Als u</span><span class=&quot;sxs-lookup&quot;><span data-stu-id=&quot;5caef-121&quot;>If you</span></span> <span data-ttu-id=&quot;5caef-122&quot;>Twee</span><span class=&quot;sxs-lookup&quot;><span data-stu-id=&quot;5caef-122&quot;>Two</span></span>"#;
        let s = scan(text);
        assert_eq!(texts(text, &s).len(), 2);
        assert_eq!(texts(text, &s)[1], ("5caef-122".into(), "Twee", "Two"));
        assert_eq!(kinds(&s), vec![DiagnosticKind::SpanEntityQuoted]);
    }

    #[test]
    fn target_without_partner_is_broken_and_the_next_pair_survives() {
        let text = format!(
            r#"<span data-ttu-id="abcde-101">alone</span> {}"#,
            pair("abcde-102", "b", "B")
        );
        let s = scan(&text);
        assert_eq!(texts(&text, &s), vec![("abcde-102".into(), "b", "B")]);
        assert_eq!(kinds(&s), vec![DiagnosticKind::SpanWithoutPartner]);
    }

    #[test]
    fn malformed_ids_are_reported() {
        for bad in [
            r#"<span data-ttu-id="zz-1">x</span>"#,
            r#"<span data-ttu-id=abc-1>x</span>"#,
            "data-ttu-id= plain",
        ] {
            let s = scan(bad);
            assert!(s.pairs.is_empty());
            assert_eq!(kinds(&s), vec![DiagnosticKind::SpanMalformed], "{bad}");
        }
    }

    #[test]
    fn id_mismatch_is_paired_with_a_warning() {
        let text = r#"<span data-ttu-id="abcde-101">a</span><span class="sxs-lookup"><span data-stu-id="abcde-102">A</span></span>"#;
        let s = scan(text);
        assert_eq!(s.pairs.len(), 1);
        assert_eq!(kinds(&s), vec![DiagnosticKind::SpanIdMismatch]);
    }

    #[test]
    fn orphan_source_is_reported() {
        let text = r#"x <span class="sxs-lookup"><span data-stu-id="abcde-102">A</span></span>"#;
        let s = scan(text);
        assert_eq!(kinds(&s), vec![DiagnosticKind::SpanOrphanSource]);
    }

    #[test]
    fn multi_line_segment_in_html() {
        let text = "<td><span data-ttu-id=\"ac3dd-128\">\n<b>SCAN</b>\n</span><span class=\"sxs-lookup\"><span data-stu-id=\"ac3dd-128\">\n<b>SCAN</b>\n</span></span></td>";
        let s = scan(text);
        assert_eq!(texts(text, &s)[0].1, "\n<b>SCAN</b>\n");
    }
}
