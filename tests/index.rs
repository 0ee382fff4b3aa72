//! The archive: `gongwen index` / `search` / `show` / `export` on synthetic notices with
//! known facts, a run killed mid-way and resumed, and recall on the shared gold.

mod common;

use gongwen::index::synth::{Facts, notice, relative_path};
use gongwen::index::{Archive, IndexOptions, export, index_files};
use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;

/// Write `n` synthetic notices (seed 1) under `dir`; their facts in order.
fn write_corpus(dir: &Path, n: u64) -> Vec<Facts> {
    (0..n)
        .map(|i| {
            let nt = notice(1, i);
            let p = dir.join(relative_path(i));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &nt.text).unwrap();
            nt.facts
        })
        .collect()
}

/// The notice files under `dir`, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v = walk(dir);
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    out
}

struct Fixture {
    _dir: tempfile::TempDir,
    archive: Archive,
    facts: Vec<Facts>,
}

/// 120 synthetic notices, indexed once for the query tests.
static SYNTH: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let facts = write_corpus(&corpus, 120);
    let archive = Archive::open_or_create(&dir.path().join("ix")).unwrap();
    let opts = IndexOptions {
        batch: 50,
        ..IndexOptions::default()
    };
    let report = index_files(&archive, &files_under(&corpus), &opts, &|_| {}).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.indexed, 120);
    Fixture {
        _dir: dir,
        archive,
        facts,
    }
});

/// Doc numbers of the hits of a query (all of them).
fn numbers(archive: &Archive, q: &str) -> HashSet<String> {
    archive
        .search(q, 100_000)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .into_iter()
        .filter_map(|h| h.doc_number)
        .collect()
}

fn expected(facts: &[Facts], pred: impl Fn(&Facts) -> bool) -> HashSet<String> {
    facts
        .iter()
        .filter(|f| pred(f))
        .map(|f| f.doc_number.clone())
        .collect()
}

#[test]
fn number_finds_each_notice() {
    let fx = &*SYNTH;
    for f in fx.facts.iter().step_by(7) {
        let hits = fx
            .archive
            .search(&format!("number:{}", f.doc_number), 10)
            .unwrap();
        assert_eq!(hits.len(), 1, "{}", f.doc_number);
        assert_eq!(hits[0].title.as_deref(), Some(f.title.as_str()));
    }
    // any bracket style
    let f = &fx.facts[3];
    let square = f.doc_number.replace('〔', "[").replace('〕', "]");
    assert_eq!(numbers(&fx.archive, &format!("number:{square}")).len(), 1);
}

#[test]
fn issuer_matches_province_and_city_short_or_full() {
    let fx = &*SYNTH;
    let f = &fx.facts[0];
    let short = f.province.trim_end_matches('省');
    let want = expected(&fx.facts, |g| g.province == f.province);
    assert!(want.len() >= 2, "{want:?}");
    assert_eq!(numbers(&fx.archive, &format!("issuer:{short}")), want);
    assert_eq!(
        numbers(&fx.archive, &format!("issuer:{}", f.province)),
        want
    );
    let want = expected(&fx.facts, |g| g.region == f.region);
    assert_eq!(numbers(&fx.archive, &format!("region:{}", f.region)), want);
    assert_eq!(
        numbers(&fx.archive, &format!("issuer:\"{}\"", f.issuer)),
        want,
        "issuer by name"
    );
}

#[test]
fn category_by_name_or_alias_with_deadline_range() {
    let fx = &*SYNTH;
    let ccc = fx
        .facts
        .iter()
        .find(|f| f.category == "强制性产品认证")
        .expect("a CCC notice among the synthetic ones");
    // the quarter of its first deadline
    let d = &ccc.deadlines[0];
    let (year, month): (&str, u32) = (&d[..4], d[5..7].parse().unwrap());
    let q = (month - 1) / 3 + 1;
    let (from, to) = (
        format!("{year}-{:02}-01", 3 * q - 2),
        format!("{year}-{:02}-31", 3 * q),
    );
    let want = expected(&fx.facts, |g| {
        g.category == "强制性产品认证" && g.deadlines.iter().any(|d| *d >= from && *d <= to)
    });
    assert!(want.contains(&ccc.doc_number));
    let to = if q == 2 || q == 3 {
        to.replace("-31", "-30")
    } else {
        to
    };
    assert_eq!(
        numbers(
            &fx.archive,
            &format!("category:强制性产品认证 deadline:{from}..{to}")
        ),
        want
    );
    assert_eq!(
        numbers(
            &fx.archive,
            &format!("category:CCC认证 deadline:{year}-Q{q}")
        ),
        want
    );
    let cat = &fx.facts[5].category;
    let want = expected(&fx.facts, |g| &g.category == cat);
    assert!(numbers(&fx.archive, &format!("category:{cat}")).is_superset(&want));
    assert!(
        fx.archive
            .search("category:不存在的类别", 5)
            .unwrap_err()
            .to_string()
            .contains("no category")
    );
}

