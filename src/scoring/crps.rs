//! The continuous ranked probability score of an ensemble.
//!
//! For a forecast distribution F, `CRPS(F, y) = ∫ (F(z) - 1{y <= z})^2 dz
//! = E|X - y| - E|X - X'| / 2`, X and X' independent draws from F
//! (Gneiting and Raftery 2007). For the ensemble's empirical
//! distribution that is the energy form; the fair form (Ferro 2014) draws X'
//! from the other members only, which makes it an unbiased estimate of the
//! CRPS of the distribution the ensemble was drawn from, so that ensembles
//! of different sizes compare fairly.
//!
//! The energy forms are the O(m^2) reference; the sorted forms give the same
//! numbers in one pass over the order statistics x_(1) <= .. <= x_(m), using
//! `sum_ij |x_i - x_j| = 2 sum_i x_(i) (2i - m - 1)`. Each term is written
//! with `x_(i) - y` rather than `x_(i)`, which changes nothing exactly (the
//! coefficients sum to 0) but keeps the terms the size of the errors, not of
//! the values, so no digits cancel when the values sit far from 0.
//!
//! Both forms are never negative (by the triangle inequality, the spread
//! term is at most `mean|x_i - y|`, and the fair form's too), so a result
//! that rounds below 0 is returned as 0.

use super::{debug_check, debug_check_sorted, sorted_copy};

/// Energy-form CRPS, the reference:
/// `mean_i |x_i - y| - (1 / (2 m^2)) sum_ij |x_i - x_j|`.
///
/// O(m^2): for tests and small ensembles; [`crps_sorted`] is the one to
/// use. Preconditions: a non-empty, finite ensemble and a finite `y`.
pub fn crps_energy(ensemble: &[f64], y: f64) -> f64 {
    debug_check(ensemble, y);
    let m = ensemble.len() as f64;
    let (mean_error, pairs) = energy_terms(ensemble, y);
    rounded_up_to_zero(mean_error - pairs / (2.0 * m * m), ensemble, y)
}

/// Fair-form CRPS, the reference:
/// `mean_i |x_i - y| - (1 / (2 m (m - 1))) sum_ij |x_i - x_j|`.
///
/// A single member has no other member to draw X' from, and the formula's
/// second term is 0/0; it is taken as 0 (no pairs, no spread), so one member
/// scores `|x - y|`, the same as the energy form and the CRPS of a point
/// forecast. That is the only value that keeps the rule defined for every
/// ensemble, but it is not unbiased: the fair correction needs two members.
///
/// O(m^2), like [`crps_energy`]; [`crps_fair_sorted`] is the one to use.
pub fn crps_fair_energy(ensemble: &[f64], y: f64) -> f64 {
    debug_check(ensemble, y);
    let m = ensemble.len() as f64;
    let (mean_error, pairs) = energy_terms(ensemble, y);
    if ensemble.len() == 1 {
        return mean_error;
    }
    rounded_up_to_zero(mean_error - pairs / (2.0 * m * (m - 1.0)), ensemble, y)
}

/// `mean_i |x_i - y|` and `sum_ij |x_i - x_j|` over ordered pairs.
fn energy_terms(ensemble: &[f64], y: f64) -> (f64, f64) {
    let m = ensemble.len() as f64;
    let mean_error = ensemble.iter().map(|x| (x - y).abs()).sum::<f64>() / m;
    let mut half = 0.0;
    for (i, a) in ensemble.iter().enumerate() {
        for b in &ensemble[i + 1..] {
            half += (a - b).abs();
        }
    }
    (mean_error, 2.0 * half)
}

/// CRPS of an ascending ensemble, in O(m):
/// `(2 / m^2) sum_i (x_(i) - y) (m 1{y < x_(i)} - i + 1/2)`, i from 1.
///
/// Equal to [`crps_energy`] (expand `mean|x_i - y|` by the sign of
/// `x_(i) - y` and the pair sum by rank). Allocates nothing.
/// Preconditions: non-empty, finite, ascending; `y` finite.
pub fn crps_sorted(sorted: &[f64], y: f64) -> f64 {
    debug_check_sorted(sorted, y);
    let m = sorted.len() as f64;
    let mut sum = 0.0;
    for (k, &x) in sorted.iter().enumerate() {
        let above = if y < x { m } else { 0.0 };
        sum += (x - y) * (above - (k + 1) as f64 + 0.5);
    }
    rounded_up_to_zero(2.0 * sum / (m * m), sorted, y)
}

