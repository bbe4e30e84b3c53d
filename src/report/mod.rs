//! `coopsim report` and `coopsim plot`: the analyses of a set of scenarios,
//! run once, drawn as charts, and gathered into one self-contained HTML
//! page or into a folder of chart files.
//!
//! [`analyse`] runs what both need: each scenario's result; with several
//! scenarios, the paired comparison with the first and the scorecards;
//! the first scenario's tornado; each scenario's assumptions; and, with
//! observations, the first scenario's backtest. [`Analyses::charts`] draws
//! them; [`html`] fills the page's template (`report.html`, auto-escaped by
//! minijinja, so text from a scenario file shows as text).

mod page;

use crate::analysis::backtest::{self, Backtest};
use crate::analysis::compare::{self, Comparison};
use crate::analysis::explain::{self, Assumptions};
use crate::analysis::score::{self, Scores};
use crate::analysis::sensitivity::tornado::{self, Tornado};
use crate::chart::Chart;
use crate::error::ArgumentError;
use crate::input::{LoadedObservations, LoadedScenario};
use crate::result::{COMPOSITE, RunResult};
use crate::{Error, RunOptions};
use std::path::{Path, PathBuf};

pub use page::html;

/// The runs of each scenario (and of each tornado variant) when `--runs`
/// is not given: enough for smooth bands and medians, few enough that the
/// report of every shipped scenario takes seconds. A band's quantiles move
/// by a fraction of a point between 2,000 and 10,000 runs.
pub const DEFAULT_RUNS: u64 = 2_000;

/// The tornado's variants run a quarter of the runs: a bar is a difference
/// of two means over the same runs (common random numbers), far tighter
/// than either mean, and the first scenario's tornado runs twice per driver
/// and uncertain parameter (195 variants for the baseline), which would
/// otherwise be most of a report's time.
pub const TORNADO_SHARE: u64 = 4;

/// The runs of each tornado variant under `options`.
pub fn tornado_runs(options: RunOptions) -> u64 {
    (options.runs / TORNADO_SHARE).max(1)
}

/// Everything a report or a set of plots shows, computed once.
#[derive(Clone, Debug)]
pub struct Analyses {
    /// Each scenario's result, in the order given.
    pub results: Vec<RunResult>,
    /// Each scenario's assumptions against its model, in the same order.
    pub assumptions: Vec<Assumptions>,
    /// With several scenarios: each other one against the first.
    pub comparison: Option<Comparison>,
    /// With several scenarios: their scorecards, ranked.
    pub scores: Option<Scores>,
    /// The first scenario's tornado.
    pub tornado: Tornado,
    /// With observations: the first scenario's backtest.
    pub backtest: Option<Backtest>,
    /// What the scenarios and runs were, for the provenance.
    pub options: RunOptions,
}

