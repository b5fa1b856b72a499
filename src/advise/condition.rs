//! When a finding is a problem: typed parameters and the condition a catalog entry states
//! on them (`when: days > stale_days`).
//!
//! A log line such as "last password sync was 1 days ago" matches the `phs.stale` pattern
//! but describes a healthy system; advice on it would contradict itself. The catalog says
//! when a finding holds, and the threshold is a named limit (`limits: {stale_days: 3}`)
//! that the condition and the Fluent description both read, so they cannot disagree.
//!
//! ```
//! use remedy::advise::{ParamSpec, ParamType, Condition, Verdict, Unit};
//! use std::collections::BTreeMap;
//!
//! let params = vec![ParamSpec { name: "days".into(), kind: ParamType::Duration(Unit::Day) }];
//! let limits = BTreeMap::from([("stale_days".to_owned(), "3".to_owned())]);
//! let when = Condition::parse("days > stale_days", &params, &limits).unwrap();
//! let verdict = |v: &str| when.judge(&params, |_| Some(serde_json::Value::from(v)));
//! assert_eq!(verdict("1 day"), Verdict::Fails);
//! assert_eq!(verdict("72 hours"), Verdict::Fails); // three days is not more than three
//! assert_eq!(verdict("4"), Verdict::Holds);        // the unit is days
//! assert_eq!(verdict("P3DT1H"), Verdict::Holds);   // ISO 8601
//! assert_eq!(verdict("soon"), Verdict::Unknown(vec!["days".into()]));
//! ```

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::l10n::Arg;

/// A unit of time, for duration parameters: the unit a bare number is in, and the unit
/// the value is given to Fluent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `s`, `sec`, `seconds`.
    Second,
    /// `m`, `min`, `minutes`.
    Minute,
    /// `h`, `hrs`, `hours`.
    Hour,
    /// `d`, `days`.
    Day,
    /// `w`, `weeks`.
    Week,
}

impl Unit {
    fn seconds(self) -> f64 {
        match self {
            Unit::Second => 1.0,
            Unit::Minute => 60.0,
            Unit::Hour => 3_600.0,
            Unit::Day => 86_400.0,
            Unit::Week => 604_800.0,
        }
    }

    /// A unit as written in catalogs and logs (`d`, `day`, `days`, `hrs`, …).
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim().to_lowercase().as_str() {
            "s" | "sec" | "secs" | "second" | "seconds" => Unit::Second,
            "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
            "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
            "d" | "day" | "days" => Unit::Day,
            "w" | "wk" | "week" | "weeks" => Unit::Week,
            _ => return None,
        })
    }
}

/// What a parameter holds, and so how it is read and compared.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamType {
    /// Any text; compared for equality only, as written.
    Text,
    /// A number (`5`, `"5"`).
    Number,
    /// A length of time: a number in this unit, `72 hours`, `3d`, or ISO 8601 (`P3DT4H`).
    /// Fluent receives it as a number of this unit.
    Duration(Unit),
    /// One of these values (each a name and the other ways tools write it), compared
    /// without regard to case, spaces, hyphens or underscores.
    Enum(Vec<(String, Vec<String>)>),
}

/// A declared parameter of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpec {
    /// Its name in records and messages.
    pub name: String,
    /// How its value is read.
    pub kind: ParamType,
}

/// A parameter's value, read as its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text, as given.
    Text(String),
    /// A number.
    Number(f64),
    /// In seconds.
    Seconds(f64),
    /// The canonical name of an enumeration value.
    Enum(String),
}

