//! Troubleshooting guides: what a diagnostic tool found (read by `advise`'s readers), or a
//! named guide (`content/guides/NAME.yaml`), as a page in the reader's language — each
//! finding with its localized title and description and the remediation steps rendered
//! from the articles, with where each part comes from and what the reader should know
//! about it (machine translated, another locale, older English).
//!
//! [`Guide`] is the model; [`Guide::view`] turns it into the typed view the templates
//! `guide.html.j2` and `guide.md.j2` receive.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::advise::{
    Advice, Advisor, FileTarget, InputFormat, OBJECT_FIELDS, Observed, Passage, Severity,
    StepSource, Target, observe_findings,
};
use crate::l10n::Arg;
use crate::locale::Locale;
use crate::render::{
    Chrome, HtmlOptions, LinkTarget, Page, SCHEMES, TemplateError, Templates, Timestamp, autonym,
    content_security_policy, markdown_to_html, sanitize_markdown, slug,
};

/// How many affected objects an entry lists before "and N more".
pub const AFFECTED_SHOWN: usize = 8;

/// A guide definition that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum GuideError {
    /// The file could not be read.
    #[error("{path}: cannot read the guide definition: {source}")]
    Io {
        /// The definition file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not a guide definition.
    #[error("{path}: not a valid guide definition: {message}")]
    Definition {
        /// The definition file.
        path: String,
        /// What is wrong, with its line and column.
        message: String,
    },
}

/// A named guide: a title per locale and an ordered list of steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// The file name without `.yaml`: the guide's page name.
    pub name: String,
    /// Title by locale tag.
    pub title: BTreeMap<String, String>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step of a named guide.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A finding of the catalog, by code: its title, description and remediation.
    Finding(String),
    /// A place in an article.
    Article(Target),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDefinition {
    title: BTreeMap<String, String>,
    steps: Vec<FileStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStep {
    #[serde(default)]
    finding: Option<String>,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    segments: Vec<String>,
}

impl Definition {
    /// Reads a definition file; codes are checked against `advisor`'s catalog.
    pub fn load(path: &Path, advisor: &Advisor) -> Result<Definition, GuideError> {
        let shown = crate::content::display_path(path);
        let text = std::fs::read_to_string(path).map_err(|source| GuideError::Io {
            path: shown.clone(),
            source,
        })?;
        let name = path
            .file_stem()
            .map_or_else(|| "guide".to_owned(), |s| s.to_string_lossy().into_owned());
        Definition::parse(&shown, &name, &text, advisor)
    }

    /// Parses a definition's text; `path` names it in errors.
    pub fn parse(
        path: &str,
        name: &str,
        text: &str,
        advisor: &Advisor,
    ) -> Result<Definition, GuideError> {
        let bad = |message: String| GuideError::Definition {
            path: path.to_owned(),
            message,
        };
        let file: FileDefinition = serde_saphyr::from_str(text).map_err(|e| bad(e.to_string()))?;
        if file.title.is_empty() {
            return Err(bad("`title` needs a title for at least one locale".into()));
        }
        for tag in file.title.keys() {
            tag.parse::<Locale>()
                .map_err(|_| bad(format!("`title`: {tag:?} is not a locale tag")))?;
        }
        let mut steps = Vec::new();
        for (i, s) in file.steps.into_iter().enumerate() {
            let at = |m: &str| bad(format!("step {}: {m}", i + 1));
            match (s.finding, s.article) {
                (Some(code), None) if s.section.is_none() && s.segments.is_empty() => {
                    let finding = advisor
                        .catalog
                        .by_code(&code)
                        .ok_or_else(|| at(&format!("no finding {code:?} in the catalog")))?;
                    steps.push(Step::Finding(finding.code.clone()));
                }
                (None, Some(article)) => {
                    let target = FileTarget {
                        article,
                        section: s.section,
                        segments: s.segments,
                    }
                    .target()
                    .map_err(|m| at(&m))?;
                    steps.push(Step::Article(target));
                }
                _ => {
                    return Err(at(
                        "a step is `finding: CODE`, or `article:` with an optional `section` \
                         or `segments`",
                    ));
                }
            }
        }
        if steps.is_empty() {
            return Err(bad("`steps` is empty".into()));
        }
        Ok(Definition {
            name: name.to_owned(),
            title: file.title,
            steps,
        })
    }

    /// Every `*.yaml` of `dir` (sorted by name); a missing folder has none.
    pub fn load_dir(dir: &Path, advisor: &Advisor) -> (Vec<Definition>, Vec<GuideError>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return (Vec::new(), Vec::new());
        };
        let mut paths: Vec<_> = read
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        paths.sort();
        let mut defs = Vec::new();
        let mut errors = Vec::new();
        for p in paths {
            match Definition::load(&p, advisor) {
                Ok(d) => defs.push(d),
                Err(e) => errors.push(e),
            }
        }
        (defs, errors)
    }

    /// The title in the best locale of `chain`, else any.
    pub fn title_for(&self, chain: &[Locale]) -> String {
        chain
            .iter()
            .find_map(|l| self.title.get(&l.to_string()))
            .or_else(|| self.title.values().next())
            .cloned()
            .unwrap_or_default()
    }
}

