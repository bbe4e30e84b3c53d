//! Streaming, exactly mergeable statistics of many runs.
//!
//! - [`aggregate`]: the [`Aggregate`] of a set of runs (recording, merging,
//!   the reported figures) and its [`Layout`].
//! - [`data`]: its file form, [`AggregateData`], as part files carry it,
//!   with the check of a deserialised one.
//! - [`moments`]: the fixed-point sums, mean and standard deviation that
//!   the aggregate and the paired differences share.
//! - [`paired`]: [`Differences`] between two sets of runs that share their
//!   random numbers.
//!
//! Every accumulator merges by integer addition (or min/max), so results are
//! the same bytes whatever the thread count, batch order or shard split, and
//! memory depends on the number of series and periods, never on the run
//! count. This layer uses nothing else of the crate.

pub mod aggregate;
pub mod data;
pub mod moments;
pub mod paired;

pub use aggregate::{Aggregate, BINS, CellSummary, Layout, QUANTILES, exact_quantile};
pub use data::{AggregateData, DataError, Entry, Field, MAX_RUNS, Problem};
pub use moments::{Moments, Scales};
pub use paired::{Differences, PairedSummary};

/// Accumulators that merge exactly: merging in any order gives the same
/// value, so results do not depend on how runs were split among threads or
/// machines.
pub trait Merge {
    /// Adds what `other` has accumulated.
    fn merge(&mut self, other: &Self);
}
