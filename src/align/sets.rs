//! Article sets: the same article in several locales.
//!
//! `ms.assetid` is meant to identify an article across locales, but the real content reuses
//! GUIDs (one is shared by 14 different alchemy articles and one by 104 Dynamics articles)
//! and most articles have none. A GUID is trusted only when it names at most one article
//! per locale; everything else is grouped by its path relative to the locale folder.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::article::{Article, AssetId};
use crate::locale::Locale;

/// What identifies an article set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SetKey {
    /// A GUID that names exactly one article per locale.
    Asset(AssetId),
    /// The path relative to the locale folder (`AlchemyInsights/x.md`), with `/` separators.
    Path(String),
}

impl fmt::Display for SetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetKey::Asset(id) => write!(f, "asset:{id}"),
            SetKey::Path(p) => write!(f, "path:{p}"),
        }
    }
}

impl Serialize for SetKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What grouping needs to know of an article; cheap to keep for thousands of files.
#[derive(Debug, Clone)]
pub struct ArticleInfo {
    /// Path relative to the content root, as loaded (`nb-NO/AlchemyInsights/x.md`).
    pub path: PathBuf,
    /// Its locale, when it says.
    pub locale: Option<Locale>,
    /// Its `ms.assetid`, when it has a valid one.
    pub asset_id: Option<AssetId>,
}

impl ArticleInfo {
    /// What grouping needs of `article`.
    pub fn of(article: &Article) -> ArticleInfo {
        ArticleInfo {
            path: article.path().to_path_buf(),
            locale: article.locale().cloned(),
            asset_id: article.asset_id(),
        }
    }
}

/// One article of a set: its locale and its index in the slice given to [`group`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Its locale.
    pub locale: Locale,
    /// Its index in the articles grouped.
    #[serde(skip)]
    pub index: usize,
    /// Its path from the content root.
    pub path: String,
}

/// The same article in several locales, members sorted by locale.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSet {
    /// What groups it.
    pub key: SetKey,
    /// The path relative to the locale folder of the first member.
    pub relative_path: String,
    /// One article per locale.
    pub members: Vec<Member>,
}

impl ArticleSet {
    /// The members' locales, in order.
    pub fn locales(&self) -> impl Iterator<Item = &Locale> {
        self.members.iter().map(|m| &m.locale)
    }

    /// The member of `locale`.
    pub fn member(&self, locale: &Locale) -> Option<&Member> {
        self.members.iter().find(|m| &m.locale == locale)
    }
}

/// A problem found while grouping; the affected articles are still grouped (by path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetProblem {
    /// What kind of problem.
    pub kind: SetProblemKind,
    /// What happened, for people.
    pub message: String,
    /// The articles concerned.
    pub paths: Vec<String>,
}

/// The kinds of [`SetProblem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetProblemKind {
    /// One `ms.assetid` names several articles in one locale; they are grouped by path.
    AssetIdCollision,
    /// Two articles of one set claim the same locale; the later one gets a set of its own.
    DuplicateLocale,
    /// Neither `ms.contentlocale` nor a locale folder says the article's locale.
    NoLocale,
}

impl SetProblemKind {
    /// The name in every output (`asset-id-collision`, …).
    pub fn name(self) -> &'static str {
        match self {
            SetProblemKind::AssetIdCollision => "asset-id-collision",
            SetProblemKind::DuplicateLocale => "duplicate-locale",
            SetProblemKind::NoLocale => "no-locale",
        }
    }
}

/// Groups articles into sets: by trusted GUID, then by relative path. An article without
/// a usable GUID joins the GUID set holding its relative path when that set lacks its
/// locale. Sets come out sorted by relative path.
pub fn group(articles: &[ArticleInfo]) -> (Vec<ArticleSet>, Vec<SetProblem>) {
    let (trusted, mut problems) = trusted_assets(articles);
    let mut grouping = Grouping::new(articles);
    let mut deferred = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let Some(locale) = &a.locale else {
            problems.push(SetProblem {
                kind: SetProblemKind::NoLocale,
                message: "no ms.contentlocale and no locale folder; the article is not aligned"
                    .to_owned(),
                paths: vec![grouping.display(i)],
            });
            continue;
        };
        match a.asset_id.filter(|id| trusted.contains(id)) {
            Some(id) => grouping.by_asset(i, id, locale),
            None => deferred.push(i),
        }
    }
    // Articles without a trusted GUID, once every GUID set is known.
    for i in deferred {
        if let Some(problem) = grouping.by_path(i) {
            problems.push(problem);
        }
    }
    (grouping.finish(), problems)
}

