//! The library's errors, one enum per concern, gathered in [`Error`].
//!
//! Display strings carry no `error:` prefix: the one place that prints
//! errors (`cli::report`) adds it. Which error maps to which exit code is
//! in `cli::exit_code`.

use crate::input::LoadError;
use std::path::PathBuf;

pub use crate::shard::MergeError;

/// What can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model, scenario or variation that was not loaded.
    #[error("{0}")]
    Load(#[from] LoadError),
    /// Parts of a sharded job that cannot be merged (boxed: its messages
    /// name several parts, and an error should not widen every `Result`).
    #[error(transparent)]
    Merge(Box<MergeError>),
    /// Command-line or analysis arguments that do not fit together or fit
    /// the scenarios given (boxed like `Merge`).
    #[error(transparent)]
    Argument(Box<ArgumentError>),
    /// Output that could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing was stopped on request (Ctrl-C) before the file was whole;
    /// nothing was left behind.
    #[error("interrupted; {} was not written", path.display())]
    Interrupted { path: PathBuf },
}

impl From<MergeError> for Error {
    fn from(e: MergeError) -> Error {
        Error::Merge(Box::new(e))
    }
}

impl From<ArgumentError> for Error {
    fn from(e: ArgumentError) -> Error {
        Error::Argument(Box::new(e))
    }
}

impl Error {
    /// True for errors in what the user gave (exit code 2).
    pub fn is_input(&self) -> bool {
        match self {
            Error::Load(_) | Error::Merge(_) | Error::Argument(_) => true,
            Error::Write { .. } | Error::Interrupted { .. } => false,
        }
    }
}

/// Arguments of a command or an analysis that cannot be used: the
/// scenarios given do not fit together, or a value is outside what the
/// analysis can do.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ArgumentError {
    /// Scenarios compared period by period must share their periods.
    #[error(
        "scenario \"{scenario}\" runs {start} to {end}, but \"{first}\" runs {first_start} to {first_end}"
    )]
    Horizon {
        scenario: String,
        start: String,
        end: String,
        first: String,
        first_start: String,
        first_end: String,
    },
    /// Scenarios compared index by index must share their domains.
    #[error("scenarios \"{scenario}\" and \"{first}\" have different domains")]
    Domains { scenario: String, first: String },
    /// Compared scenarios are told apart by their names.
    #[error("two scenarios are named \"{name}\"; names tell compared scenarios apart")]
    SameName { name: String },
    /// `score` without a scenario.
    #[error("no scenario to score")]
    NoScenario,
    /// A sweep over too few or too many parameters.
    #[error("a sweep varies 1 to {max} parameters, given {given}")]
    Axes { given: usize, max: usize },
    /// A sweep over too many cells.
    #[error("{count} cells; a sweep runs at most {max}")]
    Cells { count: usize, max: usize },
    /// A `--set` that cannot be applied to the scenario; the message names
    /// the setting and what is wrong with it.
    #[error("{0}")]
    Setting(String),
    /// Attribution needs two scenarios on the same drivers and actors.
    #[error(
        "\"{scenario}\" and \"{base}\" have different drivers or actors; attribution needs the same model"
    )]
    OtherModel { scenario: String, base: String },
    /// Morris screening of a scenario without drawn parameters.
    #[error(
        "scenario \"{scenario}\" has no uncertain parameters to screen; write some as distributions"
    )]
    NothingUncertain { scenario: String },
    /// Morris screening with fewer than two trajectories.
    #[error("Morris screening needs at least 2 trajectories")]
    Trajectories,
    /// Sobol indices from fewer than two sample rows.
    #[error("Sobol indices need at least 2 samples")]
    Samples,
    /// `--shard` given to a method that does not split.
    #[error("--shard splits only --method sobol; tornado and morris run on one machine")]
    ShardMethod,
    /// A model id that names no file and no built-in model.
    #[error("model \"{reference}\" not found")]
    ModelNotFound { reference: String },
    /// Observations of one model scored against a scenario of another.
    #[error(
        "the observations are of model \"{observed}\", but the scenario runs model \"{model}\"\n  hint: backtest a scenario of model \"{observed}\""
    )]
    ObservedModel { observed: String, model: String },
    /// `--draws-runs` of none or of more runs than there are (`shard`:
    /// than a shard has).
    #[error(
        "--draws-runs {given} is not within 1 to {runs}, the runs of {}\n  hint: give --draws-runs from 1 to {runs}, or leave it out to write them all",
        if *shard { "this shard" } else { "the job" }
    )]
    DrawsRuns { given: u64, runs: u64, shard: bool },
    /// A `--draws` path that cannot name a new file.
    #[error("--draws {path}: {problem}\n  hint: {hint}")]
    DrawsPath {
        path: String,
        problem: String,
        hint: String,
    },
    /// A format the command's output does not come in.
    #[error("{command} does not print {format}\n  hint: use --format {supported}")]
    Format {
        command: &'static str,
        format: &'static str,
        supported: String,
    },
    /// `run --index` naming no index of the scenario's model.
    #[error("no index \"{name}\" in this scenario\n  hint: --index takes one of {known}")]
    UnknownIndex { name: String, known: String },
    /// `--out` into a folder that already holds a result of the command.
    #[error(
        "{dir} already holds {files}\n  hint: add --force to replace it, or give --out another folder"
    )]
    OutExists { dir: String, files: String },
}
