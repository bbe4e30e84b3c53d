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

/// Runs written side by side before they are read: full groups of lanes go
/// through the lanes and the rest of a batch one lane at a time (a run
/// gives the same numbers in a lane or alone).
const GROUP: usize = 8 * LANES;

/// A worker's scratch space for `simulate_group`.
struct GroupScratch {
    lanes: Lanes<LANES>,
    single: Workspace,
    out: super::kernel::Rows,
}

impl GroupScratch {
    fn new(plan: &Plan) -> GroupScratch {
        GroupScratch {
            lanes: Lanes::<LANES>::new(plan),
            single: Workspace::new(plan),
            out: rows(plan.n_series() * plan.n_periods() * GROUP),
        }
    }
}

/// Runs `first .. first + n` (n <= `GROUP`) of `plan` into `scratch.out`:
/// cell `c` (`t * n_series + s`) of the `l`-th run at `out[c * GROUP + l]`.
fn simulate_group(plan: &Plan, first: u64, n: usize, scratch: &mut GroupScratch) {
    let mut done = 0;
    while n - done >= LANES {
        let out = &mut scratch.out[done..];
        simulate_lanes(plan, first + done as u64, &mut scratch.lanes, out, GROUP);
        done += LANES;
    }
    while done < n {
        let out = &mut scratch.out[done..];
        simulate_lanes(plan, first + done as u64, &mut scratch.single, out, GROUP);
        done += 1;
    }
}

/// Calls `body(first, n, out)` for every group of runs of `batch`, with
/// the group's values laid out as `simulate_group` writes them.
fn for_each_group(
    plan: &Plan,
    batch: Range<u64>,
    scratch: &mut GroupScratch,
    mut body: impl FnMut(u64, usize, &[f64]),
) {
    let mut run = batch.start;
    while run < batch.end {
        let n = (batch.end - run).min(GROUP as u64) as usize;
        simulate_group(plan, run, n, scratch);
        body(run, n, &scratch.out);
        run += n as u64;
    }
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
    fold_runs(
        runs,
        threads,
        progress,
        || (GroupScratch::new(plan), Aggregate::new(layout(plan))),
        |batch, scratch, agg| {
            for_each_group(plan, batch, scratch, |_, n, out| {
                agg.record_batch(out, GROUP, n)
            });
        },
    )
}

/// Every run's value of each of `cells` (`t * n_series + s`, as in
/// [`super::kernel::simulate`]'s output), for the runs `runs` of `plan`:
/// `values[c][r]` is cell `cells[c]` of run `runs.start + r`.
///
/// Memory is one number per cell and run, and nothing else grows with the
/// runs; the values do not depend on `threads`.
pub fn collect_cells(
    plan: &Plan,
    runs: Range<u64>,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cells: &[usize],
) -> Vec<Vec<f64>> {
    let n_cells = plan.n_series() * plan.n_periods();
    debug_assert!(cells.iter().all(|&c| c < n_cells));
    let blocks = fold_runs(
        runs.clone(),
        threads,
        progress,
        || (GroupScratch::new(plan), Blocks::default()),
        |batch, scratch, blocks| {
            let len = (batch.end - batch.start) as usize;
            let mut block = vec![0.0; cells.len() * len];
            for_each_group(plan, batch.clone(), scratch, |first, n, out| {
                let at = (first - batch.start) as usize;
                for (c, &cell) in cells.iter().enumerate() {
                    let to = c * len + at;
                    block[to..to + n].copy_from_slice(&out[cell * GROUP..cell * GROUP + n]);
                }
            });
            blocks.0.push((batch.start, block));
        },
    );
    let total = (runs.end - runs.start) as usize;
    let mut values = vec![Vec::with_capacity(total); cells.len()];
    let mut sorted = blocks.0;
    sorted.sort_by_key(|(start, _)| *start);
    for (_, block) in &sorted {
        let len = block.len() / cells.len().max(1);
        for (c, v) in values.iter_mut().enumerate() {
            v.extend_from_slice(&block[c * len..(c + 1) * len]);
        }
    }
    values
}

/// Runs `runs` of `plan` in run order, `chunk` runs at a time (the last
/// chunk may be shorter), each chunk on `threads` threads (0: all cores),
/// and hands every chunk to `sink` as its first run and its values run by
/// run: run `first + r`'s value of cell `c` (`t * n_series + s`) is
/// `values[r * n_cells + c]`.
///
/// The values are those the aggregate records (the same groups through the
/// same kernel), so a sink sees the runs bit for bit as [`run_range`]
/// does. Memory is one chunk, whatever the number of runs. The sink may
/// stop the walk by returning an error, which is returned.
pub fn for_each_chunk<E>(
    plan: &Plan,
    runs: Range<u64>,
    chunk: u64,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    mut sink: impl FnMut(u64, &[f64]) -> Result<(), E>,
) -> Result<(), E> {
    let n_cells = plan.n_series() * plan.n_periods();
    let chunk = chunk.max(1);
    let mut values = Vec::new();
    let mut first = runs.start;
    while first < runs.end {
        let end = first.saturating_add(chunk).min(runs.end);
        let blocks = fold_runs(
            first..end,
            threads,
            progress,
            || (GroupScratch::new(plan), Blocks::default()),
            |batch, scratch, blocks| {
                let len = (batch.end - batch.start) as usize;
                let mut block = vec![0.0; n_cells * len];
                for_each_group(plan, batch.clone(), scratch, |group, n, out| {
                    let at = (group - batch.start) as usize;
                    for l in 0..n {
                        let run = &mut block[(at + l) * n_cells..(at + l + 1) * n_cells];
                        for (c, v) in run.iter_mut().enumerate() {
                            *v = out[c * GROUP + l];
                        }
                    }
                });
                blocks.0.push((batch.start, block));
            },
        );
        let mut sorted = blocks.0;
        sorted.sort_by_key(|(start, _)| *start);
        values.clear();
        for (_, block) in &sorted {
            values.extend_from_slice(block);
        }
        sink(first, &values)?;
        first = end;
    }
    Ok(())
}

/// The collected values of batches of runs: each batch's first run and its
/// block, cell by cell and, within a cell, run by run.
#[derive(Default)]
struct Blocks(Vec<(u64, Vec<f64>)>);

impl Merge for Blocks {
    fn merge(&mut self, other: &Blocks) {
        self.0.extend(other.0.iter().cloned());
    }
}

/// Runs `0..runs` of `plan`.
pub fn run_all(plan: &Plan, runs: u64, threads: usize) -> Aggregate {
    run_range(plan, 0..runs, threads, &|_| {})
}
