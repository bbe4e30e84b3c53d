//! `coopsim plot`: every chart of the report as its own file.

use super::SimArgs;
use coopsim::Error;
use coopsim::input;
use coopsim::report::{self, Analyses};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim plot scenarios/baseline.toml --svg charts
  coopsim plot scenarios/baseline.toml scenarios/cpec-stall.toml --svg charts --png
  coopsim plot scenarios/history-2003.toml --observed data/pakistan_russia.toml --svg charts";

/// Write each chart of the report as its own SVG file (and PNG with --png).
///
/// Files: composite-fan.svg and <domain>-fan.svg (each index's median with
/// the p05–p95 and p25–p75 spread of futures), drivers.svg, tornado.svg
/// (the first scenario's); with several scenarios also overlay.svg and
/// compare-<name>.svg for each scenario after the first, and each
/// scenario's own fans and drivers go into a folder named after it
/// (DIR/<name>/composite-fan.svg); with --observed, backtest.svg. Runs
/// default to 2,000 per scenario, a quarter of that per tornado variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct PlotArgs {
    /// The scenarios; the first is the base of the comparison, tornado and backtest.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// The folder to write the charts into (created if missing); each file
    /// whole or not at all.
    #[arg(long, value_name = "DIR")]
    svg: PathBuf,
    /// Also write each chart as PNG.
    #[arg(long)]
    png: bool,
    /// Also backtest the first scenario against these observations
    /// (data/<name>.toml) and draw backtest.svg.
    #[arg(long, value_name = "FILE")]
    observed: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
}

pub fn plot(args: PlotArgs) -> Result<ExitCode, Error> {
    let analyses = analyse(&args.scenarios, args.observed.as_deref(), &args.sim)?;
    let written = report::write_plots(&args.svg, &analyses, args.png)?;
    if !args.sim.quiet {
        super::note(&format!(
            "wrote {} files into {}",
            written.len(),
            args.svg.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the scenarios and observations, then runs every analysis of the
/// report with the command line's options (2,000 runs unless --runs).
pub(super) fn analyse(
    paths: &[PathBuf],
    observed: Option<&Path>,
    sim: &SimArgs,
) -> Result<Analyses, Error> {
    let scenarios = super::report::load_all(paths, sim)?;
    let observed = match (observed, scenarios.first()) {
        (Some(path), Some(first)) => Some(input::load_observations(path, &first.base.model)?),
        _ => None,
    };
    let Some(first) = scenarios.first() else {
        return Err(coopsim::error::ArgumentError::NoScenario.into());
    };
    let mut options = sim.options(first);
    if sim.runs.is_none() {
        options.runs = report::DEFAULT_RUNS;
    }
    let total = report::total_runs(&scenarios, observed.is_some(), options.runs);
    let bar = sim.progress(total);
    let a = report::analyse(&scenarios, observed.as_ref(), options, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    Ok(a)
}
