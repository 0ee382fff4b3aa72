//! Annexes: the 附件 list after the body, and annex bodies (title + table) after the
//! signature. The list wins over other wordings; bodies fill in tables, or the titles
//! when there is no list.

use super::Ctx;
use crate::chars::squash;
use crate::grammar::rule;
use crate::spec::{Annex, Table};
use crate::structure::{AnnexBody, Layout};
use std::ops::Range;

/// Clean an annex title: no `《》` around it, no file extension, no trailing bracketed doc
/// number, no `附件N：` repeated inside, no trailing punctuation, no spaces.
pub fn clean_title(raw: &str) -> String {
    let mut t = squash(raw);
    loop {
        let before = t.clone();
        if let Some(c) = rule("annex_head").captures(&t)
            && (c.name("index").is_some()
                || !c.name("colon").map(|m| m.as_str()).unwrap_or("").is_empty())
        {
            let end = c.get(0).map(|m| m.end()).unwrap_or(0);
            if end < t.len() {
                t = t[end..].to_string();
            }
        }
        t = t
            .trim_end_matches(['；', ';', '。', '，', ',', '.', '、', '：', ':'])
            .to_string();
        if let Some(m) = rule("file_extension").find(&t) {
            t.truncate(m.start());
        }
        if let Some(m) = rule("trailing_doc_number").find(&t)
            && m.start() > 0
        {
            t.truncate(m.start());
        }
        if t.starts_with('《') && t.ends_with('》') && t.matches('《').count() == 1 {
            t = t['《'.len_utf8()..t.len() - '》'.len_utf8()].to_string();
        }
        if t == before {
            return t;
        }
    }
}

/// The 附件 list in the document's own lines.
pub fn annex_list(ctx: &Ctx, lines: &[Range<usize>]) -> Vec<Annex> {
    let text = ctx.norm.text.as_str();
    let mut out: Vec<Annex> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let r = trim(text, lines[i].clone());
        let t = &text[r.clone()];
        let Some(c) = rule("annex_head").captures(t) else {
            i += 1;
            continue;
        };
        let head_end = c.get(0).map(|m| m.end()).unwrap_or(0);
        let content = r.start + head_end..r.end;
        let colon = !c.name("colon").map(|m| m.as_str()).unwrap_or("").is_empty();
        if let Some(idx) = c.name("index").and_then(|m| m.as_str().parse::<u32>().ok()) {
            // `附件1：title` lines, one per annex
            if !text[content.clone()].trim().is_empty() && colon {
                push(ctx, &mut out, idx, content);
            }
            i += 1;
            continue;
        }
        if !colon && !text[content.clone()].trim().is_empty() {
            i += 1; // `附件下载`, `附件为…`: not a list
            continue;
        }
        let mut items: Vec<Range<usize>> = Vec::new();
        if !text[content.clone()].trim().is_empty() {
            items.push(content);
        }
        let mut j = i + 1;
        // following lines: numbered items, or the single title under a bare `附件：`
        while j < lines.len() {
            let nr = trim(text, lines[j].clone());
            let nt = &text[nr.clone()];
            let numbered = rule("annex_item").is_match(nt);
            if numbered
                && (items.is_empty() || rule("annex_item").is_match(&text[items[0].clone()]))
            {
                items.push(nr);
                j += 1;
                continue;
            }
            if items.is_empty()
                && nt.chars().count() <= 80
                && !nt.contains('。')
                && super::dates::parse_date(nt).is_none()
            {
                items.push(nr);
                j += 1;
            }
            break;
        }
        let numbered = items
            .first()
            .is_some_and(|r| rule("annex_item").is_match(&text[r.clone()]));
        if numbered {
            let mut expect = 1;
            for r in items {
                for (idx, tr) in split_items(text, r) {
                    if idx == expect || out.iter().all(|a| a.index != idx) {
                        push(ctx, &mut out, idx, tr);
                        expect = idx + 1;
                    }
                }
            }
        } else if let Some(r) = items.into_iter().next() {
            push(ctx, &mut out, 1, r);
        }
        i = j;
    }
    out
}

