//! `coopsim explain`: what a scenario assumes against its model, or why it
//! differs from another scenario.

use super::{OutputArgs, SimArgs};
use coopsim::Error;
use coopsim::analysis::explain::{self, Assumptions, Attribution};
use coopsim::input;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim explain scenarios/sanctions-escalation.toml
  coopsim explain scenarios/cpec-stall.toml --format json
  coopsim explain scenarios/us-india-drift.toml --vs scenarios/baseline.toml
  coopsim explain scenarios/cpec-stall.toml --vs scenarios/baseline.toml \\
      --format csv > waterfall.csv";

/// Show every value a scenario changes against its model, old and new, with
/// the evidence behind the numbers it touches.
///
/// With --vs BASE: attribute the difference from BASE at the horizon. Each
/// actor's target utility per domain is split exactly into each driver's
/// part (weight × change of the driver's mean path) and the change of
/// weights and bias, beside the resulting index differences from paired
/// runs, each a mean with its 95% simulation interval (--runs, --seed and
/// --threads apply). --format csv gives waterfall data.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.help("Also write assumptions.json and assumptions.csv (with --vs: attribution.json and attribution.csv) into DIR (created if missing), each whole or not at all"))
)]
pub struct ExplainArgs {
    /// The scenario file.
    scenario: PathBuf,
    /// Attribute the scenario's difference from this base scenario.
    #[arg(long, value_name = "BASE")]
    vs: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// Output: readable text (table), JSON, or CSV (the changes, or with
    /// --vs the waterfall data); --out writes assumptions.json and .csv, or
    /// with --vs attribution.json and .csv.
    #[command(flatten)]
    output: OutputArgs,
}

pub fn explain(args: ExplainArgs) -> Result<ExitCode, Error> {
    let search = args.sim.search();
    let loaded = input::load_scenario(&args.scenario, &search)?;
    match &args.vs {
        None => {
            let a = explain::assumptions(&loaded);
            args.output.emit::<Assumptions>("explain", &a)?;
        }
        Some(base) => {
            let base = input::load_scenario(base, &search)?;
            let options = args.sim.options(&base);
            let bar = args.sim.progress(options.runs);
            let a = explain::attribution(&loaded, &base, options, &|n| bar.inc(n))?;
            bar.finish_and_clear();
            args.output.emit::<Attribution>("explain", &a)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
