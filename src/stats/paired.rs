//! Paired differences between two sets of runs that share their random
//! numbers: run i of one against run i of the other.
//!
//! Per series and period, [`Differences`] keeps the fixed-point
//! [`Moments`] of the difference, at the scales of index values, the count
//! of runs in which the second value exceeds the first, the smallest and
//! largest difference, and a histogram of the differences from which their
//! quantiles are read. Like [`Aggregate`](super::Aggregate) it merges by
//! integer addition (and min/max), so it is identical for any split of runs.
//!
//! Two kinds of figure come out. The mean difference, with its standard
//! error, is an estimate whose error shrinks as runs are added; the
//! standard deviation, the quantiles and the share of runs with
//! `other > base` describe how the difference varies from one simulated
//! future to another, and do not shrink with runs.
//!
//! # The histogram of differences
//!
//! A difference may be anywhere in [-100, 100] but is often a few tenths of
//! a point, so fixed-width bins would be too coarse for small differences
//! or too many for large ones. The bins are instead cut on the bits of the
//! value's magnitude: its binary exponent (from 2^-14 to 2^6) and the top
//! six bits of its mantissa, so every bin is 1/64 of its octave
//! wide. Magnitudes below 2^-14 share one bin around 0; negative values
//! mirror positive ones, so bin order is value order. A quantile taken at
//! the middle of its bin, clamped to the observed range, is within 1/128 of
//! its magnitude, or within 2^-14 (0.00006 points) near 0, of the exact
//! sample quantile. Binning reads bits, with no rounding, so it is the same
//! on every machine.

use super::Merge;
use super::aggregate::histogram_quantiles;
use super::moments::{INDEX_SCALES, Moments};

/// Bits of the mantissa that cut an octave into bins.
const SUB_BITS: u32 = 6;
/// Bins per octave of magnitude.
const SUB: usize = 1 << SUB_BITS;
/// The smallest and largest binary exponent of a magnitude with bins of its
/// own: magnitudes below `2^MIN_EXP` fall in the bin around 0, and every
/// difference of indices (at most 100) is below `2^(MAX_EXP + 1)`.
const MIN_EXP: i32 = -14;
const MAX_EXP: i32 = 6;
/// Bins on each side of 0.
const SIDE: usize = (MAX_EXP - MIN_EXP + 1) as usize * SUB;
/// The bin around 0, holding magnitudes below `2^MIN_EXP`.
const ZERO: usize = SIDE;
/// Histogram bins per series and period: each side and the bin around 0.
pub(crate) const DIFF_BINS: usize = 2 * SIDE + 1;

/// The bin of magnitude `a >= 0` on its side of 0, or `None` below
/// `2^MIN_EXP`.
fn magnitude_bin(a: f64) -> Option<usize> {
    let bits = a.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1023;
    if exp < MIN_EXP {
        return None;
    }
    let exp = exp.min(MAX_EXP);
    let sub = ((bits >> (52 - SUB_BITS)) & (SUB as u64 - 1)) as usize;
    Some((exp - MIN_EXP) as usize * SUB + sub)
}

/// The histogram bin of a difference `d` in [-100, 100].
pub(crate) fn diff_bin(d: f64) -> usize {
    match magnitude_bin(d.abs()) {
        None => ZERO,
        Some(m) if d > 0.0 => ZERO + 1 + m,
        Some(m) => ZERO - 1 - m,
    }
}

/// The middle of bin `b`: exact in binary, 0 for the bin around 0.
pub(crate) fn diff_bin_middle(b: usize) -> f64 {
    let magnitude = |m: usize| {
        let exp = (m / SUB) as i32 + MIN_EXP;
        let sub = (m % SUB) as f64;
        2f64.powi(exp) * (1.0 + (sub + 0.5) / SUB as f64)
    };
    match b.cmp(&ZERO) {
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => magnitude(b - ZERO - 1),
        std::cmp::Ordering::Less => -magnitude(ZERO - 1 - b),
    }
}

/// Streaming statistics of paired differences `other - base`.
#[derive(Clone, Debug, PartialEq)]
pub struct Differences {
    n_series: usize,
    n_periods: usize,
    runs: u64,
    /// Per cell `t * n_series + s`.
    moments: Vec<Moments>,
    /// Runs with `other > base`.
    greater: Vec<u64>,
    /// Smallest and largest difference.
    min: Vec<f64>,
    max: Vec<f64>,
    /// `DIFF_BINS` counts per cell.
    hist: Vec<u32>,
}

