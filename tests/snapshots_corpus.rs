//! Snapshot of every corpus file (ours in corpus/, and ../shared/corpus/dev when present),
//! rendered as readable review text: one fact per line with its span.

mod common;

use std::path::{Path, PathBuf};

fn notices(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn snapshot_dir(prefix: &str, dir: &Path) -> usize {
    let mut n = 0;
    for path in notices(dir) {
        let mut out = common::extract(&path);
        common::assert_spans_inside(&out);
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        out.source.path = path.file_name().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(format!("{prefix}__{stem}"), gongwen::output::review(&out));
        n += 1;
    }
    n
}

#[test]
fn own_corpus() {
    assert!(snapshot_dir("corpus", &common::root().join("corpus")) >= 12);
}

#[test]
fn shared_dev_corpus() {
    let Some(shared) = common::shared() else {
        return;
    };
    assert!(snapshot_dir("shared_dev", &shared.join("corpus/dev")) >= 40);
}
