//! The library's error type. Every failure a user can cause is an input
//! error (exit code 2); the rest are failures to write (exit code 1).

use crate::input::LoadError;
use std::path::PathBuf;

/// What can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model, scenario or variation that was not loaded.
    #[error("{0}")]
    Load(#[from] LoadError),
    /// A bad combination of command-line values.
    #[error("error: {0}")]
    Usage(String),
    /// Output that could not be written.
    #[error("error: cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// True for errors in what the user gave (exit code 2).
    pub fn is_input(&self) -> bool {
        !matches!(self, Error::Write { .. })
    }
}