impl ParamType {
    /// `raw` read as this type; `None` when it is not one (`"soon"` for a number).
    pub fn read(&self, raw: &Json) -> Option<Value> {
        let text = match raw {
            Json::String(s) => s.trim().to_owned(),
            Json::Number(n) => n.to_string(),
            Json::Bool(b) => b.to_string(),
            _ => return None,
        };
        match self {
            ParamType::Text => Some(Value::Text(text)),
            ParamType::Number => number(&text).map(Value::Number),
            ParamType::Duration(unit) => duration(&text, *unit).map(Value::Seconds),
            ParamType::Enum(values) => {
                let wanted = folded(&text);
                values
                    .iter()
                    .find(|(name, aliases)| {
                        folded(name) == wanted || aliases.iter().any(|a| folded(a) == wanted)
                    })
                    .map(|(name, _)| Value::Enum(name.clone()))
            }
        }
    }

    /// `value` as Fluent receives it: durations in the parameter's unit, so that plural
    /// rules select on the number the reader sees.
    pub fn fluent(&self, value: &Value) -> Arg {
        match (self, value) {
            // To a tenth: "3.5 days", not "3.4583333333333335 days".
            (ParamType::Duration(unit), Value::Seconds(s)) => {
                Arg::Number((s / unit.seconds() * 10.0).round() / 10.0)
            }
            (_, Value::Number(n)) => Arg::Number(*n),
            (_, Value::Seconds(s)) => Arg::Number(*s),
            (_, Value::Text(t) | Value::Enum(t)) => Arg::Text(t.clone()),
        }
    }
}

fn number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Seconds in `s`: a bare number (of `unit`), a number and a unit (`72 hours`, `3d`), or
/// an ISO 8601 duration (`P3D`, `PT72H`, `P1DT12H30M`).
fn duration(s: &str, unit: Unit) -> Option<f64> {
    if let Some(n) = number(s) {
        return Some(n * unit.seconds()).filter(|n| *n >= 0.0);
    }
    if let Some(iso) = s.strip_prefix(['P', 'p']) {
        return iso_duration(iso);
    }
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (n, u) = s.split_at(split);
    Some(number(n)? * Unit::parse(u)?.seconds()).filter(|n| *n >= 0.0)
}

/// The part of an ISO 8601 duration after its `P`.
fn iso_duration(s: &str) -> Option<f64> {
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut total = 0.0;
    let mut any = false;
    for (part, units) in [
        (date, &[('W', Unit::Week), ('D', Unit::Day)][..]),
        (
            time.unwrap_or(""),
            &[('H', Unit::Hour), ('M', Unit::Minute), ('S', Unit::Second)][..],
        ),
    ] {
        let mut rest = part;
        while !rest.is_empty() {
            let at = rest.find(|c: char| c.is_ascii_alphabetic())?;
            let designator = rest[at..].chars().next()?.to_ascii_uppercase();
            let unit = units.iter().find(|(d, _)| *d == designator)?.1;
            total += number(&rest[..at])? * unit.seconds();
            any = true;
            rest = &rest[at + 1..];
        }
    }
    (any && time != Some("")).then_some(total)
}

/// Lower case without spaces, hyphens and underscores: `Pass-Through Auth` is
/// `passthroughauth`.
fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `in [a, b]`
    In,
    /// `not in [a, b]`
    NotIn,
}

impl Op {
    fn ordered(self) -> bool {
        matches!(self, Op::Gt | Op::Ge | Op::Lt | Op::Le)
    }
}

/// One `param op operand` of a condition, its operands read as the parameter's type.
#[derive(Debug, Clone, PartialEq)]
struct Clause {
    param: String,
    op: Op,
    operands: Vec<Value>,
    /// The named limit the clause compares with, if it names one.
    limit: Option<String>,
}

/// A finding's condition: clauses joined by `and`, all of which must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    source: String,
    clauses: Vec<Clause>,
}

/// Whether a finding holds for the parameters a record carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Every clause holds: advise.
    Holds,
    /// Some clause fails: the finding describes a healthy state; no advice.
    Fails,
    /// These parameters are missing or unreadable, and no clause on the others fails:
    /// the sender called it a problem, so it is advised, saying the value is unknown.
    Unknown(Vec<String>),
}