/// Fair CRPS of an ascending ensemble, in O(m):
/// `(2 / (m (m - 1))) sum_i (x_(i) - y) ((m - 1) 1{y < x_(i)} - i + 1)`.
///
/// The energy form's sorted sum with `m - 1` for `m` and 1 for 1/2, from
/// the same expansion with `m (m - 1)` in the spread term. One member scores
/// `|x - y|`, as in [`crps_fair_energy`]. Allocates nothing.
pub fn crps_fair_sorted(sorted: &[f64], y: f64) -> f64 {
    debug_check_sorted(sorted, y);
    if let [x] = sorted {
        return (x - y).abs();
    }
    let m = sorted.len() as f64;
    let mut sum = 0.0;
    for (k, &x) in sorted.iter().enumerate() {
        let above = if y < x { m - 1.0 } else { 0.0 };
        sum += (x - y) * (above - k as f64);
    }
    rounded_up_to_zero(2.0 * sum / (m * (m - 1.0)), sorted, y)
}

/// CRPS of an ensemble in any order: [`crps_sorted`] of a sorted copy,
/// O(m log m).
pub fn crps(ensemble: &[f64], y: f64) -> f64 {
    crps_sorted(&sorted_copy(ensemble), y)
}

/// Fair CRPS of an ensemble in any order: [`crps_fair_sorted`] of a sorted
/// copy, O(m log m).
pub fn crps_fair(ensemble: &[f64], y: f64) -> f64 {
    crps_fair_sorted(&sorted_copy(ensemble), y)
}

/// Weighted-ensemble CRPS, the reference, as properscoring's
/// `crps_ensemble(y, x, weights=w)`: member i has mass `w_i / sum w`, and
/// `CRPS = sum_i w~_i |x_i - y| - (1/2) sum_ij w~_i w~_j |x_i - x_j|`.
///
/// O(m^2). Preconditions: the ensemble's, and as many weights as members,
/// finite, non-negative, with a positive sum (only their ratios matter).
pub fn crps_weighted_energy(ensemble: &[f64], weights: &[f64], y: f64) -> f64 {
    let total = debug_check_weighted(ensemble, weights, y);
    let mut error = 0.0;
    let mut half = 0.0;
    for (i, (a, wa)) in ensemble.iter().zip(weights).enumerate() {
        error += wa * (a - y).abs();
        for (b, wb) in ensemble[i + 1..].iter().zip(&weights[i + 1..]) {
            half += wa * wb * (a - b).abs();
        }
    }
    rounded_up_to_zero(error / total - half / (total * total), ensemble, y)
}

/// Weighted CRPS of an ascending ensemble with its weights in the same
/// order, in O(m). With cumulative weights `W_i = w_1 + .. + w_i` and
/// `T = W_m`: `(1 / T^2) sum_i w_i (x_(i) - y) (2 T 1{y < x_(i)} - W_(i-1) - W_i)`,
/// which is [`crps_sorted`] when every weight is equal. Allocates nothing.
pub fn crps_weighted_sorted(sorted: &[f64], weights: &[f64], y: f64) -> f64 {
    debug_check_sorted(sorted, y);
    let total = debug_check_weighted(sorted, weights, y);
    let pairs = sorted.iter().copied().zip(weights.iter().copied());
    rounded_up_to_zero(weighted_sorted(pairs, total, y), sorted, y)
}

/// Weighted CRPS of an ensemble in any order, its weights aligned with it:
/// [`crps_weighted_sorted`] of a sorted copy of the pairs, O(m log m).
pub fn crps_weighted(ensemble: &[f64], weights: &[f64], y: f64) -> f64 {
    let total = debug_check_weighted(ensemble, weights, y);
    let mut pairs: Vec<(f64, f64)> = ensemble
        .iter()
        .copied()
        .zip(weights.iter().copied())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    rounded_up_to_zero(weighted_sorted(pairs.into_iter(), total, y), ensemble, y)
}

