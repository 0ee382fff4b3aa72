//! iCalendar (RFC 5545) export: one all-day VEVENT per dated deadline (recurring ones with
//! their RRULE) and one per activity period, written with the `icalendar` crate.

use crate::spec::{Document, Output, Task};
use chrono::NaiveDate;
use icalendar::{Calendar, Component, EventLike};

fn naive(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()
}

/// What a document is called in an event: its doc number, else its title.
fn doc_label(d: &Document) -> String {
    d.doc_number
        .as_ref()
        .map(|n| n.value.clone())
        .or_else(|| d.title.as_ref().map(|t| t.value.clone()))
        .unwrap_or_else(|| "公文".into())
}

/// A stable event id, so importing the same notice twice updates instead of duplicating.
fn uid(out: &Output, doc: usize, task: &Task, kind: &str, k: usize) -> String {
    let key = if out.source.sha256.is_empty() {
        out.source.path.clone()
    } else {
        out.source.sha256[..16.min(out.source.sha256.len())].to_string()
    };
    format!("{key}-{doc}-{}-{kind}{k}@gongwen", task.id)
}

/// The calendar of several outputs.
pub fn calendar(outputs: &[Output]) -> Calendar {
    let mut cal = Calendar::new();
    cal.name("gongwen deadlines");
    for out in outputs {
        for (di, d) in out.documents.iter().enumerate() {
            let label = doc_label(d);
            for task in &d.tasks {
                for (k, dl) in task.deadlines.iter().enumerate() {
                    let Some(start) = dl
                        .date
                        .as_deref()
                        .or(dl.first_occurrence.as_deref())
                        .and_then(naive)
                    else {
                        continue;
                    };
                    let what = if dl.deliverables.is_empty() {
                        task.title.clone()
                    } else {
                        dl.deliverables.join("、")
                    };
                    let summary = format!(
                        "{} {what}（{label}）",
                        dl.action.as_deref().unwrap_or("截止")
                    );
                    let mut description = format!(
                        "任务 {} {}\n原文：{}\n文件：{}",
                        task.id, task.title, dl.raw, out.source.path
                    );
                    if !dl.annexes.is_empty() {
                        let list: Vec<String> =
                            dl.annexes.iter().map(|a| format!("附件{a}")).collect();
                        description.push_str(&format!("\n附件：{}", list.join("、")));
                    }
                    let mut e = icalendar::Event::new();
                    e.uid(&uid(out, di, task, "d", k))
                        .summary(&summary)
                        .description(&description)
                        .starts(start)
                        .ends(start.succ_opt().unwrap_or(start));
                    if let Some(rule) = &dl.rrule {
                        e.add_property("RRULE", rule.as_str());
                    }
                    if let Some(c) = &task.category {
                        e.add_property("CATEGORIES", c.as_str());
                    }
                    cal.push(e.done());
                }
                if let Some(p) = &task.period {
                    let (Some(start), Some(end)) = (
                        p.start.as_deref().and_then(naive),
                        p.end.as_deref().and_then(naive),
                    ) else {
                        continue;
                    };
                    let mut e = icalendar::Event::new();
                    e.uid(&uid(out, di, task, "p", 0))
                        .summary(&format!("{}（{label}）", task.title))
                        .description(&format!("期间：{}\n文件：{}", p.raw, out.source.path))
                        .starts(start)
                        .ends(end.succ_opt().unwrap_or(end));
                    cal.push(e.done());
                }
            }
        }
    }
    cal.done()
}

/// The calendar as RFC 5545 text (CRLF line ends, folded lines).
pub fn render(outputs: &[Output]) -> String {
    calendar(outputs).to_string()
}
