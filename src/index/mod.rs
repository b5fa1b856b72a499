//! The search index: one tantivy index per locale under the index folder
//! (`INDEX/nb-NO/`, `INDEX/nl-NL/`), each with its own analyzer and the compound
//! vocabulary learned from that locale's articles.
//!
//! Beside the vocabulary, each locale learns a [`Lexicon`] of English words to its own
//! terms from the parallel text of its articles (kept in a file of its own, so that an
//! incremental build relearns it from all articles, not only the changed ones).
//!
//! **Atomic.** Every build ends in one tantivy commit whose payload names the vocabulary,
//! parallel text, lexicon and manifest files written before it. A build that fails or is
//! killed leaves the last commit, and the files it names, in place: the previous index
//! keeps working.
//!
//! **Incremental.** The manifest records each file's size and modification time; a
//! rebuild re-reads only files that changed, appeared or disappeared. `--full` re-reads
//! everything (and relearns the vocabulary, which incremental runs only extend).

mod document;

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

pub use document::{SearchDocument, Section};

use crate::analysis::{
    Analyzer, Language, Lexicon, TOKENIZER, TOKENIZER_EN, TermVector, Vocabulary,
};
use crate::content::{LoadError, display_path, markdown_files};
use crate::embed::{Embeddings, Encoder, Purpose};
use crate::locale::Locale;

/// Bumped when the schema or the analysis changes: older indexes are rebuilt in full.
pub const FORMAT: u32 = 12;
/// Bytes of stored documents per compressed block.
const DOC_STORE_BLOCK: usize = 4096;

/// Why an index could not be built or opened.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed (a damaged or foreign index, a full disk).
    #[error("{path}: {source}")]
    Tantivy {
        /// The locale's index folder.
        path: String,
        /// What tantivy said.
        #[source]
        source: tantivy::TantivyError,
    },
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The folder holds an index remedy did not write, or of an older format.
    #[error("{path}: not a remedy index ({why})")]
    NotAnIndex {
        /// The folder.
        path: String,
        /// What is missing or different.
        why: String,
    },
    /// The content has no article in a locale folder (or with `ms.contentlocale`).
    #[error("{path}: no articles with a locale under it")]
    Empty {
        /// The content folder.
        path: String,
    },
}

fn tantivy_err(path: &Path) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
    move |source| IndexError::Tantivy {
        path: display_path(path),
        source,
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: display_path(path),
        source,
    }
}

/// The fields of every locale's index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Path relative to the locale folder (the search contract's `path`).
    pub path: Field,
    /// Path relative to the content root, as read.
    pub file: Field,
    /// The article's locale (BCP 47).
    pub locale: Field,
    /// `ms.assetid`, when the article has one.
    pub asset: Field,
    /// The title, weighted most.
    pub title: Field,
    /// The headings, one after another.
    pub headings: Field,
    /// The translated text (never the hidden English), sections one after another.
    pub body: Field,
    /// The English source text: rebuilt from the spans, or for a plain translation the
    /// English heading anchors and file name it kept.
    pub english: Field,
    /// The sections of `body` with their anchors, packed ([`Section::pack`]).
    pub sections: Field,
    /// `MT` or `HT`, from the front matter.
    pub translation: Field,
    /// The terms of `body` with their byte ranges ([`crate::analysis::TermVector`]), for
    /// snippets.
    pub body_terms: Field,
}

/// The schema of a locale's index, and its fields by name. The analyzers are registered
/// under [`TOKENIZER`] and [`TOKENIZER_EN`] per index (tantivy does not store them).
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED),
        file: b.add_text_field("file", STRING | STORED),
        locale: b.add_text_field("locale", STRING | STORED),
        asset: b.add_text_field("asset", STRING | STORED),
        title: b.add_text_field("title", text(TOKENIZER, true)),
        headings: b.add_text_field("headings", text(TOKENIZER, false)),
        body: b.add_text_field("body", text(TOKENIZER, true)),
        english: b.add_text_field("english", text(TOKENIZER_EN, false)),
        sections: b.add_text_field("sections", STORED),
        translation: b.add_text_field("translation", STORED),
        body_terms: b.add_text_field("body_terms", STORED),
    };
    (b.build(), fields)
}

