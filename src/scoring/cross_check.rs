//! Values computed by properscoring and scoringrules, pasted as fixed
//! vectors: the Rust tests never call Python.
//!
//! Made with properscoring 0.1, scoringrules 0.10.0, numpy 2.4.6 (Python
//! 3.11), from `numpy.random.default_rng(20260501)`, inputs rounded to 4
//! decimals so that the literals below are the numbers Python scored:
//!
//! ```text
//! for m, loc, scale in [(2, 0, 1), (5, 50, 10), (17, 30, 25), (40, -3, 0.5)]:
//!     x = np.round(rng.normal(loc, scale, size=m), 4)
//!     y = np.round(rng.normal(loc, scale * 1.5), 4)
//!     w = np.round(rng.uniform(0.1, 2.0, size=m), 4)
//!     t = np.round(loc + 0.3 * scale, 4)
//!     crps            = ps.crps_ensemble(y, x)
//!     crps_fair       = sr.crps_ensemble(y, x, estimator="fair")
//!     crps_weighted   = ps.crps_ensemble(y, x, weights=w)
//!     threshold_brier = ps.threshold_brier_score(np.array([y]), np.array([x]), t)[0]
//!     log_score       = sr.logs_ensemble(y, x)
//!     interval_90     = np.quantile(x, [0.05, 0.95])
//!     interval_score  = sr.interval_score(y, *interval_90, 0.1)
//! ```

use super::*;

struct Case {
    ensemble: &'static [f64],
    weights: &'static [f64],
    y: f64,
    threshold: f64,
    crps: f64,
    crps_fair: f64,
    crps_weighted: f64,
    threshold_brier: f64,
    log_score: f64,
    interval_90: (f64, f64),
    interval_score_90: f64,
}

const CASES: &[Case] = &[
    Case {
        ensemble: &[0.3282, 0.3709],
        weights: &[0.8878, 0.5362],
        y: 2.9333,
        threshold: 0.3,
        crps: 2.5730750000000002,
        crps_fair: 2.5624000000000002,
        crps_weighted: 2.578997328042151,
        threshold_brier: 0.0,
        // scoringrules: inf (its density underflows); scipy's logsumexp
        // of the same kernel sum gives the finite score.
        log_score: 15184.601066161169,
        interval_90: (0.330335, 0.368765),
        interval_score_90: 51.32913,
    },
    Case {
        ensemble: &[57.9947, 36.5238, 52.107, 37.4545, 61.6924],
        weights: &[1.6747, 1.3384, 0.6369, 1.5442, 1.6662],
        y: 67.7668,
        threshold: 53.0,
        crps: 12.942128,
        crps_fair: 11.52458,
        crps_weighted: 12.365974942339278,
        threshold_brier: 0.36,
        log_score: 4.271048276648691,
        interval_90: (36.70994, 60.95286),
        interval_score_90: 160.52172000000004,
    },
    Case {
        ensemble: &[
            59.9903, 23.3873, 28.0344, 26.6379, 33.4478, 15.8344, 40.0125, 20.619, 63.8422,
            44.7004, 8.1152, 22.143, 28.6096, 15.6945, 48.1788, 49.356, 43.9286,
        ],
        weights: &[
            0.9354, 1.799, 1.3387, 0.5109, 1.1481, 0.8067, 0.705, 1.6041, 0.1395, 1.9647, 1.1875,
            1.0285, 0.1393, 1.4425, 0.6551, 1.8248, 0.9322,
        ],
        y: 57.891,
        threshold: 37.5,
        crps: 16.309726989619378,
        crps_fair: 15.756599264705878,
        crps_weighted: 18.016138867297435,
        threshold_brier: 0.34602076124567477,
        log_score: 4.6145600546550005,
        interval_90: (14.17864, 60.760679999999994),
        interval_score_90: 46.58203999999999,
    },
    Case {
        ensemble: &[
            -2.7007, -2.9117, -3.1168, -2.8395, -3.4854, -2.1795, -2.6141, -3.2287, -2.9072,
            -2.6858, -2.5907, -2.2352, -2.9799, -2.4222, -2.5101, -3.5547, -2.8463, -3.33, -2.7947,
            -2.9195, -2.0467, -2.819, -2.5044, -3.7815, -3.4688, -3.4981, -2.613, -2.5712, -3.307,
            -2.8218, -3.0422, -3.0834, -3.3158, -2.7602, -2.4412, -2.5854, -2.1791, -3.6804,
            -3.3152, -2.1985,
        ],
        weights: &[
            1.3344, 1.7397, 1.3937, 1.2811, 1.1536, 0.4566, 0.6319, 1.2602, 0.6132, 0.818, 0.7577,
            1.9244, 1.8777, 1.1727, 0.3026, 1.5374, 0.5253, 0.6541, 0.5459, 0.7355, 1.1051, 0.5953,
            1.9638, 1.0078, 1.0443, 1.8161, 0.9275, 0.6051, 1.9626, 1.2308, 1.0337, 1.0694, 1.5874,
            1.1405, 1.495, 0.7861, 0.6514, 0.3767, 0.2674, 1.0777,
        ],
        y: -2.403,
        threshold: -2.85,
        crps: 0.27650375000000005,
        crps_fair: 0.2700566666666666,
        crps_weighted: 0.29253618138259957,
        threshold_brier: 0.20249999999999996,
        log_score: 0.5896529821402883,
        interval_90: (-3.560985, -2.17948),
        interval_score_90: 1.3815050000000002,
    },
];

/// Agreement to 1e-12, relative to the value's size: Python sums in other
/// orders, so the last digits differ.
fn check(rule: &str, case: usize, got: f64, want: f64) {
    let tolerance = 1e-12 * want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tolerance,
        "case {case}, {rule}: {got} against Python's {want}"
    );
}

#[test]
fn every_rule_matches_properscoring_and_scoringrules() {
    for (n, c) in CASES.iter().enumerate() {
        let sorted = sorted_copy(c.ensemble);
        check("crps energy", n, crps_energy(c.ensemble, c.y), c.crps);
        check("crps sorted", n, crps_sorted(&sorted, c.y), c.crps);
        check(
            "crps fair energy",
            n,
            crps_fair_energy(c.ensemble, c.y),
            c.crps_fair,
        );
        check(
            "crps fair sorted",
            n,
            crps_fair_sorted(&sorted, c.y),
            c.crps_fair,
        );
        check(
            "crps weighted",
            n,
            crps_weighted(c.ensemble, c.weights, c.y),
            c.crps_weighted,
        );
        check(
            "crps weighted energy",
            n,
            crps_weighted_energy(c.ensemble, c.weights, c.y),
            c.crps_weighted,
        );
        check(
            "threshold brier",
            n,
            threshold_brier(c.ensemble, c.y, c.threshold),
            c.threshold_brier,
        );
        check(
            "kde log score",
            n,
            kde_log_score_sorted(&sorted, c.y, 0.0),
            c.log_score,
        );
        let interval = central_interval_sorted(&sorted, 0.1);
        check("interval lower", n, interval.lower, c.interval_90.0);
        check("interval upper", n, interval.upper, c.interval_90.1);
        check(
            "interval score",
            n,
            interval_score(interval, 0.1, c.y),
            c.interval_score_90,
        );
    }
}