#[test]
fn filters_alone_list_the_newest_first() {
    let fx = &*SYNTH;
    let hits = fx.archive.search("type:通知", 20).unwrap();
    let dates: Vec<String> = hits.iter().filter_map(|h| h.issue_date.clone()).collect();
    assert_eq!(dates.len(), 20);
    let mut newest = fx
        .facts
        .iter()
        .map(|f| f.issue_date.clone())
        .collect::<Vec<_>>();
    newest.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest[..20]);
}

#[test]
fn issued_ranges() {
    let fx = &*SYNTH;
    let want = expected(&fx.facts, |g| g.issue_date.starts_with("2019-0"));
    assert!(!want.is_empty());
    assert_eq!(numbers(&fx.archive, "issued:2019-01..2019-09"), want);
}

#[test]
fn cites_and_cited_by() {
    let fx = &*SYNTH;
    let f = &fx.facts[40];
    let cited = &f.references[0];
    let want = expected(&fx.facts, |g| g.references.contains(cited));
    assert!(want.contains(&f.doc_number));
    assert_eq!(numbers(&fx.archive, &format!("cites:{cited}")), want);
    let got = numbers(&fx.archive, &format!("cited-by:{}", f.doc_number));
    assert_eq!(got, f.references.iter().cloned().collect());
}

#[test]
fn free_text_ranks_the_title_first_and_highlights() {
    let fx = &*SYNTH;
    let f = &fx.facts[17];
    let hits = fx
        .archive
        .search(&format!("number:{} 检查", f.doc_number), 5)
        .unwrap();
    let sn = hits[0].snippet.as_ref().expect("a snippet for free text");
    assert!(!sn.highlights.is_empty());
    assert!(
        sn.marked("[", "]").contains("[检查]"),
        "{}",
        sn.marked("[", "]")
    );
    // a title's words put its notice in the top 5 (titles repeat across notices: same
    // city, year and category make the same title)
    let words: Vec<&str> = gongwen::segment::content_words(&f.title);
    let hits = fx.archive.search(&words.join(" "), 5).unwrap();
    assert!(
        hits.iter()
            .any(|h| h.title.as_deref() == Some(f.title.as_str())),
        "{words:?}: {hits:#?}"
    );
}

#[test]
fn show_prints_the_stored_document() {
    let fx = &*SYNTH;
    let f = &fx.facts[9];
    let docs = fx.archive.show(&f.doc_number).unwrap();
    assert_eq!(docs.len(), 1);
    let id = &fx
        .archive
        .search(&format!("number:{}", f.doc_number), 1)
        .unwrap()[0]
        .id;
    assert_eq!(fx.archive.show(id).unwrap(), docs);
    assert_eq!(docs[0]["doc_number"]["value"], f.doc_number.as_str());
    assert_eq!(docs[0]["title"]["value"], f.title.as_str());
    assert!(fx.archive.show("无此文〔2099〕1号").unwrap().is_empty());
}

#[test]
fn es_bulk_follows_the_bulk_format() {
    let fx = &*SYNTH;
    let mut buf = Vec::new();
    let n = export::write_bulk(&fx.archive, "gongwen", &mut buf).unwrap();
    assert_eq!(n, fx.facts.len());
    let body = String::from_utf8(buf).unwrap();
    assert_eq!(export::check_bulk(&body), Ok(n));
    for (i, line) in body.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if i % 2 == 0 {
            let keys: Vec<&String> = v["index"].as_object().unwrap().keys().collect();
            assert_eq!(keys, ["_id", "_index"]);
        } else {
            // every source key is in the mapping (it is "dynamic": "strict")
            let mapping = export::mapping(export::Analyzer::Ik);
            for k in v.as_object().unwrap().keys() {
                assert!(mapping["mappings"]["properties"].get(k).is_some(), "{k}");
            }
        }
    }
}

