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
use crate::grammar::{lexicon, rule};
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
        for (items, flowed) in clean_line(raw).into_iter().flat_map(cap_line) {
            let line = Line { items, flowed };
            if !line.items.is_empty() && !rule("page_number_line").is_match(&line.text()) {
                lines.push(line);
            }
        }
    }
    let wrap = wrap_width(&lines);
    let mut text = String::with_capacity(source.len());
    let mut map: Vec<u32> = Vec::with_capacity(source.len() + 1);
    let mut prev: Option<&Line> = None;
    for line in &lines {
        if let Some(p) = prev
            && !should_join(p, line, wrap)
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

/// Longest line (chars) handed to the later stages. A paragraph of a notice is a few
/// hundred chars; a longer line (a file without line breaks, binary junk decoded as text)
/// is cut, after a sentence end where there is one, so that per-line work stays bounded.
pub const MAX_LINE_CHARS: usize = 5000;

/// Cut a line longer than [`MAX_LINE_CHARS`] into pieces; the pieces are `flowed`, so they
/// are never joined again.
fn cap_line((items, flowed): (Vec<Item>, bool)) -> Vec<(Vec<Item>, bool)> {
    if items.len() <= MAX_LINE_CHARS {
        return vec![(items, flowed)];
    }
    let mut out = Vec::with_capacity(items.len() / MAX_LINE_CHARS + 1);
    let mut rest = &items[..];
    while rest.len() > MAX_LINE_CHARS {
        let window = &rest[MAX_LINE_CHARS / 2..MAX_LINE_CHARS];
        let cut = window
            .iter()
            .rposition(|&(c, _)| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';'))
            .map(|p| MAX_LINE_CHARS / 2 + p + 1)
            .unwrap_or(MAX_LINE_CHARS);
        out.push((rest[..cut].to_vec(), true));
        rest = &rest[cut..];
    }
    out.push((rest.to_vec(), true));
    out
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
        if c == '\u{AD}'
            && i > 0
            && src[i - 1].is_ascii_digit()
            && src.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            // a PDF's hyphen glyph mapped to the soft hyphen: 2014\u{AD}2020 is 2014-2020
            out.push(('-', i as u32));
        } else if !is_invisible(c) {
            out.push((fold_width(c), i as u32));
        }
        i += 1;
    }
    out
}

