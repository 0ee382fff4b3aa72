//! Tasks: the actionable items of a document's body.
//!
//! The body's outline (一、（一）1.（1）①) is read into a tree. An item whose sub-items are
//! fields of one task (`1. 检查对象 … 4. 完成时间`) is one task made of all of them; any other
//! item with its own deadlines, periods, ratios, quotas or targets is a task of its own.
//! When the top-level sections themselves are such fields (一、检查对象 二、检查内容 三、时间安排),
//! the whole body is one task. Every body line is read exactly once, so no date is lost.

mod amounts;
mod what;
mod when;

pub use amounts::regions_before;
pub use what::{annex_refs, category, resolve_bare_annexes, targets};

use super::Ctx;
use super::dates::{Date, YearContext};
use crate::chars::squash;
use crate::grammar::{grammar, lexicon};
use crate::normalize::{Normalized, normalize};
use crate::spec::{Deadline, Period, Quota, Ratio, Task};
use crate::structure::outline;
use std::ops::Range;

/// An outline item: its heading and the lines up to the next item at any level.
#[derive(Debug)]
struct Node {
    id: String,
    title: String,
    /// Its lines, the marker line first (no child's lines).
    own: Vec<Range<usize>>,
    children: Vec<usize>,
}

impl Node {
    fn is_field(&self) -> bool {
        is_field_heading(&self.title, "task_fields")
    }

    fn is_strong_field(&self) -> bool {
        is_field_heading(&self.title, "strong_fields")
    }
}

/// Is a heading one of a lexicon's field names (`检查对象`, `完成时间：`)?
fn is_field_heading(title: &str, lexicon_id: &str) -> bool {
    let t = title.trim_end_matches(['。', '：', ':', '．', '.']);
    t.chars().count() <= 8
        && lexicon(lexicon_id)
            .iter()
            .any(|w| t.starts_with(w.as_str()))
}

/// The outline of a body: nodes, and the top-level ones (`roots`); lines before the first
/// marker are the preamble.
struct Outline {
    nodes: Vec<Node>,
    roots: Vec<usize>,
    preamble: Vec<Range<usize>>,
}

fn outline_of(text: &str, lines: &[Range<usize>]) -> Outline {
    let mut nodes: Vec<Node> = Vec::new();
    let mut roots = Vec::new();
    let mut preamble = Vec::new();
    let mut stack: Vec<(outline::Level, usize)> = Vec::new();
    for line in lines {
        let t = &text[line.clone()];
        let Some(m) = outline::marker(t) else {
            match stack.last() {
                Some(&(_, i)) => nodes[i].own.push(line.clone()),
                None => preamble.push(line.clone()),
            }
            continue;
        };
        while stack.last().is_some_and(|(l, _)| *l >= m.level) {
            stack.pop();
        }
        let id = stack
            .iter()
            .map(|&(_, i)| nodes[i].id.rsplit('.').next().unwrap_or(""))
            .chain(std::iter::once(m.label.as_str()))
            .collect::<Vec<_>>()
            .join(".");
        let title = heading(&t[m.len..]);
        let idx = nodes.len();
        nodes.push(Node {
            id,
            title,
            own: vec![line.clone()],
            children: Vec::new(),
        });
        match stack.last() {
            Some(&(_, parent)) => nodes[parent].children.push(idx),
            None => roots.push(idx),
        }
        stack.push((m.level, idx));
    }
    Outline {
        nodes,
        roots,
        preamble,
    }
}

/// The heading of an item: its first sentence, or its first clause when that sentence is long
/// (`开展强制性产品认证监督检查，结合实际，…` → `开展强制性产品认证监督检查`).
fn heading(head: &str) -> String {
    let end = head.find(['。', '；', '：', ':']).unwrap_or(head.len());
    let mut h = squash(&head[..end]);
    if h.chars().count() > 30
        && let Some(p) = h.find(['，', ','])
    {
        h.truncate(p);
    }
    h.chars().take(60).collect()
}

/// A group of lines that becomes (at most) one task.
struct Unit {
    id: String,
    title: String,
    lines: Vec<Range<usize>>,
    /// A unit made of field items: a task even without dates or amounts.
    fielded: bool,
}

