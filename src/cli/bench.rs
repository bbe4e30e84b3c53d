//! `coopsim bench`: runs per second, the kernel against its random numbers,
//! peak memory and a determinism check.

use super::{OutputArgs, SimArgs};
use coopsim::Error;
use coopsim::bench::{self, BenchReport};
use coopsim::input;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim bench
  coopsim bench scenarios/baseline.toml --runs 1000000 --threads 2
  coopsim bench --runs 10000000 --format json";

/// Benchmark model runs: runs per second, nanoseconds per run per thread,
/// the kernel's cost against the random-number floor, peak memory, and a
/// check that two thread counts give identical bytes. Without a scenario,
/// the built-in baseline.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.help("Also write bench.json into DIR (created if missing), whole or not at all"))
)]
pub struct BenchArgs {
    /// The scenario; without it, the built-in baseline.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// Output: a table or JSON (no CSV); --out writes bench.json.
    #[command(flatten)]
    output: OutputArgs,
}

pub fn bench(args: BenchArgs) -> Result<ExitCode, Error> {
    args.output.check::<BenchReport>("bench")?;
    let loaded = match &args.scenario {
        Some(path) => input::load_scenario(path, &args.sim.search())?,
        None => input::builtin_baseline()?,
    };
    let mut options = args.sim.options(&loaded);
    options.runs = args.sim.runs.unwrap_or(1_000_000);
    let bar = args.sim.progress(options.runs);
    let report = bench::bench(&loaded, options, &|n| bar.inc(n));
    bar.finish_and_clear();
    args.output.emit("bench", &report)?;
    Ok(if report.deterministic {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::exit_code::NOT_DETERMINISTIC)
    })
}
