//! Normalize: repair extraction artifacts while keeping an offset map to the source.
//!
//! The extracted text (what `gongwen text` prints) keeps everything as it came. This stage
//! produces a cleaner text for the grammars, one paragraph per line, and a map from every
//! byte of it back to a char offset of the source, so spans always point at the source:
//!
//! * markdown of web dumps: `**bold**`, `![img](…)`, `[text](url)` → `text`, `# ` headings;
//! * full-width digits, letters, `＠．－` → ASCII (1:1, so phones and emails parse);
//! * spaces next to CJK punctuation or between CJK and digits are dropped (`9 月底前`);
//!   spaces between two CJK words stay as one space (names: `郑明国 喻靖勇`), except in a
//!   web dump flowed onto one long line, where they separate paragraphs and become breaks;
//! * blank lines are dropped, and lines a PDF broke inside a sentence are joined
//!   (`严\n\n厉` → `严厉`, `开展2\n\n024年` → `开展2024年`).

use crate::chars::{fold_width, is_cjk_punct, is_cjkish, is_han, is_hspace, is_invisible};
use crate::grammar::lexicon;
use crate::spec::Span;
use crate::structure::outline;
use std::ops::Range;

/// The normalized text and its map back to the source.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// For every byte of `text`, the char offset in the source of the char it came from;
    /// one extra entry at the end holds the source length.
    map: Vec<u32>,
}

impl Normalized {
    /// The source span (char offsets) of a byte range of the normalized text.
    pub fn span(&self, range: Range<usize>) -> Span {
        let start = range.start.min(self.text.len());
        let end = range.end.clamp(start, self.text.len());
        if start == end {
            let at = self.map[start] as usize;
            return Span::new(at, at);
        }
        Span::new(self.map[start] as usize, self.map[end - 1] as usize + 1)
    }

    /// The source char offset of a byte offset of the normalized text.
    pub fn source_offset(&self, at: usize) -> usize {
        self.map[at.min(self.text.len())] as usize
    }
}

type Item = (char, u32);

/// Normalize an extracted text.
pub fn normalize(source: &str) -> Normalized {
    let chars = strip_markup(source);
    let mut lines: Vec<Line> = Vec::new();
    for raw in chars.split(|&(c, _)| c == '\n') {
        for (items, flowed) in clean_line(raw) {
            if !items.is_empty() {
                lines.push(Line { items, flowed });
            }
        }
    }
    let mut text = String::with_capacity(source.len());
    let mut map: Vec<u32> = Vec::with_capacity(source.len() + 1);
    let mut prev: Option<&Line> = None;
    for line in &lines {
        if let Some(p) = prev
            && !should_join(p, line)
        {
            let at = p.items.last().map(|&(_, i)| i + 1).unwrap_or(0);
            text.push('\n');
            map.push(at);
        }
        for &(c, i) in &line.items {
            text.push(c);
            map.extend(std::iter::repeat_n(i, c.len_utf8()));
        }
        prev = Some(line);
    }
    map.push(source.chars().count() as u32);
    Normalized { text, map }
}

struct Line {
    items: Vec<Item>,
    flowed: bool,
}

impl Line {
    fn text(&self) -> String {
        self.items.iter().map(|&(c, _)| c).collect()
    }
}

/// Pass 1: chars with their source offsets, markdown markup removed, widths folded.
fn strip_markup(source: &str) -> Vec<Item> {
    let src: Vec<char> = source.chars().collect();
    let mut out: Vec<Item> = Vec::with_capacity(src.len());
    let mut i = 0usize;
    let mut line_start = true;
    while i < src.len() {
        let c = src[i];
        if c == '\n' {
            out.push(('\n', i as u32));
            line_start = true;
            i += 1;
            continue;
        }
        if line_start {
            // markdown heading marks and list bullets at the start of a line
            let mut j = i;
            while j < src.len() && is_hspace(src[j]) {
                j += 1;
            }
            let hashes = src[j..].iter().take_while(|&&c| c == '#').count();
            if (1..=6).contains(&hashes) && src.get(j + hashes).is_some_and(|&c| c == ' ') {
                i = j + hashes + 1;
                line_start = false;
                continue;
            }
            if matches!(src.get(j), Some('-' | '*' | '+')) && src.get(j + 1) == Some(&' ') {
                i = j + 2;
                line_start = false;
                continue;
            }
            line_start = false;
        }
        if c == '*' && src.get(i + 1) == Some(&'*') {
            i += 2;
            continue;
        }
        if c == '\\' && src.get(i + 1).is_some_and(|c| "()[]*_#".contains(*c)) {
            out.push((src[i + 1], i as u32 + 1));
            i += 2;
            continue;
        }
        if c == '!'
            && src.get(i + 1) == Some(&'[')
            && let Some(end) = link_end(&src, i + 1)
        {
            i = end;
            continue;
        }
        if c == '['
            && let Some(end) = link_end(&src, i)
        {
            // keep the link text, drop `](url)`
            let close = src[i + 1..end]
                .iter()
                .rposition(|&c| c == ']')
                .map(|p| i + 1 + p)
                .unwrap_or(end);
            for (k, &ch) in src.iter().enumerate().take(close).skip(i + 1) {
                if ch != '*' {
                    out.push((fold_width(ch), k as u32));
                }
            }
            i = end;
            continue;
        }
        if !is_invisible(c) {
            out.push((fold_width(c), i as u32));
        }
        i += 1;
    }
    out
}

