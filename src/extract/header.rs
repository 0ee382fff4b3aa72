//! Header facts: 发文字号, 发文机关, 标题, 文种, 主送机关, 成文日期, 公开属性, relays and
//! references.

use super::Ctx;
use super::dates::parse_date;
use crate::chars::squash;
use crate::grammar::{lexicon, rule};
use crate::spec::{Citation, DateValue, DocNumber, TextValue};
use crate::structure::{split_top_level, value};
use std::ops::Range;

/// Parse a doc number at the start of `text` (after stripping lead words that are not part
/// of a 机关代字). Returns the number and the byte range it covers in `text`.
pub fn parse_doc_number(text: &str) -> Option<(DocNumberParts, Range<usize>)> {
    let c = rule("doc_number").captures(text)?;
    let whole = c.get(0)?;
    let prefix = c.name("prefix")?;
    let (trimmed, skip) = strip_lead(prefix.as_str());
    let year: i32 = c.name("year")?.as_str().parse().ok()?;
    let serial: u32 = c.name("serial")?.as_str().parse().ok()?;
    let prefix = squash(trimmed);
    if prefix.is_empty() {
        return None;
    }
    let value = format!("{prefix}〔{year}〕{serial}号");
    Some((
        DocNumberParts {
            value,
            prefix,
            year,
            serial,
        },
        whole.start() + skip..whole.end(),
    ))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumberParts {
    pub value: String,
    pub prefix: String,
    pub year: i32,
    pub serial: u32,
}

/// Drop words glued in front of a 机关代字 (`见省局赣市监办认监` → `赣市监办认监`).
fn strip_lead(prefix: &str) -> (&str, usize) {
    // cut after the last lead word that leaves a non-empty 代字
    let mut cut = 0;
    for w in lexicon("doc_number_lead") {
        if let Some(p) = prefix.rfind(w.as_str()) {
            let end = p + w.len();
            if end < prefix.len() && end > cut {
                cut = end;
            }
        }
    }
    (&prefix[cut..], cut)
}

/// Every doc number in `range` of the normalized text, with its span and the cited title.
pub fn doc_numbers_in(
    ctx: &Ctx,
    range: Range<usize>,
) -> Vec<(DocNumberParts, Range<usize>, Option<String>)> {
    let text = &ctx.norm.text[range.clone()];
    let mut out = Vec::new();
    for m in rule("doc_number").find_iter(text) {
        if let Some((parts, r)) = parse_doc_number(m.as_str()) {
            let abs = range.start + m.start() + r.start..range.start + m.start() + r.end;
            let title = cited_title(&text[..m.start()]);
            out.push((parts, abs, title));
        }
    }
    out
}

/// The `《…》` right before a citation `（号）`.
fn cited_title(before: &str) -> Option<String> {
    let b = before.trim_end_matches(['（', '(', ' ']);
    let inner = b.strip_suffix('》')?;
    let mut depth = 0;
    for (i, c) in inner.char_indices().rev() {
        match c {
            '》' => depth += 1,
            '《' if depth == 0 => return Some(squash(&inner[i + '《'.len_utf8()..])),
            '《' => depth -= 1,
            _ => {}
        }
    }
    None
}

pub fn doc_number(ctx: &Ctx, r: &Range<usize>) -> Option<DocNumber> {
    let text = &ctx.norm.text[r.clone()];
    let (p, sub) = parse_doc_number(text)?;
    Some(DocNumber {
        origin: Default::default(),
        value: p.value,
        prefix: p.prefix,
        year: p.year,
        serial: p.serial,
        span: ctx.norm.span(r.start + sub.start..r.start + sub.end),
    })
}

pub fn text_value(ctx: &Ctx, r: &Range<usize>) -> TextValue {
    TextValue {
        origin: Default::default(),
        value: value(ctx.norm, r),
        span: ctx.norm.span(r.clone()),
    }
}

/// 文种 at the end of a title (`…的通知` → 通知; `…》的函` → 函).
pub fn doc_type_of(title: &str) -> Option<String> {
    let t = title.trim_end_matches(['”', '"', '》', ')', '）']);
    lexicon("doc_types")
        .iter()
        .find(|w| t.ends_with(w.as_str()))
        .cloned()
}

/// 文种 from a closing formula when there is no title (`特此通知` → 通知).
pub fn doc_type_from_closing(body: &str) -> Option<String> {
    rule("closing_formula")
        .captures(body)
        .and_then(|c| c.name("kind"))
        .map(|m| m.as_str().to_string())
}

/// 主送机关 split on top-level `，` `；`.
pub fn addressees(ctx: &Ctx, r: &Range<usize>) -> Vec<TextValue> {
    let t = &ctx.norm.text[r.clone()];
    split_top_level(t, &['，', '；', ',', ';'])
        .into_iter()
        .map(|p| {
            let s = &t[p.clone()];
            let lead = s.len() - s.trim_start().len();
            let trail = s.len() - s.trim_end().len();
            r.start + p.start + lead..r.start + p.end - trail
        })
        .filter(|p| p.start < p.end)
        .map(|p| text_value(ctx, &p))
        .collect()
}

pub fn date_value(ctx: &Ctx, r: &Range<usize>) -> Option<DateValue> {
    let text = &ctx.norm.text[r.clone()];
    let (date, m) = parse_date(text)?;
    let span = ctx.norm.span(r.start + m.start..r.start + m.end);
    Some(DateValue {
        origin: Default::default(),
        value: date.iso(),
        raw: ctx.raw(span),
        span,
    })
}

/// The issuer's name from a title `XX关于…` when XX is an organisation.
pub fn issuer_from_title(title: &str) -> Option<(usize, &str)> {
    let p = title.find("关于")?;
    let head = &title[..p];
    let ok = head.chars().count() >= 4
        && lexicon("org_endings")
            .iter()
            .any(|w| head.ends_with(w.as_str()) && w != "）" && w != ")" && w != "等");
    ok.then_some((p, head))
}

/// Relays and references of a document: every cited doc number but its own, each once;
/// relays are those cited in a sentence that forwards (转发) outside the cited title.
pub fn citations(
    ctx: &Ctx,
    ranges: &[Range<usize>],
    own: Option<&str>,
) -> (Vec<Citation>, Vec<Citation>) {
    let mut relays: Vec<Citation> = Vec::new();
    let mut refs: Vec<Citation> = Vec::new();
    for r in ranges {
        for (parts, span, title) in doc_numbers_in(ctx, r.clone()) {
            if Some(parts.value.as_str()) == own {
                continue;
            }
            let cite = Citation {
                origin: Default::default(),
                doc_number: parts.value.clone(),
                title,
                span: ctx.norm.span(span.clone()),
            };
            if forwards(&ctx.norm.text, span.clone())
                && !relays.iter().any(|c| c.doc_number == parts.value)
            {
                relays.push(cite.clone());
            }
            if !refs.iter().any(|c| c.doc_number == parts.value) {
                refs.push(cite);
            }
        }
    }
    (relays, refs)
}

/// Is the citation at `span` inside a sentence that forwards it (转发 outside 《》)?
fn forwards(text: &str, span: Range<usize>) -> bool {
    let sentence_start = text[..span.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '。' | '；' | '\n'))
        .map(|(p, c)| p + c.len_utf8())
        .unwrap_or(0);
    let sentence_end = text[span.end..]
        .find(['。', '；', '\n'])
        .map(|p| span.end + p)
        .unwrap_or(text.len());
    let s = &text[sentence_start.min(span.start)..sentence_end];
    let mut depth = 0i32;
    let mut outside = String::new();
    for c in s.chars() {
        match c {
            '《' => depth += 1,
            '》' => depth = (depth - 1).max(0),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    rule("relay_verb").is_match(&outside)
}

/// OCR reads the province abbreviation that opens a provincial office's doc number wrong
/// (闽 → 间, 赣): a provincial issuer numbers its documents with its own abbreviation, so on
/// an OCR'd text a different first character is replaced by it, with a warning. Its own
/// documents cited in the text (same prefix after the first character) are corrected too.
pub fn correct_ocr_province(
    doc: &mut crate::spec::Document,
    warnings: &mut Vec<crate::spec::Warning>,
) {
    let (Some(region), Some(number)) = (&doc.region, &mut doc.doc_number) else {
        return;
    };
    if region.level != crate::spec::RegionLevel::Province {
        return;
    }
    let g = crate::gazetteer::gazetteer();
    let Some(abbrev) = g.lookup(&region.name).and_then(|p| p.abbrev) else {
        return;
    };
    let Some(first) = number.prefix.chars().next() else {
        return;
    };
    let body: String = number.prefix.chars().skip(1).collect();
    if first != abbrev && !region.short.starts_with(first) {
        warnings.push(crate::spec::Warning {
            code: "ocr-corrected".into(),
            message: format!(
                "OCR read the doc number as {}, corrected to {}: a provincial office of {} numbers with {abbrev}",
                number.value,
                number.value.replacen(first, &abbrev.to_string(), 1),
                region.name
            ),
            span: Some(number.span),
        });
        number.value = number.value.replacen(first, &abbrev.to_string(), 1);
        number.prefix = format!("{abbrev}{body}");
    }
    // the office's own earlier documents cited in the text carry the same prefix
    let prefix = number.prefix.clone();
    for cite in doc.relays.iter_mut().chain(doc.references.iter_mut()) {
        let mut chars = cite.doc_number.chars();
        let Some(c) = chars.next() else { continue };
        if c == abbrev || !chars.as_str().starts_with(&body) || body.chars().count() < 2 {
            continue;
        }
        let tail = &chars.as_str()[body.len()..];
        if !tail.starts_with('〔') {
            continue;
        }
        let fixed = format!("{prefix}{tail}");
        warnings.push(crate::spec::Warning {
            code: "ocr-corrected".into(),
            message: format!(
                "OCR read a cited doc number as {}, corrected to {fixed}: the issuer's own prefix is {prefix}",
                cite.doc_number
            ),
            span: Some(cite.span),
        });
        cite.doc_number = fixed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers_of_every_bracket() {
        for (text, want) in [
            ("赣市监办认监〔2023〕4号", "赣市监办认监〔2023〕4号"),
            ("深交港货[2013]164号", "深交港货〔2013〕164号"),
            ("岚安委办【2018】3号", "岚安委办〔2018〕3号"),
            ("发改办财金规（2019）860号", "发改办财金规〔2019〕860号"),
            ("内政字〔 2020 〕102 号", "内政字〔2020〕102号"),
            (
                "见省局赣市监办认监〔2023〕4号文件",
                "赣市监办认监〔2023〕4号",
            ),
            ("根据闽商务〔2019〕250号", "闽商务〔2019〕250号"),
        ] {
            assert_eq!(
                parse_doc_number(text).map(|p| p.0.value).as_deref(),
                Some(want),
                "{text}"
            );
        }
        let (p, _) = parse_doc_number("赣市监办认监〔2023〕4号").unwrap();
        assert_eq!(
            (p.prefix.as_str(), p.year, p.serial),
            ("赣市监办认监", 2023, 4)
        );
    }

    #[test]
    fn cited_titles() {
        assert_eq!(
            cited_title("现将《关于开展检查的通知》（").as_deref(),
            Some("关于开展检查的通知")
        );
        assert_eq!(cited_title("关于《根河市城市总体规划》的批复（"), None);
    }

    #[test]
    fn doc_types() {
        assert_eq!(
            doc_type_of("关于会签《关于印发<方案>的通知》的函").as_deref(),
            Some("函")
        );
        assert_eq!(
            doc_type_of("青浦区加强建筑垃圾全程管理工作实施意见").as_deref(),
            Some("意见")
        );
        assert_eq!(
            doc_type_of("关于《根河市城市总体规划（2019—2030）》的批复").as_deref(),
            Some("批复")
        );
    }
}
