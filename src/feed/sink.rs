//! Where campaigns go: the [`Sink`] trait and the `--sink` spec (`jsonl`, `jsonl:PATH`,
//! `sqlite:PATH`, `webhook:URL`).

use super::error::{FeedError, FeedResult};
use super::model::Campaign;
use super::{sink_jsonl, sink_sqlite, sink_webhook};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// What became of one campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The sink did not have it.
    New,
    /// The sink had this key with other content, and now has this one.
    Updated,
    /// The sink already had exactly this (a re-send after a crash, a duplicate).
    Unchanged,
    /// Could not be delivered within the retry budget: parked in this dead-letter file.
    DeadLettered(PathBuf),
}

impl Delivery {
    /// The word the state store and the logs use.
    pub fn as_str(&self) -> &'static str {
        match self {
            Delivery::New => "new",
            Delivery::Updated => "updated",
            Delivery::Unchanged => "unchanged",
            Delivery::DeadLettered(_) => "dead_letter",
        }
    }
}

/// A task system that receives campaigns. `deliver` must be idempotent by
/// [`Campaign::key`]: the feed re-sends after a crash between delivery and bookkeeping.
pub trait Sink {
    /// Identifies the destination in the state store (`sqlite:/abs/db`, `webhook:URL`…).
    fn id(&self) -> String;
    fn deliver(&mut self, campaign: &Campaign) -> FeedResult<Delivery>;
    /// Re-send what an earlier run parked in the dead-letter folder; returns the campaigns
    /// now delivered (the others stay parked). Sinks without dead letters have none.
    fn retry_dead_letters(&mut self) -> FeedResult<Vec<Campaign>> {
        Ok(Vec::new())
    }
    /// The sink's own database when it can double as the state store.
    fn state_path(&self) -> Option<PathBuf> {
        None
    }
}

/// A parsed `--sink` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkSpec {
    /// JSON Lines on standard output (`None`) or appended to a file.
    Jsonl(Option<PathBuf>),
    Sqlite(PathBuf),
    Webhook(String),
}

impl FromStr for SinkSpec {
    type Err = FeedError;
    fn from_str(s: &str) -> FeedResult<SinkSpec> {
        let bad = |reason: &str| FeedError::SinkSpec {
            spec: s.into(),
            reason: reason.into(),
        };
        let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
        match kind {
            "jsonl" if rest.is_empty() || rest == "-" => Ok(SinkSpec::Jsonl(None)),
            "jsonl" => Ok(SinkSpec::Jsonl(Some(rest.into()))),
            "sqlite" if rest.is_empty() => Err(bad("give a database path: sqlite:PATH")),
            "sqlite" => Ok(SinkSpec::Sqlite(rest.into())),
            "webhook" if rest.starts_with("http://") || rest.starts_with("https://") => {
                Ok(SinkSpec::Webhook(rest.into()))
            }
            "webhook" => Err(bad("give an http(s) URL: webhook:https://host/path")),
            _ => Err(bad(
                "unknown sink; use jsonl, jsonl:PATH, sqlite:PATH or webhook:URL",
            )),
        }
    }
}

/// Delivery policy of the webhook sink.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per campaign before it is dead-lettered (at least 1).
    pub attempts: u32,
    /// First backoff; doubles each attempt, with jitter, up to `max_backoff`.
    pub base: Duration,
    pub max_backoff: Duration,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Where undeliverable campaigns are parked; without it they stop the feed instead.
    pub dead_letter: Option<PathBuf>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            dead_letter: None,
        }
    }
}

/// Open the sink a spec names.
pub fn open(spec: &SinkSpec, retry: &RetryPolicy) -> FeedResult<Box<dyn Sink>> {
    Ok(match spec {
        SinkSpec::Jsonl(path) => Box::new(sink_jsonl::JsonlSink::open(path.as_deref())?),
        SinkSpec::Sqlite(path) => Box::new(sink_sqlite::SqliteSink::open(path)?),
        SinkSpec::Webhook(url) => Box::new(sink_webhook::WebhookSink::new(url, retry.clone())?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sink_specs() {
        assert_eq!("jsonl".parse::<SinkSpec>().unwrap(), SinkSpec::Jsonl(None));
        assert_eq!(
            "jsonl:out.jsonl".parse::<SinkSpec>().unwrap(),
            SinkSpec::Jsonl(Some("out.jsonl".into()))
        );
        assert_eq!(
            "sqlite:feed.db".parse::<SinkSpec>().unwrap(),
            SinkSpec::Sqlite("feed.db".into())
        );
        assert_eq!(
            "webhook:http://127.0.0.1:9/x".parse::<SinkSpec>().unwrap(),
            SinkSpec::Webhook("http://127.0.0.1:9/x".into())
        );
        for bad in ["sqlite", "webhook:ftp://x", "kafka:topic"] {
            let e = bad.parse::<SinkSpec>().unwrap_err().to_string();
            assert!(e.contains(bad), "{e}");
        }
    }
}
