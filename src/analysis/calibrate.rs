//! Calibration: the values of a few named parameters that make a scenario's
//! runs forecast the training years best, judged on the test years
//! (docs/backtest.md, "Calibration").
//!
//! The objective is the mean CRPS of the training observations, plus a
//! Gaussian penalty for each parameter given a prior. Every evaluation runs
//! the same runs with the same seed (common random numbers): only the
//! parameters change between two evaluations, so the objective is a smooth
//! function of them rather than a noisy one. Nelder–Mead (argmin) searches
//! the box of the fitted ranges; then each parameter's profile (the
//! objective along its range, the others held at their fitted values) shows
//! how firmly the record pins it down.

use super::backtest::{self, ObservedRef, Summary, Targets, Window};
use crate::error::ArgumentError;
use crate::input::vary::{Setting, vary};
use crate::input::{LoadError, LoadedObservations, LoadedScenario};
use crate::model::{ParamPath, Value};
use crate::result::Provenance;
use crate::sim::Plan;
use crate::{Error, RunOptions};
use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use indexmap::IndexMap;
use serde::Serialize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The cost of a point the scenario refuses: worse than any CRPS.
const REFUSED: f64 = 1e12;

/// The most parameters one calibration fits: beyond about ten, a record of
/// a few dozen observations pins none of them down.
pub const MAX_FITTED: usize = 10;

/// One parameter to fit, and the range it is searched in.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub path: ParamPath,
    pub low: f64,
    pub high: f64,
}

impl Fit {
    /// Parses `PATH=LO:HI` with LO < HI.
    pub fn parse(text: &str) -> Result<Fit, String> {
        let (path, range) = text
            .split_once('=')
            .ok_or_else(|| format!("expected PATH=LO:HI, found {text:?}"))?;
        let (low, high) = two_numbers(range, "LO:HI")?;
        if low >= high {
            return Err(format!("{text}: the range needs LO < HI"));
        }
        Ok(Fit {
            path: parse_path(path)?,
            low,
            high,
        })
    }
}

/// A Gaussian prior on a fitted parameter: judgement that anchors a thin
/// record.
#[derive(Clone, Debug, PartialEq)]
pub struct Prior {
    pub path: ParamPath,
    pub mean: f64,
    pub sd: f64,
}

/// A prior as the result reports it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PriorOut {
    pub mean: f64,
    pub sd: f64,
}

impl Prior {
    /// Parses `PATH=MEAN:SD` with SD > 0.
    pub fn parse(text: &str) -> Result<Prior, String> {
        let (path, numbers) = text
            .split_once('=')
            .ok_or_else(|| format!("expected PATH=MEAN:SD, found {text:?}"))?;
        let (mean, sd) = two_numbers(numbers, "MEAN:SD")?;
        if sd <= 0.0 {
            return Err(format!("{text}: a prior needs SD > 0"));
        }
        Ok(Prior {
            path: parse_path(path)?,
            mean,
            sd,
        })
    }
}

fn parse_path(text: &str) -> Result<ParamPath, String> {
    text.trim()
        .parse()
        .map_err(|e: crate::model::PathError| format!("{}: {}", text.trim(), e.message()))
}

fn two_numbers(text: &str, form: &str) -> Result<(f64, f64), String> {
    let (a, b) = text
        .split_once(':')
        .ok_or_else(|| format!("expected {form}, found {text:?}"))?;
    let number = |s: &str| -> Result<f64, String> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("expected a number, found {s:?}"))
    };
    Ok((number(a)?, number(b)?))
}

/// What to fit, on which years, and how hard to search.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub fits: Vec<Fit>,
    pub priors: Vec<Prior>,
    pub train: Window,
    pub test: Option<Window>,
    /// The most objective evaluations of the search (the profiles come on
    /// top).
    pub max_evaluations: usize,
    /// Points of each profile across its range.
    pub profile_points: usize,
}

