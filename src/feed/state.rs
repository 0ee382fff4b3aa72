//! The state store: which file content (sha256) was fed, which campaign was delivered to
//! which sink, which files failed. A restart consults it so nothing is sent twice or skipped.
//!
//! Delivery order is *deliver, then mark*: a crash in between re-sends on restart, and the
//! sinks are idempotent by campaign key (sqlite upsert, webhook `Idempotency-Key`).

use super::db;
use super::error::{FeedError, FeedResult};
use super::model::Campaign;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub struct State {
    conn: Connection,
    name: String,
}

/// What the store remembers of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    pub sha256: String,
    pub failed: bool,
    pub documents: Vec<DocEntry>,
}

/// A campaign produced from a file version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry {
    pub key: String,
    pub doc_number: Option<String>,
    pub index: usize,
}

impl State {
    /// Open (or create) a state store in a feed database file.
    pub fn open(path: &Path) -> FeedResult<State> {
        Ok(State {
            conn: db::open(path)?,
            name: path.display().to_string(),
        })
    }

    /// A state store that lives for this process only.
    pub fn in_memory() -> FeedResult<State> {
        Ok(State {
            conn: db::open_in_memory()?,
            name: ":memory:".into(),
        })
    }

    fn err(&self, e: rusqlite::Error) -> FeedError {
        FeedError::sqlite(&self.name, e)
    }

    pub fn file(&self, path: &str) -> FeedResult<Option<FileState>> {
        let row = self
            .conn
            .query_row(
                "SELECT sha256, status, documents FROM feed_files WHERE path = ?1",
                [path],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(row.map(|(sha256, status, docs)| FileState {
            sha256,
            failed: status == "failed",
            // A row we cannot read back is treated as "no documents": the file is re-fed.
            documents: serde_json::from_str(&docs).unwrap_or_default(),
        }))
    }

    /// The file was extracted and all its campaigns handed to the sink.
    pub fn record_file(&self, path: &str, sha256: &str, docs: &[DocEntry]) -> FeedResult<()> {
        let docs = serde_json::to_string(docs).map_err(|e| FeedError::Encode {
            key: path.into(),
            reason: e.to_string(),
        })?;
        self.conn
            .execute(
                "INSERT INTO feed_files (path, sha256, status, error, documents)
                 VALUES (?1, ?2, 'ok', NULL, ?3)
                 ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, status = 'ok',
                   error = NULL, documents = excluded.documents,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
                params![path, sha256, docs],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The file (this content) failed to extract: remember it until the content changes.
    pub fn record_failure(&self, path: &str, sha256: &str, error: &str) -> FeedResult<()> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT INTO feed_files (path, sha256, status, error) VALUES (?1, ?2, 'failed', ?3)
             ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, status = 'failed',
               error = excluded.error, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
            params![path, sha256, error],
        )
        .and_then(|_| {
            tx.execute(
                "INSERT OR REPLACE INTO failures (path, sha256, error) VALUES (?1, ?2, ?3)",
                params![path, sha256, error],
            )
        })
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Has this campaign been handed to this sink (delivered or dead-lettered)?
    pub fn delivered(&self, sink: &str, key: &str) -> FeedResult<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM feed_deliveries WHERE sink = ?1 AND key = ?2",
                [sink, key],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    /// Was this campaign parked in the dead-letter folder (not yet delivered)?
    pub fn dead_lettered(&self, sink: &str, key: &str) -> FeedResult<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM feed_deliveries WHERE sink = ?1 AND key = ?2
                   AND outcome = 'dead_letter'",
                [sink, key],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    pub fn mark_delivered(&self, sink: &str, c: &Campaign, outcome: &str) -> FeedResult<()> {
        let relays: Vec<&str> = c
            .relays
            .iter()
            .filter_map(|l| l.doc_number.as_deref())
            .collect();
        let relays = serde_json::to_string(&relays).map_err(|e| FeedError::Encode {
            key: c.key.clone(),
            reason: e.to_string(),
        })?;
        self.conn
            .execute(
                "INSERT INTO feed_deliveries (sink, key, doc_number, sha256, path, outcome, relays)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(sink, key) DO UPDATE SET outcome = excluded.outcome,
                   delivered_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
                params![
                    sink,
                    c.key,
                    c.doc_number,
                    c.source.sha256,
                    c.source.path,
                    outcome,
                    relays
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The latest campaign key delivered to `sink` for a doc number.
    pub fn key_for_doc_number(&self, sink: &str, doc_number: &str) -> FeedResult<Option<String>> {
        self.conn
            .query_row(
                "SELECT key FROM feed_deliveries WHERE sink = ?1 AND doc_number = ?2
                 ORDER BY delivered_at DESC LIMIT 1",
                [sink, doc_number],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Campaigns delivered to `sink` that relay `doc_number`: `(relay doc number, key)`.
    pub fn relays_of(
        &self,
        sink: &str,
        doc_number: &str,
    ) -> FeedResult<Vec<(Option<String>, String)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.doc_number, d.key FROM feed_deliveries d, json_each(d.relays) r
                 WHERE d.sink = ?1 AND r.value = ?2 ORDER BY d.delivered_at",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([sink, doc_number], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_then_success_of_the_same_path() {
        let s = State::in_memory().unwrap();
        s.record_failure("a.txt", "aaa", "empty file").unwrap();
        let f = s.file("a.txt").unwrap().unwrap();
        assert!(f.failed && f.sha256 == "aaa");
        let docs = vec![DocEntry {
            key: "k".into(),
            doc_number: None,
            index: 0,
        }];
        s.record_file("a.txt", "bbb", &docs).unwrap();
        let f = s.file("a.txt").unwrap().unwrap();
        assert!(!f.failed);
        assert_eq!(f.documents, docs);
    }
}
