//! `coopsim compare`: scenarios against a base, run by run.

use super::{OutputArgs, SimArgs};
use coopsim::analysis::compare::{self, Comparison};
use coopsim::input;
use coopsim::{Error, LoadedScenario};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim compare scenarios/baseline.toml scenarios/sanctions-escalation.toml
  coopsim compare scenarios/baseline.toml scenarios/cpec-stall.toml \\
      scenarios/cpec-russia-joins.toml --runs 50000
  coopsim compare scenarios/baseline.toml scenarios/india-pivot.toml \\
      --format csv > diff.csv
  coopsim compare scenarios/baseline.toml scenarios/cpec-stall.toml \\
      --out results/cpec-stall";

/// Compare scenarios with a base using common random numbers: run i of
/// every scenario sees the same shocks, so differences are the scenarios',
/// not chance's.
///
/// Each index's difference is given as its mean over the runs with a 95%
/// interval, the simulation error of that mean (it narrows as --runs
/// grows), beside the spread of the run-by-run difference across futures
/// (p05 to p95, which does not shrink with runs) and P(>), the share of
/// futures in which the scenario's index is higher. An interval that
/// excludes 0 says the simulation has resolved the sign of the mean, not
/// that the difference is large or matters.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.help("Also write comparison.json and comparison.csv into DIR (created if missing), each whole or not at all"))
)]
pub struct CompareArgs {
    /// The base scenario.
    base: PathBuf,
    /// The scenarios to compare with the base.
    #[arg(required = true)]
    others: Vec<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// Output: --out writes comparison.json and comparison.csv.
    #[command(flatten)]
    output: OutputArgs,
}

pub fn compare(args: CompareArgs) -> Result<ExitCode, Error> {
    args.output.check::<Comparison>("compare")?;
    let search = args.sim.search();
    let base = input::load_scenario(&args.base, &search)?;
    let others = args
        .others
        .iter()
        .map(|p| input::load_scenario(p, &search))
        .collect::<Result<Vec<LoadedScenario>, input::LoadError>>()?;
    let options = args.sim.options(&base);
    let bar = args.sim.progress(options.runs);
    let c = compare::compare(&base, &others, options, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    args.output.emit::<Comparison>("compare", &c)?;
    Ok(ExitCode::SUCCESS)
}