/// The objective along one parameter's range, the others at their fitted
/// values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Profile {
    pub values: Vec<f64>,
    pub objective: Vec<f64>,
    /// How much the objective may rise and still be within what the record
    /// can tell apart: the standard error of the mean training CRPS over
    /// the observations, at the fit.
    pub tolerance: f64,
    /// The smallest and largest profile values within `tolerance` of the
    /// profile's minimum.
    pub within: [f64; 2],
    /// `within`'s width as a share of the searched range: near 0 the
    /// record pins the parameter down, near 1 it says nothing about it.
    pub share_of_range: f64,
    /// "pinned" (share below 1/3), "loose" (below 2/3) or "unpinned".
    pub verdict: String,
}

/// How the search ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stopped {
    /// The simplex shrank below its tolerance.
    Converged,
    /// The evaluation limit was reached first.
    EvaluationLimit,
    /// Interrupted: the fit is the best point evaluated so far.
    Interrupted,
}

/// A calibration's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub observed: ObservedRef,
    pub train_window: Window,
    pub test_window: Option<Window>,
    /// The fitted value of each parameter, by path.
    pub fitted: IndexMap<String, f64>,
    /// Where the search started: the scenario's values (a distribution's
    /// mean), or the middle of the range for one outside it.
    pub started: IndexMap<String, f64>,
    /// The priors given, by path.
    pub priors: IndexMap<String, PriorOut>,
    /// The objective at the fit: mean training CRPS plus the prior penalty.
    pub objective: f64,
    pub evaluations: usize,
    pub stopped: Stopped,
    /// The scenario as written, on the training and test years.
    pub before: Split,
    /// The scenario with the fitted values.
    pub train: Summary,
    pub test: Option<Summary>,
    pub profiles: IndexMap<String, Profile>,
}

/// Training and test summaries of one set of values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Split {
    pub train: Summary,
    pub test: Option<Summary>,
}

/// The objective: a scenario's training CRPS at given values.
struct Objective<'a> {
    loaded: &'a LoadedScenario,
    targets: &'a Targets<'a>,
    setup: &'a Setup,
    options: RunOptions,
    stop: &'a AtomicBool,
    evaluations: AtomicUsize,
    /// The best point evaluated: (objective, values).
    best: Mutex<Option<(f64, Vec<f64>)>>,
    progress: &'a (dyn Fn(usize, f64) + Sync),
}

impl Objective<'_> {
    /// The values on the parameters' own scales of a point of the unit
    /// cube, clamped into it.
    fn values(&self, unit: &[f64]) -> Vec<f64> {
        self.setup
            .fits
            .iter()
            .zip(unit)
            .map(|(f, u)| f.low + u.clamp(0.0, 1.0) * (f.high - f.low))
            .collect()
    }

    /// The training scores at `values`, and the objective.
    fn evaluate(&self, values: &[f64]) -> Result<(Vec<f64>, f64), Error> {
        let scenario = with_values(self.loaded, &self.setup.fits, values)?;
        let crps = train_crps(&scenario, self.targets, self.options);
        let mean = crps.iter().sum::<f64>() / crps.len() as f64;
        let penalty = prior_penalty(&self.setup.fits, &self.setup.priors, values, crps.len());
        Ok((crps, mean + penalty))
    }
}

impl CostFunction for Objective<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, unit: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        // argmin's Nelder–Mead cannot take an error from its first
        // evaluations, so a stop is a cost of minus infinity: it reaches
        // the default target cost and ends the search at once, and the
        // best point kept here counts only real evaluations.
        if self.stop.load(Ordering::Relaxed) {
            return Ok(f64::NEG_INFINITY);
        }
        let values = self.values(unit);
        // Values inside the ranges are checked at both ends before the
        // search; one the scenario still refuses is simply a bad point.
        let Ok((_, objective)) = self.evaluate(&values) else {
            return Ok(REFUSED);
        };
        // Outside the box the values are clamped; the distance outside is
        // charged so that the simplex comes back in.
        let outside: f64 = unit.iter().map(|u| (u - u.clamp(0.0, 1.0)).powi(2)).sum();
        let cost = objective + 1e3 * outside;
        let n = self.evaluations.fetch_add(1, Ordering::Relaxed) + 1;
        if let Ok(mut best) = self.best.lock()
            && best.as_ref().is_none_or(|(b, _)| objective < *b)
            && outside == 0.0
        {
            *best = Some((objective, values));
        }
        (self.progress)(n, cost);
        Ok(cost)
    }
}

