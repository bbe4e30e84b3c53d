//! `coopsim sensitivity`: which drivers and parameters move the horizon
//! indices.

use super::{OutputArgs, ShardArgs, SimArgs, save_part};
use clap::ValueEnum;
use coopsim::Error;
use coopsim::analysis::sensitivity::sobol::{self, Sobol};
use coopsim::analysis::sensitivity::{morris, tornado};
use coopsim::error::ArgumentError;
use coopsim::input;
use coopsim::jobs::Part;
use coopsim::shard::Shard;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim sensitivity scenarios/baseline.toml
  coopsim sensitivity scenarios/baseline.toml --method sobol --samples 8192 \\
      --format json
  coopsim sensitivity scenarios/sanctions-escalation.toml --method morris \\
      --trajectories 40
  coopsim sensitivity scenarios/baseline.toml --method sobol --samples 65536 \\
      --shard 3/8 --out parts/3";

/// The sensitivity method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Each driver's target ±0.2 and each uncertain parameter at p10/p90.
    #[default]
    Tornado,
    /// First- and total-order Sobol indices with bootstrap intervals (the
    /// simulation error of each index).
    Sobol,
    /// Morris elementary effects: a cheap screen.
    Morris,
}

/// Measure how the drivers and the uncertain parameters move the horizon
/// indices: a tornado (default), Sobol indices, or a Morris screen.
///
/// --runs means: for tornado, the runs of each variant (default: the
/// scenario's); for morris, the runs averaged per evaluation (default 1000).
/// Sobol evaluates one run per sample row and uses --samples instead.
///
/// Sobol indices are shares of the spread of possible futures; their 95%
/// intervals are simulation error, which narrows as --samples grows.
/// Tornado and Morris effects are differences of means over runs and carry
/// no interval.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.help("Also write the method's files into DIR (created if missing), each whole or not at all: tornado.json and tornado.csv, sobol.json and sobol.csv, or morris.json and morris.csv; with --shard, the shard's part file (part-K-of-N.json) instead"))
)]
pub struct SensitivityArgs {
    /// The scenario.
    scenario: PathBuf,
    /// The method: tornado (one input at a time, drawn as bars), sobol
    /// (variance shares, with their simulation error) or morris (a cheap
    /// screen of many parameters).
    #[arg(long, value_enum, default_value_t = Method::Tornado)]
    method: Method,
    /// Sobol: rows of each sample matrix (N); the scenario runs N (k + 3) times.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u64).range(2..=16_777_216))]
    samples: u64,
    /// Morris: the number of trajectories.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=10_000))]
    trajectories: u64,
    #[command(flatten)]
    sim: SimArgs,
    /// Output: --out writes <method>.json and <method>.csv.
    #[command(flatten)]
    output: OutputArgs,
    /// Sobol only: splits the sample rows.
    #[command(flatten)]
    shard: ShardArgs,
}

/// Runs averaged per Morris evaluation unless --runs says otherwise.
const MORRIS_RUNS: u64 = 1000;

pub fn sensitivity(args: SensitivityArgs) -> Result<ExitCode, Error> {
    if args.shard.shard.is_some() && args.method != Method::Sobol {
        return Err(ArgumentError::ShardMethod.into());
    }
    if args.shard.shard.is_none() {
        match args.method {
            Method::Tornado => args.output.check::<tornado::Tornado>("sensitivity")?,
            Method::Sobol => args.output.check::<Sobol>("sensitivity")?,
            Method::Morris => args.output.check::<morris::Morris>("sensitivity")?,
        }
    }
    let loaded = input::load_scenario(&args.scenario, &args.sim.search())?;
    let mut options = args.sim.options(&loaded);
    let k = coopsim::sim::Plan::new(&loaded.scenario, options.seed)
        .uncertain
        .len() as u64;
    match args.method {
        Method::Tornado => {
            let variants = 1 + 2 * (loaded.scenario.model.drivers.len() as u64 + k);
            let bar = args.sim.progress(options.runs * variants);
            let t = tornado::tornado(&loaded, options, &|n| bar.inc(n));
            bar.finish_and_clear();
            args.output.emit("sensitivity", &t)?;
        }
        Method::Sobol => {
            let shard = args.shard.shard.unwrap_or(Shard { k: 1, n: 1 });
            let rows = shard.slice(args.samples).count() as u64;
            let bar = args.sim.progress(rows * (k + 3));
            let part = sobol::sobol_shard(&loaded, args.samples, options, shard, &|n| bar.inc(n))?;
            bar.finish_and_clear();
            if let (Some(_), Some(dir)) = (args.shard.shard, &args.output.out) {
                return save_part(&args.output, dir, &Part::Sobol(part), args.sim.quiet);
            }
            let s = sobol::merge(&[("the analysis", &part)])?;
            args.output.emit::<Sobol>("sensitivity", &s)?;
        }
        Method::Morris => {
            options.runs = args.sim.runs.unwrap_or(MORRIS_RUNS);
            let bar = args
                .sim
                .progress(options.runs * args.trajectories * (k + 1));
            let m = morris::morris(&loaded, args.trajectories, options, &|n| bar.inc(n))?;
            bar.finish_and_clear();
            args.output.emit("sensitivity", &m)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
