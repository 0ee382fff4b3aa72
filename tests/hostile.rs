//! Hostile input: `gongwen extract` over a directory of bad files (generated at test time,
//! see `tests/hostile/generate.rs`) plus one good notice. Each bad file gets a clear error
//! naming it, or a result with warnings, within a bounded time and memory, and the batch
//! around it completes: the good notice's JSON is printed and the exit status is 1.

mod common;
#[path = "hostile/generate.rs"]
mod generate;

use generate::{CASES, Expect};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Time allowed for one file, in a debug build on a busy 2-core machine.
const MAX_SECONDS: f64 = 10.0;
/// Peak resident memory allowed for one file.
const MAX_RSS_MB: f64 = 512.0;

struct Run {
    code: i32,
    seconds: f64,
    rss_mb: f64,
    stdout: String,
    stderr: String,
}

/// Run `gongwen ARGS…` and measure it: wall time and the child's own peak RSS (wait4).
/// A run past `kill_after` is killed.
fn run(args: &[&Path], kill_after: Duration) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("extract")
        .args(["-f", "jsonl"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || read_all(&mut out));
    let err = std::thread::spawn(move || read_all(&mut err));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            let until = Instant::now() + kill_after;
            while Instant::now() < until {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if !done.load(std::sync::atomic::Ordering::SeqCst) {
                // our own child, by pid, not yet reaped
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        })
    };
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(r, pid, "wait4 failed");
    watchdog.join().unwrap();
    let seconds = start.elapsed().as_secs_f64();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    std::mem::forget(child); // reaped above
    Run {
        code,
        seconds,
        rss_mb: usage.ru_maxrss as f64 / 1024.0,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn read_all(r: &mut impl std::io::Read) -> String {
    let mut s = Vec::new();
    let _ = r.read_to_end(&mut s);
    String::from_utf8_lossy(&s).into_owned()
}

#[test]
fn hostile_files_fail_alone_within_bounds_and_the_batch_completes() {
    let dir = tempfile::tempdir().unwrap();
    generate::generate(dir.path());
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for case in CASES {
        let path = dir.path().join(case.name);
        let r = run(&[&path], Duration::from_secs(60));
        report.push(format!(
            "{:<22} {:>6.2} s {:>7.1} MB  exit {}  ({}) {}",
            case.name,
            r.seconds,
            r.rss_mb,
            r.code,
            case.what,
            r.stderr
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(110)
                .collect::<String>()
        ));
        let named = r.stderr.contains(case.name);
        let ok = match (case.expect, r.code) {
            (Expect::Output | Expect::Either, 0) => r.stdout.lines().count() == 1,
            (Expect::Error | Expect::Either, 1) => named && r.stdout.is_empty(),
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{}: exit {}, stderr {}",
                case.name, r.code, r.stderr
            ));
        }
        if r.seconds > MAX_SECONDS {
            failures.push(format!(
                "{}: took {:.1} s (> {MAX_SECONDS} s)",
                case.name, r.seconds
            ));
        }
        if r.rss_mb > MAX_RSS_MB {
            failures.push(format!(
                "{}: peak RSS {:.0} MB (> {MAX_RSS_MB} MB)",
                case.name, r.rss_mb
            ));
        }
    }
    // the whole directory in one batch: every file has its line or its error
    let batch = run(&[dir.path()], Duration::from_secs(120));
    report.push(format!(
        "{:<22} {:>6.2} s {:>7.1} MB  exit {}",
        "(whole batch)", batch.seconds, batch.rss_mb, batch.code
    ));
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(batch.code, 1, "{}", batch.stderr);
    let good = batch
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| {
            v["source"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("good.txt"))
        })
        .expect("the good notice's JSON is printed");
    assert_eq!(
        good["documents"][0]["doc_number"]["value"],
        "闽市监认证〔2024〕215号"
    );
    let errors = batch.stderr.lines().count();
    let lines = batch.stdout.lines().count();
    assert_eq!(errors + lines, CASES.len(), "{}", batch.stderr);
    assert!(batch.seconds < 2.0 * MAX_SECONDS * CASES.len() as f64);
}

/// `GONGWEN_HOSTILE_DIR=DIR cargo test --test hostile -- --ignored`: write the corpus into
/// DIR (for `scripts/hostile-rss.sh`).
#[test]
#[ignore]
fn write_hostile_corpus() {
    let dir = std::env::var("GONGWEN_HOSTILE_DIR").expect("set GONGWEN_HOSTILE_DIR");
    std::fs::create_dir_all(&dir).unwrap();
    generate::generate(Path::new(&dir));
}

/// Regression: a long text without sentence breaks (a UTF-8 file cut inside its last char
/// was decoded as GB18030 mojibake) made the contact and ratio look-backs quadratic: 2 MB
/// took more than 5 minutes. Lines are now cut at 5,000 chars and look-backs bounded.
#[test]
fn long_text_without_sentence_breaks_is_not_quadratic() {
    let text = "联系电话0591-87530956抽查比例不低于10%南昌九江".repeat(8000);
    let start = Instant::now();
    let out = gongwen::extract_text("long.txt", &text);
    assert!(!out.documents.is_empty());
    let secs = start.elapsed().as_secs_f64();
    assert!(secs < 20.0, "{secs:.1} s for {} bytes", text.len());
}

/// Regression: a UTF-8 file cut inside its last char was decoded as GB18030 mojibake.
#[test]
fn utf8_cut_inside_its_last_char_is_read_as_utf8() {
    let text = "关于开展检查的通知\n请于10月25日前报送。";
    let bytes = &text.as_bytes()[..text.len() - 1];
    let ex = gongwen::ingest::ingest_bytes(bytes, "cut.txt").unwrap();
    assert_eq!(ex.encoding.as_deref(), Some("utf-8"));
    assert!(ex.text.starts_with("关于开展检查的通知"));
}