/// The scenario with `fits` set to `values`, checked like a file.
fn with_values(
    loaded: &LoadedScenario,
    fits: &[Fit],
    values: &[f64],
) -> Result<LoadedScenario, LoadError> {
    let settings: Vec<Setting> = fits
        .iter()
        .zip(values)
        .map(|(f, v)| Setting {
            path: f.path.clone(),
            value: *v,
        })
        .collect();
    vary(loaded, &settings)
}

/// Each training target's CRPS under `scenario`.
fn train_crps(scenario: &LoadedScenario, targets: &Targets, options: RunOptions) -> Vec<f64> {
    let plan = Plan::new(&scenario.scenario, options.seed);
    let ensembles = backtest::ensembles(&plan, targets, options, &|_| {});
    ensembles
        .iter()
        .zip(&targets.items)
        .map(|(e, t)| crate::scoring::crps_sorted(e, t.observation.index_value))
        .collect()
}

/// The Gaussian prior penalty, on the scale of a mean CRPS over `n`
/// observations: `sum ((v - mean) / sd)^2 / 2 / n`. Summed CRPS plays the
/// part of a negative log likelihood, and the prior adds its own.
fn prior_penalty(fits: &[Fit], priors: &[Prior], values: &[f64], n: usize) -> f64 {
    let sum: f64 = priors
        .iter()
        .filter_map(|p| {
            let i = fits.iter().position(|f| f.path == p.path)?;
            Some(((values[i] - p.mean) / p.sd).powi(2) / 2.0)
        })
        .sum();
    sum / n.max(1) as f64
}

/// The scenario's current value of a path: a number, a distribution's
/// mean, a constant target.
fn current_value(loaded: &LoadedScenario, path: &ParamPath) -> Option<f64> {
    loaded
        .scenario
        .model
        .values()
        .find(|(p, _)| p == path)
        .and_then(|(_, v)| match v {
            Value::Param(p) => Some(p.mean()),
            Value::Number(x) => Some(x),
            Value::Target(crate::model::Target::Constant(x)) => Some(x.mean()),
            Value::Target(_) => None,
        })
}

/// Fits `setup.fits` to the training years of `observed` under `options`.
/// `progress` hears each evaluation's count and cost; `stop`, once set,
/// ends the search at the next evaluation with the best point so far.
pub fn calibrate(
    loaded: &LoadedScenario,
    observed: &LoadedObservations,
    setup: &Setup,
    options: RunOptions,
    stop: &AtomicBool,
    progress: &(dyn Fn(usize, f64) + Sync),
) -> Result<Calibration, Error> {
    check_setup(loaded, setup)?;
    let train = backtest::targets(loaded, observed, Some(setup.train))?;
    if train.items.is_empty() {
        return Err(ArgumentError::Setting(format!(
            "no observation to fit in {}:{} after the scenario's start",
            setup.train.from, setup.train.to
        ))
        .into());
    }
    let test = setup
        .test
        .map(|w| backtest::targets(loaded, observed, Some(w)))
        .transpose()?;
    let started: Vec<f64> = setup
        .fits
        .iter()
        .map(|f| {
            current_value(loaded, &f.path)
                .filter(|v| (f.low..=f.high).contains(v))
                .unwrap_or((f.low + f.high) / 2.0)
        })
        .collect();
    let objective = Objective {
        loaded,
        targets: &train,
        setup,
        options,
        stop,
        evaluations: AtomicUsize::new(0),
        best: Mutex::new(None),
        progress,
    };
    let unit_start: Vec<f64> = setup
        .fits
        .iter()
        .zip(&started)
        .map(|(f, v)| (v - f.low) / (f.high - f.low))
        .collect();
    let stopped = search(&objective, &unit_start, setup.max_evaluations);
    let (best_objective, fitted) = objective
        .best
        .lock()
        .ok()
        .and_then(|b| b.clone())
        .unwrap_or_else(|| (f64::NAN, started.clone()));
    let evaluations = objective.evaluations.load(Ordering::Relaxed);
    let fitted_scenario = with_values(loaded, &setup.fits, &fitted)?;
    let summarise = |s: &LoadedScenario, targets: &Targets| -> Option<Summary> {
        Summary::of(&backtest::score_all(s, targets, options, &|_| {}))
    };
    let no_observations = || {
        Error::from(ArgumentError::Setting(
            "no observation to fit in the training years".to_owned(),
        ))
    };
    let before = Split {
        train: summarise(loaded, &train).ok_or_else(no_observations)?,
        test: test.as_ref().and_then(|t| summarise(loaded, t)),
    };
    let train_summary = summarise(&fitted_scenario, &train).ok_or_else(no_observations)?;
    let test_summary = test.as_ref().and_then(|t| summarise(&fitted_scenario, t));
    let profiles = if stop.load(Ordering::Relaxed) {
        IndexMap::new()
    } else {
        profiles(&objective, &fitted, stop)?
    };
    let stopped = if stop.load(Ordering::Relaxed) {
        Stopped::Interrupted
    } else {
        stopped
    };
    let key = |p: &ParamPath| p.to_string();
    Ok(Calibration {
        provenance: Provenance::new(loaded, options.seed, options.runs),
        observed: ObservedRef {
            title: observed.record.title.clone(),
            sha256: observed.sha256.clone(),
        },
        train_window: setup.train,
        test_window: setup.test,
        fitted: setup
            .fits
            .iter()
            .zip(&fitted)
            .map(|(f, v)| (key(&f.path), *v))
            .collect(),
        started: setup
            .fits
            .iter()
            .zip(&started)
            .map(|(f, v)| (key(&f.path), *v))
            .collect(),
        priors: setup
            .priors
            .iter()
            .map(|p| {
                (
                    key(&p.path),
                    PriorOut {
                        mean: p.mean,
                        sd: p.sd,
                    },
                )
            })
            .collect(),
        objective: best_objective,
        evaluations,
        stopped,
        before,
        train: train_summary,
        test: test_summary,
        profiles,
    })
}

