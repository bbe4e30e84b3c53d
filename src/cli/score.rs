//! `coopsim score`: scorecards and a ranking of scenarios.

use super::{OutputArgs, SimArgs};
use coopsim::analysis::score::{self, Scores};
use coopsim::input;
use coopsim::{Error, LoadedScenario};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim score scenarios/*.toml
  coopsim score scenarios/baseline.toml scenarios/sanctions-relief.toml \\
      --runs 50000
  coopsim score scenarios/*.toml --format csv > scores.csv
  coopsim score scenarios/*.toml --out results/scores";

/// Score scenarios: mean, p05, p50, p95, the chances of partnership and
/// estrangement, the mean of the worst 10% of runs (CVaR10) and when the
/// median first reaches partnership, at the horizon and averaged over time;
/// then rank them by horizon mean composite.
///
/// All scenarios run with the same runs and seed (the first scenario's,
/// unless given), so they face the same shocks.
///
/// p05, p50 and p95 are the spread of possible futures under the model.
/// The rank orders the means and does not say that the simulation has
/// told them apart: `compare` gives the simulation interval of a mean
/// difference and its spread across futures.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.help("Also write scores.json and scores.csv into DIR (created if missing), each whole or not at all"))
)]
pub struct ScoreArgs {
    /// The scenarios to score.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// Output: --out writes scores.json and scores.csv.
    #[command(flatten)]
    output: OutputArgs,
}

pub fn score(args: ScoreArgs) -> Result<ExitCode, Error> {
    args.output.check::<Scores>("score")?;
    let search = args.sim.search();
    let loaded = args
        .scenarios
        .iter()
        .map(|p| input::load_scenario(p, &search))
        .collect::<Result<Vec<LoadedScenario>, input::LoadError>>()?;
    let options = args.sim.options(&loaded[0]);
    let bar = args.sim.progress(options.runs * loaded.len() as u64);
    let s = score::score(&loaded, options, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    args.output.emit::<Scores>("score", &s)?;
    Ok(ExitCode::SUCCESS)
}
