//! The log score of an ensemble, read as a density through a Gaussian
//! kernel density estimate.
//!
//! The log score needs a density, which an ensemble lacks: a Gaussian
//! kernel of bandwidth h on each member gives one,
//! `f(z) = (1/m) sum_i phi((z - x_i) / h) / h`, and the score is `-ln f(y)`
//! (scoringrules `logs_ensemble`). Unlike the CRPS it can be negative (a
//! sharp density that hits scores below 0) and it has no upper bound.

use super::{debug_check, debug_check_ascending, sorted_copy};

/// Silverman's rule of thumb for the bandwidth of an ascending ensemble:
/// `h = 1.06 min(s, IQR / 1.34) m^(-1/5)`.
///
/// `s` is the sample standard deviation with `m - 1` in the denominator and
/// `IQR = q75 - q25` with type-7 quantiles
/// ([`quantile_sorted`](super::quantile_sorted)), as scoringrules computes
/// them (numpy's `std(ddof=1)` and default `quantile`); with these its
/// published vector, y = 6.2 vs [4.2, 5.1, 6.1, 7.6, 8.3, 9.5] → 1.926475,
/// is reproduced.
///
/// Where the rule gives 0 it departs from scoringrules, which then returns
/// NaN: when the IQR is 0 but `s` is not (most members on one value), `s`
/// alone is used, as R's `bw.nrd0` does; when every member is equal (or
/// there is only one) there is no spread to measure and the bandwidth is 0,
/// which [`kde_log_score_sorted`] floors. Allocates nothing.
pub fn silverman_bandwidth_sorted(sorted: &[f64]) -> f64 {
    debug_check_ascending(sorted);
    // Tested on the order statistics, not on s: the mean of equal values
    // can round away from them, which would leave a spurious s of 1e-17.
    if sorted[0] == sorted[sorted.len() - 1] {
        return 0.0;
    }
    let m = sorted.len() as f64;
    let mean = sorted.iter().sum::<f64>() / m;
    let s = (sorted.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (m - 1.0)).sqrt();
    let iqr = super::quantile_sorted(sorted, 0.75) - super::quantile_sorted(sorted, 0.25);
    let spread = if iqr > 0.0 { s.min(iqr / 1.34) } else { s };
    1.06 * spread * m.powf(-0.2)
}

