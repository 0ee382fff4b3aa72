//! `sqlite:PATH`: campaigns, tasks, milestones, contacts and relay links in an embedded
//! SQLite database (schema in [`super::db`]). Each campaign is one transaction, so a
//! `kill -9` leaves either the whole campaign or none of it; an upsert keyed by
//! [`Campaign::key`] makes a re-send harmless.

use super::db;
use super::error::{FeedError, FeedResult};
use super::model::Campaign;
use super::sink::{Delivery, Sink};
use crate::spec::Role;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::{Path, PathBuf};

pub struct SqliteSink {
    conn: Connection,
    path: PathBuf,
}

impl SqliteSink {
    pub fn open(path: &Path) -> FeedResult<SqliteSink> {
        Ok(SqliteSink {
            conn: db::open(path)?,
            path: path.to_path_buf(),
        })
    }
}

fn json<T: serde::Serialize>(key: &str, v: &T) -> FeedResult<String> {
    serde_json::to_string(v).map_err(|e| FeedError::Encode {
        key: key.into(),
        reason: e.to_string(),
    })
}

impl Sink for SqliteSink {
    fn id(&self) -> String {
        format!("sqlite:{}", super::absolute(&self.path).display())
    }

    fn state_path(&self) -> Option<PathBuf> {
        Some(self.path.clone())
    }

    fn deliver(&mut self, c: &Campaign) -> FeedResult<Delivery> {
        let body = json(&c.key, c)?;
        let name = self.path.display().to_string();
        let err = |e| FeedError::sqlite(&name, e);
        let tx = self.conn.transaction().map_err(err)?;
        let before: Option<String> = tx
            .query_row(
                "SELECT campaign_json FROM campaigns WHERE key = ?1",
                [&c.key],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        let delivery = match before {
            Some(b) if b == body => return Ok(Delivery::Unchanged),
            Some(_) => Delivery::Updated,
            None => Delivery::New,
        };
        write_campaign(&tx, c, &body).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(delivery)
    }
}

/// The whole campaign, inside the caller's transaction.
fn write_campaign(tx: &Transaction, c: &Campaign, body: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO campaigns (key, doc_number, sha256, doc_index, source_path, role, title,
           doc_type, issuer, addressees, issue_date, disclosure, no_tasks, supersedes, warnings,
           campaign_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         ON CONFLICT(key) DO UPDATE SET doc_number = excluded.doc_number,
           source_path = excluded.source_path, role = excluded.role, title = excluded.title,
           doc_type = excluded.doc_type, issuer = excluded.issuer,
           addressees = excluded.addressees, issue_date = excluded.issue_date,
           disclosure = excluded.disclosure, no_tasks = excluded.no_tasks,
           supersedes = excluded.supersedes, warnings = excluded.warnings,
           campaign_json = excluded.campaign_json,
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
        params![
            c.key,
            c.doc_number,
            c.source.sha256,
            c.source.document_index as i64,
            c.source.path,
            match c.role {
                Role::Primary => "primary",
                Role::Relayed => "relayed",
            },
            c.title,
            c.doc_type,
            c.issuer,
            enc(&c.addressees),
            c.issue_date,
            c.disclosure,
            c.no_tasks,
            c.supersedes,
            enc(&c.warnings),
            body,
        ],
    )?;
    for table in ["tasks", "milestones", "contacts", "links"] {
        let col = if table == "links" {
            "relay_key"
        } else {
            "campaign_key"
        };
        tx.execute(&format!("DELETE FROM {table} WHERE {col} = ?1"), [&c.key])?;
    }
    for (ti, t) in c.tasks.iter().enumerate() {
        tx.execute(
            "INSERT INTO tasks (campaign_key, position, task_id, title, category, targets,
               period_start, period_end, span_start, span_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                c.key,
                ti as i64,
                t.id,
                t.title,
                t.category,
                enc(&t.targets),
                t.period.as_ref().and_then(|p| p.start.clone()),
                t.period.as_ref().and_then(|p| p.end.clone()),
                t.span.start() as i64,
                t.span.end() as i64,
            ],
        )?;
        for (mi, m) in t.milestones.iter().enumerate() {
            tx.execute(
                "INSERT INTO milestones (campaign_key, task_position, position, date, raw, action,
                   deliverables, annexes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    c.key,
                    ti as i64,
                    mi as i64,
                    m.date,
                    m.raw,
                    m.action,
                    enc(&m.deliverables),
                    enc(&m.annexes),
                ],
            )?;
        }
    }
    for (pi, p) in c.contacts.iter().enumerate() {
        tx.execute(
            "INSERT INTO contacts (campaign_key, position, name, org, phones, fax, emails)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.key,
                pi as i64,
                p.name,
                p.org,
                enc(&p.phones),
                enc(&p.fax),
                enc(&p.emails),
            ],
        )?;
    }
    for original in c.relays.iter().filter_map(|l| l.doc_number.as_deref()) {
        tx.execute(
            "INSERT OR IGNORE INTO links (relay_key, relay_doc_number, original_doc_number)
             VALUES (?1, ?2, ?3)",
            params![c.key, c.doc_number, original],
        )?;
        // The original may have been fed before, from another file: it gets the link now.
        refresh_relayed_by(tx, original)?;
    }
    if let Some(n) = &c.doc_number {
        // ... or it is the original, and a relay fed before already points at it.
        refresh_relayed_by(tx, n)?;
    }
    if let Some(old) = &c.supersedes {
        tx.execute(
            "UPDATE campaigns SET superseded_by = ?1 WHERE key = ?2 AND key <> ?1",
            params![c.key, old],
        )?;
    }
    Ok(())
}

