//! Paired differences between two sets of runs that share their random
//! numbers: run i of one against run i of the other.
//!
//! Per series and period, [`Differences`] keeps the fixed-point
//! [`Moments`] of the difference, at the scales of index values, and the
//! count of runs in which the second value exceeds the first. Like
//! [`Aggregate`](super::Aggregate) it merges by integer addition, so it is
//! identical for any split of runs.

use super::Merge;
use super::moments::{INDEX_SCALES, Moments};

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
}

/// The paired figures of one series at one period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairedSummary {
    /// Pairs of runs recorded.
    pub runs: u64,
    /// Mean of `other - base`.
    pub mean: f64,
    /// Sample standard deviation of `other - base` (n - 1); 0 for one run.
    pub sd: f64,
    /// Share of runs with `other > base`.
    pub p_greater: f64,
}

impl PairedSummary {
    /// The standard error of the mean difference.
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
        }
    }

    /// Records one pair of runs: `base[t * base_stride + s]` and
    /// `other[t * other_stride + s]` are the values of series `s < n_series`
    /// at period `t`. The strides let callers pass whole run outputs, whose
    /// first `n_series` values of each period are compared.
    pub fn record(&mut self, base: &[f64], base_stride: usize, other: &[f64], other_stride: usize) {
        for t in 0..self.n_periods {
            for s in 0..self.n_series {
                let (a, b) = (base[t * base_stride + s], other[t * other_stride + s]);
                let cell = t * self.n_series + s;
                self.moments[cell].add_signed(b - a, INDEX_SCALES);
                self.greater[cell] += u64::from(b > a);
            }
        }
        self.runs += 1;
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
            p_greater: self.greater[cell] as f64 / self.runs.max(1) as f64,
        }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
