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
    .unwrap();
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
        ]
    );
    for c in &s.scorecards {
        for (name, i) in &c.indices {
            let h = i.horizon;
            assert!(
                h.cvar10 <= h.p05 + 0.05,
                "{name}: CVaR10 lies in the lower tail"
            );
            assert!(h.p05 <= h.p50 && h.p50 <= h.p95);
            assert!((0.0..=1.0).contains(&h.p_partnership));
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
    assert_eq!(c.first_partnership.as_deref(), Some("2026Q3"));
    assert_eq!(c.horizon.p_partnership, 1.0);
    assert_eq!(c.horizon.p_estrangement, 0.0);
}
