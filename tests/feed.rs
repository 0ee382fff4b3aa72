//! The campaign feed: exactly once into SQLite (twice fed, killed half-way), relays linked
//! across files, updates, failures, no-task notices, the jsonl sink and the schema.

mod common;

use assert_cmd::Command;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn gongwen() -> Command {
    Command::cargo_bin("gongwen").unwrap()
}

/// `corpus/` and, when present, `../shared/corpus/dev` (read in place, never copied).
fn corpora() -> Vec<PathBuf> {
    let mut dirs = vec![common::root().join("corpus")];
    if let Some(shared) = common::shared() {
        dirs.push(shared.join("corpus/dev"));
    }
    dirs
}

/// How many campaigns feeding `dirs` must create: one per document, one for a file without.
fn expected_campaigns(dirs: &[PathBuf]) -> usize {
    dirs.iter()
        .flat_map(|d| gongwen::feed::watch::scan(d))
        .filter_map(|f| gongwen::extract_path(&f).ok())
        .map(|o| o.documents.len().max(1))
        .sum()
}

fn feed<P: AsRef<std::ffi::OsStr>>(args: &[&str], inputs: &[P]) -> std::process::Output {
    gongwen()
        .arg("feed")
        .args(inputs)
        .args(args)
        .output()
        .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// `key → (campaign_json, tasks, milestones, contacts)` of a database.
fn dump(db: &Path) -> BTreeMap<String, (String, i64, i64, i64)> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT key, campaign_json,
               (SELECT count(*) FROM tasks t WHERE t.campaign_key = c.key),
               (SELECT count(*) FROM milestones m WHERE m.campaign_key = c.key),
               (SELECT count(*) FROM contacts p WHERE p.campaign_key = c.key)
             FROM campaigns c",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn feeding_the_corpora_twice_creates_each_campaign_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("campaigns.db");
    let sink = format!("sqlite:{}", db.display());
    let inputs = corpora();
    let expected = expected_campaigns(&inputs);
    let first = feed(&["--sink", &sink], &inputs);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains(&format!("campaigns: {expected} new")),
        "{}",
        stderr(&first)
    );
    let before = dump(&db);
    assert_eq!(before.len(), expected);

    let second = feed(&["--sink", &sink], &inputs);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("campaigns: 0 new, 0 updated"),
        "{}",
        stderr(&second)
    );
    assert_eq!(dump(&db), before, "the second feed changed nothing");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM (SELECT 1 FROM campaigns GROUP BY doc_number, sha256, doc_index HAVING count(*) > 1)"
        ),
        0
    );
    // A notice without tasks is still a campaign, flagged, with its warnings.
    let no_tasks = count(
        &db,
        "SELECT count(*) FROM campaigns WHERE no_tasks = 1 AND warnings LIKE '%no-tasks%'",
    );
    assert!(no_tasks > 0);
    assert_eq!(
        no_tasks,
        count(&db, "SELECT count(*) FROM campaigns WHERE no_tasks = 1")
    );
    // Milestones carry the annex titles of the 附件 list (000: the relay's deadlines point at
    // the annexes of the original it carries).
    let annexes: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT m.annexes FROM milestones m JOIN campaigns c ON c.key = m.campaign_key
             WHERE c.doc_number = '宜市市监认发〔2023〕3号' AND m.annexes <> '[]'
             ORDER BY m.task_position LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        annexes.contains("强制性产品认证监督检查情况统计表"),
        "{annexes}"
    );
}

