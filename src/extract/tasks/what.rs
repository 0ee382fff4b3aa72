//! What: a task's category, its targets (检查对象), the deliverables of a deadline and the
//! annexes it links to.

use crate::chars::squash;
use crate::grammar::{Category, grammar, lexicon, rule, scan};
use crate::structure::split_top_level;

/// The task's category: the one its heading names, else a specific one its text names, else
/// its document title's, else a general one (监督检查) its text names.
pub fn category(title: &str, text: &str, doc_title: Option<&str>) -> Option<String> {
    let g = grammar();
    g.classify(title)
        .or_else(|| g.classify(text).filter(|c| !c.general))
        .or_else(|| doc_title.and_then(|t| g.classify(t)))
        .or_else(|| g.classify(text))
        .map(|c: &Category| c.name.clone())
}

/// The targets of a task: a `检查对象` field if it has one, else the object of its first
/// inspection verb (`对…获证组织实现全覆盖检查`).
pub fn targets(text: &str) -> Vec<String> {
    for c in scan("targets_label", text) {
        let m = c.get(0).expect("whole match");
        let at_start = text[..m.start()].chars().next_back().is_none_or(|ch| {
            matches!(
                ch,
                '\n' | '。' | '；' | '：' | ' ' | '）' | '、' | '．' | '.'
            )
        });
        if !at_start {
            continue;
        }
        let value = c.name("value").expect("value").as_str();
        let out = split_targets(value);
        if !out.is_empty() {
            return out;
        }
    }
    if let Some(c) = scan("targets_inline", text).next() {
        let value = c.name("value").expect("value").as_str();
        return split_targets(value);
    }
    Vec::new()
}

