//! `coopsim sweep`: a scenario over a grid of parameter values.

use super::{Format, SimArgs, print};
use crate::Error;
use crate::analysis::sweep::{self, Axis};
use crate::input::{self, vary};
use crate::output::{self, sweeps};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim sweep scenarios/baseline.toml --set drivers.sanctions.target=0.2:1.0:0.2
  coopsim sweep scenarios/baseline.toml --set engagement.russia.energy.weights.sanctions=0,0.5,1 \\
      --set drivers.energy.target=0.3,0.5,0.7 --format csv > grid.csv";

/// Run a scenario over a grid of one to three parameters, every cell with
/// the same seed (common random numbers), and score each cell at the
/// horizon.
///
/// A path names a number as the scenario files write it:
/// scenario.thresholds.low|high, drivers.<id>.initial|target|reversion|volatility,
/// drivers.<id>.jumps.<name>.rate|size, actors.<id>.adjustment|reciprocity,
/// domains.<id>.weight, engagement.<actor>.<domain>.initial|bias,
/// engagement.<actor>.<domain>.weights.<driver>. Each cell is checked like a
/// file before anything runs.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct SweepArgs {
    /// The scenario to vary.
    scenario: PathBuf,
    /// PATH=V1,V2,... or PATH=LO:HI:STEP (inclusive); one to three times.
    #[arg(long = "set", value_name = "PATH=VALUES", required = true, value_parser = parse_axis)]
    set: Vec<Axis>,
    #[command(flatten)]
    sim: SimArgs,
    /// How to print.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn parse_axis(text: &str) -> Result<Axis, String> {
    vary::parse_setting(text).map(|(path, values)| Axis { path, values })
}

pub fn sweep(args: SweepArgs) -> Result<ExitCode, Error> {
    let loaded = input::load_scenario(&args.scenario, &args.sim.search())?;
    let options = args.sim.options(&loaded);
    let cells: u64 = args.set.iter().map(|a| a.values.len() as u64).product();
    let bar = args.sim.progress(options.runs.saturating_mul(cells));
    let s = sweep::sweep(&loaded, &args.set, options, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    let text = match args.format {
        Format::Table => sweeps::table(&s),
        Format::Json => output::json(&s),
        Format::Csv => sweeps::csv(&s),
    };
    print(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
