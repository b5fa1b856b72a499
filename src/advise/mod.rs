//! From diagnostic findings to localized remediation: the finding catalog ([`Catalog`]),
//! matched by code, SARIF rule or log-line pattern; resolution of the steps from the
//! knowledge base in the reader's locale ([`Advisor`]); and the ways advice reaches the
//! reader — added to JSON records and SARIF logs ([`advise_with`]), after matching lines
//! of plain text ([`annotate()`]), or as a report for people ([`report`]).

mod annotate;
mod catalog;
mod condition;
mod io;
pub mod report;
mod resolve;
mod resolved;
mod sarif;
mod splice;

pub use annotate::{AnnotateSummary, MATCH_BYTES, Style, annotate};
pub(crate) use catalog::FileTarget;
pub use catalog::{ArticleRef, Catalog, CatalogError, Finding, Place, Severity, Target};
pub use condition::{Condition, Op, ParamSpec, ParamType, Unit, Value, Verdict};
pub use io::{
    InputFormat, Observed, Observer, Options, OutputFormat, REASON, Summary, advise_json,
    advise_with, observe_findings,
};
pub use resolve::{
    Advice, Advisor, ArticleLink, Knowledge, NoAdvice, Passage, StepSource, advise_code,
};
pub(crate) use sarif::OBJECT_FIELDS;
pub use sarif::is_sarif;

/// The advisor over the seed content every unit test of this module uses; the seeds all
/// load.
#[cfg(test)]
pub(crate) fn seed_advisor() -> Advisor {
    let content = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    let (advisor, errors) = Advisor::with_content(content);
    assert!(errors.is_empty(), "{errors:?}");
    advisor
}