/// What a commit's payload records.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    format: u32,
    locale: String,
    vocabulary: String,
    parallel: String,
    lexicon: String,
    manifest: String,
    /// The articles' vectors, when the build had the embedding model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    embeddings: Option<String>,
}

/// A file's identity for incremental builds: size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified_ns: u128,
}

/// One locale's index, open for searching.
#[derive(Clone)]
pub struct LocaleIndex {
    /// The locale.
    pub locale: Locale,
    /// The tantivy index, its analyzers registered.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// A reader, reloaded by the caller after a build.
    pub reader: tantivy::IndexReader,
    /// The words compounds are split into, as the last build learned them.
    pub vocabulary: Arc<Vocabulary>,
    /// English words to this locale's terms, learned from the articles.
    pub lexicon: Arc<Lexicon>,
    /// The articles' vectors, when the build had the embedding model.
    pub embeddings: Option<Arc<Embeddings>>,
}

impl LocaleIndex {
    /// An analyzer of this index's language and vocabulary (one per thread).
    pub fn analyzer(&self) -> Analyzer {
        Analyzer::new(Language::of(&self.locale), self.vocabulary.clone())
    }
}

/// Where the cached index of a content folder lives (`remedy search` and `remedy serve`
/// without `--index`): a folder of the user's cache folder named by the content folder's
/// canonical path, so that each content folder has its own.
pub fn cache_dir(content: &Path) -> Result<PathBuf, IndexError> {
    let canonical = content.canonicalize().map_err(io_err(content))?;
    let base = dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("remedy");
    let name = crate::codec::fnv1a(canonical.to_string_lossy().as_bytes());
    Ok(base.join(format!("index-{name:016x}")))
}

/// The locales an index folder holds.
pub fn locales(index_dir: &Path) -> Vec<Locale> {
    let mut out: Vec<Locale> = std::fs::read_dir(index_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("meta.json").is_file())
        .filter_map(|e| Locale::from_folder_name(&e.file_name().to_string_lossy()))
        .collect();
    out.sort();
    out
}

/// Opens one locale's index.
pub fn open(index_dir: &Path, locale: &Locale) -> Result<LocaleIndex, IndexError> {
    let dir = index_dir.join(locale.to_string());
    let index = Index::open_in_dir(&dir).map_err(tantivy_err(&dir))?;
    let payload = read_payload(&index, &dir)?.ok_or_else(|| IndexError::NotAnIndex {
        path: display_path(&dir),
        why: "no remedy commit".into(),
    })?;
    let vocab_path = dir.join(&payload.vocabulary);
    let text = std::fs::read_to_string(&vocab_path).map_err(io_err(&vocab_path))?;
    let vocabulary =
        Arc::new(
            Vocabulary::from_tsv(&text).map_err(|why| IndexError::NotAnIndex {
                path: display_path(&vocab_path),
                why,
            })?,
        );
    register(&index, locale, vocabulary.clone());
    let lexicon_path = dir.join(&payload.lexicon);
    let text = std::fs::read_to_string(&lexicon_path).map_err(io_err(&lexicon_path))?;
    let lexicon = Arc::new(
        Lexicon::from_tsv(&text).map_err(|why| IndexError::NotAnIndex {
            path: display_path(&lexicon_path),
            why,
        })?,
    );
    let embeddings = match &payload.embeddings {
        Some(name) => {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).map_err(io_err(&path))?;
            Some(Arc::new(Embeddings::from_bytes(&bytes).map_err(|why| {
                IndexError::NotAnIndex {
                    path: display_path(&path),
                    why,
                }
            })?))
        }
        None => None,
    };
    let (_, fields) = schema();
    // Every hit reads its stored body for the snippet; tantivy caches 100 decompressed
    // blocks by default, a few hundred articles' worth. A knowledge base's store is a few
    // megabytes: keep up to 16 MiB of blocks so repeated hits stay cached.
    //
    // Manual reloading: an open index is a snapshot. A build committing into the same
    // folder (`remedy serve` rebuilding after a change) must not move an engine onto new
    // segments under its old vocabulary and lexicon; the server opens a new one instead.
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .doc_store_cache_num_blocks(16 << 20 >> DOC_STORE_BLOCK.trailing_zeros())
        .try_into()
        .map_err(tantivy_err(&dir))?;
    Ok(LocaleIndex {
        locale: locale.clone(),
        index,
        fields,
        reader,
        vocabulary,
        lexicon,
        embeddings,
    })
}

