//! What the index keeps of an article: the translated text by section, the English source,
//! and the metadata search results show.

use serde::{Deserialize, Serialize};

use crate::codec;
use tantivy::TantivyDocument;

use super::Fields;
use crate::article::{Article, ArticleForm, BlockKind, markdown_to_text};
use crate::locale::Locale;

/// A stretch of the body under one heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The heading's `<a name>` anchor, else its Docs-style slug; `None` before the first
    /// heading.
    pub anchor: Option<String>,
    /// The heading as plain text; empty before the first heading.
    pub heading: String,
    /// Byte range in [`SearchDocument::body`].
    pub start: usize,
    /// End of that range.
    pub end: usize,
}

impl Section {
    /// `sections` packed for the index's stored `sections` field ([`crate::codec`]: the
    /// count, then per section its start, end, whether it has an anchor, the anchor and
    /// the heading). Read back with [`Section::unpack`]; faster to read than JSON.
    pub fn pack(sections: &[Section]) -> String {
        let mut out = Vec::new();
        codec::put(&mut out, sections.len());
        for s in sections {
            codec::put(&mut out, s.start);
            codec::put(&mut out, s.end);
            codec::put(&mut out, usize::from(s.anchor.is_some()));
            codec::put_str(&mut out, s.anchor.as_deref().unwrap_or_default());
            codec::put_str(&mut out, &s.heading);
        }
        String::from_utf8(out).expect("packed numbers and UTF-8 text")
    }

    /// What [`Section::pack`] wrote; `None` for anything else.
    pub fn unpack(text: &str) -> Option<Vec<Section>> {
        let mut r = codec::Reader::new(text);
        let count = r.number()?;
        let mut out = Vec::with_capacity(count.min(text.len()));
        for _ in 0..count {
            let (start, end, anchored) = (r.number()?, r.number()?, r.number()?);
            let anchor = r.str()?;
            out.push(Section {
                anchor: (anchored == 1).then(|| anchor.to_owned()),
                heading: r.str()?.to_owned(),
                start,
                end,
            });
        }
        r.at_end().then_some(out)
    }
}

/// One article as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDocument {
    /// Path relative to the content root, as read.
    pub file: String,
    /// Path relative to the locale folder.
    pub path: String,
    /// `ms.assetid`, when the article has one.
    pub asset: Option<String>,
    /// The title (front matter, else the first heading; may be empty).
    pub title: String,
    /// The headings as plain text, one per line, the one that repeats the title left out.
    pub headings: String,
    /// Plain text of the translation (no hidden English), section after section.
    pub body: String,
    /// Plain text of the English source: a span article's sources, or the English
    /// heading anchors and file name a plain translation kept.
    pub english: String,
    /// The sections of `body`, with their anchors and headings.
    pub sections: Vec<Section>,
    /// `ms.translationtype` (`MT`, `HT`).
    pub translation: Option<String>,
    /// English beside its translation, for the lexicon: explicit heading anchors beside
    /// their headings, the file name beside the title, source segments beside targets.
    pub parallel: Vec<(String, String)>,
    /// What dense search embeds of the article ([`crate::embed::passage`]).
    pub passage: String,
}

impl SearchDocument {
    /// What the index keeps of `article`.
    pub fn of(article: &Article) -> SearchDocument {
        // Sections come from the target text's own structure. A plain article is its own
        // target view; only span articles are parsed again.
        let reparsed;
        let target: &Article = match article.form() {
            ArticleForm::Plain => article,
            ArticleForm::Bilingual => {
                reparsed = Article::parse(article.path(), article.target_markdown().into_owned());
                &reparsed
            }
        };
        let (cuts, mut parallel) = top_headings(target);
        let (body, sections) = sectioned_body(target, &cuts);
        let title = article
            .title()
            .map(str::to_owned)
            .or_else(|| {
                sections
                    .iter()
                    .find(|s| !s.heading.is_empty())
                    .map(|s| s.heading.clone())
            })
            .unwrap_or_default();
        // The first heading usually repeats the title: it is in the title field already.
        let headings: Vec<&str> = sections
            .iter()
            .map(|s| s.heading.as_str())
            .filter(|h| !h.is_empty() && *h != title)
            .collect();
        add_parallel(article, &title, &mut parallel);
        let english = match article.form() {
            ArticleForm::Bilingual => article
                .source_markdown()
                .map(|md| markdown_to_text(body_of(&md)))
                .unwrap_or_default(),
            // A plain translation's only English is what it kept of the source: heading
            // anchors and the file name. An English query finds the article by them.
            ArticleForm::Plain => parallel
                .iter()
                .map(|(e, _)| e.replace(['-', '_'], " "))
                .collect::<Vec<String>>()
                .join("\n"),
        };
        SearchDocument {
            passage: crate::embed::passage(target),
            file: article.path().to_string_lossy().into_owned(),
            path: crate::content::relative_path(article.path()),
            asset: article.asset_id().map(|a| a.to_string()),
            title,
            headings: headings.join("\n"),
            body,
            english,
            sections,
            translation: article
                .front_matter()
                .and_then(|fm| fm.translation_type.as_ref())
                .map(|t| t.as_str().to_owned()),
            parallel,
        }
    }

