//! From format types to checked domain types.
//!
//! Every rule of docs/spec.md's "Input errors" and "Settled readings" lives
//! here, one job a file: the checks every number, id and period goes
//! through (`checker`), distributions (`dist`), models (`model`), the
//! evidence paths (`supports`), a scenario's own tables (`scenario`), the
//! merge of its overrides into its model (`merge`), and observation files
//! against the model they observe (`observed`).
//!
//! Validation never stops at the first problem: it records each one with the
//! key path where it stands and carries on with a placeholder, so a user sees
//! every problem of a file at once.

mod checker;
mod dist;
mod merge;
mod model;
mod observed;
mod scenario;
mod supports;

pub use model::model;
pub use observed::observations;
pub use scenario::scenario;

/// The kernel versions this engine runs (docs/spec.md §4 and §12).
pub(crate) const KERNEL_VERSIONS: [i64; 2] = [1, 2];

/// The kernel versions as a phrase, for messages.
pub(crate) fn kernels_run() -> String {
    let list: Vec<String> = KERNEL_VERSIONS.iter().map(i64::to_string).collect();
    format!("this coopsim runs kernels {}", list.join(" and "))
}

/// The largest magnitude any number may have. Beyond it the logistic and the
/// drivers saturate long before, so a larger number is a typing error, and
/// the bound keeps every draw finite.
pub(crate) const MAX_MAGNITUDE: f64 = 1e6;

/// The most runs a scenario or the command line may ask for.
pub(crate) const MAX_RUNS: i64 = 1_000_000_000;

/// The longest horizon, in years.
pub(crate) const MAX_YEARS: i64 = 100;
