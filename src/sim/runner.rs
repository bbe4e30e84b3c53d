//! Many runs over threads, in fixed-size batches.
//!
//! Workers pull batches of [`BATCH_RUNS`] runs from a shared counter, each
//! with its own workspace and aggregate; the aggregates are merged at the
//! end. Because every run's numbers depend only on (seed, run, name) and
//! aggregates merge exactly, the result is identical for any thread count.

use super::kernel::{Workspace, simulate};
use super::plan::Plan;
use crate::stats::{Aggregate, Layout};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Runs per batch: the unit of work handed to a thread.
pub const BATCH_RUNS: u64 = 1024;

/// The aggregate layout of a plan's result.
pub fn layout(plan: &Plan) -> Layout {
    Layout {
        n_index_series: plan.n_index_series(),
        n_driver_series: plan.n_drivers,
        n_periods: plan.n_periods(),
        low: plan.thresholds.low,
        high: plan.thresholds.high,
    }
}

/// The number of threads to use when the user asks for 0 (all cores).
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `runs` of `plan` on `threads` threads (0: all cores), calling
/// `progress` with the number of runs finished after each batch.
pub fn run_range(
    plan: &Plan,
    runs: Range<u64>,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Aggregate {
    let threads = if threads == 0 {
        default_threads()
    } else {
        threads
    };
    let first = runs.start;
    let total = runs.end.saturating_sub(runs.start);
    let batches = total.div_ceil(BATCH_RUNS);
    let next = AtomicU64::new(0);
    let worker = || {
        let mut ws = Workspace::new(plan);
        let mut agg = Aggregate::new(layout(plan));
        let mut out = vec![0.0; plan.n_series() * plan.n_periods()];
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            if b >= batches {
                break;
            }
            let start = first + b * BATCH_RUNS;
            let end = (start + BATCH_RUNS).min(runs.end);
            for run in start..end {
                simulate(plan, run, &mut ws, &mut out);
                agg.record(&out);
            }
            progress(end - start);
        }
        agg
    };
    let parts: Vec<Aggregate> = if threads == 1 {
        vec![worker()]
    } else {
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.broadcast(|_| worker()),
            // A pool that cannot start threads still gives the same result on one.
            Err(_) => vec![worker()],
        }
    };
    let mut parts = parts.into_iter();
    let mut total_agg = parts.next().unwrap_or_else(|| Aggregate::new(layout(plan)));
    for p in parts {
        total_agg.merge(&p);
    }
    total_agg
}

/// Runs `0..runs` of `plan`.
pub fn run_all(plan: &Plan, runs: u64, threads: usize) -> Aggregate {
    run_range(plan, 0..runs, threads, &|_| {})
}
