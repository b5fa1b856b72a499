//! Numbers and dates in the reader's locale, through ICU4X (CLDR data compiled in):
//! nb-NO writes 1 234 567 and "5. mars 2026", nl-NL 1.234.567 and "5 mrt 2026".

use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_datetime::input::{Date, DateTime, Time};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;

use crate::locale::Locale;

/// Formats numbers and dates for one locale; build once per page set, not per number.
pub struct Formatter {
    decimal: Option<DecimalFormatter>,
    datetime: Option<DateTimeFormatter<icu_datetime::fieldsets::YMDT>>,
}

/// A point in time in UTC, as a tool reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// The year, proleptic Gregorian.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59 (seconds are not kept: reports show minutes).
    pub minute: u8,
}

impl Timestamp {
    /// Reads an RFC 3339 / ISO 8601 time (`2026-03-05T14:03:00Z`, `…+02:00`; a space for
    /// the `T`; seconds, fraction and zone optional) as UTC: an offset is applied, a time
    /// without a zone is taken as UTC (tools write UTC).
    pub fn parse(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let t = s.get(r)?;
            t.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| t.parse().ok())?
        };
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (year, month, day) = (num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8);
        let mut at = 10;
        let (mut hour, mut minute) = (0u8, 0u8);
        if b.len() >= 16 && matches!(b[10], b'T' | b't' | b' ') && b[13] == b':' {
            hour = num(11..13)? as u8;
            minute = num(14..16)? as u8;
            at = 16;
            if b.get(at) == Some(&b':') {
                num(at + 1..at + 3)?;
                at += 3;
                if b.get(at) == Some(&b'.') {
                    at += 1;
                    while b.get(at).is_some_and(u8::is_ascii_digit) {
                        at += 1;
                    }
                }
            }
        }
        // The zone: none or `Z` is UTC; `+HH:MM` / `-HHMM` is an offset from it.
        let offset_minutes: i64 = match b.get(at) {
            None | Some(b'Z' | b'z') => 0,
            Some(sign @ (b'+' | b'-')) => {
                let h = i64::from(num(at + 1..at + 3)?);
                let m_at = if b.get(at + 3) == Some(&b':') {
                    at + 4
                } else {
                    at + 3
                };
                let m = i64::from(num(m_at..m_at + 2)?);
                let total = h * 60 + m;
                if *sign == b'+' { total } else { -total }
            }
            Some(_) => return None,
        };
        if Date::try_new_iso(year, month, day).is_err()
            || Time::try_new(hour, minute, 0, 0).is_err()
        {
            return None;
        }
        let local = days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60;
        Some(Timestamp::from_unix(
            u64::try_from(local - offset_minutes * 60).ok()?,
        ))
    }

    /// A Unix time (seconds) in UTC.
    pub fn from_unix(secs: u64) -> Timestamp {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Timestamp {
            year,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
        }
    }

    /// `2026-03-05T14:03Z`, for machine-readable places (`<time datetime>`).
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }
}

/// Days since 1970-01-01 of a date (Howard Hinnant's days_from_civil).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Formatter {
    /// The formats of `locale`; without ICU4X data for it, plain digits and ISO times.
    pub fn new(locale: &Locale) -> Formatter {
        let parsed = icu_locale_core::Locale::try_from_str(&locale.to_string()).ok();
        let Some(loc) = parsed else {
            return Formatter {
                decimal: None,
                datetime: None,
            };
        };
        Formatter {
            decimal: DecimalFormatter::try_new((&loc).into(), Default::default()).ok(),
            datetime: DateTimeFormatter::try_new((&loc).into(), YMD::medium().with_time_hm()).ok(),
        }
    }

    /// A count with the locale's digit grouping.
    pub fn count(&self, n: u64) -> String {
        match &self.decimal {
            Some(f) => f.format(&Decimal::from(n)).to_string(),
            None => n.to_string(),
        }
    }

    /// A number of tenths as the locale writes a decimal with one fraction digit
    /// (`2` → `0,2` in nb-NO, `0.2` in en-US).
    pub fn tenths(&self, tenths: u64) -> String {
        let mut d = Decimal::from(tenths);
        d.absolute.multiply_pow10(-1);
        match &self.decimal {
            Some(f) => f.format(&d).to_string(),
            None => format!("{}.{}", tenths / 10, tenths % 10),
        }
    }

    /// A date and time, medium length, in the locale's words and order.
    pub fn datetime(&self, t: &Timestamp) -> String {
        let fallback = || format!("{} UTC", t.iso());
        let (Ok(date), Ok(time)) = (
            Date::try_new_iso(t.year, t.month, t.day),
            Time::try_new(t.hour, t.minute, 0, 0),
        ) else {
            return fallback();
        };
        match &self.datetime {
            Some(f) => format!("{} UTC", f.format(&DateTime { date, time })),
            None => fallback(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(l: &str) -> Formatter {
        Formatter::new(&l.parse().unwrap())
    }

    #[test]
    fn counts_are_grouped_per_locale() {
        assert_eq!(f("nb-NO").count(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(f("nl-NL").count(1_234_567), "1.234.567");
        assert_eq!(f("en-US").count(1_234_567), "1,234,567");
    }

    #[test]
    fn tenths_use_the_locale_s_decimal_sign() {
        assert_eq!(f("nb-NO").tenths(2), "0,2");
        assert_eq!(f("nl-NL").tenths(75), "7,5");
        assert_eq!(f("en-US").tenths(12_345), "1,234.5");
    }

    #[test]
    fn dates_are_written_the_locale_s_way() {
        let t = Timestamp::parse("2026-03-05T14:03:09Z").unwrap();
        let nb = f("nb-NO").datetime(&t);
        assert!(nb.contains("5. mars 2026") && nb.contains("14:03"), "{nb}");
        let nl = f("nl-NL").datetime(&t);
        assert!(nl.contains("5 mrt 2026") && nl.contains("14:03"), "{nl}");
        let en = f("en-US").datetime(&t);
        assert!(en.contains("Mar 5, 2026"), "{en}");
    }

    #[test]
    fn timestamps_parse_and_come_from_unix_time() {
        assert_eq!(Timestamp::parse("2026-13-05"), None);
        assert_eq!(Timestamp::parse("yesterday"), None);
        assert_eq!(
            Timestamp::parse("2026-03-05 14:03").unwrap().iso(),
            "2026-03-05T14:03Z"
        );
        assert_eq!(Timestamp::from_unix(0).iso(), "1970-01-01T00:00Z");
        // Offsets are applied: the page says UTC.
        assert_eq!(
            Timestamp::parse("2026-03-05T16:03:09.123+02:00")
                .unwrap()
                .iso(),
            "2026-03-05T14:03Z"
        );
        assert_eq!(
            Timestamp::parse("2026-03-01T01:30-0100").unwrap().iso(),
            "2026-03-01T02:30Z"
        );
        assert_eq!(
            Timestamp::parse("2026-03-01T00:30+01:00").unwrap().iso(),
            "2026-02-28T23:30Z"
        );
        assert_eq!(Timestamp::parse("2026-03-01T00:30 CET"), None);
        assert_eq!(
            Timestamp::from_unix(1_772_719_380).iso(),
            "2026-03-05T14:03Z"
        );
    }
}
