//! Proper scoring rules for ensemble forecasts: how well a set of runs
//! forecast a value observed later.
//!
//! An ensemble is the runs' values at one period, `x_1..x_m`, read as the
//! empirical distribution that puts mass `1/m` on each; `y` is the
//! observation. The rules:
//!
//! - the CRPS: [`crps_sorted`] and [`crps_fair_sorted`] in O(m), their
//!   O(m^2) energy-form references, and the weighted [`crps_weighted`];
//! - the threshold Brier score ([`threshold_brier`]) and the probability
//!   integral transform ([`pit`]), which count members on one side of a value;
//! - the central interval of an ensemble ([`central_interval_sorted`]), its
//!   coverage ([`Interval::contains`]) and the [`interval_score`];
//! - the log score of a Gaussian kernel density estimate ([`kde_log_score`]);
//! - [`skill`] against a reference forecast.
//!
//! Scores are negatively oriented: smaller is better, 0 is a perfect point
//! forecast (the log score, a density, has no such floor).
//!
//! Arguments come in one order: the ensemble, then the observation, then the
//! rule's parameters. An ensemble is non-empty and finite; a `_sorted` form
//! wants it ascending (as `sort_by(f64::total_cmp)` leaves it) and allocates
//! nothing, so a caller sorts once and scores several rules; the form without
//! the suffix sorts a copy. Preconditions are checked with `debug_assert`
//! only: the scores run per observation in loops, and a broken precondition
//! is a programming error of the caller, not an input error (those are
//! caught while loading, ARCHITECTURE.md).
//!
//! This module computes and nothing more: no IO, nothing else of the crate.
//! It sits on floor 0 beside `model` and `stats`, so every layer above may
//! use it.

mod crps;
mod interval;
mod kde;
mod threshold;

#[cfg(test)]
mod cross_check;

pub use crps::{
    crps, crps_energy, crps_fair, crps_fair_energy, crps_fair_sorted, crps_sorted, crps_weighted,
    crps_weighted_energy, crps_weighted_sorted,
};
pub use interval::{
    Interval, central_interval, central_interval_sorted, interval_score, quantile_sorted,
};
pub use kde::{
    kde_log_score, kde_log_score_sorted, kde_log_score_with_bandwidth, silverman_bandwidth_sorted,
};
pub use threshold::{brier, pit, pit_sorted, threshold_brier, threshold_brier_sorted};

/// The skill of a score `s` against a reference's `s_ref`: `1 - s / s_ref`.
///
/// 1 is a perfect forecast, 0 is no better than the reference, negative is
/// worse. Meant for mean scores that are never negative (CRPS, Brier,
/// interval score), which is what makes the ratio meaningful.
///
/// A perfect reference, `s_ref = 0`, leaves the ratio undefined; it is given
/// its limit as `s_ref` falls to 0 from above, so that a summary never
/// carries NaN: `s = 0` as well scores 0 (matching a perfect reference is no
/// gain over it) and `s > 0` scores negative infinity (infinitely worse).
///
/// Preconditions: `s` and `s_ref` finite and non-negative.
pub fn skill(s: f64, s_ref: f64) -> f64 {
    debug_assert!(s.is_finite() && s >= 0.0, "skill of a score {s}");
    debug_assert!(s_ref.is_finite() && s_ref >= 0.0, "skill against {s_ref}");
    if s_ref == 0.0 {
        if s == 0.0 { 0.0 } else { f64::NEG_INFINITY }
    } else {
        1.0 - s / s_ref
    }
}

/// The preconditions of every ensemble: non-empty, finite members and a
/// finite observation.
fn debug_check(ensemble: &[f64], y: f64) {
    debug_check_members(ensemble);
    debug_assert!(y.is_finite(), "the observation {y} must be finite");
}

/// [`debug_check`], and the ascending order the sorted forms rely on.
fn debug_check_sorted(sorted: &[f64], y: f64) {
    debug_check(sorted, y);
    debug_assert!(
        sorted.is_sorted(),
        "the sorted forms want an ascending ensemble"
    );
}

/// The members' preconditions alone, for the rules without an observation
/// (quantiles, bandwidths).
fn debug_check_ascending(sorted: &[f64]) {
    debug_check_members(sorted);
    debug_assert!(
        sorted.is_sorted(),
        "the sorted forms want an ascending ensemble"
    );
}

fn debug_check_members(ensemble: &[f64]) {
    debug_assert!(!ensemble.is_empty(), "an empty ensemble has no score");
    debug_assert!(
        ensemble.iter().all(|x| x.is_finite()),
        "ensemble members must be finite"
    );
}

/// A sorted copy, for the forms that take an ensemble in any order.
fn sorted_copy(ensemble: &[f64]) -> Vec<f64> {
    let mut sorted = ensemble.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skill_is_one_minus_the_ratio() {
        assert_eq!(skill(5.1, 8.0), 1.0 - 5.1 / 8.0);
        assert_eq!(skill(0.0, 8.0), 1.0);
        assert_eq!(skill(8.0, 8.0), 0.0);
        assert!(skill(16.0, 8.0) < 0.0);
    }

    #[test]
    fn skill_against_a_perfect_reference_is_its_limit_not_nan() {
        assert_eq!(skill(0.0, 0.0), 0.0);
        assert_eq!(skill(1e-9, 0.0), f64::NEG_INFINITY);
    }
}
