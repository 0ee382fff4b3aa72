//! The webhook sink against a receiver on loopback that fails on purpose: every campaign
//! arrives exactly once by `Idempotency-Key`; an unreachable receiver fills the dead-letter
//! folder and a later run re-sends it, losing nothing.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the receiver treats request number `n`.
#[derive(Clone, Copy)]
enum Mode {
    /// 30% HTTP 500, 10% accepted but answered after the client's timeout, else 201/200.
    Flaky,
    Healthy,
}

#[derive(Default)]
struct Seen {
    /// Idempotency-Key → bodies received (a receiver applies the first, acknowledges repeats).
    bodies: BTreeMap<String, Vec<String>>,
    requests: usize,
    failed_on_purpose: usize,
}

struct Receiver {
    addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    fn start(addr: &str, mode: Mode) -> Receiver {
        let server = tiny_http::Server::http(addr).unwrap();
        let addr = server.server_addr().to_ip().unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let counter = Arc::new(AtomicUsize::new(0));
        let (s, st) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                let Ok(Some(req)) = server.recv_timeout(Duration::from_millis(20)) else {
                    continue;
                };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let seen = s.clone();
                // One thread per request: a slow answer does not hold up the next one.
                std::thread::spawn(move || handle(req, n, mode, &seen));
            }
        });
        Receiver {
            addr,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("webhook:http://{}/campaigns", self.addr)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(mut req: tiny_http::Request, n: usize, mode: Mode, seen: &Mutex<Seen>) {
    let key = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Idempotency-Key"))
        .map(|h| h.value.to_string());
    let mut body = String::new();
    let _ = req.as_reader().read_to_string(&mut body);
    let (fail, late) = match mode {
        Mode::Flaky => (matches!(n % 10, 1 | 2 | 5), n % 10 == 7),
        Mode::Healthy => (false, false),
    };
    let status = {
        let mut s = seen.lock().unwrap();
        s.requests += 1;
        match key {
            None => 400,
            Some(_) if fail => {
                s.failed_on_purpose += 1;
                500
            }
            Some(k) => {
                let bodies = s.bodies.entry(k).or_default();
                bodies.push(body);
                if bodies.len() == 1 { 201 } else { 200 }
            }
        }
    };
    if late {
        // Applied, but the answer comes after the client gave up: it will re-send.
        std::thread::sleep(Duration::from_millis(600));
    }
    let _ = req.respond(tiny_http::Response::empty(status));
}

fn gongwen() -> std::process::Command {
    std::process::Command::new(assert_cmd::cargo::cargo_bin!("gongwen"))
}

fn inputs() -> Vec<PathBuf> {
    vec![common::root().join("corpus")]
}

/// The idempotency keys feeding `inputs()` must deliver.
fn expected_keys() -> BTreeSet<String> {
    inputs()
        .iter()
        .flat_map(|d| gongwen::feed::watch::scan(d))
        .filter_map(|f| gongwen::extract_path(&f).ok())
        .flat_map(|o| gongwen::feed::model::campaigns(&o))
        .map(|c| c.idempotency_key())
        .collect()
}

fn feed(sink: &str, state: &Path, extra: &[&str]) -> std::process::Output {
    gongwen()
        .arg("feed")
        .args(inputs())
        .args(["--sink", sink, "--state"])
        .arg(state)
        .args([
            "--retry-base-ms",
            "5",
            "--retry-max-ms",
            "50",
            "--timeout-ms",
            "300",
        ])
        .args(extra)
        .output()
        .unwrap()
}

fn dead_letters(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn a_flaky_receiver_gets_every_campaign_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let dead = dir.path().join("dead");
    let rx = Receiver::start("127.0.0.1:0", Mode::Flaky);
    let out = feed(
        &rx.url(),
        &state,
        &["--attempts", "8", "--dead-letter", dead.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let expected = expected_keys();
    {
        let seen = rx.seen.lock().unwrap();
        let got: BTreeSet<String> = seen.bodies.keys().cloned().collect();
        assert_eq!(got, expected, "every campaign, and nothing else");
        assert!(seen.failed_on_purpose > 0 && seen.requests > expected.len());
        for (key, bodies) in &seen.bodies {
            assert!(
                bodies.windows(2).all(|w| w[0] == w[1]),
                "re-sends of {key} carry the same campaign"
            );
        }
        eprintln!(
            "flaky receiver: {} campaigns, {} requests, {} failed on purpose, {} re-sent after a timeout",
            expected.len(),
            seen.requests,
            seen.failed_on_purpose,
            seen.bodies.values().filter(|b| b.len() > 1).count()
        );
    }
    assert_eq!(dead_letters(&dead), 0, "{err}");
    assert!(
        err.contains(&format!("campaigns: {} new", expected.len())),
        "{err}"
    );

    // A rerun sends nothing: the state store knows every campaign went out.
    let before = rx.seen.lock().unwrap().requests;
    let out = feed(
        &rx.url(),
        &state,
        &["--dead-letter", dead.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert_eq!(rx.seen.lock().unwrap().requests, before);
}

#[test]
fn an_unreachable_receiver_fills_the_dead_letter_folder_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let dead = dir.path().join("dead");
    // A port nobody listens on (yet).
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let sink = format!("webhook:http://{addr}/campaigns");
    let dead_arg = dead.to_str().unwrap();
    let out = feed(
        &sink,
        &state,
        &["--attempts", "3", "--dead-letter", dead_arg],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let expected = expected_keys();
    assert_eq!(dead_letters(&dead), expected.len(), "{err}");
    assert!(
        err.contains(&format!("{} dead-lettered", expected.len())),
        "{err}"
    );

    // The receiver comes up; the dead letters are re-sent, each once, and removed.
    let rx = Receiver::start(&addr.to_string(), Mode::Healthy);
    let out = gongwen()
        .args(["feed", "--retry-dead-letters", "--sink", &sink, "--state"])
        .arg(&state)
        .args(["--dead-letter", dead_arg])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dead_letters(&dead), 0);
    {
        let seen = rx.seen.lock().unwrap();
        let got: BTreeSet<String> = seen.bodies.keys().cloned().collect();
        assert_eq!(got, expected);
        assert!(seen.bodies.values().all(|b| b.len() == 1));
    }
    // And a normal rerun sends nothing more.
    let before = rx.seen.lock().unwrap().requests;
    let out = feed(&sink, &state, &["--dead-letter", dead_arg]);
    assert!(out.status.success());
    assert_eq!(rx.seen.lock().unwrap().requests, before);
}

#[test]
fn without_a_dead_letter_folder_an_unreachable_receiver_stops_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let sink = format!("webhook:http://{addr}/campaigns");
    let out = feed(&sink, &dir.path().join("state.db"), &["--attempts", "2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&addr.to_string()) && err.contains("--dead-letter"),
        "{err}"
    );
}