fn read_payload(index: &Index, dir: &Path) -> Result<Option<Payload>, IndexError> {
    let metas = index.load_metas().map_err(tantivy_err(dir))?;
    Ok(metas
        .payload
        .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
        .filter(|p| p.format == FORMAT))
}

/// Custom tokenizers are not stored in the index: register them on every open.
fn register(index: &Index, locale: &Locale, vocabulary: Arc<Vocabulary>) {
    let language = Language::of(locale);
    index.tokenizers().register(
        TOKENIZER,
        TextAnalyzer::from(Analyzer::new(language, vocabulary)),
    );
    index.tokenizers().register(
        TOKENIZER_EN,
        TextAnalyzer::from(Analyzer::new(
            Language::English,
            Arc::new(Vocabulary::default()),
        )),
    );
}

/// How a build went.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildReport {
    /// Each locale's build, by locale tag.
    pub locales: BTreeMap<String, LocaleReport>,
    /// Files that could not be read, each said why; the others were indexed.
    pub skipped: Vec<String>,
    /// Wall time of the whole build.
    pub seconds: f64,
}

/// How one locale's build went.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LocaleReport {
    /// Documents in the index after the build.
    pub documents: usize,
    /// Files read this time (all of them for a full build).
    pub read: usize,
    /// Files gone since the last build, their documents deleted.
    pub removed: usize,
    /// Files the same as at the last build (size and modification time), not read.
    pub unchanged: usize,
    /// Every file was read and the index rewritten.
    pub full: bool,
    /// Distinct words in the vocabulary.
    pub vocabulary: usize,
    /// English words the lexicon learned a translation for.
    pub lexicon: usize,
    /// Articles with a vector for dense search (0: the build had no model).
    pub embeddings: usize,
    /// Of those, the ones embedded by this build.
    pub embedded: usize,
}

/// Options of [`build`].
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Re-read everything and relearn the vocabulary.
    pub full: bool,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
    /// The embedding model: each article also gets a vector for dense search (only the
    /// changed ones are embedded again). Without it the index is lexical only.
    pub encoder: Option<Arc<Encoder>>,
}

/// Indexes every article under `content` into `index_dir`, one index per locale.
/// Unreadable files are reported in `skipped` and left out; the rest is indexed.
pub fn build(
    content: &Path,
    index_dir: &Path,
    options: &BuildOptions,
) -> Result<BuildReport, IndexError> {
    let started = std::time::Instant::now();
    let (files, walk_errors) = markdown_files(content);
    let mut report = BuildReport {
        skipped: walk_errors.iter().map(ToString::to_string).collect(),
        ..BuildReport::default()
    };
    // Which locale each file belongs to: its locale folder (front matter may disagree;
    // the parsed article decides when it is read).
    let mut by_locale: BTreeMap<Locale, Vec<(PathBuf, Stamp)>> = BTreeMap::new();
    for rel in files {
        let Some(locale) = folder_locale(&rel) else {
            continue;
        };
        let full = content.join(&rel);
        let meta = std::fs::metadata(&full).map_err(io_err(&full))?;
        let stamp = Stamp {
            len: meta.len(),
            modified_ns: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos()),
        };
        by_locale.entry(locale).or_default().push((rel, stamp));
    }
    if by_locale.is_empty() {
        return Err(IndexError::Empty {
            path: display_path(content),
        });
    }
    std::fs::create_dir_all(index_dir).map_err(io_err(index_dir))?;
    let total: usize = by_locale.values().map(Vec::len).sum();
    let bar = progress_bar(options.progress, total as u64);
    for (locale, files) in by_locale {
        let (locale_report, skipped) =
            build_locale(content, index_dir, &locale, files, options, &bar)?;
        report.skipped.extend(skipped);
        report.locales.insert(locale.to_string(), locale_report);
    }
    bar.finish_and_clear();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn progress_bar(wanted: bool, total: u64) -> indicatif::ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix:>6} [{bar:30}] {pos}/{len} articles {elapsed}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}

