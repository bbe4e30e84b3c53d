//! Sweeps: a scenario run over a grid of one to three parameters, every
//! cell with the same seed, so that cells differ by their values, not by
//! their shocks.
//!
//! A sweep shards by cells: each shard runs a slice of the grid in full,
//! and the merge ranks the cells of all the parts together.

use super::score::{Scorecard, rank, scorecard};
use crate::input::LoadedScenario;
use crate::input::vary::{Setting, vary};
use crate::result::{Header, ModelRef, RunResult, ScenarioRef};
use crate::shard::{Piece, Shard, assemble, short};
use crate::{Error, RunOptions};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The most parameters one sweep varies.
pub const MAX_AXES: usize = 3;
/// The most cells one sweep runs.
pub const MAX_CELLS: usize = 10_000;

/// One swept parameter and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// As written on the command line; read as a
    /// [`ParamPath`](crate::model::ParamPath) when the cells are made.
    pub path: String,
    pub values: Vec<f64>,
}

/// One cell of the grid: a value per axis, and the scenario's scorecard there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
            let settings = axes
                .iter()
                .zip(&values)
                .map(|(a, v)| Setting::new(&a.path, *v))
                .collect::<Result<Vec<Setting>, _>>()?;
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
    let part = sweep_shard(loaded, axes, options, Shard { k: 1, n: 1 }, progress)?;
    merge(&[&part])
}

/// What a sweep is, carried by each of its parts so that they merge
/// without the input files and only with parts of the same sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepJob {
    pub coopsim: String,
    pub model: ModelRef,
    pub scenario: ScenarioRef,
    pub seed: u64,
    pub runs: u64,
    pub horizon: String,
    pub axes: Vec<Axis>,
}

impl SweepJob {
    fn cells(&self) -> u64 {
        self.axes.iter().map(|a| a.values.len() as u64).product()
    }
}

/// The cells of a sweep that one shard ran, each over all of its runs, and
/// scored but not yet ranked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepPart {
    pub shard: Shard,
    /// The cells this shard ran, in grid order.
    pub first_cell: u64,
    pub end_cell: u64,
    pub job: SweepJob,
    pub cells: Vec<Cell>,
}

impl Piece for SweepPart {
    type Job = SweepJob;
    const WHAT: &'static str = "sweep";
    fn shard(&self) -> Shard {
        self.shard
    }
    fn job(&self) -> &SweepJob {
        &self.job
    }
    fn held(&self) -> Range<u64> {
        self.first_cell..self.end_cell
    }
    fn total(job: &SweepJob) -> u64 {
        job.cells()
    }
    fn describe(j: &SweepJob) -> String {
        let paths: Vec<&str> = j.axes.iter().map(|a| a.path.as_str()).collect();
        format!(
            "{} over {} (scenario sha256 {}, seed {}, {} runs)",
            j.scenario.name,
            paths.join(", "),
            short(&j.scenario.sha256),
            j.seed,
            j.runs
        )
    }
}

/// Runs shard `shard`'s cells of the sweep (its slice of the grid, in grid
/// order), each over all `options.runs` runs. Every cell is checked before
/// anything runs.
pub fn sweep_shard(
    loaded: &LoadedScenario,
    axes: &[Axis],
    options: RunOptions,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SweepPart, Error> {
    let grid = cells(loaded, axes)?;
    let mine = shard.slice(grid.len() as u64);
    let cells = grid[mine.start as usize..mine.end as usize]
        .iter()
        .map(|(values, scenario)| {
            let agg = crate::aggregate(scenario, options, progress);
            let result = RunResult::new(scenario, options.seed, &agg);
            Cell {
                values: values.clone(),
                scorecard: scorecard(&result, &agg),
            }
        })
        .collect();
    let header = Header::new(loaded, options.seed, options.runs);
    Ok(SweepPart {
        shard,
        first_cell: mine.start,
        end_cell: mine.end,
        job: SweepJob {
            coopsim: header.coopsim,
            model: header.model,
            scenario: header.scenario,
            seed: options.seed,
            runs: options.runs,
            horizon: header.periods[header.periods.len() - 1].clone(),
            axes: axes.to_vec(),
        },
        cells,
    })
}

/// Merges the parts of a sweep: their cells in grid order, ranked together.
pub fn merge(parts: &[&SweepPart]) -> Result<Sweep, Error> {
    let parts = assemble(parts)?;
    let mut out: Vec<Cell> = Vec::new();
    for p in &parts {
        if p.cells.len() as u64 != p.end_cell - p.first_cell {
            return Err(Error::Usage(format!(
                "part {}: damaged: {} cells for cells {}..{}",
                p.shard,
                p.cells.len(),
                p.first_cell,
                p.end_cell
            )));
        }
        out.extend(p.cells.iter().cloned());
    }
    let mut cards: Vec<Scorecard> = out.iter().map(|c| c.scorecard.clone()).collect();
    rank(&mut cards);
    for (cell, card) in out.iter_mut().zip(cards) {
        cell.scorecard.rank = card.rank;
    }
    let job = &parts[0].job;
    Ok(Sweep {
        coopsim: job.coopsim.clone(),
        scenario: job.scenario.name.clone(),
        seed: job.seed,
        runs: job.runs,
        horizon: job.horizon.clone(),
        axes: job.axes.clone(),
        cells: out,
    })
}
