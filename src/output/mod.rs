//! Output: the task spec as JSON / JSON Lines / pretty JSON, a readable review text (one
//! fact per line) that snapshot tests and humans diff, and the deadline exports: iCalendar
//! ([`ics`]) and CSV ([`table`]).

pub mod html;
pub mod ics;
pub mod table;

use crate::spec::{Document, Output};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One compact JSON object per input.
    Json,
    /// JSON Lines: one object per line (same as json, for streams).
    Jsonl,
    /// Indented JSON.
    Pretty,
    /// Readable review text: one fact per line with its span.
    Review,
    /// iCalendar (RFC 5545): one all-day event per deadline and per period, for calendars.
    Ics,
    /// CSV, one row per deadline (UTF-8 with BOM, for spreadsheets).
    Csv,
    /// HTML review page: the source with every value highlighted, beside the JSON.
    Html,
}

impl OutputFormat {
    /// Formats that combine every input into one document (a calendar, a table).
    pub fn is_batch(self) -> bool {
        matches!(self, OutputFormat::Ics | OutputFormat::Csv)
    }

    /// File extension for per-input output files.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Review => "txt",
            OutputFormat::Ics => "ics",
            OutputFormat::Csv => "csv",
            OutputFormat::Html => "html",
            _ => "json",
        }
    }
}

/// Render several outputs as one document (ics, csv); the per-input formats are joined
/// one per line.
pub fn render_batch(outs: &[Output], format: OutputFormat) -> String {
    match format {
        OutputFormat::Ics => ics::render(outs),
        OutputFormat::Csv => table::render(outs),
        _ => outs
            .iter()
            .map(|o| render(o, format))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Render one output object.
pub fn render(out: &Output, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => serde_json::to_string(out).unwrap_or_default(),
        OutputFormat::Pretty => serde_json::to_string_pretty(out).unwrap_or_default(),
        OutputFormat::Review => review(out),
        OutputFormat::Ics | OutputFormat::Csv => render_batch(std::slice::from_ref(out), format),
        // the page needs the source text: see [`render_with_text`]
        OutputFormat::Html => html::review_page(out, ""),
    }
}

/// Render one output, with the text its spans index into (the HTML page shows it).
pub fn render_with_text(out: &Output, text: &str, format: OutputFormat) -> String {
    match format {
        OutputFormat::Html => html::review_page(out, text),
        _ => render(out, format),
    }
}

/// The facts of an output as text, one per line: `field  value  [start,end]`.
pub fn review(out: &Output) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "source: {} ({:?}, {}, {} chars)",
        out.source.path,
        out.source.format,
        out.source.encoding.as_deref().unwrap_or("-"),
        out.source.chars
    );
    for (i, d) in out.documents.iter().enumerate() {
        document(&mut s, i + 1, d);
    }
    for w in &out.warnings {
        let _ = writeln!(
            s,
            "warning {}: {}{}",
            w.code,
            w.message,
            w.span
                .map(|sp| format!("  [{},{}]", sp.0, sp.1))
                .unwrap_or_default()
        );
    }
    s
}

