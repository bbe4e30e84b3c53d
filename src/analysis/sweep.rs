//! Sweeps: a scenario run over a grid of one to three parameters, every
//! cell with the same seed, so that cells differ by their values, not by
//! their shocks.
//!
//! A sweep shards by cells: each shard runs a slice of the grid in full,
//! and the merge ranks the cells of all the parts together.

use super::score::{Scorecard, rank, scorecard};
use crate::error::ArgumentError;
use crate::input::LoadedScenario;
use crate::input::vary::{Setting, vary};
use crate::result::{Header, Provenance, RunResult};
use crate::shard::{Damage, MergeError, Piece, Shard, assemble};
use crate::{Error, RunOptions};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The most parameters one sweep varies.
pub(crate) const MAX_AXES: usize = 3;
/// The most cells one sweep runs.
pub(crate) const MAX_CELLS: usize = 10_000;

/// One swept parameter and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    /// As written on the command line; read as a
    /// [`ParamPath`](crate::model::ParamPath) when the cells are made.
    pub path: String,
    pub values: Vec<f64>,
}

/// One cell of the grid: a value per axis, and the scenario's scorecard there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    pub values: Vec<f64>,
    pub scorecard: Scorecard,
}

/// A sweep's cells, the first axis varying slowest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    /// `runs` are the runs of each cell.
    #[serde(flatten)]
    pub provenance: Provenance,
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
        return Err(ArgumentError::Axes {
            given: axes.len(),
            max: MAX_AXES,
        }
        .into());
    }
    let count: usize = axes.iter().map(|a| a.values.len()).product();
    if count > MAX_CELLS {
        return Err(ArgumentError::Cells {
            count,
            max: MAX_CELLS,
        }
        .into());
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
    Ok(merge(&[("the sweep", &part)])?)
}

/// What a sweep is, carried by each of its parts so that they merge
/// without the input files and only with parts of the same sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepJob {
    /// `runs` are the runs of each cell.
    pub provenance: Provenance,
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
    const ITEMS: &'static str = "cells";
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
    fn fields(j: &SweepJob) -> Vec<(&'static str, String)> {
        let mut fields = j.provenance.fields();
        fields.push(("horizon", j.horizon.clone()));
        fields.extend(j.axes.iter().map(|a| {
            let values: Vec<String> = a.values.iter().map(f64::to_string).collect();
            ("axes", format!("{}={}", a.path, values.join(",")))
        }));
        fields.push(("axes", format!("{} axes", j.axes.len())));
        fields
    }
    fn check_contents(&self) -> Result<(), Damage> {
        let held = self.end_cell.saturating_sub(self.first_cell);
        if self.cells.len() as u64 != held {
            return Err(Damage::new(
                "cells",
                format!(
                    "{} cells for cells {}..{}",
                    self.cells.len(),
                    self.first_cell,
                    self.end_cell
                ),
            ));
        }
        let axes = self.job.axes.len();
        if let Some(i) = self.cells.iter().position(|c| c.values.len() != axes) {
            return Err(Damage::new(
                format!("cells[{i}].values"),
                format!("not one value per axis ({axes})"),
            ));
        }
        Ok(())
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
            provenance: header.provenance,
            horizon: header.periods[header.periods.len() - 1].clone(),
            axes: axes.to_vec(),
        },
        cells,
    })
}

/// Merges the parts of a sweep: their cells in grid order, ranked together.
/// Each part comes with the label that names it in messages.
pub fn merge(parts: &[(&str, &SweepPart)]) -> Result<Sweep, MergeError> {
    let parts = assemble(parts)?;
    let mut out: Vec<Cell> = Vec::new();
    for p in &parts {
        out.extend(p.cells.iter().cloned());
    }
    let mut cards: Vec<Scorecard> = out.iter().map(|c| c.scorecard.clone()).collect();
    rank(&mut cards);
    for (cell, card) in out.iter_mut().zip(cards) {
        cell.scorecard.rank = card.rank;
    }
    let job = &parts[0].job;
    Ok(Sweep {
        provenance: job.provenance.clone(),
        horizon: job.horizon.clone(),
        axes: job.axes.clone(),
        cells: out,
    })
}
