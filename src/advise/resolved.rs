//! Advice resolved once per distinct finding, shared by the writers of JSON lines, JSON
//! arrays and SARIF logs, and the counts they report.

use std::rc::Rc;

use serde_json::Value;

use super::catalog::Finding;
use super::resolve::{Advice, Advisor, NoAdvice, advise_code};

/// Counts for the summary on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Finding records read.
    pub records: usize,
    /// Records that got advice.
    pub advised: usize,
    /// Known findings whose parameters say they are not a problem (no advice).
    pub not_applicable: usize,
    /// Records whose finding the catalog does not know (`"advice": null`).
    pub unknown: usize,
    /// Lines that are not JSON, or JSON that is not a finding record; passed through.
    pub passed_through: usize,
}

impl Summary {
    /// Counts a record's outcome: advised, not applicable or unknown (the record itself
    /// is counted where it is read).
    pub(super) fn outcome(&mut self, resolved: &Resolved) {
        match (&resolved.advice, resolved.reason) {
            (Some(_), _) => self.advised += 1,
            (None, Some(_)) => self.not_applicable += 1,
            (None, None) => self.unknown += 1,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} records: {} advised, {} not applicable, {} unknown findings, {} passed through unread",
            self.records, self.advised, self.not_applicable, self.unknown, self.passed_through
        )
    }
}

/// Advice resolved once, in the forms the writers need.
pub(super) struct Resolved {
    pub(super) advice: Option<Advice>,
    /// Why there is no advice, when there is a reason to write ([`NoAdvice::reason`]).
    pub(super) reason: Option<&'static str>,
    /// `advice` as JSON (`null` for an unknown finding).
    pub(super) value: Value,
    /// `value` serialized, to be spliced into JSON lines without serializing it again.
    json: String,
}

/// Advice already resolved, by finding and parameters: tools repeat the same findings,
/// and resolving reads articles. Bounded.
#[derive(Default)]
pub(super) struct Cache {
    map: std::collections::HashMap<String, Rc<Resolved>>,
    key: String,
}

const CACHE: usize = 1024;

impl Resolved {
    /// The advice serialized (`null` for an unknown finding).
    pub(super) fn json(&self) -> &str {
        &self.json
    }
}

impl Cache {
    /// For a JSON record: by its `code` and `params`.
    pub(super) fn for_code(
        &mut self,
        advisor: &Advisor,
        locale: &str,
        code: &str,
        params: Option<&Value>,
    ) -> Rc<Resolved> {
        self.key.clear();
        self.key.push_str(code);
        self.key.push('\u{1}');
        if let Some(p) = params {
            self.key.push_str(&p.to_string());
        }
        self.get_or(|| {
            let params = params
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            advise_code(advisor, code, &params, locale)
        })
    }

    /// For a SARIF result: by the finding and the arguments read from the result.
    pub(super) fn for_finding(
        &mut self,
        advisor: &Advisor,
        locale: &str,
        finding: &Finding,
        params: &serde_json::Map<String, Value>,
    ) -> Rc<Resolved> {
        self.key.clear();
        self.key.push_str(&finding.code);
        self.key.push('\u{2}');
        self.key
            .push_str(&serde_json::to_string(params).expect("JSON serializes"));
        self.get_or(|| advisor.advise_raw(finding, params, locale))
    }

    fn get_or(&mut self, resolve: impl FnOnce() -> Result<Advice, NoAdvice>) -> Rc<Resolved> {
        if let Some(r) = self.map.get(self.key.as_str()) {
            return r.clone();
        }
        let (advice, reason) = match resolve() {
            Ok(a) => (Some(a), None),
            Err(no) => (None, no.reason()),
        };
        let value = serde_json::to_value(&advice).expect("advice serializes");
        let json = value.to_string();
        let resolved = Rc::new(Resolved {
            advice,
            reason,
            value,
            json,
        });
        if self.map.len() >= CACHE {
            self.map.clear();
        }
        self.map.insert(self.key.clone(), resolved.clone());
        resolved
    }
}

/// The key beside `"advice": null` that says why (`"not-applicable"`).
pub const REASON: &str = "advice_reason";
