//! How much: ratios (`不低于5%`, `百分之十`, `全覆盖`) and quotas (`抽取 50 家`, `不少于2名`), each
//! with the regions it applies to when the clause names them.

use super::super::Ctx;
use crate::chars::parse_number;
use crate::gazetteer::gazetteer;
use crate::grammar::{Probe, lexicon, rule, scan_probed};
use crate::spec::{Comparator, Quota, Ratio};
use std::ops::Range;

/// Start of the clause holding `at` (after the last `，。；,`).
fn clause_start(t: &str, at: usize) -> usize {
    t[..at]
        .rfind(['，', '。', '；', ','])
        .map(|p| p + t[p..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0)
        .min(at)
}

fn comparator(word: &str) -> Option<Comparator> {
    match word {
        "不低于" | "不少于" | "不得低于" | "不得少于" | "达到" | "超过" | "至少" => {
            Some(Comparator::AtLeast)
        }
        "不超过" | "不高于" | "低于" | "不多于" | "最多" => Some(Comparator::AtMost),
        "为" | "占" => Some(Comparator::Exactly),
        _ => None,
    }
}

/// Every ratio of one line.
pub fn ratios(ctx: &Ctx, line: Range<usize>, probe: Probe) -> Vec<Ratio> {
    let t = &ctx.norm.text[line.clone()];
    let mut out = Vec::new();
    for c in scan_probed("ratio", t, probe) {
        let m = c.get(0).expect("whole match");
        if c.name("urlenc").is_some() {
            continue;
        }
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
        let cs = clause_start(t, m.start());
        let cmp = rule("ratio_comparator")
            .captures_iter(&t[cs..m.start()])
            .last();
        let raw_start = cmp
            .as_ref()
            .and_then(|c| c.get(0))
            .map(|x| cs + x.start())
            .unwrap_or(m.start());
        let comparator = cmp
            .as_ref()
            .and_then(|c| c.name("cmp"))
            .and_then(|m| comparator(m.as_str()));
        let regions = regions_before(t, raw_start);
        let span = ctx.norm.span(line.start + raw_start..line.start + m.end());
        out.push(Ratio {
            origin: Default::default(),
            value: (value * 10000.0).round() / 10000.0,
            comparator,
            regions,
            raw: ctx.raw(span),
            span,
        });
    }
    out
}

/// How many characters before a count (bracketed asides left out) its trigger word may
/// stand: `抽查2个县（市、区）的10处` gives both counts to 抽查.
const QUOTA_WINDOW: usize = 8;

/// Every quota of one line: a count with a trigger word (抽取, 选派, 不少于…) earlier in its
/// clause, not a date, a duration or an ordinal.
pub fn quotas(ctx: &Ctx, line: Range<usize>, probe: Probe) -> Vec<Quota> {
    let t = &ctx.norm.text[line.clone()];
    let mut out = Vec::new();
    for c in scan_probed("quota", t, probe) {
        let m = c.get(0).expect("whole match");
        let n = c.name("n").expect("count");
        let unit = c.name("unit").expect("unit").as_str();
        let before = &t[..n.start()];
        let after = &t[m.end()..];
        if before.ends_with(['第', '.', '．'])
            || before.ends_with(|ch: char| ch.is_ascii_digit())
            || lexicon("quota_unit_blockers")
                .iter()
                .any(|b| after.starts_with(b.as_str()))
        {
            continue;
        }
        let cs = clause_start(t, m.start());
        // `（南昌市10家，抚州市1家）`: a breakdown of a total, kept with its place
        let lead = &t[t[..m.start()]
            .rfind(['（', '(', '，', ',', '、', '；', '。'])
            .map_or(0, |p| p + t[p..].chars().next().map_or(1, char::len_utf8))
            ..m.start()];
        let region = gazetteer()
            .prefix(lead)
            .filter(|(_, len)| lead.len() == *len)
            .map(|(p, _)| p.short.clone());
        let cmp = c.name("cmp").map(|x| x.as_str());
        // the trigger must lead up to the count (`抽取 50 家`, `每个单位选派3名`)
        let window: String = {
            let lead = super::what::strip_brackets(&t[cs..n.start()]);
            let chars: Vec<char> = lead.chars().collect();
            chars[chars.len().saturating_sub(QUOTA_WINDOW)..]
                .iter()
                .collect()
        };
        let triggered = cmp.is_some()
            || region.is_some()
            || lexicon("quota_triggers")
                .iter()
                .any(|w| window.contains(w.as_str()));
        // `一` before a measure word is mostly an article (一件产品, 一期报道), not a count
        if !triggered || (n.as_str() == "一" && cmp.is_none()) {
            continue;
        }
        let scale = if c.name("wan").is_some() { 10_000 } else { 1 };
        let Some(count) = parse_number(n.as_str())
            .and_then(|v| v.checked_mul(scale))
            .filter(|&v| v > 0)
        else {
            continue;
        };
        let span = ctx.norm.span(line.start + m.start()..line.start + m.end());
        out.push(Quota {
            origin: Default::default(),
            count,
            unit: unit.to_string(),
            comparator: cmp.and_then(comparator),
            regions: region.into_iter().collect(),
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

/// A region name as a ratio names it: the gazetteer's short form of a known place, else
/// the name as written.
fn region_name(name: &str) -> String {
    match gazetteer().lookup(name) {
        Some(p) if p.name == name || p.short == name => p.short.clone(),
        _ => name.to_string(),
    }
}

/// How far (bytes) around a ratio its clause and sentence are looked at for places.
const REGION_WINDOW: usize = 768;

/// The places named at the start of the ratio's clause (`南昌、九江…抚州检查数量不低于5%`).
/// The place name a text ends with (`…为重点杭州` → `杭州`): the first list item of a
/// 、-list whose lead-in lost its comma (as OCR often drops one).
fn place_at_end(item: &str) -> Option<&str> {
    item.char_indices()
        .map(|(p, _)| &item[p..])
        .filter(|rest| rest.chars().count() >= 2)
        .find(|rest| {
            gazetteer()
                .prefix(rest)
                .is_some_and(|(_, len)| len == rest.len())
        })
}

/// The 、-list of places that ends a clause, when the clause lists other things first
/// (`以火灾报警产品、灭火器等…为重点杭州、宁波、温州、金华抽查比例…`): the items after the
/// last one that is not exactly a place, with that one's trailing place name. Unchanged
/// when the clause is not of that shape.
fn place_run(items: Vec<&str>) -> Vec<&str> {
    let exact = |s: &str| gazetteer().prefix(s).is_some_and(|(_, len)| len == s.len());
    let last = items.len().saturating_sub(1);
    let mut k = last;
    while k > 0 && exact(items[k - 1]) {
        k -= 1;
    }
    if k == 0 || k == last {
        return items;
    }
    match place_at_end(items[k - 1]) {
        Some(first) if !exact(items[0]) => std::iter::once(first)
            .chain(items[k..].iter().copied())
            .collect(),
        _ => items,
    }
}

pub fn regions_before(t: &str, at: usize) -> Vec<String> {
    // the list stands close to its ratio: look within a window around it, so a long line
    // without clause breaks costs no more per ratio than a short one
    let mut lo = at.saturating_sub(REGION_WINDOW);
    while !t.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (at + REGION_WINDOW).min(t.len());
    while !t.is_char_boundary(hi) {
        hi -= 1;
    }
    let (t, at) = (&t[lo..hi.max(at)], at - lo);
    let clause_start = t[..at]
        .rfind(['，', '。', '；', '：', ','])
        .map(|p| p + t[p..].chars().next().map_or(1, char::len_utf8))
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
    let items = place_run(clause.split('、').collect());
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let first = i == 0;
        let last = i + 1 == items.len();
        // the list may be introduced by a verb phrase: `市建设局对鼓楼、台江…`
        let item = if first && gazetteer().prefix(item).is_none() {
            lexicon("region_list_leads")
                .iter()
                .filter_map(|w| item.rfind(w.as_str()).map(|p| &item[p + w.len()..]))
                .find(|rest| gazetteer().prefix(rest).is_some())
                .or_else(|| (items.len() > 1).then(|| place_at_end(item)).flatten())
                .unwrap_or(item)
        } else {
            item
        };
        let known = gazetteer()
            .prefix(item)
            .map(|(_, len)| len)
            .filter(|&len| len == item.len() || last);
        let name = if let Some(len) = known {
            &item[..len]
        } else {
            // a place the gazetteer does not know: a name with a place ending (…开发区), or
            // on its own against 其他地区; on the last item, cut the predicate glued to it
            let cut = if last {
                lexicon("region_predicates")
                    .iter()
                    .filter_map(|p| item.find(p.as_str()))
                    .min()
                    .unwrap_or(item.len())
            } else {
                item.len()
            };
            let by_ending = item
                .char_indices()
                .find(|&(p, _)| is_place_ending(&item[p..]))
                .map(|(p, c)| p + c.len_utf8());
            match by_ending {
                Some(e) if e <= cut && e >= 6 => &item[..e],
                _ if comparative => &item[..cut],
                _ => return Vec::new(),
            }
        };
        let n = name.chars().count();
        if !(2..=8).contains(&n) || !name.chars().all(crate::chars::is_han) {
            return Vec::new();
        }
        out.push(region_name(name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn regions_from_the_gazetteer_without_a_comparison() {
        let t = "九江市抽查比例不低于20%。";
        assert_eq!(regions_before(t, t.find("不低于").unwrap()), ["九江"]);
        let t = "湘西、恩施抽查比例不低于20%。";
        assert_eq!(
            regions_before(t, t.find("不低于").unwrap()),
            ["湘西", "恩施"]
        );
        let t = "市建设局对鼓楼、台江、仓山五城区在建工地按不低于20%的比例抽查";
        assert_eq!(
            regions_before(t, t.find("不低于").unwrap()),
            ["鼓楼", "台江", "仓山"]
        );
        let t = "其中技术类、管理类岗位占比不低于40%。";
        assert!(regions_before(t, t.find("不低于").unwrap()).is_empty());
    }
}
