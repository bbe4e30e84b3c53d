//! Paired comparison of scenarios with common random numbers.
//!
//! Run i of every scenario uses the same random numbers (they share the
//! seed, and every number is keyed by seed, run and name), so the
//! difference between run i of OTHER and run i of BASE is the scenario's
//! effect on that one future. Statistics of these paired differences are
//! far tighter than a comparison of two independent sets of runs, because
//! the shocks both scenarios share cancel.
//!
//! Two kinds of figure come out, and the outputs say which is which:
//!
//! - about the simulation: the 95% interval of the mean difference
//!   (`ci_low`, `ci_high`), the simulation error of that mean, which
//!   narrows as runs are added. An interval that excludes 0 says the
//!   simulation has resolved the sign of the mean difference, not that the
//!   difference is large or matters;
//! - about the simulated futures (conditional on the model): the spread of
//!   the run-by-run difference (`diff_sd` and the quantiles `diff_p05` to
//!   `diff_p95`) and the share of futures in which OTHER exceeds BASE
//!   (`p_greater`). These do not shrink with more runs.

use super::same_horizon;
use crate::error::ArgumentError;
use crate::input::LoadedScenario;
use crate::result::{Provenance, RunResult, ScenarioRef};
use crate::sim::Plan;
use crate::sim::kernel::{Workspace, simulate};
use crate::sim::runner::{fold_runs, layout};
use crate::stats::{Aggregate, Differences, Merge};
use crate::{Error, RunOptions};
use indexmap::IndexMap;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The paired figures of one index over time, OTHER against BASE; every
/// array has one entry per period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PairedSeries {
    /// Mean over the runs of the paired differences `other - base`.
    pub mean_diff: Vec<f64>,
    /// The simulation error of `mean_diff`: its 95% confidence interval
    /// from the paired differences (Student's t with n - 1 degrees of
    /// freedom). It narrows as the square root of the runs and says nothing
    /// of how much the difference varies from one future to another.
    pub ci_low: Vec<f64>,
    pub ci_high: Vec<f64>,
    /// Share of runs (simulated futures) in which OTHER's index exceeds BASE's.
    pub p_greater: Vec<f64>,
    /// Median of OTHER minus median of BASE: a difference of two
    /// distributions, not the median of the paired differences (`diff_p50`).
    pub median_diff: Vec<f64>,
    /// The spread of the paired difference across futures: its sample
    /// standard deviation over the runs.
    pub diff_sd: Vec<f64>,
    /// Quantiles of the paired difference across futures (type 7, from a
    /// histogram: within 1/128 of their magnitude, or 0.0001 points near
    /// 0): 5% of runs have a difference below `diff_p05`, 25% below
    /// `diff_p25`, and so on. They do not shrink with more runs.
    pub diff_p05: Vec<f64>,
    pub diff_p25: Vec<f64>,
    pub diff_p50: Vec<f64>,
    pub diff_p75: Vec<f64>,
    pub diff_p95: Vec<f64>,
}

/// One scenario compared with the base.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Compared {
    pub scenario: ScenarioRef,
    /// `composite` first, then the domains.
    pub indices: IndexMap<String, PairedSeries>,
}

/// The comparison of several scenarios with a base.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The base's; `runs` are the paired runs of each scenario.
    #[serde(flatten)]
    pub provenance: Provenance,
    pub periods: Vec<String>,
    /// Keyed by scenario name, in the order given.
    pub compared: IndexMap<String, Compared>,
    /// Every scenario's own result, base first, for medians and tables.
    #[serde(skip)]
    pub results: Vec<RunResult>,
}

/// Runs gathered before they are recorded: each scenario's outputs of up
/// to `CHUNK` runs are laid out cell by cell and recorded together, so that
/// each cell's histograms are touched `CHUNK` times in a row and stay in
/// the processor's cache. The statistics are the same for any chunking.
const CHUNK: usize = 64;

/// Scratch space of one worker: per scenario, a workspace, one run's
/// output, and the outputs of a chunk of runs (cell `c` of the chunk's
/// `r`-th run at `c * CHUNK + r`).
struct Scratch {
    workspaces: Vec<Workspace>,
    outputs: Vec<Vec<f64>>,
    gathered: Vec<Vec<f64>>,
}

/// What a worker accumulates: each scenario's aggregate, and each other
/// scenario's differences from the base.
struct Accumulated {
    aggregates: Vec<Aggregate>,
    differences: Vec<Differences>,
}

impl Merge for Accumulated {
    fn merge(&mut self, other: &Accumulated) {
        for (a, b) in self.aggregates.iter_mut().zip(&other.aggregates) {
            a.merge(b);
        }
        for (a, b) in self.differences.iter_mut().zip(&other.differences) {
            a.merge(b);
        }
    }
}

