//! `coopsim calibrate`: fit a few parameters to the training years of a
//! record, and judge the fit on the test years.

use super::{OutputArgs, SimArgs, note};
use coopsim::Error;
use coopsim::analysis::backtest::Window;
use coopsim::analysis::calibrate::{self, Calibration, Fit, Prior, Setup};
use coopsim::input::{self, vary};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

const EXAMPLES: &str = "\
Examples:
  coopsim calibrate scenarios/history-2003.toml \\
      --observed data/pakistan_russia.toml \\
      --fit actors.russia.reciprocity=0:1 \\
      --fit engagement.pakistan.economic.bias=-3:3 \\
      --train 2003:2015 --test 2016:2025
  coopsim calibrate scenarios/history-2003.toml \\
      --observed data/pakistan_russia.toml \\
      --fit actors.pakistan.adjustment=0.05:2 \\
      --prior actors.pakistan.adjustment=0.5:0.25 \\
      --train 2003:2015 --test 2016:2025 --runs 500 \\
      --write scenarios/history-fitted.toml";

/// Set by the first Ctrl-C: the search stops at its next evaluation.
static STOP: AtomicBool = AtomicBool::new(false);

/// Fit up to ten parameters by minimising the mean CRPS of the training
/// years (plus a Gaussian prior penalty where --prior is given), and report
/// the fit on the training and test years, and each parameter's profile:
/// how flat the objective is along its range, which shows whether the
/// record pins it down.
///
/// Every evaluation runs the same runs with the same seed (common random
/// numbers), so the objective is smooth in the parameters; the search is
/// Nelder–Mead in the box of the --fit ranges. Progress goes to stderr.
/// Ctrl-C stops the search and reports the best point so far; a second
/// Ctrl-C quits.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    // clap does not wrap the usage line; this one fits 80 columns.
    override_usage = "coopsim calibrate [OPTIONS] --observed <FILE> --fit <PATH=LO:HI>...\n       \
                      --train <FROM:TO> <SCENARIO>",
    mut_arg("out", |a| a.help("Also write calibration.json and calibration.csv (the profiles) into DIR (created if missing), each whole or not at all"))
)]
pub struct CalibrateArgs {
    /// The scenario: usually a historical one, whose drivers follow what
    /// happened.
    scenario: PathBuf,
    /// The observations file (data/<name>.toml).
    #[arg(long, value_name = "FILE")]
    observed: PathBuf,
    /// A parameter to fit and its range, PATH=LO:HI (repeat for more).
    #[arg(long, value_name = "PATH=LO:HI", value_parser = Fit::parse, required = true)]
    fit: Vec<Fit>,
    /// A Gaussian prior on a fitted parameter, PATH=MEAN:SD.
    #[arg(long, value_name = "PATH=MEAN:SD", value_parser = Prior::parse)]
    prior: Vec<Prior>,
    /// The years fitted, FROM:TO.
    #[arg(long, value_name = "FROM:TO", value_parser = Window::parse)]
    train: Window,
    /// The years the fit is judged on, FROM:TO.
    #[arg(long, value_name = "FROM:TO", value_parser = Window::parse)]
    test: Option<Window>,
    /// The most evaluations of the search.
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    max_evaluations: u64,
    /// Points of each parameter's profile.
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u64).range(3..=201))]
    profile_points: u64,
    /// Write the scenario with the fitted values to FILE (a scenario file).
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn calibrate(args: CalibrateArgs) -> Result<ExitCode, Error> {
    args.output.check::<Calibration>("calibrate")?;
    let loaded = input::load_scenario(&args.scenario, &args.sim.search())?;
    let observed = input::load_observations(&args.observed, &loaded.base.model)?;
    let options = args.sim.options(&loaded);
    let setup = Setup {
        fits: args.fit.clone(),
        priors: args.prior.clone(),
        train: args.train,
        test: args.test,
        max_evaluations: args.max_evaluations as usize,
        profile_points: args.profile_points as usize,
    };
    // The first Ctrl-C asks the search to stop; a second one quits. A
    // handler that cannot be installed leaves Ctrl-C quitting at once.
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        note("stopping after this evaluation (Ctrl-C again to quit)");
    });
    let bar = args.sim.progress(setup.max_evaluations as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} evaluations (at most)  {msg}  {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let c = calibrate::calibrate(&loaded, &observed, &setup, options, &STOP, &|n, cost| {
        bar.set_position(n as u64);
        bar.set_message(format!("objective {cost:.3}"));
    })?;
    bar.finish_and_clear();
    if let Some(path) = &args.write {
        write_scenario(&args.scenario, path, &loaded, &c)?;
    }
    args.output.emit::<Calibration>("calibrate", &c)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the scenario with the fitted values to `path`, whole or not at
/// all, after checking that it loads.
fn write_scenario(
    from: &std::path::Path,
    path: &std::path::Path,
    loaded: &coopsim::LoadedScenario,
    c: &Calibration,
) -> Result<(), Error> {
    let text = std::fs::read_to_string(from).map_err(|e| input::LoadError::unreadable(from, e))?;
    let settings = c
        .fitted
        .iter()
        .map(|(p, v)| vary::Setting::new(p, *v))
        .collect::<Result<Vec<_>, _>>()?;
    let name = format!("{}-calibrated", loaded.scenario.name);
    let description = format!(
        "{} with {} fitted by `coopsim calibrate` to \"{}\" ({}:{}); training CRPS {:.2}{}.",
        loaded.scenario.name,
        c.fitted.keys().cloned().collect::<Vec<_>>().join(", "),
        c.observed.title,
        c.train_window.from,
        c.train_window.to,
        c.train.crps,
        c.test
            .as_ref()
            .map(|t| format!(", test CRPS {:.2}", t.crps))
            .unwrap_or_default()
    );
    let header = format!(
        "# Written by `coopsim calibrate` from {}; the fitted values replace the file's.\n",
        from.display()
    );
    let render = |model: Option<String>| -> Result<String, Error> {
        let text = match model {
            Some(m) => vary::with_model(&text, &m),
            None => Ok(text.clone()),
        }
        .and_then(|t| vary::scenario_text_with(&t, &settings, &name, &description))
        .map_err(|e| {
            coopsim::error::ArgumentError::Setting(format!("cannot write {}: {e}", path.display()))
        })?;
        Ok(format!("{header}{text}"))
    };
    // The written file must find its model from where it is written: by the
    // scenario's own reference if it can, else by the model file's path.
    let label = path.display().to_string();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let search = input::ModelSearch::default();
    let mut bytes = render(None)?;
    if input::parse_scenario(&label, bytes.as_bytes(), Some(dir), &search).is_err()
        && let Ok(model) = std::fs::canonicalize(&loaded.base.origin)
    {
        bytes = render(Some(model.display().to_string()))?;
    }
    input::parse_scenario(&label, bytes.as_bytes(), Some(dir), &search)?;
    coopsim::output::write_atomic(path, bytes.as_bytes())?;
    note(&format!("wrote {}", path.display()));
    Ok(())
}
