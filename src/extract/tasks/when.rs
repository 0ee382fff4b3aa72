//! When: deadlines (dated, recurring, relative) and activity periods, resolved against the
//! document's own year and issue date (never the wall clock).

use super::super::Ctx;
use super::super::dates::{Date, YearContext, days_in_month};
use super::what::{annex_refs, deliverables};
use crate::chars::parse_number;
use crate::grammar::{Probe, lexicon, rule, scan_probed};
use crate::spec::{Deadline, Period, Relative, RelativeUnit};
use regex::Captures;
use std::ops::Range;

/// The year written before `at` in the same sentence (`2024年8月至11月` gives 11月 its year).
fn year_in_sentence(t: &str, at: usize) -> Option<i32> {
    let start = t[..at]
        .rfind(['。', '；'])
        .map(|p| p + '。'.len_utf8())
        .unwrap_or(0);
    let s = &t[start..at];
    let p = s.rfind('年')?;
    let digits: String = s[..p]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

fn year_of(c: &Captures, name: &str) -> Option<i32> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

fn num(c: &Captures, name: &str) -> Option<u32> {
    c.name(name).and_then(|m| parse_number(m.as_str()))
}

/// Last day meant by a day or a 旬 (as an end).
fn end_day(c: &Captures, day: &str, xun: &str, year: i32, month: u32) -> Option<u32> {
    if let Some(d) = num(c, day) {
        return Some(d);
    }
    match c.name(xun).map(|m| m.as_str()) {
        Some("上旬") => Some(10),
        Some("中旬") => Some(20),
        _ => Some(days_in_month(year, month)),
    }
}

/// A dated match before resolution: where it is and what it says.
struct Hit {
    range: Range<usize>,
    date: Option<Date>,
    /// A recurring deadline's first occurrence.
    first: Option<Date>,
    rrule: Option<String>,
    relative: Option<Relative>,
}

/// Every deadline of one line of the normalized text.
pub fn deadlines(ctx: &Ctx, line: Range<usize>, years: YearContext, probe: Probe) -> Vec<Deadline> {
    let t = &ctx.norm.text[line.clone()];
    let mut hits: Vec<Hit> = Vec::new();
    let taken = |hits: &[Hit], r: &Range<usize>| {
        hits.iter()
            .any(|h| h.range.start < r.end && r.start < h.range.end)
    };
    for c in scan_probed("recurring", t, probe) {
        let r = c.get(0).expect("whole match").range();
        if let Some((rrule, first)) = recurring(&c, years) {
            hits.push(Hit {
                range: r,
                date: None,
                first,
                rrule: Some(rrule),
                relative: None,
            });
        }
    }
    for c in scan_probed("deadline", t, probe) {
        let r = c.get(0).expect("whole match").range();
        if taken(&hits, &r) || t[..r.start].ends_with('每') {
            continue;
        }
        if let Some(date) = dated(t, &c, years) {
            hits.push(plain(r, date));
        }
    }
    for c in scan_probed("deadline_cutoff", t, probe) {
        let r = c.get(0).expect("whole match").range();
        if taken(&hits, &r) {
            continue;
        }
        let explicit = year_of(&c, "year").or_else(|| year_in_sentence(t, r.start));
        if let Some(date) =
            num(&c, "month").and_then(|mo| years.resolve(explicit, mo, |_| num(&c, "day")))
        {
            hits.push(plain(r, date));
        }
    }
    for c in scan_probed("deadline_by", t, probe) {
        let r = c.get(0).expect("whole match").range();
        if taken(&hits, &r) || (c.name("lead").is_none() && c.name("within").is_none()) {
            continue;
        }
        let explicit = year_of(&c, "year").or_else(|| year_in_sentence(t, r.start));
        if let Some(date) =
            num(&c, "month").and_then(|mo| years.resolve(explicit, mo, |_| num(&c, "day")))
        {
            hits.push(plain(r, date));
        }
    }
    for c in scan_probed("relative", t, probe) {
        let r = c.get(0).expect("whole match").range();
        if taken(&hits, &r) {
            continue;
        }
        if let Some((relative, date)) = relative(&c, years) {
            hits.push(Hit {
                range: r,
                date,
                first: None,
                rrule: None,
                relative: Some(relative),
            });
        }
    }
    hits.sort_by_key(|h| h.range.start);

    let mut out = Vec::new();
    for (k, h) in hits.iter().enumerate() {
        let next = hits.get(k + 1).map(|n| n.range.start).unwrap_or(t.len());
        let stop = t[h.range.end..]
            .find(['。', '；'])
            .map(|p| h.range.end + p)
            .unwrap_or(t.len());
        let clause_end = next.min(stop).max(h.range.end);
        let after = &t[h.range.end..clause_end];
        if rule("condition_after_date").is_match(after) || t[..h.range.start].ends_with("截至") {
            continue;
        }
        let action = lexicon("actions")
            .iter()
            .filter_map(|a| after.find(a.as_str()).map(|p| (p, a)))
            .min_by_key(|(p, _)| *p)
            .map(|(_, a)| a.clone());
        let annexes = annex_refs(after);
        let deliverables = deliverables(after, action.as_deref());
        out.push(Deadline {
            origin: Default::default(),
            date: h.date.map(|d| d.iso()),
            raw: ctx.raw(
                ctx.norm
                    .span(line.start + h.range.start..line.start + h.range.end),
            ),
            action,
            deliverables,
            annexes,
            rrule: h.rrule.clone(),
            first_occurrence: h.first.map(|d| d.iso()),
            relative: h.relative.clone(),
            span: ctx
                .norm
                .span(line.start + h.range.start..line.start + clause_end),
        });
    }
    out
}

fn plain(range: Range<usize>, date: Date) -> Hit {
    Hit {
        range,
        date: Some(date),
        first: None,
        rrule: None,
        relative: None,
    }
}

/// The date of a `deadline` match.
fn dated(t: &str, c: &Captures, years: YearContext) -> Option<Date> {
    let m = c.get(0)?;
    let explicit = year_of(c, "year").or_else(|| year_in_sentence(t, m.start()));
    if c.name("yearend").is_some() {
        let explicit = year_of(c, "endyear").or(explicit);
        return explicit.or(years.year).and_then(|y| Date::new(y, 12, 31));
    }
    if c.name("thismonth").is_some() {
        let issue = years.issue?;
        return Date::month_end(issue.year, issue.month);
    }
    if let Some(q) = num(c, "quarter") {
        let month = q.checked_mul(3).filter(|m| (3..=12).contains(m))?;
        return years.resolve(explicit, month, |y| Some(days_in_month(y, month)));
    }
    let month = num(c, "month")?;
    years.resolve(explicit, month, |y| end_day(c, "day", "xun", y, month))
}

/// A recurring deadline: its RRULE and its first occurrence on or after the issue date.
fn recurring(c: &Captures, years: YearContext) -> Option<(String, Option<Date>)> {
    let freq = c.name("freq")?.as_str();
    let day = num(c, "day");
    let after = num(c, "after");
    let end = c.name("end").is_some();
    let (rule, first): (String, Option<Date>) = match freq {
        "月" => {
            let by = match (day, end) {
                (Some(d), _) if (1..=31).contains(&d) => d as i32,
                (_, true) => -1,
                _ => return None,
            };
            let first = years.issue.and_then(|i| next_monthly(i, by, 1, 1));
            (format!("FREQ=MONTHLY;BYMONTHDAY={by}"), first)
        }
        "季度" | "季" => {
            // quarter end, or N days after it (working days are approximated as days)
            let (months, by) = match (after, end) {
                (Some(n), _) if (1..=31).contains(&n) => ("1,4,7,10", n as i32),
                (None, _) if day.is_some() => ("1,4,7,10", day? as i32),
                _ => ("3,6,9,12", -1),
            };
            let start_month = if months.starts_with('1') { 1 } else { 3 };
            let first = years
                .issue
                .and_then(|i| next_monthly(i, by, start_month, 3));
            (
                format!("FREQ=YEARLY;BYMONTH={months};BYMONTHDAY={by}"),
                first,
            )
        }
        "年" => {
            let month = num(c, "month")?;
            let d = day?;
            let first = years.issue.and_then(|i| {
                let this = Date::new(i.year, month, d)?;
                if this >= i {
                    Some(this)
                } else {
                    Date::new(i.year + 1, month, d)
                }
            });
            (format!("FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={d}"), first)
        }
        _ => {
            let wd = c.name("weekday")?.as_str();
            let code = match wd {
                "一" => "MO",
                "二" => "TU",
                "三" => "WE",
                "四" => "TH",
                "五" => "FR",
                "六" => "SA",
                _ => "SU",
            };
            let first = years.issue.and_then(|i| next_weekday(i, code));
            (format!("FREQ=WEEKLY;BYDAY={code}"), first)
        }
    };
    Some((rule, first))
}

/// First date on or after `from` that is day `by` (-1 = last) of a month `start, start+step…`.
fn next_monthly(from: Date, by: i32, start: u32, step: u32) -> Option<Date> {
    let (mut y, mut m) = (from.year, from.month);
    for _ in 0..40 {
        if (m + 12 - start).is_multiple_of(step) {
            let d = if by < 0 {
                days_in_month(y, m)
            } else {
                (by as u32).min(days_in_month(y, m))
            };
            if let Some(date) = Date::new(y, m, d).filter(|d| *d >= from) {
                return Some(date);
            }
        }
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    None
}

/// First date on or after `from` falling on a weekday (RFC 5545 two-letter code).
fn next_weekday(from: Date, code: &str) -> Option<Date> {
    let want = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        .iter()
        .position(|c| *c == code)? as i64;
    // 1900-01-01 was a Monday
    let today = from.day_number().rem_euclid(7);
    let ahead = (want - today).rem_euclid(7);
    Date::from_day_number(from.day_number() + ahead)
}

/// A relative deadline; placed on the calendar only when it counts calendar days from the
/// issue date itself (`本通知印发之日起30日内`).
fn relative(c: &Captures, years: YearContext) -> Option<(Relative, Option<Date>)> {
    let anchor = c.name("anchor")?.as_str().to_string();
    let amount = num(c, "n").filter(|n| *n > 0)?;
    let unit = match c.name("unit")?.as_str() {
        "工作日" => RelativeUnit::WorkingDay,
        "周" | "星期" => RelativeUnit::Week,
        "个月" | "月" => RelativeUnit::Month,
        _ => RelativeUnit::Day,
    };
    let from_issue = ["印发", "发布", "下发", "公布"]
        .iter()
        .any(|w| anchor.contains(w));
    let date = match (from_issue, years.issue, unit) {
        (true, Some(issue), RelativeUnit::Day) => {
            Date::from_day_number(issue.day_number() + amount as i64)
        }
        (true, Some(issue), RelativeUnit::Week) => {
            Date::from_day_number(issue.day_number() + 7 * amount as i64)
        }
        _ => None,
    };
    Some((
        Relative {
            amount,
            unit,
            anchor,
        },
        date,
    ))
}

/// Every activity period of one line.
pub fn periods(ctx: &Ctx, line: Range<usize>, years: YearContext, probe: Probe) -> Vec<Period> {
    let t = &ctx.norm.text[line.clone()];
    let mut out = Vec::new();
    let mut taken: Vec<Range<usize>> = Vec::new();
    for c in scan_probed("period_from_now", t, probe) {
        let m = c.get(0).expect("whole match");
        let (Some(issue), Some(m2)) = (years.issue, num(&c, "m2")) else {
            continue;
        };
        let explicit = year_of(&c, "y2");
        let Some(end) = years.resolve(explicit, m2, |y| {
            num(&c, "d2").or(Some(days_in_month(y, m2)))
        }) else {
            continue;
        };
        if end < issue {
            continue;
        }
        taken.push(m.range());
        out.push(period(
            ctx,
            line.start + m.start()..line.start + m.end(),
            issue,
            end,
        ));
    }
    for c in scan_probed("period", t, probe) {
        let m = c.get(0).expect("whole match");
        if c.name("m2").is_none() && c.name("d2").is_none() && c.name("x2").is_none() {
            continue;
        }
        if taken.iter().any(|r| r.start < m.end() && m.start() < r.end) {
            continue;
        }
        let Some(m1) = num(&c, "m1") else { continue };
        let explicit = year_of(&c, "y1").or_else(|| year_in_sentence(t, m.start()));
        let start_day = |_: i32| -> Option<u32> {
            num(&c, "d1").or(match c.name("x1").map(|x| x.as_str()) {
                Some("中旬") => Some(11),
                Some("下旬") => Some(21),
                _ => Some(1),
            })
        };
        let Some(start) = years.resolve(explicit, m1, start_day) else {
            continue;
        };
        let m2 = num(&c, "m2").unwrap_or(m1);
        let y2 = year_of(&c, "y2").unwrap_or(start.year + i32::from(c.name("next").is_some()));
        let Some(mut end) = end_day(&c, "d2", "x2", y2, m2).and_then(|d| Date::new(y2, m2, d))
        else {
            continue;
        };
        if end < start && c.name("y2").is_none() {
            match end_day(&c, "d2", "x2", y2 + 1, m2).and_then(|d| Date::new(y2 + 1, m2, d)) {
                Some(e) => end = e,
                None => continue,
            }
        }
        if end < start {
            continue;
        }
        out.push(period(
            ctx,
            line.start + m.start()..line.start + m.end(),
            start,
            end,
        ));
    }
    out.sort_by_key(|p| p.span.start());
    out
}

/// A closed window over a byte range of the normalized text.
fn period(ctx: &Ctx, r: Range<usize>, start: Date, end: Date) -> Period {
    let span = ctx.norm.span(r);
    Period {
        origin: Default::default(),
        start: Some(start.iso()),
        end: Some(end.iso()),
        raw: ctx.raw(span),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurrences_start_on_or_after_the_issue_date() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(next_monthly(d(2024, 3, 6), 5, 1, 1), Some(d(2024, 4, 5)));
        assert_eq!(next_monthly(d(2024, 3, 5), 5, 1, 1), Some(d(2024, 3, 5)));
        assert_eq!(next_monthly(d(2024, 2, 1), -1, 1, 1), Some(d(2024, 2, 29)));
        assert_eq!(next_monthly(d(2024, 5, 2), -1, 3, 3), Some(d(2024, 6, 30)));
        assert_eq!(next_monthly(d(2024, 11, 2), 5, 1, 3), Some(d(2025, 1, 5)));
        // 2024-11-29 is a Friday
        assert_eq!(next_weekday(d(2024, 11, 27), "FR"), Some(d(2024, 11, 29)));
        assert_eq!(next_weekday(d(2024, 11, 29), "FR"), Some(d(2024, 11, 29)));
        assert_eq!(next_weekday(d(2024, 11, 30), "MO"), Some(d(2024, 12, 2)));
    }
}
