//! `coopsim run`: run a scenario and print or write its result.

use super::{OutputArgs, ShardArgs, SimArgs, note, save_part};
use coopsim::Error;
use coopsim::RunResult;
use coopsim::input;
use coopsim::jobs::Part;
use coopsim::output::draws;
use coopsim::output::table::Shown;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

const EXAMPLES: &str = "\
Examples:
  coopsim run                                     built-in baseline, 10000 runs
  coopsim run scenarios/cpec-stall.toml --runs 50000 --seed 7
  coopsim run scenarios/baseline.toml --format csv > summary.csv
  coopsim run scenarios/baseline.toml --out results/baseline
  coopsim run --runs 10000 --draws draws.parquet --draws-runs 1000
  coopsim run scenarios/baseline.toml --runs 10000000 --shard 2/8 --out parts/2";

/// Run a scenario's Monte Carlo and summarise the cooperation indices.
///
/// The table opens with a verdict on the composite, then gives its median
/// and p05 - p95, the spread of possible futures under the model (it does
/// not shrink with more runs), and the shares of runs at or past the
/// thresholds, P(high) and P(low). --index NAME shows another index, --all
/// every index and the drivers.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.help("Also write result.json and summary.csv into DIR (created if missing), each whole or not at all; with --shard, the shard's part file (part-K-of-N.json) instead"))
)]
pub struct RunArgs {
    /// The scenario file; without it, the built-in baseline on the built-in model.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// Show every index and the drivers, not only the composite.
    #[arg(long, conflicts_with = "index")]
    all: bool,
    /// Show one index (composite or a domain such as economic) instead of
    /// the composite.
    #[arg(long, value_name = "NAME")]
    index: Option<String>,
    /// Output: --out writes result.json and summary.csv.
    #[command(flatten)]
    output: OutputArgs,
    /// Splits the runs.
    #[command(flatten)]
    shard: ShardArgs,
    /// Also write every value of the runs to FILE as Parquet, one row per
    /// run, period and series (composite, each domain, each driver), with
    /// the columns scenario, run, period, step, series, value; whole or not
    /// at all. The baseline takes about 3.8 GB per million runs (560
    /// rows a run). With --shard, the shard's runs.
    #[arg(long, value_name = "FILE")]
    draws: Option<PathBuf>,
    /// Write only the first K runs to --draws (default: every run; with
    /// --shard, the shard's first K). They are the result's runs 0 to
    /// K - 1, bit for bit.
    #[arg(long, value_name = "K", requires = "draws")]
    draws_runs: Option<u64>,
}

/// Set by Ctrl-C while the draws are being written, which then stop at
/// the next row group and leave no file.
static STOP: AtomicBool = AtomicBool::new(false);
/// True while the draws are being written; Ctrl-C at any other time quits
/// at once, as it does without --draws.
static DRAWING: AtomicBool = AtomicBool::new(false);

pub fn run(args: RunArgs) -> Result<ExitCode, Error> {
    let loaded = match &args.scenario {
        Some(path) => input::load_scenario(path, &args.sim.search())?,
        None => input::builtin_baseline()?,
    };
    let options = args.sim.options(&loaded);
    let shown = shown(&args, &loaded)?;
    if args.shard.shard.is_none() {
        args.output.check::<RunResult>("run")?;
    }
    let job = match args.shard.shard {
        Some(shard) => shard.slice(options.runs),
        None => 0..options.runs,
    };
    if let Some(path) = &args.draws {
        draws::check_path(path)?;
        let runs = draws::draws_range(job.clone(), args.draws_runs, args.shard.shard.is_some())?;
        write_draws(&args, path, &loaded, options, runs)?;
    }
    if let (Some(shard), Some(dir)) = (args.shard.shard, &args.output.out) {
        let bar = args.sim.progress(shard.slice(options.runs).count() as u64);
        let part = coopsim::jobs::run_shard(&loaded, options, shard, &|n| bar.inc(n));
        bar.finish_and_clear();
        return save_part(&args.output, dir, &Part::Run(part), args.sim.quiet);
    }
    let bar = args.sim.progress(options.runs);
    let result = coopsim::run(&loaded, options, &|n| bar.inc(n));
    bar.finish_and_clear();
    if args.output.format == coopsim::output::Format::Table {
        let text = coopsim::output::wrap::fit(
            &coopsim::output::table::run_table(&result, &shown),
            coopsim::output::wrap::WIDTH,
        );
        args.output
            .print_and_write(&super::color::verdict(&text), &result)?;
    } else {
        args.output.emit::<RunResult>("run", &result)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What the table shows: --all, --index NAME (checked against the
/// scenario's indices before any run), or the composite.
fn shown(args: &RunArgs, loaded: &coopsim::LoadedScenario) -> Result<Shown, Error> {
    if args.all {
        return Ok(Shown::All);
    }
    let Some(name) = &args.index else {
        return Ok(Shown::Composite);
    };
    let known: Vec<&str> = std::iter::once("composite")
        .chain(loaded.scenario.model.domains.iter().map(|d| d.id.as_str()))
        .collect();
    if known.contains(&name.as_str()) {
        Ok(Shown::Index(name.clone()))
    } else {
        Err(coopsim::error::ArgumentError::UnknownIndex {
            name: name.clone(),
            known: known.join(", "),
        }
        .into())
    }
}

/// Writes the draws file of `runs`, with a progress bar, stopping cleanly
/// on Ctrl-C.
fn write_draws(
    args: &RunArgs,
    path: &Path,
    loaded: &coopsim::LoadedScenario,
    options: coopsim::RunOptions,
    runs: Range<u64>,
) -> Result<(), Error> {
    // A handler that cannot be installed leaves Ctrl-C quitting at once,
    // which may leave the temporary file beside the target.
    let _ = ctrlc::set_handler(|| {
        if !DRAWING.load(Ordering::SeqCst) || STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(super::exit_code::INTERRUPTED));
        }
    });
    let bar = args.sim.progress(runs.end - runs.start);
    DRAWING.store(true, Ordering::SeqCst);
    let written = draws::write(
        path,
        loaded,
        options.seed,
        options.runs,
        runs,
        options.threads,
        &STOP,
        &|n| bar.inc(n),
    );
    DRAWING.store(false, Ordering::SeqCst);
    bar.finish_and_clear();
    let written = written?;
    if !args.sim.quiet {
        note(&format!(
            "wrote {}: runs {} to {}, {} rows, {:.1} MB",
            path.display(),
            written.runs.start,
            written.runs.end - 1,
            written.rows,
            written.bytes as f64 / 1e6
        ));
    }
    Ok(())
}