impl Condition {
    /// Parses `source` (`days > stale_days and method not in [phs, pta]`) against the
    /// declared parameters and the entry's named limits. Errors say what is wrong.
    pub fn parse(
        source: &str,
        params: &[ParamSpec],
        limits: &BTreeMap<String, String>,
    ) -> Result<Condition, String> {
        let mut clauses = Vec::new();
        for text in source.split(" and ") {
            clauses.push(clause(text.trim(), params, limits)?);
        }
        Ok(Condition {
            source: source.trim().to_owned(),
            clauses,
        })
    }

    /// The condition as the catalog wrote it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parameters the condition reads.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.clauses.iter().map(|c| c.param.as_str())
    }

    /// The named limits the condition compares with, as Fluent receives them: read as the
    /// type of their parameter (a duration limit in the parameter's unit).
    pub fn limit_args(&self, params: &[ParamSpec]) -> Vec<(String, Arg)> {
        self.clauses
            .iter()
            .filter_map(|c| {
                let spec = params.iter().find(|p| p.name == c.param)?;
                Some((c.limit.clone()?, spec.kind.fluent(&c.operands[0])))
            })
            .collect()
    }

    /// The verdict for the values `value_of` gives for each parameter (raw, as the record
    /// or the log line has it).
    pub fn judge(&self, params: &[ParamSpec], value_of: impl Fn(&str) -> Option<Json>) -> Verdict {
        let mut unknown: Vec<String> = Vec::new();
        for c in &self.clauses {
            let spec = params
                .iter()
                .find(|p| p.name == c.param)
                .expect("parse checked that the parameter is declared");
            let Some(value) = value_of(&c.param).and_then(|raw| spec.kind.read(&raw)) else {
                if !unknown.contains(&c.param) {
                    unknown.push(c.param.clone());
                }
                continue;
            };
            if !c.holds(&value) {
                return Verdict::Fails;
            }
        }
        if unknown.is_empty() {
            Verdict::Holds
        } else {
            Verdict::Unknown(unknown)
        }
    }
}

impl Clause {
    fn holds(&self, value: &Value) -> bool {
        let cmp = |other: &Value| -> Option<std::cmp::Ordering> {
            match (value, other) {
                (Value::Number(a), Value::Number(b)) | (Value::Seconds(a), Value::Seconds(b)) => {
                    a.partial_cmp(b)
                }
                (Value::Text(a), Value::Text(b)) | (Value::Enum(a), Value::Enum(b)) => {
                    Some(a.cmp(b))
                }
                _ => None,
            }
        };
        use std::cmp::Ordering::{Equal, Greater, Less};
        let first = &self.operands[0];
        match self.op {
            Op::Gt => cmp(first) == Some(Greater),
            Op::Ge => matches!(cmp(first), Some(Greater | Equal)),
            Op::Lt => cmp(first) == Some(Less),
            Op::Le => matches!(cmp(first), Some(Less | Equal)),
            Op::Eq => cmp(first) == Some(Equal),
            Op::Ne => cmp(first) != Some(Equal),
            Op::In => self.operands.iter().any(|o| cmp(o) == Some(Equal)),
            Op::NotIn => self.operands.iter().all(|o| cmp(o) != Some(Equal)),
        }
    }
}