/// One entry of a guide: a finding (with how often it was found and what it affects) or a
/// step of a named guide.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The finding's code; for an article step, its path.
    pub code: String,
    /// The finding's message (or the article's title), localized.
    pub title: String,
    /// What the finding means, localized; empty for an article step.
    pub description: String,
    /// `None` for an article step.
    pub severity: Option<Severity>,
    /// How often the input reported it; `None` in a named guide.
    pub count: Option<usize>,
    /// The objects the records name (users, servers), in the order first seen.
    pub affected: Vec<String>,
    /// The remediation: a passage per target article, in the reader's locale or a
    /// fallback.
    pub passages: Vec<Passage>,
}

/// A guide, before it is written in a format.
#[derive(Debug, Clone, Default)]
pub struct Guide {
    /// A title given by the caller or the definition; else the chrome's "Troubleshooting
    /// guide".
    pub title: Option<String>,
    /// The tool that reported the findings, and when.
    pub tool: Option<String>,
    /// When the tool ran, if the input said.
    pub time: Option<Timestamp>,
    /// Most severe first, then most frequent, then as first seen.
    pub entries: Vec<Entry>,
    /// Codes the catalog does not know, with how often each came.
    pub unknown: Vec<(String, usize)>,
    /// Findings whose values say they are not a problem.
    pub not_applicable: usize,
    /// Input that was not a finding, with where it was.
    pub unread: Vec<String>,
}

