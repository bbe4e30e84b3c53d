//! The fixed-point moments shared by the aggregate and the paired
//! differences: exact integer sums of values and their squares, and the mean
//! and standard deviation read from them.
//!
//! A value `v` is summed twice: finely, as `v · 2^56` (2^62 for drivers),
//! finer than the value itself, so that identical runs give their value back
//! exactly as the mean; and coarsely, as `q = v · 2^23` (2^29), with `q^2`,
//! which keeps `n · sum(q^2)` inside 128 bits for values up to 100 and up to
//! 2^30 runs. Integer sums are associative, so the moments of a set of runs
//! do not depend on how the runs were split or in what order they were added.

use super::Merge;

/// The fixed-point scales of one kind of value: one unit of value is
/// `mean` units of the fine sum and `spread` units of the coarse sums.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scales {
    /// Units of the fine sum, from which the mean is read, per unit of value.
    pub mean: f64,
    /// Units of the coarse sums, from which the spread is read, per unit of value.
    pub spread: f64,
}

/// Scales for index values (0 to 100) and for differences of them.
pub(crate) const INDEX_SCALES: Scales = Scales {
    mean: (1u64 << 56) as f64,
    spread: (1u64 << 23) as f64,
};

/// Scales for driver values (0 to 1).
pub(crate) const DRIVER_SCALES: Scales = Scales {
    mean: (1u64 << 62) as f64,
    spread: (1u64 << 29) as f64,
};

/// Exact integer sums of fixed-point values: the fine sum for the mean, the
/// coarse sum and the sum of the coarse squares for the spread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moments {
    /// Sum of the values at the fine scale.
    pub sum: i128,
    /// Sum of the values at the coarse scale.
    pub sum_coarse: i128,
    /// Sum of the squares of the coarse values.
    pub sum_sq_coarse: i128,
}

impl Moments {
    /// Adds a value `v >= 0` no larger than 100 (indices) or 1 (drivers).
    ///
    /// `v` is never negative, so adding 0.5 and truncating rounds to the
    /// nearest integer; both fixed-point values fit an `i64` (at most
    /// 100 · 2^56 and 100 · 2^23), and so does the square of the coarse one,
    /// so no 128-bit product is needed in the hot loop.
    #[inline(always)]
    pub(crate) fn add_non_negative(&mut self, v: f64, scales: Scales) {
        let fine = (v * scales.mean + 0.5) as i64;
        let coarse = (v * scales.spread + 0.5) as i64;
        self.sum += i128::from(fine);
        self.sum_coarse += i128::from(coarse);
        self.sum_sq_coarse += i128::from(coarse * coarse);
    }

    /// Adds a value of either sign, rounded to the nearest unit of each
    /// scale (halves away from zero).
    #[inline]
    pub(crate) fn add_signed(&mut self, v: f64, scales: Scales) {
        self.sum += (v * scales.mean).round() as i128;
        let coarse = (v * scales.spread).round() as i128;
        self.sum_coarse += coarse;
        self.sum_sq_coarse += coarse * coarse;
    }

    /// The mean of `runs` values (0 for none).
    ///
    /// The integer division comes first, so that `runs` identical values
    /// give that value back exactly; only the remainder is divided in
    /// floating point.
    pub fn mean(&self, runs: u64, scales: Scales) -> f64 {
        let n = i128::from(runs.max(1));
        let (whole, rest) = (self.sum / n, self.sum % n);
        (whole as f64 + rest as f64 / n as f64) / scales.mean
    }

    /// The sample standard deviation (divisor `runs - 1`) of `runs` values;
    /// 0 for fewer than two.
    ///
    /// `n · sum(q^2) - sum(q)^2` is exact in integers and never negative for
    /// sums of real values, so the only rounding is the final division and
    /// square root.
    pub fn sd(&self, runs: u64, scales: Scales) -> f64 {
        if runs < 2 {
            return 0.0;
        }
        let n = i128::from(runs);
        let spread = (n * self.sum_sq_coarse - self.sum_coarse * self.sum_coarse) as f64;
        (spread / (n as f64 * (n - 1) as f64)).sqrt() / scales.spread
    }
}

