//! HTML review pages: the source text with every extracted value highlighted at its span,
//! beside the JSON (`gongwen extract -f html`); the same highlighter draws the relay diff.

use crate::spec::{Output, Span};
use html_escape::{encode_double_quoted_attribute, encode_text};
use std::fmt::Write;

/// A highlighted stretch of the text.
#[derive(Debug, Clone)]
pub struct Mark {
    pub span: Span,
    /// CSS classes (`deadline`, `changed`…).
    pub class: String,
    /// Hover text: what was read there.
    pub title: String,
    /// An anchor id placed at the start, for links.
    pub id: Option<String>,
}

impl Mark {
    pub fn new(span: Span, class: &str, title: impl Into<String>) -> Self {
        Mark {
            span,
            class: class.to_string(),
            title: title.into(),
            id: None,
        }
    }
}

/// The text as HTML with the marks applied. Overlapping marks are flattened: each stretch
/// of text carries the classes and titles of every mark over it.
pub fn highlight(text: &str, marks: &[Mark]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut bounds: Vec<usize> = vec![0, n];
    for m in marks {
        bounds.push(m.span.0.min(n));
        bounds.push(m.span.1.min(n));
    }
    bounds.sort_unstable();
    bounds.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    for w in bounds.windows(2) {
        let (s, e) = (w[0], w[1]);
        for m in marks.iter().filter(|m| m.span.0 == s) {
            if let Some(id) = &m.id {
                let _ = write!(out, "<a id=\"{}\"></a>", encode_double_quoted_attribute(id));
            }
        }
        if s == e {
            continue;
        }
        let piece: String = chars[s..e].iter().collect();
        let over: Vec<&Mark> = marks
            .iter()
            .filter(|m| m.span.0 <= s && e <= m.span.1 && m.span.0 < m.span.1)
            .collect();
        if over.is_empty() {
            out.push_str(&encode_text(&piece));
            continue;
        }
        let classes: Vec<&str> = over.iter().map(|m| m.class.as_str()).collect();
        let titles: Vec<&str> = over
            .iter()
            .map(|m| m.title.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        let _ = write!(
            out,
            "<mark class=\"{}\" title=\"{}\">{}</mark>",
            encode_double_quoted_attribute(&classes.join(" ")),
            encode_double_quoted_attribute(&titles.join("\n")),
            encode_text(&piece)
        );
    }
    out
}

/// The style sheet shared by the review and diff pages.
pub const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; margin: 0; }
header { padding: .6em 1em; background: #234; color: #fff; }
.cols { display: flex; gap: 1em; padding: 1em; }
.cols > section { flex: 1; min-width: 0; }
.text { white-space: pre-wrap; line-height: 1.7; border: 1px solid #ccc; padding: .8em; }
pre.json { font-size: 12px; overflow: auto; border: 1px solid #ccc; padding: .8em; max-height: 90vh; }
mark { background: none; border-bottom: 2px solid #999; }
mark.task { background: #f4f8ff; border-bottom: none; }
mark.header { background: #e6f0ff; }
mark.deadline { background: #ffe9b3; }
mark.period { background: #e3f7d4; }
mark.ratio { background: #d8f1f5; }
mark.quota { background: #f0e0ff; }
mark.contact { background: #eee; }
mark.annex { background: #f5f5dc; }
mark.changed { background: #ffb3b3; border-bottom: 2px solid #c00; }
mark.omitted { background: #ddd; text-decoration: line-through; }
mark.added { background: #c8f7c5; }
table { border-collapse: collapse; margin: 1em; }
td, th { border: 1px solid #ccc; padding: .2em .5em; text-align: left; }
.legend span { padding: 0 .4em; margin-right: .4em; }
"#;

/// Marks of every value of an output.
pub fn marks(out: &Output) -> Vec<Mark> {
    out.documents.iter().flat_map(document_marks).collect()
}

/// Marks of every value of one document.
pub fn document_marks(d: &crate::spec::Document) -> Vec<Mark> {
    let mut m = Vec::new();
    if let Some(n) = &d.doc_number {
        m.push(Mark::new(n.span, "header", format!("发文字号 {}", n.value)));
    }
    for (k, v) in [("发文机关", &d.issuer), ("标题", &d.title)] {
        if let Some(v) = v {
            m.push(Mark::new(v.span, "header", format!("{k} {}", v.value)));
        }
    }
    for a in &d.addressees {
        m.push(Mark::new(a.span, "header", format!("主送 {}", a.value)));
    }
    if let Some(v) = &d.issue_date {
        m.push(Mark::new(v.span, "header", format!("成文日期 {}", v.value)));
    }
    for c in &d.contacts {
        let who = c.name.clone().unwrap_or_default();
        m.push(Mark::new(
            c.span,
            "contact",
            format!("联系人 {who} {}", c.phones.join(" ")),
        ));
    }
    for a in &d.annexes {
        m.push(Mark::new(
            a.span,
            "annex",
            format!("附件{} {}", a.index, a.title),
        ));
    }
    for t in &d.tasks {
        let mut task = Mark::new(
            t.span,
            "task",
            format!(
                "任务 {} {} [{}]",
                t.id,
                t.title,
                t.category.as_deref().unwrap_or("-")
            ),
        );
        task.id = Some(format!("task-{}", t.id));
        m.push(task);
        for dl in &t.deadlines {
            m.push(Mark::new(
                dl.span,
                "deadline",
                format!(
                    "截止 {} {}",
                    dl.date.as_deref().unwrap_or("-"),
                    dl.action.as_deref().unwrap_or("")
                ),
            ));
        }
        if let Some(p) = &t.period {
            m.push(Mark::new(
                p.span,
                "period",
                format!(
                    "期间 {}..{}",
                    p.start.as_deref().unwrap_or("-"),
                    p.end.as_deref().unwrap_or("-")
                ),
            ));
        }
        for r in &t.ratios {
            m.push(Mark::new(
                r.span,
                "ratio",
                format!("比例 {} {}", r.value, r.regions.join("、")),
            ));
        }
        for q in &t.quotas {
            m.push(Mark::new(
                q.span,
                "quota",
                format!("数量 {}{}", q.count, q.unit),
            ));
        }
    }
    m
}

/// The review page of one extracted notice: highlighted source beside the JSON.
pub fn review_page(out: &Output, text: &str) -> String {
    let json = serde_json::to_string_pretty(out).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>gongwen: {path}</title><style>{STYLE}</style></head>\n<body><header>gongwen extract · {path}</header>\n<div class=\"legend\" style=\"padding:.5em 1em\"><span class=\"header\" style=\"background:#e6f0ff\">文头</span><span style=\"background:#ffe9b3\">截止</span><span style=\"background:#e3f7d4\">期间</span><span style=\"background:#d8f1f5\">比例</span><span style=\"background:#f0e0ff\">数量</span><span style=\"background:#eee\">联系人</span><span style=\"background:#f5f5dc\">附件</span></div>\n<div class=\"cols\"><section><h3>原文</h3><div class=\"text\">{body}</div></section>\n<section><h3>JSON</h3><pre class=\"json\">{json}</pre></section></div></body></html>\n",
        path = encode_text(&out.source.path),
        body = highlight(text, &marks(out)),
        json = encode_text(&json),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_marks_flatten_and_escape() {
        let h = highlight(
            "a<b>c 9月10日前",
            &[
                Mark::new(Span(0, 5), "task", "t"),
                Mark::new(Span(6, 12), "deadline", "d"),
                Mark::new(Span(2, 3), "x", "\"q\""),
            ],
        );
        assert!(h.contains("&lt;"), "{h}");
        assert!(h.contains("<mark class=\"task x\""), "{h}");
        assert!(h.contains("title=\"t\n&quot;q&quot;\""), "{h}");
        assert!(
            h.contains("<mark class=\"deadline\" title=\"d\">9月10日前</mark>"),
            "{h}"
        );
    }
}
