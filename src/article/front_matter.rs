//! YAML front matter: typed `ms.*` fields, and every key kept in order.
//!
//! The YAML is read with `serde-saphyr` (pure Rust, maintained, byte spans per value) into
//! an ordered list of entries; the typed fields are then taken from those entries, each
//! value checked, and problems returned as diagnostics instead of failing the article.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::diagnostic::DiagnosticKind;
use crate::locale::Locale;

/// An untyped YAML value, as written. Front matter in the wild has ints where strings
/// belong, lists where scalars belong, and the reverse.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum YamlValue {
    /// `~`, `null` or nothing.
    Null,
    /// `true`, `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// Any other scalar.
    String(String),
    /// A list.
    Seq(Vec<YamlValue>),
    /// A mapping, keys in file order.
    Map(Vec<(String, YamlValue)>),
}

impl YamlValue {
    /// The value as text if it is a scalar (numbers and booleans as written in YAML).
    pub fn as_scalar_text(&self) -> Option<String> {
        match self {
            YamlValue::String(s) => Some(s.clone()),
            YamlValue::Int(i) => Some(i.to_string()),
            YamlValue::Float(f) => Some(f.to_string()),
            YamlValue::Bool(b) => Some(b.to_string()),
            YamlValue::Null | YamlValue::Seq(_) | YamlValue::Map(_) => None,
        }
    }

    /// A scalar as a one-element list, a list of scalars as itself.
    fn as_text_list(&self) -> Option<Vec<String>> {
        match self {
            YamlValue::Seq(items) => items.iter().map(YamlValue::as_scalar_text).collect(),
            YamlValue::Null => Some(Vec::new()),
            other => other.as_scalar_text().map(|s| vec![s]),
        }
    }