/// For `[text](url)` starting at `open`, the index just past the closing `)`.
fn link_end(src: &[char], open: usize) -> Option<usize> {
    let limit = (open + 2000).min(src.len());
    let mut k = open + 1;
    let mut depth = 1;
    while k < limit {
        match src[k] {
            '\n' => return None,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        k += 1;
    }
    if k >= limit || src.get(k + 1) != Some(&'(') {
        return None;
    }
    let mut m = k + 2;
    while m < limit {
        match src[m] {
            '\\' => m += 1,
            ')' => return Some(m + 1),
            '\n' | ' ' => return None,
            _ => {}
        }
        m += 1;
    }
    None
}

/// Pass 2, per line: trim, and resolve every run of spaces inside it. A flowed line (a web
/// dump on one line) is split into several lines at its paragraph breaks.
fn clean_line(raw: &[Item]) -> Vec<(Vec<Item>, bool)> {
    let start = raw
        .iter()
        .position(|&(c, _)| !is_hspace(c))
        .unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|&(c, _)| !is_hspace(c))
        .map(|p| p + 1)
        .unwrap_or(start);
    let raw = &raw[start..end];
    let flowed = raw.len() > 300 && {
        let mut breaks = 0;
        for w in raw.windows(3) {
            if is_cjkish(w[0].0) && is_hspace(w[1].0) && is_cjkish(w[2].0) {
                breaks += 1;
            }
        }
        breaks >= 3
    };
    // a table row keeps its tabs as cell separators
    let table = raw
        .windows(2)
        .filter(|w| w[0].0 != '\t' && w[1].0 == '\t')
        .count()
        >= 2;
    let mut lines = Vec::new();
    let mut cur: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let (c, idx) = raw[i];
        if !is_hspace(c) {
            cur.push((c, idx));
            i += 1;
            continue;
        }
        let run_start = i;
        while i < raw.len() && is_hspace(raw[i].0) {
            i += 1;
        }
        let before = cur.last().map(|&(c, _)| c).unwrap_or(' ');
        let after = raw.get(i).map(|&(c, _)| c).unwrap_or(' ');
        if table && raw[run_start..i].iter().any(|&(c, _)| c == '\t') {
            cur.push(('\t', raw[run_start].1));
            continue;
        }
        match space_rule(before, after, &raw[i..], &cur, flowed) {
            Space::Drop => {}
            Space::Keep => cur.push((' ', raw[run_start].1)),
            Space::Break => lines.push((std::mem::take(&mut cur), true)),
        }
    }
    lines.push((cur, flowed));
    lines
}

/// In a flowed line, a space inside `《…》` or right after a 联系人 label is not a break.
fn inside_title_or_contact(cur: &[Item]) -> bool {
    let mut depth = 0i32;
    for &(c, _) in cur.iter().rev().take(200) {
        match c {
            '《' if depth == 0 => return true,
            '《' => depth -= 1,
            '》' => depth += 1,
            _ => {}
        }
    }
    let tail: String = cur
        .iter()
        .rev()
        .take(20)
        .map(|&(c, _)| c)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    match tail.rfind("联系人") {
        Some(p) => !tail[p..].contains(['；', '。', '，', ';']) && tail[p..].chars().count() <= 14,
        None => false,
    }
}

enum Space {
    Drop,
    Keep,
    Break,
}

fn space_rule(before: char, after: char, rest: &[Item], cur: &[Item], flowed: bool) -> Space {
    let digitish = |c: char| c.is_ascii_digit() || c == '%';
    if flowed && !inside_title_or_contact(cur) {
        let rest_text: String = rest.iter().take(8).map(|&(c, _)| c).collect();
        let numbered = {
            let digits = rest_text.chars().take_while(|c| c.is_ascii_digit()).count();
            (1..=2).contains(&digits) && rest_text[digits..].starts_with(['.', '、', '．'])
        };
        if (is_cjkish(before) && is_cjkish(after))
            || outline::marker(&rest_text).is_some()
            || numbered
            || before == '：'
        {
            return Space::Break;
        }
    }
    if is_cjk_punct(before) || is_cjk_punct(after) {
        return Space::Drop;
    }
    if (is_han(before) && digitish(after)) || (digitish(before) && is_han(after)) {
        return Space::Drop;
    }
    Space::Keep
}