fn document(s: &mut String, n: usize, d: &Document) {
    let _ = writeln!(
        s,
        "== document {n} ({:?}) [{},{}]",
        d.role, d.span.0, d.span.1
    );
    let mut line = |k: &str, v: &str, span: Option<crate::spec::Span>| {
        let _ = writeln!(
            s,
            "  {k:<12} {v}{}",
            span.map(|sp| format!("  [{},{}]", sp.0, sp.1))
                .unwrap_or_default()
        );
    };
    match &d.doc_number {
        Some(x) => line(
            "doc_number",
            &format!(
                "{} (prefix {}, year {}, serial {})",
                x.value, x.prefix, x.year, x.serial
            ),
            Some(x.span),
        ),
        None => line("doc_number", "-", None),
    }
    match &d.issuer {
        Some(x) => line("issuer", &x.value, Some(x.span)),
        None => line("issuer", "-", None),
    }
    match &d.title {
        Some(x) => line("title", &x.value, Some(x.span)),
        None => line("title", "-", None),
    }
    line("doc_type", d.doc_type.as_deref().unwrap_or("-"), None);
    for a in &d.addressees {
        line("addressee", &a.value, Some(a.span));
    }
    match &d.issue_date {
        Some(x) => line(
            "issue_date",
            &format!("{} ({})", x.value, x.raw),
            Some(x.span),
        ),
        None => line("issue_date", "-", None),
    }
    line("disclosure", d.disclosure.as_deref().unwrap_or("-"), None);
    if let Some(r) = &d.region {
        line(
            "region",
            &format!("{} ({}, {:?}, {})", r.name, r.code, r.level, r.province),
            None,
        );
    }
    for r in &d.relays {
        line("relays", &r.doc_number, Some(r.span));
    }
    for r in &d.references {
        line(
            "references",
            &format!(
                "{}{}",
                r.doc_number,
                r.title
                    .as_ref()
                    .map(|t| format!(" 《{t}》"))
                    .unwrap_or_default()
            ),
            Some(r.span),
        );
    }
    for c in &d.contacts {
        let v = format!(
            "{} | org {} | phones {} | fax {} | emails {}",
            c.name.as_deref().unwrap_or("-"),
            c.org.as_deref().unwrap_or("-"),
            c.phones.join(" "),
            c.fax.join(" "),
            c.emails.join(" ")
        );
        line("contact", &v, Some(c.span));
    }
    for a in &d.annexes {
        let table = a
            .table
            .as_ref()
            .map(|t| {
                format!(
                    " (table: {} columns, {} rows)",
                    t.columns.len(),
                    t.rows.len()
                )
            })
            .unwrap_or_default();
        line(
            "annex",
            &format!("{}. {}{table}", a.index, a.title),
            Some(a.span),
        );
    }
    for t in &d.tasks {
        line("task", &format!("{} {}", t.id, t.title), Some(t.span));
        line("  category", t.category.as_deref().unwrap_or("-"), None);
        if !t.targets.is_empty() {
            line("  targets", &t.targets.join(" | "), None);
        }
        for q in &t.quotas {
            line(
                "  quota",
                &format!(
                    "{} {}{}{} ({})",
                    q.count,
                    q.unit,
                    q.comparator.map(|c| format!(" {c:?}")).unwrap_or_default(),
                    if q.regions.is_empty() {
                        String::new()
                    } else {
                        format!(" regions {:?}", q.regions)
                    },
                    q.raw
                ),
                Some(q.span),
            );
        }
        for dl in &t.deadlines {
            let extra = match (&dl.rrule, &dl.relative) {
                (Some(r), _) => format!(
                    " rrule {r} first {}",
                    dl.first_occurrence.as_deref().unwrap_or("-")
                ),
                (_, Some(r)) => format!(" relative {} {:?} after {}", r.amount, r.unit, r.anchor),
                _ => String::new(),
            };
            line(
                "  deadline",
                &format!(
                    "{} {} annexes {:?} deliverables {:?}{extra} ({})",
                    dl.date.as_deref().unwrap_or("-"),
                    dl.action.as_deref().unwrap_or("-"),
                    dl.annexes,
                    dl.deliverables,
                    dl.raw
                ),
                Some(dl.span),
            );
        }
        for r in &t.ratios {
            line(
                "  ratio",
                &format!("{} regions {:?} ({})", r.value, r.regions, r.raw),
                Some(r.span),
            );
        }
        if let Some(p) = &t.period {
            line(
                "  period",
                &format!(
                    "{}..{} ({})",
                    p.start.as_deref().unwrap_or("-"),
                    p.end.as_deref().unwrap_or("-"),
                    p.raw
                ),
                Some(p.span),
            );
        }
    }
}