impl Guide {
    /// A guide for what a tool reported: findings read as `advise` reads them (JSON
    /// lines, a JSON array, SARIF). A repeated finding (same code and same advice) is one
    /// entry with a count.
    pub fn from_findings<R: BufRead>(
        advisor: &Advisor,
        locale: &str,
        format: InputFormat,
        input: R,
    ) -> std::io::Result<Guide> {
        let mut guide = Guide::default();
        let mut unread = Vec::new();
        // Entries by (code, title): the same finding with other values reads differently.
        let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut observe = |o: Observed<'_>| {
            if guide.tool.is_none() {
                guide.tool = o.tool.map(str::to_owned);
            }
            if guide.time.is_none() {
                guide.time = o.time.and_then(Timestamp::parse);
            }
            let Some(advice) = o.advice else {
                if o.reason.is_some() {
                    guide.not_applicable += 1;
                } else {
                    match guide.unknown.iter_mut().find(|(c, _)| c == o.code) {
                        Some((_, n)) => *n += 1,
                        None => guide.unknown.push((o.code.to_owned(), 1)),
                    }
                }
                return;
            };
            let key = (advice.code.clone(), advice.title.clone());
            let at = *index.entry(key).or_insert_with(|| {
                // The steps depend on the finding, not its values: resolved once per code.
                let entry = match guide.entries.iter().find(|e| e.code == advice.code) {
                    Some(same) => Entry {
                        passages: same.passages.clone(),
                        ..entry_without_steps(advice)
                    },
                    None => entry_of(advisor, advice, locale),
                };
                guide.entries.push(entry);
                guide.entries.len() - 1
            });
            let entry = &mut guide.entries[at];
            *entry.count.get_or_insert(0) += 1;
            for name in objects(o.record) {
                if !entry.affected.contains(&name) {
                    entry.affected.push(name);
                }
            }
        };
        observe_findings(
            advisor,
            locale,
            format,
            input,
            |m| unread.push(m),
            &mut observe,
        )?;
        guide.unread = unread;
        let rank = |e: &Entry| match e.severity {
            Some(Severity::Error) => 0,
            Some(Severity::Warning) => 1,
            Some(Severity::Note) => 2,
            None => 3,
        };
        // A stable sort keeps the order first seen among equals.
        guide
            .entries
            .sort_by_key(|e| (rank(e), std::cmp::Reverse(e.count.unwrap_or(0))));
        Ok(guide)
    }

    /// A guide for a tool's plain text output (a log): each line that matches a pattern
    /// of the catalog is a finding with the values the pattern captured, read as
    /// `remedy annotate` reads lines.
    pub fn from_log(advisor: &Advisor, locale: &str, log: &str) -> std::io::Result<Guide> {
        let mut records = String::new();
        for line in log.lines() {
            // Only a line's start is looked at, as annotate does: a megabyte line costs
            // no more than a short one.
            let mut end = line.len().min(crate::advise::MATCH_BYTES);
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            let line = &line[..end];
            if let Some((finding, params)) = advisor.catalog.match_line(line.trim_end()) {
                let params: serde_json::Map<String, serde_json::Value> = params
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::from(v)))
                    .collect();
                let record = serde_json::json!({
                    "code": finding.code,
                    "params": params,
                    "message": line.trim_end(),
                });
                records.push_str(&record.to_string());
                records.push('\n');
            }
        }
        Guide::from_findings(advisor, locale, InputFormat::Lines, records.as_bytes())
    }

    /// A named guide, its steps in the definition's order.
    pub fn from_definition(advisor: &Advisor, def: &Definition, locale: &str) -> Guide {
        let chain = advisor.messages.negotiate(locale);
        let entries = def
            .steps
            .iter()
            .filter_map(|step| match step {
                Step::Finding(code) => {
                    let finding = advisor.catalog.by_code(code)?;
                    // No values: the messages say what they would say of an unknown one.
                    let advice = advisor
                        .advise_raw(finding, &serde_json::Map::new(), locale)
                        .unwrap_or_else(|_| advisor.advise(finding, &[], locale));
                    Some(entry_of(advisor, &advice, locale))
                }
                Step::Article(target) => {
                    let passages = advisor.passages_of(std::slice::from_ref(target), locale);
                    let first = passages.first()?;
                    Some(Entry {
                        code: first.source.article.path.clone(),
                        title: first.source.article.title.clone(),
                        description: String::new(),
                        severity: None,
                        count: None,
                        affected: Vec::new(),
                        passages,
                    })
                }
            })
            .collect();
        Guide {
            title: Some(def.title_for(&chain)),
            entries,
            ..Guide::default()
        }
    }

    /// The view the guide templates receive. `link` gives the page of a part's article,
    /// when there is one (the site), so the provenance line links to it.
    pub fn view(&self, chrome: &Chrome, link: &dyn Fn(&StepSource) -> Option<String>) -> GuideView {
        let asked = chrome.locale.to_string();
        let label = chrome.text("page-english-original", &[]);
        let entries = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let id = format!("f{}-{}", i + 1, slug(&e.code));
                let parts = e
                    .passages
                    .iter()
                    .enumerate()
                    .map(|(j, p)| part_view(chrome, &asked, &label, &format!("{id}-{j}-"), p, link))
                    .collect();
                let shown = e.affected.len().min(AFFECTED_SHOWN);
                let more = e.affected.len() - shown;
                let severity = match e.severity {
                    Some(Severity::Error) => "error",
                    Some(Severity::Warning) => "warning",
                    Some(Severity::Note) => "note",
                    None => "",
                };
                EntryView {
                    id,
                    code: e.code.clone(),
                    title: e.title.clone(),
                    description: e.description.clone(),
                    severity,
                    severity_label: if severity.is_empty() {
                        String::new()
                    } else {
                        chrome.severity(severity)
                    },
                    count: e
                        .count
                        .map(|n| chrome.format.count(n as u64))
                        .unwrap_or_default(),
                    occurrences: e.count.map(|n| chrome.count("guide-occurrences", n)),
                    affected: e.affected[..shown].to_vec(),
                    more: (more > 0).then(|| chrome.count("guide-and-more", more)),
                    parts,
                }
            })
            .collect();
        let source = self.tool.as_ref().map(|tool| match &self.time {
            Some(t) => chrome.text(
                "guide-source",
                &[
                    ("tool", Arg::Text(tool.clone())),
                    ("time", Arg::Text(chrome.format.datetime(t))),
                ],
            ),
            None => chrome.text("guide-source-tool", &[("tool", Arg::Text(tool.clone()))]),
        });
        let unknown_total: usize = self.unknown.iter().map(|(_, n)| n).sum();
        GuideView {
            title: self
                .title
                .clone()
                .unwrap_or_else(|| chrome.text("guide-title", &[])),
            source,
            time_iso: self.time.map(|t| t.iso()),
            counted: self.entries.iter().any(|e| e.count.is_some()),
            entries,
            unknown: self
                .unknown
                .iter()
                .map(|(c, n)| {
                    if *n > 1 {
                        format!("{c} (×{})", chrome.format.count(*n as u64))
                    } else {
                        c.clone()
                    }
                })
                .collect(),
            unknown_label: (unknown_total > 0)
                .then(|| chrome.count("guide-unknown", unknown_total)),
            not_applicable: (self.not_applicable > 0)
                .then(|| chrome.count("guide-not-applicable", self.not_applicable)),
        }
    }
}

