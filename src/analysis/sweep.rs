//! Sweeps: a scenario run over a grid of one to three parameters, every
//! cell with the same seed, so that cells differ by their values, not by
//! their shocks.

use super::score::{Scorecard, rank, scorecard};
use crate::input::LoadedScenario;
use crate::input::vary::{Setting, vary};
use crate::result::RunResult;
use crate::{Error, RunOptions};
use serde::Serialize;

/// The most parameters one sweep varies.
pub const MAX_AXES: usize = 3;
/// The most cells one sweep runs.
pub const MAX_CELLS: usize = 10_000;

/// One swept parameter and its values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Axis {
    pub path: String,
    pub values: Vec<f64>,
}

/// One cell of the grid: a value per axis, and the scenario's scorecard there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    pub values: Vec<f64>,
    pub scorecard: Scorecard,
}

/// A sweep's cells, the first axis varying slowest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    pub coopsim: String,
    pub scenario: String,
    pub seed: u64,
    pub runs: u64,
    pub horizon: String,
    pub axes: Vec<Axis>,
    pub cells: Vec<Cell>,
}

/// The scenarios of every cell, checked before anything runs.
pub fn cells(
    loaded: &LoadedScenario,
    axes: &[Axis],
) -> Result<Vec<(Vec<f64>, LoadedScenario)>, Error> {
    if axes.is_empty() || axes.len() > MAX_AXES {
        return Err(Error::Usage(format!(
            "a sweep varies 1 to {MAX_AXES} parameters, given {}",
            axes.len()
        )));
    }
    let count: usize = axes.iter().map(|a| a.values.len()).product();
    if count > MAX_CELLS {
        return Err(Error::Usage(format!(
            "{count} cells; a sweep runs at most {MAX_CELLS}"
        )));
    }
    (0..count)
        .map(|c| {
            // Mixed-radix digits of c, the last axis fastest.
            let mut rest = c;
            let mut values = vec![0.0; axes.len()];
            for (i, axis) in axes.iter().enumerate().rev() {
                values[i] = axis.values[rest % axis.values.len()];
                rest /= axis.values.len();
            }
            let settings: Vec<Setting> = axes
                .iter()
                .zip(&values)
                .map(|(a, v)| Setting {
                    path: a.path.clone(),
                    value: *v,
                })
                .collect();
            Ok((values, vary(loaded, &settings)?))
        })
        .collect()
}

/// Runs every cell of the grid with the same `options` and scores it.
pub fn sweep(
    loaded: &LoadedScenario,
    axes: &[Axis],
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep, Error> {
    let grid = cells(loaded, axes)?;
    let mut horizon = String::new();
    let mut out = Vec::with_capacity(grid.len());
    for (values, scenario) in &grid {
        let agg = crate::aggregate(scenario, options, progress);
        let result = RunResult::new(scenario, options.seed, &agg);
        horizon = result.periods[result.periods.len() - 1].clone();
        out.push(Cell {
            values: values.clone(),
            scorecard: scorecard(&result, &agg),
        });
    }
    let mut cards: Vec<Scorecard> = out.iter().map(|c| c.scorecard.clone()).collect();
    rank(&mut cards);
    for (cell, card) in out.iter_mut().zip(cards) {
        cell.scorecard.rank = card.rank;
    }
    Ok(Sweep {
        coopsim: crate::result::VERSION.to_owned(),
        scenario: loaded.scenario.name.clone(),
        seed: options.seed,
        runs: options.runs,
        horizon,
        axes: axes.to_vec(),
        cells: out,
    })
}