impl Outline {
    /// All lines of a node and its descendants, in text order.
    fn subtree_lines(&self, i: usize, out: &mut Vec<Range<usize>>) {
        out.extend(self.nodes[i].own.iter().cloned());
        for &c in &self.nodes[i].children {
            self.subtree_lines(c, out);
        }
        out.sort_by_key(|r| r.start);
    }

    fn units_of(&self, i: usize, out: &mut Vec<Unit>) {
        let node = &self.nodes[i];
        if node
            .children
            .iter()
            .any(|&c| self.nodes[c].is_strong_field())
        {
            let mut lines = Vec::new();
            self.subtree_lines(i, &mut lines);
            out.push(Unit {
                id: node.id.clone(),
                title: node.title.clone(),
                lines,
                fielded: true,
            });
            return;
        }
        out.push(Unit {
            id: node.id.clone(),
            title: node.title.clone(),
            lines: node.own.clone(),
            fielded: false,
        });
        for &c in &node.children {
            self.units_of(c, out);
        }
    }

    /// The units of the whole body.
    fn units(&self, doc_title: Option<&str>) -> Vec<Unit> {
        let fields = self
            .roots
            .iter()
            .filter(|&&r| self.nodes[r].is_field())
            .count();
        let strong = self.roots.iter().any(|&r| self.nodes[r].is_strong_field());
        let nested_tasks = self
            .roots
            .iter()
            .any(|&r| !self.nodes[r].is_field() && !self.nodes[r].children.is_empty());
        if fields >= 2 && strong && !nested_tasks {
            // 一、检查对象 二、检查内容 三、时间安排: the body is one task
            let mut lines = self.preamble.clone();
            for &r in &self.roots {
                self.subtree_lines(r, &mut lines);
            }
            lines.sort_by_key(|r| r.start);
            return vec![Unit {
                id: "0".into(),
                title: doc_title.unwrap_or_default().to_string(),
                lines,
                fielded: true,
            }];
        }
        let mut out = vec![Unit {
            id: "0".into(),
            title: doc_title.unwrap_or_default().to_string(),
            lines: self.preamble.clone(),
            fielded: false,
        }];
        for &r in &self.roots {
            self.units_of(r, &mut out);
        }
        out
    }
}

/// What one stretch of text says about a task.
#[derive(Debug, Default)]
struct Facts {
    deadlines: Vec<Deadline>,
    periods: Vec<Period>,
    ratios: Vec<Ratio>,
    quotas: Vec<Quota>,
}

fn facts(ctx: &Ctx, lines: &[Range<usize>], years: YearContext) -> Facts {
    let mut f = Facts::default();
    for line in lines {
        // one pass over the line tells which rules can match it at all
        let probe = grammar().probe(&ctx.norm.text[line.clone()]);
        f.deadlines
            .extend(when::deadlines(ctx, line.clone(), years, probe));
        f.periods
            .extend(when::periods(ctx, line.clone(), years, probe));
        f.ratios.extend(amounts::ratios(ctx, line.clone(), probe));
        f.quotas.extend(amounts::quotas(ctx, line.clone(), probe));
    }
    f
}

/// Tasks of a document from its body lines.
pub fn tasks(
    ctx: &Ctx,
    lines: &[Range<usize>],
    years: YearContext,
    doc_title: Option<&str>,
) -> Vec<Task> {
    let text = ctx.norm.text.as_str();
    let outline = outline_of(text, lines);
    let mut out = Vec::new();
    for unit in outline.units(doc_title) {
        if unit.lines.is_empty() {
            continue;
        }
        let f = facts(ctx, &unit.lines, years);
        let body: String = unit
            .lines
            .iter()
            .map(|r| &text[r.clone()])
            .collect::<Vec<_>>()
            .join("\n");
        let targets = what::targets(&body);
        let signals = !f.deadlines.is_empty()
            || !f.periods.is_empty()
            || !f.ratios.is_empty()
            || !f.quotas.is_empty();
        if !signals && (!unit.fielded || targets.is_empty()) {
            continue;
        }
        // a heading and its body often state the same ratio (…全覆盖检查 / 实现全覆盖): once
        let mut ratios: Vec<Ratio> = Vec::new();
        for r in f.ratios {
            if !ratios
                .iter()
                .any(|k| k.value == r.value && k.regions == r.regions)
            {
                ratios.push(r);
            }
        }
        let first = unit.lines.first().map(|l| l.start).unwrap_or(0);
        let last = unit.lines.last().map(|l| l.end).unwrap_or(first);
        let mut periods = f.periods.into_iter();
        let task = Task {
            origin: Default::default(),
            category: what::category(&unit.title, &body, doc_title),
            id: unit.id,
            title: unit.title,
            targets,
            quotas: f.quotas,
            ratios,
            period: periods.next(),
            deadlines: f.deadlines,
            span: ctx.norm.span(first..last),
        };
        // a second window in the same item becomes a task of its own (`二.（一）#2`)
        let more: Vec<Task> = periods
            .enumerate()
            .map(|(k, p)| Task {
                id: format!("{}#{}", task.id, k + 2),
                ratios: Vec::new(),
                quotas: Vec::new(),
                deadlines: Vec::new(),
                period: Some(p),
                ..task.clone()
            })
            .collect();
        out.push(task);
        out.extend(more);
    }
    out
}