/// `campaigns.relayed_by` of every campaign of `doc_number`: the relays in `links` that
/// forward it, as `[{"doc_number", "campaign"}]` (a relay may have no doc number).
fn refresh_relayed_by(tx: &Transaction, doc_number: &str) -> rusqlite::Result<usize> {
    tx.execute(
        "UPDATE campaigns SET relayed_by = (
           SELECT json_group_array(json_object('doc_number', relay_doc_number,
                                               'campaign', relay_key))
           FROM (SELECT relay_doc_number, relay_key FROM links
                 WHERE original_doc_number = ?1 ORDER BY relay_key))
         WHERE doc_number = ?1",
        [doc_number],
    )
}

/// JSON text of plain data for a TEXT column (serializing strings and numbers cannot fail).
fn enc<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTICE: &str = "关于开展检查的通知\n\n各区局：\n\n一、工作安排\n\n（一）自查。请于9月10日前报送自查报告（附件1）。\n\n联系人：张三，电话：0591-87530956\n\n附件：1.自查情况表\n\n某某局\n2024年8月1日\n";

    fn rows(conn: &Connection, table: &str) -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_campaign_is_upserted_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = SqliteSink::open(&dir.path().join("c.db")).unwrap();
        let out = crate::extract_text("n.txt", NOTICE);
        let mut c = super::super::model::campaigns(&out).remove(0);
        assert_eq!(sink.deliver(&c).unwrap(), Delivery::New);
        let parts = ["tasks", "milestones", "contacts"].map(|t| rows(&sink.conn, t));
        assert!(parts.iter().all(|&n| n > 0), "{parts:?}");
        assert_eq!(sink.deliver(&c).unwrap(), Delivery::Unchanged);
        c.title = Some("关于开展检查的补充通知".into());
        assert_eq!(sink.deliver(&c).unwrap(), Delivery::Updated);
        assert_eq!(rows(&sink.conn, "campaigns"), 1);
        assert_eq!(
            ["tasks", "milestones", "contacts"].map(|t| rows(&sink.conn, t)),
            parts,
            "the parts are replaced, not added"
        );
    }
}