/// The GUIDs to group by: those no locale has two articles with. Each other one is a
/// problem; its articles are grouped by path.
fn trusted_assets(articles: &[ArticleInfo]) -> (HashSet<AssetId>, Vec<SetProblem>) {
    let mut by_asset: BTreeMap<AssetId, BTreeMap<&Locale, Vec<usize>>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let (Some(id), Some(locale)) = (a.asset_id, &a.locale) {
            by_asset
                .entry(id)
                .or_default()
                .entry(locale)
                .or_default()
                .push(i);
        }
    }
    let mut trusted = HashSet::new();
    let mut problems = Vec::new();
    for (id, locales) in &by_asset {
        if locales.values().all(|v| v.len() == 1) {
            trusted.insert(*id);
            continue;
        }
        let mut paths: Vec<String> = locales
            .values()
            .flatten()
            .map(|&i| crate::content::display_path(&articles[i].path))
            .collect();
        paths.sort();
        let worst = locales.values().map(Vec::len).max().unwrap_or(0);
        problems.push(SetProblem {
            kind: SetProblemKind::AssetIdCollision,
            message: format!(
                "ms.assetid {id} names {worst} different articles in one locale ({} in all); they are grouped by path",
                paths.len()
            ),
            paths,
        });
    }
    (trusted, problems)
}

/// The sets as they are built, and how to find them by key and by relative path.
struct Grouping<'a> {
    articles: &'a [ArticleInfo],
    sets: Vec<ArticleSet>,
    set_of_key: HashMap<SetKey, usize>,
    /// Relative path → sets holding an article with that path.
    sets_of_path: HashMap<String, Vec<usize>>,
    /// Each article's path without its locale folder.
    rel: Vec<String>,
}