/// The paired figures of one series at one period.
///
/// `mean` is an estimate, and `standard_error` its simulation error; `sd`,
/// `quantiles` and `p_greater` describe the spread of the difference across
/// the simulated futures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairedSummary {
    /// Pairs of runs recorded.
    pub runs: u64,
    /// Mean of `other - base`.
    pub mean: f64,
    /// Sample standard deviation of `other - base` (n - 1); 0 for one run.
    pub sd: f64,
    /// Type-7 sample quantiles of `other - base` at the probabilities in
    /// [`QUANTILES`](super::aggregate::QUANTILES), from the histogram (see the module's documentation);
    /// NaN when no run is recorded.
    pub quantiles: [f64; 7],
    /// Share of runs with `other > base`.
    pub p_greater: f64,
}

impl PairedSummary {
    /// The standard error of the mean difference: the simulation error of
    /// `mean`, which shrinks as the square root of the runs.
    pub(crate) fn standard_error(&self) -> f64 {
        self.sd / (self.runs.max(1) as f64).sqrt()
    }
}

impl Differences {
    /// Empty statistics for `n_series` series over `n_periods` periods.
    pub fn new(n_series: usize, n_periods: usize) -> Differences {
        let cells = n_series * n_periods;
        Differences {
            n_series,
            n_periods,
            runs: 0,
            moments: vec![Moments::default(); cells],
            greater: vec![0; cells],
            min: vec![f64::INFINITY; cells],
            max: vec![f64::NEG_INFINITY; cells],
            hist: vec![0; cells * DIFF_BINS],
        }
    }

    /// Records one pair of runs: `base[t * base_stride + s]` and
    /// `other[t * other_stride + s]` are the values of series `s < n_series`
    /// at period `t`. The strides let callers pass whole run outputs, whose
    /// first `n_series` values of each period are compared.
    ///
    /// The same statistics as a batch of one (see `record_batch`).
    pub fn record(&mut self, base: &[f64], base_stride: usize, other: &[f64], other_stride: usize) {
        self.record_batch(base, base_stride, other, other_stride, 1, 1);
    }

    /// Records `n` pairs of runs at once, laid out cell by cell: run `r`'s
    /// value of series `s` at period `t` is `base[(t * base_series + s) *
    /// stride + r]` in the base and `other[(t * other_series + s) * stride +
    /// r]` in the other, where `base_series` and `other_series` are the
    /// series per period of each output (of which the first `n_series` are
    /// compared).
    ///
    /// The same statistics as `n` calls of [`Differences::record`]: the
    /// sums are integers and the extremes and counts do not depend on
    /// order. Gathering cell by cell touches a cell's histogram `n` times
    /// in a row, which keeps it in the processor's cache.
    ///
    /// The mean and spread use the difference as it is; its smallest and
    /// largest value and its histogram use it clamped to [-100, 100], the
    /// range of differences of index values.
    pub(crate) fn record_batch(
        &mut self,
        base: &[f64],
        base_series: usize,
        other: &[f64],
        other_series: usize,
        stride: usize,
        n: usize,
    ) {
        assert!(n <= stride, "a batch of {n} runs in rows of {stride}");
        for t in 0..self.n_periods {
            for s in 0..self.n_series {
                let a = &base[(t * base_series + s) * stride..][..n];
                let b = &other[(t * other_series + s) * stride..][..n];
                let cell = t * self.n_series + s;
                let mut moments = Moments::default();
                let (mut lo, mut hi) = (self.min[cell], self.max[cell]);
                let mut greater = 0;
                let hist = &mut self.hist[cell * DIFF_BINS..(cell + 1) * DIFF_BINS];
                for (&a, &b) in a.iter().zip(b) {
                    let d = b - a;
                    moments.add_signed(d, INDEX_SCALES);
                    greater += u64::from(b > a);
                    let d = d.clamp(-100.0, 100.0);
                    lo = lo.min(d);
                    hi = hi.max(d);
                    hist[diff_bin(d)] += 1;
                }
                self.moments[cell] += moments;
                self.greater[cell] += greater;
                self.min[cell] = lo;
                self.max[cell] = hi;
            }
        }
        self.runs += n as u64;
    }

    /// Pairs recorded so far.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// The figures of series `s` at period `t`.
    pub fn summary(&self, s: usize, t: usize) -> PairedSummary {
        let cell = t * self.n_series + s;
        let m = &self.moments[cell];
        PairedSummary {
            runs: self.runs,
            mean: m.mean(self.runs, INDEX_SCALES),
            sd: m.sd(self.runs, INDEX_SCALES),
            quantiles: self.quantiles(cell),
            p_greater: self.greater[cell] as f64 / self.runs.max(1) as f64,
        }
    }