/// The locale named by the first folder of a path relative to the content root.
fn folder_locale(rel: &Path) -> Option<Locale> {
    rel.components().find_map(|c| match c {
        std::path::Component::Normal(p) => Locale::from_folder_name(&p.to_string_lossy()),
        _ => None,
    })
}

fn build_locale(
    content: &Path,
    index_dir: &Path,
    locale: &Locale,
    files: Vec<(PathBuf, Stamp)>,
    options: &BuildOptions,
    bar: &indicatif::ProgressBar,
) -> Result<(LocaleReport, Vec<String>), IndexError> {
    bar.set_prefix(locale.to_string());
    let dir = index_dir.join(locale.to_string());
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let (schema, fields) = schema();
    let (index, previous) = open_or_create(&dir, schema)?;
    // Vectors made with another model (or none) are made again for every article. Only
    // the header is read here: an index with nothing to do (before every search of the
    // cached index) needs no vector.
    let old_embeddings: Option<(PathBuf, usize)> = options.encoder.as_ref().and_then(|_| {
        let path = dir.join(previous.as_ref()?.embeddings.as_ref()?);
        let (model, count) = Embeddings::header(&path)?;
        (model == crate::embed::fetch::MODEL_SHA256).then_some((path, count))
    });
    let embed_all = options.encoder.is_some() && old_embeddings.is_none();
    let plan = Changes::plan(&dir, previous.as_ref(), &files, options.full || embed_all);
    let mut report = LocaleReport {
        read: plan.changed.len(),
        removed: plan.removed.len(),
        unchanged: files.len() - plan.changed.len(),
        full: plan.full,
        ..LocaleReport::default()
    };
    bar.inc(report.unchanged as u64);
    if let Some(p) = previous.as_ref().filter(|_| plan.nothing_to_do()) {
        // Nothing to do: no new commit, the files of the last one stay as they are. This
        // runs before every search of the cached index: count, do not parse.
        let lines = |name: &str| -> Result<usize, IndexError> {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
            Ok(text.lines().count())
        };
        report.documents = index
            .reader()
            .map_err(tantivy_err(&dir))?
            .searcher()
            .num_docs() as usize;
        report.vocabulary = lines(&p.vocabulary)?;
        report.lexicon = lines(&p.lexicon)?;
        report.embeddings = old_embeddings.as_ref().map_or(0, |(_, count)| *count);
        return Ok((report, Vec::new()));
    }

    let (docs, skipped) = read_documents(content, &plan.changed, bar);
    let vocabulary = Arc::new(learn_vocabulary(&dir, previous.as_ref(), plan.full, &docs));
    register(&index, locale, vocabulary.clone());
    let mut writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(2, 64 * 1024 * 1024)
        .map_err(tantivy_err(&dir))?;
    if plan.full {
        writer.delete_all_documents().map_err(tantivy_err(&dir))?;
    } else {
        for k in plan.stale() {
            writer.delete_term(Term::from_field_text(fields.file, &k));
        }
    }
    add_documents(&mut writer, &docs, &fields, locale, &vocabulary, &dir)?;
    let parallel = parallel_text(&plan, &docs)?;
    let pairs: Vec<(String, String)> = parallel
        .iter()
        .map(|(_, e, t)| (e.clone(), t.clone()))
        .collect();
    let lexicon = Lexicon::learn(
        &pairs,
        &Analyzer::new(Language::English, Arc::new(Vocabulary::default())),
        &Analyzer::new(Language::of(locale), vocabulary.clone()),
    );
    let embeddings = match &options.encoder {
        Some(encoder) => {
            // The last build's vectors, read whole now that something changed. A file whose
            // header reads but whose vectors do not (damaged since) loses the unchanged
            // articles' vectors until `remedy index --full`.
            let old = old_embeddings
                .and_then(|(path, _)| Embeddings::from_bytes(&std::fs::read(path).ok()?).ok());
            let (e, embedded) = embed_documents(
                encoder,
                old,
                &plan,
                &docs,
                progress_bar(options.progress, docs.len() as u64),
                locale,
            );
            report.embedded = embedded;
            report.embeddings = e.len();
            Some(e.to_bytes())
        }
        None => None,
    };
    let side = SideFiles {
        vocabulary: vocabulary.to_tsv(),
        parallel: parallel_to_tsv(&parallel),
        lexicon: lexicon.to_tsv(),
        manifest: serde_json::to_string(&plan.manifest).expect("manifest serializes"),
        embeddings,
    };
    commit(&index, writer, &dir, locale, &side)?;
    let reader = index.reader().map_err(tantivy_err(&dir))?;
    report.documents = reader.searcher().num_docs() as usize;
    // The words kept beside the index, as an incremental build reports them too.
    report.vocabulary = side.vocabulary.lines().count();
    report.lexicon = lexicon.len();
    Ok((report, skipped))
}