/// What one clause says, read on its own: the deadlines, periods, ratios, quotas and
/// targets the task extractor would find in it, with dates resolved against `issue` (or
/// `year` when there is no issue date). For the phrase table and quick checks.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClauseFacts {
    pub deadlines: Vec<Deadline>,
    pub periods: Vec<Period>,
    pub ratios: Vec<Ratio>,
    pub quotas: Vec<Quota>,
    pub targets: Vec<String>,
}

pub fn clause_facts(text: &str, issue: Option<Date>, year: Option<i32>) -> ClauseFacts {
    clause_facts_normalized(text, &normalize(text), issue, year)
}

/// [`clause_facts`] on a text already normalized (the task stage's own work, as the
/// pipeline runs it after normalization).
pub fn clause_facts_normalized(
    source: &str,
    norm: &Normalized,
    issue: Option<Date>,
    year: Option<i32>,
) -> ClauseFacts {
    let ctx = Ctx::new(source, norm);
    let years = YearContext {
        year: year.or(issue.map(|d| d.year)),
        issue,
    };
    let lines: Vec<Range<usize>> = {
        let mut at = 0;
        norm.text
            .split('\n')
            .map(|l| {
                let r = at..at + l.len();
                at += l.len() + 1;
                r
            })
            .collect()
    };
    let f = facts(&ctx, &lines, years);
    ClauseFacts {
        deadlines: f.deadlines,
        periods: f.periods,
        ratios: f.ratios,
        quotas: f.quotas,
        targets: what::targets(&norm.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(body: &str) -> Vec<(String, String, bool)> {
        let mut lines = Vec::new();
        let mut at = 0;
        for l in body.split('\n') {
            lines.push(at..at + l.len());
            at += l.len() + 1;
        }
        outline_of(body, &lines)
            .units(Some("标题"))
            .into_iter()
            .filter(|u| !u.lines.is_empty())
            .map(|u| (u.id, u.title, u.fielded))
            .collect()
    }

    #[test]
    fn field_sub_items_make_one_task() {
        let body = "二、检查内容\n（一）开展强制性产品认证监督检查。\n1. 检查对象。获证组织。\n2. 检查重点。重点检查。\n3. 完成时间。8月底前完成检查。\n（二）开展有机产品认证监督检查。\n1. 检查对象。有机产品认证获证组织。\n2. 完成时间。9月底前完成。";
        let u = units(body);
        assert_eq!(
            u,
            [
                ("二".into(), "检查内容".into(), false),
                (
                    "二.（一）".into(),
                    "开展强制性产品认证监督检查".into(),
                    true
                ),
                ("二.（二）".into(), "开展有机产品认证监督检查".into(), true),
            ]
        );
    }

    #[test]
    fn field_sections_make_the_body_one_task() {
        let body = "为做好检查工作，通知如下：\n一、检查对象\n辖区内加油站。\n二、检查内容\n安全管理制度。\n三、时间安排\n9月30日前完成。";
        assert_eq!(units(body), [("0".into(), "标题".into(), true)]);
    }

    #[test]
    fn items_with_their_own_tasks_stay_apart() {
        let body = "一、工作任务\n（一）开展检查。9月底前完成。\n（二）开展培训。10月底前完成。\n二、工作要求\n加强领导。";
        let ids: Vec<String> = units(body).into_iter().map(|u| u.0).collect();
        assert_eq!(ids, ["一", "一.（一）", "一.（二）", "二"]);
    }
}
