//! A content tree: `<root>/<locale>/**.md`, read in parallel.
//!
//! One unreadable file is reported and skipped; the others are read.

use std::path::{Component, Path, PathBuf};

use crate::locale::Locale;

use rayon::prelude::*;

use crate::article::{Article, Position};

/// Why a file could not be read as an article at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read (permissions, gone since the walk, …).
    #[error(
        "{}: cannot be read ({source}); the article is skipped",
        display_path(path)
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not UTF-8 text.
    #[error(
        "{path}:{position}: not UTF-8 text (invalid byte 0x{byte:02x}); the article is skipped"
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Line and column of the first invalid byte.
        position: Position,
        /// That byte.
        byte: u8,
    },
    /// A folder could not be listed (or a link loops): what is in it is skipped.
    #[error("{}: {}", display_path(path), walk_failure(source))]
    Walk {
        /// The folder (or the content root when walkdir names none).
        path: PathBuf,
        /// What walkdir said.
        #[source]
        source: walkdir::Error,
    },
}

/// What a failed step of the walk over the content means for its articles. walkdir's
/// own message repeats the path.
fn walk_failure(e: &walkdir::Error) -> String {
    match e.io_error() {
        Some(io) => format!("cannot be listed ({io}); the articles in it are skipped"),
        None => e.to_string(),
    }
}

/// A path for line-oriented output: control characters escaped (the corpus has file names
/// with newlines in them), everything else as is.
///
/// ```
/// use std::path::Path;
/// assert_eq!(remedy::content::display_path(Path::new("a\nb.md")), "a\\nb.md");
/// ```
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if !s.chars().any(char::is_control) {
        return s.into_owned();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A relative path `/`-separated whatever the platform: how reports and exchange files
/// name an article (`nb-NO/AlchemyInsights/x.md`).
pub fn slash_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The path relative to the locale folder: the first component that names a locale is
/// dropped (`nb-NO/a/b.md` → `a/b.md`, `alchemy/nl-NL/x.md` → `alchemy/x.md`).
///
/// ```
/// use remedy::content::relative_path;
/// assert_eq!(relative_path("nb-NO/AlchemyInsights/x.md".as_ref()), "AlchemyInsights/x.md");
/// assert_eq!(relative_path("spans/nl-nl/x.md".as_ref()), "spans/x.md");
/// assert_eq!(relative_path("articles/x.md".as_ref()), "articles/x.md");
/// ```
pub fn relative_path(path: &Path) -> String {
    let mut parts = Vec::new();
    let mut dropped = false;
    for c in path.components() {
        let Component::Normal(part) = c else {
            continue;
        };
        let part = part.to_string_lossy();
        if !dropped && Locale::from_folder_name(&part).is_some() {
            dropped = true;
            continue;
        }
        parts.push(part.into_owned());
    }
    parts.join("/")
}

/// The Markdown files under `root`, sorted, as paths relative to `root`.
pub fn markdown_files(root: &Path) -> (Vec<PathBuf>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                files.push(rel.to_path_buf());
            }
            Ok(_) => {}
            Err(source) => errors.push(LoadError::Walk {
                path: source.path().unwrap_or(root).to_path_buf(),
                source,
            }),
        }
    }
    (files, errors)
}

/// Reads the file at `root/rel` into an article named `rel`.
pub fn load_article(root: &Path, rel: &Path) -> Result<Article, LoadError> {
    let full = root.join(rel);
    let bytes = std::fs::read(&full).map_err(|source| LoadError::Io {
        path: full.clone(),
        source,
    })?;
    let text = decode(&full, bytes)?;
    Ok(Article::parse(rel, text))
}

/// UTF-8 text of a file's bytes, or where the first invalid byte is.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let position = crate::article::LineIndex::new(prefix).position(prefix, valid);
        LoadError::NotUtf8 {
            path: path.to_path_buf(),
            position,
            byte: bytes[valid],
        }
    })
}

/// Every article under `root`, parsed in parallel, in path order, with the files that
/// could not be read.
pub fn load_dir(root: &Path) -> (Vec<Article>, Vec<LoadError>) {
    let (files, mut errors) = markdown_files(root);
    let results: Vec<_> = files
        .par_iter()
        .map(|rel| load_article(root, rel))
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(e) => errors.push(e),
        }
    }
    (articles, errors)
}

/// Folds over every article under `root` in parallel without keeping them: for corpus
/// totals over thousands of files in constant memory per thread.
pub fn fold_dir<T, F, R>(
    root: &Path,
    init: impl Fn() -> T + Sync + Send,
    fold: F,
    reduce: R,
) -> (T, Vec<LoadError>)
where
    T: Send,
    F: Fn(T, &Article) -> T + Sync + Send,
    R: Fn(T, T) -> T + Sync + Send,
{
    let (files, mut errors) = markdown_files(root);
    let (total, load_errors) = files
        .par_iter()
        .fold(
            || (init(), Vec::new()),
            |(acc, mut errs), rel| match load_article(root, rel) {
                Ok(a) => (fold(acc, &a), errs),
                Err(e) => {
                    errs.push(e);
                    (acc, errs)
                }
            },
        )
        .reduce(
            || (init(), Vec::new()),
            |(a, mut ea), (b, eb)| {
                ea.extend(eb);
                (reduce(a, b), ea)
            },
        );
    errors.extend(load_errors);
    (total, errors)
}

/// Writes a file in one step: the bytes go to a temporary file beside it, are synced, and
/// the temporary file is renamed over `path`, so a reader (or a crash) never sees half of
/// it. A file that is replaced keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let partial = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&partial)?;
        std::io::Write::write_all(&mut f, bytes)?;
        if let Some(p) = &permissions {
            f.set_permissions(p.clone())?;
        }
        f.sync_all()?;
        std::fs::rename(&partial, path)
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gone_between_the_walk_and_the_read_is_named() {
        let err = load_article(Path::new("/nonexistent-root"), Path::new("nb-NO/gone.md"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "/nonexistent-root/nb-NO/gone.md: cannot be read (No such file or directory"
            ),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_names_the_line_and_column() {
        let err = decode(Path::new("x.md"), b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.md:2:3: not UTF-8 text (invalid byte 0xff); the article is skipped"
        );
    }
}
