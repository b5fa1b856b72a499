//! The inline markup of one segment's Markdown, as pieces that tile the text exactly.
//!
//! A translation must carry the same markup as its English: the same links to the same
//! places, the same code, the same bold UI labels. [`pieces`] cuts a fragment into text
//! and markup (opening and closing delimiters, atoms such as inline code or an escape),
//! with byte ranges that cover every byte once and in order, so a tool can show the text
//! and protect the markup, and joining the pieces gives the fragment back. The checks
//! compare [`Placeholder`]s; the TMX export writes the markup as `bpt`/`ept`/`ph`.
//!
//! ```
//! use remedy::article::inline::{pieces, placeholders, Piece};
//! let md = "Velg **Lagre** i [Innstillinger](https://x/y).";
//! let p = pieces(md);
//! assert_eq!(p.iter().map(|p| &md[p.range()]).collect::<String>(), md);
//! let names: Vec<String> = placeholders(md).iter().map(|p| p.to_string()).collect();
//! assert_eq!(names, ["bold", "link(https://x/y)"]);
//! ```

use std::fmt;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// What a piece of markup is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// `**bold**`.
    Strong,
    /// `*italic*`.
    Emphasis,
    /// `~~struck~~`.
    Strikethrough,
    /// A link and where it goes.
    Link(String),
    /// An image and its source.
    Image(String),
    /// Inline code and its text (commands, paths: never translated).
    Code(String),
    /// An inline HTML tag, by name (`<br>`, `</a>` → `br`, `/a`).
    Html(String),
    /// A backslash escape (`\>`), by the escaped character.
    Escape(char),
    /// Markup that is none of the above (a list marker, a hard break): kept, not compared.
    Other,
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mark::Strong => f.write_str("bold"),
            Mark::Emphasis => f.write_str("italic"),
            Mark::Strikethrough => f.write_str("strikethrough"),
            Mark::Link(u) => write!(f, "link({u})"),
            Mark::Image(u) => write!(f, "image({u})"),
            Mark::Code(c) => write!(f, "code(`{c}`)"),
            Mark::Html(t) => write!(f, "<{t}>"),
            Mark::Escape(c) => write!(f, "escape(\\{c})"),
            Mark::Other => f.write_str("markup"),
        }
    }
}

/// One piece of a fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Translatable text (entities and all, as written).
    Text(Range<usize>),
    /// The opening delimiter of an element (`**`, `[`); `id` pairs it with its [`Piece::Close`].
    Open {
        /// Pairs it with its close.
        id: u32,
        /// The element.
        mark: Mark,
        /// The delimiter's bytes.
        range: Range<usize>,
    },
    /// The closing delimiter (`**`, `](url)`).
    Close {
        /// The id of its open.
        id: u32,
        /// The delimiter's bytes.
        range: Range<usize>,
    },
    /// Markup that stands alone (inline code, an escape, an HTML tag).
    Atom {
        /// What it is.
        mark: Mark,
        /// Its bytes.
        range: Range<usize>,
    },
}

impl Piece {
    /// The bytes of the fragment this piece covers.
    pub fn range(&self) -> Range<usize> {
        match self {
            Piece::Text(r) => r.clone(),
            Piece::Open { range, .. } | Piece::Close { range, .. } | Piece::Atom { range, .. } => {
                range.clone()
            }
        }
    }
}

/// Cuts `md` into pieces that tile it: every byte in exactly one piece, in order. Text the
/// parser cannot place (a construct that reorders its source, such as a reference link)
/// makes the whole fragment one text piece: never a wrong tiling.
pub fn pieces(md: &str) -> Vec<Piece> {
    let tiled = tile(md);
    let contiguous = tiled
        .iter()
        .try_fold(0, |at, p| (p.range().start == at).then(|| p.range().end))
        == Some(md.len());
    if contiguous && tiled.iter().all(|p| !p.range().is_empty()) {
        tiled
    } else if md.is_empty() {
        Vec::new()
    } else {
        vec![Piece::Text(0..md.len())]
    }
}