/// `1. A 2. B` or `1.A2.B` on one line → numbered items.
fn split_items(text: &str, r: Range<usize>) -> Vec<(u32, Range<usize>)> {
    let mut out = Vec::new();
    let t = &text[r.clone()];
    let Some(c) = rule("annex_item").captures(t) else {
        return out;
    };
    let Some(mut idx) = c.name("index").and_then(|m| m.as_str().parse::<u32>().ok()) else {
        return out;
    };
    let mut start = c.name("title").map(|m| m.start()).unwrap_or(0);
    loop {
        let next = idx + 1;
        let mut found = None;
        for sep in [".", "．", "、"] {
            let pat = format!("{next}{sep}");
            let mut from = start;
            while let Some(p) = t[from..].find(&pat) {
                let at = from + p;
                let prev = t[..at].chars().next_back();
                if at > start && prev.is_some_and(|c| !c.is_ascii_digit()) {
                    found = Some((at, at + pat.len()));
                    break;
                }
                from = at + pat.len();
            }
            if found.is_some() {
                break;
            }
        }
        match found {
            Some((at, after)) => {
                out.push((idx, r.start + start..r.start + at));
                idx = next;
                start = after;
            }
            None => {
                out.push((idx, r.start + start..r.end));
                return out;
            }
        }
    }
}

fn push(ctx: &Ctx, out: &mut Vec<Annex>, index: u32, r: Range<usize>) {
    let title = clean_title(&ctx.norm.text[r.clone()]);
    if title.is_empty() || out.iter().any(|a| a.index == index) {
        return;
    }
    out.push(Annex {
        origin: Default::default(),
        index,
        title,
        span: ctx.norm.span(r),
        table: None,
    });
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    r.start + lead..(r.end - trail).max(r.start + lead)
}

/// Annex bodies: `附件N` + title + table.
pub fn annex_bodies(ctx: &Ctx, layout: &Layout, bodies: &[AnnexBody]) -> Vec<Annex> {
    let text = ctx.norm.text.as_str();
    let mut out = Vec::new();
    for (n, b) in bodies.iter().enumerate() {
        let index = b.index.unwrap_or(n as u32 + 1);
        let mut title: Option<Range<usize>> = None;
        let mut rows: Vec<Vec<String>> = Vec::new();
        for li in b.lines.clone() {
            let r = trim(text, layout.lines[li].clone());
            let t = &text[r.clone()];
            if li == b.lines.start {
                let head = rule("annex_head").find(t).map(|m| m.end()).unwrap_or(0);
                if head < t.len() {
                    title = Some(r.start + head..r.end);
                }
                continue;
            }
            if t.contains('\t') {
                let cells: Vec<String> = t.split('\t').map(squash).collect();
                if cells.iter().filter(|c| !c.is_empty()).count() >= 2 || !rows.is_empty() {
                    rows.push(cells);
                }
                continue;
            }
            if title.is_none() && rows.is_empty() {
                title = Some(r);
            }
        }
        let Some(tr) = title else { continue };
        let table = table_of(rows);
        out.push(Annex {
            origin: Default::default(),
            index,
            title: clean_title(&text[tr.clone()]),
            span: ctx.norm.span(tr),
            table,
        });
    }
    out
}

/// First row as columns, the rest as rows, trailing empty cells dropped.
fn table_of(mut rows: Vec<Vec<String>>) -> Option<Table> {
    for row in rows.iter_mut() {
        while row.last().is_some_and(|c| c.is_empty()) {
            row.pop();
        }
    }
    rows.retain(|r| !r.is_empty());
    if rows.is_empty() {
        return None;
    }
    let columns = rows.remove(0);
    Some(Table { columns, rows })
}

/// Merge the list with the bodies: the list's titles win, bodies add tables, and bodies
/// stand in for a missing list.
pub fn merge(list: Vec<Annex>, bodies: Vec<Annex>) -> Vec<Annex> {
    if list.is_empty() {
        return bodies;
    }
    let mut out = list;
    for b in bodies {
        if let Some(a) = out.iter_mut().find(|a| a.index == b.index)
            && a.table.is_none()
        {
            a.table = b.table;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_cleaned() {
        assert_eq!(clean_title("《活动报名表》"), "活动报名表");
        assert_eq!(clean_title("附件1：活动报名表.docx"), "活动报名表");
        assert_eq!(
            clean_title("青浦区工程垃圾运输处置申报表；"),
            "青浦区工程垃圾运输处置申报表"
        );
        assert_eq!(
            clean_title(
                "平潭综合实验区管委会安全生产委员会办公室关于印发《平潭综合实验区消防安全大排查大整治 专项行动工作方案》的通知（岚安委办〔2018〕3号）"
            ),
            "平潭综合实验区管委会安全生产委员会办公室关于印发《平潭综合实验区消防安全大排查大整治专项行动工作方案》的通知"
        );
        assert_eq!(clean_title("深交港货[2013]164号"), "深交港货[2013]164号");
    }
}
