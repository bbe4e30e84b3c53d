//! `coopsim sweep`: a scenario over a grid of parameter values.

use super::{OutputArgs, ShardArgs, SimArgs, save_part};
use coopsim::Error;
use coopsim::analysis::sweep::{self, Axis, Sweep};
use coopsim::input::{self, vary};
use coopsim::jobs::Part;
use coopsim::model::ParamPath;
use coopsim::shard::Shard;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim sweep scenarios/baseline.toml \\
      --set drivers.sanctions.target=0.2:1.0:0.2
  coopsim sweep scenarios/baseline.toml \\
      --set engagement.russia.energy.weights.sanctions=0,0.5,1 \\
      --set drivers.energy.target=0.3,0.5,0.7 --format csv > grid.csv
  coopsim sweep scenarios/baseline.toml --set drivers.cpec.target=0:1:0.05 \\
      --shard 2/4 --out parts/2";

/// Run a scenario over a grid of one to three parameters, every cell with
/// the same seed (common random numbers), and score each cell at the
/// horizon (p05, p50 and p95 are the spread of possible futures, as in
/// `score`).
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES, long_about = long_about(),
    mut_arg("out", |a| a.help("Also write sweep.json and sweep.csv into DIR (created if missing), each whole or not at all; with --shard, the shard's part file (part-K-of-N.json) instead"))
)]
pub struct SweepArgs {
    /// The scenario to vary.
    scenario: PathBuf,
    /// PATH=V1,V2,... or PATH=LO:HI:STEP (inclusive); one to three times.
    #[arg(long = "set", value_name = "PATH=VALUES", required = true, value_parser = parse_axis)]
    set: Vec<Axis>,
    #[command(flatten)]
    sim: SimArgs,
    /// Output: --out writes sweep.json and sweep.csv.
    #[command(flatten)]
    output: OutputArgs,
    /// Splits the cells.
    #[command(flatten)]
    shard: ShardArgs,
}

/// The long help: what a sweep does, and every path `--set` may name.
fn long_about() -> String {
    format!(
        "Run a scenario over a grid of one to three parameters, every cell with \
         the same seed (common random numbers), and score each cell at the \
         horizon.\n\n\
         A path names a number as the scenario files write it: {}. Each cell \
         is checked like a file before anything runs.",
        ParamPath::forms()
    )
}

fn parse_axis(text: &str) -> Result<Axis, String> {
    vary::parse_setting(text).map(|(path, values)| Axis { path, values })
}

pub fn sweep(args: SweepArgs) -> Result<ExitCode, Error> {
    if args.shard.shard.is_none() {
        args.output.check::<Sweep>("sweep")?;
    }
    let loaded = input::load_scenario(&args.scenario, &args.sim.search())?;
    let options = args.sim.options(&loaded);
    let shard = args.shard.shard.unwrap_or(Shard { k: 1, n: 1 });
    let cells: u64 = args.set.iter().map(|a| a.values.len() as u64).product();
    let bar = args.sim.progress(
        options
            .runs
            .saturating_mul(shard.slice(cells).count() as u64),
    );
    let part = sweep::sweep_shard(&loaded, &args.set, options, shard, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    if let (Some(_), Some(dir)) = (args.shard.shard, &args.output.out) {
        return save_part(&args.output, dir, &Part::Sweep(part), args.sim.quiet);
    }
    let s = sweep::merge(&[("the sweep", &part)])?;
    args.output.emit::<Sweep>("sweep", &s)?;
    Ok(ExitCode::SUCCESS)
}
