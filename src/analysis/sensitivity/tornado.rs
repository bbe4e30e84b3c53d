//! Tornado: each driver's target and each uncertain parameter moved alone
//! to a low and a high setting, and the effect on the mean horizon indices.
//!
//! A driver's target path moves by ±0.2 (clamped to [0, 1]); an uncertain
//! parameter is fixed at its 10th and 90th percentiles. Every variant runs
//! the same runs as the base (common random numbers), so an effect is the
//! setting's, not noise's.

use super::index_names;
use crate::input::LoadedScenario;
use crate::model::{Param, ParamPath, Target};
use crate::result::RunResult;
use crate::{RunOptions, aggregate};
use indexmap::IndexMap;
use serde::Serialize;

/// How far a driver's target moves each way.
pub(crate) const TARGET_SHIFT: f64 = 0.2;
/// The percentiles an uncertain parameter is fixed at.
pub(crate) const PERCENTILES: (f64, f64) = (0.10, 0.90);

/// One bar of the tornado.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bar {
    /// `drivers.<id>.target`, or an uncertain parameter's path.
    pub name: String,
    /// What the low and high settings are, in words.
    pub low_setting: String,
    pub high_setting: String,
    /// Change of each index's horizon mean against the base, per index.
    pub low: IndexMap<String, f64>,
    pub high: IndexMap<String, f64>,
}

impl Bar {
    /// The width of the bar on `index`: |high − low|.
    pub fn swing(&self, index: &str) -> f64 {
        (self.high[index] - self.low[index]).abs()
    }
}

/// A tornado of the horizon indices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tornado {
    /// `runs` are the runs of each variant.
    #[serde(flatten)]
    pub provenance: crate::result::Provenance,
    pub horizon: String,
    /// The base scenario's horizon mean, per index.
    pub base: IndexMap<String, f64>,
    /// Widest swing on the composite first.
    pub bars: Vec<Bar>,
}

/// Runs the tornado of `loaded` under `options`.
pub fn tornado(
    loaded: &LoadedScenario,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Tornado {
    let names = index_names(loaded);
    let horizon_means = |variant: &LoadedScenario| -> IndexMap<String, f64> {
        let agg = aggregate(variant, options, progress);
        let r = RunResult::new(variant, options.seed, &agg);
        names
            .iter()
            .map(|n| (n.clone(), r.indices[n].mean[r.periods.len() - 1]))
            .collect()
    };
    let base = horizon_means(loaded);
    let effect = |variant: &LoadedScenario| -> IndexMap<String, f64> {
        horizon_means(variant)
            .into_iter()
            .map(|(n, v)| {
                let d = v - base[&n];
                (n, d)
            })
            .collect()
    };
    let mut bars = Vec::new();
    let model = &loaded.scenario.model;
    for (d, driver) in model.drivers.iter().enumerate() {
        let moved = |shift: f64| {
            let mut v = loaded.clone();
            v.scenario.model.drivers[d].target = shifted(&driver.target, shift);
            v
        };
        bars.push(Bar {
            name: ParamPath::DriverTarget {
                driver: driver.id.clone(),
            }
            .to_string(),
            low_setting: format!("target -{TARGET_SHIFT}"),
            high_setting: format!("target +{TARGET_SHIFT}"),
            low: effect(&moved(-TARGET_SHIFT)),
            high: effect(&moved(TARGET_SHIFT)),
        });
    }
    for (path, &param) in model.params() {
        if !param.is_uncertain() {
            continue;
        }
        let fixed = |p: f64| {
            let mut v = loaded.clone();
            if let Some(slot) = v.scenario.model.param_mut(&path) {
                *slot = Param::Fixed(param.quantile(p));
            }
            v
        };
        let (lo, hi) = PERCENTILES;
        bars.push(Bar {
            name: path.to_string(),
            low_setting: format!("p10 = {:.4}", param.quantile(lo)),
            high_setting: format!("p90 = {:.4}", param.quantile(hi)),
            low: effect(&fixed(lo)),
            high: effect(&fixed(hi)),
        });
    }
    let composite = names[0].clone();
    bars.sort_by(|a, b| b.swing(&composite).total_cmp(&a.swing(&composite)));
    let periods = loaded.scenario.periods();
    Tornado {
        provenance: crate::result::Provenance::new(loaded, options.seed, options.runs),
        horizon: periods[periods.len() - 1].to_string(),
        base,
        bars,
    }
}

/// A target path moved by `shift`, every value kept in [0, 1]: a number
/// moves and is clamped; an uncertain value (kernel 2) moves its bounds,
/// each clamped, and one that collapses, or a beta, becomes its shifted
/// mean.
fn shifted(target: &Target, shift: f64) -> Target {
    let clamp = |v: f64| (v + shift).clamp(0.0, 1.0);
    let moved = |p: &Param| match *p {
        Param::Uniform { low, high } if clamp(low) < clamp(high) => Param::Uniform {
            low: clamp(low),
            high: clamp(high),
        },
        Param::Triangular { low, mode, high } if clamp(low) < clamp(high) => Param::Triangular {
            low: clamp(low),
            mode: clamp(mode),
            high: clamp(high),
        },
        other => Param::Fixed(clamp(other.mean())),
    };
    match target {
        Target::Constant(v) => Target::Constant(moved(v)),
        Target::Keyframes(frames) => {
            Target::Keyframes(frames.iter().map(|(p, v)| (*p, moved(v))).collect())
        }
    }
}
