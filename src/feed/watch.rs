//! `gongwen watch DIR`: feed every notice already in a folder, then each new or changed one.
//!
//! File events come from `notify` through `notify-debouncer-full`. A file is read only once
//! its size and mtime have stayed the same for the settle time (counted from its mtime), so
//! a writer that pauses for less than that is not read half-way; temp files (`*.part`, `~$*`, dotfiles…) are never read. The watcher
//! is started before the initial scan, so a file landing during the scan is not missed (and
//! the state store makes sure one seen twice is fed once).

use super::error::{FeedError, FeedResult};
use super::{Feeder, FileOutcome};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Quiet time the debouncer waits for before it reports a file's events.
    pub debounce: Duration,
    /// How long size and mtime must then stay unchanged before the file is read.
    pub settle: Duration,
    /// Exit after the initial scan.
    pub once: bool,
    /// How often a running watch re-sends dead letters (webhook sink).
    pub retry_every: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            debounce: Duration::from_millis(200),
            settle: Duration::from_millis(200),
            once: false,
            retry_every: Duration::from_secs(60),
        }
    }
}

/// What the watcher tells its caller.
pub enum WatchEvent<'a> {
    /// The initial scan is done; live events follow.
    Ready {
        files: usize,
    },
    Fed(&'a Path, &'a FileOutcome),
    /// Dead letters re-sent while watching.
    Resent(usize),
    /// A watcher error (the watch goes on).
    Error(String),
}

/// Notice files the feed reads ([`crate::ingest::is_notice_path`]), and never temp files:
/// `.*`, `~$*` (Office lock files), `*~`, `*.part`, `*.partial`, `*.tmp`, `*.crdownload`,
/// `*.swp`.
pub fn is_candidate(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let temp = lower.starts_with('.')
        || lower.starts_with("~$")
        || lower.ends_with('~')
        || [".part", ".partial", ".tmp", ".crdownload", ".swp"]
            .iter()
            .any(|ext| lower.ends_with(ext));
    !temp && crate::ingest::is_notice_path(path)
}

/// The notice files under `dir`, sorted.
pub fn scan(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_candidate(e.path()))
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

/// A file with events, waiting to settle.
struct Pending {
    seen: Option<(u64, SystemTime)>,
    since: Instant,
}

/// Run the watch until the watcher stops (or after the initial scan with `once`).
pub fn watch(
    dir: &Path,
    feeder: &mut Feeder,
    opts: &WatchOptions,
    mut report: impl FnMut(WatchEvent),
) -> FeedResult<()> {
    let name = dir.display().to_string();
    if !dir.is_dir() {
        return Err(FeedError::Watch {
            path: name,
            reason: "not a directory".into(),
        });
    }
    let watch_err = |e: notify_debouncer_full::notify::Error| FeedError::Watch {
        path: name.clone(),
        reason: e.to_string(),
    };
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = if opts.once {
        None
    } else {
        let mut d = new_debouncer(opts.debounce, None, tx).map_err(watch_err)?;
        d.watch(dir, RecursiveMode::Recursive).map_err(watch_err)?;
        Some(d)
    };
    let initial = scan(dir);
    for path in &initial {
        let outcome = feeder.feed_file(path)?;
        report(WatchEvent::Fed(path, &outcome));
    }
    report(WatchEvent::Ready {
        files: initial.len(),
    });
    if debouncer.is_none() {
        return Ok(());
    }
    let tick = Duration::from_millis(25);
    let mut pending: HashMap<PathBuf, Pending> = HashMap::new();
    let mut last_retry = Instant::now();
    loop {
        if last_retry.elapsed() >= opts.retry_every {
            let n = feeder.retry_dead_letters()?;
            if n > 0 {
                report(WatchEvent::Resent(n));
            }
            last_retry = Instant::now();
        }
        let wait = if pending.is_empty() {
            opts.retry_every.saturating_sub(last_retry.elapsed())
        } else {
            tick
        };
        match rx.recv_timeout(wait) {
            Ok(Ok(events)) => {
                for ev in events {
                    if !matches!(
                        ev.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Any
                    ) {
                        continue;
                    }
                    for p in ev.paths.iter().filter(|p| is_candidate(p)) {
                        let now = Instant::now();
                        pending
                            .entry(p.clone())
                            .and_modify(|w| w.since = now)
                            .or_insert(Pending {
                                seen: None,
                                since: now,
                            });
                    }
                }
            }
            Ok(Err(errors)) => {
                for e in errors {
                    report(WatchEvent::Error(format!("{name}: {e}")));
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        for path in settled(&mut pending, opts.settle) {
            let outcome = feeder.feed_file(&path)?;
            report(WatchEvent::Fed(&path, &outcome));
        }
    }
    if let Some(d) = debouncer.take() {
        d.stop();
    }
    Ok(())
}

/// Take out of `pending` the files whose size and mtime held still for `settle`; drop
/// those that vanished or are not files.
fn settled(pending: &mut HashMap<PathBuf, Pending>, settle: Duration) -> Vec<PathBuf> {
    let mut ready = Vec::new();
    pending.retain(|path, w| {
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        if !meta.is_file() {
            return false;
        }
        let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let now = (meta.len(), mtime);
        if w.seen != Some(now) {
            // New size or mtime: quiet since the mtime (so a file the debouncer already
            // held back for long enough is read at once), but never for longer than that.
            let quiet = SystemTime::now()
                .duration_since(mtime)
                .unwrap_or(Duration::ZERO)
                .min(settle);
            w.seen = Some(now);
            w.since = Instant::now()
                .checked_sub(quiet)
                .unwrap_or_else(Instant::now);
        }
        if w.since.elapsed() >= settle {
            ready.push(path.clone());
            return false;
        }
        true
    });
    ready.sort();
    ready
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_and_hidden_files_are_not_candidates() {
        for yes in ["a.txt", "dir/通知.TXT", "b.md", "c.text", "d.pdf", "e.docx"] {
            assert!(is_candidate(Path::new(yes)), "{yes}");
        }
        for no in [
            ".a.txt",
            "~$a.txt",
            "a.txt~",
            "a.txt.part",
            "a.txt.tmp",
            "a.txt.crdownload",
            ".a.txt.swp",
            "a.doc",
            "feed.db",
            "feed.db-wal",
            "txt",
        ] {
            assert!(!is_candidate(Path::new(no)), "{no}");
        }
    }
}
