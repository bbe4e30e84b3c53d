//! Sobol indices by Saltelli sampling: the share of an output's variance
//! that each input explains alone (first order, S1) and with all its
//! interactions (total order, ST), with bootstrap 95% intervals.
//!
//! Two independent samples A and B of N rows are drawn; for each input i,
//! A_B^i is A with column i taken from B. With f evaluated on every row,
//!
//! ```text
//! V    = variance of f over A and B together
//! S1_i = mean_j (f(B)_j − m) (f(A_B^i)_j − f(A)_j) / V     (Saltelli 2010)
//! ST_i = mean_j (f(A)_j − f(A_B^i)_j)² / (2 V)              (Jansen 1999)
//! ```
//!
//! with m the mean of f over A and B. Subtracting m changes nothing in
//! expectation (f(A_B^i) and f(A) have the same mean) but removes the
//! estimator's dependence on the level of the output: an index around 40
//! with a spread of 2 would otherwise drown S1 in noise.
//!
//! For a scenario the inputs are its uncertain parameters plus one group,
//! `shocks`: the drivers' shocks and jumps of the run. Row j of A runs
//! with the shocks of run j, row j of B with those of run N + j, and
//! `A_B^shocks` is A with B's shocks. Every sampled value is a keyed random
//! number (seed, row, `sobol:A:<path>` or `sobol:B:<path>`), so the indices
//! are reproducible and identical for any thread count.

use super::{Evaluator, SHOCKS, index_names, pool};
use crate::input::LoadedScenario;
use crate::sim::Plan;
use crate::sim::rng::StreamKey;
use crate::stats::exact_quantile;
use crate::{Error, RunOptions};
use indexmap::IndexMap;
use rand::RngExt;
use rayon::prelude::*;
use serde::Serialize;

/// Bootstrap resamples for the intervals.
pub const BOOTSTRAP: usize = 500;

/// The indices of one input, with bootstrap 95% intervals.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SobolIndex {
    #[serde(rename = "S1")]
    pub s1: f64,
    #[serde(rename = "S1_ci")]
    pub s1_ci: [f64; 2],
    #[serde(rename = "ST")]
    pub st: f64,
    #[serde(rename = "ST_ci")]
    pub st_ci: [f64; 2],
}

/// Model outputs on a Saltelli design: row j holds `f(A)_j`, `f(B)_j`, then
/// `f(A_B^i)_j` for each of `k` inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    pub k: usize,
    /// `rows × (k + 2)` values.
    pub values: Vec<f64>,
}

impl Design {
    fn stride(&self) -> usize {
        self.k + 2
    }

    /// Rows in the design.
    pub fn rows(&self) -> usize {
        self.values.len() / self.stride()
    }

    /// Point estimates `(S1, ST)` of every input over the rows `rows`
    /// (repeats allowed, for the bootstrap).
    pub fn estimate(&self, rows: &[usize]) -> Vec<(f64, f64)> {
        let w = self.stride();
        let n = rows.len() as f64;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for &j in rows {
            for f in [self.values[j * w], self.values[j * w + 1]] {
                sum += f;
                sum_sq += f * f;
            }
        }
        let mean = sum / (2.0 * n);
        let variance = (sum_sq / (2.0 * n) - mean * mean) * (2.0 * n) / (2.0 * n - 1.0);
        (0..self.k)
            .map(|i| {
                let (mut first, mut total) = (0.0, 0.0);
                for &j in rows {
                    let row = &self.values[j * w..(j + 1) * w];
                    let (fa, fb, fab) = (row[0], row[1], row[2 + i]);
                    first += (fb - mean) * (fab - fa);
                    total += (fa - fab) * (fa - fab);
                }
                if variance > 0.0 {
                    (first / n / variance, total / n / (2.0 * variance))
                } else {
                    (0.0, 0.0)
                }
            })
            .collect()
    }

    /// Point estimates and bootstrap 95% intervals (percentiles of
    /// `resamples` estimates over rows drawn with replacement from the
    /// keyed stream `key`).
    pub fn indices(&self, resamples: usize, key: &StreamKey) -> Vec<SobolIndex> {
        let n = self.rows();
        let all: Vec<usize> = (0..n).collect();
        let point = self.estimate(&all);
        let estimates: Vec<Vec<(f64, f64)>> = (0..resamples as u64)
            .into_par_iter()
            .map(|b| {
                let mut rng = key.generator(b);
                let rows: Vec<usize> = (0..n)
                    .map(|_| rng.random_range(0..n as u64) as usize)
                    .collect();
                self.estimate(&rows)
            })
            .collect();
        point
            .iter()
            .enumerate()
            .map(|(i, &(s1, st))| {
                let mut s1s: Vec<f64> = estimates.iter().map(|e| e[i].0).collect();
                let mut sts: Vec<f64> = estimates.iter().map(|e| e[i].1).collect();
                let ci = |v: &mut Vec<f64>, p: f64| {
                    if v.is_empty() {
                        f64::NAN
                    } else {
                        exact_quantile(v, p)
                    }
                };
                SobolIndex {
                    s1,
                    s1_ci: [ci(&mut s1s, 0.025), ci(&mut s1s, 0.975)],
                    st,
                    st_ci: [ci(&mut sts, 0.025), ci(&mut sts, 0.975)],
                }
            })
            .collect()
    }
}

