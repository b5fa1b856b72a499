//! remedy: a multilingual troubleshooting knowledge base engine.
//!
//! remedy reads localized Markdown articles (Microsoft-Docs style: YAML front matter with
//! `ms.*` keys, bodies that are plain translations or bilingual `data-ttu-id` /
//! `sxs-lookup` span pairs) into a lossless model, and builds search, alignment and
//! remediation advice on top of it.
//!
//! ```
//! use remedy::article::{Article, SegmentKey};
//!
//! let text = std::fs::read_to_string(
//!     concat!(env!("CARGO_MANIFEST_DIR"), "/content/nb-NO/password-sync.md"),
//! ).unwrap();
//! let article = Article::parse("nb-NO/password-sync.md", text);
//! let s108 = article
//!     .segments()
//!     .iter()
//!     .find(|s| s.key == SegmentKey::Sentence(108))
//!     .unwrap();
//! assert_eq!(
//!     article.source_of(s108),
//!     Some("Specifies whether you have password sync enabled between on-premises and your tenant.")
//! );
//! // Re-emitting the model gives the original bytes.
//! assert_eq!(article.emit(), article.original());
//! ```

// Every public item is documented; clippy's `-D warnings` in CI holds it.
#![warn(missing_docs)]

pub mod advise;
pub mod align;
pub mod analysis;
pub mod article;
pub mod check;
pub mod codec;
pub mod content;
pub mod embed;
pub mod exchange;
pub mod guide;
pub mod index;
pub mod inspect;
pub mod l10n;
pub mod locale;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;

pub use locale::Locale;
