//! The rules that count members on one side of a value: the Brier score of
//! a threshold's exceedance, and the probability integral transform.

use super::{debug_check, debug_check_sorted};

/// The Brier score of a probability `p` for an event: `(p - 1{occurred})^2`.
///
/// The primitive under [`threshold_brier`], for shares counted some other
/// way (the aggregate's `p_high` counts runs at or above the threshold).
/// Precondition: `p` in [0, 1].
pub fn brier(p: f64, occurred: bool) -> f64 {
    debug_assert!((0.0..=1.0).contains(&p), "a probability, not {p}");
    let outcome = if occurred { 1.0 } else { 0.0 };
    (p - outcome) * (p - outcome)
}

/// The Brier score of the ensemble's share above `threshold` for the event
/// `y > threshold`: `(#{x_i > t} / m - 1{y > t})^2`.
///
/// Strictly above, as properscoring's `threshold_brier_score`: its vector
/// y=0 vs [0, 0, 0, 1] at 0 scores 0.0625, which `>=` would make 0. With
/// the same `>` on both sides, integrating this score over every threshold
/// gives the CRPS (the threshold decomposition, Gneiting and Ranjan 2011).
/// O(m); preconditions as every ensemble's, and a finite threshold.
pub fn threshold_brier(ensemble: &[f64], y: f64, threshold: f64) -> f64 {
    debug_check(ensemble, y);
    debug_assert!(threshold.is_finite());
    let above = ensemble.iter().filter(|&&x| x > threshold).count();
    brier(above as f64 / ensemble.len() as f64, y > threshold)
}

/// [`threshold_brier`] of an ascending ensemble, by binary search in
/// O(log m), for scoring many thresholds against one sorted ensemble.
pub fn threshold_brier_sorted(sorted: &[f64], y: f64, threshold: f64) -> f64 {
    debug_check_sorted(sorted, y);
    debug_assert!(threshold.is_finite());
    let above = sorted.len() - sorted.partition_point(|&x| x <= threshold);
    brier(above as f64 / sorted.len() as f64, y > threshold)
}

/// The probability integral transform: the ensemble's share below `y`,
/// members equal to `y` counting half: `(#{x_i < y} + #{x_i = y} / 2) / m`.
///
/// Half for ties (the mid-distribution PIT) is deterministic, and it keeps
/// ties from biasing the PIT: an ensemble that hits the observation exactly
/// (a point forecast, or runs held at a bound of the index) gives 1/2, not
/// 0 or 1, and without ties it is plainly the share of members below `y`.
/// O(m); preconditions as every ensemble's.
pub fn pit(ensemble: &[f64], y: f64) -> f64 {
    debug_check(ensemble, y);
    let (mut below, mut equal) = (0usize, 0usize);
    for &x in ensemble {
        below += usize::from(x < y);
        equal += usize::from(x == y);
    }
    (below as f64 + equal as f64 / 2.0) / ensemble.len() as f64
}

/// [`pit`] of an ascending ensemble, by binary search in O(log m).
pub fn pit_sorted(sorted: &[f64], y: f64) -> f64 {
    debug_check_sorted(sorted, y);
    let below = sorted.partition_point(|&x| x < y);
    let not_above = sorted.partition_point(|&x| x <= y);
    (below as f64 + (not_above - below) as f64 / 2.0) / sorted.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::crps_sorted;
    use proptest::prelude::*;

    #[test]
    fn properscoring_threshold_vectors() {
        // properscoring tests/test_brier.py:
        // threshold_brier_score(0, [-1, 1], [-2, 0, 2]) == [0, 0.25, 0].
        for (t, want) in [(-2.0, 0.0), (0.0, 0.25), (2.0, 0.0)] {
            assert_eq!(threshold_brier(&[-1.0, 1.0], 0.0, t), want, "t={t}");
            assert_eq!(threshold_brier_sorted(&[-1.0, 1.0], 0.0, t), want, "t={t}");
        }
        // threshold_brier_score(0, [0, 0, 0, 1], 0) == 0.0625.
        assert_eq!(threshold_brier(&[0.0, 0.0, 0.0, 1.0], 0.0, 0.0), 0.0625);
        assert_eq!(
            threshold_brier_sorted(&[0.0, 0.0, 0.0, 1.0], 0.0, 0.0),
            0.0625
        );
    }

    #[test]
    fn brier_is_the_squared_miss() {
        assert_eq!(brier(0.2, true), 0.8 * 0.8);
        assert_eq!(brier(0.2, false), 0.2 * 0.2);
        assert_eq!(brier(1.0, true), 0.0);
    }

    #[test]
    fn pit_counts_ties_as_half() {
        assert_eq!(pit(&[1.0, 2.0, 3.0, 4.0], 2.5), 0.5);
        assert_eq!(pit(&[1.0, 2.0, 2.0, 4.0], 2.0), 0.5);
        assert_eq!(pit(&[5.0; 3], 5.0), 0.5);
        assert_eq!(pit(&[5.0; 3], 6.0), 1.0);
        assert_eq!(pit(&[5.0; 3], 4.0), 0.0);
        assert_eq!(pit_sorted(&[1.0, 2.0, 2.0, 2.0], 2.0), 0.25 + 0.75 / 2.0);
    }

    fn ensemble() -> impl Strategy<Value = Vec<f64>> {
        let value = prop_oneof![-100.0..100.0f64, (-3i32..3).prop_map(f64::from)];
        prop::collection::vec(value, 1..40)
    }

    proptest! {
        /// The sorted forms count what the unsorted ones count.
        #[test]
        fn sorted_forms_count_the_same(x in ensemble(), y in -4i32..4, t in -4i32..4) {
            let (y, t) = (f64::from(y), f64::from(t));
            let mut sorted = x.clone();
            sorted.sort_by(f64::total_cmp);
            prop_assert_eq!(pit(&x, y), pit_sorted(&sorted, y));
            prop_assert_eq!(threshold_brier(&x, y, t), threshold_brier_sorted(&sorted, y, t));
        }

        /// Integrating the threshold Brier score over every threshold gives
        /// the CRPS: between consecutive members (and the observation) the
        /// score is constant, so the integral is exact on those pieces.
        #[test]
        fn threshold_briers_integrate_to_the_crps(x in ensemble(), y in -100.0..100.0f64) {
            let mut points = x.clone();
            points.push(y);
            points.sort_by(f64::total_cmp);
            let integral: f64 = points
                .windows(2)
                .map(|w| (w[1] - w[0]) * threshold_brier(&x, y, (w[0] + w[1]) / 2.0))
                .sum();
            let mut sorted = x.clone();
            sorted.sort_by(f64::total_cmp);
            prop_assert!((integral - crps_sorted(&sorted, y)).abs() < 1e-9);
        }

        /// The PIT is a share.
        #[test]
        fn pit_is_a_share(x in ensemble(), y in -100.0..100.0f64) {
            prop_assert!((0.0..=1.0).contains(&pit(&x, y)));
        }
    }
}
