//! The command line: clap definitions, one file per command, over the library.

mod backtest;
mod bench;
mod calibrate;
mod check;
mod color;
mod compare;
mod completions;
mod drivers;
pub mod exit_code;
mod explain;
mod man;
mod merge;
mod numbers;
mod plot;
mod report;
mod run;
mod score;
mod sensitivity;
mod sweep;

use clap::{Parser, Subcommand};
use coopsim::Error;
use coopsim::output::Render;
use coopsim::shard::Shard;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const ABOUT: &str = "Scenario simulation and scoring for international cooperation";

const LONG_ABOUT: &str = "\
coopsim projects cooperation between actors (by default Pakistan and Russia) \
across domains (diplomatic, economic, energy, security, connectivity) under \
what-if scenarios, with a seeded, deterministic Monte Carlo.

Exit codes: 0 success, 1 failure (output could not be written, or `bench` \
found results that depend on the thread count), 2 bad input (a model, \
scenario, part file or option was rejected).";

const EXAMPLES: &str = "\
Examples:
  coopsim run                                   the built-in baseline
  coopsim run scenarios/baseline.toml --runs 2000 --format json
  coopsim compare scenarios/baseline.toml scenarios/cpec-stall.toml
  coopsim check models/pakistan_russia.toml scenarios/*.toml
  coopsim drivers
  coopsim explain scenarios/sanctions-escalation.toml";

/// The `coopsim` command line.
#[derive(Debug, Parser)]
#[command(name = "coopsim", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    /// When to colour messages: auto (when the stream is a terminal and
    /// NO_COLOR is unset), always, or never. JSON and CSV are never coloured.
    #[arg(long, value_enum, global = true, default_value_t = color::Choice::Auto, value_name = "WHEN")]
    color: color::Choice,
    #[command(subcommand)]
    command: Command,
}

/// The commands in the order a user needs them; `display_order` leaves gaps
/// (after `score`, and at the end) for commands that belong there.
#[derive(Debug, Subcommand)]
enum Command {
    #[command(display_order = 10)]
    Run(run::RunArgs),
    #[command(display_order = 20)]
    Compare(compare::CompareArgs),
    #[command(display_order = 30)]
    Explain(explain::ExplainArgs),
    #[command(display_order = 40)]
    Score(score::ScoreArgs),
    #[command(display_order = 45)]
    Report(report::ReportArgs),
    #[command(display_order = 50)]
    Plot(plot::PlotArgs),
    #[command(display_order = 60)]
    Drivers(drivers::DriversArgs),
    #[command(display_order = 70)]
    Check(check::CheckArgs),
    #[command(display_order = 80)]
    Sweep(sweep::SweepArgs),
    #[command(display_order = 90)]
    Sensitivity(sensitivity::SensitivityArgs),
    #[command(display_order = 100)]
    Backtest(backtest::BacktestArgs),
    #[command(display_order = 110)]
    Calibrate(calibrate::CalibrateArgs),
    #[command(display_order = 120)]
    Merge(merge::MergeArgs),
    #[command(display_order = 130)]
    Bench(bench::BenchArgs),
    #[command(display_order = 140)]
    Completions(completions::CompletionsArgs),
    #[command(display_order = 150)]
    Man(man::ManArgs),
}

pub use coopsim::output::Format;

/// The output options every command shares: how to print, and where to
/// write files.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// How to print: a table, JSON, or CSV (where the output has one).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the output's JSON and CSV files into DIR (created if
    /// missing), each whole or not at all.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the files of an earlier result in --out DIR (without it,
    /// an existing result is kept and the command refuses).
    #[arg(long)]
    pub force: bool,
}

impl OutputArgs {
    /// Refuses, before any work, a format that the output `R` of
    /// `command` does not come in, and an --out folder already holding
    /// `R`'s files without --force.
    pub fn check<R: Render>(&self, command: &'static str) -> Result<(), Error> {
        coopsim::output::check_format::<R>(command, self.format)?;
        self.guard(&coopsim::output::file_names::<R>())
    }

    /// Refuses to replace any of `names` in --out without --force.
    pub fn guard(&self, names: &[&str]) -> Result<(), Error> {
        let Some(dir) = &self.out else {
            return Ok(());
        };
        if self.force {
            return Ok(());
        }
        let present: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| dir.join(n).exists())
            .collect();
        if present.is_empty() {
            return Ok(());
        }
        Err(coopsim::error::ArgumentError::OutExists {
            dir: dir.display().to_string(),
            files: present.join(" and "),
        }
        .into())
    }

    /// Writes `value`'s files into `--out` (if given), says so on stderr,
    /// and prints it.
    pub fn emit<R: Render>(&self, command: &'static str, value: &R) -> Result<(), Error> {
        let text = coopsim::output::render(command, value, self.format)?;
        self.print_and_write(&text, value)
    }

    /// Writes `value`'s files into `--out` (if given), says so on stderr,
    /// and prints `text`.
    pub fn print_and_write<R: Render>(&self, text: &str, value: &R) -> Result<(), Error> {
        if let Some(dir) = &self.out {
            self.guard(&coopsim::output::file_names::<R>())?;
            for path in coopsim::output::write_outputs(dir, value)? {
                note(&format!("wrote {}", path.display()));
            }
        }
        print(text.as_bytes())
    }
}

/// The option of the commands whose work splits across machines.
#[derive(Debug, clap::Args)]
pub struct ShardArgs {
    /// Compute only shard K of N of the work and write its part into
    /// --out, for `coopsim merge` to combine.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse, requires = "out")]
    pub shard: Option<Shard>,
}

/// Options shared by commands that read scenarios.
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// Look up model ids only in DIR (default: ../models beside the
    /// scenario, ./models, then the built-in models).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// Options shared by the commands that run the Monte Carlo.
#[derive(Debug, clap::Args)]
pub struct SimArgs {
    /// Number of runs, a whole number from 1 to 10^9 such as 10000 (also
    /// written 10_000 or 1e4); overrides the scenario's `runs`.
    #[arg(long, value_name = "N", value_parser = numbers::runs, allow_hyphen_values = true)]
    pub runs: Option<u64>,
    /// Seed of the random streams, a whole number in [0, 2^63) (overrides
    /// the scenario's `seed`).
    #[arg(long, value_name = "N", value_parser = numbers::seed, allow_hyphen_values = true)]
    pub seed: Option<u64>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub models: ModelArgs,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl SimArgs {
    /// Where to look for models named by id.
    pub fn search(&self) -> coopsim::input::ModelSearch {
        coopsim::input::ModelSearch {
            models_dir: self.models.models.clone(),
        }
    }

    /// The scenario's runs and seed, overridden by the command line.
    pub fn options(&self, loaded: &coopsim::LoadedScenario) -> coopsim::RunOptions {
        let mut options = coopsim::RunOptions::from_scenario(loaded);
        options.runs = self.runs.unwrap_or(options.runs);
        options.seed = self.seed.unwrap_or(options.seed);
        options.threads = self.threads;
        options
    }

    /// A progress bar over `total` runs on stderr (hidden with `--quiet` or
    /// when stderr is not a terminal).
    pub fn progress(&self, total: u64) -> indicatif::ProgressBar {
        use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
        use std::io::IsTerminal;
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        // At most 80 columns: a 24-column bar, the counts, a whole-number
        // rate and the time left.
        bar.set_style(
            ProgressStyle::with_template("{bar:24} {human_pos}/{human_len} runs {rate} eta {eta}")
                .map(|style| {
                    style.with_key(
                        "rate",
                        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{}/s", numbers::rate(state.per_sec()));
                        },
                    )
                })
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    }
}

/// Parses the command line, runs the command, and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    color::set(cli.color);
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Bench(args) => bench::bench(args),
        Command::Score(args) => score::score(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Check(args) => check::check(args),
        Command::Compare(args) => compare::compare(args),
        Command::Drivers(args) => drivers::drivers(args),
        Command::Explain(args) => explain::explain(args),
        Command::Merge(args) => merge::merge(args),
        Command::Backtest(args) => backtest::backtest(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
        Command::Report(args) => report::report(args),
        Command::Plot(args) => plot::plot(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => man::man(args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            ExitCode::from(exit_code::for_error(&e))
        }
    }
}

/// An error as the user sees it: the one place that adds `error:`.
/// Diagnostics of input files carry one `error:` per problem already,
/// since one file can hold many problems.
pub fn shown(e: &Error) -> String {
    match e {
        Error::Load(coopsim::input::LoadError::Located(_)) => e.to_string(),
        Error::Load(_) => format!("error: {e}"),
        Error::Merge(_) | Error::Argument(_) | Error::Write { .. } | Error::Interrupted { .. } => {
            format!("error: {e}")
        }
    }
}

/// Prints an error on stderr, coloured as `--color` says; a closed stderr
/// loses it quietly.
fn report(e: &Error) {
    note(&color::error(&shown(e)));
}

/// Prints a line on stderr; a closed stderr loses it quietly.
fn note(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Writes a shard's part into `dir` and says where, unless quiet.
fn save_part(
    output: &OutputArgs,
    dir: &std::path::Path,
    part: &coopsim::jobs::Part,
    quiet: bool,
) -> Result<ExitCode, Error> {
    output.guard(&[part.shard().file_name().as_str()])?;
    let path = coopsim::output::write_part(dir, part)?;
    if !quiet {
        note(&format!("wrote {}", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes to stdout, the one way every command prints; a closed pipe
/// (`coopsim check ... | head -1`) ends quietly.
fn print(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Write {
            path: "<stdout>".into(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// clap's own consistency checks of the command line (conflicting
    /// flags, bad defaults, duplicate names), which otherwise fire only when
    /// a user reaches the broken path.
    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Each command's `--out` help names the files it writes, as the
    /// renderer names them.
    #[test]
    fn out_help_names_the_files_written() {
        use coopsim::analysis::backtest::Backtest;
        use coopsim::analysis::calibrate::Calibration;
        use coopsim::analysis::compare::Comparison;
        use coopsim::analysis::explain::{Assumptions, Attribution};
        use coopsim::analysis::score::Scores;
        use coopsim::analysis::sensitivity::{morris::Morris, sobol::Sobol, tornado::Tornado};
        use coopsim::analysis::sweep::Sweep;
        use coopsim::bench::BenchReport;
        use coopsim::output::Render;
        fn files<R: Render>() -> Vec<&'static str> {
            let (json, csv) = R::FILES;
            std::iter::once(json).chain(csv).collect()
        }
        let cases: [(&str, Vec<&str>); 10] = [
            ("run", files::<coopsim::RunResult>()),
            ("backtest", files::<Backtest>()),
            ("calibrate", files::<Calibration>()),
            ("compare", files::<Comparison>()),
            ("score", files::<Scores>()),
            ("sweep", files::<Sweep>()),
            (
                "sensitivity",
                [files::<Tornado>(), files::<Sobol>(), files::<Morris>()].concat(),
            ),
            (
                "explain",
                [files::<Assumptions>(), files::<Attribution>()].concat(),
            ),
            ("bench", files::<BenchReport>()),
            (
                "merge",
                [
                    files::<coopsim::RunResult>(),
                    files::<Sweep>(),
                    files::<Sobol>(),
                ]
                .concat(),
            ),
        ];
        let cli = Cli::command();
        for (name, names) in cases {
            let help = cli
                .find_subcommand(name)
                .and_then(|c| c.get_arguments().find(|a| a.get_id() == "out"))
                .and_then(|a| a.get_help())
                .map(ToString::to_string)
                .unwrap_or_default();
            for file in names {
                assert!(
                    help.contains(file),
                    "rule: `coopsim {name} --help` names every file --out writes; {file} is \
                     missing from {help:?}; fix: the mut_arg(\"out\", ..) help in src/cli/{name}.rs"
                );
            }
        }
    }

    /// `coopsim --help` and `coopsim <sub> --help` for every subcommand the
    /// command line defines (a new one is covered without editing this
    /// test) show help with examples.
    #[test]
    fn every_command_has_help_with_examples() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        assert!(
            names.len() >= 10,
            "rule: the help test sees every subcommand ({names:?}); fix: src/cli/mod.rs"
        );
        let mut calls = vec![vec!["coopsim", "--help"]];
        calls.extend(names.iter().map(|n| vec!["coopsim", n.as_str(), "--help"]));
        for args in calls {
            let err = Cli::command().try_get_matches_from(&args).unwrap_err();
            let text = err.render().to_string();
            assert!(
                err.kind() == clap::error::ErrorKind::DisplayHelp && text.contains("Examples:"),
                "rule: every command's --help shows an \"Examples:\" section; `{}` gave \
                 {:?}:\n{text}\nfix: give the command an `after_help` with examples in src/cli/",
                args.join(" "),
                err.kind()
            );
        }
    }
}
