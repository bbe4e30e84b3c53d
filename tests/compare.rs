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
        let c = compare(&load("baseline"), &[load(other)], options(runs, 0), &|_| {}).unwrap();
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
            "{other}: paired width {paired}, unpaired {unpaired}"
        );
        assert!(p.ci_low[last] <= p.mean_diff[last] && p.mean_diff[last] <= p.ci_high[last]);
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
    assert_eq!(again.compared.len(), 0);
    let same = {
        let mut s = load("cpec-stall");
        s.scenario.name = "copy".into();
        compare(&load("cpec-stall"), &[s], options(500, 0), &|_| {}).unwrap()
    };
    let p = &same.compared["copy"].indices["economic"];
    assert!(p.mean_diff.iter().all(|&d| d == 0.0));
    assert!(p.p_greater.iter().all(|&g| g == 0.0));
    assert!(
        p.ci_low
            .iter()
            .zip(&p.ci_high)
            .all(|(l, h)| *l == 0.0 && *h == 0.0)
    );
    assert_eq!(
        c.results[1], same.results[0],
        "the same runs as in any comparison"
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
    assert_eq!(one, json(2));
    assert_eq!(one, json(8));
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    for key in ["mean_diff", "ci_low", "ci_high", "p_greater", "median_diff"] {
        assert_eq!(
            v["compared"]["us-india-drift"]["indices"]["security"][key]
                .as_array()
                .unwrap()
                .len(),
            40,
            "{key}: one entry per period"
        );
    }
}

#[test]
fn scenarios_with_other_horizons_or_the_same_name_are_refused() {
    let mut short = load("cpec-stall");
    short.scenario.steps = 10;
    let e = compare(&load("baseline"), &[short], options(10, 1), &|_| {}).unwrap_err();
    assert!(e.to_string().contains("runs 2026Q1 to"), "{e}");
    let e = compare(
        &load("baseline"),
        &[load("baseline")],
        options(10, 1),
        &|_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("two scenarios are named"), "{e}");
}
