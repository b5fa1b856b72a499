//! Any text as an article: parsing never panics, the model gives the text back byte for
//! byte, the views and the checks run, and each segment's inline pieces tile it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use remedy::article::Article;
use remedy::article::inline::pieces;
use remedy::check::{Glossary, check_article};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let article = Article::parse("nb-NO/fuzz.md", text);
    assert_eq!(article.emit(), text, "the article model is lossless");
    let _ = article.target_markdown();
    let _ = article.source_markdown();
    let _ = article.plain_text();
    for s in article.segments() {
        for md in [
            article.target_of(s),
            article.source_of(s).unwrap_or_default(),
        ] {
            let joined: String = pieces(md).iter().map(|p| &md[p.range()]).collect();
            assert_eq!(joined, md, "pieces tile the segment");
        }
    }
    let _ = check_article(&article, &Glossary::default());
});
