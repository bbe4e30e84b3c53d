//! `coopsim report`: one self-contained HTML page of charts and analyses.

use super::SimArgs;
use coopsim::input;
use coopsim::{Error, LoadedScenario};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim report scenarios/baseline.toml -o report.html
  coopsim report scenarios/baseline.toml scenarios/sanctions-escalation.toml scenarios/cpec-stall.toml -o report.html
  coopsim report scenarios/history-2003.toml --observed data/pakistan_russia.toml -o backtest.html";

/// Write one HTML page (inline SVG and CSS, nothing fetched) with each
/// scenario's fan charts and drivers; with several scenarios, their
/// medians overlaid, the paired comparison with the first and the
/// scorecard ranking; the first scenario's tornado; every scenario's
/// assumptions and evidence; with --observed, the first scenario's
/// backtest; and the provenance.
///
/// Bands are labelled by kind: the spread of possible futures (quantiles of
/// the runs) or the simulation error of a mean (95% simulation interval).
/// Runs default to 2,000 per scenario, a quarter of that per tornado
/// variant.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ReportArgs {
    /// The scenarios; the first is the base of the comparison, tornado and backtest.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// The page to write (whole or not at all).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// Also backtest the first scenario against these observations
    /// (data/<name>.toml); usually with scenarios/history-2003.toml.
    #[arg(long, value_name = "FILE")]
    observed: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
}

pub fn report(args: ReportArgs) -> Result<ExitCode, Error> {
    let analyses = super::plot::analyse(&args.scenarios, args.observed.as_deref(), &args.sim)?;
    let page = coopsim::report::html(&analyses)?;
    coopsim::output::write_atomic(&args.out, page.as_bytes())?;
    if !args.sim.quiet {
        super::note(&format!("wrote {}", args.out.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads every scenario named, each checked before anything runs.
pub(super) fn load_all(paths: &[PathBuf], sim: &SimArgs) -> Result<Vec<LoadedScenario>, Error> {
    let search = sim.search();
    Ok(paths
        .iter()
        .map(|p| input::load_scenario(p, &search))
        .collect::<Result<Vec<LoadedScenario>, input::LoadError>>()?)
}
