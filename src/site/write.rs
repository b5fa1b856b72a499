//! Writing the site: into a staging folder beside `--out`, swapped in whole, never over a
//! folder remedy did not write.

use super::*;

/// Builds the site of `advisor`'s knowledge base (read from `content`) into `opts.out`.
pub fn build(
    advisor: &Advisor,
    content: &Path,
    opts: &SiteOptions,
) -> Result<SiteReport, SiteError> {
    normalize_base(&opts.base_url)?;
    // A broken template stops the build before anything is written.
    let templates = Templates::new(opts.templates.as_deref())?;
    let out = target_folder(&opts.out, content)?;
    let site = Site::new(advisor, content, &opts.base_url)?;
    for e in &site.guide_errors {
        eprintln!("remedy: {e}");
    }
    let renderer = Renderer::new(&site, advisor, &templates, Mode::Static)?;
    check_target(&out)?;
    let staging = sibling(&out, "partial");
    remove_ours(&staging)?;
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    // Marked first, so that a build killed at any point leaves a folder the next build
    // knows it may remove.
    std::fs::write(staging.join(MARKER), MARKER_TEXT).map_err(io(&staging))?;
    let guard = Staging(&staging);
    let report = write_site(&renderer, &staging, opts.progress)?;
    swap_in(&staging, &out)?;
    std::mem::forget(guard);
    Ok(report)
}

/// Removes the staging folder however the build ends (an error, a panic in a thread).
pub(super) struct Staging<'a>(&'a Path);

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        let _ = remove_marked(self.0);
    }
}

pub(super) const MARKER_TEXT: &str =
    "A site written by remedy (remedy site); replaced as a whole by the next build.\n";

/// `--out` made absolute and checked: it must name a folder of its own (not `/`, `.` or a
/// folder holding the content, which a swap would move away).
pub(super) fn target_folder(out: &Path, content: &Path) -> Result<PathBuf, SiteError> {
    let bad = |why: &str| SiteError::Target {
        path: crate::content::display_path(out),
        why: why.to_owned(),
    };
    let absolute = std::path::absolute(out).map_err(io(out))?;
    // `a/..` and `.` resolved by the path, not by following links.
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    if clean.file_name().is_none() || clean.parent().is_none() {
        return Err(bad("names no folder of its own"));
    }
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let content = real(content);
    let target = real(&clean);
    if content.starts_with(&target) {
        return Err(bad("holds the content; the site would replace it"));
    }
    if std::fs::symlink_metadata(&clean).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(bad("is a symbolic link; name the folder itself"));
    }
    Ok(clean)
}

/// Writes every file of the site below `root`: article pages in parallel, then the rest.
pub(super) fn write_site(
    renderer: &Renderer,
    root: &Path,
    progress_bar: bool,
) -> Result<SiteReport, SiteError> {
    let site = renderer.site;
    let dirs: BTreeSet<PathBuf> = site
        .plan
        .iter()
        .filter_map(|p| root.join(&p.page).parent().map(Path::to_path_buf))
        .chain(
            site.locales
                .iter()
                .map(|l| root.join(l.to_string()).join("guides")),
        )
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(io(d))?;
    }
    let bytes = AtomicU64::new(0);
    let bar = progress(progress_bar, site.plan.len() as u64);
    let write = |rel: &str, text: &str| -> Result<(), SiteError> {
        let path = root.join(rel);
        std::fs::write(&path, text).map_err(io(&path))?;
        bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
        Ok(())
    };
    // Article pages, in parallel: each renders, resolves its links and writes its file.
    let results: Vec<Result<PageOutcome, SiteError>> = (0..site.plan.len())
        .into_par_iter()
        .map(|i| {
            let (text, outcome) = renderer.article(i)?;
            write(&site.plan[i].page, &text)?;
            bar.inc(1);
            Ok(outcome)
        })
        .collect();
    bar.finish_and_clear();
    let mut report = SiteReport {
        unplaced: site.unplaced.clone(),
        articles: site.articles_by_locale(),
        ..SiteReport::default()
    };
    for r in results {
        let PageOutcome {
            counts: (resolved, broken, outside, unsafe_),
            diagnostics,
            has_alternates: alt,
        } = r?;
        report.links_resolved += resolved;
        report.links_broken += broken;
        report.links_outside += outside;
        report.links_unsafe += unsafe_;
        report.diagnostics.extend(diagnostics);
        report.with_alternates += usize::from(alt);
    }
    report
        .diagnostics
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    report.files = site.plan.len() + 1; // and the marker
    for path in site.paths().into_iter().skip(site.plan.len()) {
        let text = match site.kinds[path] {
            Kind::Sitemap => {
                let (text, n) = renderer.sitemap()?;
                report.sitemap_urls = n;
                text
            }
            Kind::Guide(..) => {
                report.guides += 1;
                renderer.render(path)?.map(|r| r.body).unwrap_or_default()
            }
            _ => renderer.render(path)?.map(|r| r.body).unwrap_or_default(),
        };
        write(path, &text)?;
        report.files += 1;
    }
    report.bytes = bytes.load(Ordering::Relaxed);
    Ok(report)
}

/// The folder may be replaced: missing, empty, or a site remedy wrote. A build killed
/// between its two renames left the previous site beside it: it is put back first.
pub(super) fn check_target(out: &Path) -> Result<(), SiteError> {
    let old = sibling(out, "old");
    if !out.exists() && is_ours(&old) {
        std::fs::rename(&old, out).map_err(io(out))?;
    } else {
        remove_ours(&old)?;
    }
    if !out.exists() {
        return Ok(());
    }
    let shown = crate::content::display_path(out);
    if !out.is_dir() {
        return Err(SiteError::NotASite { path: shown });
    }
    let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
    if empty || is_ours(out) {
        Ok(())
    } else {
        Err(SiteError::NotASite { path: shown })
    }
}

/// A real folder (not a link) that remedy marked as a site.
pub(super) fn is_ours(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && dir.join(MARKER).is_file()
}

/// Removes a folder remedy left beside the site (a staging or an old site); anything else
/// by that name is someone's and stops the build.
pub(super) fn remove_ours(dir: &Path) -> Result<(), SiteError> {
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    // A build killed between making its staging folder and marking it left it empty.
    let empty = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    if empty {
        return std::fs::remove_dir(dir).map_err(io(dir));
    }
    if !is_ours(dir) {
        return Err(SiteError::NotASite {
            path: crate::content::display_path(dir),
        });
    }
    remove_marked(dir).map_err(io(dir))
}

/// Removes a folder remedy marked, its marker last: a removal killed half way leaves a
/// folder still marked, which the next build may remove (`remove_dir_all` takes files in
/// any order, and a folder that lost its marker first was refused as somebody else's).
pub(super) fn remove_marked(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    std::fs::remove_file(dir.join(MARKER))?;
    std::fs::remove_dir(dir)
}

/// `site` → `.site.partial` beside it.
pub(super) fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{what}"))
}

/// Puts the finished build in place of the previous site: the old one is moved aside,
/// the new one renamed in, the old one removed (if that fails, the next build does it).
pub(super) fn swap_in(staging: &Path, out: &Path) -> Result<(), SiteError> {
    let old = sibling(out, "old");
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back before saying so.
        if old.exists() {
            let _ = std::fs::rename(&old, out);
        }
        return Err(io(out)(e));
    }
    let _ = remove_marked(&old);
    Ok(())
}

pub(super) fn io(path: &Path) -> impl Fn(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: crate::content::display_path(path),
        source,
    }
}

pub(super) fn progress(show: bool, len: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} pages {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("remedy site");
    bar
}