fn entry_of(advisor: &Advisor, advice: &Advice, locale: &str) -> Entry {
    Entry {
        passages: advisor
            .catalog
            .by_code(&advice.code)
            .map(|f| advisor.passages(f, locale))
            .unwrap_or_default(),
        ..entry_without_steps(advice)
    }
}

fn entry_without_steps(advice: &Advice) -> Entry {
    Entry {
        code: advice.code.clone(),
        title: advice.title.clone(),
        description: advice.description.clone(),
        severity: Some(advice.severity),
        count: None,
        affected: Vec::new(),
        passages: Vec::new(),
    }
}

/// The objects a record names: its own object fields, then those of its `params` or (SARIF)
/// `properties`.
fn objects(record: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut out = Vec::new();
    let nested = ["params", "properties"]
        .iter()
        .filter_map(|k| record.get(*k)?.as_object());
    for obj in std::iter::once(record).chain(nested) {
        for field in OBJECT_FIELDS {
            let text = match obj.get(field) {
                Some(serde_json::Value::String(s)) => s.trim().to_owned(),
                Some(v @ serde_json::Value::Number(_)) => v.to_string(),
                _ => continue,
            };
            if !text.is_empty() && !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

fn part_view(
    chrome: &Chrome,
    asked: &str,
    label: &str,
    id_prefix: &str,
    p: &Passage,
    link: &dyn Fn(&StepSource) -> Option<String>,
) -> PartView {
    // A guide stands alone: links to other sites stay, a fragment is this part's heading,
    // and a relative link (another article, a file) would lead nowhere.
    let links = |dest: &str, _at: usize| -> LinkTarget {
        let lower = dest.trim().to_ascii_lowercase();
        if let Some(fragment) = dest.trim().strip_prefix('#') {
            LinkTarget::Replace(format!("#{id_prefix}{fragment}"))
        } else if SCHEMES
            .iter()
            .any(|s| lower.strip_prefix(s).is_some_and(|r| r.starts_with(':')))
        {
            LinkTarget::Keep
        } else {
            LinkTarget::Drop
        }
    };
    let html = markdown_to_html(
        &p.markdown,
        &HtmlOptions {
            originals: &p.originals,
            original_label: label,
            links: Some(&links),
            id_prefix,
        },
    );
    let mut markdown = sanitize_markdown(&p.markdown);
    if !p.originals.is_empty() {
        let english: Vec<&str> = p.originals.iter().map(|o| o.english.trim()).collect();
        markdown = format!(
            "{markdown}\n\n<details lang=\"en\"><summary>{}</summary>\n\n{}\n\n</details>",
            crate::render::escape_text(label),
            sanitize_markdown(&english.join("\n\n"))
        );
    }
    let locale: Option<Locale> = p.source.locale.parse().ok();
    let language = locale
        .as_ref()
        .map_or_else(|| p.source.locale.clone(), autonym);
    let mut flags = vec![language.clone()];
    let mut notices = Vec::new();
    if p.source.locale != asked {
        notices.push(chrome.text("page-other-locale", &[("language", Arg::Text(language))]));
    }
    if p.source.machine_translated {
        flags.push(chrome.text("guide-flag-mt", &[]));
        notices.push(chrome.text("page-machine-translated", &[]));
    }
    if p.source.english_changed {
        flags.push(chrome.text("guide-flag-english-changed", &[]));
        notices.push(chrome.text("page-english-changed", &[]));
    }
    PartView {
        html,
        markdown,
        from: chrome.text(
            "guide-from",
            &[("title", Arg::Text(p.source.article.title.clone()))],
        ),
        href: link(&p.source),
        article: format!("{}{}", p.source.article.path, p.source.article.fragment()),
        flags,
        notices,
    }
}

/// A guide, as the templates receive it (`guide`).
#[derive(Debug, Clone, Serialize)]
pub struct GuideView {
    /// The guide's title, localized.
    pub title: String,
    /// "Found by TOOL on DATE.", localized; `None` when the input did not say.
    pub source: Option<String>,
    /// The tool's time, `2026-03-05T14:03Z`.
    pub time_iso: Option<String>,
    /// The entries were counted (a guide for findings, not a named guide).
    pub counted: bool,
    /// The findings or steps, in order.
    pub entries: Vec<EntryView>,
    /// Codes the catalog does not know (with `(×N)` when repeated).
    pub unknown: Vec<String>,
    /// "N findings remedy does not know:", when there are some.
    pub unknown_label: Option<String>,
    /// "N findings did not need fixing…", when there are some.
    pub not_applicable: Option<String>,
}

/// One finding (or step) of a guide.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    /// The entry's anchor on the page.
    pub id: String,
    /// The finding's code (or the article's path).
    pub code: String,
    /// The finding's message, localized.
    pub title: String,
    /// What the finding means, localized.
    pub description: String,
    /// `error`, `warning`, `note`, or empty for an article step.
    pub severity: &'static str,
    /// The severity in the reader's language.
    pub severity_label: String,
    /// How often it was found, as the locale writes numbers; empty in named guides.
    pub count: String,
    /// "found 3 times", localized.
    pub occurrences: Option<String>,
    /// The first affected objects.
    pub affected: Vec<String>,
    /// "and N more", when the list was cut.
    pub more: Option<String>,
    /// The remediation, a part per target article.
    pub parts: Vec<PartView>,
}

/// One part of an entry's remediation.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    /// The steps as sanitized HTML, the English originals in `<details>`.
    pub html: String,
    /// The steps as Markdown (raw HTML sanitized), the English originals after them.
    pub markdown: String,
    /// "From “TITLE”", localized.
    pub from: String,
    /// The article's page, when the guide is part of a site.
    pub href: Option<String>,
    /// The article's path and anchor below the locale folder.
    pub article: String,
    /// The language shown, "machine translated", "the English changed since".
    pub flags: Vec<String>,
    /// What the reader should know before following the steps.
    pub notices: Vec<String>,
}

/// A guide page, as `guide.html.j2` and `guide.md.j2` receive it.
#[derive(Debug, Clone, Serialize)]
pub struct GuidePage {
    /// The frame every page has.
    pub page: Page,
    /// The guide.
    pub guide: GuideView,
}

/// The formats a guide is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum GuideFormat {
    /// One self-contained HTML file.
    #[default]
    Html,
    /// CommonMark (GitHub and GitLab render it).
    Md,
}

