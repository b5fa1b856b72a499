//! Links between articles: resolved to pages, made relative, reported when they lead
//! nowhere; page names and URLs.

use super::*;

/// The Markdown a page shows: the target view without the front matter, with the English
/// original of each segment, and the map from the view back to the file.
pub(super) struct Body {
    pub(super) markdown: String,
    pub(super) originals: Vec<Original>,
    /// Segment index and its target's place in `markdown`.
    pub(super) map: Vec<(usize, std::ops::Range<usize>)>,
    /// Where `markdown` starts in the target view.
    pub(super) start: usize,
}

pub(super) fn body_of(article: &Article) -> Body {
    let (mut text, map) = article.target_markdown_mapped();
    let start = article.target_body_start();
    let map: Vec<(usize, std::ops::Range<usize>)> = map
        .into_iter()
        .filter(|(_, r)| r.start >= start)
        .map(|(i, r)| (i, r.start - start..r.end - start))
        .collect();
    let originals = map
        .iter()
        .filter_map(|(i, r)| {
            let s = &article.segments()[*i];
            let en = article.source_of(s)?;
            (en.trim() != article.target_of(s).trim()).then(|| Original {
                range: r.clone(),
                english: en.to_owned(),
            })
        })
        .collect();
    text.replace_range(..start, "");
    Body {
        markdown: text,
        originals,
        map,
        start,
    }
}

/// Where a byte of the rendered body is in the article's file: inside a segment, at the
/// same place in its target; between segments, the text was copied as it was.
pub(super) fn to_original(body: &Body, article: &Article, at: usize) -> usize {
    let i = body.map.partition_point(|(_, r)| r.start <= at);
    if i == 0 {
        return at + body.start;
    }
    let (seg, r) = &body.map[i - 1];
    let s = &article.segments()[*seg];
    if at < r.end {
        s.target.start + (at - r.start)
    } else {
        s.range.end + (at - r.end)
    }
}

pub(super) enum Resolved {
    /// A page of the site (index into the plan) and the fragment to keep.
    Page(usize, String),
    Broken,
    Outside(String),
    External,
    /// A scheme pages do not allow (`javascript:`, `java%09script:`): left out.
    Unsafe,
}

pub(super) fn resolve_link(
    dest: &str,
    from_dir: &str,
    locale: &Locale,
    by_path: &HashMap<(String, String), usize>,
) -> Resolved {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') {
        return Resolved::External;
    }
    let (path, fragment) = match dest.find(['#', '?']) {
        Some(i) if dest[i..].starts_with('#') => (&dest[..i], dest[i..].to_owned()),
        Some(i) => {
            let frag = dest[i..]
                .find('#')
                .map_or(String::new(), |f| dest[i + f..].to_owned());
            (&dest[..i], frag)
        }
        None => (dest, String::new()),
    };
    let lookup = |key: &str| by_path.get(&(locale.to_string(), key.to_owned())).copied();
    let lower = path.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("https://docs.microsoft.com/")
        .or_else(|| lower.strip_prefix("https://learn.microsoft.com/"))
    {
        let rest = strip_docs_locale(rest);
        return match lookup(&link_key(rest)) {
            Some(i) => Resolved::Page(i, fragment),
            None => Resolved::External,
        };
    }
    if let Some(colon) = lower.find(':')
        && lower.find('/').is_none_or(|slash| colon < slash)
    {
        // A scheme: the ones pages allow are links; anything else is left out.
        let scheme = &lower[..colon];
        return if SCHEMES.contains(&scheme) {
            Resolved::External
        } else {
            Resolved::Unsafe
        };
    }
    if lower.starts_with("//") {
        return Resolved::External;
    }
    if let Some(rest) = path.strip_prefix('/') {
        let rest = strip_docs_locale(rest);
        return match lookup(&link_key(rest)) {
            Some(i) => Resolved::Page(i, fragment),
            None => Resolved::Outside(format!("{DOCS_HOST}{path}{fragment}")),
        };
    }
    // Relative: an article (`x.md`, or a name without extension) or another file.
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    if !ext.is_empty() && !ext.eq_ignore_ascii_case("md") {
        return Resolved::External;
    }
    let joined = join(from_dir, path);
    match joined.and_then(|j| lookup(&link_key(&j))) {
        Some(i) => Resolved::Page(i, fragment),
        None => Resolved::Broken,
    }
}

/// `nb-no/alchemyinsights/x` → `alchemyinsights/x`: Docs URLs may carry a locale first.
pub(super) fn strip_docs_locale(path: &str) -> &str {
    match path.split_once('/') {
        Some((first, rest))
            if first.len() == 5 && first.as_bytes()[2] == b'-' && first.is_ascii() =>
        {
            rest
        }
        _ => path,
    }
}

/// The lookup key of an article path: lower case, percent escapes decoded, without `.md`
/// and without a trailing `/`.
pub(super) fn link_key(path: &str) -> String {
    let p = percent_decode(path.trim_matches('/')).to_lowercase();
    match p.strip_suffix(".md") {
        Some(stem) => stem.to_owned(),
        None => p,
    }
}

/// `%20` → ` `; an escape that is not one, or bytes that are not UTF-8, stay as written.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    String::from_utf8(percent_decode_bytes(s)).unwrap_or_else(|_| s.to_owned())
}

/// The bytes `%XX` escapes stand for; an escape that is not one stays as written.
pub(crate) fn percent_decode_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// `dir` + a relative path, `.` and `..` resolved; `None` above the root.
pub(super) fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

pub(super) fn parent_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_owned())
}

/// `AlchemyInsights/x.md` → `AlchemyInsights/x.html`.
pub(super) fn page_name(rel: &str) -> String {
    format!("{}.html", rel.strip_suffix(".md").unwrap_or(rel))
}

pub(super) fn page_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The relative link from page `from` to page `to` (both below the site root).
pub fn href(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    encode_path(&out)
}

/// The absolute URL of a page.
pub(super) fn url(base: &str, page: &str) -> String {
    format!("{base}{}", encode_path(page))
}

pub(super) fn normalize_base(base: &str) -> Result<String, SiteError> {
    let lower = base.to_ascii_lowercase();
    let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
        && base.len() > "https://".len()
        && !base.contains(['"', '<', '>', ' ', '\'']);
    if !ok {
        return Err(SiteError::BaseUrl { url: base.into() });
    }
    Ok(if base.ends_with('/') {
        base.to_owned()
    } else {
        format!("{base}/")
    })
}
