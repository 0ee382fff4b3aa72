//! The relay diff as a readable terminal table.

use super::{DateChange, RelayDiff, Verdict};
use std::fmt::Write;

fn doc_line(d: &super::DocRef) -> String {
    format!(
        "{} {}{}",
        d.doc_number.as_deref().unwrap_or("(no number)"),
        d.title.as_deref().unwrap_or(""),
        d.region
            .as_ref()
            .map(|r| format!(" [{}]", r.name))
            .unwrap_or_default()
    )
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Consistent => "consistent",
        Verdict::Stricter => "stricter",
        Verdict::Looser => "looser",
        Verdict::Dropped => "dropped",
        Verdict::Added => "added",
    }
}

/// One line per fact that matters: aligned tasks with their changes, omitted and added tasks.
pub fn table(d: &RelayDiff) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "relay     {}", doc_line(&d.relay));
    let _ = writeln!(s, "original  {}", doc_line(&d.original));
    let _ = writeln!(s, "region    {}", d.region.as_deref().unwrap_or("-"));
    for p in &d.aligned {
        let _ = writeln!(
            s,
            "\n{:<12} {}  ←  {:<8} {}   (score {:.2})",
            p.original.id, p.original.title, p.relay.id, p.relay.title, p.score
        );
        for c in &p.deadlines {
            let date = |v: &Option<super::DatedValue>| {
                v.as_ref()
                    .and_then(|x| x.date.clone())
                    .unwrap_or_else(|| "-".into())
            };
            let what = match (c.change, c.days) {
                (DateChange::Tightened, Some(n)) => format!("tightened by {} days", -n),
                (DateChange::Loosened, Some(n)) => format!("loosened by {n} days"),
                (DateChange::Same, _) => "same".into(),
                (DateChange::Dropped, _) => "dropped".into(),
                (DateChange::Added, _) => "added".into(),
                _ => "?".into(),
            };
            let _ = writeln!(
                s,
                "  deadline  {:<4} {} → {}  {what}",
                c.action.as_deref().unwrap_or("-"),
                date(&c.original),
                date(&c.relay)
            );
        }
        for r in &p.ratios {
            let v = |x: &Option<crate::spec::Ratio>| {
                x.as_ref()
                    .map(|r| {
                        if r.regions.is_empty() {
                            format!("{}", r.value)
                        } else {
                            format!("{} ({})", r.value, r.regions.join("、"))
                        }
                    })
                    .unwrap_or_else(|| "-".into())
            };
            let _ = writeln!(
                s,
                "  ratio     {} → {}  {}",
                v(&r.original),
                v(&r.relay),
                verdict(r.verdict)
            );
        }
        for q in &p.quotas {
            let v = |x: &Option<crate::spec::Quota>| {
                x.as_ref()
                    .map(|q| format!("{} {}", q.count, q.unit))
                    .unwrap_or_else(|| "-".into())
            };
            let _ = writeln!(
                s,
                "  quota     {} → {}  {:?}",
                v(&q.original),
                v(&q.relay),
                q.verdict
            );
        }
        if !p.annexes.dropped.is_empty() || !p.annexes.added.is_empty() {
            let _ = writeln!(
                s,
                "  annexes   kept {:?} dropped {:?} added {:?}",
                p.annexes.kept, p.annexes.dropped, p.annexes.added
            );
        }
    }
    for o in &d.omitted {
        let _ = writeln!(
            s,
            "\nomitted   {} {}{}",
            o.task.id,
            o.task.title,
            o.reason
                .as_ref()
                .map(|r| format!("  ({r})"))
                .unwrap_or_default()
        );
    }
    for a in &d.added {
        let _ = writeln!(s, "\nadded     {} {}", a.id, a.title);
    }
    let _ = writeln!(
        s,
        "\ncontacts  {:?}: {} → {}",
        d.contacts.status,
        d.contacts.original.join("、"),
        d.contacts.relay.join("、")
    );
    let _ = writeln!(
        s,
        "annexes   kept {:?} dropped {:?}",
        d.annexes.kept, d.annexes.dropped
    );
    s
}