/// The log score `-ln f(y)` of the Gaussian kernel density estimate with
/// bandwidth `h`, for an ensemble in any order.
///
/// Summed as a log-sum-exp, so an observation far out in the tails, whose
/// density underflows to 0 as an `f64`, still gets its finite score
/// (quadratic in the distance); the score overflows to infinity only when
/// it exceeds `f64::MAX`, at distances beyond 10^154 bandwidths.
///
/// `h = 0` is the limit of a mixture of point masses: the density is
/// infinite on a member and 0 elsewhere, so the score is negative infinity
/// when `y` equals a member and positive infinity otherwise. Never NaN.
/// Preconditions: the ensemble's, and `h` finite and non-negative.
pub fn kde_log_score_with_bandwidth(ensemble: &[f64], y: f64, bandwidth: f64) -> f64 {
    debug_check(ensemble, y);
    debug_assert!(
        bandwidth.is_finite() && bandwidth >= 0.0,
        "bandwidth {bandwidth}"
    );
    if bandwidth == 0.0 {
        return if ensemble.contains(&y) {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let exponent = |x: f64| {
        let z = (y - x) / bandwidth;
        -0.5 * z * z
    };
    let top = ensemble
        .iter()
        .map(|&x| exponent(x))
        .fold(f64::NEG_INFINITY, f64::max);
    if top == f64::NEG_INFINITY {
        return f64::INFINITY;
    }
    let sum: f64 = ensemble.iter().map(|&x| (exponent(x) - top).exp()).sum();
    let m = ensemble.len() as f64;
    let log_density = top + sum.ln() - m.ln() - bandwidth.ln() - 0.5 * std::f64::consts::TAU.ln();
    -log_density
}

/// The KDE log score of an ascending ensemble with Silverman's bandwidth
/// ([`silverman_bandwidth_sorted`]), floored at `min_bandwidth`.
///
/// The floor is the degenerate case's answer: an ensemble whose members are
/// all equal has bandwidth 0, a point mass, whose log score is infinite
/// (negative on a hit, positive on a miss) and makes every mean over
/// observations infinite or NaN. A floor of the resolution the observations
/// are known to (their rounding) keeps the score finite and still charges a
/// collapsed ensemble heavily for a miss: a density sharper than anything
/// the data can check claims nothing more. `min_bandwidth = 0` keeps the
/// exact point-mass limit. Preconditions: the ensemble's, and
/// `min_bandwidth` finite and non-negative.
pub fn kde_log_score_sorted(sorted: &[f64], y: f64, min_bandwidth: f64) -> f64 {
    debug_assert!(min_bandwidth.is_finite() && min_bandwidth >= 0.0);
    let bandwidth = silverman_bandwidth_sorted(sorted).max(min_bandwidth);
    kde_log_score_with_bandwidth(sorted, y, bandwidth)
}

/// [`kde_log_score_sorted`] of a sorted copy of an ensemble in any order.
pub fn kde_log_score(ensemble: &[f64], y: f64, min_bandwidth: f64) -> f64 {
    kde_log_score_sorted(&sorted_copy(ensemble), y, min_bandwidth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn scoringrules_published_vector() {
        // scoringrules tests/test_logs.py, published to 6 decimals.
        let got = kde_log_score(&[9.5, 4.2, 5.1, 6.1, 7.6, 8.3], 6.2, 0.0);
        assert!((got - 1.926475).abs() < 5e-7, "{got}");
    }

    #[test]
    fn a_single_kernel_is_the_normal_log_density() {
        // -ln phi(z) / h with z = 2, h = 0.5.
        let want = 0.5 * 4.0 + 0.5 * std::f64::consts::TAU.ln() + 0.5f64.ln();
        assert!((kde_log_score_with_bandwidth(&[1.0], 2.0, 0.5) - want).abs() < 1e-14);
    }

    #[test]
    fn far_tails_stay_finite() {
        // phi(1000) underflows; its log does not.
        let got = kde_log_score_with_bandwidth(&[0.0, 0.0], 1000.0, 1.0);
        let want = 0.5 * 1e6 + 0.5 * std::f64::consts::TAU.ln();
        assert!((got - want).abs() < 1e-9, "{got}");
    }

    #[test]
    fn equal_members_have_no_bandwidth_and_the_floor_keeps_scores_finite() {
        assert_eq!(silverman_bandwidth_sorted(&[0.1; 3]), 0.0);
        assert_eq!(silverman_bandwidth_sorted(&[4.0]), 0.0);
        assert_eq!(kde_log_score(&[0.1; 3], 0.1, 0.0), f64::NEG_INFINITY);
        assert_eq!(kde_log_score(&[0.1; 3], 0.2, 0.0), f64::INFINITY);
        let hit = kde_log_score(&[0.1; 3], 0.1, 0.01);
        let miss = kde_log_score(&[0.1; 3], 0.2, 0.01);
        assert!(hit.is_finite() && miss.is_finite() && hit < miss);
        // Exactly a normal density of sd 0.01 at 0 and 10 sds.
        assert!((miss - hit - 50.0).abs() < 1e-9, "{}", miss - hit);
    }

    #[test]
    fn a_zero_iqr_falls_back_to_the_standard_deviation() {
        let x = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        // mean 1/6, squared deviations 5/36 + 25/36 over m - 1 = 5.
        let s = (1.0f64 / 6.0).sqrt();
        let want = 1.06 * s * 6f64.powf(-0.2);
        assert!((silverman_bandwidth_sorted(&x) - want).abs() < 1e-14);
        assert!(kde_log_score(&x, 0.5, 0.0).is_finite());
    }

    proptest! {
        /// With a positive floor the score is finite for every ensemble,
        /// degenerate or not; with none it is never NaN.
        #[test]
        fn never_nan(
            x in prop::collection::vec(prop_oneof![-100.0..100.0f64, Just(3.0)], 1..40),
            y in prop_oneof![-200.0..200.0f64, Just(3.0)],
        ) {
            prop_assert!(kde_log_score(&x, y, 1e-6).is_finite());
            prop_assert!(!kde_log_score(&x, y, 0.0).is_nan());
        }
    }
}
