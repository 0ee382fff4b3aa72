//! The feed's SQLite database: one versioned schema (PRAGMA user_version, via
//! rusqlite_migration) shared by the sqlite sink and the state store, so that one file can
//! be both. Migrations are append-only: never edit one that has shipped, add the next.

use super::error::{FeedError, FeedResult};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use std::path::Path;

const MIGRATIONS: &[&str] = &[
    // 1: campaigns and their parts (the sqlite sink), and the state store.
    r#"
CREATE TABLE campaigns (
    key           TEXT PRIMARY KEY,           -- DOC_NUMBER|SHA256, or SHA256#INDEX
    doc_number    TEXT,
    sha256        TEXT NOT NULL,
    doc_index     INTEGER NOT NULL,
    source_path   TEXT NOT NULL,
    role          TEXT NOT NULL,              -- primary | relayed
    title         TEXT,
    doc_type      TEXT,
    issuer        TEXT,
    addressees    TEXT NOT NULL,              -- JSON array
    issue_date    TEXT,
    disclosure    TEXT,
    no_tasks      INTEGER NOT NULL,
    relayed_by    TEXT NOT NULL DEFAULT '[]', -- JSON [{doc_number, campaign}] of relays (links)
    supersedes    TEXT,
    superseded_by TEXT,
    warnings      TEXT NOT NULL,              -- JSON array
    campaign_json TEXT NOT NULL,              -- the whole campaign as delivered
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    UNIQUE (sha256, doc_index)
);
CREATE INDEX campaigns_doc_number ON campaigns(doc_number);
CREATE INDEX campaigns_source_path ON campaigns(source_path);
CREATE TABLE tasks (
    campaign_key TEXT NOT NULL REFERENCES campaigns(key) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    task_id      TEXT NOT NULL,               -- outline path, e.g. 二.（三）
    title        TEXT NOT NULL,
    category     TEXT,
    targets      TEXT NOT NULL,               -- JSON array
    period_start TEXT,
    period_end   TEXT,
    span_start   INTEGER NOT NULL,
    span_end     INTEGER NOT NULL,
    PRIMARY KEY (campaign_key, position)
);
CREATE TABLE milestones (
    campaign_key  TEXT NOT NULL REFERENCES campaigns(key) ON DELETE CASCADE,
    task_position INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    date          TEXT,
    raw           TEXT NOT NULL,
    action        TEXT,
    deliverables  TEXT NOT NULL,              -- JSON array
    annexes       TEXT NOT NULL,              -- JSON array of {index, title}
    PRIMARY KEY (campaign_key, task_position, position)
);
CREATE TABLE contacts (
    campaign_key TEXT NOT NULL REFERENCES campaigns(key) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT,
    org          TEXT,
    phones       TEXT NOT NULL,               -- JSON array
    fax          TEXT NOT NULL,               -- JSON array
    emails       TEXT NOT NULL,               -- JSON array
    PRIMARY KEY (campaign_key, position)
);
CREATE TABLE links (
    relay_key           TEXT NOT NULL REFERENCES campaigns(key) ON DELETE CASCADE,
    relay_doc_number    TEXT,
    original_doc_number TEXT NOT NULL,
    PRIMARY KEY (relay_key, original_doc_number)
);
CREATE INDEX links_original ON links(original_doc_number);

CREATE TABLE feed_files (
    path       TEXT PRIMARY KEY,
    sha256     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error      TEXT,
    documents  TEXT NOT NULL DEFAULT '[]',    -- JSON array of {key, doc_number, index}
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE TABLE feed_deliveries (
    sink         TEXT NOT NULL,
    key          TEXT NOT NULL,
    doc_number   TEXT,
    sha256       TEXT NOT NULL,
    path         TEXT NOT NULL,
    outcome      TEXT NOT NULL,               -- new | updated | unchanged | dead_letter
    relays       TEXT NOT NULL DEFAULT '[]',  -- JSON array of doc numbers it relays
    delivered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (sink, key)
);
CREATE INDEX feed_deliveries_doc_number ON feed_deliveries(doc_number);
CREATE TABLE failures (
    path   TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    error  TEXT NOT NULL,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (path, sha256)
);
"#,
];

/// The migrations, in order (user_version N = the first N applied).
pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Open (creating if needed) a feed database and bring its schema up to date. WAL mode:
/// a committed transaction survives `kill -9`; an uncommitted one leaves no trace.
pub fn open(path: &Path) -> FeedResult<Connection> {
    let name = path.display().to_string();
    let mut conn = Connection::open(path).map_err(|e| FeedError::sqlite(&name, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| FeedError::sqlite(&name, e))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .and_then(|_| conn.pragma_update(None, "synchronous", "NORMAL"))
        .and_then(|_| conn.pragma_update(None, "foreign_keys", "ON"))
        .map_err(|e| FeedError::sqlite(&name, e))?;
    migrations()
        .to_latest(&mut conn)
        .map_err(|source| FeedError::Migration { path: name, source })?;
    Ok(conn)
}

/// An in-memory database with the same schema (a one-off feed without a state file).
pub fn open_in_memory() -> FeedResult<Connection> {
    let mut conn = Connection::open_in_memory().map_err(|e| FeedError::sqlite(":memory:", e))?;
    migrations()
        .to_latest(&mut conn)
        .map_err(|source| FeedError::Migration {
            path: ":memory:".into(),
            source,
        })?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