impl std::ops::AddAssign for Moments {
    #[inline(always)]
    fn add_assign(&mut self, other: Moments) {
        self.sum += other.sum;
        self.sum_coarse += other.sum_coarse;
        self.sum_sq_coarse += other.sum_sq_coarse;
    }
}

impl Merge for Moments {
    fn merge(&mut self, other: &Moments) {
        *self += *other;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(values: &[f64], scales: Scales) -> Moments {
        let mut m = Moments::default();
        values.iter().for_each(|&v| m.add_non_negative(v, scales));
        m
    }

    #[test]
    fn identical_values_give_their_value_back_exactly_with_zero_sd() {
        for (v, scales) in [(42.123456, INDEX_SCALES), (0.777, DRIVER_SCALES)] {
            for runs in [1, 2, 3, 7, 1000] {
                let m = of(&vec![v; runs], scales);
                assert_eq!(m.mean(runs as u64, scales), v, "{runs} runs of {v}");
                assert_eq!(m.sd(runs as u64, scales), 0.0, "{runs} runs of {v}");
            }
        }
    }

    #[test]
    fn mean_and_sd_match_hand_values() {
        let m = of(&[20.0, 30.0, 60.0, 90.0], INDEX_SCALES);
        assert_eq!(m.mean(4, INDEX_SCALES), 50.0);
        // Deviations 30, 20, 10, 40: sum of squares 3000, over n - 1 = 3.
        assert_eq!(m.sd(4, INDEX_SCALES), (3000.0f64 / 3.0).sqrt());
        let m = of(&[0.1, 0.2, 0.3, 0.4], DRIVER_SCALES);
        assert!((m.mean(4, DRIVER_SCALES) - 0.25).abs() < 1e-15);
    }

    #[test]
    fn the_sums_of_small_values_are_exact_integers() {
        let mut m = Moments::default();
        m.add_non_negative(1.5, INDEX_SCALES);
        m.add_non_negative(0.0, INDEX_SCALES);
        assert_eq!(m.sum, 3i128 << 55);
        assert_eq!(m.sum_coarse, 3i128 << 22);
        assert_eq!(m.sum_sq_coarse, (3i128 << 22) * (3i128 << 22));
    }

    #[test]
    fn fewer_than_two_values_have_zero_sd_and_none_a_zero_mean() {
        let m = of(&[10.0], INDEX_SCALES);
        assert_eq!(
            (m.mean(1, INDEX_SCALES), m.sd(1, INDEX_SCALES)),
            (10.0, 0.0)
        );
        let none = Moments::default();
        assert_eq!(none.mean(0, INDEX_SCALES), 0.0);
        assert_eq!(none.sd(0, INDEX_SCALES), 0.0);
    }

    #[test]
    fn signed_values_round_to_nearest_and_agree_with_non_negative_ones() {
        let mut signed = Moments::default();
        for d in [2.0, -1.0, 4.0, 0.0] {
            signed.add_signed(d, INDEX_SCALES);
        }
        assert_eq!(signed.mean(4, INDEX_SCALES), 1.25);
        assert_eq!(signed.sd(4, INDEX_SCALES), (14.75f64 / 3.0).sqrt());
        let mut minus = Moments::default();
        minus.add_signed(-0.5 / INDEX_SCALES.spread, INDEX_SCALES);
        assert_eq!(minus.sum_coarse, -1, "a half rounds away from zero");
        let values = [0.0, 0.25, 33.3, 99.999, 100.0];
        let mut both = Moments::default();
        values
            .iter()
            .for_each(|&v| both.add_signed(v, INDEX_SCALES));
        assert_eq!(both, of(&values, INDEX_SCALES));
    }

    #[test]
    fn merging_in_any_split_gives_the_whole() {
        let values: Vec<f64> = (0..200).map(|i| (i * 37 % 100) as f64 + 0.3).collect();
        let whole = of(&values, INDEX_SCALES);
        let mut parts = of(&values[120..], INDEX_SCALES);
        parts.merge(&of(&values[..50], INDEX_SCALES));
        parts.merge(&of(&values[50..120], INDEX_SCALES));
        assert_eq!(parts, whole);
    }
}
