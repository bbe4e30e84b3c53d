//! `coopsim compare`: scenarios against a base, run by run.

use super::{Format, SimArgs, print};
use crate::analysis::compare;
use crate::input;
use crate::output::{self, comparison};
use crate::{Error, LoadedScenario};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim compare scenarios/baseline.toml scenarios/sanctions-escalation.toml
  coopsim compare scenarios/baseline.toml scenarios/cpec-stall.toml scenarios/cpec-russia-joins.toml --runs 50000
  coopsim compare scenarios/baseline.toml scenarios/india-pivot.toml --format csv > diff.csv";

/// Compare scenarios with a base using common random numbers: run i of
/// every scenario sees the same shocks, so differences are the scenarios',
/// not chance's.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CompareArgs {
    /// The base scenario.
    base: PathBuf,
    /// The scenarios to compare with the base.
    #[arg(required = true)]
    others: Vec<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// How to print.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn compare(args: CompareArgs) -> Result<ExitCode, Error> {
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
    let text = match args.format {
        Format::Table => comparison::table(&c),
        Format::Json => output::json(&c),
        Format::Csv => comparison::csv(&c),
    };
    print(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