    fn shape(&self) -> &'static str {
        match self {
            YamlValue::Null => "an empty value",
            YamlValue::Bool(_) => "a boolean",
            YamlValue::Int(_) | YamlValue::Float(_) => "a number",
            YamlValue::String(_) => "text",
            YamlValue::Seq(_) => "a list",
            YamlValue::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = YamlValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<YamlValue, E> {
        Ok(YamlValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<YamlValue, E> {
        Ok(YamlValue::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<YamlValue, E> {
        Ok(i64::try_from(v).map_or(YamlValue::String(v.to_string()), YamlValue::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<YamlValue, E> {
        Ok(YamlValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v))
    }
    fn visit_unit<E>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }
    fn visit_none<E>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YamlValue, D::Error> {
        YamlValue::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YamlValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(YamlValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlValue, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<YamlValue, YamlValue>()? {
            entries.push((key_text(&k), v));
        }
        Ok(YamlValue::Map(entries))
    }
}

fn key_text(k: &YamlValue) -> String {
    k.as_scalar_text().unwrap_or_else(|| format!("{k:?}"))
}

/// One top-level key of the front matter, in file order (duplicates and junk included).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Its value, as YAML gives it.
    pub value: YamlValue,
    /// Byte range of the value in the article (empty at the key for empty values).
    #[serde(skip)]
    pub value_range: Range<usize>,
}

/// Reads the subset of YAML that nearly all front matter is written in: top-level
/// `key: scalar` lines and `key:` followed by `- scalar` items, with plain, simple
/// single-quoted and simple double-quoted scalars. Returns `None` as soon as the text
/// leaves that subset (comments, escapes, flow or nested collections, multi-line
/// scalars, numbers other than plain integers), and the full YAML parser takes over.
///
/// It exists for speed (serde-saphyr reads front matter at ~15 MB/s, over half of the
/// parse time of a whole article), and a corpus test holds it to giving exactly what
/// serde-saphyr gives on every front matter it accepts.
pub fn parse_simple(source: &str, base: usize) -> Option<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    // Whether the last entry may still receive `- item` lines.
    let mut open_list = false;
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let line_start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            continue;
        }
        if content.contains('\t') {
            return None;
        }
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[indent..];
        if let Some(item) = rest.strip_prefix("- ") {
            if !open_list {
                return None;
            }
            let lead = item.len() - item.trim_start().len();
            let value_start = line_start + indent + 2 + lead;
            let (value, len) = simple_scalar(item.trim())?;
            let last = entries.last_mut()?;
            match &mut last.value {
                YamlValue::Seq(items) => items.push(value),
                v @ YamlValue::Null => *v = YamlValue::Seq(vec![value]),
                _ => return None,
            }
            last.value_range.end = base + value_start + len;
            continue;
        }
        if indent > 0 || rest.starts_with('#') {
            return None;
        }
        let colon = rest.find(':')?;
        let key = &rest[..colon];
        let after = &rest[colon + 1..];
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/'))
            || key.starts_with('-')
            || !(after.is_empty() || after.starts_with(' '))
        {
            return None;
        }
        let value_text = after.trim();
        let value_start = line_start + colon + 1 + (after.len() - after.trim_start().len());
        let (value, len) = if value_text.is_empty() {
            open_list = true;
            (YamlValue::Null, 0)
        } else {
            open_list = false;
            simple_scalar(value_text)?
        };
        entries.push(Entry {
            key: key.to_owned(),
            value,
            value_range: base + value_start..base + value_start + len,
        });
    }
    Some(entries)
}

/// A scalar of the simple subset and its length as written, or `None` to defer.
fn simple_scalar(s: &str) -> Option<(YamlValue, usize)> {
    let quoted = |q: char| -> Option<(YamlValue, usize)> {
        let inner = s.strip_prefix(q)?.strip_suffix(q)?;
        (!inner.contains([q, '\\'])).then(|| (YamlValue::String(inner.to_owned()), s.len()))
    };
    let bytes = s.as_bytes();
    match bytes.first()? {
        b'"' => return quoted('"'),
        b'\'' => return quoted('\''),
        // `-5` is a number; `- x`, `-x` and the other indicators are left to the parser.
        b'-' if bytes.get(1).is_some_and(u8::is_ascii_digit) => {}
        b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
        | b'@' | b'`' | b'?' | b':' | b'-' => return None,
        _ => {}
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return None;
    }
    let value = match s {
        "~" | "null" | "Null" | "NULL" => YamlValue::Null,
        "true" | "True" | "TRUE" => YamlValue::Bool(true),
        "false" | "False" | "FALSE" => YamlValue::Bool(false),
        _ if looks_numeric(s) => {
            let digits = s.trim_start_matches(['+', '-']);
            let plain_int = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits.len() == 1 || !digits.starts_with('0'));
            if !plain_int {
                return None;
            }
            YamlValue::Int(s.parse().ok()?)
        }
        _ => YamlValue::String(s.to_owned()),
    };
    Some((value, s.len()))
}

/// Whether YAML could read `s` as a number (int, float, hex, octal, infinity, NaN).
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']);
    let lower = t.to_ascii_lowercase();
    if lower == ".inf" || lower == ".nan" || lower.starts_with("0x") || lower.starts_with("0o") {
        return true;
    }
    let mut seen_digit = false;
    let mut chars = t.bytes().peekable();
    while let Some(&b) = chars.peek() {
        if b.is_ascii_digit() || b == b'_' {
            seen_digit |= b.is_ascii_digit();
            chars.next();
        } else {
            break;
        }
    }
    if chars.peek() == Some(&b'.') {
        chars.next();
        while chars
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || *b == b'_')
        {
            seen_digit = true;
            chars.next();
        }
    }
    if seen_digit && matches!(chars.peek(), Some(b'e' | b'E')) {
        chars.next();
        if matches!(chars.peek(), Some(b'+' | b'-')) {
            chars.next();
        }
        while chars.peek().is_some_and(u8::is_ascii_digit) {
            chars.next();
        }
    }
    seen_digit && chars.peek().is_none()
}

/// Reads front matter YAML with the full parser only, as an ordered list of entries.
/// For tests that hold [`parse_simple`] to the same result.
pub fn parse_full(source: &str) -> Option<Vec<(String, YamlValue)>> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options::<Entries>(source, options)
        .ok()
        .map(|e| e.0.into_iter().map(|(k, v)| (k, v.value)).collect())
}

