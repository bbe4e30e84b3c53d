//! `coopsim backtest`: a scenario's runs scored against what was observed.

use super::{OutputArgs, SimArgs};
use coopsim::Error;
use coopsim::analysis::backtest::{self, Backtest, Window};
use coopsim::input;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim backtest scenarios/history-2003.toml \\
      --observed data/pakistan_russia.toml
  coopsim backtest scenarios/history-2003.toml \\
      --observed data/pakistan_russia.toml --window 2016:2025
  coopsim backtest scenarios/history-2003.toml \\
      --observed data/pakistan_russia.toml --format csv > scores.csv
  coopsim backtest scenarios/history-2003.toml \\
      --observed data/pakistan_russia.toml --out results/backtest";

/// Score a scenario's runs against observations (docs/backtest.md).
///
/// Every observation after the scenario's start is compared with the runs'
/// values of its index at its period: CRPS (the forecast's mean distance
/// from the observation, in index points), its fair form, Brier scores of
/// the partnership and estrangement thresholds, coverage of the runs'
/// central 50% and 90% bands (the forecast's spread of futures), the
/// interval score, the log score and the PIT. Two
/// references score the same observations: persistence (the last value at
/// or before the start) and climatology (the values up to the start). Only
/// the observed cells of each run are kept.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.help("Also write backtest.json and backtest.csv into DIR (created if missing), each whole or not at all"))
)]
pub struct BacktestArgs {
    /// The scenario: usually a historical one, whose drivers follow what
    /// happened.
    scenario: PathBuf,
    /// The observations file (data/<name>.toml).
    #[arg(long, value_name = "FILE")]
    observed: PathBuf,
    /// Score only the observations of the years FROM to TO (for
    /// out-of-sample figures); the references are unchanged.
    #[arg(long, value_name = "FROM:TO", value_parser = Window::parse)]
    window: Option<Window>,
    #[command(flatten)]
    sim: SimArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn backtest(args: BacktestArgs) -> Result<ExitCode, Error> {
    args.output.check::<Backtest>("backtest")?;
    let loaded = input::load_scenario(&args.scenario, &args.sim.search())?;
    let observed = input::load_observations(&args.observed, &loaded.base.model)?;
    let options = args.sim.options(&loaded);
    let bar = args.sim.progress(options.runs);
    let b = backtest::backtest(&loaded, &observed, args.window, options, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    args.output.emit::<Backtest>("backtest", &b)?;
    Ok(ExitCode::SUCCESS)
}
