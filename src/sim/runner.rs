//! Many runs over threads, in fixed-size batches.
//!
//! Workers pull batches of `BATCH_RUNS` runs from a shared counter, each
//! with its own scratch space and accumulator; the accumulators are merged
//! at the end. Because every run's numbers depend only on (seed, run, name)
//! and accumulators merge exactly (integer sums, counts, min/max), the
//! result is identical for any thread count.

use super::kernel::{LANES, Lanes, Workspace, rows, simulate_lanes};
use super::plan::Plan;
use crate::stats::{Aggregate, Layout, Merge};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Runs per batch: the unit of work handed to a thread.
pub(crate) const BATCH_RUNS: u64 = 1024;

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

/// Folds `runs` into an accumulator on `threads` threads (0: all cores).
///
/// Each worker makes its scratch space and an empty accumulator with
/// `init`, calls `body` with each batch of runs it takes (at most
/// `BATCH_RUNS`, starting at `runs.start` plus a multiple of it), and the
/// workers' accumulators are merged. `progress` hears the number of runs
/// finished after each batch. The result does not depend on `threads`
/// provided `body` writes only what `run` determines and `A` merges exactly.
pub(crate) fn fold_runs<W, A: Merge + Send>(
    runs: Range<u64>,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    init: impl Fn() -> (W, A) + Sync,
    body: impl Fn(Range<u64>, &mut W, &mut A) + Sync,
) -> A {
    let threads = if threads == 0 {
        default_threads()
    } else {
        threads
    };
    let total = runs.end.saturating_sub(runs.start);
    let batches = total.div_ceil(BATCH_RUNS);
    let next = AtomicU64::new(0);
    let worker = || {
        let (mut scratch, mut acc) = init();
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            if b >= batches {
                break;
            }
            let start = runs.start + b * BATCH_RUNS;
            let end = (start + BATCH_RUNS).min(runs.end);
            body(start..end, &mut scratch, &mut acc);
            progress(end - start);
        }
        acc
    };
    let parts: Vec<A> = if threads == 1 {
        vec![worker()]
    } else {
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.broadcast(|_| worker()),
            // A pool that cannot start threads still gives the same result on one.
            Err(_) => vec![worker()],
        }
    };
    let mut parts = parts.into_iter();
    let mut total_acc = parts.next().unwrap_or_else(|| init().1);
    for p in parts {
        total_acc.merge(&p);
    }
    total_acc
}

/// Runs `runs` of `plan` on `threads` threads (0: all cores) into an
/// aggregate, calling `progress` with the number of runs finished after
/// each batch.
pub fn run_range(
    plan: &Plan,
    runs: Range<u64>,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Aggregate {
    let cells = plan.n_series() * plan.n_periods();
    // A run gives the same numbers in a lane or alone, so full groups of
    // lanes go through the lanes and the rest of a batch one lane at a
    // time. GROUP runs are written side by side, each cell's values in a
    // row, and recorded together, cell by cell.
    const GROUP: usize = 8 * LANES;
    fold_runs(
        runs,
        threads,
        progress,
        || {
            let scratch = (
                Lanes::<LANES>::new(plan),
                Workspace::new(plan),
                rows(cells * GROUP),
            );
            (scratch, Aggregate::new(layout(plan)))
        },
        |batch, (lanes, single, out), agg| {
            let mut run = batch.start;
            while run < batch.end {
                let n = (batch.end - run).min(GROUP as u64) as usize;
                let mut done = 0;
                while n - done >= LANES {
                    simulate_lanes(plan, run + done as u64, lanes, &mut out[done..], GROUP);
                    done += LANES;
                }
                while done < n {
                    simulate_lanes(plan, run + done as u64, single, &mut out[done..], GROUP);
                    done += 1;
                }
                agg.record_batch(out, GROUP, n);
                run += n as u64;
            }
        },
    )
}

/// Runs `0..runs` of `plan`.
pub fn run_all(plan: &Plan, runs: u64, threads: usize) -> Aggregate {
    run_range(plan, 0..runs, threads, &|_| {})
}
