//! Backtest: a scenario's runs scored against what was observed
//! (docs/spec.md §14, docs/backtest.md).
//!
//! Every observation after the scenario's start (and, with a window, inside
//! it) is compared with the runs' values of its index at its period: the
//! ensemble CRPS and its fair form, threshold Brier scores, the coverage of
//! the central 50% and 90% intervals, the interval score, the KDE log score
//! and the PIT. Two references score the same observations: persistence
//! (the measure's last value at or before the start, as a point) and
//! climatology (the measure's values up to the start, as an ensemble).

use crate::error::ArgumentError;
use crate::input::{LoadedObservations, LoadedScenario};
use crate::model::{Grade, Measure, Measured, Observation, Period};
use crate::result::Provenance;
use crate::scoring;
use crate::sim::{Plan, collect_cells};
use crate::{Error, RunOptions};
use indexmap::IndexMap;
use serde::Serialize;

/// The smallest kernel bandwidth of the log score, in index points: the
/// observations are known no finer (a ladder's rungs are tens of points
/// apart, a trade figure is rounded), so a sharper density claims nothing
/// the record can check, and a collapsed ensemble still gets a finite score.
pub const LOG_SCORE_MIN_BANDWIDTH: f64 = 0.5;

/// The years scored: observations in `from ..= to` (calendar years of
/// their periods).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from: i64,
    pub to: i64,
}

impl Window {
    /// Parses `FROM:TO`, two years with FROM <= TO.
    pub fn parse(text: &str) -> Result<Window, String> {
        let (from, to) = text
            .split_once(':')
            .ok_or_else(|| format!("expected FROM:TO such as 2016:2025, found {text:?}"))?;
        let year = |s: &str| -> Result<i64, String> {
            s.trim()
                .parse::<i64>()
                .ok()
                .filter(|y| (1000..=9999).contains(y))
                .ok_or_else(|| format!("expected a year such as 2016, found {s:?}"))
        };
        let (from, to) = (year(from)?, year(to)?);
        if from > to {
            return Err(format!("{from}:{to} ends before it starts"));
        }
        Ok(Window { from, to })
    }

    fn contains(self, period: Period) -> bool {
        (self.from..=self.to).contains(&period.year())
    }
}

/// The observation file named in a backtest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObservedRef {
    pub title: String,
    pub sha256: String,
}

/// A measured value as the file gave it: a number or a rung.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ValueOut {
    Number(f64),
    Rung(String),
}

/// One observation and the forecast's scores on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    pub measure: String,
    pub index: String,
    pub period: String,
    pub value: ValueOut,
    /// The observation on the index scale.
    pub observed: f64,
    pub grade: String,
    pub mean: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub crps: f64,
    pub crps_fair: f64,
    pub brier_high: f64,
    pub brier_low: f64,
    pub covered_50: bool,
    pub covered_90: bool,
    pub interval_score_90: f64,
    pub log_score: f64,
    pub pit: f64,
    /// The persistence forecast of the observation's measure on the index
    /// scale: its last value at or before the start.
    pub persistence: f64,
    /// The references' CRPS on the same observation.
    pub crps_persistence: f64,
    pub crps_climatology: f64,
}

/// Mean scores over a set of scored observations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub n: usize,
    pub crps: f64,
    pub crps_persistence: f64,
    pub crps_climatology: f64,
    pub skill_vs_persistence: f64,
    pub skill_vs_climatology: f64,
    pub coverage_50: f64,
    pub coverage_90: f64,
    pub crps_fair: f64,
    pub interval_score_90: f64,
    pub log_score: f64,
    pub brier_high: f64,
    pub brier_low: f64,
    /// Observations on which the model's CRPS is below persistence's.
    pub beats_persistence: usize,
    /// Observations on which the model's CRPS is below climatology's.
    pub beats_climatology: usize,
}

