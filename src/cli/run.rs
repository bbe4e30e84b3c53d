//! `coopsim run`: run a scenario and print or write its result.

use super::{Format, SimArgs, print, save_part};
use crate::Error;
use crate::input;
use crate::output;
use crate::shard::{Part, Shard};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim run                                     built-in baseline, 10000 runs
  coopsim run scenarios/cpec-stall.toml --runs 50000 --seed 7
  coopsim run scenarios/baseline.toml --format csv > summary.csv
  coopsim run scenarios/baseline.toml --out results/baseline
  coopsim run scenarios/baseline.toml --runs 10000000 --shard 2/8 --out parts/2";

/// Run a scenario's Monte Carlo and summarise the cooperation indices.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct RunArgs {
    /// The scenario file; without it, the built-in baseline on the built-in model.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write result.json and summary.csv into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Run only shard K of N of the runs and write its part into --out, for
    /// `coopsim merge` to combine.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse, requires = "out")]
    shard: Option<Shard>,
}

pub fn run(args: RunArgs) -> Result<ExitCode, Error> {
    let loaded = match &args.scenario {
        Some(path) => input::load_scenario(path, &args.sim.search())?,
        None => input::builtin_baseline()?,
    };
    let options = args.sim.options(&loaded);
    if let (Some(shard), Some(dir)) = (args.shard, &args.out) {
        let bar = args.sim.progress(shard.slice(options.runs).count() as u64);
        let part = crate::shard::run_shard(&loaded, options, shard, &|n| bar.inc(n));
        bar.finish_and_clear();
        return save_part(dir, &Part::Run(part), args.sim.quiet);
    }
    let bar = args.sim.progress(options.runs);
    let result = crate::run(&loaded, options, &|n| bar.inc(n));
    bar.finish_and_clear();

    if let Some(dir) = &args.out {
        output::write_result_files(dir, &result)?;
    }
    print(&args.format.render(&result))?;
    Ok(ExitCode::SUCCESS)
}
