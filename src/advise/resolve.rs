//! Resolution: a finding and a reader's locale become advice — the localized title and
//! description, and the remediation steps as Markdown from the knowledge base, in the
//! best locale the article exists in (the English rebuilt from the spans when the reader's
//! locale lacks it), saying which locale was used, whether it is machine translated and
//! whether the English changed since it was translated.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::catalog::{ArticleRef, Catalog, Finding, Place, Severity, Target};
use crate::align::{ArticleInfo, ArticleSet, group};
pub use crate::article::Original;
use crate::article::{Article, ArticleForm, BlockKind};
use crate::content::{LoadError, load_dir};
use crate::l10n::{Arg, Messages};
use crate::locale::Locale;

/// The knowledge base: every article of a content folder, grouped into sets.
pub struct Knowledge {
    articles: Vec<Article>,
    sets: Vec<ArticleSet>,
}

impl Knowledge {
    /// Every article under `content`, grouped into sets; the files that could not be
    /// read, each with why.
    pub fn load(content: &Path) -> (Knowledge, Vec<LoadError>) {
        let (articles, errors) = load_dir(content);
        (Knowledge::from_articles(articles), errors)
    }

    /// Articles already read, grouped into sets.
    pub fn from_articles(articles: Vec<Article>) -> Knowledge {
        let infos: Vec<ArticleInfo> = articles.iter().map(ArticleInfo::of).collect();
        let (sets, _) = group(&infos);
        Knowledge { articles, sets }
    }

    /// The articles, in path order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The sets, sorted by relative path; members index [`Knowledge::articles`].
    pub fn sets(&self) -> &[ArticleSet] {
        &self.sets
    }

    fn set_of(&self, r: &ArticleRef) -> Option<&ArticleSet> {
        self.sets.iter().find(|s| {
            s.members.iter().any(|m| {
                let a = &self.articles[m.index];
                match r {
                    ArticleRef::Asset(id) => a.asset_id() == Some(*id),
                    ArticleRef::Path(p) => s.relative_path == *p,
                }
            })
        })
    }
}

/// What remedy says about one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// The finding's code (the catalog's, whatever name the input used).
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// The finding's message, localized, its parameters filled in.
    pub title: String,
    /// What the finding means, localized.
    pub description: String,
    /// The locale of `title` and `description`.
    pub message_locale: String,
    /// The remediation as Markdown; `None` when no target article could be read.
    pub steps: Option<String>,
    /// The article the (first part of the) steps come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleLink>,
    /// The locale of the (first part of the) steps: the reader's, or the fallback used.
    /// When the parts come from different locales, `sources` says which is which.
    pub locale: String,
    /// Some part of the steps is machine translated.
    pub machine_translated: bool,
    /// The English of some part of the steps changed after it was translated.
    pub english_changed: bool,
    /// Where each part of `steps` comes from, in order: one per remediation target found.
    pub sources: Vec<StepSource>,
    /// Declared parameters the finding did not carry (or carried unreadably): the
    /// messages say the value is unknown rather than invent one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

/// Why a finding gets no advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoAdvice {
    /// The catalog does not know the finding.
    UnknownFinding,
    /// The finding's parameters say it is not a problem (its `when` fails).
    NotApplicable,
}

impl NoAdvice {
    /// The reason written beside `"advice": null`; an unknown finding has none (its
    /// `null` says it).
    pub fn reason(self) -> Option<&'static str> {
        match self {
            NoAdvice::UnknownFinding => None,
            NoAdvice::NotApplicable => Some("not-applicable"),
        }
    }
}

/// Where one part of the steps comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepSource {
    /// The article and section.
    #[serde(flatten)]
    pub article: ArticleLink,
    /// The locale of this part: the reader's, or the fallback used.
    pub locale: String,
    /// The part is machine translated.
    pub machine_translated: bool,
    /// The English of the part changed after it was translated.
    pub english_changed: bool,
}

impl StepSource {
    /// For people: `path#anchor (locale, machine translated, the English changed since)`.
    pub fn label(&self) -> String {
        let mut notes = vec![self.locale.clone()];
        if self.machine_translated {
            notes.push("machine translated".into());
        }
        if self.english_changed {
            notes.push("the English changed since".into());
        }
        format!(
            "{}{} ({})",
            self.article.path,
            self.article.fragment(),
            notes.join(", ")
        )
    }
}