impl Summary {
    /// The means of `scored`; `None` when it is empty.
    pub fn of<'a>(scored: impl IntoIterator<Item = &'a Scored>) -> Option<Summary> {
        let scored: Vec<&Scored> = scored.into_iter().collect();
        if scored.is_empty() {
            return None;
        }
        let n = scored.len();
        let mean = |f: &dyn Fn(&Scored) -> f64| scored.iter().map(|s| f(s)).sum::<f64>() / n as f64;
        let share = |f: &dyn Fn(&Scored) -> bool| scored.iter().filter(|s| f(s)).count();
        let crps = mean(&|s| s.crps);
        let crps_persistence = mean(&|s| s.crps_persistence);
        let crps_climatology = mean(&|s| s.crps_climatology);
        Some(Summary {
            n,
            crps,
            crps_persistence,
            crps_climatology,
            skill_vs_persistence: scoring::skill(crps, crps_persistence),
            skill_vs_climatology: scoring::skill(crps, crps_climatology),
            coverage_50: share(&|s| s.covered_50) as f64 / n as f64,
            coverage_90: share(&|s| s.covered_90) as f64 / n as f64,
            crps_fair: mean(&|s| s.crps_fair),
            interval_score_90: mean(&|s| s.interval_score_90),
            log_score: mean(&|s| s.log_score),
            brier_high: mean(&|s| s.brier_high),
            brier_low: mean(&|s| s.brier_low),
            beats_persistence: share(&|s| s.crps < s.crps_persistence),
            beats_climatology: share(&|s| s.crps < s.crps_climatology),
        })
    }
}

/// What was not scored, and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NotScored {
    /// At or before the scenario's start: they serve the references.
    pub at_or_before_start: usize,
    /// After the scenario's end.
    pub after_end: usize,
    /// Outside `--window`.
    pub outside_window: usize,
}

/// A scenario's backtest against observations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub observed: ObservedRef,
    /// The years scored, if not all.
    pub window: Option<Window>,
    pub observations: Vec<Scored>,
    /// Over every scored observation; `None` when none was scored.
    pub summary: Option<Summary>,
    /// By index, in the model's order (composite first).
    pub by_index: IndexMap<String, Summary>,
    /// By grade: `firm`, then `rough`.
    pub by_grade: IndexMap<String, Summary>,
    pub not_scored: NotScored,
    /// Measures whose climatology uses every one of their observations,
    /// for want of two at or before the start.
    pub climatology_from_all: Vec<String>,
}

/// The observations a backtest scores, with their references, located in
/// the runs' output.
pub(crate) struct Targets<'a> {
    pub(crate) items: Vec<Target<'a>>,
    pub(crate) not_scored: NotScored,
    pub(crate) climatology_from_all: Vec<String>,
}

/// One observation to score.
pub(crate) struct Target<'a> {
    pub(crate) measure: &'a Measure,
    pub(crate) observation: &'a Observation,
    /// The step of its period after the start, and its index series
    /// (0 the composite, then the domains).
    pub(crate) at: (usize, usize),
    pub(crate) persistence: f64,
    /// The climatology ensemble, ascending.
    pub(crate) climatology: Vec<f64>,
}

