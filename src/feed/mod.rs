//! Campaign feed: notices → campaigns in a task system, each exactly once.
//!
//! [`Feeder::feed_file`] extracts a file ([`crate::extract_path`]), turns every document
//! into a [`Campaign`] ([`model`]), hands the campaigns to a [`Sink`] (`jsonl`, `sqlite`,
//! `webhook`) and records what it did in the [`State`] store, keyed by the file's sha256:
//! an unchanged file is skipped, a changed one is fed again (its campaigns supersede the
//! old ones), a file that fails to extract is recorded and retried when it changes.
//! [`watch`] runs it on a folder as files arrive.

pub mod db;
pub mod error;
pub mod model;
pub mod sink;
pub mod sink_jsonl;
pub mod sink_sqlite;
pub mod sink_webhook;
pub mod state;
pub mod watch;

pub use error::{FeedError, FeedResult};
pub use model::Campaign;
pub use sink::{Delivery, Sink};
pub use state::State;

use model::Link;
use sha2::{Digest, Sha256};
use state::DocEntry;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What feeding one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Same content as last time: nothing to do.
    Unchanged,
    /// Extracted; `(campaign key, what the sink did)` per document. `update`: the file had
    /// been fed before with other content.
    Fed {
        campaigns: Vec<(String, Delivery)>,
        update: bool,
    },
    /// Could not be extracted (recorded; retried when the content changes).
    Failed(String),
    /// Gone before we could read it (a watched file deleted or renamed away).
    Vanished,
}

/// Feeds files into one sink, with one state store.
pub struct Feeder {
    sink: Box<dyn Sink>,
    sink_id: String,
    state: State,
}

impl Feeder {
    pub fn new(sink: Box<dyn Sink>, state: State) -> Feeder {
        let sink_id = sink.id();
        Feeder {
            sink,
            sink_id,
            state,
        }
    }

    /// Re-send campaigns an earlier run parked as dead letters; returns how many went out.
    pub fn retry_dead_letters(&mut self) -> FeedResult<usize> {
        let sent = self.sink.retry_dead_letters()?;
        for c in &sent {
            self.state.mark_delivered(&self.sink_id, c, "new")?;
        }
        Ok(sent.len())
    }

    /// Feed one file. `Err` only when the sink or the state store fails (the feed cannot go
    /// on); a bad input is `Ok(FileOutcome::Failed)`.
    pub fn feed_file(&mut self, path: &Path) -> FeedResult<FileOutcome> {
        let name = path.display().to_string();
        // Read at most one byte past the extractor's limit: a huge file still gets a
        // fingerprint (and the extractor's "too large" failure), never our whole memory.
        let read = std::fs::File::open(path).and_then(|f| {
            let mut bytes = Vec::new();
            f.take(crate::ingest::MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map(|_| bytes)
        });
        let bytes = match read {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(FileOutcome::Vanished);
            }
            Err(e) => {
                let why = format!("{name}: {e}");
                self.state.record_failure(&name, "", &why)?;
                return Ok(FileOutcome::Failed(why));
            }
        };
        let sha = model::hex(&Sha256::digest(&bytes));
        let before = self.state.file(&name)?;
        if let Some(b) = before.as_ref().filter(|b| b.sha256 == sha) {
            // A failure waits for new content; a success is done once all went out.
            if b.failed || self.all_delivered(&b.documents)? {
                return Ok(FileOutcome::Unchanged);
            }
        }
        let out = match crate::extract_path(path) {
            Ok(out) => out,
            Err(e) => {
                let why = e.to_string();
                self.state.record_failure(&name, &sha, &why)?;
                return Ok(FileOutcome::Failed(why));
            }
        };
        // The file may have changed between our read and the extractor's: its hash wins.
        let sha = out.source.sha256.clone();
        let previous = before.filter(|b| b.sha256 != sha && !b.failed);
        let mut campaigns = model::campaigns(&out);
        for c in &mut campaigns {
            self.link_across_files(c)?;
            c.supersedes = previous.as_ref().and_then(|p| superseded(c, &p.documents));
        }
        let mut done = Vec::new();
        for c in &campaigns {
            let delivery = if self.state.delivered(&self.sink_id, &c.key)?
                && !self.state.dead_lettered(&self.sink_id, &c.key)?
            {
                Delivery::Unchanged
            } else {
                let d = self.sink.deliver(c)?;
                self.state.mark_delivered(&self.sink_id, c, d.as_str())?;
                d
            };
            done.push((c.key.clone(), delivery));
        }
        let docs: Vec<DocEntry> = campaigns
            .iter()
            .map(|c| DocEntry {
                key: c.key.clone(),
                doc_number: c.doc_number.clone(),
                index: c.source.document_index,
            })
            .collect();
        self.state.record_file(&name, &sha, &docs)?;
        Ok(FileOutcome::Fed {
            campaigns: done,
            update: previous.is_some(),
        })
    }

    fn all_delivered(&self, docs: &[DocEntry]) -> FeedResult<bool> {
        for d in docs {
            if !self.state.delivered(&self.sink_id, &d.key)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Links to documents fed earlier from other files: the original a relay forwards, and
    /// the relays that forward this document.
    fn link_across_files(&self, c: &mut Campaign) -> FeedResult<()> {
        for l in c.relays.iter_mut().filter(|l| l.campaign.is_none()) {
            if let Some(n) = &l.doc_number {
                l.campaign = self.state.key_for_doc_number(&self.sink_id, n)?;
            }
        }
        let Some(number) = c.doc_number.clone() else {
            return Ok(());
        };
        for (relay_number, key) in self.state.relays_of(&self.sink_id, &number)? {
            let known = c
                .relayed_by
                .iter()
                .any(|l| l.campaign.as_ref() == Some(&key));
            if !known && key != c.key {
                c.relayed_by.push(Link {
                    doc_number: relay_number,
                    title: None,
                    campaign: Some(key),
                });
            }
        }
        Ok(())
    }
}

/// The campaign of the previous version of the file that `c` replaces: same doc number,
/// else same position in the file.
fn superseded(c: &Campaign, previous: &[DocEntry]) -> Option<String> {
    let same_number = c
        .doc_number
        .as_ref()
        .and_then(|n| previous.iter().find(|p| p.doc_number.as_ref() == Some(n)));
    same_number
        .or_else(|| previous.iter().find(|p| p.index == c.source.document_index))
        .map(|p| p.key.clone())
        .filter(|k| *k != c.key)
}

/// `path` made absolute (for sink ids in the state store), without touching the disk.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