/// One target phrase per listed object, without scope words, counts or conditions
/// (`2022年底前注册的11家认证机构（南昌市10家…）` → 认证机构). The list is split on
/// separator words found by segmentation, so `涉及` or `以及` inside a word stay whole.
fn split_targets(value: &str) -> Vec<String> {
    let value = strip_brackets(value);
    // a count names its object: `抽取 100 家获证组织的证书` → 获证组织
    if let Some(m) = rule("quota").find_iter(&value).last()
        && m.end() < value.len()
    {
        let rest = &value[m.end()..];
        let end = rest
            .find(['的', '，', ',', '、', '。'])
            .unwrap_or(rest.len());
        return clean_target(&rest[..end]).into_iter().collect();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    // no separator anywhere: no word can be one, so the value is one target and jieba
    // (0.1 s to build) is not needed
    let separators = lexicon("target_separators");
    let words = if separators.iter().any(|s| value.contains(s.as_str())) {
        crate::segment::words(&value)
    } else {
        Vec::new()
    };
    if words.is_empty() {
        current.push_str(&value);
    }
    for w in words {
        if separators.iter().any(|s| s == w.text) {
            parts.extend(clean_target(&current));
            current.clear();
        } else {
            current.push_str(w.text);
        }
    }
    parts.extend(clean_target(&current));
    parts.dedup();
    parts.truncate(12);
    parts
}

/// One target without its condition (`…注册的`), scope (`辖区内`) or trailing adverb (`逐一`).
fn clean_target(part: &str) -> Option<String> {
    let mut p = squash(part);
    if let Some(i) = p.rfind('的')
        && p.len() - i - '的'.len_utf8() >= 6
    {
        p = p[i + '的'.len_utf8()..].to_string();
    }
    if let Some(rest) = lexicon("target_scope_prefixes")
        .iter()
        .find_map(|w| p.strip_prefix(w.as_str()))
        .filter(|rest| rest.chars().count() >= 2)
    {
        p = rest.to_string();
    }
    loop {
        let before = p.len();
        for w in lexicon("target_trailing_words") {
            if let Some(rest) = p.strip_suffix(w.as_str()) {
                p = rest.to_string();
            }
        }
        if p.len() == before {
            break;
        }
    }
    let n = p.chars().count();
    ((2..=30).contains(&n) && p.chars().any(crate::chars::is_han)).then_some(p)
}

/// The text without bracketed asides (`（南昌市10家，抚州市1家）`).
pub(super) fn strip_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `附件1` / `附件 3、4` / `附件2-3` → annex numbers.
pub fn annex_refs(clause: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for c in scan("annex_ref", clause) {
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
    if out.is_empty() && scan("annex_ref_bare", clause).next().is_some() {
        // `（见附件）`: resolved against the annex list by [`resolve_bare_annexes`]
        out.push(BARE_ANNEX);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Stands for an annex named without a number until the document's annex list is known.
pub const BARE_ANNEX: u32 = 0;

/// Give `（见附件）` links the number of the document's only annex; drop them when the
/// document has none or several.
pub fn resolve_bare_annexes(tasks: &mut [crate::spec::Task], annex_indices: &[u32]) {
    let only = match annex_indices {
        [one] => Some(*one),
        _ => None,
    };
    for d in tasks.iter_mut().flat_map(|t| t.deadlines.iter_mut()) {
        if d.annexes.contains(&BARE_ANNEX) {
            d.annexes.retain(|&a| a != BARE_ANNEX);
            d.annexes.extend(only);
            d.annexes.sort_unstable();
            d.annexes.dedup();
        }
    }
}

/// What is to be delivered: the nouns after the last action verb of the clause
/// (`完成检查并上报工作总结、…统计表（附件1）` → 工作总结, …统计表).
pub fn deliverables(after: &str, action: Option<&str>) -> Vec<String> {
    if action.is_none() {
        return Vec::new();
    }
    let seg = after.split(['，', ',', '。']).next().unwrap_or("");
    let Some(from) = lexicon("actions")
        .iter()
        .filter_map(|a| seg.rfind(a.as_str()).map(|p| p + a.len()))
        .max()
    else {
        return Vec::new();
    };
    let mut rest = &seg[from..];
    // `将…总结和附件3、4报省局`: what is delivered stands between 将 and the action
    if rest.trim().is_empty()
        && let Some(jiang) = seg.find('将')
        && let Some(act) = lexicon("actions")
            .iter()
            .filter_map(|a| seg[jiang..].find(a.as_str()).map(|p| jiang + p))
            .min()
    {
        rest = &seg[jiang + '将'.len_utf8()..act];
    }
    split_top_level(rest, &['、', '和', '及'])
        .into_iter()
        .map(|r| {
            let s = &rest[r];
            let s = s.split(['（', '(']).next().unwrap_or(s);
            squash(
                s.trim_start_matches(['并', '将', '至', '给'])
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
    fn targets_from_a_field_or_an_inspection_verb() {
        assert_eq!(
            targets("1. 检查对象。强制性产品认证获证组织及强制性产品认证指定实验室。"),
            ["强制性产品认证获证组织", "强制性产品认证指定实验室"]
        );
        assert_eq!(
            targets("检查对象：市场监管总局抽取2家获证组织。按“谁检查，谁录入”原则"),
            ["获证组织"]
        );
        assert_eq!(
            targets("各地要对辖区内有机产品认证获证组织实现全覆盖检查，全面掌握"),
            ["有机产品认证获证组织"]
        );
        assert_eq!(
            targets(
                "南昌市局和抚州市局要对 2022 年底前注册的 11 家认证机构（南昌市 10 家，抚州市 1 家）进行全面检查"
            ),
            ["认证机构"]
        );
        assert!(targets("加强组织领导，确保工作落实。").is_empty());
        assert_eq!(
            targets("各属地市场监管所要对不合格产品涉及的生产经营者逐一开展核查处置"),
            ["生产经营者"],
            "涉及 is a word, not 涉 + 及"
        );
        assert_eq!(
            targets(
                "三、检查对象\n以我省防爆电气，儿童用品等CCC认证产品为重点，抽取 100 家获证组织的CCC认证证书"
            ),
            ["获证组织"]
        );
    }

    #[test]
    fn categories_heading_first_then_most_specific() {
        assert_eq!(
            category("开展认证机构监督检查", "", None).as_deref(),
            Some("认证机构")
        );
        assert_eq!(
            category(
                "完成时间",
                "对电梯开展检查",
                Some("关于开展食品安全检查的通知")
            )
            .as_deref(),
            Some("特种设备")
        );
        assert_eq!(
            category(
                "工作要求",
                "加强检查",
                Some("关于开展夏季消防安全检查的通知")
            )
            .as_deref(),
            Some("消防安全检查")
        );
        assert_eq!(
            category("三、工作要求", "组织开展检查", None).as_deref(),
            Some("监督检查")
        );
        assert_eq!(category("", "", None), None);
    }
}