/// Compares `others` with `base`, run by run, under `options` (the seed is
/// shared by all, which is what pairs them).
///
/// Fails when the scenarios do not share a horizon and domains, or two of
/// them have the same name.
pub fn compare(
    base: &LoadedScenario,
    others: &[LoadedScenario],
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Comparison, Error> {
    let all: Vec<&LoadedScenario> = std::iter::once(base).chain(others).collect();
    same_horizon(&all)?;
    let mut names: Vec<&str> = Vec::new();
    for s in &all {
        if names.contains(&s.scenario.name.as_str()) {
            return Err(ArgumentError::SameName {
                name: s.scenario.name.clone(),
            }
            .into());
        }
        names.push(&s.scenario.name);
    }
    let plans: Vec<Plan> = all
        .iter()
        .map(|s| Plan::new(&s.scenario, options.seed))
        .collect();
    let n_index = plans[0].n_index_series();
    let n_periods = plans[0].n_periods();
    let acc = fold_runs(
        0..options.runs,
        options.threads,
        progress,
        || {
            let scratch = Scratch {
                workspaces: plans.iter().map(Workspace::new).collect(),
                outputs: plans
                    .iter()
                    .map(|p| vec![0.0; p.n_series() * p.n_periods()])
                    .collect(),
                gathered: plans
                    .iter()
                    .map(|p| vec![0.0; p.n_series() * p.n_periods() * CHUNK])
                    .collect(),
            };
            let acc = Accumulated {
                aggregates: plans.iter().map(|p| Aggregate::new(layout(p))).collect(),
                differences: (1..plans.len())
                    .map(|_| Differences::new(n_index, n_periods))
                    .collect(),
            };
            (scratch, acc)
        },
        |batch, scratch, acc| {
            let mut first = batch.start;
            while first < batch.end {
                let n = (batch.end - first).min(CHUNK as u64) as usize;
                compare_chunk(&plans, first, n, scratch, acc);
                first += n as u64;
            }
        },
    );
    let results: Vec<RunResult> = all
        .iter()
        .zip(&acc.aggregates)
        .map(|(s, agg)| RunResult::new(s, options.seed, agg))
        .collect();
    let compared = others
        .iter()
        .zip(&acc.differences)
        .zip(&results[1..])
        .map(|((s, d), r)| {
            let c = Compared {
                scenario: r.provenance.scenario.clone(),
                indices: paired_indices(d, &results[0], r),
            };
            (s.scenario.name.clone(), c)
        })
        .collect();
    Ok(Comparison {
        provenance: Provenance {
            runs: options.runs,
            ..results[0].provenance.clone()
        },
        periods: results[0].periods.clone(),
        compared,
        results,
    })
}

/// Runs `first .. first + n` (`n <= CHUNK`) of every plan and records
/// them, and their differences from the base.
fn compare_chunk(
    plans: &[Plan],
    first: u64,
    n: usize,
    scratch: &mut Scratch,
    acc: &mut Accumulated,
) {
    for r in 0..n {
        for (i, plan) in plans.iter().enumerate() {
            let out = &mut scratch.outputs[i];
            simulate(plan, first + r as u64, &mut scratch.workspaces[i], out);
            for (c, v) in out.iter().enumerate() {
                scratch.gathered[i][c * CHUNK + r] = *v;
            }
        }
    }
    for (agg, values) in acc.aggregates.iter_mut().zip(&scratch.gathered) {
        agg.record_batch(values, CHUNK, n);
    }
    let (base, others) = scratch.gathered.split_at(1);
    // Scenarios with other drivers have other numbers of series; the
    // index series come first in each.
    for (j, other) in others.iter().enumerate() {
        acc.differences[j].record_batch(
            &base[0],
            plans[0].n_series(),
            other,
            plans[j + 1].n_series(),
            CHUNK,
            n,
        );
    }
}

fn paired_indices(
    d: &Differences,
    base: &RunResult,
    other: &RunResult,
) -> IndexMap<String, PairedSeries> {
    let t_crit = t_quantile_975(d.runs());
    base.indices
        .keys()
        .enumerate()
        .map(|(s, name)| {
            let mut p = PairedSeries::default();
            for t in 0..base.periods.len() {
                let sum = d.summary(s, t);
                let half = t_crit * sum.standard_error();
                p.mean_diff.push(sum.mean);
                p.ci_low.push(sum.mean - half);
                p.ci_high.push(sum.mean + half);
                p.p_greater.push(sum.p_greater);
                p.median_diff
                    .push(other.indices[name].p50[t] - base.indices[name].p50[t]);
                p.diff_sd.push(sum.sd);
                // QUANTILES are p05, p10, p25, p50, p75, p90, p95.
                let q = sum.quantiles;
                p.diff_p05.push(q[0]);
                p.diff_p25.push(q[2]);
                p.diff_p50.push(q[3]);
                p.diff_p75.push(q[4]);
                p.diff_p95.push(q[6]);
            }
            (name.clone(), p)
        })
        .collect()
}

/// The 97.5% quantile of Student's t with `runs - 1` degrees of freedom
/// (0 for a single run, whose interval is the point itself).
pub fn t_quantile_975(runs: u64) -> f64 {
    if runs < 2 {
        return 0.0;
    }
    StudentsT::new(0.0, 1.0, (runs - 1) as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054)
}