/// The locale's index and the payload of its last commit; a folder without an index, or
/// with one of another format, is cleared and a new index made in it.
fn open_or_create(dir: &Path, schema: Schema) -> Result<(Index, Option<Payload>), IndexError> {
    let existing = Index::open_in_dir(dir).ok();
    let previous = match &existing {
        Some(index) => read_payload(index, dir)?,
        None => None,
    };
    if let (Some(index), Some(_)) = (existing, &previous) {
        return Ok((index, previous));
    }
    clear_dir(dir)?;
    // Small doc-store blocks: a hit reads one block, and a block not read before must be
    // decompressed whole (tantivy's default is 16 KB, about fifteen alchemy articles, for
    // the one wanted).
    let settings = tantivy::IndexSettings {
        docstore_blocksize: DOC_STORE_BLOCK,
        ..Default::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(dir)
        .map_err(tantivy_err(dir))?;
    Ok((index, None))
}

/// What a build has to do: the files that changed or went since the last build, or all
/// of them.
struct Changes {
    /// Every file is read and the index rewritten.
    full: bool,
    /// The files now, by key, as the next build compares them.
    manifest: HashMap<String, Stamp>,
    changed: Vec<PathBuf>,
    removed: Vec<String>,
    /// The last build's parallel text, which an incremental build keeps for the files it
    /// does not re-read.
    old_parallel: Option<PathBuf>,
}

impl Changes {
    fn plan(
        dir: &Path,
        previous: Option<&Payload>,
        files: &[(PathBuf, Stamp)],
        forced: bool,
    ) -> Changes {
        let old_manifest: HashMap<String, Stamp> = match (previous, forced) {
            (Some(p), false) => std::fs::read_to_string(dir.join(&p.manifest))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default(),
            _ => HashMap::new(),
        };
        // Without the last parallel text the lexicon would shrink to the changed files:
        // read all. (It is read only once something changed.)
        let old_parallel: Option<PathBuf> = previous
            .map(|p| dir.join(&p.parallel))
            .filter(|path| path.is_file());
        let full =
            previous.is_none() || forced || old_manifest.is_empty() || old_parallel.is_none();
        let manifest: HashMap<String, Stamp> = files
            .iter()
            .map(|(rel, s)| (manifest_key(rel), *s))
            .collect();
        let changed = files
            .iter()
            .filter(|(rel, stamp)| full || old_manifest.get(&manifest_key(rel)) != Some(stamp))
            .map(|(rel, _)| rel.clone())
            .collect();
        let removed = old_manifest
            .keys()
            .filter(|k| !manifest.contains_key(*k))
            .cloned()
            .collect();
        Changes {
            full,
            manifest,
            changed,
            removed,
            old_parallel,
        }
    }

    fn nothing_to_do(&self) -> bool {
        !self.full && self.changed.is_empty() && self.removed.is_empty()
    }

    /// The keys whose documents the index holds and must drop: gone or changed.
    fn stale(&self) -> impl Iterator<Item = String> + '_ {
        self.removed
            .iter()
            .cloned()
            .chain(self.changed.iter().map(|rel| manifest_key(rel)))
    }
}

/// The files that changed, read and parsed in parallel; those that could not be read,
/// said why.
fn read_documents(
    content: &Path,
    changed: &[PathBuf],
    bar: &indicatif::ProgressBar,
) -> (Vec<SearchDocument>, Vec<String>) {
    let results: Vec<Result<SearchDocument, LoadError>> = changed
        .par_iter()
        .map(|rel| {
            let doc = crate::content::load_article(content, rel).map(|a| SearchDocument::of(&a));
            bar.inc(1);
            doc
        })
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    (docs, skipped)
}

