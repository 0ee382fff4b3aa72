//! Errors of the campaign feed: each names the file, database or URL and what went wrong.

/// What can stop a feed. An input that fails to *extract* is not one of these: it is
/// recorded as a failure (state store + stderr) and the feed goes on.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: sqlite: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: schema migration: {source}")]
    Migration {
        path: String,
        #[source]
        source: rusqlite_migration::Error,
    },
    #[error("{url}: {reason}")]
    Webhook { url: String, reason: String },
    #[error("sink `{spec}`: {reason}")]
    SinkSpec { spec: String, reason: String },
    #[error("{path}: {reason}")]
    Watch { path: String, reason: String },
    #[error("campaign {key}: {reason}")]
    Encode { key: String, reason: String },
}

impl FeedError {
    pub fn io(path: impl std::fmt::Display, source: std::io::Error) -> Self {
        FeedError::Io {
            path: path.to_string(),
            source,
        }
    }
    pub fn sqlite(path: impl std::fmt::Display, source: rusqlite::Error) -> Self {
        FeedError::Sqlite {
            path: path.to_string(),
            source,
        }
    }
}

pub type FeedResult<T> = std::result::Result<T, FeedError>;
