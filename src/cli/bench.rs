//! `coopsim bench`: runs per second, the kernel against its random numbers,
//! peak memory and a determinism check.

use super::{Format, SimArgs, print};
use crate::Error;
use crate::bench::{self, BenchReport};
use crate::input;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim bench
  coopsim bench scenarios/baseline.toml --runs 1000000 --threads 2
  coopsim bench --runs 10000000 --format json";

/// Benchmark model runs: runs per second, nanoseconds per run per thread,
/// the kernel's cost against the random-number floor, peak memory, and a
/// check that two thread counts give identical bytes. Without a scenario,
/// the built-in baseline.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct BenchArgs {
    /// The scenario; without it, the built-in baseline.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// How to print: a table or JSON.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn bench(args: BenchArgs) -> Result<ExitCode, Error> {
    let loaded = match &args.scenario {
        Some(path) => input::load_scenario(path, &args.sim.search())?,
        None => input::builtin_baseline()?,
    };
    let mut options = args.sim.options(&loaded);
    options.runs = args.sim.runs.unwrap_or(1_000_000);
    let bar = args.sim.progress(options.runs);
    let report = bench::bench(&loaded, options, &|n| bar.inc(n));
    bar.finish_and_clear();
    let text = match args.format {
        Format::Json | Format::Csv => crate::output::json(&report),
        Format::Table => table(&report),
    };
    print(text.as_bytes())?;
    Ok(if report.deterministic {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::exit_code::FAILURE)
    })
}

fn table(r: &BenchReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "scenario {}: {} runs on {} thread(s)",
        r.scenario, r.runs, r.threads
    );
    let _ = writeln!(s, "  time                  {:.3} s", r.seconds);
    let _ = writeln!(s, "  runs per second       {:.0}", r.runs_per_second);
    let _ = writeln!(s, "  ns per run per thread {:.0}", r.ns_per_run_per_thread);
    let _ = writeln!(
        s,
        "  kernel / floor        {:.2}  (kernel {:.0} ns, random numbers alone {:.0} ns per run, one thread)",
        r.kernel_to_floor, r.kernel_ns_per_run, r.floor_ns_per_run
    );
    match r.peak_memory_bytes {
        Some(b) => {
            let _ = writeln!(s, "  peak memory           {:.1} MB", b as f64 / 1e6);
        }
        None => {
            let _ = writeln!(s, "  peak memory           not reported by this system");
        }
    }
    let _ = writeln!(
        s,
        "  deterministic         {} ({} runs on {} and {} threads give {} bytes)",
        if r.deterministic { "yes" } else { "NO" },
        r.determinism_runs,
        r.determinism_threads[0],
        r.determinism_threads[1],
        if r.deterministic {
            "identical"
        } else {
            "different"
        }
    );
    s
}