/// Refuses fits the scenario cannot take: too many, a path twice, a prior
/// on a path not fitted, a range the scenario's checks reject.
fn check_setup(loaded: &LoadedScenario, setup: &Setup) -> Result<(), Error> {
    let refuse = |m: String| -> Result<(), Error> { Err(ArgumentError::Setting(m).into()) };
    if setup.fits.is_empty() || setup.fits.len() > MAX_FITTED {
        return refuse(format!(
            "calibration fits 1 to {MAX_FITTED} parameters, given {}",
            setup.fits.len()
        ));
    }
    for (i, f) in setup.fits.iter().enumerate() {
        if setup.fits[..i].iter().any(|g| g.path == f.path) {
            return refuse(format!("--fit {} is given twice", f.path));
        }
        if matches!(f.path, ParamPath::Threshold { .. }) {
            return refuse(format!(
                "--fit {}: thresholds say what counts as partnership, they are not fitted",
                f.path
            ));
        }
        // Both ends of the range must be values the scenario accepts.
        for v in [f.low, f.high] {
            let setting = Setting {
                path: f.path.clone(),
                value: v,
            };
            vary(loaded, &[setting])?;
        }
    }
    for p in &setup.priors {
        if !setup.fits.iter().any(|f| f.path == p.path) {
            return refuse(format!(
                "--prior {}: a prior needs a --fit of the same path",
                p.path
            ));
        }
    }
    Ok(())
}

/// Nelder–Mead on the unit cube from `start`, within `max_evaluations`.
fn search(objective: &Objective, start: &[f64], max_evaluations: usize) -> Stopped {
    let n = start.len();
    // The first simplex spans a quarter of each range, inward from the start.
    let mut simplex = vec![start.to_vec()];
    for i in 0..n {
        let mut vertex = start.to_vec();
        vertex[i] += if start[i] > 0.5 { -0.25 } else { 0.25 };
        simplex.push(vertex);
    }
    let Ok(solver) = NelderMead::new(simplex).with_sd_tolerance(1e-4) else {
        return Stopped::EvaluationLimit;
    };
    // Each iteration costs one to n + 2 evaluations; the count in the
    // objective enforces the limit exactly.
    let limit = max_evaluations;
    let capped = Capped {
        inner: objective,
        limit,
    };
    match Executor::new(capped, solver)
        .configure(|s| s.max_iters(max_evaluations as u64))
        .run()
    {
        Ok(r)
            if r.state()
                .get_termination_reason()
                .is_some_and(|t| matches!(t, argmin::core::TerminationReason::SolverConverged)) =>
        {
            Stopped::Converged
        }
        _ => Stopped::EvaluationLimit,
    }
}

