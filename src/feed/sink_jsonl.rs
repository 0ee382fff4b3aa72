//! `jsonl` / `jsonl:PATH`: one campaign per line, on standard output or appended to a file.

use super::error::{FeedError, FeedResult};
use super::model::Campaign;
use super::sink::{Delivery, Sink};
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct JsonlSink {
    out: Box<dyn Write>,
    path: Option<PathBuf>,
}

impl JsonlSink {
    pub fn open(path: Option<&Path>) -> FeedResult<JsonlSink> {
        let out: Box<dyn Write> = match path {
            None => Box::new(std::io::stdout()),
            Some(p) => Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|e| FeedError::io(p.display(), e))?,
            ),
        };
        Ok(JsonlSink {
            out,
            path: path.map(Path::to_path_buf),
        })
    }

    fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or("standard output".into(), |p| p.display().to_string())
    }
}

impl Sink for JsonlSink {
    fn id(&self) -> String {
        match &self.path {
            None => "jsonl:-".into(),
            Some(p) => format!("jsonl:{}", super::absolute(p).display()),
        }
    }

    fn deliver(&mut self, campaign: &Campaign) -> FeedResult<Delivery> {
        let mut line = serde_json::to_string(campaign).map_err(|e| FeedError::Encode {
            key: campaign.key.clone(),
            reason: e.to_string(),
        })?;
        line.push('\n');
        // One write per line, flushed: a reader never sees half a campaign unless we die
        // inside this write.
        self.out
            .write_all(line.as_bytes())
            .and_then(|_| self.out.flush())
            .map_err(|e| FeedError::io(self.name(), e))?;
        Ok(Delivery::New)
    }
}
