//! Structure: split the normalized text into documents and, inside each, find the parts
//! of a 公文 — 发文机关标志, 发文字号, 标题, 主送机关, body, 署名 + 成文日期, 公开属性,
//! annex bodies — as byte ranges of the normalized text.
//!
//! Structuring never fails: whatever it cannot find stays `None`, with a warning.

pub mod outline;

use crate::chars::squash;
use crate::grammar::{lexicon, rule};
use crate::normalize::Normalized;
use crate::spec::Role;
use std::ops::Range;

/// A line of the normalized text (a paragraph), as a byte range.
pub type Line = Range<usize>;

/// Where the parts of one document are. Line indices index `Layout::lines`.
#[derive(Debug, Clone, Default)]
pub struct DocLayout {
    pub role: Option<Role>,
    /// All lines of the document, annex bodies included.
    pub lines: Range<usize>,
    /// 发文机关标志 lines (issuer names without `文件`), as byte ranges.
    pub banner: Vec<Range<usize>>,
    /// The document's own 发文字号.
    pub number: Option<Range<usize>>,
    /// 标题 (may cover several lines).
    pub title: Option<Range<usize>>,
    /// 主送机关, without the trailing colon.
    pub addressee: Option<Range<usize>>,
    /// Body lines (from after the header to the signature).
    pub body: Range<usize>,
    /// 署名 lines just before the date.
    pub signature: Vec<Range<usize>>,
    /// 成文日期 (the date text only).
    pub date: Option<Range<usize>>,
    /// The value inside `（此件…）`.
    pub disclosure: Option<Range<usize>>,
    /// Lines after the date that still belong to the document proper (版记, a
    /// contact note), before any annex body.
    pub tail: Range<usize>,
    /// Annex bodies printed after the document.
    pub annex_bodies: Vec<AnnexBody>,
    /// Web-page metadata: 来源 (publishing office) and 日期.
    pub meta_source: Option<Range<usize>>,
    pub meta_date: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct AnnexBody {
    pub index: Option<u32>,
    /// The `附件N` line and everything up to the next annex or document.
    pub lines: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub lines: Vec<Line>,
    pub docs: Vec<DocLayout>,
}

impl Layout {
    pub fn text<'a>(&self, norm: &'a Normalized, line: usize) -> &'a str {
        &norm.text[self.lines[line].clone()]
    }
}

/// Split the normalized text into documents and their parts.
pub fn structure(norm: &Normalized) -> Layout {
    let text = norm.text.as_str();
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split('\n') {
        let end = start + piece.len();
        for r in split_glued(text, start..end) {
            if !text[r.clone()].trim().is_empty() {
                lines.push(r);
            }
        }
        start = end + 1;
    }
    let view = View {
        text,
        lines: &lines,
    };
    let mut docs: Vec<DocLayout> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut doc = view.parse_doc(i);
        doc.role = Some(if docs.is_empty() {
            Role::Primary
        } else {
            Role::Relayed
        });
        let next = doc.lines.end.max(i + 1);
        // junk between documents (page furniture) is not a document
        if !docs.is_empty() && doc.title.is_none() && doc.number.is_none() && doc.banner.is_empty()
        {
            if let Some(prev) = docs.last_mut() {
                prev.lines.end = next;
            }
        } else {
            docs.push(doc);
        }
        i = next;
    }
    Layout { lines, docs }
}

struct View<'a> {
    text: &'a str,
    lines: &'a [Line],
}

/// What a line is, as far as the header and closing are concerned.
fn is_junk(t: &str) -> bool {
    lexicon("header_junk")
        .iter()
        .any(|w| t.starts_with(w.as_str()))
        || t == "QQ空间"
}

/// Does the line carry a title marker (关于, 印发, 转发)?
fn has_title_marker(t: &str) -> bool {
    lexicon("title_markers")
        .iter()
        .any(|w| t.contains(w.as_str()))
}