#[test]
fn a_feed_killed_half_way_resumes_without_duplicate_or_gap() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpora();
    let clean = dir.path().join("clean.db");
    let out = feed(&["--sink", &format!("sqlite:{}", clean.display())], &inputs);
    assert!(out.status.success(), "{}", stderr(&out));

    let db = dir.path().join("killed.db");
    let sink = format!("sqlite:{}", db.display());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("gongwen"))
        .arg("feed")
        .args(&inputs)
        .args(["--sink", &sink, "--pace-ms", "40"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let landed = loop {
        let n = if db.exists() {
            Connection::open(&db)
                .and_then(|c| c.query_row("SELECT count(*) FROM campaigns", [], |r| r.get(0)))
                .unwrap_or(0i64)
        } else {
            0
        };
        if n >= 8 || start.elapsed() > Duration::from_secs(60) {
            break n;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(
        child.try_wait().unwrap().is_none(),
        "the feed was still running when killed"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = dump(&db).len();
    assert!(
        partial >= landed as usize && partial < dump(&clean).len(),
        "killed mid-feed: {partial} campaigns"
    );

    let out = feed(&["--sink", &sink], &inputs);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        dump(&db),
        dump(&clean),
        "after the restart: the same campaigns, tasks, milestones and contacts"
    );
}

/// A relay notice and the original it forwards, as two files.
const ORIGINAL: &str = "江西省市场监督管理局办公室文件\n\n赣市监办认监〔2023〕4号\n\n江西省市场监管局办公室关于开展认证监督检查工作的通知\n\n各设区市市场监管局：\n\n一、工作任务\n\n（一）强制性产品认证监督检查。请于9月10日前报送检查工作总结和统计表（附件1）。\n\n附件：1.强制性产品认证监督检查情况统计表\n\n江西省市场监督管理局办公室\n2023年7月10日\n";
const RELAY: &str = "宜春市市场监督管理局文件\n\n宜市市监认发〔2023〕3号\n\n宜春市市场监督管理局转发关于开展认证监督检查工作的通知\n\n各县市区市场监管局：\n\n现将《江西省市场监管局办公室关于开展认证监督检查工作的通知》（赣市监办认监〔2023〕4号）转发给你们，请于9月5日前报送工作总结。\n\n宜春市市场监督管理局\n2023年7月20日\n";

fn relayed_by(db: &Path, doc_number: &str) -> String {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT relayed_by FROM campaigns WHERE doc_number = ?1",
            [doc_number],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_relay_fed_after_its_original_links_to_it_both_ways() {
    for relay_first in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let (orig, relay) = (dir.path().join("orig.txt"), dir.path().join("relay.txt"));
        std::fs::write(&orig, ORIGINAL).unwrap();
        std::fs::write(&relay, RELAY).unwrap();
        let db = dir.path().join("c.db");
        let sink = format!("sqlite:{}", db.display());
        let order = if relay_first {
            [&relay, &orig]
        } else {
            [&orig, &relay]
        };
        for f in order {
            let out = feed(&["--sink", &sink], &[f]);
            assert!(out.status.success(), "{}", stderr(&out));
        }
        let by = relayed_by(&db, "赣市监办认监〔2023〕4号");
        assert!(
            by.contains("宜市市监认发〔2023〕3号"),
            "relay first: {relay_first}: {by}"
        );
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM links WHERE original_doc_number = '赣市监办认监〔2023〕4号'"
            ),
            1
        );
        if !relay_first {
            // The relay's campaign itself names the original's campaign key.
            let json: String = Connection::open(&db)
                .unwrap()
                .query_row(
                    "SELECT campaign_json FROM campaigns WHERE doc_number = '宜市市监认发〔2023〕3号'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            let c: gongwen::feed::Campaign = serde_json::from_str(&json).unwrap();
            let link = c.relays[0].campaign.as_deref().unwrap_or("");
            assert!(link.starts_with("赣市监办认监〔2023〕4号|"), "{link}");
        }
    }
}

#[test]
fn a_changed_file_is_fed_again_as_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notice.txt");
    std::fs::write(&file, ORIGINAL).unwrap();
    let db = dir.path().join("c.db");
    let sink = format!("sqlite:{}", db.display());
    assert!(feed(&["--sink", &sink], &[&file]).status.success());
    std::fs::write(&file, ORIGINAL.replace("9月10日前", "9月20日前")).unwrap();
    let out = feed(&["--sink", &sink], &[&file]);
    assert!(stderr(&out).contains("updated:"), "{}", stderr(&out));
    assert_eq!(count(&db, "SELECT count(*) FROM campaigns"), 2);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM campaigns new JOIN campaigns old ON old.key = new.supersedes
             WHERE old.superseded_by = new.key AND new.superseded_by IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM milestones m JOIN campaigns c ON c.key = m.campaign_key
             WHERE c.superseded_by IS NULL AND m.date LIKE '%-09-20'"
        ),
        1
    );
}

#[test]
fn a_file_that_fails_is_recorded_and_retried_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.txt");
    std::fs::write(&file, b"").unwrap();
    let db = dir.path().join("c.db");
    let sink = format!("sqlite:{}", db.display());
    let out = feed(&["--sink", &sink], &[&file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.txt") && stderr(&out).contains("empty file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM failures"), 1);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM feed_files WHERE status = 'failed'"
        ),
        1
    );
    // Unchanged: not tried again.
    let out = feed(&["--sink", &sink], &[&file]);
    assert!(
        stderr(&out).contains("1 unchanged, 0 failed"),
        "{}",
        stderr(&out)
    );
    // Fixed: fed.
    std::fs::write(&file, ORIGINAL).unwrap();
    let out = feed(&["--sink", &sink], &[&file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&db, "SELECT count(*) FROM campaigns"), 1);
    assert_eq!(
        count(&db, "SELECT count(*) FROM feed_files WHERE status = 'ok'"),
        1
    );
}

#[test]
fn jsonl_sink_prints_one_campaign_per_line() {
    let out = feed(
        &["--sink", "jsonl"],
        &[common::root().join("corpus/000_6ef2ac40ccdeb165.txt")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["schema"], "gongwen.campaign/1");
    assert_eq!(
        lines[0]["relays"][0]["doc_number"],
        "赣市监办认监〔2023〕4号"
    );
    assert_eq!(lines[1]["role"], "relayed");
    assert_eq!(
        lines[1]["relayed_by"][0]["doc_number"],
        "宜市市监认发〔2023〕3号"
    );
    let annex_1: Vec<&serde_json::Value> = lines[1]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["milestones"].as_array().unwrap())
        .flat_map(|m| m["annexes"].as_array().unwrap())
        .filter(|a| a["index"] == 1)
        .collect();
    assert!(!annex_1.is_empty());
    for a in annex_1 {
        assert_eq!(a["title"], "强制性产品认证监督检查情况统计表");
    }
}

#[test]
fn jsonl_file_sink_with_a_state_store_appends_each_campaign_once() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("campaigns.jsonl");
    let sink = format!("jsonl:{}", out_file.display());
    let state = dir.path().join("state.db");
    let inputs = [common::root().join("corpus")];
    for _ in 0..2 {
        let out = feed(
            &["--sink", &sink, "--state", state.to_str().unwrap()],
            &inputs,
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(text.lines().count(), expected_campaigns(&inputs));
}

#[test]
fn bad_sink_is_a_usage_error() {
    let out = gongwen()
        .args(["feed", "x.txt", "--sink", "kafka:topic"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kafka:topic"), "{}", stderr(&out));
    let out = gongwen()
        .args(["watch", ".", "--sink", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--state"), "{}", stderr(&out));
}

#[test]
fn campaign_schema_is_printed() {
    let out = gongwen().args(["schema", "--campaign"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Campaign");
    let s = v.to_string();
    for key in [
        "milestones",
        "relayed_by",
        "no_tasks",
        "supersedes",
        "deliverables",
    ] {
        assert!(s.contains(key), "{key}");
    }
}
