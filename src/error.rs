//! Errors that name the input and say what is wrong with it, in one line.

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The input was read but is not something we can extract from.
    #[error("{path}: {reason}")]
    Input { path: String, reason: String },
    /// A grammar file is invalid (a bug in `grammars/`, caught by the tests).
    #[error("grammars/{file}: {reason}")]
    Grammar { file: String, reason: String },
}

impl Error {
    pub fn io(path: &str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }
    pub fn input(path: &str, reason: impl fmt::Display) -> Self {
        Error::Input {
            path: path.to_string(),
            reason: reason.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
