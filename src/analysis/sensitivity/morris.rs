//! Morris elementary effects: a cheap screen of which uncertain parameters
//! matter.
//!
//! Each parameter's range is cut into four equally likely levels (the
//! quantiles at 1/8, 3/8, 5/8 and 7/8 of its distribution). A trajectory
//! starts at random levels and moves one parameter at a time, in random
//! order, by two levels (up from the lower two, down from the upper two);
//! the change in the output is that parameter's elementary effect. Over
//! `r` trajectories, `mu*` (the mean absolute effect) ranks importance and
//! `sigma` (their spread) flags interactions and non-linearity.
//!
//! Effects are in index points for a move across half the parameter's
//! distribution. Each evaluation is the mean horizon index over a fixed set
//! of runs (common random numbers), so the shocks average out instead of
//! swamping the effects.

use super::{Evaluator, index_names, pool};
use crate::error::ArgumentError;
use crate::input::LoadedScenario;
use crate::sim::Plan;
use crate::sim::rng::StreamKey;
use crate::{Error, RunOptions};
use indexmap::IndexMap;
use rand::RngExt;
use rayon::prelude::*;
use serde::Serialize;

/// Levels per parameter, and the jump between them.
const LEVELS: u64 = 4;
const JUMP: u64 = 2;

/// The elementary-effect statistics of one parameter.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MorrisEffect {
    /// Mean absolute elementary effect: the importance.
    pub mu_star: f64,
    /// Mean elementary effect: the direction, when effects agree.
    pub mu: f64,
    /// Standard deviation of the effects: interactions or curvature.
    pub sigma: f64,
}

/// Morris screening of a scenario's horizon indices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Morris {
    /// `runs` are the runs averaged per evaluation.
    #[serde(flatten)]
    pub provenance: crate::result::Provenance,
    pub trajectories: u64,
    pub horizon: String,
    /// Effects on the composite, by parameter path, largest `mu*` first.
    pub effects: IndexMap<String, MorrisEffect>,
    /// The same for every index series.
    pub by_index: IndexMap<String, IndexMap<String, MorrisEffect>>,
}

/// Screens `loaded`'s uncertain parameters with `trajectories` Morris
/// trajectories, each evaluation averaging `options.runs` runs.
pub fn morris(
    loaded: &LoadedScenario,
    trajectories: u64,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Morris, Error> {
    let plan = Plan::new(&loaded.scenario, options.seed);
    let k = plan.uncertain.len();
    if k == 0 {
        return Err(ArgumentError::NothingUncertain {
            scenario: loaded.scenario.name.clone(),
        }
        .into());
    }
    if trajectories < 2 {
        return Err(ArgumentError::Trajectories.into());
    }
    let names = index_names(loaded);
    let n_out = names.len();
    let key = StreamKey::new(options.seed, "morris");
    // Each trajectory: its k + 1 points, as levels, and the order of moves.
    let design: Vec<(Vec<Vec<u64>>, Vec<usize>)> = (0..trajectories)
        .map(|r| {
            let mut g = key.generator(r);
            let mut levels: Vec<u64> = (0..k).map(|_| g.random_range(0..LEVELS)).collect();
            let mut order: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                order.swap(i, g.random_range(0..=i as u64) as usize);
            }
            let mut points = vec![levels.clone()];
            for &i in &order {
                levels[i] = if levels[i] < JUMP {
                    levels[i] + JUMP
                } else {
                    levels[i] - JUMP
                };
                points.push(levels.clone());
            }
            (points, order)
        })
        .collect();
    let points: Vec<&Vec<u64>> = design.iter().flat_map(|(p, _)| p).collect();
    let mut means = vec![0.0; points.len() * n_out];
    let compute = |means: &mut [f64]| {
        means
            .par_chunks_mut(n_out)
            .zip(points.par_iter())
            .for_each_init(
                || (Evaluator::new(&plan), vec![0.0; n_out], vec![0.0; k]),
                |(ev, horizon, values), (into, levels)| {
                    for (i, u) in plan.uncertain.iter().enumerate() {
                        let p = (levels[i] as f64 + 0.5) / LEVELS as f64;
                        values[i] = u.param.quantile(p);
                    }
                    for run in 0..options.runs {
                        ev.horizon(run, values, horizon);
                        for (m, h) in into.iter_mut().zip(horizon.iter()) {
                            *m += h;
                        }
                    }
                    for m in into.iter_mut() {
                        *m /= options.runs as f64;
                    }
                    progress(options.runs);
                },
            )
    };
    match pool(options.threads) {
        Some(p) => p.install(|| compute(&mut means)),
        None => compute(&mut means),
    }
    let by_index: IndexMap<String, IndexMap<String, MorrisEffect>> = names
        .iter()
        .enumerate()
        .map(|(o, name)| {
            let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
            let mut point = 0;
            for (pts, order) in &design {
                for (step, &i) in order.iter().enumerate() {
                    let before = means[(point + step) * n_out + o];
                    let after = means[(point + step + 1) * n_out + o];
                    // Report the effect of moving up, whichever way the step went.
                    let up = pts[step + 1][i] > pts[step][i];
                    effects[i].push(if up { after - before } else { before - after });
                }
                point += pts.len();
            }
            let mut stats: Vec<(String, MorrisEffect)> = plan
                .uncertain
                .iter()
                .zip(&effects)
                .map(|(u, e)| (u.path.to_string(), summarise(e)))
                .collect();
            stats.sort_by(|a, b| b.1.mu_star.total_cmp(&a.1.mu_star));
            (name.clone(), stats.into_iter().collect())
        })
        .collect();
    let periods = loaded.scenario.periods();
    Ok(Morris {
        provenance: crate::result::Provenance::new(loaded, options.seed, options.runs),
        trajectories,
        horizon: periods[periods.len() - 1].to_string(),
        effects: by_index[0].clone(),
        by_index,
    })
}

fn summarise(effects: &[f64]) -> MorrisEffect {
    let n = effects.len().max(1) as f64;
    let mu = effects.iter().sum::<f64>() / n;
    let mu_star = effects.iter().map(|e| e.abs()).sum::<f64>() / n;
    let sigma = if effects.len() > 1 {
        (effects.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    MorrisEffect { mu_star, mu, sigma }
}