/// An article and a place in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleLink {
    /// Path below the locale folder.
    pub path: String,
    /// The article's title.
    pub title: String,
    /// The section's anchor; `None` for the whole article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

impl ArticleLink {
    /// `#anchor`, or nothing for a link to the whole article.
    pub fn fragment(&self) -> String {
        self.anchor
            .as_deref()
            .map(|a| format!("#{a}"))
            .unwrap_or_default()
    }
}

/// Resolves findings against a catalog, messages and a knowledge base.
pub struct Advisor {
    /// The findings remedy knows.
    pub catalog: Catalog,
    /// Their messages, per locale.
    pub messages: Messages,
    /// The articles the remediation comes from.
    pub knowledge: Knowledge,
}

impl Advisor {
    /// The built-in catalog and messages over the articles of `content`, with the files
    /// that could not be read.
    pub fn with_content(content: &Path) -> (Advisor, Vec<LoadError>) {
        let (knowledge, errors) = Knowledge::load(content);
        let advisor = Advisor {
            catalog: Catalog::builtin(),
            messages: Messages::builtin(),
            knowledge,
        };
        (advisor, errors)
    }

    /// Advice for `finding` with its parameters, for a reader who asked for `locale`.
    pub fn advise(&self, finding: &Finding, params: &[(String, Arg)], locale: &str) -> Advice {
        let chain = self.messages.negotiate(locale);
        let args: Vec<(&str, Arg)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        let title = self.messages.format(&chain, &finding.message, None, &args);
        let description =
            self.messages
                .format(&chain, &finding.message, Some("description"), &args);
        let message_locale = title
            .as_ref()
            .map_or_else(|| Locale::en_us().to_string(), |t| t.locale.to_string());
        let mut advice = Advice {
            code: finding.code.clone(),
            severity: finding.severity,
            title: title.map_or_else(|| finding.code.clone(), |t| t.text),
            description: description.map(|d| d.text).unwrap_or_default(),
            message_locale,
            steps: None,
            article: None,
            locale: chain[0].to_string(),
            machine_translated: false,
            english_changed: false,
            sources: Vec::new(),
            unknown: Vec::new(),
        };
        let mut parts: Vec<String> = Vec::new();
        for found in self.parts(&finding.remediation, &chain, false) {
            if advice.article.is_none() {
                advice.article = Some(found.link.clone());
                advice.locale = found.locale.to_string();
            }
            advice.machine_translated |= found.machine_translated;
            advice.english_changed |= found.english_changed;
            advice.sources.push(StepSource {
                article: found.link,
                locale: found.locale.to_string(),
                machine_translated: found.machine_translated,
                english_changed: found.english_changed,
            });
            parts.push(found.markdown);
        }
        if !parts.is_empty() {
            advice.steps = Some(parts.join("\n\n"));
        }
        advice
    }

    /// Advice for `finding` with the raw parameter values a record or a log line carries,
    /// unless they say the finding is not a problem.
    pub fn advise_raw(
        &self,
        finding: &Finding,
        raw: &serde_json::Map<String, serde_json::Value>,
        locale: &str,
    ) -> Result<Advice, NoAdvice> {
        if finding.verdict(raw) == crate::advise::condition::Verdict::Fails {
            return Err(NoAdvice::NotApplicable);
        }
        let mut advice = self.advise(finding, &finding.args(raw), locale);
        advice.unknown = finding.unknown_params(raw);
        Ok(advice)
    }

    /// The remediation of `finding` part by part, for a reader who asked for `locale`:
    /// each part's Markdown, where it comes from, and (for translated span articles) the
    /// English original of each segment in it. The steps do not depend on a finding's
    /// parameters, so a guide asks once per finding.
    pub fn passages(&self, finding: &Finding, locale: &str) -> Vec<Passage> {
        self.passages_of(&finding.remediation, locale)
    }

    /// [`Advisor::passages`] of any targets (a guide definition names articles too).
    pub fn passages_of(&self, targets: &[Target], locale: &str) -> Vec<Passage> {
        let chain = self.messages.negotiate(locale);
        self.parts(targets, &chain, true)
            .into_iter()
            .map(|f| Passage {
                source: StepSource {
                    article: f.link,
                    locale: f.locale.to_string(),
                    machine_translated: f.machine_translated,
                    english_changed: f.english_changed,
                },
                markdown: f.markdown,
                originals: f.originals,
            })
            .collect()
    }

