//! Tasks: the body's outline items that carry deadlines, periods or ratios, with dates
//! resolved against the document's own year (never the wall clock).

use super::Ctx;
use super::dates::{Date, YearContext};
use crate::chars::{parse_number, squash};
use crate::grammar::{lexicon, rule};
use crate::spec::{Comparator, Deadline, Period, Ratio, Task};
use crate::structure::outline;
use regex::Captures;
use std::ops::Range;

/// An outline item of the body and the lines it owns.
struct Item {
    id: String,
    title: String,
    lines: Vec<Range<usize>>,
}

/// Tasks of a document from its body lines.
pub fn tasks(ctx: &Ctx, lines: &[Range<usize>], years: YearContext) -> Vec<Task> {
    let text = ctx.norm.text.as_str();
    let mut items: Vec<Item> = Vec::new();
    let mut stack: Vec<(outline::Level, String)> = Vec::new();
    for line in lines {
        let t = &text[line.clone()];
        if let Some(m) = outline::marker(t) {
            while stack.last().is_some_and(|(l, _)| *l >= m.level) {
                stack.pop();
            }
            stack.push((m.level, m.label.clone()));
            let id = stack
                .iter()
                .map(|(_, l)| l.as_str())
                .collect::<Vec<_>>()
                .join(".");
            let head = &t[m.len..];
            let title_end = head.find(['。', '；', '：']).unwrap_or(head.len());
            let title: String = squash(&head[..title_end]).chars().take(60).collect();
            items.push(Item {
                id,
                title,
                lines: vec![line.clone()],
            });
        } else if let Some(item) = items.last_mut() {
            item.lines.push(line.clone());
        } else {
            items.push(Item {
                id: "0".into(),
                title: String::new(),
                lines: vec![line.clone()],
            });
        }
    }
    let mut out = Vec::new();
    for item in items {
        let mut deadlines = Vec::new();
        let mut ratios = Vec::new();
        let mut periods = Vec::new();
        for line in &item.lines {
            deadlines.extend(find_deadlines(ctx, line.clone(), years));
            periods.extend(find_periods(ctx, line.clone(), years));
            ratios.extend(find_ratios(ctx, line.clone()));
        }
        if deadlines.is_empty() && ratios.is_empty() && periods.is_empty() {
            continue;
        }
        let mut periods = periods.into_iter();
        let first_line = item.lines.first().map(|l| l.start).unwrap_or(0);
        let last_line = item.lines.last().map(|l| l.end).unwrap_or(first_line);
        let task = Task {
            id: item.id,
            title: item.title,
            category: None,
            targets: Vec::new(),
            quotas: Vec::new(),
            ratios,
            period: periods.next(),
            deadlines,
            span: ctx.norm.span(first_line..last_line),
        };
        // a second window in the same item becomes a task of its own
        let more: Vec<Task> = periods
            .map(|p| Task {
                ratios: Vec::new(),
                deadlines: Vec::new(),
                period: Some(p),
                ..task.clone()
            })
            .collect();
        out.push(task);
        out.extend(more);
    }
    out
}

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
        _ => Some(super::dates::days_in_month(year, month)),
    }
}

fn find_deadlines(ctx: &Ctx, line: Range<usize>, years: YearContext) -> Vec<Deadline> {
    let t = &ctx.norm.text[line.clone()];
    let matches: Vec<Captures> = rule("deadline").captures_iter(t).collect();
    let mut out = Vec::new();
    for (k, c) in matches.iter().enumerate() {
        let m = c.get(0).expect("whole match");
        let clause_end = {
            let next = matches
                .get(k + 1)
                .map(|n| n.get(0).expect("whole").start())
                .unwrap_or(t.len());
            let stop = t[m.end()..]
                .find(['。', '；'])
                .map(|p| m.end() + p)
                .unwrap_or(t.len());
            next.min(stop)
        };
        let after = &t[m.end()..clause_end];
        if rule("condition_after_date").is_match(after) || t[..m.start()].ends_with("截至") {
            continue;
        }
        let explicit = year_of(c, "year").or_else(|| year_in_sentence(t, m.start()));
        let date = if c.name("yearend").is_some() {
            explicit.or(years.year).and_then(|y| Date::new(y, 12, 31))
        } else {
            let month = num(c, "month");
            month.and_then(|mo| years.resolve(explicit, mo, |y| end_day(c, "day", "xun", y, mo)))
        };
        let Some(date) = date else { continue };
        let action = lexicon("actions")
            .iter()
            .filter_map(|a| after.find(a.as_str()).map(|p| (p, a)))
            .min_by_key(|(p, _)| *p)
            .map(|(_, a)| a.clone());
        let annexes = annex_refs(after);
        let deliverables = deliverables(after, action.as_deref());
        let span = ctx
            .norm
            .span(line.start + m.start()..line.start + clause_end);
        out.push(Deadline {
            date: Some(date.iso()),
            raw: ctx.raw(ctx.norm.span(line.start + m.start()..line.start + m.end())),
            action,
            deliverables,
            annexes,
            span,
        });
    }
    out
}