/// An open element waiting for its first child, whose start ends the opening delimiter.
struct Pending {
    id: u32,
    mark: Mark,
    start: usize,
}

struct Tiler<'a> {
    md: &'a str,
    out: Vec<Piece>,
    cursor: usize,
    pending: Option<Pending>,
    /// Open elements: id and the end of the element.
    stack: Vec<(u32, usize)>,
    next_id: u32,
}

fn tile(md: &str) -> Vec<Piece> {
    let mut t = Tiler {
        md,
        out: Vec::new(),
        cursor: 0,
        pending: None,
        stack: Vec::new(),
        next_id: 1,
    };
    for (event, range) in Parser::new_ext(md, super::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let mark = match tag {
                    Tag::Strong => Mark::Strong,
                    Tag::Emphasis => Mark::Emphasis,
                    Tag::Strikethrough => Mark::Strikethrough,
                    Tag::Link { dest_url, .. } => Mark::Link(dest_url.into_string()),
                    Tag::Image { dest_url, .. } => Mark::Image(dest_url.into_string()),
                    _ => continue,
                };
                t.flush_pending(range.start);
                t.gap(range.start);
                let id = t.next_id;
                t.next_id += 1;
                t.pending = Some(Pending {
                    id,
                    mark,
                    start: range.start,
                });
                t.stack.push((id, range.end));
            }
            Event::End(
                TagEnd::Strong
                | TagEnd::Emphasis
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {
                let Some((id, end)) = t.stack.pop() else {
                    continue;
                };
                if let Some(p) = t.pending.take() {
                    // An element without content (`[](url)`): its delimiters split where
                    // the opening one ends.
                    let open = p.start + opening_len(&p.mark, &md[p.start..end]);
                    t.out.push(Piece::Open {
                        id: p.id,
                        mark: p.mark,
                        range: p.start..open,
                    });
                    t.cursor = open;
                }
                t.gap_close(id, end);
            }
            Event::Text(_) | Event::SoftBreak => {
                t.flush_pending(range.start);
                t.gap(range.start);
                t.push_text(range);
            }
            Event::Code(code) => t.atom(Mark::Code(code.into_string()), range),
            Event::InlineHtml(html) => t.atom(Mark::Html(tag_name(&html)), range),
            Event::Html(_) | Event::HardBreak | Event::FootnoteReference(_) => {
                t.atom(Mark::Other, range)
            }
            _ => {}
        }
    }
    t.flush_pending(md.len());
    t.gap(md.len());
    t.out
}

impl Tiler<'_> {
    fn flush_pending(&mut self, at: usize) {
        if let Some(p) = self.pending.take_if(|p| at >= p.start) {
            self.out.push(Piece::Open {
                id: p.id,
                mark: p.mark,
                range: p.start..at,
            });
            self.cursor = at;
        }
    }

    /// Bytes no event covered before `to`: escapes' backslashes, block markers.
    fn gap(&mut self, to: usize) {
        if to <= self.cursor {
            return;
        }
        let text = &self.md[self.cursor..to];
        let rest = self.cursor;
        // An escape's backslash precedes the escaped character, which the parser reports
        // as text: the pair is one atom.
        if text == "\\"
            && let Some(c) = self.md[to..].chars().next()
            && c.is_ascii_punctuation()
        {
            let end = to + c.len_utf8();
            self.out.push(Piece::Atom {
                mark: Mark::Escape(c),
                range: rest..end,
            });
            self.cursor = end;
            return;
        }
        if text.trim().is_empty() {
            self.push_text(rest..to);
        } else {
            self.out.push(Piece::Atom {
                mark: Mark::Other,
                range: rest..to,
            });
        }
        self.cursor = to;
    }

    fn gap_close(&mut self, id: u32, end: usize) {
        if end > self.cursor {
            self.out.push(Piece::Close {
                id,
                range: self.cursor..end,
            });
            self.cursor = end;
        }
    }

    fn push_text(&mut self, range: Range<usize>) {
        let range = range.start.max(self.cursor)..range.end;
        if range.is_empty() {
            return;
        }
        if let Some(Piece::Text(last)) = self.out.last_mut()
            && last.end == range.start
        {
            last.end = range.end;
            self.cursor = range.end;
            return;
        }
        self.cursor = range.end;
        self.out.push(Piece::Text(range));
    }

    fn atom(&mut self, mark: Mark, range: Range<usize>) {
        self.flush_pending(range.start);
        self.gap(range.start);
        if range.end > self.cursor {
            let start = range.start.max(self.cursor);
            self.out.push(Piece::Atom {
                mark,
                range: start..range.end,
            });
            self.cursor = range.end;
        }
    }
}

