//! Calendar dates: parsing the written forms (Arabic and Chinese numerals) into ISO dates.

use crate::chars::parse_number;
use crate::grammar::rule;

/// A valid calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date if it exists in the calendar.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1900..=2199).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Year written in digits or as four Chinese digits (`二〇二三`).
fn year_of(s: &str) -> Option<i32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    s.chars().try_fold(0i32, |acc, c| {
        crate::chars::cn_digit(c).map(|d| acc * 10 + d as i32)
    })
}

/// Parse the first full date (`2023年5月26日`, `二〇一一年十月十四日`, `2025-12-29`) in `text`.
/// Returns the date and the byte range of its match.
pub fn parse_date(text: &str) -> Option<(Date, std::ops::Range<usize>)> {
    for id in ["date", "iso_date"] {
        for c in rule(id).captures_iter(text) {
            let (Some(y), Some(m), Some(d)) = (c.name("year"), c.name("month"), c.name("day"))
            else {
                continue;
            };
            let date = year_of(y.as_str())
                .and_then(|y| Date::new(y, parse_number(m.as_str())?, parse_number(d.as_str())?));
            if let Some(date) = date {
                return Some((date, c.get(0).map(|m| m.range()).unwrap_or(0..0)));
            }
        }
    }
    None
}

/// The first four-digit year written with 年 (`2021年度`, `2021年8月`) in a text.
pub fn first_year(text: &str) -> Option<i32> {
    rule("written_year")
        .captures_iter(text)
        .filter_map(|c| c.name("year")?.as_str().parse().ok())
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_dates() {
        assert_eq!(parse_date("2023年5月26日").unwrap().0.iso(), "2023-05-26");
        assert_eq!(
            parse_date("二〇一一年十月十四日").unwrap().0.iso(),
            "2011-10-14"
        );
        assert_eq!(
            parse_date("二〇二三年五月二十六日").unwrap().0.iso(),
            "2023-05-26"
        );
        assert_eq!(
            parse_date("2020 年 11 月 30 日").unwrap().0.iso(),
            "2020-11-30"
        );
        assert_eq!(
            parse_date("日期：2025-12-29 13:44").unwrap().0.iso(),
            "2025-12-29"
        );
        assert_eq!(parse_date("2023年2月30日"), None);
        assert_eq!(parse_date("2024年2月29日").unwrap().0.iso(), "2024-02-29");
    }

    #[test]
    fn day_numbers_round_trip() {
        for (y, m, d) in [(1900, 1, 1), (2000, 2, 29), (2023, 12, 31), (2024, 3, 1)] {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(Date::from_day_number(date.day_number()), Some(date));
        }
    }
}

impl Date {
    /// Days since 1900-01-01 (for differences and the rollover window).
    pub fn day_number(&self) -> i64 {
        let mut days = 0i64;
        for y in 1900..self.year {
            days += if is_leap(y) { 366 } else { 365 };
        }
        for m in 1..self.month {
            days += days_in_month(self.year, m) as i64;
        }
        days + self.day as i64 - 1
    }

    /// The date `n` days after 1900-01-01 (the inverse of [`Date::day_number`]).
    pub fn from_day_number(n: i64) -> Option<Date> {
        if n < 0 {
            return None;
        }
        let mut rest = n;
        let mut year = 1900;
        loop {
            let len = if is_leap(year) { 366 } else { 365 };
            if rest < len {
                break;
            }
            rest -= len;
            year += 1;
            if year > 2199 {
                return None;
            }
        }
        let mut month = 1;
        while rest >= days_in_month(year, month) as i64 {
            rest -= days_in_month(year, month) as i64;
            month += 1;
        }
        Date::new(year, month, rest as u32 + 1)
    }

    /// The last day of a month.
    pub fn month_end(year: i32, month: u32) -> Option<Date> {
        Date::new(year, month, days_in_month(year, month))
    }
}

/// How a date without a year is placed: the year of its context, and the issue date for
/// the rollover rule (a month-day more than 30 days before the issue date is next year's).
#[derive(Debug, Clone, Copy, Default)]
pub struct YearContext {
    pub year: Option<i32>,
    pub issue: Option<Date>,
}

impl YearContext {
    /// Resolve a month-day; `explicit` is a year written with it or in its sentence.
    pub fn resolve(
        &self,
        explicit: Option<i32>,
        month: u32,
        day_of: impl Fn(i32) -> Option<u32>,
    ) -> Option<Date> {
        if let Some(y) = explicit {
            return Date::new(y, month, day_of(y)?);
        }
        let year = self.year?;
        let date = Date::new(year, month, day_of(year)?)?;
        match self.issue {
            Some(issue) if date.day_number() < issue.day_number() - 30 => {
                Date::new(year + 1, month, day_of(year + 1)?)
            }
            _ => Some(date),
        }
    }
}
