//! Central intervals of an ensemble, their coverage, and the interval score.

use super::{debug_check_ascending, sorted_copy};

/// The type-7 sample quantile of an ascending ensemble at probability `p`:
/// with `h = (m - 1) p`, `x_(floor h) + (h - floor h) (x_(floor h + 1) -
/// x_(floor h))`, order statistics counted from 0.
///
/// Type 7 (Hyndman and Fan 1996) is the crate's one quantile convention:
/// the same numbers as `stats::exact_quantile` and the reported p05..p95,
/// and numpy's default, which scoringrules' bandwidth uses. It interpolates
/// linearly between order statistics, p = 0 is the minimum and p = 1 the
/// maximum. Allocates nothing. Preconditions: a non-empty, finite, ascending
/// ensemble; `p` in [0, 1].
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    debug_check_ascending(sorted);
    debug_assert!((0.0..=1.0).contains(&p), "a probability, not {p}");
    let h = (sorted.len() - 1) as f64 * p;
    let k = h.floor() as usize;
    let frac = h - k as f64;
    if k + 1 >= sorted.len() {
        sorted[k]
    } else {
        sorted[k] + frac * (sorted[k + 1] - sorted[k])
    }
}

/// A closed interval of values, `lower <= upper`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
}

impl Interval {
    /// Whether `y` lies in the interval, bounds included:
    /// `lower <= y <= upper`.
    ///
    /// Inclusive because an ensemble is discrete: when runs pile up on a
    /// value (a bound of the index, or a point forecast) the interval's
    /// bound is that value, and an observation on it is one the forecast
    /// gave mass to. It also agrees with [`interval_score`], which charges
    /// no penalty for an observation on a bound.
    pub fn contains(self, y: f64) -> bool {
        self.lower <= y && y <= self.upper
    }
}

/// The central `(1 - alpha)` interval of an ascending ensemble: its type-7
/// quantiles ([`quantile_sorted`]) at `alpha / 2` and `1 - alpha / 2`.
///
/// `alpha = 0.1` is the central 90% interval, from p05 to p95 as the result
/// reports them. Allocates nothing. Preconditions: the ensemble's, and
/// `alpha` in (0, 1).
pub fn central_interval_sorted(sorted: &[f64], alpha: f64) -> Interval {
    debug_assert!(alpha > 0.0 && alpha < 1.0, "alpha in (0, 1), not {alpha}");
    Interval {
        lower: quantile_sorted(sorted, alpha / 2.0),
        upper: quantile_sorted(sorted, 1.0 - alpha / 2.0),
    }
}

/// [`central_interval_sorted`] of a sorted copy of an ensemble in any order.
pub fn central_interval(ensemble: &[f64], alpha: f64) -> Interval {
    central_interval_sorted(&sorted_copy(ensemble), alpha)
}

/// The interval score of Gneiting and Raftery (2007) of a
/// central `(1 - alpha)` interval `[l, u]`:
/// `(u - l) + (2 / alpha) (l - y) 1{y < l} + (2 / alpha) (y - u) 1{y > u}`.
///
/// The width rewards sharpness; the penalty, `2 / alpha` per unit of miss,
/// is what makes the score proper when `l` and `u` are the forecast's
/// `alpha / 2` and `1 - alpha / 2` quantiles. For an ensemble, score
/// [`central_interval_sorted`] with the same `alpha`.
/// Preconditions: finite bounds, `lower <= upper`, `alpha` in (0, 1),
/// finite `y`.
pub fn interval_score(interval: Interval, alpha: f64, y: f64) -> f64 {
    let Interval { lower, upper } = interval;
    debug_assert!(lower.is_finite() && upper.is_finite() && lower <= upper);
    debug_assert!(alpha > 0.0 && alpha < 1.0, "alpha in (0, 1), not {alpha}");
    debug_assert!(y.is_finite(), "the observation {y} must be finite");
    let penalty = 2.0 / alpha;
    let miss = if y < lower {
        lower - y
    } else if y > upper {
        y - upper
    } else {
        0.0
    };
    (upper - lower) + penalty * miss
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_interval_scores() {
        // measuring.md, "Scoring rules" (scoringrules interval_score).
        let interval = Interval {
            lower: 0.0,
            upper: 0.4,
        };
        assert!((interval_score(interval, 0.5, 1.0) - 2.8).abs() < 1e-12);
        assert!((interval_score(interval, 0.1, -0.2) - 4.4).abs() < 1e-12);
        assert_eq!(interval_score(interval, 0.1, 0.4), 0.4);
    }

    #[test]
    fn quantiles_are_type_7() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&x, 0.0), 1.0);
        assert_eq!(quantile_sorted(&x, 1.0), 10.0);
        assert_eq!(quantile_sorted(&x, 0.5), 3.0);
        // h = 4 * 0.9 = 3.6: 4 + 0.6 * 6.
        assert!((quantile_sorted(&x, 0.9) - 7.6).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn coverage_includes_the_bounds() {
        let runs = [0.0, 10.0, 20.0, 30.0, 40.0];
        let i = central_interval(&[40.0, 0.0, 30.0, 10.0, 20.0], 0.5);
        assert_eq!(
            i,
            Interval {
                lower: 10.0,
                upper: 30.0
            }
        );
        assert_eq!(i, central_interval_sorted(&runs, 0.5));
        assert!(i.contains(10.0) && i.contains(30.0) && i.contains(20.0));
        assert!(!i.contains(9.999) && !i.contains(30.001));
        assert!(central_interval(&[100.0; 4], 0.1).contains(100.0));
    }

    proptest! {
        /// Intervals are ordered, and nest: a smaller alpha gives a wider
        /// interval holding the narrower one.
        #[test]
        fn central_intervals_nest(
            mut x in prop::collection::vec(-100.0..100.0f64, 1..50),
            a in 0.01..0.99f64,
            b in 0.01..0.99f64,
        ) {
            x.sort_by(f64::total_cmp);
            let (wide, narrow) = (central_interval_sorted(&x, a.min(b)), central_interval_sorted(&x, a.max(b)));
            prop_assert!(narrow.lower <= narrow.upper);
            prop_assert!(wide.lower <= narrow.lower && narrow.upper <= wide.upper);
        }
    }
}