/// How many bytes open an element that has no content.
fn opening_len(mark: &Mark, text: &str) -> usize {
    match mark {
        Mark::Link(_) => 1,
        Mark::Image(_) => 2,
        _ => {
            let c = text.as_bytes().first().copied().unwrap_or(b'*');
            let run = text.bytes().take_while(|b| *b == c).count();
            (run / 2).max(1).min(text.len())
        }
    }
}

/// `<br/>` → `br`, `</a>` → `/a`, `<A HREF=…>` → `a`.
fn tag_name(html: &str) -> String {
    let inner = html.trim_start_matches('<');
    let (slash, inner) = match inner.strip_prefix('/') {
        Some(rest) => ("/", rest),
        None => ("", inner),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{slash}{}", name.to_ascii_lowercase())
}

/// A piece of markup as the checks compare it: what it is, and what it sits in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Placeholder {
    /// The markup.
    pub mark: Mark,
    /// The marks of the elements around it, outermost first.
    pub within: Vec<Mark>,
    /// Where it starts in the fragment.
    pub offset: usize,
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.mark.fmt(f)
    }
}

/// The markup of a fragment that a translation must keep, in order: elements at their
/// opening, atoms where they stand (block markers and breaks left out).
pub fn placeholders(md: &str) -> Vec<Placeholder> {
    placeholders_of(pieces(md))
}

/// [`placeholders`] of pieces already cut (a caller that needs the pieces for more than one
/// view parses the fragment once).
pub fn placeholders_of(pieces: impl IntoIterator<Item = Piece>) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut open: Vec<(u32, Mark)> = Vec::new();
    for p in pieces {
        match p {
            Piece::Open { id, mark, range } => {
                out.push(Placeholder {
                    mark: mark.clone(),
                    within: open.iter().map(|(_, m)| m.clone()).collect(),
                    offset: range.start,
                });
                open.push((id, mark));
            }
            Piece::Close { id, .. } => {
                if let Some(i) = open.iter().rposition(|(o, _)| *o == id) {
                    open.truncate(i);
                }
            }
            Piece::Atom { mark, range } if mark != Mark::Other => out.push(Placeholder {
                mark,
                within: open.iter().map(|(_, m)| m.clone()).collect(),
                offset: range.start,
            }),
            _ => {}
        }
    }
    out
}

/// The text of the fragment outside markup, with inline code kept (the visible words): what
/// glossary terms and numbers are looked for in. Link targets and HTML are left out.
pub fn visible_text(md: &str) -> String {
    visible_text_mapped(md).0
}

/// [`visible_text`], and for each of its bytes the offset in `md` it comes from (markup
/// that became a space maps to where the markup starts).
pub fn visible_text_mapped(md: &str) -> (String, Vec<usize>) {
    visible_text_mapped_of(md, pieces(md))
}

