//! `remedy import`: a translator's XLIFF or PO back into the span articles.
//!
//! Only the target text of spans whose translation changed is replaced; every other byte
//! of every file stays. A unit is refused, and said why, when its article or segment is
//! gone, when the article's English is no longer the unit's English, when it is still
//! marked fuzzy, or when its new text would break the span pair. Each changed article is
//! parsed again before it is written, and written in one step.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::segment_ids;
use crate::article::Article;
use crate::content::{display_path, load_article, write_atomic};

/// A file that could not be read as XLIFF 2.0 or PO; the message names file, line and
/// column.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("{}: {source}", display_path(path))]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not XLIFF 2.0 or PO as remedy exports them.
    #[error("{}:{line}:{column}: {message}", display_path(path))]
    Syntax {
        /// The file.
        path: PathBuf,
        /// From 1.
        line: u32,
        /// From 1, in characters.
        column: u32,
        /// What was expected.
        message: String,
    },
}

/// A unit as a translator's file holds it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Line in the imported file.
    pub line: u32,
    /// The article's path from the content root, as the file names it.
    pub path: String,
    /// The segment id.
    pub id: String,
    /// The English the unit was translated from.
    pub source: String,
    /// The translation; `None` when the file has none (an empty `msgstr`, no `<target>`).
    pub target: Option<String>,
    /// The translator marked it fuzzy (PO `#, fuzzy`): not applied.
    pub fuzzy: bool,
    /// The export said another locale has newer English for it (an XLIFF `remedy:drift`
    /// note; in PO the msgid is that English, which the article does not hold).
    pub drifted: bool,
    /// Why the unit cannot be used as read (inline markup elements).
    pub unusable: Option<String>,
}

/// The units of an XLIFF 2.0 or PO file's text (told apart by its first bytes); `path`
/// names it in errors.
pub fn read_translations(path: &Path, text: &str) -> Result<Vec<Incoming>, ImportError> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('<') {
        read_xliff(path, text)
    } else {
        read_po(path, text)
    }
}

/// A unit that was not applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    /// `file:line` in the imported file.
    pub at: String,
    /// The article the unit names.
    pub path: String,
    /// The unit's segment id.
    pub id: String,
    /// Why it was not applied.
    pub reason: String,
}

/// One article the import changes (or would, with `--dry-run`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed {
    /// The article's path from the content root.
    pub path: String,
    /// The ids of the units applied.
    pub units: Vec<String>,
    /// A unified diff of the article.
    pub diff: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Units read from the file.
    pub read: usize,
    /// Units whose translation is what the article already says.
    pub unchanged: usize,
    /// The articles changed, with their units and diffs.
    pub changed: Vec<Changed>,
    /// The units not applied, each with why.
    pub refused: Vec<Refusal>,
    /// Whether the changes were written (not with `--dry-run`).
    pub written: bool,
}