    /// The tantivy document; `body_terms` is the body's encoded
    /// [`TermVector`](crate::analysis::TermVector).
    pub fn to_tantivy(&self, f: &Fields, locale: &Locale, body_terms: &str) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(f.file, &self.file);
        d.add_text(f.path, &self.path);
        d.add_text(f.locale, locale.to_string());
        if let Some(a) = &self.asset {
            d.add_text(f.asset, a);
        }
        d.add_text(f.title, &self.title);
        d.add_text(f.headings, &self.headings);
        d.add_text(f.body, &self.body);
        d.add_text(f.english, &self.english);
        d.add_text(f.sections, Section::pack(&self.sections));
        if let Some(t) = &self.translation {
            d.add_text(f.translation, t);
        }
        d.add_text(f.body_terms, body_terms);
        d
    }
}

/// Adds an (English, target) pair with its white space made single spaces, as the index
/// stores it, unless the two are the same text or too long to say which word is which.
/// Where a top-level heading starts, its anchor and its text.
type Cut = (usize, Option<String>, String);

/// Where each top-level heading of the target view starts, with its anchor and text; and
/// the anchors that were written for the English heading (not the heading's own slug),
/// beside it, for the lexicon.
fn top_headings(target: &Article) -> (Vec<Cut>, Vec<(String, String)>) {
    let text = target.original();
    let mut cuts = Vec::new();
    let mut parallel = Vec::new();
    for b in target.blocks() {
        if let BlockKind::Heading { anchor, .. } = &b.kind
            && b.parent.is_none()
        {
            let heading = markdown_to_text(&text[b.range.clone()]).trim().to_owned();
            if let Some(a) = anchor
                && *a != slug(&heading)
            {
                push_pair(&mut parallel, a, &heading);
            }
            let anchor = anchor.clone().or_else(|| Some(slug(&heading)));
            cuts.push((b.range.start, anchor, heading));
        }
    }
    (cuts, parallel)
}

/// The target view's plain text, section after section (the text before the first
/// heading too, when there is some), and the sections with their ranges in it.
fn sectioned_body(target: &Article, cuts: &[Cut]) -> (String, Vec<Section>) {
    let text = target.original();
    let body_start = target.front_matter().map_or(0, |fm| fm.range.end);
    let mut body = String::new();
    let mut sections = Vec::new();
    let mut push = |range: std::ops::Range<usize>, anchor: Option<String>, heading: String| {
        let piece = markdown_to_text(&text[range]);
        if piece.trim().is_empty() && anchor.is_none() {
            return;
        }
        if !body.is_empty() {
            body.push('\n');
        }
        let start = body.len();
        body.push_str(piece.trim_end());
        sections.push(Section {
            anchor,
            heading,
            start,
            end: body.len(),
        });
    };
    let first = cuts.first().map_or(text.len(), |c| c.0);
    if first > body_start {
        push(body_start..first, None, String::new());
    }
    for (i, (start, anchor, heading)) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).map_or(text.len(), |c| c.0);
        push(*start..end, anchor.clone(), heading.clone());
    }
    (body, sections)
}

/// After the heading anchors: the file name beside the title (when it is not the title's
/// slug), then every span segment's English beside its translation.
fn add_parallel(article: &Article, title: &str, parallel: &mut Vec<(String, String)>) {
    if let Some(stem) = article.path().file_stem().map(|s| s.to_string_lossy())
        && !title.is_empty()
        && *stem != slug(title)
    {
        push_pair(parallel, &stem, title);
    }
    for seg in article.segments() {
        if let Some(source) = article.source_of(seg) {
            push_pair(
                parallel,
                &markdown_to_text(source),
                &markdown_to_text(article.target_of(seg)),
            );
        }
    }
}

fn push_pair(parallel: &mut Vec<(String, String)>, english: &str, target: &str) {
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (english, target) = (clean(english), clean(target));
    // Stop words are not counted by the lexicon's own limit; twice it is surely too long.
    let words = english.split(' ').count();
    if english.is_empty()
        || target.is_empty()
        || english == target
        || words > 2 * crate::analysis::Lexicon::MAX_PAIR_WORDS
    {
        return;
    }
    parallel.push((english, target));
}

