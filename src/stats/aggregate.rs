//! The aggregate: what it records of each run, how parts of it merge, and
//! the figures read from it.
//!
//! An [`Aggregate`] holds, per series and period, the fixed-point
//! [`Moments`], the minimum and maximum, threshold counts and a fixed-bin
//! histogram. Every part merges by addition (or min/max), which is
//! associative and commutative, so the result is the same bytes whatever the
//! thread count, batch order or shard split. Memory depends on the number of
//! series and periods, never on the run count.
//!
//! Quantiles come from the histogram: [`BINS`] bins over the series' range,
//! so an order statistic is known to half a bin (0.025 index points,
//! 0.00025 for drivers), then clamped to the observed minimum and maximum
//! (exact when every run agrees).

use super::Merge;
use super::moments::{DRIVER_SCALES, INDEX_SCALES, Moments, Scales};

/// Histogram bins per series and period.
pub const BINS: usize = 2000;

/// The probabilities of the reported quantiles.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// What the aggregate records: which series are indices (0..100, with
/// threshold counts) and which are drivers (0..1).
///
/// Cell `t * n_series + s` is series `s` at period `t`; index series come
/// first.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    /// Series of index values, in 0..100, with threshold counts.
    pub n_index_series: usize,
    /// Series of driver values, in 0..1, after the index series.
    pub n_driver_series: usize,
    /// Periods recorded per run.
    pub n_periods: usize,
    /// Threshold counts use `value >= high` and `value <= low`.
    pub low: f64,
    /// See `low`.
    pub high: f64,
}

impl Layout {
    /// Index and driver series together.
    pub fn n_series(&self) -> usize {
        self.n_index_series + self.n_driver_series
    }

    /// Series times periods.
    pub(super) fn n_cells(&self) -> usize {
        self.n_series() * self.n_periods
    }

    /// 0 for index series (range 100), 1 for driver series (range 1).
    pub(super) fn kind(&self, s: usize) -> usize {
        usize::from(s >= self.n_index_series)
    }
}

/// The range of values of each kind (indices, drivers).
pub(super) const RANGE: [f64; 2] = [100.0, 1.0];
/// The fixed-point scales of each kind.
pub(super) const SCALES: [Scales; 2] = [INDEX_SCALES, DRIVER_SCALES];
/// Histogram bins per unit of value of each kind: BINS / range.
const BIN_SCALE: [f64; 2] = [BINS as f64 / 100.0, BINS as f64];

/// The histogram bin of a value `v` in [0, range] of `kind`.
#[inline(always)]
pub(super) fn bin(v: f64, kind: usize) -> usize {
    ((v * BIN_SCALE[kind]) as usize).min(BINS - 1)
}

/// Mergeable statistics of a set of runs.
///
/// Histogram counts are kept in two parts: 16-bit counts that each run
/// increments, flushed into 32-bit totals before they can overflow. The
/// small counts halve the memory a run touches, which keeps the histograms
/// a run writes to in the processor's cache; a bin's count is the sum of
/// both.
#[derive(Clone, Debug)]
pub struct Aggregate {
    pub(super) layout: Layout,
    pub(super) runs: u64,
    /// Per cell `t * n_series + s`.
    pub(super) moments: Vec<Moments>,
    pub(super) min: Vec<f64>,
    pub(super) max: Vec<f64>,
    /// Per cell of the index series only: `t * n_index_series + s`.
    pub(super) high: Vec<u64>,
    pub(super) low: Vec<u64>,
    /// `BINS` counts per cell: totals, and counts since the last flush.
    pub(super) hist: Vec<u32>,
    staged: Vec<u16>,
    staged_runs: u32,
}

/// The most runs the 16-bit staged counts take between flushes.
const STAGED_RUNS: usize = u16::MAX as usize;

/// The figures reported for one series at one period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellSummary {
    /// Mean over the runs.
    pub mean: f64,
    /// Sample standard deviation (divisor runs - 1); 0 for one run.
    pub sd: f64,
    /// At the probabilities in [`QUANTILES`].
    pub quantiles: [f64; 7],
    /// Share of runs at or above `high`; `None` for drivers.
    pub p_high: Option<f64>,
    /// Share of runs at or below `low`; `None` for drivers.
    pub p_low: Option<f64>,
}

