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
//!
//! The analysis shards by rows: each shard evaluates a slice of the rows,
//! and the merge estimates the indices from all of them.

use super::{Evaluator, SHOCKS, index_names, pool};
use crate::error::ArgumentError;
use crate::input::LoadedScenario;
use crate::result::{Header, Provenance};
use crate::shard::{Damage, MergeError, Piece, Shard, assemble};
use crate::sim::Plan;
use crate::sim::rng::StreamKey;
use crate::stats::exact_quantile;
use crate::{Error, RunOptions};
use indexmap::IndexMap;
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;

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
    pub(crate) fn estimate(&self, rows: &[usize]) -> Vec<(f64, f64)> {
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
    /// `runs` are all the runs of the design: N (k + 3).
    #[serde(flatten)]
    pub provenance: Provenance,
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
    let part = sobol_shard(loaded, samples, options, Shard { k: 1, n: 1 }, progress)?;
    Ok(merge(&[("the analysis", &part)])?)
}

/// What a Sobol analysis is, carried by each of its parts so that they
/// merge without the input files and only with parts of the same analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SobolJob {
    /// `runs` are all the runs of the design: N (k + 3).
    pub provenance: Provenance,
    pub samples: u64,
    pub horizon: String,
    /// The inputs: the uncertain parameters' paths, then `shocks`.
    pub inputs: Vec<String>,
    /// The outputs: `composite`, then the domains.
    pub indices: Vec<String>,
}

impl SobolJob {
    /// Values per row: for each evaluation (A, B, then A_B^i for every
    /// input) every output.
    fn row_len(&self) -> usize {
        (self.inputs.len() + 2) * self.indices.len()
    }
}

/// The model outputs of the sample rows that one shard evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SobolPart {
    pub shard: Shard,
    /// The rows this shard evaluated.
    pub first_row: u64,
    pub end_row: u64,
    pub job: SobolJob,
    /// Row by row, the outputs of every evaluation of the row.
    pub values: Vec<f64>,
}

impl Piece for SobolPart {
    type Job = SobolJob;
    const WHAT: &'static str = "Sobol analysis";
    const ITEMS: &'static str = "sample rows";
    fn shard(&self) -> Shard {
        self.shard
    }
    fn job(&self) -> &SobolJob {
        &self.job
    }
    fn held(&self) -> Range<u64> {
        self.first_row..self.end_row
    }
    fn total(job: &SobolJob) -> u64 {
        job.samples
    }
    fn fields(j: &SobolJob) -> Vec<(&'static str, String)> {
        let mut fields = j.provenance.fields();
        fields.extend([
            ("samples", j.samples.to_string()),
            ("horizon", j.horizon.clone()),
            ("inputs", j.inputs.join(", ")),
            ("indices", j.indices.join(", ")),
        ]);
        fields
    }
    fn check_contents(&self) -> Result<(), Damage> {
        let rows = self.end_row.saturating_sub(self.first_row);
        let want = u128::from(rows) * self.job.row_len() as u128;
        if self.values.len() as u128 != want {
            return Err(Damage::new(
                "values",
                format!(
                    "{} values for {rows} rows of {}",
                    self.values.len(),
                    self.job.row_len()
                ),
            ));
        }
        if let Some(i) = self.values.iter().position(|v| !v.is_finite()) {
            return Err(Damage::new(format!("values[{i}]"), "not a finite number"));
        }
        Ok(())
    }
}

/// Evaluates shard `shard`'s rows of the Saltelli design (its slice of the
/// `samples` rows). A row's values depend only on the seed and the row's
/// number, so any split gives the same rows.
pub fn sobol_shard(
    loaded: &LoadedScenario,
    samples: u64,
    options: RunOptions,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SobolPart, Error> {
    if samples < 2 {
        return Err(ArgumentError::Samples.into());
    }
    let plan = Plan::new(&loaded.scenario, options.seed);
    let evaluations = plan.uncertain.len() + 3;
    let header = Header::new(
        loaded,
        options.seed,
        samples.saturating_mul(evaluations as u64),
    );
    let job = SobolJob {
        provenance: header.provenance,
        samples,
        horizon: header.periods[header.periods.len() - 1].clone(),
        inputs: plan
            .uncertain
            .iter()
            .map(|u| u.path.to_string())
            .chain(std::iter::once(SHOCKS.to_owned()))
            .collect(),
        indices: index_names(loaded),
    };
    let k = plan.uncertain.len();
    let n_out = job.indices.len();
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
    let rows = shard.slice(samples);
    let mut values = vec![0.0; (rows.end - rows.start) as usize * job.row_len()];
    let compute = |values: &mut [f64]| {
        values
            .par_chunks_mut(job.row_len())
            .enumerate()
            .for_each_init(
                || Evaluator::new(&plan),
                |ev, (i, row)| {
                    let j = rows.start + i as u64;
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
    Ok(SobolPart {
        shard,
        first_row: rows.start,
        end_row: rows.end,
        job,
        values,
    })
}

/// Merges the parts of a Sobol analysis: all the rows, in order, give the
/// indices and their bootstrap intervals.
///
/// Each part comes with the label that names it in messages.
pub fn merge(parts: &[(&str, &SobolPart)]) -> Result<Sobol, MergeError> {
    let parts = assemble(parts)?;
    let job = &parts[0].job;
    // Whole parts of every shard hold exactly the design's values.
    let mut values = Vec::with_capacity(parts.iter().map(|p| p.values.len()).sum());
    for p in &parts {
        values.extend_from_slice(&p.values);
    }
    let n_out = job.indices.len();
    let key = StreamKey::new(job.provenance.seed, "sobol:bootstrap");
    let by_index: IndexMap<String, IndexMap<String, SobolIndex>> = job
        .indices
        .iter()
        .enumerate()
        .map(|(o, name)| {
            let design = Design {
                k: job.inputs.len(),
                values: values.chunks(n_out).map(|outputs| outputs[o]).collect(),
            };
            let indices = design.indices(BOOTSTRAP, &key);
            (
                name.clone(),
                job.inputs.iter().cloned().zip(indices).collect(),
            )
        })
        .collect();
    Ok(Sobol {
        provenance: job.provenance.clone(),
        samples: job.samples,
        bootstrap: BOOTSTRAP,
        horizon: job.horizon.clone(),
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