    /// Type-7 sample quantiles of `cell`, each order statistic taken at the
    /// middle of its bin and clamped to the observed range, as the
    /// aggregate reads index quantiles.
    fn quantiles(&self, cell: usize) -> [f64; 7] {
        let n = self.runs;
        if n == 0 {
            return [f64::NAN; 7];
        }
        let counts = &self.hist[cell * DIFF_BINS..(cell + 1) * DIFF_BINS];
        histogram_quantiles(
            || counts.iter().map(|&c| u64::from(c)),
            n,
            (self.min[cell], self.max[cell]),
            diff_bin_middle,
        )
    }
}

impl Merge for Differences {
    fn merge(&mut self, other: &Differences) {
        assert_eq!(
            (self.n_series, self.n_periods),
            (other.n_series, other.n_periods),
            "merging differences of different shapes"
        );
        self.runs += other.runs;
        for (a, b) in self.moments.iter_mut().zip(&other.moments) {
            *a += *b;
        }
        for (a, b) in self.greater.iter_mut().zip(&other.greater) {
            *a += b;
        }
        for (a, b) in self.min.iter_mut().zip(&other.min) {
            *a = a.min(*b);
        }
        for (a, b) in self.max.iter_mut().zip(&other.max) {
            *a = a.max(*b);
        }
        for (a, b) in self.hist.iter_mut().zip(&other.hist) {
            *a += b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::aggregate::QUANTILES;

    #[test]
    fn paired_figures_match_hand_values() {
        let mut d = Differences::new(1, 1);
        for (a, b) in [(10.0, 12.0), (20.0, 19.0), (30.0, 34.0), (40.0, 40.0)] {
            d.record(&[a], 1, &[b], 1);
        }
        let s = d.summary(0, 0);
        // differences 2, -1, 4, 0: mean 1.25, sample variance 14.75 / 3
        assert!((s.mean - 1.25).abs() < 1e-12);
        assert!((s.sd - (14.75f64 / 3.0).sqrt()).abs() < 1e-6);
        assert_eq!(s.p_greater, 0.5, "2 of 4 runs strictly greater");
        // Sorted -1, 0, 2, 4; type 7: p05 at 0.15 of the way from -1 to 0,
        // p50 halfway from 0 to 2. The extremes are exact (clamped to the
        // observed range), 2 is read at its bin's middle, within 2/128.
        assert_eq!(s.quantiles[0], -0.85);
        assert!((s.quantiles[3] - 1.0).abs() <= 1.0 / 128.0);
        // p95 lies 0.85 of the way from 2 to 4: exactly 3.7, but for 2's bin.
        assert!((s.quantiles[6] - 3.7).abs() <= 0.15 * 2.0 / 128.0);
    }

    #[test]
    fn merging_splits_gives_the_whole() {
        let pairs: Vec<(f64, f64)> = (0..50)
            .map(|i| (i as f64 * 1.7 % 100.0, (i * 31 % 100) as f64 + 0.25))
            .collect();
        let mut whole = Differences::new(1, 1);
        let mut parts = [Differences::new(1, 1), Differences::new(1, 1)];
        for (i, (a, b)) in pairs.iter().enumerate() {
            whole.record(&[*a], 1, &[*b], 1);
            parts[i % 2].record(&[*a], 1, &[*b], 1);
        }
        let [mut first, second] = parts;
        first.merge(&second);
        assert_eq!(first, whole);
        assert_eq!(first.summary(0, 0), whole.summary(0, 0));
    }

    #[test]
    fn recording_a_batch_equals_recording_its_runs_one_by_one() {
        // Two series compared; the base has three per period, the other two.
        let (periods, n) = (3, 70);
        let run = |i: usize| -> (Vec<f64>, Vec<f64>) {
            let x = (i * 37 % 101) as f64 / 3.0;
            let base = (0..periods * 3).map(|c| x + c as f64).collect();
            let other = (0..periods * 2)
                .map(|c| 100.0 - x - c as f64 / 7.0)
                .collect();
            (base, other)
        };
        let mut one = Differences::new(2, periods);
        for i in 0..n {
            let (b, o) = run(i);
            one.record(&b, 3, &o, 2);
        }
        let mut batched = Differences::new(2, periods);
        let stride = 16;
        for first in (0..n).step_by(stride) {
            let len = stride.min(n - first);
            let (mut b, mut o) = (
                vec![f64::NAN; periods * 3 * stride],
                vec![f64::NAN; periods * 2 * stride],
            );
            for r in 0..len {
                let (rb, ro) = run(first + r);
                rb.iter()
                    .enumerate()
                    .for_each(|(c, v)| b[c * stride + r] = *v);
                ro.iter()
                    .enumerate()
                    .for_each(|(c, v)| o[c * stride + r] = *v);
            }
            batched.record_batch(&b, 3, &o, 2, stride, len);
        }
        assert_eq!(batched, one);
    }

    /// Half the width of the bin holding `v`: 1/128 of its magnitude, or
    /// 2^-14 around 0.
    fn half_bin(v: f64) -> f64 {
        (v.abs() / 128.0).max(2f64.powi(MIN_EXP))
    }

    #[test]
    fn bins_follow_the_order_of_values_and_each_middle_is_within_half_a_bin() {
        let mut values: Vec<f64> = (-20_000..=20_000)
            .map(|i| {
                let x = i as f64 / 20_000.0;
                // Dense near 0 and reaching ±100.
                100.0 * x * x * x.signum() * x.abs()
            })
            .chain([0.0, -0.0, 1e-9, -1e-9, 2f64.powi(MIN_EXP), 100.0, -100.0])
            .collect();
        values.sort_by(f64::total_cmp);
        let mut last = 0;
        for &v in &values {
            let b = diff_bin(v);
            assert!(b < DIFF_BINS, "{v} in bin {b}");
            assert!(b >= last, "bins out of order at {v}");
            last = b;
            let m = diff_bin_middle(b);
            assert!(
                (m - v).abs() <= half_bin(v),
                "{v} is {} from its bin's middle {m}",
                (m - v).abs()
            );
        }
        for b in 1..DIFF_BINS {
            assert!(diff_bin_middle(b - 1) < diff_bin_middle(b), "middle {b}");
            assert_eq!(diff_bin(diff_bin_middle(b)), b, "middle {b} in its bin");
        }
        assert_eq!(diff_bin(0.0), ZERO);
        assert_eq!(diff_bin_middle(ZERO), 0.0);
        // ±100 lie inside the top octave, [64, 128), mirrored about 0.
        assert_eq!(diff_bin(-100.0), DIFF_BINS - 1 - diff_bin(100.0));
        assert!(diff_bin(100.0) < DIFF_BINS - 1);
    }

    #[test]
    fn quantiles_are_within_half_a_bin_of_the_exact_sample_quantiles() {
        use super::super::aggregate::exact_quantile;
        for (n, shift, scale) in [(1000, -2.5, 0.4), (997, 0.05, 0.02), (50, 0.0, 30.0)] {
            let mut d = Differences::new(1, 1);
            let mut diffs: Vec<f64> = (0..n)
                .map(|i| {
                    // A spread skewed to one side, from a fixed sequence.
                    let u = (i as f64 * 0.618_034) % 1.0;
                    shift + scale * (u * u * 3.0 - 1.0)
                })
                .collect();
            for &x in &diffs {
                d.record(&[50.0], 1, &[50.0 + x], 1);
            }
            let s = d.summary(0, 0);
            // Recorded differences are (50 + x) - 50, not x itself.
            diffs.iter_mut().for_each(|x| *x = (50.0 + *x) - 50.0);
            for (p, got) in QUANTILES.iter().zip(s.quantiles) {
                let exact = exact_quantile(&mut diffs, *p);
                let k = ((n - 1) as f64 * p).floor() as usize;
                let near = half_bin(diffs[k]).max(half_bin(diffs[(k + 1).min(n - 1)]));
                assert!(
                    (got - exact).abs() <= near,
                    "n {n}, p{p}: {got} against exact {exact}"
                );
            }
        }
    }

    #[test]
    fn identical_differences_give_their_value_back_as_every_quantile() {
        for v in [0.0, -2.4375, 0.3, 1e-7] {
            let mut d = Differences::new(1, 1);
            for _ in 0..9 {
                d.record(&[40.0], 1, &[40.0 + v], 1);
            }
            let s = d.summary(0, 0);
            assert_eq!(s.quantiles, [(40.0 + v) - 40.0; 7], "differences of {v}");
            assert_eq!(s.sd, 0.0);
        }
        assert!(Differences::new(1, 1).summary(0, 0).quantiles[3].is_nan());
    }

    #[test]
    fn each_series_and_period_has_its_own_quantiles() {
        let mut d = Differences::new(2, 2);
        for i in 0..10 {
            let x = i as f64;
            // Period 0: the series differ by +x and -x; period 1: by 2x and 0.
            let other = [10.0 + x, 20.0 - x, 30.0 + 2.0 * x, 40.0];
            d.record(&[10.0, 20.0, 30.0, 40.0], 2, &other, 2);
        }
        let (up, down) = (d.summary(0, 0).quantiles, d.summary(1, 0).quantiles);
        assert!(
            (up[3] - 4.5).abs() <= half_bin(5.0),
            "median of 0..9: {}",
            up[3]
        );
        for i in 0..7 {
            assert!((down[i] + up[6 - i]).abs() < 1e-12, "mirrored quantile {i}");
        }
        let doubled = d.summary(0, 1).quantiles;
        assert!((doubled[6] - 17.1).abs() <= half_bin(18.0), "p95 of 0..18");
        assert_eq!(d.summary(1, 1).quantiles, [0.0; 7]);
    }
}
