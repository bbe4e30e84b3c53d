//! Scorecards: how good a future a scenario promises, in a few numbers per
//! index, at the horizon and averaged over time, and a ranking.

use crate::error::ArgumentError;
use crate::input::LoadedScenario;
use crate::result::Provenance;
use crate::result::{RunResult, ScenarioRef};
use crate::stats::Aggregate;
use crate::{Error, RunOptions};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The share of worst runs whose mean is the tail figure.
pub(crate) const TAIL_SHARE: f64 = 0.10;

/// The figures of one index at one period, or averaged over periods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    /// Share of runs with the index at or above `high`.
    pub p_partnership: f64,
    /// Share of runs with the index at or below `low`.
    pub p_estrangement: f64,
    /// Mean of the worst 10% of runs.
    pub cvar10: f64,
}

/// The scorecard of one index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexScore {
    pub horizon: Figures,
    /// Each figure averaged over the periods after the start (the start is
    /// the common initial state, not a projection).
    pub over_time: Figures,
    /// The first period at which the median reaches `high`, if any.
    pub first_partnership: Option<String>,
}

/// A scenario's scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    pub scenario: ScenarioRef,
    /// 1 for the best horizon mean composite among the scenarios scored together.
    pub rank: usize,
    /// `composite` first, then the domains.
    pub indices: IndexMap<String, IndexScore>,
}

/// Scorecards of several scenarios, run with the same seed and runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// The first scenario's, whose seed and runs all share.
    #[serde(flatten)]
    pub provenance: Provenance,
    pub horizon: String,
    pub thresholds: crate::result::ThresholdsOut,
    /// In the order given; `rank` orders them.
    pub scorecards: Vec<Scorecard>,
}

/// The scorecard of one result and its aggregate.
pub fn scorecard(result: &RunResult, agg: &Aggregate) -> Scorecard {
    let last = result.periods.len() - 1;
    let high = result.thresholds.high;
    let indices = result
        .indices
        .iter()
        .enumerate()
        .map(|(s, (name, series))| {
            let at = |t: usize| Figures {
                mean: series.mean[t],
                p05: series.p05[t],
                p50: series.p50[t],
                p95: series.p95[t],
                p_partnership: series.p_high[t],
                p_estrangement: series.p_low[t],
                cvar10: agg.lower_tail_mean(s, t, TAIL_SHARE),
            };
            let later: Vec<Figures> = (1..=last).map(at).collect();
            let n = later.len().max(1) as f64;
            let avg = |f: fn(&Figures) -> f64| later.iter().map(f).sum::<f64>() / n;
            let over_time = Figures {
                mean: avg(|f| f.mean),
                p05: avg(|f| f.p05),
                p50: avg(|f| f.p50),
                p95: avg(|f| f.p95),
                p_partnership: avg(|f| f.p_partnership),
                p_estrangement: avg(|f| f.p_estrangement),
                cvar10: avg(|f| f.cvar10),
            };
            let first_partnership = series
                .p50
                .iter()
                .position(|&m| m >= high)
                .map(|t| result.periods[t].clone());
            let score = IndexScore {
                horizon: at(last),
                over_time,
                first_partnership,
            };
            (name.clone(), score)
        })
        .collect();
    Scorecard {
        scenario: result.provenance.scenario.clone(),
        rank: 1,
        indices,
    }
}

/// Ranks scorecards by horizon mean composite, best first; ties go to the
/// higher chance of partnership, then to the order given.
pub fn rank(cards: &mut [Scorecard]) {
    let key = |c: &Scorecard| {
        c.indices
            .first()
            .map(|(_, s)| (s.horizon.mean, s.horizon.p_partnership))
            .unwrap_or_default()
    };
    let mut order: Vec<usize> = (0..cards.len()).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(&cards[a]), key(&cards[b]));
        kb.0.total_cmp(&ka.0).then(kb.1.total_cmp(&ka.1))
    });
    for (r, i) in order.into_iter().enumerate() {
        cards[i].rank = r + 1;
    }
}

/// Runs each scenario with the same `options` and scores them.
pub fn score(
    scenarios: &[LoadedScenario],
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Scores, Error> {
    let refs: Vec<&LoadedScenario> = scenarios.iter().collect();
    super::same_horizon(&refs)?;
    let mut cards = Vec::with_capacity(scenarios.len());
    let mut first: Option<RunResult> = None;
    for s in scenarios {
        let agg = crate::aggregate(s, options, progress);
        let result = RunResult::new(s, options.seed, &agg);
        cards.push(scorecard(&result, &agg));
        first.get_or_insert(result);
    }
    rank(&mut cards);
    let first = first.ok_or(ArgumentError::NoScenario)?;
    Ok(Scores {
        provenance: first.provenance.clone(),
        horizon: first.periods[first.periods.len() - 1].clone(),
        thresholds: first.thresholds,
        scorecards: cards,
    })
}
