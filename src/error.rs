//! The library's error type. Every failure a user can cause is an input
//! error (exit code 2); the rest are failures to write (exit code 1).

use crate::input::diagnostics::Diagnostics;
use std::path::PathBuf;

/// What can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in model or scenario files, located in them.
    #[error("{0}")]
    Input(#[from] Diagnostics),
    /// An input file that could not be read.
    #[error("error: {path}: cannot read: {message}")]
    Unreadable { path: String, message: String },
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