    fn parts(&self, targets: &[Target], chain: &[Locale], originals: bool) -> Vec<Found> {
        targets
            .iter()
            .filter_map(|target| {
                let set = self.knowledge.set_of(&target.article)?;
                self.resolve(set, &target.place, chain, originals)
            })
            .collect()
    }

    /// The place in the best locale of the chain that has it; then any other locale.
    fn resolve(
        &self,
        set: &ArticleSet,
        place: &Place,
        chain: &[Locale],
        originals: bool,
    ) -> Option<Found> {
        let mut order: Vec<Locale> = chain.to_vec();
        for l in set.locales() {
            if !order.contains(l) {
                order.push(l.clone());
            }
        }
        let en = Locale::en_us();
        for locale in &order {
            if *locale == en {
                // The English rebuilt from the spans of the newest span member.
                let members: Vec<&Article> = set
                    .members
                    .iter()
                    .map(|m| &self.knowledge.articles[m.index])
                    .collect();
                let Some(source) = crate::align::english_source(set, &members)
                    .and_then(|l| set.member(&l))
                    .map(|m| &self.knowledge.articles[m.index])
                else {
                    continue;
                };
                if let Some(found) = extract(source, place, true, originals) {
                    return Some(Found {
                        locale: en.clone(),
                        machine_translated: false,
                        english_changed: false,
                        ..found
                    });
                }
                continue;
            }
            let Some(member) = set.member(locale) else {
                continue;
            };
            let article = &self.knowledge.articles[member.index];
            if let Some(mut found) = extract(article, place, false, originals) {
                found.locale = locale.clone();
                found.machine_translated = article.machine_translated();
                found.english_changed = self.english_changed(set, article, place);
                return Some(found);
            }
        }
        None
    }

    /// Whether another span member of the set has different English for the place's
    /// segments (the English moved on after this translation).
    fn english_changed(&self, set: &ArticleSet, article: &Article, place: &Place) -> bool {
        if article.form() != ArticleForm::Bilingual {
            return false;
        }
        let keys: Option<&Vec<String>> = match place {
            Place::Segments(k) => Some(k),
            _ => None,
        };
        let english = |a: &Article| -> Vec<(String, String)> {
            a.segments()
                .iter()
                .filter(|s| keys.is_none_or(|k| k.contains(&s.key.to_string())))
                .filter_map(|s| Some((s.key.to_string(), a.source_of(s)?.to_owned())))
                .collect()
        };
        let mine = english(article);
        set.members
            .iter()
            .map(|m| &self.knowledge.articles[m.index])
            .filter(|o| o.form() == ArticleForm::Bilingual && o.path() != article.path())
            .any(|o| {
                let theirs = english(o);
                mine.iter()
                    .any(|(k, e)| theirs.iter().any(|(k2, e2)| k == k2 && e != e2))
            })
    }
}

/// One part of a finding's remediation, with its English originals.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// The steps, as Markdown of the article's target view.
    pub markdown: String,
    /// Sorted by place; empty for English and plain articles.
    pub originals: Vec<Original>,
    /// Where it comes from.
    pub source: StepSource,
}

struct Found {
    markdown: String,
    originals: Vec<Original>,
    link: ArticleLink,
    locale: Locale,
    machine_translated: bool,
    english_changed: bool,
}