/// The sum of [`crps_weighted_sorted`] over (member, weight) pairs in
/// ascending order of members, before rounding is absorbed.
fn weighted_sorted(pairs: impl Iterator<Item = (f64, f64)>, total: f64, y: f64) -> f64 {
    let (mut sum, mut below) = (0.0, 0.0);
    for (x, w) in pairs {
        let above = if y < x { 2.0 * total } else { 0.0 };
        let through = below + w;
        sum += w * (x - y) * (above - below - through);
        below = through;
    }
    sum / (total * total)
}

/// A CRPS that rounding left just below 0, as 0, so that callers can rely
/// on the bound (a mean of scores, a skill ratio). Debug builds check that
/// only rounding is absorbed: anything below `-1e-9 mean|x_i - y|` is a
/// fault in the sum, not rounding.
fn rounded_up_to_zero(raw: f64, ensemble: &[f64], y: f64) -> f64 {
    debug_assert!(
        raw >= -1e-9 * ensemble.iter().map(|x| (x - y).abs()).sum::<f64>() / ensemble.len() as f64,
        "a CRPS of {raw} is below 0 by more than rounding"
    );
    raw.max(0.0)
}

/// The preconditions of a weighted ensemble; the total weight.
fn debug_check_weighted(ensemble: &[f64], weights: &[f64], y: f64) -> f64 {
    debug_check(ensemble, y);
    debug_assert_eq!(ensemble.len(), weights.len(), "one weight per member");
    debug_assert!(
        weights.iter().all(|w| w.is_finite() && *w >= 0.0),
        "weights must be finite and non-negative"
    );
    let total: f64 = weights.iter().sum();
    debug_assert!(total > 0.0, "the weights must not all be 0");
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every form of the unweighted CRPS, for checks that hold for all.
    fn all_forms(ensemble: &[f64], y: f64) -> [f64; 4] {
        [
            crps_energy(ensemble, y),
            crps(ensemble, y),
            crps_fair_energy(ensemble, y),
            crps_fair(ensemble, y),
        ]
    }

    fn close(got: f64, want: f64, tolerance: f64) -> bool {
        (got - want).abs() <= tolerance
    }

    /// properscoring `tests/test_crps.py` (test_crps_toy_examples), exact
    /// fractions: `crps_ensemble(y, x)`.
    const PROPERSCORING: &[(f64, &[f64], f64)] = &[
        (0.0, &[0.0, 1.0], 0.25),
        (2.0, &[0.0, 1.0], 1.25),
        (0.0, &[-1.0, 1.0], 0.5),
        (0.0, &[0.0, 0.0, 1.0], 1.0 / 9.0),
        (1.0, &[0.0, 0.0, 1.0], 4.0 / 9.0),
        (0.0, &[-1.0, 0.0, 0.0, 1.0], 1.0 / 8.0),
        (1.0, &[0.0, 1.0, 2.0], 2.0 / 9.0),
    ];

    #[test]
    fn properscoring_toy_examples() {
        for &(y, ensemble, want) in PROPERSCORING {
            for got in [crps_energy(ensemble, y), crps(ensemble, y)] {
                assert!(
                    close(got, want, 1e-15),
                    "y={y} x={ensemble:?}: {got} != {want}"
                );
            }
            let mut reversed = ensemble.to_vec();
            reversed.reverse();
            assert!(close(crps(&reversed, y), want, 1e-15));
        }
    }

    #[test]
    fn properscoring_weighted_example() {
        // test_crps_toy_examples: y=1.5 vs [0, 2], weights [0.8, 0.2].
        let want = 0.64 * 1.5 + 0.04 * 0.5;
        let (x, w) = ([0.0, 2.0], [0.8, 0.2]);
        for got in [
            crps_weighted_energy(&x, &w, 1.5),
            crps_weighted_sorted(&x, &w, 1.5),
            crps_weighted(&[2.0, 0.0], &[0.2, 0.8], 1.5),
        ] {
            assert!(close(got, want, 1e-15), "{got} != {want}");
        }
    }

    /// scoringrules `tests/test_crps.py`, published to 7 decimals.
    #[test]
    fn scoringrules_ten_member_example() {
        let y = -0.6042506;
        let x = [
            1.7812118, 0.5863797, 0.7038174, -0.7743998, -0.2751647, 1.1863249, 1.2990966,
            -0.3242982, -0.5968781, 0.9064937,
        ];
        for got in [crps_energy(&x, y), crps(&x, y)] {
            assert!(close(got, 0.6126602, 5e-8), "energy {got}");
        }
        for got in [crps_fair_energy(&x, y), crps_fair(&x, y)] {
            assert!(close(got, 0.5598959, 5e-8), "fair {got}");
        }
    }

    #[test]
    fn one_member_scores_its_absolute_error_in_every_form() {
        for got in all_forms(&[3.5], 1.0) {
            assert_eq!(got, 2.5);
        }
        assert_eq!(crps_weighted(&[3.5], &[7.0], 1.0), 2.5);
    }

    #[test]
    fn equal_weights_give_the_unweighted_score() {
        let x = [0.3, -1.2, 4.0, 4.0, 2.5];
        let w = [2.0; 5];
        assert!(close(crps_weighted(&x, &w, 1.0), crps(&x, 1.0), 1e-14));
        assert!(close(
            crps_weighted_energy(&x, &w, 1.0),
            crps(&x, 1.0),
            1e-14
        ));
    }

    /// Ensembles of 1 to 60 members with values in [-1000, 1000] (some
    /// repeated, to exercise ties), and an observation in the same range or
    /// equal to a member.
    fn ensemble_and_observation() -> impl Strategy<Value = (Vec<f64>, f64)> {
        let value = prop_oneof![
            3 => -1000.0..1000.0f64,
            1 => (-5i32..5).prop_map(f64::from),
        ];
        (
            prop::collection::vec(value, 1..60),
            -1000.0..1000.0f64,
            any::<prop::sample::Index>(),
            any::<bool>(),
        )
            .prop_map(|(x, y, at, on_member)| {
                let y = if on_member { x[at.index(x.len())] } else { y };
                (x, y)
            })
    }

    proptest! {
        /// The sorted forms compute the energy forms' numbers: the O(m)
        /// sums are rearrangements of the O(m^2) ones.
        #[test]
        fn sorted_forms_agree_with_the_energy_forms((x, y) in ensemble_and_observation()) {
            prop_assert!(close(crps(&x, y), crps_energy(&x, y), 1e-9));
            prop_assert!(close(crps_fair(&x, y), crps_fair_energy(&x, y), 1e-9));
        }

        /// The weighted sorted form computes the weighted energy form's
        /// number, whatever the order of the members.
        #[test]
        fn weighted_forms_agree(
            (x, y) in ensemble_and_observation(),
            seed in prop::collection::vec(0.0..10.0f64, 60),
        ) {
            let mut w = seed[..x.len()].to_vec();
            w[0] += 0.5;
            prop_assert!(close(crps_weighted(&x, &w, y), crps_weighted_energy(&x, &w, y), 1e-9));
        }

        /// The CRPS is never negative, in any form, and only rounding is
        /// absorbed to keep it so (each form's debug assertion fails on
        /// a sum below 0 by more).
        #[test]
        fn crps_is_never_negative((x, y) in ensemble_and_observation()) {
            for got in all_forms(&x, y) {
                prop_assert!(got >= 0.0, "{got}");
            }
        }

        /// A point ensemble, every member equal, scores the absolute error
        /// of the point.
        #[test]
        fn a_point_ensemble_scores_its_absolute_error(
            point in -1000.0..1000.0f64,
            m in 1usize..40,
            y in -1000.0..1000.0f64,
        ) {
            let x = vec![point; m];
            for got in all_forms(&x, y) {
                prop_assert!(close(got, (point - y).abs(), 1e-9), "{got}");
            }
        }

        /// The fair form subtracts the larger spread term, so it never
        /// exceeds the energy form.
        #[test]
        fn fair_never_exceeds_energy((x, y) in ensemble_and_observation()) {
            prop_assert!(crps_fair_energy(&x, y) <= crps_energy(&x, y) + 1e-12);
            prop_assert!(crps_fair(&x, y) <= crps(&x, y) + 1e-12);
        }
    }
}
