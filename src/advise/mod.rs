//! From diagnostic findings to localized remediation: the finding catalog ([`catalog`]),
//! matched by code, SARIF rule or log-line pattern; resolution of the steps from the
//! knowledge base in the reader's locale ([`resolve`]); and the ways advice reaches the
//! reader — added to JSON records and SARIF logs ([`io`], [`sarif`]), after matching lines
//! of plain text ([`annotate`]), or as a report for people ([`report`]).

pub mod annotate;
pub mod catalog;
pub mod condition;
pub mod io;
pub mod report;
pub mod resolve;
mod resolved;
pub mod sarif;
mod splice;

pub use catalog::{ArticleRef, Catalog, CatalogError, Finding, Place, Severity, Target};
pub use io::{InputFormat, Observed, Observer, Summary, advise_json, observe_findings};
pub use resolve::{
    Advice, Advisor, ArticleLink, Knowledge, NoAdvice, Passage, StepSource, advise_code,
};

/// The advisor over the seed content every unit test of this module uses; the seeds all
/// load.
#[cfg(test)]
pub(crate) fn seed_advisor() -> Advisor {
    let content = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    let (advisor, errors) = Advisor::with_content(content);
    assert!(errors.is_empty(), "{errors:?}");
    advisor
}