/// The Markdown of a place in an article: its translation, or with `english` the English
/// rebuilt from the spans. The caller sets the locale and the flags.
fn extract(article: &Article, place: &Place, english: bool, with_originals: bool) -> Option<Found> {
    let mut title = article.title().unwrap_or_default().to_owned();
    let mut originals = Vec::new();
    let markdown = match place {
        Place::Segments(keys) => {
            let mut text = String::new();
            for (n, k) in keys.iter().enumerate() {
                let s = article
                    .segments()
                    .iter()
                    .find(|s| s.key.to_string() == *k)?;
                let part = if english {
                    article.source_of(s)?
                } else {
                    article.target_of(s)
                };
                if n > 0 {
                    text.push_str("\n\n");
                }
                let start = text.len();
                text.push_str(part.trim());
                if let (true, false, Some(en)) = (with_originals, english, article.source_of(s))
                    && en.trim() != part.trim()
                {
                    originals.push(Original {
                        range: start..text.len(),
                        english: en.to_owned(),
                    });
                }
            }
            if english
                && let Some(h1) = article
                    .source_markdown()
                    .and_then(|md| first_heading(&Article::parse(article.path(), md)))
            {
                title = h1;
            }
            text
        }
        Place::Section(_) | Place::Whole => {
            if english {
                // The front matter's title is a translation with no English beside it;
                // the English page's own first heading is what its reader sees.
                let view = Article::parse(article.path(), article.source_markdown()?);
                if let Some(h1) = first_heading(&view) {
                    title = h1;
                }
                let range = section_range(&view, place)?;
                view.original()[range].to_owned()
            } else if article.form() == ArticleForm::Bilingual {
                // Sections are found in the view the reader gets, spans resolved.
                let (text, map) = article.target_markdown_mapped();
                let view = Article::parse(article.path(), text);
                let range = section_range(&view, place)?;
                for (i, r) in map.into_iter().filter(|_| with_originals) {
                    if r.start >= range.start && r.end <= range.end {
                        let s = &article.segments()[i];
                        if let Some(en) = article.source_of(s)
                            && en.trim() != article.target_of(s).trim()
                        {
                            originals.push(Original {
                                range: r.start - range.start..r.end - range.start,
                                english: en.to_owned(),
                            });
                        }
                    }
                }
                view.original()[range].to_owned()
            } else {
                let range = section_range(article, place)?;
                article.original()[range].to_owned()
            }
        }
    };
    Some(Found {
        markdown,
        originals,
        link: ArticleLink {
            path: crate::content::relative_path(article.path()),
            title,
            anchor: anchor_of(place),
        },
        locale: Locale::en_us(),
        machine_translated: false,
        english_changed: false,
    })
}

/// The text of the article's first level-1 heading.
fn first_heading(article: &Article) -> Option<String> {
    let block = article
        .blocks()
        .iter()
        .find(|b| matches!(b.kind, BlockKind::Heading { level: 1, .. }))?;
    let text = crate::article::markdown_to_text(&article.original()[block.range.clone()]);
    Some(text.trim().trim_start_matches('#').trim().to_owned()).filter(|t| !t.is_empty())
}

fn anchor_of(place: &Place) -> Option<String> {
    match place {
        Place::Section(a) => Some(a.clone()),
        _ => None,
    }
}

/// Where a section is (from its heading to the next heading of the same or a higher
/// level, without the heading line), or the whole body; trimmed, never empty.
fn section_range(article: &Article, place: &Place) -> Option<std::ops::Range<usize>> {
    let text = article.original();
    let body_start = article.front_matter().map_or(0, |fm| fm.range.end);
    let (start, end) = match place {
        Place::Whole => (body_start, text.len()),
        Place::Section(anchor) => {
            let blocks = article.blocks();
            let (i, level) = blocks.iter().enumerate().find_map(|(i, b)| match &b.kind {
                BlockKind::Heading {
                    anchor: Some(a),
                    level,
                } if a == anchor => Some((i, *level)),
                _ => None,
            })?;
            let start = blocks[i].range.end;
            let end = blocks[i + 1..]
                .iter()
                .find(|b| matches!(b.kind, BlockKind::Heading { level: l, .. } if l <= level))
                .map_or(text.len(), |b| b.range.start);
            (start, end)
        }
        Place::Segments(_) => return None,
    };
    let md = &text[start..end];
    let lead = md.len() - md.trim_start().len();
    let trimmed = md.trim();
    (!trimmed.is_empty()).then(|| start + lead..start + lead + trimmed.len())
}