fn ends_with_doc_type(t: &str) -> bool {
    let t = t.trim_end_matches(['”', '》', '"']);
    lexicon("doc_types").iter().any(|w| t.ends_with(w.as_str()))
}

fn ends_with_org(t: &str) -> bool {
    let t = t.trim();
    lexicon("org_endings")
        .iter()
        .any(|w| t.ends_with(w.as_str()))
}

/// A run of organisations separated by top-level `，` `；` (a 主送机关 line).
pub fn looks_like_addressees(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() || t.chars().count() > 300 || t.contains('。') || t.contains("关于") {
        return false;
    }
    if lexicon("not_addressee_starts")
        .iter()
        .any(|p| t.starts_with(p.as_str()))
    {
        return false;
    }
    let parts = split_top_level(t, &['，', '；', ',', ';']);
    !parts.is_empty()
        && parts
            .iter()
            .all(|p| ends_with_org(&t[p.clone()]) && t[p.clone()].chars().count() <= 200)
}

/// Byte ranges of `t` split on `seps` outside any bracket.
pub fn split_top_level(t: &str, seps: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in t.char_indices() {
        match c {
            '（' | '(' | '《' | '〈' | '<' | '【' | '[' | '“' => depth += 1,
            '）' | ')' | '》' | '〉' | '>' | '】' | ']' | '”' => depth = (depth - 1).max(0),
            _ if depth == 0 && seps.contains(&c) => {
                if !t[start..i].trim().is_empty() {
                    out.push(start..i);
                }
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if !t[start..].trim().is_empty() {
        out.push(start..t.len());
    }
    out
}

/// The byte offset just after a title ending (a 文种 outside brackets) in `t`, searching
/// from the left; only endings followed by `follow` accepted.
fn title_end(t: &str, follow: impl Fn(&str) -> bool) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in t.char_indices() {
        match c {
            '《' | '〈' | '<' | '“' | '（' | '(' => depth += 1,
            '》' | '〉' | '>' | '”' | '）' | ')' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 {
            let end = i + c.len_utf8();
            let head = &t[..end];
            if lexicon("doc_types")
                .iter()
                .any(|w| head.ends_with(w.as_str()))
                && follow(&t[end..])
            {
                return Some(end);
            }
        }
    }
    None
}

/// A list of at least three organisations joined by `、` (省委网信办、省发展改革委、…公司).
fn org_list(t: &str) -> bool {
    let parts: Vec<&str> = t.split('、').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| ends_with_org(p) && p.chars().count() <= 20)
}

/// Split a line where a web dump glued header parts together: after a leading own doc
/// number, after a title followed by a 主送机关 line, after a 主送机关 colon followed by body.
fn split_glued(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let t = &text[line.clone()];
    let mut cuts = Vec::new();
    // 1. a doc number at the very start, followed by more text
    if let Some(m) = rule("doc_number").find(t)
        && m.start() == 0
        && m.end() < t.len()
        && !t[m.end()..].starts_with(['）', ')', '文', '要', '的'])
    {
        cuts.push(m.end());
    }
    let from = cuts.last().copied().unwrap_or(0);
    let rest = &t[from..];
    // 2./3. `title` + `addressees：` + body, all on one line
    if let Some(colon) = rest.find(['：', ':']) {
        let head = &rest[..colon];
        if head.chars().count() <= 400 && !head.contains('。') {
            let title_cut = title_end(head, looks_like_addressees);
            if let Some(tc) = title_cut
                && has_title_marker(&head[..tc])
                && !head.starts_with('各')
            {
                cuts.push(from + tc);
            }
            let addr_from = title_cut.unwrap_or(0);
            let after_colon = from
                + colon
                + rest[colon..]
                    .chars()
                    .next()
                    .map(|c| c.len_utf8())
                    .unwrap_or(1);
            if looks_like_addressees(&head[addr_from..])
                && after_colon < t.len()
                && (title_cut.is_some()
                    || head.starts_with('各')
                    || head.starts_with('全')
                    || org_list(&head[addr_from..]))
            {
                cuts.push(after_colon);
            }
        }
    }
    // 4. a signature and date glued after the last sentence: `…。某某局2015年6月1日`
    if let Some(m) = rule("glued_signature")
        .captures(t)
        .and_then(|c| c.name("sig"))
        && m.start() > 0
        && cuts.last().is_none_or(|&l| m.start() > l)
    {
        cuts.push(m.start());
    }
    let mut out = Vec::new();
    let mut s = 0;
    for c in cuts {
        if c > s && c < t.len() {
            out.push(line.start + s..line.start + c);
            s = c;
        }
    }
    out.push(line.start + s..line.end);
    out
}

impl View<'_> {
    fn t(&self, i: usize) -> &str {
        self.text[self.lines[i].clone()].trim()
    }

    /// Byte range of line `i` with surrounding spaces trimmed.
    fn trimmed(&self, i: usize) -> Range<usize> {
        let r = self.lines[i].clone();
        let raw = &self.text[r.clone()];
        let lead = raw.len() - raw.trim_start().len();
        let trail = raw.len() - raw.trim_end().len();
        r.start + lead..r.end - trail
    }

    fn is_banner(&self, i: usize) -> bool {
        let t = self.t(i);
        t.chars().count() <= 60 && !t.contains("关于") && rule("banner").is_match(t)
    }

    /// A line that is only the document's own number (maybe with 签发人).
    fn own_number(&self, i: usize) -> Option<Range<usize>> {
        let t = self.t(i);
        let lead = t
            .find(|c: char| !matches!(c, ' ' | '\u{3000}'))
            .unwrap_or(0);
        let meta = rule("meta_number")
            .find(t)
            .filter(|m| m.start() == 0)
            .map(|m| m.end())
            .unwrap_or(lead);
        let m = rule("doc_number").find_at(t, meta)?;
        if m.start() != meta {
            return None;
        }
        let rest = t[m.end()..].trim();
        if rest.is_empty() || rest.starts_with("签发人") || rest.starts_with('签') {
            let base = self.trimmed(i).start;
            Some(base + m.start()..base + m.end())
        } else {
            None
        }
    }

    fn is_titleish(&self, i: usize) -> bool {
        let t = self.t(i);
        let n = t.chars().count();
        (4..=120).contains(&n)
            && !t.contains('。')
            && !is_junk(t)
            && !t.starts_with("附件")
            && outline::marker(t).is_none()
            && (has_title_marker(t) || ends_with_doc_type(t))
    }

    fn date_line(&self, i: usize) -> Option<(Range<usize>, Range<usize>)> {
        let t = self.t(i);
        if t.chars().count() > 60 {
            return None;
        }
        let c = rule("signature_date_line").captures(t)?;
        let base = self.trimmed(i).start;
        let sig = c
            .name("sig")
            .map(|m| base + m.start()..base + m.end())
            .filter(|r| r.start < r.end);
        let date = c.name("date").map(|m| base + m.start()..base + m.end())?;
        Some((sig.unwrap_or(date.start..date.start), date))
    }

    fn is_annex_head(&self, i: usize) -> Option<Option<u32>> {
        let t = self.t(i);
        let rest = t.strip_prefix("附件")?.trim_start();
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after = rest[digits.len()..].trim_start();
        if digits.is_empty() {
            // `附件` alone, or `附件：` heading of a body that follows
            return if after.is_empty() { Some(None) } else { None };
        }
        if after.is_empty() || after.starts_with(['：', ':']) || after.chars().count() <= 40 {
            return Some(digits.parse().ok());
        }
        None
    }

    /// Where a new document would start at line `i` (after the current one closed).
    fn starts_document(&self, i: usize) -> bool {
        self.is_banner(i)
            || self.own_number(i).is_some()
            || (self.is_titleish(i) && !is_junk(self.t(i)))
    }

    fn parse_doc(&self, start: usize) -> DocLayout {
        let n = self.lines.len();
        let mut doc = DocLayout {
            lines: start..n,
            ..Default::default()
        };
        let mut i = start;
        let header_limit = (start + 16).min(n);
        let mut title_units: Vec<Range<usize>> = Vec::new(); // line ranges of title candidates
        let mut pending: Option<usize> = None; // first line of a title spanning lines
        // ---- header
        while i < header_limit {
            let t = self.t(i);
            if is_junk(t) {
                self.meta(i, &mut doc);
                pending = None;
                i += 1;
                continue;
            }
            if i > start && self.is_banner(i) && (doc.number.is_some() || doc.addressee.is_some()) {
                break; // the next document's banner
            }
            if self.is_banner(i) {
                let r = self.trimmed(i);
                let c = rule("banner")
                    .captures(t)
                    .and_then(|c| c.name("issuer"))
                    .map(|m| m.range());
                if let Some(m) = c {
                    doc.banner.push(r.start + m.start..r.start + m.end);
                }
                i += 1;
                continue;
            }
            if !doc.banner.is_empty()
                && doc.number.is_none()
                && title_units.is_empty()
                && ends_with_org(t)
                && t.chars().count() <= 30
                && !t.contains("关于")
            {
                doc.banner.push(self.trimmed(i)); // second issuer of a joint banner
                i += 1;
                continue;
            }
            if let Some(r) = self.own_number(i) {
                if doc.number.is_none() {
                    doc.number = Some(r);
                }
                pending = None;
                i += 1;
                continue;
            }
            if (t.ends_with('：') || t.ends_with(':'))
                && looks_like_addressees(t.trim_end_matches(['：', ':']))
            {
                let r = self.trimmed(i);
                doc.addressee = Some(
                    r.start
                        ..r.end
                            - if t.ends_with('：') {
                                '：'.len_utf8()
                            } else {
                                1
                            },
                );
                i += 1;
                break;
            }
            if outline::marker(t).is_some() || t.contains('。') || t.chars().count() > 120 {
                break;
            }
            // a title line, or the first half of one
            let cut = t.find(" - ").filter(|&p| ends_with_doc_type(&t[..p]));
            let ends = cut.is_some() || ends_with_doc_type(t);
            let first = pending.unwrap_or(i);
            let tail_of_last = pending.is_none()
                && title_units.last().is_some_and(|u| u.end == i)
                && !has_title_marker(t)
                && t.chars().count() <= 12;
            if ends && tail_of_last {
                // `…的通知》` wrapped before its own `的通知`: the tail extends the title
                if let Some(u) = title_units.last_mut() {
                    u.end = i + 1;
                }
            } else if ends {
                title_units.push(first..i + 1);
                pending = None;
            } else if pending.is_none() && has_title_marker(t) {
                pending = Some(i);
            } else if pending.is_some() && i - first >= 2 {
                pending = None;
            }
            i += 1;
        }
        if let Some(unit) = title_units.last() {
            let s = self.trimmed(unit.start).start;
            let last = unit.end - 1;
            let lt = self.t(last);
            let e = match lt.find(" - ").filter(|&p| ends_with_doc_type(&lt[..p])) {
                Some(p) => self.trimmed(last).start + p,
                None => self.trimmed(last).end,
            };
            // a page heading glued to the banner repeats the issuer: `XX局XX局关于…`
            let s = s + repeated_head(&self.text[s..e]);
            doc.title = Some(s..e);
        }
        doc.body = i..i;
        // ---- body and closing
        let mut closed = false;
        let mut end = n;
        let mut j = i;
        while j < n {
            let t = self.t(j);
            if !closed {
                if j > i && self.is_banner(j) {
                    end = j;
                    break;
                }
                if let Some(c) = rule("disclosure").captures(t)
                    && t.chars().count() <= 24
                {
                    let base = self.trimmed(j).start;
                    let m = c.name("value").map(|m| m.range()).unwrap_or(0..0);
                    doc.disclosure = Some(base + m.start..base + m.end);
                    doc.body.end = doc.body.end.max(j);
                    closed = true;
                    doc.tail = j + 1..j + 1;
                    j += 1;
                    continue;
                }
                if let Some((sig, date)) = self.date_line(j) {
                    doc.date = Some(date);
                    let mut sigs = Vec::new();
                    if sig.start < sig.end {
                        sigs.push(sig);
                    }
                    // signature lines just above the date
                    let mut k = j;
                    while k > i && sigs.len() < 3 {
                        let p = self.t(k - 1);
                        if p.chars().count() <= 40
                            && ends_with_org(p)
                            && !p.ends_with(['）', ')'])
                            && !p.contains(['。', '《', '》'])
                            && !p.contains('：')
                            && !p.contains(':')
                            && !p.starts_with("附件")
                            && outline::marker(p).is_none()
                        {
                            sigs.insert(0, self.trimmed(k - 1));
                            k -= 1;
                        } else {
                            break;
                        }
                    }
                    doc.body.end = k;
                    doc.signature = sigs;
                    closed = true;
                    doc.tail = j + 1..j + 1;
                    j += 1;
                    continue;
                }
                doc.body.end = j + 1;
                j += 1;
                continue;
            }
            // after the closing: disclosure, 版记, notes, then annex bodies or a new document
            if let Some(c) = rule("disclosure").captures(t)
                && doc.disclosure.is_none()
                && t.chars().count() <= 24
            {
                let base = self.trimmed(j).start;
                let m = c.name("value").map(|m| m.range()).unwrap_or(0..0);
                doc.disclosure = Some(base + m.start..base + m.end);
                doc.tail.end = j + 1;
                j += 1;
                continue;
            }
            if let Some(index) = self.is_annex_head(j)
                && (index.is_some() || (j + 1 < n && !self.starts_document(j + 1)))
            {
                end = self.annex_bodies(j, &mut doc);
                break;
            }
            if is_junk(t) {
                self.meta(j, &mut doc);
                // page furniture after the notice: the rest is not a document
                j += 1;
                continue;
            }
            if self.starts_document(j) {
                end = j;
                break;
            }
            doc.tail.end = j + 1;
            j += 1;
        }
        if !closed {
            doc.body.end = doc.body.end.max(j.min(end));
        }
        doc.lines = start..end.max(start + 1).min(n);
        doc
    }

    /// Annex bodies from line `from`; returns the line where the next document starts.
    fn annex_bodies(&self, from: usize, doc: &mut DocLayout) -> usize {
        let n = self.lines.len();
        let mut j = from;
        while j < n {
            if j > from && self.is_banner(j) {
                break;
            }
            if let Some(index) = self.is_annex_head(j) {
                let start = j;
                j += 1;
                while j < n
                    && self.is_annex_head(j).is_none()
                    && !self.is_banner(j)
                    && !is_junk(self.t(j))
                {
                    j += 1;
                }
                doc.annex_bodies.push(AnnexBody {
                    index,
                    lines: start..j,
                });
                continue;
            }
            if is_junk(self.t(j)) {
                self.meta(j, doc);
                j += 1;
                continue;
            }
            break;
        }
        j
    }

    fn meta(&self, i: usize, doc: &mut DocLayout) {
        let t = self.t(i);
        let base = self.trimmed(i).start;
        if doc.meta_source.is_none()
            && let Some(m) = rule("meta_source")
                .captures(t)
                .and_then(|c| c.name("value"))
        {
            doc.meta_source = Some(base + m.start()..base + m.end());
        }
        if doc.meta_date.is_none()
            && (t.starts_with("日期") || t.starts_with("时间") || t.starts_with("发布"))
            && let Some(m) = rule("iso_date").find(t)
        {
            doc.meta_date = Some(base + m.start()..base + m.end());
        }
    }
}

/// Bytes of a head repeated at once (`AA…` with A of 4–30 chars), else 0.
fn repeated_head(t: &str) -> usize {
    let idx: Vec<usize> = t
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(t.len()))
        .collect();
    for n in (4..=30).rev() {
        if idx.len() > 2 * n {
            let (a, b) = (&t[..idx[n]], &t[idx[n]..idx[2 * n]]);
            if a == b {
                return idx[n];
            }
        }
    }
    0
}