/// Runs every analysis of `scenarios` (the first is the base) under
/// `options` (the tornado's variants with a quarter of the runs);
/// `progress` hears of finished runs.
///
/// Fails when there is no scenario, when several do not share a horizon,
/// domains and distinct names, or when the observations are of another
/// model.
pub fn analyse(
    scenarios: &[LoadedScenario],
    observed: Option<&LoadedObservations>,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Analyses, Error> {
    let (first, others) = scenarios.split_first().ok_or(ArgumentError::NoScenario)?;
    // Checked before any run, so that a wrong file fails at once.
    let targets = match observed {
        Some(o) => Some(backtest::targets(first, o, None).map(|_| o)?),
        None => None,
    };
    let (results, comparison, scores) = if others.is_empty() {
        (vec![crate::run(first, options, progress)], None, None)
    } else {
        let c = compare::compare(first, others, options, progress)?;
        let s = score::score(scenarios, options, progress)?;
        (c.results.clone(), Some(c), Some(s))
    };
    let tornado_options = RunOptions {
        runs: tornado_runs(options),
        ..options
    };
    let tornado = tornado::tornado(first, tornado_options, progress);
    let backtest = match targets {
        Some(o) => Some(backtest::backtest(first, o, None, options, progress)?),
        None => None,
    };
    Ok(Analyses {
        results,
        assumptions: scenarios.iter().map(explain::assumptions).collect(),
        comparison,
        scores,
        tornado,
        backtest,
        options,
    })
}

/// How many runs [`analyse`] makes, for a progress bar: each scenario's,
/// then (with several) the scorecards', the tornado's base and its two
/// variants per driver and uncertain parameter, and the backtest's.
pub fn total_runs(scenarios: &[LoadedScenario], observed: bool, runs: u64) -> u64 {
    let n = scenarios.len() as u64;
    let scored = if n > 1 { n } else { 0 };
    let variants = scenarios.first().map_or(0, |s| {
        let m = &s.scenario.model;
        let uncertain = m.params().filter(|(_, p)| p.is_uncertain()).count();
        1 + 2 * (m.drivers.len() + uncertain) as u64
    });
    let tornado = RunOptions {
        runs,
        seed: 0,
        threads: 0,
    };
    (n + scored + u64::from(observed)) * runs + variants * tornado_runs(tornado)
}

/// A chart and where `plot` writes it, relative to its folder.
#[derive(Clone, Debug)]
pub struct Placed {
    /// The scenario whose chart it is, for charts of one scenario.
    pub scenario: Option<String>,
    pub chart: Chart,
}

impl Placed {
    /// The chart's path under `plot`'s folder, without extension: each
    /// scenario's own charts sit in a folder named after it when there are
    /// several scenarios, and at the top with one.
    pub fn stem(&self, several: bool) -> PathBuf {
        let file = safe_name(&self.chart.file);
        match (&self.scenario, several) {
            (Some(s), true) => Path::new(&safe_name(s)).join(file),
            _ => PathBuf::from(file),
        }
    }
}

/// `name` with every character a file name might not take replaced by `-`.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

impl Analyses {
    /// Every chart, in the order the report shows them: per scenario its
    /// composite and domain fans and its drivers; then the overlay, the
    /// comparisons, the tornado and the backtest.
    pub fn charts(&self) -> Vec<Placed> {
        let mut out = Vec::new();
        for r in &self.results {
            let scenario = Some(r.provenance.scenario.name.clone());
            for index in r.indices.keys() {
                out.push(Placed {
                    scenario: scenario.clone(),
                    chart: Chart::fan(r, index),
                });
            }
            out.push(Placed {
                scenario,
                chart: Chart::drivers(r),
            });
        }
        let shared = |chart| Placed {
            scenario: None,
            chart,
        };
        if self.results.len() > 1 {
            out.push(shared(Chart::overlay(&self.results, COMPOSITE)));
        }
        if let Some(c) = &self.comparison {
            for name in c.compared.keys() {
                if let Some(chart) = Chart::compare(c, name, COMPOSITE) {
                    out.push(shared(chart));
                }
            }
        }
        out.push(shared(Chart::tornado(&self.tornado, COMPOSITE)));
        if let (Some(b), Some(r)) = (&self.backtest, self.results.first()) {
            out.push(shared(Chart::backtest(r, b)));
        }
        out
    }
}

/// Writes every chart of `analyses` into `dir` as SVG (and PNG when `png`),
/// each file whole or not at all; returns the paths written.
pub fn write_plots(dir: &Path, analyses: &Analyses, png: bool) -> Result<Vec<PathBuf>, Error> {
    let several = analyses.results.len() > 1;
    let mut written = Vec::new();
    for placed in analyses.charts() {
        let stem = dir.join(placed.stem(several));
        if let Some(parent) = stem.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        let svg = stem.with_extension("svg");
        crate::output::write_atomic(&svg, placed.chart.svg()?.as_bytes())?;
        written.push(svg);
        if png {
            let path = stem.with_extension("png");
            crate::output::write_atomic(&path, &placed.chart.png()?)?;
            written.push(path);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(safe_name("cpec-stall"), "cpec-stall");
        assert_eq!(safe_name("../etc/x"), "---etc-x");
        assert_eq!(safe_name("a b<c>"), "a-b-c-");
    }
}