#[test]
fn query_errors_name_the_problem() {
    let fx = &*SYNTH;
    let e = fx.archive.search("colour:red", 5).unwrap_err().to_string();
    assert!(e.contains("unknown field `colour`"), "{e}");
}

#[test]
fn changed_files_replace_their_documents_and_copies_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    write_corpus(&corpus, 3);
    let ix = dir.path().join("ix");
    let archive = Archive::open_or_create(&ix).unwrap();
    let opts = IndexOptions::default();
    let run = |a: &Archive| index_files(a, &files_under(&corpus), &opts, &|_| {}).unwrap();
    assert_eq!(run(&archive).indexed, 3);
    let again = run(&archive);
    assert_eq!((again.indexed, again.skipped), (0, 3));
    // a changed file at the same path, and a copy of another under a new name
    let first = corpus.join(relative_path(0));
    let old = notice(1, 0).facts.doc_number;
    std::fs::write(&first, notice(1, 500).text).unwrap();
    std::fs::copy(corpus.join(relative_path(1)), corpus.join("0000/copy.txt")).unwrap();
    let third = run(&archive);
    assert_eq!((third.indexed, third.replaced, third.skipped), (1, 1, 3));
    assert_eq!(archive.count_documents().unwrap(), 3);
    assert!(numbers(&archive, &format!("number:{old}")).is_empty());
    let new = notice(1, 500).facts.doc_number;
    assert_eq!(numbers(&archive, &format!("number:{new}")).len(), 1);
    // reopening works and sees the same
    let reopened = Archive::open(&ix).unwrap();
    assert_eq!(reopened.count_documents().unwrap(), 3);
    // a file overwritten with the bytes of another indexed file loses its old documents
    std::fs::copy(corpus.join(relative_path(2)), &first).unwrap();
    let fourth = run(&archive);
    assert_eq!((fourth.indexed, fourth.replaced), (0, 1));
    assert_eq!(archive.count_documents().unwrap(), 2);
    assert!(numbers(&archive, &format!("number:{new}")).is_empty());
    // paths are absolute: the same files through another spelling are the same files
    let dotted = corpus.join(".").join("0000");
    let again = index_files(&archive, &files_under(&dotted), &opts, &|_| {}).unwrap();
    assert_eq!((again.indexed, again.replaced), (0, 0));
}

#[test]
fn a_missing_index_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let e = Archive::open(&dir.path().join("nope"))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("nope") && e.contains("no index"), "{e}");
    std::fs::write(dir.path().join("junk"), "x").unwrap();
    let e = Archive::open_or_create(dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("not empty"), "{e}");
}

/// Every stored document once: ids unique, one per (sha256, ordinal).
fn assert_no_duplicates(archive: &Archive) -> usize {
    let mut ids = HashSet::new();
    let mut n = 0;
    archive
        .for_each_document(|f, doc| {
            use tantivy::schema::Value;
            let id = doc
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .unwrap()
                .to_string();
            assert!(ids.insert(id.clone()), "duplicate {id}");
            n += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(n, archive.count_documents().unwrap());
    n
}

#[test]
fn killed_mid_run_then_resumed_indexes_everything_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    let n = 300;
    write_corpus(&corpus, n);
    let ix = dir.path().join("ix");
    let args = |c: &mut Command| {
        c.arg("index")
            .arg(&corpus)
            .arg("--index")
            .arg(&ix)
            .args(["--batch", "25", "-j", "2"]);
    };
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("gongwen"));
    args(&mut cmd);
    let mut child = cmd
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first_commit = None;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.contains("committed") {
            first_commit = Some(line);
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let first_commit = first_commit.expect("a commit line before the kill");
    let after_kill = Archive::open(&ix).unwrap();
    let committed = assert_no_duplicates(&after_kill);
    assert!(committed >= 25, "{first_commit}: {committed}");
    eprintln!("killed after {first_commit:?} with {committed} of {n} documents committed");
    drop(after_kill);

    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("gongwen"));
    args(&mut cmd);
    let out = cmd.arg("--quiet").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = Archive::open(&ix).unwrap();
    assert_eq!(assert_no_duplicates(&archive), n as usize);
    let (shas, paths) = archive.indexed_files().unwrap();
    assert_eq!((shas.len(), paths.len()), (n as usize, n as usize));
    // a third run has nothing to do
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("gongwen"));
    args(&mut cmd);
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(
        msg.contains("0 files indexed") && msg.contains(&format!("{n} unchanged")),
        "{msg}"
    );
}

