//! Dense search's side of remedy: where the model is ([`locate`], [`fetch`]), what of an
//! article is embedded ([`passage`]), and the encoder itself, re-exported from the
//! `remedy-e5` crate (multilingual-e5-small with 4-bit weights, in Rust).

pub mod fetch;
mod store;

use std::path::{Path, PathBuf};

use crate::article::Article;
pub use remedy_e5::{Encoder, ModelError, Purpose};
pub use store::Embeddings;

/// The model file's name in the cache folder.
pub const MODEL_FILE: &str = "multilingual-e5-small-q4.bin";

/// Words of an article's body embedded after its title. e5 reads at most 510 pieces at
/// once (about 350 Norwegian or Dutch words); the opening of a support article says what
/// it is about, and every further window costs as much again.
pub const PASSAGE_WORDS: usize = 200;

/// Where `remedy model fetch` puts the model: `remedy/models` in the user's cache folder.
pub fn default_path() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("remedy")
        .join("models")
        .join(MODEL_FILE)
}

/// The model to use: `explicit` (`--model`), else `$REMEDY_MODEL`, else the cache's copy;
/// `None` when that file does not exist (search stays lexical).
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("REMEDY_MODEL").map(PathBuf::from))
        .unwrap_or_else(default_path);
    path.is_file().then_some(path)
}

/// What of an article is embedded: its title, then the first [`PASSAGE_WORDS`] words of
/// its body as plain text (the title heading, already said, left out).
pub fn passage(article: &Article) -> String {
    let title = article.title().unwrap_or_default().trim();
    let body = article.plain_text();
    let mut words = body.split_whitespace().peekable();
    // The body opens with the title as its heading, most of the time.
    let title_words = title.split_whitespace().count();
    if title_words > 0
        && body
            .split_whitespace()
            .take(title_words)
            .eq(title.split_whitespace())
    {
        for _ in 0..title_words {
            words.next();
        }
    }
    let mut out = String::from(title);
    for w in words.take(PASSAGE_WORDS) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_is_the_title_and_the_opening_of_the_body() {
        let a = Article::parse(
            "nb-NO/x.md",
            "---\ntitle: Passord synkroniseres ikke\n---\n# Passord synkroniseres ikke\n\n\
             Hvis **passordet** ikke synkroniseres, [kjør](x) feilsøkeren.\n"
                .to_owned(),
        );
        assert_eq!(
            passage(&a),
            "Passord synkroniseres ikke Hvis passordet ikke synkroniseres, kjør feilsøkeren."
        );
        let long = format!("---\ntitle: T\n---\n{}", "ord ".repeat(1000));
        let p = passage(&Article::parse("nb-NO/y.md", long));
        assert_eq!(p.split_whitespace().count(), 1 + PASSAGE_WORDS);
    }
}