impl<'a> Grouping<'a> {
    fn new(articles: &'a [ArticleInfo]) -> Grouping<'a> {
        Grouping {
            articles,
            sets: Vec::new(),
            set_of_key: HashMap::new(),
            sets_of_path: HashMap::new(),
            rel: articles
                .iter()
                .map(|a| crate::content::relative_path(&a.path))
                .collect(),
        }
    }

    fn display(&self, i: usize) -> String {
        crate::content::display_path(&self.articles[i].path)
    }

    /// A new set at `key` for article `i`'s relative path; its index.
    fn open(&mut self, key: SetKey, i: usize) -> usize {
        self.sets.push(ArticleSet {
            key,
            relative_path: self.rel[i].clone(),
            members: Vec::new(),
        });
        self.sets.len() - 1
    }

    fn join(&mut self, s: usize, i: usize, locale: Locale) {
        let path = self.display(i);
        self.sets[s].members.push(Member {
            locale,
            index: i,
            path,
        });
    }

    /// Article `i` into the set of its trusted GUID.
    fn by_asset(&mut self, i: usize, id: AssetId, locale: &Locale) {
        let key = SetKey::Asset(id);
        let s = match self.set_of_key.get(&key) {
            Some(&s) => s,
            None => {
                let s = self.open(key.clone(), i);
                self.set_of_key.insert(key, s);
                s
            }
        };
        self.join(s, i, locale.clone());
        let holders = self.sets_of_path.entry(self.rel[i].clone()).or_default();
        if !holders.contains(&s) {
            holders.push(s);
        }
    }

    /// Article `i` (no trusted GUID) into the one set at its relative path that lacks its
    /// locale, else the set of its path; a second article of a locale at one path gets a
    /// set of its own, and is a problem.
    fn by_path(&mut self, i: usize) -> Option<SetProblem> {
        let locale = self.articles[i]
            .locale
            .clone()
            .expect("deferred articles have a locale");
        let joinable = self.sets_of_path.get(&self.rel[i]).and_then(|holders| {
            let open: Vec<usize> = holders
                .iter()
                .copied()
                .filter(|&s| self.sets[s].member(&locale).is_none())
                .collect();
            (open.len() == 1).then(|| open[0])
        });
        let mut problem = None;
        let s = match joinable {
            Some(s) => s,
            None => {
                let key = SetKey::Path(self.rel[i].clone());
                match self.set_of_key.get(&key) {
                    Some(&s) if self.sets[s].member(&locale).is_none() => s,
                    Some(&s) => {
                        problem = Some(SetProblem {
                            kind: SetProblemKind::DuplicateLocale,
                            message: format!(
                                "two articles at {} claim locale {locale}; the second is aligned with nothing",
                                self.rel[i]
                            ),
                            paths: vec![
                                self.sets[s].member(&locale).expect("checked").path.clone(),
                                self.display(i),
                            ],
                        });
                        self.open(key, i)
                    }
                    None => {
                        let s = self.open(key.clone(), i);
                        self.set_of_key.insert(key, s);
                        self.sets_of_path
                            .entry(self.rel[i].clone())
                            .or_default()
                            .push(s);
                        s
                    }
                }
            }
        };
        self.join(s, i, locale);
        problem
    }

    /// The sets, members sorted by locale, sets by relative path.
    fn finish(mut self) -> Vec<ArticleSet> {
        for set in &mut self.sets {
            set.members.sort_by(|a, b| a.locale.cmp(&b.locale));
        }
        self.sets.sort_by(|a, b| {
            a.relative_path
                .cmp(&b.relative_path)
                .then_with(|| a.key.cmp(&b.key))
        });
        self.sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(path: &str, locale: &str, asset: Option<&str>) -> ArticleInfo {
        ArticleInfo {
            path: path.into(),
            locale: locale.parse().ok(),
            asset_id: asset.map(|a| a.parse().unwrap()),
        }
    }

    const G1: &str = "11111111-1111-1111-1111-111111111111";
    const G2: &str = "22222222-2222-2222-2222-222222222222";

    #[test]
    fn a_trusted_guid_groups_renamed_articles() {
        let (sets, problems) = group(&[
            info("nb-NO/a.md", "nb-NO", Some(G1)),
            info("nl-NL/b.md", "nl-NL", Some(G1)),
        ]);
        assert!(problems.is_empty());
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].key, SetKey::Asset(G1.parse().unwrap()));
        assert_eq!(sets[0].members.len(), 2);
    }

    #[test]
    fn a_colliding_guid_falls_back_to_paths_with_a_problem() {
        let (sets, problems) = group(&[
            info("nb-NO/a.md", "nb-NO", Some(G2)),
            info("nb-NO/b.md", "nb-NO", Some(G2)),
            info("nl-NL/a.md", "nl-NL", Some(G2)),
            info("nl-NL/b.md", "nl-NL", Some(G2)),
        ]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, SetProblemKind::AssetIdCollision);
        assert_eq!(problems[0].paths.len(), 4);
        let keys: Vec<String> = sets.iter().map(|s| s.key.to_string()).collect();
        assert_eq!(keys, ["path:a.md", "path:b.md"]);
        assert!(sets.iter().all(|s| s.members.len() == 2));
    }

    #[test]
    fn an_article_without_guid_joins_the_guid_set_at_its_path() {
        let (sets, _) = group(&[
            info("nb-NO/a.md", "nb-NO", Some(G1)),
            info("nl-NL/a.md", "nl-NL", None),
            info("nl-NL/c.md", "nl-NL", None),
        ]);
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0].key, SetKey::Asset(G1.parse().unwrap()));
        assert_eq!(sets[0].members.len(), 2);
        assert_eq!(sets[1].key, SetKey::Path("c.md".into()));
    }

    #[test]
    fn duplicate_locales_and_missing_locales_are_reported() {
        let (sets, problems) = group(&[
            info("nb-NO/a.md", "nb-NO", None),
            info("nl-NL/a.md", "nb-NO", None),
            info("notes.md", "", None),
        ]);
        let kinds: Vec<_> = problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [SetProblemKind::NoLocale, SetProblemKind::DuplicateLocale]
        );
        assert_eq!(sets.len(), 2);
    }
}