/// The Markdown after the front matter.
fn body_of(md: &str) -> &str {
    if let Some(rest) = md.strip_prefix("---")
        && let Some(end) = rest.find("\n---")
    {
        let after = &rest[end + 4..];
        return after.split_once('\n').map_or("", |(_, b)| b);
    }
    md
}

/// A Docs-style heading slug: lower case, letters and digits kept, spaces to hyphens.
pub fn slug(heading: &str) -> String {
    let mut out = String::new();
    for c in heading.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c == ' ' || c == '-') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_pack_and_unpack() {
        // A real article's sections (no anchor before the first heading, an explicit one,
        // a slug), and an empty anchor far into a long body.
        let a = Article::parse(
            "nb-NO/x/a.md",
            "---\ntitle: Tittel\n---\nIntro her.\n\n# <a name=\"fix-it\"></a>Fiks det\n\nGjør **dette**.\n\n## Mer hjelp på norsk\n\nSe også.\n",
        );
        let mut sections = SearchDocument::of(&a).sections;
        assert_eq!(sections.len(), 3);
        sections.push(Section {
            anchor: Some(String::new()),
            heading: "Løsning".into(),
            start: 70_000,
            end: 1 << 40,
        });
        let packed = Section::pack(&sections);
        assert_eq!(Section::unpack(&packed), Some(sections));
        assert_eq!(Section::unpack(&Section::pack(&[])), Some(vec![]));
        // Cut short, with more behind, or JSON of an older index: not sections.
        for cut in (0..packed.len()).filter(|&c| packed.is_char_boundary(c)) {
            assert_eq!(Section::unpack(&packed[..cut]), None, "{cut}");
        }
        assert_eq!(Section::unpack(&format!("{packed}x")), None);
        assert_eq!(Section::unpack(r#"[{"anchor":null}]"#), None);
    }

    #[test]
    fn sections_follow_headings_and_keep_anchors() {
        let a = Article::parse(
            "nb-NO/x/a.md",
            "---\ntitle: Tittel\nms.translationtype: MT\n---\nIntro her.\n\n# <a name=\"fix-it\"></a>Fiks det\n\nGjør **dette**.\n\n## Mer hjelp\n\nSe også.\n",
        );
        let d = SearchDocument::of(&a);
        assert_eq!(d.path, "x/a.md");
        assert_eq!(d.title, "Tittel");
        assert_eq!(d.translation.as_deref(), Some("MT"));
        let s: Vec<(Option<&str>, &str, &str)> = d
            .sections
            .iter()
            .map(|s| {
                (
                    s.anchor.as_deref(),
                    s.heading.as_str(),
                    &d.body[s.start..s.end],
                )
            })
            .collect();
        assert_eq!(
            s,
            [
                (None, "", "Intro her."),
                (Some("fix-it"), "Fiks det", "Fiks det\nGjør dette."),
                (Some("mer-hjelp"), "Mer hjelp", "Mer hjelp\nSe også."),
            ]
        );
    }

    #[test]
    fn the_body_has_no_hidden_english_and_the_english_field_has_it() {
        let a = Article::parse(
            "nb-NO/a.md",
            "# <span data-ttu-id=\"aaaaa-101\">Hei verden</span><span class=\"sxs-lookup\"><span data-stu-id=\"aaaaa-101\">Hello world</span></span>\n",
        );
        let d = SearchDocument::of(&a);
        assert!(d.body.contains("Hei verden") && !d.body.contains("Hello"));
        assert!(d.english.contains("Hello world"));
        assert!(
            d.parallel
                .contains(&("Hello world".to_owned(), "Hei verden".to_owned()))
        );
    }

    #[test]
    fn a_plain_translation_keeps_its_english_anchors_and_file_name() {
        let a = Article::parse(
            "nb-NO/x/workflow-is-not-starting.md",
            "---\ntitle: Arbeidsflyten starter ikke\n---\n# <a name=\"workflow-is-not-starting\"></a>Arbeidsflyten starter ikke\n\nTekst.\n\n## <a name=\"more-help\"></a>Mer hjelp\n\n## Slik gjør du\n",
        );
        let d = SearchDocument::of(&a);
        // The anchor slugged from its own heading ("slik-gjør-du") is no English.
        assert_eq!(
            d.parallel,
            [
                (
                    "workflow-is-not-starting".to_owned(),
                    "Arbeidsflyten starter ikke".to_owned()
                ),
                ("more-help".to_owned(), "Mer hjelp".to_owned()),
                (
                    "workflow-is-not-starting".to_owned(),
                    "Arbeidsflyten starter ikke".to_owned()
                ),
            ]
        );
        assert_eq!(
            d.english,
            "workflow is not starting\nmore help\nworkflow is not starting"
        );
    }
}
