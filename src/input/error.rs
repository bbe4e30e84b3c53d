//! The input layer's own error: what can go wrong reading, parsing and
//! checking models, scenarios and variations of them. Every case is the
//! user's input (exit code 2).

use super::diagnostics::{Diagnostics, did_you_mean};
use crate::model::{ParamPath, PathError};

/// Why a model, a scenario or a variation of one was not loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Problems in model or scenario files, each located in its file.
    #[error("{0}")]
    Located(#[from] Diagnostics),
    /// A file or folder that could not be read.
    #[error("{path}: cannot read: {source}{}", unreadable_hint(.path, .source))]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A `--set` path that names no number of a scenario.
    #[error(
        "cannot set {text}: {}\n  hint: a path is one of {}",
        describe(.error),
        ParamPath::forms()
    )]
    Path { text: String, error: PathError },
    /// Values that break a rule of the files, with the settings that made them.
    #[error("with {}: {}", .settings.join(", "), .problems.join("; "))]
    Rejected {
        /// `path=value` of each setting.
        settings: Vec<String>,
        /// `key.path: what is wrong (hint)` of each problem.
        problems: Vec<String>,
    },
}

impl LoadError {
    /// An unreadable `path`.
    pub fn unreadable(path: &std::path::Path, source: std::io::Error) -> LoadError {
        LoadError::Unreadable {
            path: path.display().to_string(),
            source,
        }
    }
}

/// What to give instead of a path that could not be read: a missing file
/// or a folder where a file was expected.
fn unreadable_hint(path: &str, source: &std::io::Error) -> String {
    match source.kind() {
        std::io::ErrorKind::NotFound => format!(
            "\n  hint: no file {path} here; give the path of a .toml file, relative to the \
             current folder (such as scenarios/baseline.toml)"
        ),
        std::io::ErrorKind::IsADirectory => format!(
            "\n  hint: {path} is a folder; give a .toml file in it (such as {}/baseline.toml), \
             or several with {}/*.toml",
            path.trim_end_matches('/'),
            path.trim_end_matches('/')
        ),
        _ => String::new(),
    }
}

/// What is wrong with a path, with the near miss when there is one.
fn describe(error: &PathError) -> String {
    let near = error
        .near_miss()
        .and_then(|(found, known)| did_you_mean(found, known.iter().copied()))
        .map(|d| format!("; {d}"))
        .unwrap_or_default();
    format!("{}{near}", error.message())
}
