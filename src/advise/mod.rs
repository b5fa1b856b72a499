//! From diagnostic findings to localized remediation: the finding catalog, matched by
//! code, SARIF rule or log-line pattern. (Resolution of the remediation text and the
//! `advise` / `annotate` commands are the next step of this module.)

pub mod catalog;

pub use catalog::{ArticleRef, Catalog, CatalogError, Finding, Place, Severity, Target};