/// `附件1` / `附件 3、4` / `附件2-3` → annex numbers.
pub fn annex_refs(clause: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for c in rule("annex_ref").captures_iter(clause) {
        let list = c.name("list").map(|m| m.as_str()).unwrap_or("");
        let nums: Vec<u32> = list
            .split(|ch: char| !ch.is_ascii_digit())
            .filter_map(|s| s.parse().ok())
            .collect();
        let ranged = list.contains(['至', '-', '—', '－']);
        if ranged && nums.len() == 2 && nums[0] < nums[1] && nums[1] - nums[0] < 20 {
            out.extend(nums[0]..=nums[1]);
        } else {
            out.extend(nums);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What is to be delivered: the nouns after the action verb (`总结、…统计表（附件1）`).
fn deliverables(after: &str, action: Option<&str>) -> Vec<String> {
    let Some(action) = action else {
        return Vec::new();
    };
    let Some(p) = after.find(action) else {
        return Vec::new();
    };
    let rest = &after[p + action.len()..];
    let rest = rest.split(['，', ',', '。']).next().unwrap_or("");
    crate::structure::split_top_level(rest, &['、', '和', '及'])
        .into_iter()
        .map(|r| {
            let s = &rest[r];
            let s = s.split(['（', '(']).next().unwrap_or(s);
            squash(
                s.trim_start_matches(['并', '将'])
                    .trim_matches(['《', '》']),
            )
        })
        .filter(|s| {
            lexicon("deliverable_endings")
                .iter()
                .any(|e| s.ends_with(e.as_str()))
                && s.chars().count() <= 40
        })
        .collect()
}

fn find_periods(ctx: &Ctx, line: Range<usize>, years: YearContext) -> Vec<Period> {
    let t = &ctx.norm.text[line.clone()];
    let mut out = Vec::new();
    for c in rule("period").captures_iter(t) {
        let m = c.get(0).expect("whole match");
        if c.name("m2").is_none() && c.name("d2").is_none() && c.name("x2").is_none() {
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
        let y2 = year_of(&c, "y2").unwrap_or(start.year);
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
    for c in rule("period_from_now").captures_iter(t) {
        let m = c.get(0).expect("whole match");
        let (Some(issue), Some(m2)) = (years.issue, num(&c, "m2")) else {
            continue;
        };
        let explicit = year_of(&c, "y2");
        let Some(end) = years.resolve(explicit, m2, |y| {
            num(&c, "d2").or(Some(super::dates::days_in_month(y, m2)))
        }) else {
            continue;
        };
        if end < issue {
            continue;
        }
        out.push(period(
            ctx,
            line.start + m.start()..line.start + m.end(),
            issue,
            end,
        ));
    }
    out
}

/// A closed window over a byte range of the normalized text.
fn period(ctx: &Ctx, r: Range<usize>, start: Date, end: Date) -> Period {
    let span = ctx.norm.span(r);
    Period {
        start: Some(start.iso()),
        end: Some(end.iso()),
        raw: ctx.raw(span),
        span,
    }
}

fn find_ratios(ctx: &Ctx, line: Range<usize>) -> Vec<Ratio> {
    let t = &ctx.norm.text[line.clone()];
    let mut out = Vec::new();
    for c in rule("ratio").captures_iter(t) {
        let m = c.get(0).expect("whole match");
        let value = if let Some(p) = c.name("pct") {
            match p.as_str().parse::<f64>() {
                Ok(v) if v > 0.0 && v <= 100.0 => v / 100.0,
                _ => continue,
            }
        } else if let Some(cn) = c.name("cn") {
            match parse_number(cn.as_str()) {
                Some(v) if v > 0 && v <= 100 => v as f64 / 100.0,
                _ => continue,
            }
        } else {
            1.0
        };
        let clause_start = t[..m.start()]
            .rfind(['，', '。', '；', ','])
            .map(|p| p + '，'.len_utf8())
            .unwrap_or(0)
            .min(m.start());
        let cmp = rule("ratio_comparator")
            .captures_iter(&t[clause_start..m.start()])
            .last();
        let raw_start = cmp
            .as_ref()
            .and_then(|c| c.get(0))
            .map(|x| clause_start + x.start())
            .unwrap_or(m.start());
        let comparator = match cmp.as_ref().and_then(|c| c.name("cmp")).map(|m| m.as_str()) {
            Some("不低于" | "不少于" | "不得低于" | "不得少于" | "达到" | "超过") => {
                Some(Comparator::AtLeast)
            }
            Some("不超过" | "不高于" | "低于") => Some(Comparator::AtMost),
            Some("为" | "占") => Some(Comparator::Exactly),
            _ => None,
        };
        let regions = regions_before(t, raw_start);
        let span = ctx.norm.span(line.start + raw_start..line.start + m.end());
        out.push(Ratio {
            value: (value * 10000.0).round() / 10000.0,
            comparator,
            regions,
            raw: ctx.raw(span),
            span,
        });
    }
    out
}

/// Does `rest` begin with a place-name ending (市, 县, 区…)?
fn is_place_ending(rest: &str) -> bool {
    lexicon("place_endings")
        .iter()
        .any(|e| rest.starts_with(e.as_str()))
}

/// The places named at the start of the ratio's clause (`南昌、九江…抚州检查数量不低于5%`).
fn regions_before(t: &str, at: usize) -> Vec<String> {
    let clause_start = t[..at]
        .rfind(['，', '。', '；', '：', ','])
        .map(|p| p + '，'.len_utf8())
        .unwrap_or(0);
    let clause = &t[clause_start.min(at)..at];
    if lexicon("rest_regions")
        .iter()
        .any(|w| clause.starts_with(w.as_str()))
    {
        return vec!["其他".to_string()];
    }
    if lexicon("scope_starts")
        .iter()
        .any(|w| clause.starts_with(w.as_str()))
    {
        return Vec::new();
    }
    let sentence_start = t[..at]
        .rfind(['。', '；'])
        .map(|p| p + '。'.len_utf8())
        .unwrap_or(0);
    let sentence = &t[sentence_start.min(at)..];
    let sentence = &sentence[..sentence.find('。').unwrap_or(sentence.len())];
    let comparative = lexicon("rest_regions")
        .iter()
        .any(|w| w.ends_with("地区") && sentence.contains(w.as_str()));
    let items: Vec<&str> = clause.split('、').collect();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        let name = if last {
            // cut the predicate glued to the last place
            let cut = lexicon("region_predicates")
                .iter()
                .filter_map(|p| item.find(p.as_str()))
                .min()
                .unwrap_or(item.len());
            let by_ending = item
                .char_indices()
                .find(|&(p, _)| is_place_ending(&item[p..]))
                .map(|(p, c)| p + c.len_utf8());
            match by_ending {
                Some(e) if e <= cut && e >= 6 => &item[..e],
                _ => &item[..cut],
            }
        } else {
            item
        };
        let n = name.chars().count();
        let ends_place = lexicon("place_endings")
            .iter()
            .any(|e| name.ends_with(e.as_str()));
        if !(2..=6).contains(&n) || !name.chars().all(crate::chars::is_han) {
            return Vec::new();
        }
        if items.len() == 1 && !ends_place && !comparative {
            return Vec::new();
        }
        out.push(name.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annex_reference_lists() {
        assert_eq!(annex_refs("报送…统计表（附件1）"), [1]);
        assert_eq!(annex_refs("将总结和附件 3、4 报省局"), [3, 4]);
        assert_eq!(annex_refs("附件4）、…调查表（附件5）"), [4, 5]);
        assert_eq!(annex_refs("附件2-4"), [2, 3, 4]);
    }

    #[test]
    fn region_lists() {
        let t = "南昌、九江、赣州、宜春、上饶、吉安、抚州检查数量不低于辖区内本年度认证活动的5%，其他地区不低于10%。";
        let at = t.find("不低于").unwrap();
        assert_eq!(
            regions_before(t, at),
            ["南昌", "九江", "赣州", "宜春", "上饶", "吉安", "抚州"]
        );
        let at = t.rfind("不低于").unwrap();
        assert_eq!(regions_before(t, at), ["其他"]);
        let t = "赣州市抽查检查获证组织比例不低于30%，宜春抽查检查获证组织比例不低于50%，其他地区为100%。";
        assert_eq!(
            regions_before(t, t.find("不低于").unwrap()),
            ["赣州"],
            "short form"
        );
        assert_eq!(regions_before(t, t.rfind("不低于").unwrap()), ["宜春"]);
        let t = "各地要求对辖区内有机产品认证获证组织实现全覆盖检查";
        assert!(regions_before(t, t.find("全覆盖").unwrap()).is_empty());
        let t = "见证检查数量不低于辖区内本年度认证活动的5%";
        assert!(regions_before(t, t.find("不低于").unwrap()).is_empty());
    }
}