/// The top level as an ordered list of spanned entries.
struct Entries(Vec<(String, Spanned<YamlValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of keys to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<YamlValue, Spanned<YamlValue>>()? {
                    out.push((key_text(&k), v));
                }
                Ok(Entries(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Entries, E> {
                Ok(Entries(Vec::new()))
            }
        }
        d.deserialize_map(V)
    }
}

/// A valid `ms.assetid`: a GUID, the identity of one article across all its locales.
///
/// ```
/// use remedy::article::AssetId;
/// let id: AssetId = "7AA9628F-c551-4d73-b966-29f47c2b3f43".parse().unwrap();
/// assert_eq!(id.to_string(), "7aa9628f-c551-4d73-b966-29f47c2b3f43");
/// assert!("(guid of old soc version if any)".parse::<AssetId>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(u128);

impl std::str::FromStr for AssetId {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim();
        let s = s
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(s);
        let groups: Vec<&str> = s.split('-').collect();
        if groups.iter().map(|g| g.len()).ne([8, 4, 4, 4, 12]) {
            return Err(());
        }
        let hex: String = groups.concat();
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        u128::from_str_radix(&hex, 16).map(AssetId).map_err(|_| ())
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

impl Serialize for AssetId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `ms.translationtype`: how the text was translated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TranslationType {
    /// Machine translation (`MT`).
    Machine,
    /// Human translation (`HT`).
    Human,
    /// Anything else, as written (the corpus has `Auto`).
    Other(String),
}

impl TranslationType {
    fn parse(s: &str) -> TranslationType {
        match s.trim() {
            t if t.eq_ignore_ascii_case("MT") => TranslationType::Machine,
            t if t.eq_ignore_ascii_case("HT") => TranslationType::Human,
            t => TranslationType::Other(t.to_owned()),
        }
    }

    /// As written in front matter (`MT`, `HT`, or the text found).
    pub fn as_str(&self) -> &str {
        match self {
            TranslationType::Machine => "MT",
            TranslationType::Human => "HT",
            TranslationType::Other(s) => s,
        }
    }
}

impl Serialize for TranslationType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The front matter of an article.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrontMatter {
    /// The whole block, from the opening `---` to the end of the closing line.
    #[serde(skip)]
    pub range: Range<usize>,
    /// The YAML between the delimiter lines.
    #[serde(skip)]
    pub yaml: Range<usize>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `ms.assetid`: the same article in every locale.
    pub asset_id: Option<AssetId>,
    /// `ms.contentlocale`.
    pub content_locale: Option<Locale>,
    /// `ms.translationtype` (`MT`, `HT`).
    pub translation_type: Option<TranslationType>,
    /// `ms.date`, as written.
    pub date: Option<String>,
    /// `ms.lasthandoff`: when the English was handed off for this translation.
    pub last_handoff: Option<String>,
    /// `ms.locfileid`: the file's id in the localization system.
    pub loc_file_id: Option<String>,
    /// `ms.openlocfilehash`, as written.
    pub open_loc_file_hash: Option<String>,
    /// `ms.sourcegitcommit`: the English repository's commit.
    pub source_git_commit: Option<String>,
    /// `ms.custom`, as a list.
    pub custom: Vec<String>,
    /// `search.appverid`, as a list.
    pub app_ver_id: Vec<String>,
    /// `ROBOTS`.
    pub robots: Option<String>,
    /// Every other key, in file order.
    pub other: Vec<Entry>,
}

/// A problem in the front matter, at a byte offset of the article.
pub struct FrontMatterProblem {
    /// What kind of problem.
    pub kind: DiagnosticKind,
    /// Where, in bytes of the article.
    pub offset: usize,
    /// What was found and what was expected.
    pub message: String,
}

/// Where the front matter block is: `(block, yaml)` byte ranges, or why there is none.
pub(crate) enum Delimited {
    Block {
        range: Range<usize>,
        yaml: Range<usize>,
    },
    None,
    Unclosed,
}

/// Finds a `---` front matter block at the very start of `text` (after a BOM).
pub(crate) fn delimit(text: &str) -> Delimited {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let Some(first_end) = line_end(text, start) else {
        return Delimited::None;
    };
    if text[start..first_end].trim_end() != "---" {
        return Delimited::None;
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let end = line_end(text, line_start).unwrap_or(text.len());
        let line = text[line_start..end].trim_end();
        if line == "---" || line == "..." {
            return Delimited::Block {
                range: start..(end + 1).min(text.len()),
                yaml: yaml_start..line_start,
            };
        }
        line_start = end + 1;
    }
    Delimited::Unclosed
}

fn line_end(text: &str, from: usize) -> Option<usize> {
    if from >= text.len() {
        return None;
    }
    Some(memchr::memchr(b'\n', &text.as_bytes()[from..]).map_or(text.len(), |i| from + i))
}

impl FrontMatter {
    /// Reads the YAML of a delimited block. `text` is the whole article.
    pub(crate) fn parse(
        text: &str,
        range: Range<usize>,
        yaml: Range<usize>,
        problems: &mut Vec<FrontMatterProblem>,
    ) -> FrontMatter {
        let mut fm = FrontMatter {
            range,
            yaml: yaml.clone(),
            ..FrontMatter::default()
        };
        let source = &text[yaml.clone()];
        if let Some(entries) = parse_simple(source, yaml.start) {
            for entry in entries {
                fm.take(entry, problems);
            }
            return fm;
        }
        let options = serde_saphyr::options! {
            duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
            strict_booleans: true,
        };
        let entries = match serde_saphyr::from_str_with_options::<Entries>(source, options) {
            Ok(entries) => entries.0,
            Err(err) => {
                let offset = yaml.start
                    + err.location().map_or(0, |l| {
                        l.span()
                            .byte_offset()
                            .map(|o| o as usize)
                            .unwrap_or_else(|| offset_of(source, l.line(), l.column()))
                    });
                let kind = if source.trim().is_empty() {
                    return fm;
                } else if first_line_is_mapping(source) {
                    DiagnosticKind::FrontMatterYaml
                } else {
                    DiagnosticKind::FrontMatterShape
                };
                problems.push(FrontMatterProblem {
                    kind,
                    offset,
                    message: format!(
                        "front matter is not a YAML mapping ({}); its fields are unknown",
                        yaml_reason(&err.to_string())
                    ),
                });
                return fm;
            }
        };
        for (key, spanned) in entries {
            let value_offset = spanned
                .referenced
                .span()
                .byte_offset()
                .map_or(yaml.start, |o| yaml.start + o as usize)
                .min(yaml.end);
            let value_len = spanned.referenced.span().byte_len().unwrap_or(0) as usize;
            let value_range = value_offset..(value_offset + value_len).min(yaml.end);
            fm.take(
                Entry {
                    key,
                    value: spanned.value,
                    value_range,
                },
                problems,
            );
        }
        fm
    }

    /// Files one entry under its typed field, or under `other`.
    fn take(&mut self, entry: Entry, problems: &mut Vec<FrontMatterProblem>) {
        let at = entry.value_range.start;
        let mut bad = |what: &str| {
            problems.push(FrontMatterProblem {
                kind: DiagnosticKind::InvalidValue,
                offset: at,
                message: format!(
                    "`{}` should be {what}, found {}; kept as an untyped key",
                    entry.key,
                    entry.value.shape()
                ),
            });
        };
        let scalar = entry.value.as_scalar_text();
        let slot = match entry.key.as_str() {
            "title" => Some(&mut self.title),
            "description" => Some(&mut self.description),
            "ms.date" => Some(&mut self.date),
            "ms.lasthandoff" => Some(&mut self.last_handoff),
            "ms.locfileid" => Some(&mut self.loc_file_id),
            "ms.openlocfilehash" => Some(&mut self.open_loc_file_hash),
            "ms.sourcegitcommit" => Some(&mut self.source_git_commit),
            "ROBOTS" => Some(&mut self.robots),
            _ => None,
        };
        if let Some(slot) = slot {
            match scalar {
                Some(s) if slot.is_none() => *slot = Some(s),
                _ if entry.value == YamlValue::Null => {}
                Some(_) => self.other.push(entry),
                None => {
                    bad("text");
                    self.other.push(entry);
                }
            }
            return;
        }
        match entry.key.as_str() {
            "ms.assetid" => match scalar.as_deref().map(str::parse::<AssetId>) {
                Some(Ok(id)) if self.asset_id.is_none() => self.asset_id = Some(id),
                _ => {
                    let found = match &entry.value {
                        YamlValue::String(s) if s.trim().is_empty() => "an empty value".to_owned(),
                        YamlValue::String(s) => format!("`{s}`"),
                        v => v.shape().to_owned(),
                    };
                    problems.push(FrontMatterProblem {
                        kind: DiagnosticKind::InvalidAssetId,
                        offset: at,
                        message: format!("`ms.assetid` should be a GUID, found {found}; the article has no asset id"),
                    });
                    self.other.push(entry);
                }
            },
            "ms.contentlocale" => {
                match scalar.as_deref().map(str::parse::<Locale>) {
                    Some(Ok(locale)) if self.content_locale.is_none() => {
                        self.content_locale = Some(locale)
                    }
                    _ => {
                        problems.push(FrontMatterProblem {
                        kind: DiagnosticKind::InvalidLocale,
                        offset: at,
                        message: format!("`ms.contentlocale` should be a language tag such as nb-NO, found {}", scalar.as_deref().map_or_else(|| entry.value.shape().to_owned(), |s| format!("`{s}`"))),
                    });
                        self.other.push(entry);
                    }
                }
            }
            "ms.translationtype" => match scalar {
                Some(s) if self.translation_type.is_none() => {
                    self.translation_type = Some(TranslationType::parse(&s))
                }
                _ => {
                    bad("MT or HT");
                    self.other.push(entry);
                }
            },
            "ms.custom" | "search.appverid" => {
                let list = if entry.key == "ms.custom" {
                    &mut self.custom
                } else {
                    &mut self.app_ver_id
                };
                match entry.value.as_text_list() {
                    Some(items) if list.is_empty() => *list = items,
                    _ => {
                        bad("text or a list of text");
                        self.other.push(entry);
                    }
                }
            }
            _ => self.other.push(entry),
        }
    }
}

/// The reason of a serde-saphyr error without its own `error: line L column C:` prefix
/// (the diagnostic carries the position in the article).
fn yaml_reason(message: &str) -> &str {
    let first = message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim();
    let rest = first.strip_prefix("error:").unwrap_or(first).trim_start();
    match rest.strip_prefix("line ") {
        Some(after) => after.split_once(": ").map_or(rest, |(_, reason)| reason),
        None => rest,
    }
}

/// Byte offset of a 1-based line and character column in `text`.
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(rest.len(), |(i, _)| i)
}

/// Whether the YAML looks like it meant to be a mapping (so a failure is a syntax error,
/// not prose in the front matter).
fn first_line_is_mapping(source: &str) -> bool {
    source
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .is_some_and(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| !k.trim().is_empty() && !k.contains(' '))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (FrontMatter, Vec<FrontMatterProblem>) {
        let Delimited::Block { range, yaml } = delimit(text) else {
            panic!("no front matter")
        };
        let mut problems = Vec::new();
        (
            FrontMatter::parse(text, range, yaml, &mut problems),
            problems,
        )
    }

    #[test]
    fn typed_fields_and_other_keys_in_order() {
        let text = "---\ntitle: Hei\nms.assetid: 7aa9628f-c551-4d73-b966-29f47c2b3f43\nms.custom:\n- \"579\"\n- 1300006\nzeta: 1\nalpha: no\nms.contentlocale: nb-NO\nms.translationtype: MT\nms.locfileid: \"45387886\"\n---\nbody";
        let (fm, problems) = parse(text);
        assert!(problems.is_empty());
        assert_eq!(fm.title.as_deref(), Some("Hei"));
        assert_eq!(
            fm.asset_id.unwrap().to_string(),
            "7aa9628f-c551-4d73-b966-29f47c2b3f43"
        );
        assert_eq!(fm.custom, vec!["579", "1300006"]);
        assert_eq!(fm.content_locale.unwrap().to_string(), "nb-NO");
        assert_eq!(fm.translation_type, Some(TranslationType::Machine));
        assert_eq!(fm.loc_file_id.as_deref(), Some("45387886"));
        let other: Vec<_> = fm
            .other
            .iter()
            .map(|e| (e.key.as_str(), &e.value))
            .collect();
        // `no` stays text: strict booleans.
        assert_eq!(
            other,
            vec![
                ("zeta", &YamlValue::Int(1)),
                ("alpha", &YamlValue::String("no".into()))
            ]
        );
        assert_eq!(&text[fm.range.clone()], &text[..text.len() - 4]);
    }

    #[test]
    fn bad_asset_ids_are_diagnosed_and_kept() {
        for value in [
            "''",
            "\n- \"9001733\"\n- \"4401\"",
            "(guid of old soc version if any)",
            "",
        ] {
            let text = format!("---\nms.assetid: {value}\n---\n");
            let (fm, problems) = parse(&text);
            assert!(fm.asset_id.is_none());
            assert_eq!(problems.len(), 1, "{value}");
            assert_eq!(problems[0].kind, DiagnosticKind::InvalidAssetId);
            assert_eq!(fm.other[0].key, "ms.assetid");
        }
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let text = "---\ntitle: a\n  bad: [\n---\n";
        let (_, problems) = parse(text);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, DiagnosticKind::FrontMatterYaml);
        assert!(problems[0].offset >= 4, "{}", problems[0].offset);
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let (fm, problems) = parse("---\ntitle: a\ntitle: b\n---\n");
        assert!(problems.is_empty());
        assert_eq!(fm.title.as_deref(), Some("a"));
        assert_eq!(fm.other[0].value, YamlValue::String("b".into()));
    }

    #[test]
    fn simple_subset_agrees_with_the_full_parser() {
        let cases = [
            "title: Slik kontrollerer du\nms.date: 04/21/2020\nms.custom:\n- \"579\"\n- 1300006\n",
            "a: ''\nb:\nc: 'x y'\nd: -12\ne: no\nf: TRUE\ng: ~\nh: 2020-04-21\ni: 1:1 samtaleopptak\n",
            "search.appverid:\n  - MET150\n  - MOE150\nROBOTS: NOINDEX, NOFOLLOW\n",
        ];
        for case in cases {
            let simple: Vec<_> = parse_simple(case, 0)
                .expect(case)
                .into_iter()
                .map(|e| (e.key, e.value))
                .collect();
            assert_eq!(Some(simple), parse_full(case), "{case}");
        }
    }

    #[test]
    fn simple_subset_defers_what_it_does_not_know() {
        for case in [
            "a: 1.5\n",
            "a: 0x1F\n",
            "a: 012\n",
            "a: \"x\\ny\"\n",
            "a: x # c\n",
            "# c\na: 1\n",
            "a:\n  b: 1\n",
            "a: [1, 2]\n",
            "a: |\n  x\n",
            "a: x\n  y\n",
            "- a\n",
            "a: 'it''s'\n",
            "a: 1e3\n",
            "a: .inf\n",
            "a: &x 1\n",
            "a b: 1\n",
        ] {
            assert!(parse_simple(case, 0).is_none(), "{case}");
        }
    }

    #[test]
    fn delimiters() {
        assert!(matches!(delimit("# no"), Delimited::None));
        assert!(matches!(delimit("---\ntitle: x\n"), Delimited::Unclosed));
        assert!(matches!(delimit("---\n---\n"), Delimited::Block { .. }));
        assert!(matches!(delimit("----\n---\n"), Delimited::None));
    }
}
