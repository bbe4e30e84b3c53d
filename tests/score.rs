//! `score`: scorecards and rankings.

use crate::common::{HEADER, scenario, shipped as load};
use coopsim::RunOptions;
use coopsim::analysis::score::score;

const OPTIONS: RunOptions = RunOptions {
    runs: 1000,
    seed: 20261122,
    threads: 0,
};

#[test]
fn scenarios_rank_by_horizon_mean_composite() {
    let s = score(
        &[
            load("sanctions-escalation"),
            load("baseline"),
            load("sanctions-relief"),
        ],
        OPTIONS,
        &|_| {},
    )
    .unwrap_or_else(|e| {
        panic!(
            "rule: the shipped scenarios can be scored together (same horizon and domains); \
             {e}; fix: give them the baseline's start, end and model"
        )
    });
    let ranks: Vec<(&str, usize)> = s
        .scorecards
        .iter()
        .map(|c| (c.scenario.name.as_str(), c.rank))
        .collect();
    assert_eq!(
        ranks,
        [
            ("sanctions-escalation", 3),
            ("baseline", 2),
            ("sanctions-relief", 1)
        ],
        "rule: scenarios rank by horizon mean composite, best first (docs/analysis.md, \
         score), and sanctions relief > baseline > escalation; fix: rank() in \
         src/analysis/score.rs, or the sanctions scenarios if they no longer move the \
         composite that way (tests/face_validity.rs checks the directions)"
    );
    for c in &s.scorecards {
        for (name, i) in &c.indices {
            let h = i.horizon;
            let who = &c.scenario.name;
            assert!(
                h.cvar10 <= h.p05 + 0.05,
                "rule: CVaR10, the mean of the worst 10% of runs, lies in the lower tail, at \
                 most p05 (+ 0.05 for histogram reading); {who} {name}: CVaR10 {}, p05 {}; \
                 fix: Aggregate::lower_tail_mean in src/stats/aggregate.rs",
                h.cvar10,
                h.p05
            );
            assert!(
                h.p05 <= h.p50 && h.p50 <= h.p95,
                "rule: quantiles are ordered, p05 <= p50 <= p95; {who} {name}: {} {} {}; fix: \
                 the quantiles of src/stats/aggregate.rs, or scorecard() in \
                 src/analysis/score.rs",
                h.p05,
                h.p50,
                h.p95
            );
            assert!(
                (0.0..=1.0).contains(&h.p_partnership),
                "rule: P(partnership) is a share of runs, in [0, 1]; {who} {name}: {}; fix: \
                 scorecard() in src/analysis/score.rs (p_high of the result)",
                h.p_partnership
            );
        }
    }
}

/// The first period at which the median reaches `high`, from a model that
/// climbs from 40 toward 90 within two years.
#[test]
fn the_first_partnership_period_is_where_the_median_reaches_high() {
    let model = format!(
        r#"{HEADER}
[actors.a]
adjustment = 2.0
reciprocity = 0.0
[actors.b]
adjustment = 2.0
reciprocity = 0.0
[domains.d]
weight = 1.0
[engagement.a.d]
initial = 0.4
bias = 2.2
[engagement.b.d]
initial = 0.4
bias = 2.2
"#
    );
    let s = scenario(
        &model,
        "[scenario]\nname = \"up\"\nmodel = \"hand\"\nsteps = 8\n",
    );
    let scores = score(
        &[s],
        RunOptions {
            runs: 10,
            ..OPTIONS
        },
        &|_| {},
    )
    .unwrap();
    let c = &scores.scorecards[0].indices["composite"];
    // e(t) = 0.9 - 0.5 exp(-0.5 t): 60 is first reached at t = 2 (2026Q3).
    assert_eq!(
        c.first_partnership.as_deref(),
        Some("2026Q3"),
        "rule: the first partnership period is the first at which the median composite \
         reaches `high` (60); fix: first_partnership in scorecard(), src/analysis/score.rs"
    );
    assert_eq!(
        c.horizon.p_partnership, 1.0,
        "rule: P(partnership) is the share of runs at or above `high`: all of them, for \
         this noiseless climb to 90; fix: p_high in src/stats/aggregate.rs, or scorecard() \
         in src/analysis/score.rs"
    );
    assert_eq!(
        c.horizon.p_estrangement, 0.0,
        "rule: P(estrangement) is the share of runs at or below `low`: none, for this climb \
         to 90; fix: p_low in src/stats/aggregate.rs, or scorecard() in src/analysis/score.rs"
    );
}
