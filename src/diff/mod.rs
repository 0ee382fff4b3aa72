//! Relay diff: how a relay notice (转发) changes the original it forwards, field by field.
//!
//! A city office that relays a provincial notice tightens deadlines, picks its own row out of
//! per-region ratios, cuts quotas down to its share and drops tasks that do not apply to it.
//! [`diff`] aligns the relay's tasks with the original's ([`align`]), then compares each
//! aligned pair: deadlines per action (完成 vs 报送), the original's ratio *for the relay's
//! region* against the relay's, quotas, targets, deliverables and annexes; contacts and the
//! annexes of the whole notice too. [`render`] prints it as a table, [`html`] side by side.

pub mod align;
pub mod html;
pub mod render;

use crate::extract::dates::Date;
use crate::gazetteer::gazetteer;
use crate::grammar::lexicon;
use crate::spec::{Comparator, Document, Output, Quota, Ratio, Region, Span, Task};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub const DIFF_SCHEMA_ID: &str = "gongwen.relay-diff/1";

/// One document of an extracted file, with the text its spans index into.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub out: &'a Output,
    pub doc: usize,
    pub text: &'a str,
}

impl<'a> Side<'a> {
    pub fn document(&self) -> &'a Document {
        &self.out.documents[self.doc]
    }

    /// The source text of a span (char offsets).
    pub fn slice(&self, span: Span) -> String {
        self.text
            .chars()
            .skip(span.0)
            .take(span.1.saturating_sub(span.0))
            .collect()
    }
}