/// Sobol indices of a scenario's horizon indices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sobol {
    pub scenario: String,
    pub seed: u64,
    /// N: rows of each sample matrix; the scenario ran N (k + 3) times.
    pub samples: u64,
    pub bootstrap: usize,
    pub horizon: String,
    /// Indices of the composite, per uncertain parameter path and `shocks`.
    pub sobol: IndexMap<String, SobolIndex>,
    /// The same for every index series (composite, then the domains).
    pub by_index: IndexMap<String, IndexMap<String, SobolIndex>>,
}

/// Computes the Sobol indices of `loaded`'s horizon indices with `samples`
/// rows per matrix, on `options.threads` threads under `options.seed`.
pub fn sobol(
    loaded: &LoadedScenario,
    samples: u64,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sobol, Error> {
    if samples < 2 {
        return Err(Error::Usage("Sobol indices need at least 2 samples".into()));
    }
    let plan = Plan::new(&loaded.scenario, options.seed);
    let names = index_names(loaded);
    let k = plan.uncertain.len();
    let n_out = names.len();
    let evaluations = k + 3;
    let draw = |matrix: &str, row: u64| -> Vec<f64> {
        plan.uncertain
            .iter()
            .map(|u| {
                let key = StreamKey::new(options.seed, &format!("sobol:{matrix}:{}", u.path));
                let p: f64 = key.generator(row).random();
                u.param.quantile(p)
            })
            .collect()
    };
    // Row j: for each evaluation (A, B, A_B^1..k, A_B^shocks) the outputs.
    let mut values = vec![0.0; samples as usize * evaluations * n_out];
    let compute = |values: &mut [f64]| {
        values
            .par_chunks_mut(evaluations * n_out)
            .enumerate()
            .for_each_init(
                || Evaluator::new(&plan),
                |ev, (j, row)| {
                    let j = j as u64;
                    let (a, b) = (draw("A", j), draw("B", j));
                    let (run_a, run_b) = (j, samples + j);
                    let mut mixed = a.clone();
                    ev.horizon(run_a, &a, &mut row[..n_out]);
                    ev.horizon(run_b, &b, &mut row[n_out..2 * n_out]);
                    for i in 0..k {
                        mixed[i] = b[i];
                        let at = (2 + i) * n_out;
                        ev.horizon(run_a, &mixed, &mut row[at..at + n_out]);
                        mixed[i] = a[i];
                    }
                    let at = (2 + k) * n_out;
                    ev.horizon(run_b, &a, &mut row[at..at + n_out]);
                    progress(evaluations as u64);
                },
            )
    };
    match pool(options.threads) {
        Some(p) => p.install(|| compute(&mut values)),
        None => compute(&mut values),
    }
    let inputs: Vec<String> = plan
        .uncertain
        .iter()
        .map(|u| u.path.clone())
        .chain(std::iter::once(SHOCKS.to_owned()))
        .collect();
    let key = StreamKey::new(options.seed, "sobol:bootstrap");
    let by_index: IndexMap<String, IndexMap<String, SobolIndex>> = names
        .iter()
        .enumerate()
        .map(|(o, name)| {
            let design = Design {
                k: k + 1,
                values: values.chunks(n_out).map(|outputs| outputs[o]).collect(),
            };
            let indices = design.indices(BOOTSTRAP, &key);
            (name.clone(), inputs.iter().cloned().zip(indices).collect())
        })
        .collect();
    let periods = loaded.scenario.periods();
    Ok(Sobol {
        scenario: loaded.scenario.name.clone(),
        seed: options.seed,
        samples,
        bootstrap: BOOTSTRAP,
        horizon: periods[periods.len() - 1].to_string(),
        sobol: by_index[0].clone(),
        by_index,
    })
}

/// Saltelli outputs of `f` on `k` inputs, each uniform on its `(low, high)`,
/// with `rows` rows drawn from the keyed stream `name` under `seed`: for
/// checking the estimators on functions with known indices.
pub fn design_of(
    f: impl Fn(&[f64]) -> f64 + Sync,
    ranges: &[(f64, f64)],
    rows: u64,
    seed: u64,
    name: &str,
) -> Design {
    let k = ranges.len();
    let key_a = StreamKey::new(seed, &format!("{name}:A"));
    let key_b = StreamKey::new(seed, &format!("{name}:B"));
    let sample = |key: &StreamKey, j: u64| -> Vec<f64> {
        let mut g = key.generator(j);
        ranges
            .iter()
            .map(|(lo, hi)| lo + (hi - lo) * g.random::<f64>())
            .collect()
    };
    let values = (0..rows)
        .into_par_iter()
        .flat_map_iter(|j| {
            let (a, b) = (sample(&key_a, j), sample(&key_b, j));
            let mut row = vec![f(&a), f(&b)];
            let mut mixed = a.clone();
            for i in 0..k {
                mixed[i] = b[i];
                row.push(f(&mixed));
                mixed[i] = a[i];
            }
            row
        })
        .collect();
    Design { k, values }
}