/// [`visible_text_mapped`] of pieces already cut from `md`.
pub fn visible_text_mapped_of(
    md: &str,
    pieces: impl IntoIterator<Item = Piece>,
) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(md.len());
    let mut map = Vec::with_capacity(md.len());
    let push = |out: &mut String, map: &mut Vec<usize>, text: &str, from: usize, step: bool| {
        for (i, _) in text.bytes().enumerate() {
            map.push(if step { from + i } else { from });
        }
        out.push_str(text);
    };
    for p in pieces {
        match p {
            Piece::Text(r) => push(&mut out, &mut map, &md[r.clone()], r.start, true),
            Piece::Atom {
                mark: Mark::Code(c),
                range,
            } => {
                push(&mut out, &mut map, " ", range.start, false);
                push(&mut out, &mut map, &c, range.start, false);
                push(&mut out, &mut map, " ", range.start, false);
            }
            Piece::Atom {
                mark: Mark::Escape(c),
                range,
            } => push(
                &mut out,
                &mut map,
                c.encode_utf8(&mut [0; 4]),
                range.start + 1,
                false,
            ),
            other => push(&mut out, &mut map, " ", other.range().start, false),
        }
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(md: &str) -> String {
        pieces(md).iter().map(|p| &md[p.range()]).collect()
    }

    fn names(md: &str) -> Vec<String> {
        placeholders(md).iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn pieces_tile_the_fragment() {
        for md in [
            "",
            "plain",
            "**Fil** \\> **Konto**",
            "Se [](https://x) og ![alt](a.png)",
            "kjør `Get-MsolUser -All` nå<br/>og *så* ~~ikke~~",
            "1. Velg **Lagre**",
            "[**fet lenke**](u) &amp; [ref]\n\n[ref]: http://x",
            "line one\nline two  \nthree",
            "<a name=\"x\"></a>Tittel",
            "***both***",
            "\\*not bold\\*",
        ] {
            assert_eq!(joined(md), md, "{md:?}: {:?}", pieces(md));
        }
    }

    proptest::proptest! {
        /// Whatever the Markdown, the pieces tile it: nothing lost, nothing twice.
        #[test]
        fn pieces_always_tile(md in "[a-zæø ]{0,4}([*_`\\[\\]()!<>|#~&;.-]|\\\\[>*]|https://x|\n|[a-zæø ]{1,4}){0,24}") {
            proptest::prop_assert_eq!(joined(&md), md.clone());
            let p = pieces(&md);
            proptest::prop_assert!(p.iter().all(|p| !p.range().is_empty()));
        }
    }

    #[test]
    fn placeholders_name_markup_with_its_identity() {
        assert_eq!(
            names("Velg **Fil** \\> [Konto](https://a/b) og kjør `Get-X`"),
            ["bold", "escape(\\>)", "link(https://a/b)", "code(`Get-X`)"]
        );
        assert_eq!(names("a<br>b</A>"), ["<br>", "</a>"]);
        let nested = placeholders("[**x**](u)");
        assert_eq!(nested[1].within, [Mark::Link("u".into())]);
    }

    #[test]
    fn empty_link_text_still_pairs_its_delimiters() {
        let md = "Se [](https://x).";
        let p = pieces(md);
        let open = p.iter().find(|p| matches!(p, Piece::Open { .. })).unwrap();
        assert_eq!(&md[open.range()], "[");
        let close = p.iter().find(|p| matches!(p, Piece::Close { .. })).unwrap();
        assert_eq!(&md[close.range()], "](https://x)");
    }

    #[test]
    fn visible_text_maps_back_to_the_markdown() {
        let md = "Se **Azure AD** `x` her";
        let (text, map) = visible_text_mapped(md);
        assert_eq!(text.len(), map.len());
        let at = text.find("AD").unwrap();
        assert_eq!(&md[map[at]..map[at] + 2], "AD");
        let at = text.find("her").unwrap();
        assert_eq!(&md[map[at]..], "her");
    }

    #[test]
    fn visible_text_keeps_words_and_code_not_urls() {
        let t = visible_text("Kjør `Get-X` i [Azure AD Connect](https://aka.ms/x) \\> OK");
        assert!(t.contains("Get-X") && t.contains("Azure AD Connect") && t.contains("> OK"));
        assert!(!t.contains("aka.ms"));
    }
}