/// The whole comparison of a relay with its original.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RelayDiff {
    pub schema: String,
    pub relay: DocRef,
    pub original: DocRef,
    /// The relaying office's region (short form), from its issuer; ratios are read for it.
    pub region: Option<String>,
    pub aligned: Vec<TaskPair>,
    /// Original tasks with no counterpart in the relay.
    pub omitted: Vec<Omitted>,
    /// Relay tasks with no counterpart in the original.
    pub added: Vec<TaskRef>,
    pub contacts: ContactsChange,
    pub annexes: AnnexesChange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocRef {
    pub path: String,
    /// Index of the document in its file's `documents`.
    pub document: usize,
    pub doc_number: Option<String>,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub region: Option<Region>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskRef {
    pub id: String,
    pub title: String,
    pub category: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Omitted {
    pub task: TaskRef,
    /// Why the relay leaves it out, when the text says (`applies to 南昌、抚州 only`).
    pub reason: Option<String>,
}

/// An original task and the relay task that carries it on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskPair {
    pub original: TaskRef,
    pub relay: TaskRef,
    /// How sure the alignment is (category, title words, annexes, deliverables).
    pub score: f64,
    pub deadlines: Vec<DeadlineChange>,
    pub ratios: Vec<RatioChange>,
    pub quotas: Vec<QuotaChange>,
    pub targets: ListChange,
    pub deliverables: ListChange,
    pub annexes: ListChange<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateChange {
    /// The relay's date is earlier.
    Tightened,
    Loosened,
    Same,
    /// An original deadline the relay does not carry.
    Dropped,
    /// A relay deadline with no original counterpart.
    Added,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DatedValue {
    pub date: Option<String>,
    pub raw: String,
    pub span: Span,
}

/// One deadline compared for one kind of action (完成 or 报送…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineChange {
    /// The kind of action both deadlines set (the first word of its `action_classes` line).
    pub action: Option<String>,
    pub original: Option<DatedValue>,
    pub relay: Option<DatedValue>,
    pub change: DateChange,
    /// Days the relay moved it: negative = earlier.
    pub days: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The relay keeps the value the original sets for its region.
    Consistent,
    /// The relay asks for more than the original.
    Stricter,
    /// The relay asks for less than the original.
    Looser,
    Dropped,
    Added,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RatioChange {
    /// The original's ratio that applies to the relay's region.
    pub original: Option<Ratio>,
    pub relay: Option<Ratio>,
    pub verdict: Verdict,
}

/// A count carried on: a relay usually cuts a national or provincial total to its share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaVerdict {
    Same,
    /// The relay's count is smaller (its share of the original's total, or a cut).
    Reduced,
    Increased,
    Dropped,
    Added,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuotaChange {
    pub original: Option<Quota>,
    pub relay: Option<Quota>,
    pub verdict: QuotaVerdict,
}

/// A list value kept, dropped or added by the relay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ListChange<T = String> {
    pub kept: Vec<T>,
    pub dropped: Vec<T>,
    pub added: Vec<T>,
}

impl<T: Ord + Clone> ListChange<T> {
    fn of(original: &[T], relay: &[T]) -> Self {
        let o: BTreeSet<&T> = original.iter().collect();
        let r: BTreeSet<&T> = relay.iter().collect();
        ListChange {
            kept: o.intersection(&r).map(|x| (*x).clone()).collect(),
            dropped: o.difference(&r).map(|x| (*x).clone()).collect(),
            added: r.difference(&o).map(|x| (*x).clone()).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactsStatus {
    Same,
    /// The relay names its own people instead.
    Replaced,
    /// Some kept, some changed.
    Changed,
    Dropped,
    Added,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactsChange {
    pub status: ContactsStatus,
    pub original: Vec<String>,
    pub relay: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnnexesChange {
    /// Original annexes the relay still asks for (by its deadlines' annex links or its list).
    pub kept: Vec<u32>,
    pub dropped: Vec<u32>,
}

fn doc_ref(side: &Side) -> DocRef {
    let d = side.document();
    DocRef {
        path: side.out.source.path.clone(),
        document: side.doc,
        doc_number: d.doc_number.as_ref().map(|n| n.value.clone()),
        title: d.title.as_ref().map(|t| t.value.clone()),
        issuer: d.issuer.as_ref().map(|t| t.value.clone()),
        region: d.region.clone(),
        span: d.span,
    }
}

pub(crate) fn task_ref(t: &Task) -> TaskRef {
    TaskRef {
        id: t.id.clone(),
        title: t.title.clone(),
        category: t.category.clone(),
        span: t.span,
    }
}

/// Compare a relay document with the original it forwards.
pub fn diff(relay: Side, original: Side) -> RelayDiff {
    let region = relay.document().region.as_ref().map(|r| r.short.clone());
    let alignment = align::align(&relay, &original);
    let rd = relay.document();
    let od = original.document();
    let aligned: Vec<TaskPair> = alignment
        .pairs
        .iter()
        .map(|&(o, r, score)| {
            pair(
                &original,
                &od.tasks[o],
                &relay,
                &rd.tasks[r],
                region.as_deref(),
                score,
            )
        })
        .collect();
    let omitted = alignment
        .omitted
        .iter()
        .map(|&o| Omitted {
            task: task_ref(&od.tasks[o]),
            reason: omission_reason(&original, &od.tasks[o], region.as_deref()),
        })
        .collect();
    let added = alignment
        .added
        .iter()
        .map(|&r| task_ref(&rd.tasks[r]))
        .collect();
    RelayDiff {
        schema: DIFF_SCHEMA_ID.to_string(),
        relay: doc_ref(&relay),
        original: doc_ref(&original),
        region,
        aligned,
        omitted,
        added,
        contacts: contacts(od, rd),
        annexes: annexes(od, rd),
    }
}

fn pair(os: &Side, o: &Task, rs: &Side, r: &Task, region: Option<&str>, score: f64) -> TaskPair {
    let deliverables = |t: &Task| -> Vec<String> {
        t.deadlines
            .iter()
            .flat_map(|d| d.deliverables.iter().cloned())
            .collect()
    };
    let annexes = |t: &Task| -> Vec<u32> {
        t.deadlines
            .iter()
            .flat_map(|d| d.annexes.iter().copied())
            .collect()
    };
    TaskPair {
        original: task_ref(o),
        relay: task_ref(r),
        score: (score * 100.0).round() / 100.0,
        deadlines: deadlines(os, o, rs, r),
        ratios: ratios(o, r, region),
        quotas: quotas(o, r),
        targets: ListChange::of(&o.targets, &r.targets),
        deliverables: ListChange::of(&deliverables(o), &deliverables(r)),
        annexes: ListChange::of(&annexes(o), &annexes(r)),
    }
}

/// The kinds of action a deadline's clause names (`完成检查并上报总结` → 完成, 报送), each as
/// the first word of its line in the `action_classes` lexicon.
fn action_classes(clause: &str) -> Vec<String> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for line in lexicon("action_classes") {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(at) = words.iter().filter_map(|w| clause.find(w)).min()
            && let Some(head) = words.first()
        {
            out.push((at, head.to_string()));
        }
    }
    out.sort();
    out.into_iter().map(|(_, w)| w).collect()
}

fn parse_iso(s: &str) -> Option<Date> {
    let mut p = s.split('-').map(|x| x.parse::<u32>().ok());
    Date::new(p.next()?? as i32, p.next()??, p.next()??)
}

fn dated(d: &crate::spec::Deadline) -> DatedValue {
    DatedValue {
        date: d.date.clone(),
        raw: d.raw.clone(),
        span: d.span,
    }
}

/// Deadlines compared per kind of action: an original deadline pairs with the first relay
/// deadline sharing one of its actions.
fn deadlines(os: &Side, o: &Task, rs: &Side, r: &Task) -> Vec<DeadlineChange> {
    let oc: Vec<Vec<String>> = o
        .deadlines
        .iter()
        .map(|d| action_classes(&os.slice(d.span)))
        .collect();
    let rc: Vec<Vec<String>> = r
        .deadlines
        .iter()
        .map(|d| action_classes(&rs.slice(d.span)))
        .collect();
    let mut used = vec![false; r.deadlines.len()];
    let mut out = Vec::new();
    for (i, od) in o.deadlines.iter().enumerate() {
        let found = r.deadlines.iter().enumerate().find_map(|(j, _)| {
            let shared = oc[i].iter().find(|a| rc[j].contains(a))?;
            Some((j, shared.clone()))
        });
        match found {
            Some((j, action)) => {
                used[j] = true;
                let rd = &r.deadlines[j];
                let days = match (
                    od.date.as_deref().and_then(parse_iso),
                    rd.date.as_deref().and_then(parse_iso),
                ) {
                    (Some(a), Some(b)) => Some(b.day_number() - a.day_number()),
                    _ => None,
                };
                let change = match days {
                    Some(d) if d < 0 => DateChange::Tightened,
                    Some(d) if d > 0 => DateChange::Loosened,
                    _ => DateChange::Same,
                };
                out.push(DeadlineChange {
                    action: Some(action),
                    original: Some(dated(od)),
                    relay: Some(dated(rd)),
                    change,
                    days,
                });
            }
            None => out.push(DeadlineChange {
                action: oc[i].first().cloned(),
                original: Some(dated(od)),
                relay: None,
                change: DateChange::Dropped,
                days: None,
            }),
        }
    }
    for (j, rd) in r.deadlines.iter().enumerate() {
        if !used[j] {
            out.push(DeadlineChange {
                action: rc[j].first().cloned(),
                original: None,
                relay: Some(dated(rd)),
                change: DateChange::Added,
                days: None,
            });
        }
    }
    out
}

/// The original's ratios that apply to `region`: those naming it, else those for 其他 when
/// no ratio of the task names it, else those for everywhere.
fn ratios_for<'a>(task: &'a Task, region: Option<&str>) -> Vec<&'a Ratio> {
    let Some(region) = region else {
        return task.ratios.iter().collect();
    };
    let named: Vec<&Ratio> = task
        .ratios
        .iter()
        .filter(|r| r.regions.iter().any(|g| same_place(g, region)))
        .collect();
    if !named.is_empty() {
        return named;
    }
    let rest: Vec<&Ratio> = task
        .ratios
        .iter()
        .filter(|r| r.regions.iter().any(|g| g == "其他"))
        .collect();
    if !rest.is_empty() {
        return rest;
    }
    task.ratios
        .iter()
        .filter(|r| r.regions.is_empty())
        .collect()
}

/// Do two place names mean the same place (南昌 / 南昌市)?
fn same_place(a: &str, b: &str) -> bool {
    a == b
        || match (gazetteer().lookup(a), gazetteer().lookup(b)) {
            (Some(x), Some(y)) => x.code == y.code,
            _ => false,
        }
}

fn verdict(original: f64, relay: f64, cmp: Option<Comparator>) -> Verdict {
    if (original - relay).abs() < 1e-9 {
        Verdict::Consistent
    } else if (relay > original) == (cmp != Some(Comparator::AtMost)) {
        Verdict::Stricter
    } else {
        Verdict::Looser
    }
}

fn ratios(o: &Task, r: &Task, region: Option<&str>) -> Vec<RatioChange> {
    let applicable = ratios_for(o, region);
    let mut out = Vec::new();
    let n = applicable.len().max(r.ratios.len());
    for k in 0..n {
        let (a, b) = (applicable.get(k), r.ratios.get(k));
        out.push(RatioChange {
            original: a.map(|x| (*x).clone()),
            relay: b.cloned(),
            verdict: match (a, b) {
                (Some(a), Some(b)) => verdict(a.value, b.value, a.comparator),
                (Some(_), None) => Verdict::Dropped,
                _ => Verdict::Added,
            },
        });
    }
    out
}

/// Quotas paired by unit, in order; the original's region breakdowns are left out when the
/// task has a total.
fn quotas(o: &Task, r: &Task) -> Vec<QuotaChange> {
    let mut used = vec![false; r.quotas.len()];
    let mut out = Vec::new();
    for oq in &o.quotas {
        let j = r
            .quotas
            .iter()
            .enumerate()
            .position(|(j, rq)| !used[j] && rq.unit == oq.unit);
        match j {
            Some(j) => {
                used[j] = true;
                let rq = &r.quotas[j];
                out.push(QuotaChange {
                    original: Some(oq.clone()),
                    relay: Some(rq.clone()),
                    verdict: match rq.count.cmp(&oq.count) {
                        std::cmp::Ordering::Less => QuotaVerdict::Reduced,
                        std::cmp::Ordering::Equal => QuotaVerdict::Same,
                        std::cmp::Ordering::Greater => QuotaVerdict::Increased,
                    },
                });
            }
            None => out.push(QuotaChange {
                original: Some(oq.clone()),
                relay: None,
                verdict: QuotaVerdict::Dropped,
            }),
        }
    }
    for (j, rq) in r.quotas.iter().enumerate() {
        if !used[j] {
            out.push(QuotaChange {
                original: None,
                relay: Some(rq.clone()),
                verdict: QuotaVerdict::Added,
            });
        }
    }
    out
}

/// Why an original task has no counterpart: it names places inside the original's area,
/// none of them the relay's (nor one that holds it).
fn omission_reason(original: &Side, task: &Task, region: Option<&str>) -> Option<String> {
    let region = region?;
    let g = gazetteer();
    let area = original.document().region.as_ref().map(|r| r.code.clone());
    let relay_code = g.lookup(region).map(|p| p.code.clone());
    let text = original.slice(task.span);
    let mut places: Vec<String> = Vec::new();
    let mut names_relay = false;
    for (_, word) in g.find_iter(&text) {
        // a word may name places in several provinces (会同, 城区): take the one inside the
        // original's area, and only proper descendants of it
        let Some(p) = g.candidates(word).find(|p| {
            area.as_ref()
                .is_none_or(|a| p.code.starts_with(a.as_str()) && p.code != *a)
        }) else {
            continue;
        };
        if let Some(rc) = &relay_code
            && (p.code.starts_with(rc.as_str()) || rc.starts_with(p.code.as_str()))
        {
            names_relay = true;
        }
        if !places.contains(&p.short) {
            places.push(p.short.clone());
        }
    }
    if places.is_empty() || names_relay || places.iter().any(|p| same_place(p, region)) {
        return None;
    }
    Some(format!("applies to {} only", places.join("、")))
}

fn contact_names(d: &Document) -> Vec<String> {
    let mut v: Vec<String> = d.contacts.iter().filter_map(|c| c.name.clone()).collect();
    v.dedup();
    v
}

fn contacts(o: &Document, r: &Document) -> ContactsChange {
    let (on, rn) = (contact_names(o), contact_names(r));
    let shared = on.iter().filter(|n| rn.contains(n)).count();
    let status = match (on.is_empty(), rn.is_empty()) {
        (true, true) => ContactsStatus::None,
        (false, true) => ContactsStatus::Dropped,
        (true, false) => ContactsStatus::Added,
        _ if shared == on.len() && shared == rn.len() => ContactsStatus::Same,
        _ if shared == 0 => ContactsStatus::Replaced,
        _ => ContactsStatus::Changed,
    };
    ContactsChange {
        status,
        original: on,
        relay: rn,
    }
}

fn annexes(o: &Document, r: &Document) -> AnnexesChange {
    let asked: BTreeSet<u32> = r
        .tasks
        .iter()
        .flat_map(|t| &t.deadlines)
        .flat_map(|d| d.annexes.iter().copied())
        .chain(r.annexes.iter().map(|a| a.index))
        .collect();
    let (kept, dropped) = o
        .annexes
        .iter()
        .map(|a| a.index)
        .partition(|i| asked.contains(i));
    AnnexesChange { kept, dropped }
}

/// Find the pairs to compare in one extracted file: each document that relays another one
/// in the same file (by doc number, else the next `relayed` document).
pub fn pairs_in(out: &Output) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    for (i, d) in out.documents.iter().enumerate() {
        if d.relays.is_empty() && !relays_by_title(d) {
            continue;
        }
        let by_number = out.documents.iter().enumerate().position(|(j, o)| {
            j != i
                && o.doc_number
                    .as_ref()
                    .is_some_and(|n| d.relays.iter().any(|r| r.doc_number == n.value))
        });
        let next_relayed = out
            .documents
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, o)| o.role == crate::spec::Role::Relayed)
            .map(|(j, _)| j);
        if let Some(j) = by_number.or(next_relayed) {
            v.push((i, j));
        }
    }
    v
}

/// A relay named in the title (`…转发…的通知`) even when it cites no doc number.
fn relays_by_title(d: &Document) -> bool {
    d.title.as_ref().is_some_and(|t| t.value.contains("转发"))
}

/// Find the original a relay forwards among other extracted files: a document whose doc
/// number the relay relays (or, failing that, references).
pub fn find_original(relay: &Document, candidates: &[Output]) -> Option<(usize, usize)> {
    let wanted: Vec<&str> = relay
        .relays
        .iter()
        .chain(&relay.references)
        .map(|c| c.doc_number.as_str())
        .collect();
    for w in wanted {
        for (fi, out) in candidates.iter().enumerate() {
            for (di, d) in out.documents.iter().enumerate() {
                if d.doc_number.as_ref().is_some_and(|n| n.value == w) {
                    return Some((fi, di));
                }
            }
        }
    }
    None
}
