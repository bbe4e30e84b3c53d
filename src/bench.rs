//! `coopsim bench`: how fast a scenario runs on this machine, how close the
//! kernel comes to the cost of its random numbers, and a check that the
//! thread count changes nothing.

use crate::input::LoadedScenario;
use crate::sim::Plan;
use crate::sim::floor::draw_run;
use crate::sim::kernel::{LANES, Lanes, rows, simulate_lanes};
use crate::{RunOptions, run};
use serde::Serialize;
use std::hint::black_box;
use std::time::Instant;

/// Runs timed for the floor ratio, on one thread.
const RATIO_RUNS: u64 = 16_384;
/// Runs compared between two thread counts.
const CHECK_RUNS: u64 = 20_000;

/// What `coopsim bench` measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BenchReport {
    /// `runs` are the runs timed.
    #[serde(flatten)]
    pub provenance: crate::result::Provenance,
    pub threads: usize,
    pub seconds: f64,
    pub runs_per_second: f64,
    /// Wall time per run times the threads: the cost of one run on one core.
    pub ns_per_run_per_thread: f64,
    /// The random numbers of one run alone, on one thread.
    pub floor_ns_per_run: f64,
    /// The kernel (without aggregation) per run, on one thread.
    pub kernel_ns_per_run: f64,
    pub kernel_to_floor: f64,
    /// Peak resident memory of the process, where the system reports it.
    pub peak_memory_bytes: Option<u64>,
    /// The thread counts whose results were compared, and whether their
    /// bytes were identical.
    pub determinism_threads: [usize; 2],
    pub determinism_runs: u64,
    pub deterministic: bool,
}

/// Benchmarks `loaded` with `options`.
pub fn bench(
    loaded: &LoadedScenario,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> BenchReport {
    let threads = if options.threads == 0 {
        crate::sim::runner::default_threads()
    } else {
        options.threads
    };
    let options = RunOptions { threads, ..options };
    let start = Instant::now();
    black_box(crate::aggregate(loaded, options, progress));
    let seconds = start.elapsed().as_secs_f64();

    let plan = Plan::new(&loaded.scenario, options.seed);
    let (floor, kernel) = floor_and_kernel(&plan);

    let other = if threads == 1 { 2 } else { 1 };
    let check = RunOptions {
        runs: options.runs.min(CHECK_RUNS),
        ..options
    };
    // The result's serialised bytes: what `run --format json` writes, less
    // its layout, so the check needs no renderer from the floor above.
    let bytes = |threads| {
        serde_json::to_vec(&run(loaded, RunOptions { threads, ..check }, &|_| {}))
            .unwrap_or_default()
    };
    let deterministic = bytes(threads) == bytes(other);

    BenchReport {
        provenance: crate::result::Provenance::new(loaded, options.seed, options.runs),
        threads,
        seconds,
        runs_per_second: options.runs as f64 / seconds,
        ns_per_run_per_thread: seconds * 1e9 * threads as f64 / options.runs as f64,
        floor_ns_per_run: floor,
        kernel_ns_per_run: kernel,
        kernel_to_floor: kernel / floor,
        peak_memory_bytes: peak_memory(),
        determinism_threads: [threads, other],
        determinism_runs: check.runs,
        deterministic,
    }
}

/// Nanoseconds per run of the random-number floor and of the kernel in
/// lanes on this thread: the best of five timings of each, taken in
/// turns, so that both see the same states of the machine.
pub fn floor_and_kernel(plan: &Plan) -> (f64, f64) {
    let time = |f: &mut dyn FnMut()| -> f64 {
        let start = Instant::now();
        f();
        start.elapsed().as_nanos() as f64 / RATIO_RUNS as f64
    };
    let mut floor = || {
        for run in 0..RATIO_RUNS {
            black_box(draw_run(plan, run));
        }
    };
    let mut lanes = Lanes::<LANES>::new(plan);
    let mut out = rows(plan.n_series() * plan.n_periods() * LANES);
    let mut kernel = || {
        for first in (0..RATIO_RUNS).step_by(LANES) {
            simulate_lanes(plan, first, &mut lanes, &mut out, LANES);
            black_box(&out);
        }
    };
    let (mut best_floor, mut best_kernel) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..5 {
        best_floor = best_floor.min(time(&mut floor));
        best_kernel = best_kernel.min(time(&mut kernel));
    }
    (best_floor, best_kernel)
}

/// The process's peak resident memory (Linux: `VmHWM` in /proc/self/status).
pub(crate) fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
