//! Throughput of the pipeline against jieba-rs segmentation of the same text, measured in
//! one run (`cargo bench --bench extract`). Inputs: our corpus and ../shared/corpus/dev.
//!
//! - `jieba_cut`: segmentation alone (HMM on), the in-run baseline;
//! - `normalize`: the normalize stage alone (artifact repair with the offset map);
//! - `task_facts`: the task stage's work on every line of the normalized text (deadlines,
//!   periods, ratios, quotas, targets), without header or structure;
//! - `extract`: the whole pipeline (normalize → structure → extract), as `gongwen extract`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [root.join("corpus"), root.join("../shared/corpus/dev")] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            if let Ok(ex) = gongwen::ingest::ingest_path(&p) {
                out.push(ex.text);
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    // build the lazily initialised dictionaries and grammars outside the timing
    let _ = gongwen::segment::jieba();
    let _ = gongwen::extract_text("warm.txt", &texts[0]);
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("jieba_cut", |b| {
        b.iter(|| {
            let n: usize = texts
                .iter()
                .map(|t| gongwen::segment::jieba().cut(black_box(t), true).len())
                .sum();
            black_box(n)
        })
    });
    g.bench_function("normalize", |b| {
        b.iter(|| {
            let n: usize = texts
                .iter()
                .map(|t| gongwen::normalize::normalize(black_box(t)).text.len())
                .sum();
            black_box(n)
        })
    });
    let norms: Vec<_> = texts
        .iter()
        .map(|t| gongwen::normalize::normalize(t))
        .collect();
    g.bench_function("task_facts", |b| {
        b.iter(|| {
            let n: usize = texts
                .iter()
                .zip(&norms)
                .map(|(t, n)| {
                    let f = gongwen::extract::tasks::clause_facts_normalized(
                        t,
                        black_box(n),
                        None,
                        Some(2024),
                    );
                    f.deadlines.len() + f.periods.len() + f.ratios.len() + f.quotas.len()
                })
                .sum();
            black_box(n)
        })
    });
    g.bench_function("extract", |b| {
        b.iter(|| {
            let n: usize = texts
                .iter()
                .map(|t| gongwen::extract_text("b.txt", black_box(t)).documents.len())
                .sum();
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