/// Pass 3: was the break between `prev` and `next` made by a PDF inside a sentence?
fn should_join(prev: &Line, next: &Line) -> bool {
    if prev.flowed || next.flowed || prev.items.len() < 20 {
        return false;
    }
    let last = match prev.items.last() {
        Some(&(c, _)) => c,
        None => return false,
    };
    if !(is_han(last) || last.is_ascii_digit() || "，、“‘（《—".contains(last)) {
        return false;
    }
    let p = prev.text();
    if p.starts_with("附件")
        || lexicon("header_junk")
            .iter()
            .any(|w| p.starts_with(w.as_str()))
    {
        return false;
    }
    if lexicon("heading_endings")
        .iter()
        .any(|e| p.ends_with(e.as_str()))
        || p.contains('|')
        || p.contains('\t')
    {
        return false;
    }
    let n = next.text();
    if outline::marker(&n).is_some()
        || outline::article(&n).is_some()
        || lexicon("break_before")
            .iter()
            .any(|b| n.starts_with(b.as_str()))
    {
        return false;
    }
    // a signing office on its own line (浙江省市场监督管理局)
    let n_chars = n.trim().chars().count();
    if n_chars <= 30
        && !n.contains(['，', '。', '、', '：'])
        && lexicon("org_endings")
            .iter()
            .any(|e| n.trim().ends_with(e.as_str()) && e != "）")
    {
        return false;
    }
    // a date line closing the document (2023年5月26日)
    let n_trim = n.trim();
    if n_trim.chars().count() <= 12 && n_trim.ends_with('日') {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn joins_words_broken_across_blank_lines() {
        let src = "通过加大监督检查力度，进一步规范认证机构从业行为，严\n\n厉打击虚假认证。";
        assert_eq!(
            norm(src),
            "通过加大监督检查力度，进一步规范认证机构从业行为，严厉打击虚假认证。"
        );
    }

    #[test]
    fn drops_spaces_between_cjk_and_digits() {
        assert_eq!(
            norm("4. 完成时间。9 月底前完成，抽取 50 家"),
            "4. 完成时间。9月底前完成，抽取50家"
        );
        assert_eq!(norm("2024 年 8 月至 11 月。"), "2024年8月至11月。");
    }

    #[test]
    fn keeps_name_separators_and_breaks() {
        assert_eq!(
            norm("联系人：认监处 郑明国 喻靖勇\n\n联系电话：0791-86355635"),
            "联系人：认监处 郑明国 喻靖勇\n联系电话：0791-86355635"
        );
    }

    #[test]
    fn keeps_headings_and_outline_items_apart() {
        let src = "宜春市市场监督管理局转发关于开展2023年认证专项监督检查工作的通知\n\n各县（市、区）市场监督管理局，直属各分局：";
        assert_eq!(norm(src).lines().count(), 2);
        let src = "4. 完成时间。8月底前完成检查，9月10日前报送检查工作\n\n总结、统计表（附件1）。\n\n（三）开展管理体系认证监督检查。";
        assert_eq!(
            norm(src),
            "4. 完成时间。8月底前完成检查，9月10日前报送检查工作总结、统计表（附件1）。\n（三）开展管理体系认证监督检查。"
        );
    }

    #[test]
    fn markdown_is_stripped() {
        assert_eq!(norm("**一、****报名时间**"), "一、报名时间");
        assert_eq!(
            norm("1.[附件1：活动报名表.docx](/api/download?x=1)"),
            "1.附件1：活动报名表.docx"
        );
        assert_eq!(
            norm("# 标题\n附件：![](a/zip.gif)[表](files/表.zip)"),
            "标题\n附件：表"
        );
    }

    #[test]
    fn flowed_web_dump_is_split_into_paragraphs() {
        let para = "现将有关事项通知如下。".repeat(30);
        let src = format!(
            "岚农发〔2016〕139号 平潭综合实验区农村发展局关于开展检查工作的通知 各相关单位： {para} 一、组织领导 区水利处成立领导小组"
        );
        let out = norm(&src);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "岚农发〔2016〕139号");
        assert_eq!(lines[1], "平潭综合实验区农村发展局关于开展检查工作的通知");
        assert_eq!(lines[2], "各相关单位：");
        assert!(lines.contains(&"一、组织领导"));
    }

    #[test]
    fn spans_map_back_to_the_source() {
        let src = "9 月底前完成\n\n检查";
        let n = normalize(src);
        let at = n.text.find("月底前").unwrap();
        let span = n.span(at..at + "月底前".len());
        let chars: Vec<char> = src.chars().collect();
        assert_eq!(chars[span.0..span.1].iter().collect::<String>(), "月底前");
        let whole = n.span(0..n.text.len());
        assert_eq!(whole, Span(0, src.chars().count()));
    }
}