impl Aggregate {
    /// An empty aggregate.
    pub fn new(layout: Layout) -> Aggregate {
        let cells = layout.n_cells();
        let index_cells = layout.n_index_series * layout.n_periods;
        Aggregate {
            layout,
            runs: 0,
            moments: vec![Moments::default(); cells],
            min: vec![f64::INFINITY; cells],
            max: vec![f64::NEG_INFINITY; cells],
            high: vec![0; index_cells],
            low: vec![0; index_cells],
            hist: vec![0; cells * BINS],
            staged: vec![0; cells * BINS],
            staged_runs: 0,
        }
    }

    /// What this aggregate records.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Runs recorded so far.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Records one run: `values[t * n_series + s]`.
    ///
    /// The same statistics as a batch of one (see
    /// `record_batch`).
    ///
    /// # Panics
    /// If `values` is too short for the layout.
    pub fn record(&mut self, values: &[f64]) {
        debug_assert_eq!(values.len(), self.layout.n_cells());
        self.record_cells(1, |cell| std::iter::once(values[cell]));
    }

    /// Records `n` runs at once: run `r`'s value of series `s` at period
    /// `t` is `values[(t * n_series + s) * stride + r]`, so that each cell's
    /// values lie side by side (the layout the kernel's lanes write).
    ///
    /// The same statistics as `n` calls of [`Aggregate::record`], gathered
    /// cell by cell: a cell's histogram is touched `n` times in a row rather
    /// than once per run, which keeps it in the processor's cache.
    ///
    /// # Panics
    /// If `n > stride` or `values` is too short for the layout.
    pub(crate) fn record_batch(&mut self, values: &[f64], stride: usize, n: usize) {
        let cells = self.layout.n_cells();
        assert!(n <= stride && values.len() >= (cells.max(1) - 1) * stride + n);
        // Each bin's staged count must stay below 2^16: record a larger
        // batch in pieces.
        if n >= STAGED_RUNS {
            let mut first = 0;
            while first < n {
                let piece = (n - first).min(STAGED_RUNS - 1);
                self.record_batch(&values[first..], stride, piece);
                first += piece;
            }
            return;
        }
        self.record_cells(n, |cell| {
            values[cell * stride..cell * stride + n].iter().copied()
        });
    }

    /// Records `n < 2^16` runs, whose values of cell `c` are `values(c)`:
    /// the one implementation of [`Aggregate::record`] and
    /// `record_batch`. Index values are clamped to 0..100 and
    /// driver values to 0..1.
    #[inline(always)]
    fn record_cells<I: Iterator<Item = f64>>(&mut self, n: usize, values: impl Fn(usize) -> I) {
        if n + self.staged_runs as usize >= STAGED_RUNS {
            self.flush();
        }
        let l = self.layout;
        let (ns, ni) = (l.n_series(), l.n_index_series);
        for t in 0..l.n_periods {
            for s in 0..ni {
                let cell = t * ns + s;
                let (high, low) = self.record_cell::<true>(cell, 0, values(cell));
                let i = t * ni + s;
                self.high[i] += high;
                self.low[i] += low;
            }
            for s in ni..ns {
                let cell = t * ns + s;
                self.record_cell::<false>(cell, 1, values(cell));
            }
        }
        self.runs += n as u64;
        self.staged_runs += n as u32;
    }

    /// Records the values `row` of `cell`, of `kind`; returns how many are
    /// at or above the high threshold and at or below the low one (counted
    /// only when `THRESHOLDS`, for index series).
    ///
    /// Sums and extremes are kept in locals over the row and written once,
    /// so the loop touches memory only for the histogram.
    #[inline(always)]
    fn record_cell<const THRESHOLDS: bool>(
        &mut self,
        cell: usize,
        kind: usize,
        row: impl Iterator<Item = f64>,
    ) -> (u64, u64) {
        let (range, scales, l) = (RANGE[kind], SCALES[kind], self.layout);
        let mut moments = Moments::default();
        let (mut lo, mut hi) = (self.min[cell], self.max[cell]);
        let (mut high, mut low) = (0u64, 0u64);
        let hist = &mut self.staged[cell * BINS..(cell + 1) * BINS];
        for v in row {
            let v = v.clamp(0.0, range);
            moments.add_non_negative(v, scales);
            lo = lo.min(v);
            hi = hi.max(v);
            hist[bin(v, kind)] += 1;
            if THRESHOLDS {
                high += u64::from(v >= l.high);
                low += u64::from(v <= l.low);
            }
        }
        self.moments[cell] += moments;
        self.min[cell] = lo;
        self.max[cell] = hi;
        (high, low)
    }