/// Advice for a finding named by code (JSON records), with its parameters as JSON values.
pub fn advise_code(
    advisor: &Advisor,
    code: &str,
    params: &serde_json::Map<String, serde_json::Value>,
    locale: &str,
) -> Result<Advice, NoAdvice> {
    let finding = advisor
        .catalog
        .by_code(code)
        .ok_or(NoAdvice::UnknownFinding)?;
    advisor.advise_raw(finding, params, locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::seed_advisor as advisor;

    fn code(a: &Advisor, code: &str, locale: &str) -> Advice {
        let f = a.catalog.by_code(code).unwrap();
        a.advise(f, &[("days".to_owned(), Arg::Number(5.0))], locale)
    }

    #[test]
    fn phs_disabled_in_three_locales() {
        let a = advisor();
        let nb = code(&a, "phs.disabled", "nb-NO");
        assert_eq!(nb.title, "Synkronisering av passord-hash er slått av");
        assert_eq!(nb.locale, "nb-NO");
        assert!(
            nb.steps.as_deref().unwrap().contains("DirSync-status"),
            "{:?}",
            nb.steps
        );
        assert!(!nb.steps.as_deref().unwrap().contains("sxs-lookup"));
        assert_eq!(
            nb.article.as_ref().unwrap().anchor.as_deref(),
            Some("enable-password-sync")
        );

        let nl = code(&a, "phs.disabled", "nl-BE");
        assert_eq!(nl.locale, "nl-NL");
        assert_eq!(nl.message_locale, "nl-NL");
        assert!(nl.steps.as_deref().unwrap().contains("Dirsync status"));

        let en = code(&a, "phs.disabled", "en-US");
        assert_eq!(en.locale, "en-US");
        assert_eq!(en.title, "Password hash synchronization is disabled");
        // The link's title is English too: the English page's heading, not the
        // front matter's translated title.
        assert_eq!(en.article.as_ref().unwrap().title, "Enable Password Sync");
        assert!(
            en.steps
                .as_deref()
                .unwrap()
                .contains("Choose **DirSync Status**"),
            "{:?}",
            en.steps
        );
        assert!(!en.machine_translated);
    }

    #[test]
    fn a_locale_without_the_article_falls_back_and_says_so() {
        let a = advisor();
        // password-synchronization.md exists only in nb-NO, without spans: a Dutch reader
        // gets Dutch messages and the Norwegian steps, labelled.
        let nl = code(&a, "server.staging-mode", "nl-NL");
        assert_eq!(nl.message_locale, "nl-NL");
        assert_eq!(nl.locale, "nb-NO");
        assert!(nl.steps.as_deref().unwrap().contains("oppsamlingsmodus"));
        // troubleshoot-password-synchronization.md has spans in nb-NO only: an English
        // reader gets the English rebuilt from them.
        let en = code(&a, "phs.stale", "en");
        assert_eq!(en.title, "Passwords were last synchronized 5 days ago");
        assert_eq!(en.locale, "en-US");
        assert!(
            en.steps
                .as_deref()
                .unwrap()
                .contains("Troubleshoot Password Synchronization")
        );
    }

    #[test]
    fn each_part_of_the_steps_names_its_own_locale() {
        let a = advisor();
        // phs.stale for a Dutch reader: the troubleshooting article has no Dutch member,
        // so its part is the English rebuilt from the Norwegian spans; password-sync.md
        // segments 109-110 exist in Dutch.
        let nl = code(&a, "phs.stale", "nl-NL");
        let parts: Vec<(&str, &str)> = nl
            .sources
            .iter()
            .map(|s| (s.article.path.as_str(), s.locale.as_str()))
            .collect();
        assert_eq!(
            parts,
            [
                ("troubleshoot-password-synchronization.md", "en-US"),
                ("password-sync.md", "nl-NL")
            ]
        );
        assert_eq!(nl.locale, "en-US", "the first part's locale");
        assert!(!nl.sources[0].machine_translated);
        assert!(nl.sources[1].machine_translated);
        assert!(nl.machine_translated, "some part is machine translated");
        let json = serde_json::to_value(&nl).unwrap();
        assert_eq!(json["sources"][1]["path"], "password-sync.md");
        assert_eq!(json["sources"][1]["locale"], "nl-NL");
    }

    #[test]
    fn drift_is_reported_for_the_segments_used() {
        let a = advisor();
        // phs.stale also points at password-sync.md 109-110, whose English is the same in
        // nb-NO and nl-NL; phs.disabled's section covers 108, whose English changed.
        assert!(code(&a, "phs.disabled", "nb-NO").english_changed);
        let nb = code(&a, "phs.stale", "nb-NO");
        assert!(nb.machine_translated);
        assert!(!nb.english_changed);
    }
}