#[test]
fn cli_index_reports_failures_and_search_show_export_work() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    write_corpus(&corpus, 5);
    std::fs::write(corpus.join("empty.txt"), "").unwrap();
    let ix = dir.path().join("ix");
    let bin = || Command::new(assert_cmd::cargo::cargo_bin("gongwen"));
    let out = bin()
        .arg("index")
        .arg(&corpus)
        .arg("--index")
        .arg(&ix)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt: empty file"), "{err}");
    let f = notice(1, 2).facts;
    let out = bin()
        .args(["search", "-f", "table", "--index"])
        .arg(&ix)
        .arg(format!("number:{} 检查", f.doc_number))
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(&f.title) && table.contains("«检查»"),
        "{table}"
    );
    let out = bin()
        .args(["search", "--index"])
        .arg(&ix)
        .arg("deadline:2024-13")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
    let out = bin()
        .arg("show")
        .arg(&f.doc_number)
        .arg("--index")
        .arg(&ix)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"]["value"], f.title.as_str());
    let bulk = dir.path().join("bulk.ndjson");
    let mapping = dir.path().join("mapping.json");
    let out = bin()
        .args(["export", "--format", "es-bulk", "--index"])
        .arg(&ix)
        .arg("-o")
        .arg(&bulk)
        .arg("--mapping")
        .arg(&mapping)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        export::check_bulk(&std::fs::read_to_string(&bulk).unwrap()),
        Ok(5)
    );
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&mapping).unwrap()).unwrap();
    assert_eq!(
        m["mappings"]["properties"]["body"]["analyzer"],
        "ik_max_word"
    );
}

/// Recall on the hand-checked gold: every gold document with a doc number is found by
/// `number:`, and a title's words put its document in the top 5.
#[test]
fn gold_documents_are_found() {
    let Some(shared) = common::shared() else {
        eprintln!("skipped: ../shared is absent");
        return;
    };
    let mut inputs = vec![shared.join("corpus/dev")];
    if shared.join("seeds").is_dir() {
        inputs.push(shared.join("seeds"));
    }
    let files: Vec<PathBuf> = inputs.iter().flat_map(|d| walk(d)).collect();
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open_or_create(&dir.path().join("ix")).unwrap();
    let report = index_files(&archive, &files, &IndexOptions::default(), &|_| {}).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let (mut numbered, mut titled) = (0, 0);
    for gold in std::fs::read_dir(shared.join("gold/dev")).unwrap() {
        let gold = gold.unwrap().path();
        let g: serde_json::Value = serde_json::from_slice(&std::fs::read(&gold).unwrap()).unwrap();
        let file = g["file"].as_str().unwrap();
        if !files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == file))
        {
            continue;
        }
        let in_file =
            |h: &gongwen::index::Hit| h.path.as_deref().is_some_and(|p| p.ends_with(file));
        for d in g["documents"].as_array().unwrap() {
            if let Some(n) = d["doc_number"].as_str() {
                let hits = archive.search(&format!("number:{n}"), 10).unwrap();
                assert!(hits.iter().any(in_file), "number:{n} ({file}): {hits:?}");
                numbered += 1;
            }
            if let Some(t) = d["title"].as_str().filter(|t| !t.is_empty()) {
                let words = gongwen::segment::content_words(t);
                let q: Vec<&str> = words.iter().take(6).copied().collect();
                let hits = archive.search(&q.join(" "), 5).unwrap();
                assert!(hits.iter().any(in_file), "{q:?} ({file}): {hits:#?}");
                titled += 1;
            }
        }
    }
    assert!(
        numbered >= 5 && titled >= 15,
        "{numbered} numbered, {titled} titled"
    );
}
