//! From diagnostic findings to localized remediation: the finding catalog, matched by
//! code, SARIF rule or log-line pattern. (Resolution of the remediation text and the
//! `advise` / `annotate` commands are the next step of this module.)

pub mod annotate;
pub mod catalog;
pub mod io;
pub mod report;
pub mod resolve;
pub mod sarif;

pub use catalog::{ArticleRef, Catalog, CatalogError, Finding, Place, Severity, Target};
pub use io::{Summary, advise_json};
pub use resolve::{Advice, Advisor, ArticleLink, Knowledge, advise_code};