    /// Moves the 16-bit counts into the totals.
    fn flush(&mut self) {
        for (total, staged) in self.hist.iter_mut().zip(&mut self.staged) {
            *total += u32::from(*staged);
            *staged = 0;
        }
        self.staged_runs = 0;
    }

    /// The counts of `cell`'s bins.
    pub(super) fn counts(&self, cell: usize) -> impl Iterator<Item = u64> + '_ {
        let range = cell * BINS..(cell + 1) * BINS;
        self.hist[range.clone()]
            .iter()
            .zip(&self.staged[range])
            .map(|(t, s)| u64::from(*t) + u64::from(*s))
    }

    /// The figures of series `s` at period `t`.
    pub fn summary(&self, s: usize, t: usize) -> CellSummary {
        let l = &self.layout;
        let cell = t * l.n_series() + s;
        let kind = l.kind(s);
        let scales = SCALES[kind];
        let quantiles = self.quantiles(cell, RANGE[kind]);
        let share = |count: u64| count as f64 / self.runs.max(1) as f64;
        let (p_high, p_low) = if s < l.n_index_series {
            let i = t * l.n_index_series + s;
            (Some(share(self.high[i])), Some(share(self.low[i])))
        } else {
            (None, None)
        };
        CellSummary {
            mean: self.moments[cell].mean(self.runs, scales),
            sd: self.moments[cell].sd(self.runs, scales),
            quantiles,
            p_high,
            p_low,
        }
    }

    /// The mean of the lowest `share` of runs of series `s` at period `t`
    /// (the conditional value at risk; `share = 0.1` is CVaR10): the
    /// `ceil(share * runs)` lowest runs, each taken at the middle of its
    /// histogram bin clamped to the observed range, so within half a bin of
    /// the exact figure. NaN for an aggregate of no runs.
    pub(crate) fn lower_tail_mean(&self, s: usize, t: usize, share: f64) -> f64 {
        let l = &self.layout;
        let cell = t * l.n_series() + s;
        let range = RANGE[l.kind(s)];
        let (lo, hi) = (self.min[cell], self.max[cell]);
        let wanted = ((share * self.runs as f64).ceil() as u64).clamp(1, self.runs.max(1));
        if self.runs == 0 {
            return f64::NAN;
        }
        let (mut taken, mut sum) = (0u64, 0.0);
        for (b, c) in self.counts(cell).enumerate() {
            let take = c.min(wanted - taken);
            let middle = ((2 * b + 1) as f64 * range / (2 * BINS) as f64).clamp(lo, hi);
            sum += take as f64 * middle;
            taken += take;
            if taken == wanted {
                break;
            }
        }
        sum / wanted as f64
    }

    /// Type-7 sample quantiles, with each order statistic taken at the middle
    /// of its bin and clamped to the observed range.
    fn quantiles(&self, cell: usize, range: f64) -> [f64; 7] {
        let n = self.runs;
        let (lo, hi) = (self.min[cell], self.max[cell]);
        if n == 0 {
            return [f64::NAN; 7];
        }
        // The middle of bin b, (2b + 1) * range / (2 BINS), with one rounding.
        let middle = |b: usize| (2 * b + 1) as f64 * range / (2 * BINS) as f64;
        histogram_quantiles(|| self.counts(cell), n, (lo, hi), middle)
    }
}

/// Adds another aggregate of the same layout.
///
/// # Panics
/// If the layouts differ: merging unrelated results is a programming error.
impl Merge for Aggregate {
    fn merge(&mut self, other: &Aggregate) {
        assert_eq!(
            self.layout, other.layout,
            "merging aggregates of different layouts"
        );
        self.runs += other.runs;
        add(&mut self.moments, &other.moments);
        add(&mut self.high, &other.high);
        add(&mut self.low, &other.low);
        self.flush();
        add(&mut self.hist, &other.hist);
        for (total, staged) in self.hist.iter_mut().zip(&other.staged) {
            *total += u32::from(*staged);
        }
        for (a, b) in self.min.iter_mut().zip(&other.min) {
            *a = a.min(*b);
        }
        for (a, b) in self.max.iter_mut().zip(&other.max) {
            *a = a.max(*b);
        }
    }
}