/// Imports `file` (XLIFF 2.0 or PO, told by its first bytes) into the articles under
/// `content`; with `dry_run` nothing is written.
pub fn import(file: &Path, content: &Path, dry_run: bool) -> Result<ImportReport, ImportError> {
    let bytes = std::fs::read(file).map_err(|source| ImportError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let text = crate::content::decode(file, bytes).map_err(|e| match e {
        crate::content::LoadError::NotUtf8 {
            path,
            position,
            byte,
        } => ImportError::Syntax {
            path,
            line: position.line,
            column: position.column,
            message: format!("not UTF-8 text (invalid byte 0x{byte:02x})"),
        },
        other => ImportError::Io {
            path: file.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    let units = read_translations(file, &text)?;
    let name = display_path(file);
    let mut report = ImportReport {
        read: units.len(),
        written: !dry_run,
        ..ImportReport::default()
    };
    let mut by_path: BTreeMap<String, Vec<Incoming>> = BTreeMap::new();
    for u in units {
        by_path.entry(u.path.clone()).or_default().push(u);
    }
    for (path, units) in by_path {
        apply(&name, content, &path, units, dry_run, &mut report)?;
    }
    Ok(report)
}

fn refuse(report: &mut ImportReport, name: &str, u: &Incoming, reason: impl Into<String>) {
    report.refused.push(Refusal {
        at: format!("{name}:{}", u.line),
        path: u.path.clone(),
        id: u.id.clone(),
        reason: reason.into(),
    });
}

/// A path from the imported file as a path below the content root, if it is one: relative,
/// no `..`, a `.md` file, and no symbolic link on the way (the export does not follow them
/// either, and a link would lead the write outside the content).
fn safe_relative(content: &Path, path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.extension().is_some_and(|e| e == "md")
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if !ok {
        return None;
    }
    let mut at = content.to_path_buf();
    for c in p.components() {
        at.push(c);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return None;
        }
    }
    Some(p.to_path_buf())
}

/// Markup in a new target that would spill out of its span: a code span left open runs
/// through the span tags into the hidden English; a `|` more than the English has splits a
/// table cell (GFM drops the cells a row has beyond its header's).
fn breaks_markup(source: &str, target: &str) -> Option<String> {
    let ticks = |s: &str| s.matches('`').count() % 2;
    if ticks(target) != ticks(source) {
        return Some("the new text leaves a code span (`) open".into());
    }
    // Every `|` of the fragment counts (a row's outer pipes, which `check` discounts, are
    // not in a cell's text).
    let pipes = |s: &str| s.replace("\\|", "").matches('|').count();
    if pipes(target) > pipes(source) {
        return Some(
            "the new text has a | the English does not: it would split a table cell".into(),
        );
    }
    None
}

fn breaks_span(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "<span",
        "</span",
        "data-ttu-id",
        "data-stu-id",
        "sxs-lookup",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// Applies one article's units: each is judged, the accepted ones spliced into the
/// article's text, which is verified and written (not with `dry_run`).
fn apply(
    name: &str,
    content: &Path,
    path: &str,
    units: Vec<Incoming>,
    dry_run: bool,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let (rel, article) = match open_article(content, path) {
        Ok(found) => found,
        Err(why) => {
            for u in &units {
                refuse(report, name, u, why.clone());
            }
            return Ok(());
        }
    };
    let ids: HashMap<String, usize> = segment_ids(&article)
        .into_iter()
        .enumerate()
        .filter_map(|(i, id)| Some((id?, i)))
        .collect();
    let mut replacements: Vec<(usize, String, &Incoming)> = Vec::new();
    let mut taken: HashMap<usize, &str> = HashMap::new();
    for u in &units {
        match judge(&article, &ids, &taken, u) {
            Verdict::Unchanged => report.unchanged += 1,
            Verdict::Refused(why) => refuse(report, name, u, why),
            Verdict::Replace(i, target) => {
                taken.insert(i, target);
                replacements.push((i, target.to_owned(), u));
            }
        }
    }
    if replacements.is_empty() {
        return Ok(());
    }
    replacements.sort_by_key(|(i, _, _)| article.segments()[*i].target.start);
    let original = article.original();
    let text = spliced(&article, &replacements);
    if let Err(why) = verify(&article, &text, &replacements) {
        for (_, _, u) in &replacements {
            refuse(
                report,
                name,
                u,
                format!("the article would not read the same with the new text: {why}"),
            );
        }
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(original, &text)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !dry_run {
        let full = content.join(&rel);
        write_atomic(&full, text.as_bytes())
            .map_err(|source| ImportError::Io { path: full, source })?;
    }
    report.changed.push(Changed {
        path: path.to_owned(),
        units: replacements.iter().map(|(_, _, u)| u.id.clone()).collect(),
        diff,
    });
    Ok(())
}

/// The article a unit's path names, with its path below `content`; or why every unit
/// for it is refused.
fn open_article(content: &Path, path: &str) -> Result<(PathBuf, Article), String> {
    let Some(rel) = safe_relative(content, path) else {
        return Err(
            "not the path of an article below the content folder (or a symbolic link)".into(),
        );
    };
    match load_article(content, &rel) {
        Ok(article) => Ok((rel, article)),
        Err(e) => Err(format!("the article cannot be read: {e}")),
    }
}

/// What becomes of one unit.
enum Verdict<'u> {
    /// The unit has no new text, or the article (or an earlier unit) already says it.
    Unchanged,
    /// Not applied, and why.
    Refused(String),
    /// Segment `.0` takes the text `.1`.
    Replace(usize, &'u str),
}

/// Judges a unit against the article and the segments earlier units took.
fn judge<'u>(
    article: &Article,
    ids: &HashMap<String, usize>,
    taken: &HashMap<usize, &str>,
    u: &'u Incoming,
) -> Verdict<'u> {
    let refused = |why: &str| Verdict::Refused(why.to_owned());
    if let Some(why) = &u.unusable {
        return Verdict::Refused(why.clone());
    }
    let Some(&i) = ids.get(&u.id) else {
        return refused("the article has no segment with this id");
    };
    let segment = &article.segments()[i];
    let Some(target) = &u.target else {
        return Verdict::Unchanged;
    };
    if target == article.target_of(segment) {
        return Verdict::Unchanged;
    }
    if let Some(first) = taken.get(&i) {
        return if *first == target.as_str() {
            Verdict::Unchanged
        } else {
            refused("another unit of this file changes the same segment differently")
        };
    }
    if u.fuzzy {
        return refused("still marked fuzzy: review it and remove the flag to import it");
    }
    if article.source_of(segment) != Some(u.source.as_str()) {
        return refused("the article's English for this segment is no longer the unit's English");
    }
    if u.drifted {
        return refused(
            "another locale has newer English for this segment (remedy:drift): update the article's English first",
        );
    }
    if breaks_span(target) {
        return refused("the new text holds span markup and would break the span pair");
    }
    if let Some(why) = breaks_markup(article.source_of(segment).unwrap_or_default(), target) {
        return Verdict::Refused(why);
    }
    Verdict::Replace(i, target)
}

/// The article's text with the replacements (sorted by position) in place of their
/// segments' targets.
fn spliced(article: &Article, replacements: &[(usize, String, &Incoming)]) -> String {
    let original = article.original();
    let mut text = String::with_capacity(original.len());
    let mut at = 0;
    for (i, new, _) in replacements {
        let r = &article.segments()[*i].target;
        text.push_str(&original[at..r.start]);
        text.push_str(new);
        at = r.end;
    }
    text.push_str(&original[at..]);
    text
}

/// The new text, parsed, has the same segments with the same English, the new targets
/// where they were replaced and the old ones elsewhere, and no new problems.
fn verify(
    before: &Article,
    text: &str,
    replacements: &[(usize, String, &Incoming)],
) -> Result<(), String> {
    let after = Article::parse(before.path(), text.to_owned());
    if after.segments().len() != before.segments().len() {
        return Err(format!(
            "{} segments instead of {}",
            after.segments().len(),
            before.segments().len()
        ));
    }
    if after.diagnostics().len() > before.diagnostics().len() {
        let new = after
            .diagnostics()
            .iter()
            .find(|d| !before.diagnostics().iter().any(|b| b.message == d.message))
            .map_or_else(|| "a new problem".to_owned(), |d| d.message.clone());
        return Err(new);
    }
    let kinds = |a: &Article| {
        a.blocks()
            .iter()
            .map(|b| b.kind.clone())
            .collect::<Vec<_>>()
    };
    if kinds(&after) != kinds(before) {
        return Err(
            "its Markdown blocks would change (a blank line or a block marker in the new text?)"
                .into(),
        );
    }
    let replaced: HashMap<usize, &str> = replacements
        .iter()
        .map(|(i, t, _)| (*i, t.as_str()))
        .collect();
    for (i, (a, b)) in before.segments().iter().zip(after.segments()).enumerate() {
        let expected = replaced
            .get(&i)
            .copied()
            .unwrap_or_else(|| before.target_of(a));
        if a.key != b.key
            || before.source_of(a) != after.source_of(b)
            || after.target_of(b) != expected
        {
            return Err(format!("segment {} would read differently", a.key));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// XLIFF 2.0

const XLIFF_NS: &str = "urn:oasis:names:tc:xliff:document:2.0";

fn read_xliff(file: &Path, text: &str) -> Result<Vec<Incoming>, ImportError> {
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        let p = e.pos();
        ImportError::Syntax {
            path: file.to_path_buf(),
            line: p.row,
            column: p.col,
            message: format!("not well-formed XML: {e}"),
        }
    })?;
    let at = |node: roxmltree::Node, message: String| {
        let p = doc.text_pos_at(node.range().start);
        ImportError::Syntax {
            path: file.to_path_buf(),
            line: p.row,
            column: p.col,
            message,
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "xliff" || root.tag_name().namespace() != Some(XLIFF_NS) {
        return Err(at(
            root,
            format!("expected an XLIFF 2.0 document (<xliff xmlns=\"{XLIFF_NS}\">)"),
        ));
    }
    if root.attribute("version") != Some("2.0") {
        return Err(at(root, "expected XLIFF version=\"2.0\"".into()));
    }
    let mut out = Vec::new();
    for f in root
        .children()
        .filter(|n| n.has_tag_name((XLIFF_NS, "file")))
    {
        let Some(original) = f.attribute("original") else {
            return Err(at(
                f,
                "a <file> without original=\"…\" (the article's path)".into(),
            ));
        };
        for unit in f
            .descendants()
            .filter(|n| n.has_tag_name((XLIFF_NS, "unit")))
        {
            let incoming = xliff_unit(unit, original).map_err(|m| at(unit, m.into()))?;
            out.push(Incoming {
                line: doc.text_pos_at(unit.range().start).row,
                ..incoming
            });
        }
    }
    Ok(out)
}

/// One `<unit>` of the file of the article `original` (its line left 0): the texts of its
/// segments (and ignorables) joined; or what it lacks.
fn xliff_unit(unit: roxmltree::Node, original: &str) -> Result<Incoming, &'static str> {
    let Some(id) = unit.attribute("id") else {
        return Err("a <unit> without id=\"…\"");
    };
    let mut source = String::new();
    let mut target = String::new();
    let mut has_target = false;
    let mut unusable = None;
    let segments: Vec<_> = unit
        .children()
        .filter(|n| {
            n.has_tag_name((XLIFF_NS, "segment")) || n.has_tag_name((XLIFF_NS, "ignorable"))
        })
        .collect();
    if segments.is_empty() {
        return Err("a <unit> without <segment>");
    }
    for seg in segments {
        let s_text = xliff_text(seg, "source", &mut unusable).unwrap_or_default();
        match xliff_text(seg, "target", &mut unusable) {
            Some(t) if !t.is_empty() => {
                has_target = true;
                target.push_str(&t);
            }
            // A part without a target keeps its source (XLIFF 2.0, 4.2.2.2).
            _ => target.push_str(&s_text),
        }
        source.push_str(&s_text);
    }
    let drifted = unit.descendants().any(|n| {
        n.has_tag_name((XLIFF_NS, "note")) && n.attribute("category") == Some("remedy:drift")
    });
    Ok(Incoming {
        line: 0,
        path: original.to_owned(),
        id: id.to_owned(),
        source,
        target: has_target.then_some(target),
        fuzzy: false,
        drifted,
        unusable,
    })
}

/// The text of a segment's `<source>` or `<target>` (`name`), if it has one; what makes
/// the unit unusable (inline elements, `order`) goes to `unusable`.
fn xliff_text(seg: roxmltree::Node, name: &str, unusable: &mut Option<String>) -> Option<String> {
    let part = seg.children().find(|n| n.has_tag_name((XLIFF_NS, name)))?;
    if part.attribute("order").is_some() {
        *unusable =
            Some("a target with order=\"…\": remedy reads segments in document order".into());
    }
    let mut text = String::new();
    for c in part.children() {
        if c.is_text() {
            text.push_str(c.text().unwrap_or_default());
        } else if c.is_element() {
            *unusable = Some(format!(
                "inline <{}> in the unit: remedy exports segments as plain text and reads them back as such",
                c.tag_name().name()
            ));
        }
    }
    Some(text)
}

// ---------------------------------------------------------------------------------------
// PO

#[derive(Default)]
struct PoEntry {
    line: u32,
    msgctxt: Option<String>,
    msgid: Option<String>,
    msgstr: Option<String>,
    fuzzy: bool,
    obsolete: bool,
}

fn read_po(file: &Path, text: &str) -> Result<Vec<Incoming>, ImportError> {
    let err = |line: usize, column: usize, message: String| ImportError::Syntax {
        path: file.to_path_buf(),
        line: line as u32 + 1,
        column: column as u32 + 1,
        message,
    };
    let mut reader = PoReader::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches(['\r', ' ', '\t']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            reader.finish();
            reader.field = None;
        } else if let Some(rest) = trimmed.strip_prefix('#') {
            reader.comment(n, rest);
        } else if trimmed.starts_with('"') {
            reader
                .continuation(trimmed)
                .map_err(|(c, m)| err(n, indent + c, m))?;
        } else {
            reader
                .keyword(n, trimmed)
                .map_err(|(c, m)| err(n, indent + c, m))?;
        }
    }
    reader.finish();
    po_units(reader.entries).map_err(|(line, m)| err(line as usize - 1, 0, m))
}

/// Reads a PO file line by line into entries.
#[derive(Default)]
struct PoReader {
    entries: Vec<PoEntry>,
    current: PoEntry,
    /// The field the last string went into, for continuation lines.
    field: Option<&'static str>,
    /// Whether the current entry has begun (a comment or a keyword).
    started: bool,
}

impl PoReader {
    /// Ends the current entry, if one has begun.
    fn finish(&mut self) {
        if self.started {
            self.entries.push(std::mem::take(&mut self.current));
        }
        self.started = false;
    }

    /// Begins an entry at line `n` (0-based) unless one has begun.
    fn start(&mut self, n: usize) {
        if !self.started {
            self.current.line = n as u32 + 1;
        }
        self.started = true;
    }

    /// A `#` line (`rest` follows the `#`): flags (`#,`) and obsolete entries (`#~`).
    fn comment(&mut self, n: usize, rest: &str) {
        if self.field.is_some() && self.current.msgstr.is_some() {
            // A comment after msgstr starts the next entry.
            self.finish();
            self.field = None;
        }
        self.start(n);
        if let Some(flags) = rest.strip_prefix(',') {
            if flags.split(',').any(|f| f.trim() == "fuzzy") {
                self.current.fuzzy = true;
            }
        } else if rest.starts_with('~') {
            self.current.obsolete = true;
        }
    }

    /// A line that is only a string, continuing the last field. Errors carry the column
    /// (0-based) within the trimmed line.
    fn continuation(&mut self, trimmed: &str) -> Result<(), (usize, String)> {
        let Some(f) = self.field else {
            return Err((
                0,
                "a string continues nothing (expected msgctxt, msgid or msgstr before it)".into(),
            ));
        };
        let s = po_string(trimmed)?;
        if let Some(slot) = self.slot(f) {
            slot.get_or_insert_with(String::new).push_str(&s);
        }
        Ok(())
    }

    /// A keyword line (`msgid "…"`). Errors carry the column (0-based) within the trimmed
    /// line.
    fn keyword(&mut self, n: usize, trimmed: &str) -> Result<(), (usize, String)> {
        let (keyword, rest) = trimmed
            .split_once(|c: char| c.is_whitespace())
            .ok_or_else(|| {
                (
                    0,
                    format!("expected a keyword and a string, found {trimmed:?}"),
                )
            })?;
        let k: &'static str = match keyword {
            "msgctxt" => "msgctxt",
            "msgid" => "msgid",
            "msgstr" => "msgstr",
            "msgid_plural" => "msgid_plural",
            k if k.starts_with("msgstr[") => "msgstr[]",
            other => {
                return Err((
                    0,
                    format!("expected msgctxt, msgid or msgstr, found {other:?}"),
                ));
            }
        };
        if (k == "msgctxt" || k == "msgid") && self.current.msgstr.is_some() {
            self.finish();
        }
        self.start(n);
        let column = keyword.len() + (rest.len() - rest.trim_start().len()) + 1;
        let s = po_string(rest.trim()).map_err(|(c, m)| (column + c, m))?;
        if let Some(slot) = self.slot(k) {
            *slot = Some(s);
        }
        self.field = Some(k);
        Ok(())
    }

    /// Where a field's text goes; `None` for msgid_plural and msgstr[n] (read, not used).
    fn slot(&mut self, field: &str) -> Option<&mut Option<String>> {
        match field {
            "msgctxt" => Some(&mut self.current.msgctxt),
            "msgid" => Some(&mut self.current.msgid),
            "msgstr" => Some(&mut self.current.msgstr),
            _ => None,
        }
    }
}

/// The units of a PO file's entries, skipping the header and obsolete entries. An error
/// carries the entry's line (1-based).
fn po_units(entries: Vec<PoEntry>) -> Result<Vec<Incoming>, (u32, String)> {
    let mut out = Vec::new();
    for e in entries {
        if e.obsolete || e.msgid.as_deref().is_none_or(str::is_empty) {
            continue; // obsolete entries and the header
        }
        let Some(ctxt) = e.msgctxt else {
            return Err((
                e.line,
                "an entry without msgctxt (remedy's PO names each unit path#id there)".into(),
            ));
        };
        let Some((path, id)) = ctxt.rsplit_once('#') else {
            return Err((e.line, format!("msgctxt {ctxt:?} is not path#id")));
        };
        out.push(Incoming {
            line: e.line,
            path: path.to_owned(),
            id: id.to_owned(),
            source: e.msgid.unwrap_or_default(),
            // An empty msgstr is untranslated in gettext: no target.
            target: e.msgstr.filter(|s| !s.is_empty()),
            fuzzy: e.fuzzy,
            // The PO msgid of a drifted unit is the newer English: the English check
            // refuses it.
            drifted: false,
            unusable: None,
        });
    }
    Ok(out)
}

/// A quoted PO string, unescaped; on error, the column in `s` and what was expected.
/// Octal and hex escapes are bytes, as in C: `\303\251` is `é`.
fn po_string(s: &str) -> Result<String, (usize, String)> {
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|_| s.len() >= 2)
        .ok_or((
            0,
            format!("expected a string in double quotes, found {s:?}"),
        ))?;
    let mut out: Vec<u8> = Vec::with_capacity(inner.len());
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            return Err((i + 1, "an unescaped \" inside a string".into()));
        }
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&e) = bytes.get(i + 1) else {
            return Err((i + 1, "a string ends with a lone backslash".into()));
        };
        i += 2;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'v' => out.push(11),
            b'f' => out.push(12),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match bytes.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let digits: Vec<u8> = bytes[i..]
                    .iter()
                    .take(2)
                    .take_while(|d| d.is_ascii_hexdigit())
                    .copied()
                    .collect();
                if digits.is_empty() {
                    return Err((i, "\\x without hex digits".into()));
                }
                i += digits.len();
                let hex = std::str::from_utf8(&digits).unwrap_or("0");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
            }
            other => {
                return Err((i - 1, format!("unknown escape \\{}", other as char)));
            }
        }
    }
    String::from_utf8(out).map_err(|_| (0, "the escapes of this string are not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn po_strings_unescape_as_gettext_writes_them() {
        assert_eq!(
            po_string(r#""a\"b\\c\nd\te\101""#).unwrap(),
            "a\"b\\c\nd\teA"
        );
        assert_eq!(po_string(r#""x\q""#).unwrap_err().1, "unknown escape \\q");
        assert!(po_string("nope").is_err());
    }

    #[test]
    fn po_entries_with_continuations_flags_and_obsolete_ones() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: nb\\n\"\n\n#, fuzzy\n#| msgid \"Old\"\nmsgctxt \"nb-NO/a.md#102\"\nmsgid \"\"\n\"Hello \"\n\"world\"\nmsgstr \"Hei \"\n\"verden\"\n\n#~ msgctxt \"nb-NO/a.md#9\"\n#~ msgid \"x\"\n#~ msgstr \"y\"\n\nmsgctxt \"nb-NO/b c.md#p101.2\"\nmsgid \"Yes\"\nmsgstr \"\"\n";
        let units = read_po(Path::new("t.po"), po).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(
            (
                units[0].path.as_str(),
                units[0].id.as_str(),
                units[0].source.as_str()
            ),
            ("nb-NO/a.md", "102", "Hello world")
        );
        assert_eq!(units[0].target.as_deref(), Some("Hei verden"));
        assert!(units[0].fuzzy);
        assert_eq!(units[0].line, 5);
        assert_eq!(units[1].id, "p101.2");
        assert_eq!(units[1].target, None);
    }

    #[test]
    fn broken_po_names_line_and_column() {
        let e = read_po(
            Path::new("t.po"),
            "msgctxt \"a.md#1\"\nmsgid \"x\nmsgstr \"y\"\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "t.po:2:7: expected a string in double quotes, found \"\\\"x\""
        );
        let e = read_po(Path::new("t.po"), "msgid \"a\"\nmsgstr \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.po:1:1: an entry without msgctxt"), "{e}");
    }

    #[test]
    fn xliff_errors_name_line_and_column() {
        let e = read_xliff(Path::new("t.xlf"), "<xliff version=\"2.0\">\n  <file a=1/>")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.xlf:2:11: not well-formed XML"), "{e}");
        let e = read_xliff(
            Path::new("t.xlf"),
            "<?xml version=\"1.0\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\"/>",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("t.xlf:2:1: expected an XLIFF 2.0 document"),
            "{e}"
        );
    }
}
