//! `coopsim run`: run a scenario and print or write its result.

use super::{Format, ModelArgs, print};
use crate::input::{self, ModelSearch};
use crate::output::{self, CsvExport, Export, JsonExport, TableExport};
use crate::{Error, RunOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim run                                     built-in baseline, 10000 runs
  coopsim run scenarios/cpec-stall.toml --runs 50000 --seed 7
  coopsim run scenarios/baseline.toml --format csv > summary.csv
  coopsim run scenarios/baseline.toml --out results/baseline";

/// Run a scenario's Monte Carlo and summarise the cooperation indices.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct RunArgs {
    /// The scenario file; without it, the built-in baseline on the built-in model.
    scenario: Option<PathBuf>,
    /// Number of runs (overrides the file's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    runs: Option<u64>,
    /// Seed of the random streams, in [0, 2^63) (overrides the file's `seed`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    #[command(flatten)]
    models: ModelArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write result.json and summary.csv into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: RunArgs) -> Result<ExitCode, Error> {
    let search = ModelSearch {
        models_dir: args.models.models,
    };
    let loaded = match &args.scenario {
        Some(path) => input::load_scenario(path, &search)?,
        None => input::builtin_baseline()?,
    };
    let mut options = RunOptions::from_scenario(&loaded);
    options.runs = args.runs.unwrap_or(options.runs);
    options.seed = args.seed.unwrap_or(options.seed);
    options.threads = args.threads;

    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(options.runs), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let result = crate::run(&loaded, options, &|n| bar.inc(n));
    bar.finish_and_clear();

    if let Some(dir) = &args.out {
        output::write_result_files(dir, &result)?;
    }
    let rendered = match args.format {
        Format::Table => TableExport.render(&result),
        Format::Json => JsonExport.render(&result),
        Format::Csv => CsvExport.render(&result),
    };
    print(&rendered)?;
    Ok(ExitCode::SUCCESS)
}