/// Equal when every statistic is equal, however the counts are split
/// between totals and staged counts.
impl PartialEq for Aggregate {
    fn eq(&self, other: &Aggregate) -> bool {
        let cells = self.layout.n_cells();
        self.layout == other.layout
            && self.runs == other.runs
            && self.moments == other.moments
            && self.min == other.min
            && self.max == other.max
            && self.high == other.high
            && self.low == other.low
            && (0..cells).all(|c| self.counts(c).eq(other.counts(c)))
    }
}

/// Type-7 sample quantiles (at [`QUANTILES`]) of `n` values counted in
/// bins: `counts()` walks the bins in order, `middle(b)` is bin `b`'s
/// representative value, and each order statistic is clamped to the
/// observed range `(lo, hi)`. Index aggregates and paired differences read
/// their quantiles this one way.
pub(crate) fn histogram_quantiles<I: Iterator<Item = u64>>(
    counts: impl Fn() -> I,
    n: u64,
    (lo, hi): (f64, f64),
    middle: impl Fn(usize) -> f64,
) -> [f64; 7] {
    // Order statistic k (0-based): walk the cumulative counts.
    let order_stat = |k: u64| -> f64 {
        let mut seen = 0u64;
        for (b, c) in counts().enumerate() {
            seen += c;
            if seen > k {
                return middle(b).clamp(lo, hi);
            }
        }
        hi
    };
    QUANTILES.map(|p| {
        let h = (n - 1) as f64 * p;
        let k = h.floor() as u64;
        let frac = h - k as f64;
        let below = order_stat(k);
        if frac == 0.0 || k + 1 >= n {
            below
        } else {
            below + frac * (order_stat(k + 1) - below)
        }
    })
}

fn add<T: Copy + std::ops::AddAssign>(a: &mut [T], b: &[T]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += *y;
    }
}