/// Writes `guide` in `format` for a reader of `locale`, standing alone (no site links).
pub fn render(
    guide: &Guide,
    advisor: &Advisor,
    locale: &Locale,
    format: GuideFormat,
    templates: &Templates,
) -> Result<String, TemplateError> {
    let chrome = Chrome::new(&advisor.messages, locale);
    let view = guide.view(&chrome, &|_| None);
    let page = Page::new(&chrome, view.title.clone(), content_security_policy(None));
    let name = match format {
        GuideFormat::Html => "guide.html.j2",
        GuideFormat::Md => "guide.md.j2",
    };
    let mut text = templates.render(name, &GuidePage { page, guide: view })?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisor() -> Advisor {
        Advisor::with_content(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))).0
    }

    #[test]
    fn repeated_findings_are_one_entry_with_a_count_and_the_objects() {
        let a = advisor();
        let mut input = String::new();
        for i in 0..12 {
            input.push_str(&format!(
                "{{\"code\":\"phs.stale\",\"params\":{{\"days\":6}},\"user\":\"user{i}@contoso.com\",\"tool\":\"aadc-check\",\"time\":\"2026-03-05T14:03:00Z\"}}\n"
            ));
        }
        input.push_str("{\"code\":\"phs.disabled\"}\n{\"code\":\"no.such\"}\n{\"code\":\"phs.stale\",\"params\":{\"days\":1}}\nnot json\n");
        let g = Guide::from_findings(&a, "nb-NO", InputFormat::Auto, input.as_bytes()).unwrap();
        assert_eq!(g.entries.len(), 2, "{:?}", g.entries);
        assert_eq!(g.entries[0].code, "phs.disabled", "errors first");
        assert_eq!(g.entries[1].count, Some(12));
        assert_eq!(g.entries[1].affected.len(), 12);
        assert_eq!(g.unknown, vec![("no.such".to_owned(), 1)]);
        assert_eq!(g.not_applicable, 1);
        assert_eq!(g.unread.len(), 1);
        assert_eq!(g.tool.as_deref(), Some("aadc-check"));
        let messages = &a.messages;
        let chrome = Chrome::new(messages, &"nb-NO".parse().unwrap());
        let v = g.view(&chrome, &|_| None);
        assert_eq!(v.entries[1].affected.len(), AFFECTED_SHOWN);
        assert_eq!(v.entries[1].more.as_deref(), Some("og 4 til"));
        assert_eq!(v.entries[1].count, "12");
        let source = v.source.unwrap();
        assert!(
            source.contains("aadc-check") && source.contains("5. mars 2026"),
            "{source}"
        );
    }

    #[test]
    fn a_definition_is_checked_against_the_catalog() {
        let a = advisor();
        let bad = Definition::parse(
            "g.yaml",
            "g",
            "title: {en-US: T}\nsteps:\n  - finding: nope\n",
            &a,
        )
        .unwrap_err()
        .to_string();
        assert!(bad.contains("step 1") && bad.contains("nope"), "{bad}");
        let bad = Definition::parse("g.yaml", "g", "title: {en-US: T}\nsteps: []\n", &a)
            .unwrap_err()
            .to_string();
        assert!(bad.contains("empty"), "{bad}");
        let bad = Definition::parse("g.yaml", "g", "title: {en-US: T}\nstep: []\n", &a)
            .unwrap_err()
            .to_string();
        assert!(
            bad.starts_with("g.yaml: not a valid guide definition"),
            "{bad}"
        );
    }
}