/// Finds the observations `loaded` can be scored on, with their cells and
/// references. Fails when the observations are of another model.
pub(crate) fn targets<'a>(
    loaded: &LoadedScenario,
    observed: &'a LoadedObservations,
    window: Option<Window>,
) -> Result<Targets<'a>, Error> {
    let s = &loaded.scenario;
    let record = &observed.record;
    if record.model != s.model.id {
        return Err(ArgumentError::ObservedModel {
            observed: record.model.clone(),
            model: s.model.id.clone(),
        }
        .into());
    }
    let series = |index: &str| -> usize {
        s.model
            .domains
            .iter()
            .position(|d| d.id == index)
            .map_or(0, |d| d + 1)
    };
    let (start, end) = (s.start, s.end());
    let mut out = Targets {
        items: Vec::new(),
        not_scored: NotScored::default(),
        climatology_from_all: Vec::new(),
    };
    for m in &record.measures {
        let before: Vec<&Observation> = m.values.iter().filter(|o| o.period <= start).collect();
        let persistence = before.last().unwrap_or(&&m.values[0]).index_value;
        let mut climatology: Vec<f64> = if before.len() >= 2 {
            before.iter().map(|o| o.index_value).collect()
        } else {
            out.climatology_from_all.push(m.id.clone());
            m.values.iter().map(|o| o.index_value).collect()
        };
        climatology.sort_by(f64::total_cmp);
        for o in &m.values {
            if o.period <= start {
                out.not_scored.at_or_before_start += 1;
            } else if o.period > end {
                out.not_scored.after_end += 1;
            } else if window.is_some_and(|w| !w.contains(o.period)) {
                out.not_scored.outside_window += 1;
            } else {
                let t = start.steps_until(o.period) as usize;
                out.items.push(Target {
                    measure: m,
                    observation: o,
                    at: (t, series(&m.index)),
                    persistence,
                    climatology: climatology.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Each target's runs' values, ascending: `runs` runs of `plan`.
pub(crate) fn ensembles(
    plan: &Plan,
    targets: &Targets,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<f64>> {
    let cells: Vec<usize> = targets
        .items
        .iter()
        .map(|t| t.at.0 * plan.n_series() + t.at.1)
        .collect();
    let mut values = collect_cells(plan, 0..options.runs, options.threads, progress, &cells);
    for v in &mut values {
        v.sort_by(f64::total_cmp);
    }
    values
}

/// Scores one target on its ascending ensemble.
fn score_one(target: &Target, sorted: &[f64], thresholds: crate::model::Thresholds) -> Scored {
    let o = target.observation;
    let y = o.index_value;
    let q = |p: f64| scoring::quantile_sorted(sorted, p);
    let m = sorted.len() as f64;
    let share = |f: &dyn Fn(f64) -> bool| sorted.iter().filter(|&&x| f(x)).count() as f64 / m;
    let p_high = share(&|x| x >= thresholds.high);
    let p_low = share(&|x| x <= thresholds.low);
    let i50 = scoring::central_interval_sorted(sorted, 0.5);
    let i90 = scoring::central_interval_sorted(sorted, 0.1);
    Scored {
        measure: target.measure.id.clone(),
        index: target.measure.index.clone(),
        period: o.period.to_string(),
        value: match &o.measured {
            Measured::Number(v) => ValueOut::Number(*v),
            Measured::Rung(r) => ValueOut::Rung(r.clone()),
        },
        observed: y,
        grade: o.grade.name().to_owned(),
        mean: sorted.iter().sum::<f64>() / m,
        p05: q(0.05),
        p25: q(0.25),
        p50: q(0.5),
        p75: q(0.75),
        p95: q(0.95),
        crps: scoring::crps_sorted(sorted, y),
        crps_fair: scoring::crps_fair_sorted(sorted, y),
        brier_high: scoring::brier(p_high, y >= thresholds.high),
        brier_low: scoring::brier(p_low, y <= thresholds.low),
        covered_50: i50.contains(y),
        covered_90: i90.contains(y),
        interval_score_90: scoring::interval_score(i90, 0.1, y),
        log_score: scoring::kde_log_score_sorted(sorted, y, LOG_SCORE_MIN_BANDWIDTH),
        pit: scoring::pit_sorted(sorted, y),
        persistence: target.persistence,
        crps_persistence: (target.persistence - y).abs(),
        crps_climatology: scoring::crps_sorted(&target.climatology, y),
    }
}

/// Runs `loaded` and scores every target on its runs.
pub(crate) fn score_all(
    loaded: &LoadedScenario,
    targets: &Targets,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Scored> {
    let plan = Plan::new(&loaded.scenario, options.seed);
    let ensembles = ensembles(&plan, targets, options, progress);
    let thresholds = loaded.scenario.thresholds;
    targets
        .items
        .iter()
        .zip(&ensembles)
        .map(|(t, e)| score_one(t, e, thresholds))
        .collect()
}

/// Backtests `loaded` against `observed` under `options`, scoring the
/// observations in `window` (all after the start when `None`).
pub fn backtest(
    loaded: &LoadedScenario,
    observed: &LoadedObservations,
    window: Option<Window>,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Backtest, Error> {
    let targets = targets(loaded, observed, window)?;
    let scored = score_all(loaded, &targets, options, progress);
    let model = &loaded.scenario.model;
    let by_index = std::iter::once("composite")
        .chain(model.domains.iter().map(|d| d.id.as_str()))
        .filter_map(|index| {
            Summary::of(scored.iter().filter(|s| s.index == index)).map(|s| (index.to_owned(), s))
        })
        .collect();
    let by_grade = [Grade::Firm, Grade::Rough]
        .into_iter()
        .filter_map(|g| {
            Summary::of(scored.iter().filter(|s| s.grade == g.name()))
                .map(|s| (g.name().to_owned(), s))
        })
        .collect();
    Ok(Backtest {
        provenance: Provenance::new(loaded, options.seed, options.runs),
        observed: ObservedRef {
            title: observed.record.title.clone(),
            sha256: observed.sha256.clone(),
        },
        window,
        summary: Summary::of(&scored),
        observations: scored,
        by_index,
        by_grade,
        not_scored: targets.not_scored,
        climatology_from_all: targets.climatology_from_all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_two_ordered_years() {
        assert_eq!(
            Window::parse("2016:2025"),
            Ok(Window {
                from: 2016,
                to: 2025
            })
        );
        assert!(Window::parse("2025:2016").is_err());
        assert!(Window::parse("2016").is_err());
        assert!(Window::parse("16:25").is_err());
    }
}