/// The exact type-7 sample quantile of `values` (sorted in place), for tests
/// and for checking the histogram's accuracy.
pub fn exact_quantile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let h = (values.len() - 1) as f64 * p;
    let k = h.floor() as usize;
    let frac = h - k as f64;
    if k + 1 >= values.len() {
        values[k]
    } else {
        values[k] + frac * (values[k + 1] - values[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(periods: usize) -> Layout {
        Layout {
            n_index_series: 1,
            n_driver_series: 1,
            n_periods: periods,
            low: 30.0,
            high: 60.0,
        }
    }

    #[test]
    fn mean_sd_and_threshold_shares_match_hand_values() {
        let mut agg = Aggregate::new(layout(1));
        for (index, driver) in [(20.0, 0.1), (30.0, 0.2), (60.0, 0.3), (90.0, 0.4)] {
            agg.record(&[index, driver]);
        }
        let s = agg.summary(0, 0);
        assert!((s.mean - 50.0).abs() < 1e-6);
        // sample sd of 20, 30, 60, 90: sqrt(((30^2 + 20^2 + 10^2 + 40^2)) / 3)
        assert!((s.sd - (3000.0f64 / 3.0).sqrt()).abs() < 1e-6);
        assert_eq!((s.p_high, s.p_low), (Some(0.5), Some(0.5)));
        let d = agg.summary(1, 0);
        assert!((d.mean - 0.25).abs() < 1e-9);
        assert_eq!(d.p_high, None);
    }

    #[test]
    fn identical_runs_give_exact_quantiles_and_zero_sd() {
        let mut agg = Aggregate::new(layout(1));
        for _ in 0..5 {
            agg.record(&[42.123456, 0.777]);
        }
        let s = agg.summary(0, 0);
        assert_eq!(s.quantiles, [42.123456; 7]);
        assert_eq!(s.mean, 42.123456);
        assert_eq!(s.sd, 0.0);
        assert_eq!(agg.summary(1, 0).mean, 0.777);
        assert_eq!(agg.summary(1, 0).quantiles, [0.777; 7]);
    }

    #[test]
    fn a_single_run_has_zero_sd() {
        let mut agg = Aggregate::new(layout(1));
        agg.record(&[10.0, 0.5]);
        assert_eq!(agg.summary(0, 0).sd, 0.0);
    }

    #[test]
    fn values_outside_the_range_are_clamped() {
        let mut agg = Aggregate::new(layout(1));
        agg.record(&[-5.0, 1.5]);
        agg.record(&[120.0, -0.5]);
        assert_eq!((agg.min[0], agg.max[0]), (0.0, 100.0));
        assert_eq!((agg.min[1], agg.max[1]), (0.0, 1.0));
        assert_eq!(agg.summary(0, 0).mean, 50.0);
        assert_eq!(agg.summary(1, 0).mean, 0.5);
    }

    #[test]
    fn merging_in_any_order_gives_identical_aggregates() {
        let values: Vec<[f64; 2]> = (0..100)
            .map(|i| [(i * 37 % 100) as f64 + 0.3, (i % 7) as f64 / 7.0])
            .collect();
        let mut whole = Aggregate::new(layout(1));
        values.iter().for_each(|v| whole.record(v));
        let mut parts = [
            Aggregate::new(layout(1)),
            Aggregate::new(layout(1)),
            Aggregate::new(layout(1)),
        ];
        for (i, v) in values.iter().enumerate() {
            parts[i % 3].record(v);
        }
        let mut merged = parts[2].clone();
        merged.merge(&parts[0]);
        merged.merge(&parts[1]);
        assert_eq!(merged, whole);
    }

    #[test]
    fn recording_a_batch_equals_recording_its_runs_one_by_one() {
        let l = layout(3);
        let runs: Vec<[f64; 6]> = (0..70_000)
            .map(|i| {
                let a = (i * 37 % 1000) as f64 / 10.0;
                [a, 0.5, 100.0 - a, 0.25, 30.0, (i % 9) as f64 / 8.0]
            })
            .collect();
        let mut one = Aggregate::new(l);
        runs.iter().for_each(|r| one.record(r));
        let mut batched = Aggregate::new(l);
        let stride = 64;
        for chunk in runs.chunks(stride) {
            // Each cell's values side by side, a row of `stride` runs.
            let mut rows = vec![f64::NAN; 6 * stride];
            for (r, run) in chunk.iter().enumerate() {
                for (cell, v) in run.iter().enumerate() {
                    rows[cell * stride + r] = *v;
                }
            }
            batched.record_batch(&rows, stride, chunk.len());
        }
        assert_eq!(one, batched);
    }

    #[test]
    fn a_batch_of_more_runs_than_a_staged_count_holds_is_counted_whole() {
        // Every run in one bin: 70,000 does not fit the 16-bit staged count.
        let l = Layout {
            n_driver_series: 0,
            ..layout(2)
        };
        let n = 70_000;
        let mut values = vec![25.0; n];
        values.extend(vec![75.0; n]);
        let mut agg = Aggregate::new(l);
        agg.record_batch(&values, n, n);
        assert_eq!(agg.runs(), n as u64);
        assert_eq!(agg.counts(0).max(), Some(n as u64));
        assert_eq!(agg.counts(1).max(), Some(n as u64));
        assert_eq!(agg.summary(0, 1).quantiles, [75.0; 7]);
        assert_eq!(agg.summary(0, 1).p_high, Some(1.0));
    }

    #[test]
    fn the_lower_tail_mean_is_within_half_a_bin_of_exact() {
        let mut agg = Aggregate::new(layout(1));
        let mut values: Vec<f64> = (0..1000)
            .map(|i| 100.0 * ((i as f64 * 0.618_034) % 1.0))
            .collect();
        values.iter().for_each(|&v| agg.record(&[v, v / 100.0]));
        values.sort_by(f64::total_cmp);
        let exact = values[..100].iter().sum::<f64>() / 100.0;
        assert!((agg.lower_tail_mean(0, 0, 0.1) - exact).abs() <= 0.025);
        let mut same = Aggregate::new(layout(1));
        for _ in 0..7 {
            same.record(&[42.5, 0.5]);
        }
        assert_eq!(same.lower_tail_mean(0, 0, 0.1), 42.5, "one run of seven");
    }

    #[test]
    fn histogram_quantiles_are_within_half_a_bin_of_exact() {
        let mut agg = Aggregate::new(layout(1));
        let mut values: Vec<f64> = (0..1001)
            .map(|i| 100.0 * ((i as f64 * 0.618_034) % 1.0))
            .collect();
        values.iter().for_each(|&v| agg.record(&[v, v / 100.0]));
        let s = agg.summary(0, 0);
        for (p, got) in QUANTILES.iter().zip(s.quantiles) {
            let exact = exact_quantile(&mut values, *p);
            assert!(
                (got - exact).abs() <= 0.025 + 1e-9,
                "p{p}: {got} vs {exact}"
            );
        }
    }
}