/// Squashed text of a byte range (titles and names are written without inner spaces).
pub fn value(norm: &Normalized, r: &Range<usize>) -> String {
    squash(&norm.text[r.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    /// (banner, number, title, addressee) of each document.
    type Parts = (String, Option<String>, Option<String>, Option<String>);

    fn parts(src: &str) -> Vec<Parts> {
        let n = normalize(src);
        let l = structure(&n);
        l.docs
            .iter()
            .map(|d| {
                (
                    d.banner
                        .iter()
                        .map(|r| value(&n, r))
                        .collect::<Vec<_>>()
                        .join("、"),
                    d.number.as_ref().map(|r| value(&n, r)),
                    d.title.as_ref().map(|r| value(&n, r)),
                    d.addressee.as_ref().map(|r| value(&n, r)),
                )
            })
            .collect()
    }

    #[test]
    fn relay_and_original_are_two_documents() {
        let src = "宜春市市场监督管理局文件\n\n宜市市监认发〔2023〕3号\n\n宜春市市场监督管理局转发关于 开展检查工作的通知\n\n各县（市、区）市场监督管理局，直属各分局：\n\n现将文件转发给你们。\n\n(此件主动公开)\n\n江西省市场监督管理局办公室文件\n\n赣市监办认监〔2023〕4号\n\n江西省市场监管局办公室关于 开展检查工作的通知\n\n各设区市、赣江新区市场监管局：\n\n正文。\n\n江西省市场监管局办公室\n\n2023年5月26日\n\n(此件公开发布)\n";
        let p = parts(src);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].0, "宜春市市场监督管理局");
        assert_eq!(p[0].1.as_deref(), Some("宜市市监认发〔2023〕3号"));
        assert_eq!(
            p[0].2.as_deref(),
            Some("宜春市市场监督管理局转发关于开展检查工作的通知")
        );
        assert_eq!(p[1].3.as_deref(), Some("各设区市、赣江新区市场监管局"));
    }

    #[test]
    fn glued_web_header_is_split() {
        let body = "为切实加强夏季火灾防控工作，确保全区消防安全形势持续稳定。".repeat(12);
        let src = format!(
            "当前位置： 首页政务公开 关于开展夏季消防检查的通知 时间：2015-06-03 09:59 微信 微博 QQ空间 岚综管办〔2015〕103号平潭综合实验区管委会办公室关于开展夏季消防检查的通知区直各部门、各乡镇、各片区管理局：{body} 平潭综合实验区管委会办公室2015年6月1日 来源：中国平潭 附件下载"
        );
        let p = parts(&src);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].1.as_deref(), Some("岚综管办〔2015〕103号"));
        assert_eq!(
            p[0].2.as_deref(),
            Some("平潭综合实验区管委会办公室关于开展夏季消防检查的通知")
        );
        assert_eq!(p[0].3.as_deref(), Some("区直各部门、各乡镇、各片区管理局"));
    }

    #[test]
    fn strange_input_gives_a_partial_layout() {
        for src in [
            "",
            "\n\n",
            "附件",
            "（此件主动公开）",
            "2023年5月26日",
            "文件",
            "：：：",
            "一、\n（一）\n1.",
        ] {
            let n = normalize(src);
            let l = structure(&n);
            assert!(l.docs.len() <= 1, "{src:?}");
        }
    }
}
