//! coopsim: a scenario simulation and scoring engine for international
//! cooperation.
//!
//! Data flows one way: files → [`input`] (format types, diagnostics,
//! validation) → [`model`] (checked types) → [`sim`] (keyed random streams,
//! the kernel, the runner) → [`stats`] (mergeable aggregates) → [`result`]
//! → [`output`] (JSON, CSV, tables). [`scoring`] holds the proper scores
//! (CRPS, Brier, intervals, log score, PIT) as pure functions that
//! [`analysis`] uses to backtest and calibrate a model against observed
//! history. Work splits across machines through
//! [`shard`] (shards, pieces, the checks that parts belong together) and
//! [`jobs`] (the jobs that shard and the merge of their parts). The command
//! line is the `coopsim` binary (`src/main.rs`, `src/cli/`), thin glue over
//! this library; tests and benches drive the same functions.
//!
//! # What is stable
//!
//! These surfaces are the contract and change only with a changelog entry
//! (and, for a file, a new `format` or `kernel` number): the command line's
//! commands, flags and exit codes; the model, scenario, observation and
//! part file formats; and every machine-readable output (the result JSON,
//! the CSV files, the JSON of compare, score, sweep, sensitivity, explain,
//! backtest, calibrate and bench), each of which carries its `format`
//! number. `docs/spec.md`, `docs/scenarios.md`, `docs/analysis.md` and
//! `docs/backtest.md` describe them.
//!
//! The Rust API of this library is **not** stable yet: it exists so that
//! the binary, the tests and the benches share one implementation, and
//! items may move or change between any two versions. Pin an exact version
//! if you build on it.

pub mod analysis;
pub mod bench;
pub mod builtin;
pub mod chart;
pub mod error;
pub mod input;
pub mod jobs;
pub mod model;
pub mod output;
pub mod report;
pub mod result;
pub mod scoring;
pub mod shard;
pub mod sim;
pub mod stats;

pub use error::Error;
pub use input::{LoadedModel, LoadedScenario};
pub use result::RunResult;

/// How many runs, with which seed, on how many threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOptions {
    pub runs: u64,
    pub seed: u64,
    /// 0 means every core.
    pub threads: usize,
}

impl RunOptions {
    /// The scenario's own runs and seed, on every core.
    pub fn from_scenario(loaded: &LoadedScenario) -> RunOptions {
        RunOptions {
            runs: loaded.scenario.runs,
            seed: loaded.scenario.seed,
            threads: 0,
        }
    }
}

/// Runs a scenario and summarises it; `progress` hears of finished runs.
pub fn run(
    loaded: &LoadedScenario,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> RunResult {
    RunResult::new(loaded, options.seed, &aggregate(loaded, options, progress))
}

/// Runs a scenario into its aggregate, for figures beyond the result's
/// (tail means, merging with other parts).
pub fn aggregate(
    loaded: &LoadedScenario,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> stats::Aggregate {
    aggregate_range(loaded, options, 0..options.runs, progress)
}

/// Runs the runs `runs` of a scenario (a shard's share) into an aggregate.
pub(crate) fn aggregate_range(
    loaded: &LoadedScenario,
    options: RunOptions,
    runs: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> stats::Aggregate {
    let plan = sim::Plan::new(&loaded.scenario, options.seed);
    sim::run_range(&plan, runs, options.threads, progress)
}