/// The vocabulary: relearned on a full build, extended on an incremental one.
fn learn_vocabulary(
    dir: &Path,
    previous: Option<&Payload>,
    full: bool,
    docs: &[SearchDocument],
) -> Vocabulary {
    let mut vocabulary = match (previous, full) {
        (Some(p), false) => std::fs::read_to_string(dir.join(&p.vocabulary))
            .ok()
            .and_then(|t| Vocabulary::from_tsv(&t).ok())
            .unwrap_or_default(),
        _ => Vocabulary::default(),
    };
    let learned = docs
        .par_iter()
        .fold(Vocabulary::default, |mut v, d| {
            v.learn(&d.title);
            v.learn(&d.body);
            v
        })
        .reduce(Vocabulary::default, |mut a, b| {
            a.merge(b);
            a
        });
    vocabulary.merge(learned);
    vocabulary
}

/// The documents into the writer, each with its body's term vector (for snippets),
/// analysed here in parallel as tantivy's indexing threads analyse the same text for the
/// postings.
fn add_documents(
    writer: &mut IndexWriter<TantivyDocument>,
    docs: &[SearchDocument],
    fields: &Fields,
    locale: &Locale,
    vocabulary: &Arc<Vocabulary>,
    dir: &Path,
) -> Result<(), IndexError> {
    let language = Language::of(locale);
    let vectors: Vec<String> = docs
        .par_iter()
        .map_init(
            || Analyzer::new(language, vocabulary.clone()),
            |a, d| TermVector::encode(a, &d.body),
        )
        .collect();
    for (d, terms) in docs.iter().zip(&vectors) {
        writer
            .add_document(d.to_tantivy(fields, locale, terms))
            .map_err(tantivy_err(dir))?;
    }
    Ok(())
}

/// The parallel text (file, English, translation), sorted: the last build's, less what
/// changed or went, plus what was read.
fn parallel_text(
    plan: &Changes,
    docs: &[SearchDocument],
) -> Result<Vec<(String, String, String)>, IndexError> {
    let mut parallel: Vec<(String, String, String)> = match (&plan.old_parallel, plan.full) {
        (Some(path), false) => {
            parallel_from_tsv(&std::fs::read_to_string(path).map_err(io_err(path))?)
        }
        _ => Vec::new(),
    };
    if !plan.full {
        let stale: std::collections::HashSet<String> = plan.stale().collect();
        parallel.retain(|(file, _, _)| !stale.contains(file));
    }
    for d in docs {
        for (e, t) in &d.parallel {
            parallel.push((d.file.clone(), e.clone(), t.clone()));
        }
    }
    parallel.sort();
    Ok(parallel)
}

/// The vectors of the articles: the last build's for the files not read again (and
/// still there), the read ones' embedded now, in parallel. Returns them and how many were
/// embedded.
fn embed_documents(
    encoder: &Encoder,
    old: Option<Embeddings>,
    plan: &Changes,
    docs: &[SearchDocument],
    bar: indicatif::ProgressBar,
    locale: &Locale,
) -> (Embeddings, usize) {
    bar.set_prefix(format!("{locale} e5"));
    let stale: std::collections::HashSet<String> = plan.stale().collect();
    let mut out = Embeddings::new(crate::embed::fetch::MODEL_SHA256, encoder.dimensions());
    for (key, vector) in old.iter().flat_map(Embeddings::iter) {
        if !stale.contains(key) && plan.manifest.contains_key(key) {
            out.push(key.to_owned(), vector);
        }
    }
    let vectors: Vec<Vec<f32>> = docs
        .par_iter()
        .map(|d| {
            let v = encoder.embed(&d.passage, Purpose::Passage);
            bar.inc(1);
            v
        })
        .collect();
    bar.finish_and_clear();
    for (d, v) in docs.iter().zip(&vectors) {
        out.push(d.file.clone(), v);
    }
    (out, vectors.len())
}

/// What a commit keeps beside the index, as text (and the vectors, as bytes).
struct SideFiles {
    vocabulary: String,
    parallel: String,
    lexicon: String,
    manifest: String,
    embeddings: Option<Vec<u8>>,
}

