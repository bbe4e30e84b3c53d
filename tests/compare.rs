//! `compare`: paired differences with common random numbers.

use crate::common::shipped as load;
use coopsim::RunOptions;
use coopsim::analysis::compare::{compare, t_quantile_975};

fn options(runs: u64, threads: usize) -> RunOptions {
    RunOptions {
        runs,
        seed: 20261122,
        threads,
    }
}

/// On the shipped scenarios, the paired 95% interval of the horizon
/// difference is far narrower than the unpaired one built from the two
/// scenarios' own spreads: the shared shocks cancel.
#[test]
fn the_paired_interval_is_far_narrower_than_an_unpaired_one() {
    let runs = 4000;
    for other in ["sanctions-escalation", "cpec-stall", "india-pivot"] {
        let c = compare(&load("baseline"), &[load(other)], options(runs, 0), &|_| {})
            .unwrap_or_else(|e| {
                panic!(
                    "rule: every shipped scenario can be compared with the baseline (same \
                     horizon and domains); {other}: {e}; fix: give scenarios/{other}.toml \
                     the baseline's start, end and model"
                )
            });
        let last = c.periods.len() - 1;
        let p = &c.compared[other].indices["composite"];
        let paired = p.ci_high[last] - p.ci_low[last];
        let (a, b) = (
            &c.results[0].indices["composite"],
            &c.results[1].indices["composite"],
        );
        let unpaired = 2.0
            * t_quantile_975(runs)
            * ((a.sd[last].powi(2) + b.sd[last].powi(2)) / runs as f64).sqrt();
        assert!(
            paired < unpaired / 5.0,
            "rule: common random numbers make the paired 95% interval of the horizon \
             difference under a fifth of the unpaired one (docs/analysis.md, compare); \
             {other}: paired width {paired}, unpaired {unpaired}; fix: run i of every \
             scenario must draw the same random numbers (one seed for all in \
             src/analysis/compare.rs, streams keyed by seed, run and name in src/sim/rng.rs)"
        );
        assert!(
            p.ci_low[last] <= p.mean_diff[last] && p.mean_diff[last] <= p.ci_high[last],
            "rule: the 95% interval contains the mean difference; {other}: {} not in \
             [{}, {}]; fix: paired_indices in src/analysis/compare.rs",
            p.mean_diff[last],
            p.ci_low[last],
            p.ci_high[last]
        );
    }
}

/// The two kinds of interval behave as their names say: the 95% interval of
/// the mean difference is simulation error and narrows as the square root
/// of the runs, while the spread of the run-by-run difference across
/// futures (p05 to p95) stays put; the quantiles are ordered and the mean
/// lies within the spread.
#[test]
fn the_simulation_interval_narrows_with_runs_and_the_spread_of_futures_does_not() {
    let at = |runs| {
        let c = compare(
            &load("baseline"),
            &[load("cpec-stall")],
            options(runs, 0),
            &|_| {},
        )
        .unwrap();
        let last = c.periods.len() - 1;
        let p = c.compared["cpec-stall"].indices["composite"].clone();
        (p, last)
    };
    let ((few, last), (many, _)) = (at(1000), at(16_000));
    let width = |p: &coopsim::analysis::compare::PairedSeries| {
        (
            p.ci_high[last] - p.ci_low[last],
            p.diff_p95[last] - p.diff_p05[last],
        )
    };
    let ((ci_few, spread_few), (ci_many, spread_many)) = (width(&few), width(&many));
    assert!(
        (ci_few / ci_many - 4.0).abs() < 0.6,
        "rule: the 95% interval of the mean difference is simulation error: 16 times the \
         runs make it about 4 times narrower; got {ci_few} at 1000 runs and {ci_many} at \
         16000; fix: paired_indices in src/analysis/compare.rs (t times the standard error \
         of PairedSummary in src/stats/paired.rs)"
    );
    assert!(
        (spread_few / spread_many - 1.0).abs() < 0.2 && spread_many > 5.0 * ci_many,
        "rule: the p05-p95 of the run-by-run difference is the spread of futures: it does \
         not shrink with runs and is far wider than the simulation interval; got \
         {spread_few} at 1000 runs and {spread_many} at 16000 (interval {ci_many}); fix: \
         the quantiles of Differences in src/stats/paired.rs"
    );
    for p in [&few, &many] {
        let q = [
            p.diff_p05[last],
            p.diff_p25[last],
            p.diff_p50[last],
            p.diff_p75[last],
            p.diff_p95[last],
        ];
        assert!(
            q.windows(2).all(|w| w[0] <= w[1])
                && q[0] <= p.mean_diff[last]
                && p.mean_diff[last] <= q[4]
                && p.diff_sd[last] > 0.0,
            "rule: the quantiles of the paired difference are ordered, the mean lies \
             between p05 and p95, and the difference varies across futures; got \
             quantiles {q:?}, mean {}, sd {}; fix: Differences in src/stats/paired.rs",
            p.mean_diff[last],
            p.diff_sd[last]
        );
    }
}