/// For `[text](url)` starting at `open`, the index just past the closing `)`. A PDF may
/// wrap a long link across lines: a line break inside the text, or inside the URL before
/// more URL chars, does not end the link.
fn link_end(src: &[char], open: usize) -> Option<usize> {
    let limit = (open + 2000).min(src.len());
    let mut k = open + 1;
    let mut depth = 1;
    while k < limit {
        match src[k] {
            '\n' if src.get(k + 1) == Some(&'\n') && src.get(k + 2) == Some(&'\n') => {
                return None; // a paragraph break: not one link
            }
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
            c if c.is_whitespace() => {
                // whitespace ends the URL, unless it is a line wrap before more of it
                let gap = src[m..limit]
                    .iter()
                    .take_while(|c| c.is_whitespace())
                    .count();
                let wrapped = src[m..m + gap].contains(&'\n');
                let more = src.get(m + gap).is_some_and(|&c| c != '[' && c != ')');
                if !(wrapped && more) {
                    return None;
                }
                m += gap;
                continue;
            }
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
        // letter-spaced single characters (税 务 总 局 办 公 厅) are one word
        let single_before = run_start < 2 || is_hspace(raw[run_start - 2].0);
        let single_after = raw.get(i + 1).is_none_or(|&(c, _)| is_hspace(c));
        if !flowed && is_han(before) && is_han(after) && single_before && single_after {
            continue;
        }
        match space_rule(before, after, &raw[i..], &cur, flowed) {
            Space::Drop => {}
            Space::Keep => cur.push((' ', raw[run_start].1)),
            Space::Break => lines.push((std::mem::take(&mut cur), true)),
        }
    }
    lines.push((cur, flowed));
    if raw.len() > DENSE_MIN && !flowed {
        // a long line with no spaces to break at: a flattened dump (OCR or PDF text put on
        // one line); break it where a notice's parts meet
        return lines
            .into_iter()
            .flat_map(|(items, _)| split_dense(items))
            .map(|items| (items, true))
            .collect();
    }
    lines
}

/// Length (chars) from which a line without paragraph spaces is read as a flattened dump.
const DENSE_MIN: usize = 300;

/// Break points of a dense line, outside brackets: after each `dense_break` match (sentence
/// ends, a title's doc type running into its addressees, a signature's date); before the
/// issuing body that starts such a title or signature (the nearest place name before it);
/// before an outline marker that follows `：` or `；`; after a leading title (`…方案`) that
/// runs into its first sentence (`为…`).
fn split_dense(items: Vec<Item>) -> Vec<Vec<Item>> {
    let text: String = items.iter().map(|&(c, _)| c).collect();
    // only a line that holds a document's title or signature is a dump: a long paragraph
    // of an ordinary notice stays whole
    if !rule("dense_break")
        .captures_iter(&text)
        .any(|c| c.name("title").is_some() || c.name("signed").is_some())
    {
        return vec![items];
    }
    let mut char_at = vec![0usize; text.len() + 1];
    for (k, (b, _)) in text.char_indices().enumerate() {
        char_at[b] = k;
    }
    char_at[text.len()] = items.len();
    let mut depth_at = Vec::with_capacity(items.len() + 1);
    let mut depth = 0i32;
    depth_at.push(0);
    for &(c, _) in &items {
        match c {
            '《' | '（' | '(' | '〈' | '<' | '“' => depth += 1,
            '》' | '）' | ')' | '〉' | '>' | '”' => depth = (depth - 1).max(0),
            _ => {}
        }
        depth_at.push(depth);
    }
    // where the issuing body of a title or signature starts: the last place name (or the
    // last sentence end) within a short reach before `at` (a byte offset)
    let body_start = |at: usize| -> Option<usize> {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(MAX_BODY_NAME)
            .map_or(0, |(b, _)| b);
        crate::gazetteer::gazetteer()
            .find_iter(&text[from..at])
            .map(|(r, _)| from + r.start)
            .find(|&b| depth_at[char_at[b]] == 0)
    };
    let mut cuts: Vec<usize> = Vec::new();
    for c in rule("dense_break").captures_iter(&text) {
        let Some(m) = c.iter().skip(1).flatten().next() else {
            continue;
        };
        let at = char_at[m.end()];
        if depth_at[at] != 0 || at >= items.len() {
            continue;
        }
        cuts.push(at);
        if c.name("title").is_some()
            && let Some(about) = text[..m.start()].rfind("关于")
            && let Some(b) = body_start(about)
        {
            cuts.push(char_at[b]);
        }
        if let Some(signed) = c.name("signed")
            && let Some(b) = body_start(
                signed.start() + signed.as_str().chars().next().map_or(0, char::len_utf8),
            )
        {
            cuts.push(char_at[b]);
        }
    }
    for (b, c) in text.char_indices() {
        if matches!(c, '：' | '；' | ':' | ';') {
            let after = b + c.len_utf8();
            let at = char_at[after];
            if depth_at[at] == 0 && outline::marker(&text[after..]).is_some() {
                cuts.push(at);
            }
        }
    }
    cuts.retain(|&c| c > 0 && c < items.len());
    cuts.sort_unstable();
    cuts.dedup();
    // a segment that opens with a document's title running into its first sentence
    let mut more = Vec::new();
    for (k, &start) in std::iter::once(&0).chain(cuts.iter()).enumerate() {
        let end = cuts.get(k).copied().unwrap_or(items.len());
        let seg: String = items[start..end].iter().map(|&(c, _)| c).collect();
        if let Some(c) = rule("dense_title_lead").captures(&seg)
            && let Some(t) = c.name("title")
        {
            more.push(start + seg[..t.end()].chars().count());
        }
    }
    cuts.extend(more);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut rest = items;
    for &cut in cuts.iter().rev() {
        let tail = rest.split_off(cut);
        if !tail.is_empty() {
            out.push(tail);
        }
    }
    out.push(rest);
    out.reverse();
    out.retain(|l| !l.is_empty());
    out
}

/// How far (chars) before `关于` or a signature date an issuing body's name may start.
const MAX_BODY_NAME: usize = 24;

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

/// The width (in ems: CJK 1, ASCII ½) of a line of text.
fn ems(items: &[Item]) -> f32 {
    items
        .iter()
        .map(|&(c, _)| if (c as u32) < 0x2000 { 0.5 } else { 1.0 })
        .sum()
}

/// The full width of a text wrapped at a fixed measure (a PDF's, an OFD's): the most
/// common line width, when many lines share it and hardly any is wider; None for text
/// with one paragraph per line (lines of all widths).
fn wrap_width(lines: &[Line]) -> Option<f32> {
    let widths: Vec<i32> = lines
        .iter()
        .filter(|l| !l.flowed)
        .map(|l| ems(&l.items).round() as i32)
        .filter(|&w| w >= 12)
        .collect();
    let mut counts = std::collections::BTreeMap::new();
    for &w in &widths {
        *counts.entry(w).or_insert(0usize) += 1;
    }
    let (&mode, _) = counts.iter().max_by_key(|&(w, n)| (*n, *w))?;
    let near = widths.iter().filter(|&&w| (w - mode).abs() <= 1).count();
    // wrapped text has (almost) no line wider than its measure
    let wider = widths.iter().filter(|&&w| w > mode + 2).count();
    (near >= 6 && near * 3 >= widths.len() && wider * 10 <= widths.len()).then_some(mode as f32)
}

/// Does a line broken at `prev`'s end cut an email or web address (`wzjza` + `qc@163.com`)?
fn breaks_an_address(prev: &str, next: &str) -> bool {
    let token = |c: char| c.is_ascii_alphanumeric() || "@._-:/".contains(c);
    let tail: String = {
        let t: Vec<char> = prev.chars().rev().take_while(|&c| token(c)).collect();
        t.into_iter().rev().collect()
    };
    let head: String = next.chars().take_while(|&c| token(c)).collect();
    if tail.is_empty() || head.is_empty() {
        return false;
    }
    let whole = format!("{tail}{head}");
    whole.contains('@') || whole.contains("://") || whole.starts_with("www.")
}

/// Pass 3: was the break between `prev` and `next` made by a PDF inside a sentence?
/// `wrap` is the text's line measure when it was wrapped at one ([`wrap_width`]).
fn should_join(prev: &Line, next: &Line, wrap: Option<f32>) -> bool {
    if prev.flowed || next.flowed || prev.items.len() < 20 {
        return false;
    }
    let p = prev.text();
    let n = next.text();
    if breaks_an_address(&p, &n) {
        return true;
    }
    // an outline heading that ends well before the measure is a line of its own, even
    // without a full stop (an indented first line of a paragraph is two ems short, and
    // squeezed punctuation can take two more, so only headings are judged by width; not
    // `1.` items, which are list entries as often as headings)
    if let Some(w) = wrap
        && ems(&prev.items) < w - 3.5
        && outline::marker(&p).is_some()
        && !p.starts_with(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    let last = match prev.items.last() {
        Some(&(c, _)) => c,
        None => return false,
    };
    if !(is_han(last) || last.is_ascii_digit() || "，、“‘（《—".contains(last)) {
        return false;
    }
    // the 附件 list: a title broken across lines continues; the next item does not
    let next_item = n.starts_with(|c: char| c.is_ascii_digit()) || n.starts_with("附件");
    // without a measure (OCR, text), an 附件 line continues only into a short tail that a
    // narrow line broke off (`…情况统计` + `表`)
    let short_tail = || {
        n.trim().chars().count() <= 6
            && !n.contains(|c: char| is_cjk_punct(c) || c.is_ascii_punctuation())
    };
    if (p.starts_with("附件") && (next_item || (wrap.is_none() && !short_tail())))
        || lexicon("header_junk")
            .iter()
            .any(|w| p.starts_with(w.as_str()))
    {
        return false;
    }
    // a 发文字号 on its own line
    if rule("doc_number")
        .find(n.trim())
        .is_some_and(|m| m.start() == 0 && m.end() == n.trim().len())
    {
        return false;
    }
    // a line that fills the measure of wrapped text is not a heading or a signature:
    // the break after it is the wrap
    let full = |l: &Line| wrap.is_some_and(|w| (ems(&l.items) - w).abs() <= 1.5);
    if (!full(prev)
        && lexicon("heading_endings")
            .iter()
            .any(|e| p.ends_with(e.as_str())))
        || p.contains('|')
        || p.contains('\t')
    {
        return false;
    }
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
        && !full(next)
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
    fn a_line_without_breaks_is_cut_into_bounded_lines() {
        let src = "请于10月25日前报送材料，抽查比例不低于10%。".repeat(500) + &"字".repeat(5000);
        let n = normalize(&src);
        assert!(n.text.lines().count() >= 3);
        for line in n.text.lines() {
            assert!(line.chars().count() <= MAX_LINE_CHARS, "{}", line.len());
        }
        // cut after a full stop where there is one; the text is all there, in order
        assert!(n.text.lines().next().unwrap().ends_with('。'));
        assert_eq!(n.text.replace('\n', ""), src);
        assert_eq!(n.span(0..n.text.len()).1, src.chars().count());
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
    fn an_annex_title_broken_off_by_a_narrow_line_is_joined() {
        // OCR text has no common measure: only a short tail continues an 附件 line
        assert_eq!(
            norm(
                "附件：1. 2024年消防产品认证监督检查情况统计\n表\n2. 问题清单\n浙江省市场监督管理局"
            ),
            "附件：1. 2024年消防产品认证监督检查情况统计表\n2. 问题清单\n浙江省市场监督管理局"
        );
        assert_eq!(
            norm("附件：1. 统计表\n特此通知。"),
            "附件：1. 统计表\n特此通知。"
        );
    }

    #[test]
    fn a_markdown_link_wrapped_by_a_pdf_is_still_stripped() {
        assert_eq!(
            norm(
                "附件：![](1/zip.gif)[关于做好消费补贴工作的\n\n通知](files/关于做好\n\n消费补贴工作的通知.zip)\n\n— 4 —"
            ),
            "附件：关于做好消费补贴工作的\n通知"
        );
        assert_eq!(
            norm("1.[表.docx](/api/down\n\nload?f=%E9%99%84)"),
            "1.表.docx"
        );
        // a space is not a wrap: the link ends there (kept as text)
        assert!(norm("[表](a b)").contains("(a b)"));
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
    fn pdf_page_furniture_and_wrapping() {
        // page numbers are not text; a sentence goes on across the page break
        let src =
            "通过加大监督检查力度，进一步规范认证机构从业行为，严\n\n— 1 —\n\n厉打击虚假认证。";
        assert_eq!(
            norm(src),
            "通过加大监督检查力度，进一步规范认证机构从业行为，严厉打击虚假认证。"
        );
        // letter-spaced words; a soft hyphen between digits is a hyphen
        assert_eq!(norm("税 务 总 局 办 公 厅"), "税务总局办公厅");
        assert_eq!(norm("郑明国 喻靖勇"), "郑明国 喻靖勇");
        assert_eq!(norm("（2014\u{AD}2020年）"), "（2014-2020年）");
    }

    #[test]
    fn wrapped_lines_join_unless_short_or_an_address() {
        let full = "各地要按照要求认真组织开展检查工作并及时报送有关材料，确保";
        let mut src = String::new();
        for _ in 0..10 {
            src.push_str(full);
            src.push_str("\n\n");
        }
        // a heading that ends well before the measure is its own line
        src.push_str(
            "（一）对守信纳税人提供更多便利和机会\n\n探索将守信情况纳入诚信积分体系管理机制。\n\n",
        );
        src.push_str("联系人：陈伟，联系电话：0577-88961234，邮箱：wzjza\n\nqc@163.com\n");
        let out = norm(&src);
        assert!(
            out.contains("（一）对守信纳税人提供更多便利和机会\n探索"),
            "{out}"
        );
        assert!(out.contains("邮箱：wzjzaqc@163.com"), "{out}");
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