/// The objective, ending the search (as a stop does) beyond a limit of
/// evaluations.
struct Capped<'a, 'b> {
    inner: &'a Objective<'b>,
    limit: usize,
}

impl CostFunction for Capped<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, unit: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        if self.inner.evaluations.load(Ordering::Relaxed) >= self.limit {
            return Ok(f64::NEG_INFINITY);
        }
        self.inner.cost(unit)
    }
}

/// Each parameter's profile around `fitted`.
fn profiles(
    objective: &Objective,
    fitted: &[f64],
    stop: &AtomicBool,
) -> Result<IndexMap<String, Profile>, Error> {
    let setup = objective.setup;
    let (crps, _) = objective.evaluate(fitted)?;
    let n = crps.len() as f64;
    let mean = crps.iter().sum::<f64>() / n;
    let sd = (crps.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    let tolerance = sd / n.sqrt();
    let points = setup.profile_points.max(3);
    let mut out = IndexMap::new();
    for (i, f) in setup.fits.iter().enumerate() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let values: Vec<f64> = (0..points)
            .map(|k| f.low + (f.high - f.low) * k as f64 / (points - 1) as f64)
            .collect();
        let mut objectives = Vec::with_capacity(points);
        for v in &values {
            let mut at = fitted.to_vec();
            at[i] = *v;
            objectives.push(objective.evaluate(&at)?.1);
        }
        let lowest = objectives.iter().copied().fold(f64::INFINITY, f64::min);
        let near: Vec<f64> = values
            .iter()
            .zip(&objectives)
            .filter(|(_, o)| **o <= lowest + tolerance)
            .map(|(v, _)| *v)
            .collect();
        let within = [
            near.first().copied().unwrap_or(f.low),
            near.last().copied().unwrap_or(f.high),
        ];
        let share = (within[1] - within[0]) / (f.high - f.low);
        let verdict = if share < 1.0 / 3.0 {
            "pinned"
        } else if share < 2.0 / 3.0 {
            "loose"
        } else {
            "unpinned"
        };
        out.insert(
            f.path.to_string(),
            Profile {
                values,
                objective: objectives,
                tolerance,
                within,
                share_of_range: share,
                verdict: verdict.to_owned(),
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_and_priors_parse_their_forms() {
        let f = Fit::parse("actors.russia.reciprocity=0.1:0.9").unwrap();
        assert_eq!((f.low, f.high), (0.1, 0.9));
        assert_eq!(f.path.to_string(), "actors.russia.reciprocity");
        assert!(Fit::parse("actors.russia.reciprocity=0.9:0.1").is_err());
        assert!(Fit::parse("actors.russia.reciprocity").is_err());
        assert!(Fit::parse("actors.russia.reciprocity=a:1").is_err());
        assert!(Fit::parse("nowhere=0:1").is_err());
        let p = Prior::parse("drivers.cpec.reversion=0.5:0.2").unwrap();
        assert_eq!((p.mean, p.sd), (0.5, 0.2));
        assert!(Prior::parse("drivers.cpec.reversion=0.5:0").is_err());
    }

    #[test]
    fn the_prior_penalty_is_half_the_squared_z_per_observation() {
        let fits = [Fit::parse("drivers.cpec.reversion=0:2").unwrap()];
        let priors = [Prior::parse("drivers.cpec.reversion=0.5:0.25").unwrap()];
        // z = (1.0 - 0.5) / 0.25 = 2; z^2 / 2 = 2; over 4 observations, 0.5.
        assert_eq!(prior_penalty(&fits, &priors, &[1.0], 4), 0.5);
        assert_eq!(prior_penalty(&fits, &[], &[1.0], 4), 0.0);
    }
}
