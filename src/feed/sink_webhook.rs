//! `webhook:URL`: an HTTP POST of each campaign as JSON (ureq, TLS by rustls).
//!
//! Every request carries `Idempotency-Key` ([`Campaign::idempotency_key`]): a receiver that
//! keeps the keys it has seen gets each campaign exactly once, however often a timeout made
//! us re-send. Failures (transport errors, 408, 429, 5xx) are retried with exponential
//! backoff and jitter; after the last attempt, or at once for another 4xx, the campaign is
//! parked in the dead-letter folder, which a later run re-sends first.

use super::error::{FeedError, FeedResult};
use super::model::Campaign;
use super::sink::{Delivery, RetryPolicy, Sink};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct WebhookSink {
    url: String,
    agent: ureq::Agent,
    policy: RetryPolicy,
}

/// A campaign that could not be delivered, as stored in the dead-letter folder.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeadLetter {
    pub url: String,
    pub idempotency_key: String,
    pub attempts: u32,
    pub error: String,
    pub campaign: Campaign,
}

/// Why a campaign could not be delivered.
struct Failure {
    why: String,
    attempts: u32,
    /// The receiver answered with a 4xx that retrying will not change.
    refused: bool,
}

enum Attempt {
    Done(Delivery),
    /// Worth another try (transport error, 408, 429, 5xx).
    Retry(String),
    /// The receiver refuses this campaign (another 4xx): retrying will not help.
    Refused(String),
}

impl WebhookSink {
    pub fn new(url: &str, policy: RetryPolicy) -> FeedResult<WebhookSink> {
        if let Some(dir) = &policy.dead_letter {
            std::fs::create_dir_all(dir).map_err(|e| FeedError::io(dir.display(), e))?;
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(policy.timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(WebhookSink {
            url: url.into(),
            agent,
            policy,
        })
    }

    fn post(&self, c: &Campaign, body: &str) -> Attempt {
        let sent = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", c.idempotency_key())
            .send(body);
        match sent {
            Ok(resp) => match resp.status().as_u16() {
                200..=299 => Attempt::Done(Delivery::New),
                // The receiver already has this key.
                409 => Attempt::Done(Delivery::Unchanged),
                s @ (408 | 429 | 500..=599) => Attempt::Retry(format!("HTTP {s}")),
                s => Attempt::Refused(format!("HTTP {s}")),
            },
            Err(e) => Attempt::Retry(e.to_string()),
        }
    }

    /// Up to `policy.attempts` tries; when they are used up (or the receiver refuses),
    /// the last failure.
    fn send(&self, c: &Campaign, body: &str) -> Result<Delivery, Failure> {
        let attempts = self.policy.attempts.max(1);
        let mut last = String::new();
        for n in 0..attempts {
            match self.post(c, body) {
                Attempt::Done(d) => return Ok(d),
                Attempt::Refused(why) => {
                    return Err(Failure {
                        why,
                        attempts: n + 1,
                        refused: true,
                    });
                }
                Attempt::Retry(why) => last = why,
            }
            if n + 1 < attempts {
                std::thread::sleep(backoff(&self.policy, n));
            }
        }
        Err(Failure {
            why: last,
            attempts,
            refused: false,
        })
    }

    fn park(&self, dir: &Path, c: &Campaign, why: String, attempts: u32) -> FeedResult<PathBuf> {
        let letter = DeadLetter {
            url: self.url.clone(),
            idempotency_key: c.idempotency_key(),
            attempts,
            error: why,
            campaign: c.clone(),
        };
        let text = serde_json::to_string_pretty(&letter).map_err(|e| FeedError::Encode {
            key: c.key.clone(),
            reason: e.to_string(),
        })?;
        let path = dir.join(format!("{}.json", letter.idempotency_key));
        // Write then rename: a crash never leaves a half-written letter under its name.
        let tmp = dir.join(format!(".{}.json.tmp", letter.idempotency_key));
        std::fs::write(&tmp, text)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| FeedError::io(path.display(), e))?;
        Ok(path)
    }
}

/// `base · 2^n`, capped, then "equal jitter": a uniform draw in `[d/2, d]`, so that many
/// senders retrying at once spread out.
fn backoff(p: &RetryPolicy, n: u32) -> Duration {
    let d = p
        .base
        .saturating_mul(1u32.checked_shl(n.min(20)).unwrap_or(u32::MAX))
        .min(p.max_backoff);
    let half = d / 2;
    half + half.mul_f64(fastrand::f64())
}

impl Sink for WebhookSink {
    fn id(&self) -> String {
        format!("webhook:{}", self.url)
    }

    fn deliver(&mut self, c: &Campaign) -> FeedResult<Delivery> {
        let body = serde_json::to_string(c).map_err(|e| FeedError::Encode {
            key: c.key.clone(),
            reason: e.to_string(),
        })?;
        match self.send(c, &body) {
            Ok(d) => Ok(d),
            Err(Failure { why, attempts, .. }) => match &self.policy.dead_letter {
                Some(dir) => Ok(Delivery::DeadLettered(self.park(dir, c, why, attempts)?)),
                None => Err(FeedError::Webhook {
                    url: self.url.clone(),
                    reason: format!(
                        "campaign {}: gave up after {attempts} attempts ({why}); \
                         give --dead-letter DIR to park it and go on",
                        c.key
                    ),
                }),
            },
        }
    }

    fn retry_dead_letters(&mut self) -> FeedResult<Vec<Campaign>> {
        let Some(dir) = self.policy.dead_letter.clone() else {
            return Ok(Vec::new());
        };
        let mut letters: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| FeedError::io(dir.display(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        letters.sort();
        let mut delivered = Vec::new();
        for path in letters {
            let text =
                std::fs::read_to_string(&path).map_err(|e| FeedError::io(path.display(), e))?;
            let letter: DeadLetter =
                serde_json::from_str(&text).map_err(|e| FeedError::Webhook {
                    url: self.url.clone(),
                    reason: format!("dead letter {}: {e}", path.display()),
                })?;
            let body = serde_json::to_string(&letter.campaign).map_err(|e| FeedError::Encode {
                key: letter.campaign.key.clone(),
                reason: e.to_string(),
            })?;
            match self.send(&letter.campaign, &body) {
                Ok(_) => {}
                // Refused again: this one stays parked, the others may go through.
                Err(f) if f.refused => continue,
                // Still unreachable: keep this and the rest parked, do not hammer it.
                Err(_) => break,
            }
            std::fs::remove_file(&path).map_err(|e| FeedError::io(path.display(), e))?;
            delivered.push(letter.campaign);
        }
        Ok(delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let p = RetryPolicy {
            base: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for n in 0..40 {
            let full = Duration::from_millis(100 * (1u64 << n.min(20))).min(p.max_backoff);
            let d = backoff(&p, n);
            assert!(d >= full / 2 && d <= full, "attempt {n}: {d:?} vs {full:?}");
        }
    }
}
