//! The relay diff as an HTML page: both texts side by side, aligned tasks linked, changed
//! values highlighted at their spans.

use super::{DateChange, RelayDiff, Side, Verdict};
use crate::output::html::{Mark, STYLE, document_marks, highlight};
use html_escape::encode_text;
use std::fmt::Write;

/// Marks of one side: its document's values, with the diff's changes on top.
fn side_marks(side: &Side, diff: &RelayDiff, relay: bool) -> Vec<Mark> {
    let mut m = document_marks(side.document());
    let prefix = if relay { "r" } else { "o" };
    for mk in m.iter_mut().filter(|mk| mk.class == "task") {
        mk.id = mk.id.as_ref().map(|id| format!("{prefix}-{id}"));
    }
    for p in &diff.aligned {
        for c in &p.deadlines {
            let v = if relay { &c.relay } else { &c.original };
            if let Some(v) = v
                && c.change != DateChange::Same
            {
                m.push(Mark::new(
                    v.span,
                    "changed",
                    format!("{:?} {:?}", c.change, c.days),
                ));
            }
        }
        for r in &p.ratios {
            let v = if relay { &r.relay } else { &r.original };
            if let Some(v) = v
                && r.verdict != Verdict::Consistent
            {
                m.push(Mark::new(v.span, "changed", format!("{:?}", r.verdict)));
            }
        }
        for q in &p.quotas {
            let v = if relay { &q.relay } else { &q.original };
            if let Some(v) = v
                && q.verdict != super::QuotaVerdict::Same
            {
                m.push(Mark::new(v.span, "changed", format!("{:?}", q.verdict)));
            }
        }
    }
    if relay {
        for a in &diff.added {
            m.push(Mark::new(a.span, "added", "added by the relay"));
        }
    } else {
        for o in &diff.omitted {
            m.push(Mark::new(
                o.task.span,
                "omitted",
                o.reason
                    .clone()
                    .unwrap_or_else(|| "omitted by the relay".into()),
            ));
        }
    }
    m
}

/// One comparison: its table of tasks and both texts side by side.
fn section(diff: &RelayDiff, relay: &Side, original: &Side) -> String {
    let mut rows = String::new();
    for p in &diff.aligned {
        let changes: Vec<String> = p
            .deadlines
            .iter()
            .filter(|c| c.change != DateChange::Same)
            .map(|c| {
                format!(
                    "{} {}→{}",
                    c.action.as_deref().unwrap_or(""),
                    c.original
                        .as_ref()
                        .and_then(|v| v.date.clone())
                        .unwrap_or_default(),
                    c.relay
                        .as_ref()
                        .and_then(|v| v.date.clone())
                        .unwrap_or_default()
                )
            })
            .collect();
        let _ = write!(
            rows,
            "<tr><td><a href=\"#o-task-{oid}\">{oid} {ot}</a></td><td><a href=\"#r-task-{rid}\">{rid} {rt}</a></td><td>{ch}</td></tr>",
            oid = encode_text(&p.original.id),
            ot = encode_text(&p.original.title),
            rid = encode_text(&p.relay.id),
            rt = encode_text(&p.relay.title),
            ch = encode_text(&changes.join("；")),
        );
    }
    for o in &diff.omitted {
        let _ = write!(
            rows,
            "<tr><td><a href=\"#o-task-{id}\">{id} {t}</a></td><td>omitted</td><td>{why}</td></tr>",
            id = encode_text(&o.task.id),
            t = encode_text(&o.task.title),
            why = encode_text(o.reason.as_deref().unwrap_or("")),
        );
    }
    for a in &diff.added {
        let _ = write!(
            rows,
            "<tr><td>added</td><td><a href=\"#r-task-{id}\">{id} {t}</a></td><td></td></tr>",
            id = encode_text(&a.id),
            t = encode_text(&a.title),
        );
    }
    // each column shows its own document only, marks shifted to its start
    let column = |s: &Side, relay: bool| -> String {
        let span = s.document().span;
        let text: String = s.text.chars().skip(span.0).take(span.1 - span.0).collect();
        let marks: Vec<Mark> = side_marks(s, diff, relay)
            .into_iter()
            .filter(|m| m.span.0 >= span.0 && m.span.1 <= span.1)
            .map(|mut m| {
                m.span = crate::spec::Span(m.span.0 - span.0, m.span.1 - span.0);
                m
            })
            .collect();
        highlight(&text, &marks)
    };
    format!(
        "<h2 style=\"margin:.5em 1em\">{r} ⟵ {o}</h2>\n<table><tr><th>original</th><th>relay</th><th>changes</th></tr>{rows}</table>\n<div class=\"cols\"><section><h3>转发 {r}</h3><div class=\"text\">{rt}</div></section>\n<section><h3>原文 {o}</h3><div class=\"text\">{ot}</div></section></div>\n",
        r = encode_text(diff.relay.doc_number.as_deref().unwrap_or("relay")),
        o = encode_text(diff.original.doc_number.as_deref().unwrap_or("original")),
        rt = column(relay, true),
        ot = column(original, false),
    )
}

/// The page of one or more comparisons (a relay of a relay gives one per level).
pub fn page(parts: &[(&RelayDiff, &Side, &Side)]) -> String {
    let body: String = parts.iter().map(|(d, r, o)| section(d, r, o)).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>gongwen diff</title><style>{STYLE}</style></head>\n<body><header>gongwen diff</header>\n{body}</body></html>\n"
    )
}