/// Writes the side files under names made from their content, commits the documents with
/// a payload naming them, merges to one segment and removes the side files of earlier
/// commits. Killed anywhere, the index is the last commit's or this one's.
fn commit(
    index: &Index,
    mut writer: IndexWriter<TantivyDocument>,
    dir: &Path,
    locale: &Locale,
    side: &SideFiles,
) -> Result<(), IndexError> {
    let vocab_name = format!(
        "remedy-vocabulary-{:016x}.tsv",
        fingerprint(&side.vocabulary)
    );
    let parallel_name = format!("remedy-parallel-{:016x}.tsv", fingerprint(&side.parallel));
    let lexicon_name = format!("remedy-lexicon-{:016x}.tsv", fingerprint(&side.lexicon));
    let manifest_name = format!("remedy-manifest-{:016x}.json", fingerprint(&side.manifest));
    let written = [
        (&vocab_name, &side.vocabulary),
        (&parallel_name, &side.parallel),
        (&lexicon_name, &side.lexicon),
        (&manifest_name, &side.manifest),
    ];
    for (name, text) in written {
        write_new(&dir.join(name), text.as_bytes())?;
    }
    let embeddings_name = side
        .embeddings
        .as_ref()
        .map(|bytes| format!("remedy-embeddings-{:016x}.bin", crate::codec::fnv1a(bytes)));
    if let (Some(name), Some(bytes)) = (&embeddings_name, &side.embeddings) {
        write_new(&dir.join(name), bytes)?;
    }
    let payload = Payload {
        format: FORMAT,
        locale: locale.to_string(),
        vocabulary: vocab_name.clone(),
        parallel: parallel_name.clone(),
        lexicon: lexicon_name.clone(),
        manifest: manifest_name.clone(),
        embeddings: embeddings_name.clone(),
    };
    let mut commit = writer.prepare_commit().map_err(tantivy_err(dir))?;
    commit.set_payload(&serde_json::to_string(&payload).expect("payload serializes"));
    commit.commit().map_err(tantivy_err(dir))?;
    // One segment: every query term is looked up and scored once per segment, and a
    // knowledge base is small enough to rewrite whole (alchemy: a fraction of a second).
    // The merge keeps the commit's payload; a killed merge leaves the commit as it was.
    let segments = index.searchable_segment_ids().map_err(tantivy_err(dir))?;
    if segments.len() > 1 {
        writer.merge(&segments).wait().map_err(tantivy_err(dir))?;
    }
    writer.wait_merging_threads().map_err(tantivy_err(dir))?;
    // Files of earlier commits are garbage now.
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("remedy-")
            && !written.iter().any(|(n, _)| **n == name)
            && embeddings_name.as_deref() != Some(name.as_str())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Writes a file the next commit will name. Names come from the content, so a file that
/// exists already holds this text, and may be what the current commit names: it is left
/// alone. A new file is written under a temporary name, synced, then renamed, so the
/// commit never names a half-written file.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), IndexError> {
    if path.is_file() {
        return Ok(());
    }
    crate::content::write_atomic(path, bytes).map_err(io_err(path))
}

/// Parallel text as `file<TAB>english<TAB>target` lines (tabs and line breaks in the text
/// become spaces).
fn parallel_to_tsv(parallel: &[(String, String, String)]) -> String {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut out = String::new();
    for (file, e, t) in parallel {
        out.push_str(&clean(file));
        out.push('\t');
        out.push_str(&clean(e));
        out.push('\t');
        out.push_str(&clean(t));
        out.push('\n');
    }
    out
}

/// Reads what [`parallel_to_tsv`] wrote; a line without three cells is dropped (the
/// lexicon only loses one pair).
fn parallel_from_tsv(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter_map(|l| {
            let mut c = l.splitn(3, '\t');
            Some((
                c.next()?.to_owned(),
                c.next()?.to_owned(),
                c.next()?.to_owned(),
            ))
        })
        .collect()
}

/// The manifest and delete key of a file: its path relative to the content root.
fn manifest_key(rel: &Path) -> String {
    rel.to_string_lossy().into_owned()
}

/// Removes what is in an index folder that is not a current remedy index.
fn clear_dir(dir: &Path) -> Result<(), IndexError> {
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))?.flatten() {
        let p = entry.path();
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.map_err(io_err(&p))?;
    }
    Ok(())
}

/// FNV-1a: names files by content, so a new commit never overwrites what the last one uses.
fn fingerprint(text: &str) -> u64 {
    crate::codec::fnv1a(text.as_bytes())
}
