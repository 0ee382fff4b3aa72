//! Task alignment: which relay task carries on which original task.
//!
//! Each (original, relay) pair is scored by what they share: the category, the content words
//! of their titles (segmented with the project's dictionary), the annexes and deliverables
//! their deadlines name. Every relay task takes its best original above a threshold (an
//! original may be carried by several relay tasks); originals no relay task takes are
//! omitted (except the preamble `0`), relay tasks that take none are added.

use super::Side;
use crate::segment::content_words;
use crate::spec::Task;
use std::collections::BTreeSet;

/// Least score for two tasks to be the same task.
const THRESHOLD: f64 = 1.0;

pub struct Alignment {
    /// (original task, relay task, score)
    pub pairs: Vec<(usize, usize, f64)>,
    pub omitted: Vec<usize>,
    pub added: Vec<usize>,
}

fn jaccard<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

struct Features {
    category: Option<String>,
    words: BTreeSet<String>,
    annexes: BTreeSet<u32>,
    deliverables: BTreeSet<String>,
}

fn features(t: &Task) -> Features {
    Features {
        category: t.category.clone(),
        words: content_words(&t.title)
            .into_iter()
            .map(str::to_string)
            .collect(),
        annexes: t
            .deadlines
            .iter()
            .flat_map(|d| d.annexes.iter().copied())
            .collect(),
        deliverables: t
            .deadlines
            .iter()
            .flat_map(|d| d.deliverables.iter().cloned())
            .collect(),
    }
}

/// How alike two tasks are: 2 for the same category, up to 2 for title words, up to 1 each
/// for annexes and deliverables.
fn score(o: &Features, r: &Features) -> f64 {
    let category = match (&o.category, &r.category) {
        (Some(a), Some(b)) if a == b => 2.0,
        _ => 0.0,
    };
    category
        + 2.0 * jaccard(&o.words, &r.words)
        + jaccard(&o.annexes, &r.annexes)
        + jaccard(&o.deliverables, &r.deliverables)
}

pub fn align(relay: &Side, original: &Side) -> Alignment {
    let ot = &original.document().tasks;
    let rt = &relay.document().tasks;
    let of: Vec<Features> = ot.iter().map(features).collect();
    let rf: Vec<Features> = rt.iter().map(features).collect();
    let mut pairs = Vec::new();
    let mut added = Vec::new();
    for (r, f) in rf.iter().enumerate() {
        let best = of
            .iter()
            .enumerate()
            .map(|(o, g)| (o, score(g, f)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        match best {
            Some((o, s)) if s >= THRESHOLD => pairs.push((o, r, s)),
            _ => added.push(r),
        }
    }
    let taken: BTreeSet<usize> = pairs.iter().map(|p| p.0).collect();
    // the preamble (`0`: the notice's own window or opening) is not a task a relay drops
    let omitted = (0..ot.len())
        .filter(|&o| !taken.contains(&o) && ot[o].id != "0")
        .collect();
    pairs.sort_by_key(|p| (p.0, p.1));
    Alignment {
        pairs,
        omitted,
        added,
    }
}
