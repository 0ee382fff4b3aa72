//! `gongwen watch`: the initial scan, files landing while it runs (slow writers, temp
//! files renamed into place, lock files), changed files, a restart, and the latency from a
//! file landing to its campaign in SQLite (`scripts/bench-watch.sh` runs it on 50 files).

mod common;

use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn gongwen() -> std::process::Command {
    std::process::Command::new(assert_cmd::cargo::cargo_bin!("gongwen"))
}

fn seed(name: &str) -> Vec<u8> {
    std::fs::read(common::root().join("corpus").join(name)).unwrap()
}

fn sha(bytes: &[u8]) -> String {
    gongwen::feed::model::hex(&Sha256::digest(bytes))
}

/// Campaigns in `db` made from content with this hash.
fn campaigns_of(db: &Path, sha256: &str) -> i64 {
    let Ok(conn) = Connection::open(db) else {
        return 0;
    };
    conn.query_row(
        "SELECT count(*) FROM campaigns WHERE sha256 = ?1",
        [sha256],
        |r| r.get(0),
    )
    .unwrap_or(0)
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// A running `gongwen watch`, killed when dropped.
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watcher {
    fn start(dir: &Path, db: &Path, extra: &[&str]) -> Watcher {
        let mut child = gongwen()
            .arg("watch")
            .arg(dir)
            .arg("--sink")
            .arg(format!("sqlite:{}", db.display()))
            .args(extra)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let w = Watcher { child, lines };
        w.wait_for("watching");
        w
    }

    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("watch never said {needle:?}")
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn watch_once_feeds_what_is_there_and_skips_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let good = seed("003_50dae97726b0998a.txt");
    for name in ["a.txt", "sub/b.txt"] {
        let p = inbox.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, &good).unwrap();
    }
    let other = seed("f01_zj-cert-fire-ebike-check.txt");
    for temp in ["c.txt.part", "~$c.txt", ".c.txt", "c.txt.tmp"] {
        std::fs::write(inbox.join(temp), &other).unwrap();
    }
    let db = dir.path().join("c.db");
    let out = gongwen()
        .arg("watch")
        .arg(&inbox)
        .arg("--sink")
        .arg(format!("sqlite:{}", db.display()))
        .arg("--once")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Two paths with the same content: one campaign.
    assert_eq!(count(&db, "SELECT count(*) FROM campaigns"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM feed_files"), 2);
    assert_eq!(
        campaigns_of(&db, &sha(&other)),
        0,
        "temp files are not read"
    );
}

#[test]
fn watch_feeds_files_as_they_land_and_a_restart_resends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(inbox.join("first.txt"), seed("003_50dae97726b0998a.txt")).unwrap();
    let db = dir.path().join("c.db");
    let fast = ["--debounce-ms", "50", "--settle-ms", "400"];
    let w = Watcher::start(&inbox, &db, &fast);
    assert_eq!(count(&db, "SELECT count(*) FROM campaigns"), 1);

    // A slow writer: three chunks with pauses longer than the debounce.
    let slow = seed("f01_zj-cert-fire-ebike-check.txt");
    let path = inbox.join("slow.txt");
    let mut f = std::fs::File::create(&path).unwrap();
    for chunk in slow.chunks(slow.len() / 3 + 1) {
        f.write_all(chunk).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    drop(f);
    // A download that lands under a temp name and is renamed into place.
    let renamed = seed("f03_bj-chaoyang-food-sampling-bulletin.txt");
    std::fs::write(inbox.join("dl.txt.part"), &renamed).unwrap();
    std::fs::rename(inbox.join("dl.txt.part"), inbox.join("dl.txt")).unwrap();
    // An Office lock file is never read.
    std::fs::write(
        inbox.join("~$lock.txt"),
        seed("f04_gd-hrss-fin-joint-internship-opinion.txt"),
    )
    .unwrap();

    wait_until("the slow file", || campaigns_of(&db, &sha(&slow)) > 0);
    wait_until("the renamed file", || campaigns_of(&db, &sha(&renamed)) > 0);
    // Read once, whole: no campaign or failure from a half-written version.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM campaigns WHERE source_path LIKE '%slow.txt'"
        ),
        campaigns_of(&db, &sha(&slow))
    );
    assert_eq!(count(&db, "SELECT count(*) FROM failures"), 0);

    // A changed file is fed again as an update.
    let changed = [renamed.as_slice(), b"\n"].concat();
    std::fs::write(inbox.join("dl.txt"), &changed).unwrap();
    wait_until("the changed file", || campaigns_of(&db, &sha(&changed)) > 0);
    assert!(
        count(
            &db,
            "SELECT count(*) FROM campaigns WHERE superseded_by IS NOT NULL"
        ) > 0
    );
    let total = count(&db, "SELECT count(*) FROM campaigns");
    drop(w);

    // Restart: nothing is sent again, nothing is missing.
    let out = gongwen()
        .arg("watch")
        .arg(&inbox)
        .arg("--sink")
        .arg(format!("sqlite:{}", db.display()))
        .arg("--once")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("campaigns: 0 new, 0 updated"), "{err}");
    assert_eq!(count(&db, "SELECT count(*) FROM campaigns"), total);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM campaigns WHERE source_path LIKE '%lock.txt'"
        ),
        0
    );
}

/// Latency from a file landing in the watched folder to its campaign in SQLite, over
/// `GONGWEN_BENCH_FILES` files (default 10), with the default debounce and settle times
/// unless `GONGWEN_BENCH_ARGS` gives others. Prints p50 and p99.
#[test]
fn watch_latency() {
    let n: usize = std::env::var("GONGWEN_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let extra = std::env::var("GONGWEN_BENCH_ARGS").unwrap_or_default();
    let extra: Vec<&str> = extra.split_whitespace().collect();
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let db = dir.path().join("c.db");
    let _w = Watcher::start(&inbox, &db, &extra);
    let seeds: Vec<PathBuf> = gongwen::feed::watch::scan(&common::root().join("corpus"));
    let mut latencies = Vec::new();
    for i in 0..n {
        // Distinct content each time (trailing newlines), so each file is a new campaign.
        let bytes = [
            std::fs::read(&seeds[i % seeds.len()]).unwrap(),
            vec![b'\n'; i + 1],
        ]
        .concat();
        let hash = sha(&bytes);
        let start = Instant::now();
        std::fs::write(inbox.join(format!("n{i:03}.txt")), &bytes).unwrap();
        wait_until("a campaign", || campaigns_of(&db, &hash) > 0);
        latencies.push(start.elapsed());
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, n) - 1];
    eprintln!(
        "watch latency over {n} files ({}): p50 {:?}, p99 {:?}, max {:?}",
        if extra.is_empty() {
            "default --debounce-ms 200 --settle-ms 200".to_string()
        } else {
            extra.join(" ")
        },
        pct(0.50),
        pct(0.99),
        latencies[n - 1]
    );
    assert!(pct(0.99) < Duration::from_secs(10));
}
