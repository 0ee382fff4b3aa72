//! CSV export: one row per deadline (a task without deadlines gets one row), UTF-8 with a
//! byte-order mark so spreadsheet programs open it as Unicode.

use crate::spec::{Output, Task};

const COLUMNS: &[&str] = &[
    "file",
    "doc_number",
    "title",
    "issuer",
    "task_id",
    "task_title",
    "category",
    "targets",
    "date",
    "action",
    "deliverables",
    "annexes",
    "recurrence",
    "relative",
    "period_start",
    "period_end",
    "ratios",
    "quotas",
    "raw",
];

/// Rows of several outputs as CSV text, BOM first.
pub fn render(outputs: &[Output]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // a Vec<u8> sink cannot fail to write; a record error would be a bug in this module
    let _ = w.write_record(COLUMNS);
    for out in outputs {
        for d in &out.documents {
            let text = |v: &Option<crate::spec::TextValue>| {
                v.as_ref().map(|t| t.value.clone()).unwrap_or_default()
            };
            let head = [
                out.source.path.clone(),
                d.doc_number
                    .as_ref()
                    .map(|n| n.value.clone())
                    .unwrap_or_default(),
                text(&d.title),
                text(&d.issuer),
            ];
            for t in &d.tasks {
                for row in task_rows(t) {
                    let _ = w.write_record(head.iter().chain(row.iter()));
                }
            }
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

fn task_rows(t: &Task) -> Vec<Vec<String>> {
    let common = [
        t.id.clone(),
        t.title.clone(),
        t.category.clone().unwrap_or_default(),
        t.targets.join("；"),
    ];
    let period = [
        t.period
            .as_ref()
            .and_then(|p| p.start.clone())
            .unwrap_or_default(),
        t.period
            .as_ref()
            .and_then(|p| p.end.clone())
            .unwrap_or_default(),
    ];
    let ratios = t
        .ratios
        .iter()
        .map(|r| {
            if r.regions.is_empty() {
                format!("{}", r.value)
            } else {
                format!("{} {}", r.value, r.regions.join("、"))
            }
        })
        .collect::<Vec<_>>()
        .join("；");
    let quotas = t
        .quotas
        .iter()
        .map(|q| format!("{}{}", q.count, q.unit))
        .collect::<Vec<_>>()
        .join("；");
    let row = |date: String,
               action: String,
               deliverables: String,
               annexes: String,
               rrule: String,
               relative: String,
               raw: String| {
        let mut r: Vec<String> = common.to_vec();
        r.extend([date, action, deliverables, annexes, rrule, relative]);
        r.extend(period.iter().cloned());
        r.extend([ratios.clone(), quotas.clone(), raw]);
        r
    };
    if t.deadlines.is_empty() {
        let raw = t.period.as_ref().map(|p| p.raw.clone()).unwrap_or_default();
        return vec![row(
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            raw,
        )];
    }
    t.deadlines
        .iter()
        .map(|d| {
            row(
                d.date.clone().unwrap_or_default(),
                d.action.clone().unwrap_or_default(),
                d.deliverables.join("；"),
                d.annexes
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                d.rrule.clone().unwrap_or_default(),
                d.relative
                    .as_ref()
                    .map(|r| format!("{} {:?} after {}", r.amount, r.unit, r.anchor))
                    .unwrap_or_default(),
                d.raw.clone(),
            )
        })
        .collect()
}