/// A scenario compared with itself differs in no run.
#[test]
fn a_scenario_against_itself_differs_nowhere() {
    let c = compare(
        &load("baseline"),
        &[load("cpec-stall")],
        options(500, 0),
        &|_| {},
    )
    .unwrap();
    let again = compare(&load("cpec-stall"), &[], options(500, 0), &|_| {}).unwrap();
    assert_eq!(
        again.compared.len(),
        0,
        "rule: a base compared with no other scenario compares nothing; fix: compare() in \
         src/analysis/compare.rs lists only the other scenarios under `compared`"
    );
    let same = {
        let mut s = load("cpec-stall");
        s.scenario.name = "copy".into();
        compare(&load("cpec-stall"), &[s], options(500, 0), &|_| {}).unwrap()
    };
    let p = &same.compared["copy"].indices["economic"];
    let fix = "fix: run i of both scenarios must draw the same random numbers (one seed in \
               src/analysis/compare.rs), and Differences (src/stats/paired.rs) must record \
               other - base exactly";
    assert!(
        p.mean_diff.iter().all(|&d| d == 0.0),
        "rule: a scenario compared with a copy of itself differs in no run, so every mean \
         difference is exactly 0; got {:?}; {fix}",
        p.mean_diff
    );
    assert!(
        p.p_greater.iter().all(|&g| g == 0.0),
        "rule: against a copy of itself no run is strictly greater, so P(>) is 0; got {:?}; \
         {fix}",
        p.p_greater
    );
    assert!(
        [&p.diff_sd, &p.diff_p05, &p.diff_p50, &p.diff_p95]
            .iter()
            .all(|v| v.iter().all(|&d| d == 0.0)),
        "rule: against a copy of itself every run-by-run difference is 0, so its spread \
         and quantiles are 0; got sd {:?}, p05 {:?}, p95 {:?}; {fix}",
        p.diff_sd,
        p.diff_p05,
        p.diff_p95
    );
    assert!(
        p.ci_low
            .iter()
            .zip(&p.ci_high)
            .all(|(l, h)| *l == 0.0 && *h == 0.0),
        "rule: against a copy of itself the paired differences are all 0, so the interval \
         is [0, 0]; got low {:?}, high {:?}; {fix}",
        p.ci_low,
        p.ci_high
    );
    assert_eq!(
        c.results[1], same.results[0],
        "rule: a scenario's own result is the same in any comparison under the same seed \
         and runs, as base or as other; fix: compare() in src/analysis/compare.rs must run \
         every scenario's plan under the one seed, whatever its place"
    );
}

/// The thread count changes nothing, to the byte.
#[test]
fn comparisons_are_identical_for_any_thread_count() {
    let json = |threads| {
        coopsim::output::json(
            &compare(
                &load("baseline"),
                &[load("us-india-drift"), load("afghanistan-stabilises")],
                options(3000, threads),
                &|_| {},
            )
            .unwrap(),
        )
    };
    let one = json(1);
    let rule = "rule: a comparison is identical, to the byte, for any thread count; fix: \
                every figure must come from exactly-merging accumulators (Aggregate, \
                Differences in src/stats/paired.rs), never from the order runs finish in";
    assert_eq!(one, json(2), "{rule} (1 against 2 threads)");
    assert_eq!(one, json(8), "{rule} (1 against 8 threads)");
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    for key in [
        "mean_diff",
        "ci_low",
        "ci_high",
        "p_greater",
        "median_diff",
        "diff_sd",
        "diff_p05",
        "diff_p25",
        "diff_p50",
        "diff_p75",
        "diff_p95",
    ] {
        assert_eq!(
            v["compared"]["us-india-drift"]["indices"]["security"][key]
                .as_array()
                .unwrap_or_else(|| {
                    panic!(
                        "rule: compare's JSON gives each index the arrays of \
                         docs/analysis.md (compare); {key} is missing; fix: PairedSeries in \
                         src/analysis/compare.rs"
                    )
                })
                .len(),
            40,
            "rule: compare's arrays have one entry per period (the baseline's 40); {key} \
             does not; fix: paired_indices in src/analysis/compare.rs"
        );
    }
}

#[test]
fn scenarios_with_other_horizons_or_the_same_name_are_refused() {
    let mut short = load("cpec-stall");
    short.scenario.steps = 10;
    let e = compare(&load("baseline"), &[short], options(10, 1), &|_| {}).unwrap_err();
    assert!(
        e.to_string().contains("runs 2026Q1 to"),
        "rule: compare refuses scenarios with another horizon, saying when each runs; got \
         {e}; fix: same_horizon in src/analysis/mod.rs (ArgumentError::Horizon in \
         src/error.rs)"
    );
    let e = compare(
        &load("baseline"),
        &[load("baseline")],
        options(10, 1),
        &|_| {},
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("two scenarios are named"),
        "rule: compare refuses two scenarios of the same name (names key the output); got \
         {e}; fix: compare() in src/analysis/compare.rs (ArgumentError::SameName)"
    );
}
