//! The minijinja templates: `templates/*.j2` compiled into the binary, each overridable by
//! a file of the same name in a user folder (`--templates DIR`).
//!
//! Templates added to an environment win over its loader, so the built-in texts are not
//! added: one loader asks the user folder first and falls back to them. Every template
//! (and every `*.j2` of the user folder) is compiled before anything is rendered, so a
//! broken one is reported with its file and line before a page is written.

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, Value, path_loader};
use serde::Serialize;

/// The built-in templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html.j2", include_str!("../../templates/base.html.j2")),
    ("style.css", include_str!("../../templates/style.css")),
    ("filter.js", include_str!("../../templates/filter.js")),
    (
        "guide.html.j2",
        include_str!("../../templates/guide.html.j2"),
    ),
    ("guide.md.j2", include_str!("../../templates/guide.md.j2")),
    (
        "article.html.j2",
        include_str!("../../templates/article.html.j2"),
    ),
    ("home.html.j2", include_str!("../../templates/home.html.j2")),
    (
        "languages.html.j2",
        include_str!("../../templates/languages.html.j2"),
    ),
    (
        "sitemap.xml.j2",
        include_str!("../../templates/sitemap.xml.j2"),
    ),
    (
        "search.html.j2",
        include_str!("../../templates/search.html.j2"),
    ),
    (
        "findings.html.j2",
        include_str!("../../templates/findings.html.j2"),
    ),
    (
        "error.html.j2",
        include_str!("../../templates/error.html.j2"),
    ),
    (
        "check.html.j2",
        include_str!("../../templates/check.html.j2"),
    ),
];

/// A template that does not compile or render.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A template does not compile, or fails while rendering.
    #[error("{file}:{line}: {message}")]
    Template {
        /// The user's file, or `templates/NAME` for a built-in one.
        file: String,
        /// The line minijinja names, from 1.
        line: usize,
        /// What minijinja said.
        message: String,
    },
    /// The `--templates` folder could not be read.
    #[error("{dir}: cannot read the templates folder: {source}")]
    Folder {
        /// The folder.
        dir: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// The compiled templates.
pub struct Templates {
    env: Environment<'static>,
    user: Option<PathBuf>,
}

impl Templates {
    /// The built-in templates, each replaced by `user/NAME` when that file exists.
    pub fn new(user: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut env = Environment::new();
        let from_user = user.map(path_loader);
        env.set_loader(move |name| {
            if let Some(load) = &from_user
                && let Some(found) = load(name)?
            {
                return Ok(Some(found));
            }
            Ok(BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| minijinja::TemplateSource::new(*text)))
        });
        env.set_auto_reload(false);
        env.set_auto_escape_callback(escape_for);
        env.add_filter("md", markdown_text);
        env.add_filter("md_code", markdown_code);
        // minijinja's HTML escaping also writes `/` as `&#x2f;`, which is valid but makes
        // every URL of a page (and the sitemap) three times longer; text and attribute
        // values need only `& < > " '`.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Html)
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                return out
                    .write_str(&super::html::escape_attr(text))
                    .map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        let templates = Templates {
            env,
            user: user.map(Path::to_path_buf),
        };
        let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect();
        if let Some(dir) = user {
            let read = std::fs::read_dir(dir).map_err(|source| TemplateError::Folder {
                dir: crate::content::display_path(dir),
                source,
            })?;
            for entry in read.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".j2") && !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        for name in &names {
            templates
                .env
                .get_template(name)
                .map_err(|e| templates.error(name, &e))?;
        }
        Ok(templates)
    }

    /// Renders `name` with a typed view.
    pub fn render<T: Serialize>(&self, name: &str, view: &T) -> Result<String, TemplateError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| self.error(name, &e))?;
        template
            .render(Value::from(minijinja::value::Serde(view)))
            .map_err(|e| self.error(name, &e))
    }

    /// The text of a template that is not Jinja (the style sheet, the filter script).
    pub fn text(&self, name: &str) -> Result<String, TemplateError> {
        self.render(name, &())
    }

    fn error(&self, name: &str, e: &minijinja::Error) -> TemplateError {
        let at = e.name().unwrap_or(name);
        let file = match &self.user {
            Some(dir) if dir.join(at).is_file() => crate::content::display_path(&dir.join(at)),
            _ => format!("templates/{at}"),
        };
        let mut message = e.kind().to_string();
        if let Some(detail) = e.detail() {
            message = format!("{message}: {detail}");
        }
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message = format!("{message}: {s}");
            source = s.source();
        }
        TemplateError::Template {
            file,
            line: e.line().unwrap_or(0),
            message,
        }
    }
}

fn markdown_text(s: String) -> String {
    super::html::escape_markdown(&s)
}

fn markdown_code(s: String) -> String {
    super::html::markdown_code(&s)
}

/// Auto-escaping by name (`x.html.j2`, `x.xml.j2` escape; `x.md.j2` does not), as minijinja
/// decides by default; kept explicit here because the pages' safety depends on it.
pub fn escape_for(name: &str) -> AutoEscape {
    let base = name.strip_suffix(".j2").unwrap_or(name);
    if base.ends_with(".html") || base.ends_with(".xml") {
        AutoEscape::Html
    } else {
        AutoEscape::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_templates_compile() {
        Templates::new(None).unwrap();
    }

    #[test]
    fn a_user_template_overrides_one_file_and_a_broken_one_is_located() {
        let dir = std::env::temp_dir().join(format!("remedy-tpl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("sitemap.xml.j2"), "custom {{ 1 + 1 }}").unwrap();
        let t = Templates::new(Some(&dir)).unwrap();
        assert_eq!(t.render("sitemap.xml.j2", &()).unwrap(), "custom 2");
        assert!(t.text("style.css").unwrap().contains("body"));
        std::fs::write(dir.join("home.html.j2"), "line one\n{% if %}\n").unwrap();
        let err = Templates::new(Some(&dir)).err().unwrap().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("home.html.j2:2:"), "{err}");
        assert!(err.contains("syntax error"), "{err}");
    }

    #[test]
    fn markdown_text_cannot_open_markup() {
        assert_eq!(markdown_text("a|b <x> *y*".into()), "a\\|b \\<x\\> \\*y\\*");
        assert_eq!(markdown_code("a``b\n".into()), "``` a``b  ```");
    }
}