fn clause(
    text: &str,
    params: &[ParamSpec],
    limits: &BTreeMap<String, String>,
) -> Result<Clause, String> {
    const OPS: [(&str, Op); 8] = [
        (" not in ", Op::NotIn),
        (" in ", Op::In),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        ("==", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
    ];
    let (at, token, op) = OPS
        .iter()
        .filter_map(|(t, op)| text.find(t).map(|at| (at, *t, *op)))
        .min_by_key(|(at, t, _)| (*at, std::cmp::Reverse(t.len())))
        .ok_or_else(|| {
            format!("condition {text:?}: expected `PARAM OP VALUE` with one of > >= < <= == != in")
        })?;
    let param = text[..at].trim();
    let right = text[at + token.len()..].trim();
    let spec = params.iter().find(|p| p.name == param).ok_or_else(|| {
        format!("condition {text:?}: {param:?} is not one of the finding's params")
    })?;
    if op.ordered() && matches!(spec.kind, ParamType::Text | ParamType::Enum(_)) {
        return Err(format!(
            "condition {text:?}: {param} is not a number or a duration, so it cannot be ordered"
        ));
    }
    let items: Vec<&str> = if matches!(op, Op::In | Op::NotIn) {
        right
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .ok_or_else(|| format!("condition {text:?}: expected a list `[a, b]` after `in`"))?
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        vec![right]
    };
    if items.is_empty() {
        return Err(format!("condition {text:?}: nothing to compare with"));
    }
    let limit = match items[..] {
        [one] if limits.contains_key(one) => Some(one.to_owned()),
        _ => None,
    };
    let operands = items
        .into_iter()
        .map(|item| {
            // A named limit, or a literal.
            let written = limits.get(item).map_or(item, String::as_str);
            let written = written.trim_matches(|c| c == '"' || c == '\'');
            spec.kind
                .read(&Json::String(written.to_owned()))
                .ok_or_else(|| {
                    format!(
                        "condition {text:?}: {written:?} is not a value of {param} ({:?})",
                        spec.kind
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Clause {
        param: param.to_owned(),
        op,
        operands,
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days() -> Vec<ParamSpec> {
        vec![ParamSpec {
            name: "days".into(),
            kind: ParamType::Duration(Unit::Day),
        }]
    }

    fn method() -> ParamSpec {
        ParamSpec {
            name: "method".into(),
            kind: ParamType::Enum(vec![
                (
                    "password-hash-sync".into(),
                    vec!["password hash synchronization".into(), "phs".into()],
                ),
                ("pass-through".into(), vec!["pta".into()]),
                ("federation".into(), vec!["ad fs".into(), "adfs".into()]),
            ]),
        }
    }

    fn limits(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn durations_read_every_way_tools_write_them() {
        let d = |s: &str| duration(s, Unit::Day);
        assert_eq!(d("3"), Some(3.0 * 86_400.0));
        assert_eq!(d("72 hours"), Some(3.0 * 86_400.0));
        assert_eq!(d("72h"), Some(3.0 * 86_400.0));
        assert_eq!(d("1 day"), Some(86_400.0));
        assert_eq!(d("2.5 d"), Some(2.5 * 86_400.0));
        assert_eq!(d("1 week"), Some(7.0 * 86_400.0));
        assert_eq!(d("90 min"), Some(5_400.0));
        assert_eq!(d("P3D"), Some(3.0 * 86_400.0));
        assert_eq!(d("PT72H"), Some(3.0 * 86_400.0));
        assert_eq!(d("P1DT12H30M"), Some(86_400.0 + 12.0 * 3_600.0 + 1_800.0));
        assert_eq!(d("P1W"), Some(7.0 * 86_400.0));
        for bad in [
            "",
            "soon",
            "3 fortnights",
            "P",
            "PT",
            "P3X",
            "-2",
            "P3DT",
            "NaN",
            "inf",
        ] {
            assert_eq!(d(bad), None, "{bad:?}");
        }
    }

    /// The boundary the articles state: "more than three days".
    #[test]
    fn three_days_is_not_more_than_three_and_four_is() {
        let params = days();
        let c = Condition::parse(
            "days > stale_days",
            &params,
            &limits(&[("stale_days", "3")]),
        )
        .unwrap();
        let v = |raw: Json| c.judge(&params, |_| Some(raw.clone()));
        assert_eq!(v(Json::from(3)), Verdict::Fails);
        assert_eq!(v(Json::from(4)), Verdict::Holds);
        assert_eq!(v(Json::from("3 days")), Verdict::Fails);
        assert_eq!(v(Json::from("73 hours")), Verdict::Holds);
        assert_eq!(v(Json::from(0)), Verdict::Fails);
        assert_eq!(
            v(Json::from("never")),
            Verdict::Unknown(vec!["days".into()])
        );
        assert_eq!(
            c.judge(&params, |_| None),
            Verdict::Unknown(vec!["days".into()])
        );
        assert_eq!(c.source(), "days > stale_days");
    }

    #[test]
    fn enumerations_compare_by_name_or_alias_in_any_case() {
        let params = vec![method()];
        let c = Condition::parse("method != password-hash-sync", &params, &limits(&[])).unwrap();
        let v = |s: &str| c.judge(&params, |_| Some(Json::from(s)));
        assert_eq!(v("Password Hash Synchronization"), Verdict::Fails);
        assert_eq!(v("PHS"), Verdict::Fails);
        assert_eq!(v("AD FS"), Verdict::Holds);
        assert_eq!(v("Pass-Through"), Verdict::Holds);
        assert_eq!(v("carrier pigeon"), Verdict::Unknown(vec!["method".into()]));
        let c = Condition::parse("method in [pta, adfs]", &params, &limits(&[])).unwrap();
        let v = |s: &str| c.judge(&params, |_| Some(Json::from(s)));
        assert_eq!(v("federation"), Verdict::Holds);
        assert_eq!(v("phs"), Verdict::Fails);
        let c = Condition::parse("method not in [pta, adfs]", &params, &limits(&[])).unwrap();
        assert_eq!(
            c.judge(&params, |_| Some(Json::from("phs"))),
            Verdict::Holds
        );
    }

    #[test]
    fn a_failing_clause_wins_over_an_unknown_one() {
        let mut params = days();
        params.push(method());
        let c = Condition::parse("days >= 2 and method != phs", &params, &limits(&[])).unwrap();
        let only_method = |m: &'static str| move |p: &str| (p == "method").then(|| Json::from(m));
        assert_eq!(c.judge(&params, only_method("phs")), Verdict::Fails);
        assert_eq!(
            c.judge(&params, only_method("pta")),
            Verdict::Unknown(vec!["days".into()])
        );
        assert_eq!(c.params().collect::<Vec<_>>(), ["days", "method"]);
    }

    #[test]
    fn bad_conditions_say_what_is_wrong() {
        let mut params = days();
        params.push(method());
        params.push(ParamSpec {
            name: "host".into(),
            kind: ParamType::Text,
        });
        let l = limits(&[("stale_days", "three")]);
        let err = |s: &str| Condition::parse(s, &params, &l).unwrap_err();
        assert!(err("hours > 3").contains("\"hours\" is not one of the finding's params"));
        assert!(err("days 3").contains("expected `PARAM OP VALUE`"));
        assert!(err("days > stale_days").contains("\"three\" is not a value of days"));
        assert!(err("method > phs").contains("cannot be ordered"));
        assert!(err("host < a").contains("cannot be ordered"));
        assert!(err("method == telepathy").contains("is not a value of method"));
        assert!(err("method in pta").contains("expected a list"));
        assert!(err("method in []").contains("nothing to compare with"));
        assert!(Condition::parse("host == AADC01", &params, &l).is_ok());
    }

    #[test]
    fn fluent_gets_durations_in_the_parameters_unit() {
        let p = days();
        let v = p[0].kind.read(&Json::from("96 hours")).unwrap();
        assert_eq!(p[0].kind.fluent(&v), Arg::Number(4.0));
        let c =
            Condition::parse("days > stale_days", &p, &limits(&[("stale_days", "72h")])).unwrap();
        assert_eq!(
            c.limit_args(&p),
            [("stale_days".to_owned(), Arg::Number(3.0))]
        );
    }
}
