//! Streaming, exactly mergeable aggregates of many runs.
//!
//! An [`Aggregate`] holds, per series and period, integer sums of the values
//! and their squares in fixed point, the minimum and maximum, threshold
//! counts and a fixed-bin histogram. Every part merges by addition (or
//! min/max), which is associative and commutative, so the result is the same
//! bytes whatever the thread count, batch order or shard split. Memory
//! depends on the number of series and periods, never on the run count.
//!
//! Quantiles come from the histogram: 2000 bins over the series' range, so
//! an order statistic is known to half a bin (0.025 index points, 0.00025
//! for drivers), then clamped to the observed minimum and maximum (exact when
//! every run agrees). Means come from sums at 2^-56 index points (2^-62 for
//! drivers), finer than the values themselves, so identical runs give their
//! value back exactly; standard deviations from sums at 2^-23 (2^-29), which
//! keeps `n * sum(q^2)` inside 128 bits for up to 2^30 runs.

pub mod paired;

pub use paired::{Differences, PairedSummary};

/// Accumulators that merge exactly: merging in any order gives the same
/// value, so results do not depend on how runs were split among threads or
/// machines.
pub trait Merge {
    /// Adds what `other` has accumulated.
    fn merge(&mut self, other: &Self);
}

/// Histogram bins per series and period.
pub const BINS: usize = 2000;

/// Fixed-point scales for the mean sums (indices, drivers): values times 2^56 or 2^62.
const MEAN_SCALE: [f64; 2] = [(1u64 << 56) as f64, (1u64 << 62) as f64];
/// Histogram bins per unit of value (indices, drivers): BINS / range.
const BIN_SCALE: [f64; 2] = [BINS as f64 / 100.0, BINS as f64];
/// Fixed-point scales for the variance sums: values times 2^23 or 2^29.
const SPREAD_SCALE: [f64; 2] = [(1u64 << 23) as f64, (1u64 << 29) as f64];

/// The probabilities of the reported quantiles.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// What the aggregate records: which series are indices (0..100, with
/// threshold counts) and which are drivers (0..1).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    pub n_index_series: usize,
    pub n_driver_series: usize,
    pub n_periods: usize,
    /// Threshold counts use `value >= high` and `value <= low`.
    pub low: f64,
    pub high: f64,
}

impl Layout {
    pub fn n_series(&self) -> usize {
        self.n_index_series + self.n_driver_series
    }

    fn n_cells(&self) -> usize {
        self.n_series() * self.n_periods
    }

    /// 0 for index series (range 100), 1 for driver series (range 1).
    fn kind(&self, s: usize) -> usize {
        usize::from(s >= self.n_index_series)
    }

    /// The range of series `s`: 100 for indices, 1 for drivers.
    fn range(&self, s: usize) -> f64 {
        [100.0, 1.0][self.kind(s)]
    }
}

/// Mergeable statistics of a set of runs.
///
/// Histogram counts are kept in two parts: 16-bit counts that each run
/// increments, flushed into 32-bit totals every 65,535 runs. The small
/// counts halve the memory a run touches, which keeps the histograms a run
/// writes to in the processor's cache; a bin's count is the sum of both.
#[derive(Clone, Debug)]
pub struct Aggregate {
    layout: Layout,
    runs: u64,
    /// Per cell `t * n_series + s`: fixed-point sums for the mean, and for the spread.
    sum: Vec<i128>,
    sum_coarse: Vec<i128>,
    sum_sq_coarse: Vec<i128>,
    min: Vec<f64>,
    max: Vec<f64>,
    /// Per cell of the index series only: `t * n_index_series + s`.
    high: Vec<u64>,
    low: Vec<u64>,
    /// `BINS` counts per cell: totals, and counts since the last flush.
    hist: Vec<u32>,
    staged: Vec<u16>,
    staged_runs: u32,
}

/// The figures reported for one series at one period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellSummary {
    pub mean: f64,
    pub sd: f64,
    /// At the probabilities in [`QUANTILES`].
    pub quantiles: [f64; 7],
    /// Share of runs at or above `high`, at or below `low`; `None` for drivers.
    pub p_high: Option<f64>,
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
            sum: vec![0; cells],
            sum_coarse: vec![0; cells],
            sum_sq_coarse: vec![0; cells],
            min: vec![f64::INFINITY; cells],
            max: vec![f64::NEG_INFINITY; cells],
            high: vec![0; index_cells],
            low: vec![0; index_cells],
            hist: vec![0; cells * BINS],
            staged: vec![0; cells * BINS],
            staged_runs: 0,
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Runs recorded so far.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Records one run: `values[t * n_series + s]`.
    pub fn record(&mut self, values: &[f64]) {
        let l = self.layout;
        let (ns, ni) = (l.n_series(), l.n_index_series);
        debug_assert_eq!(values.len(), l.n_cells());
        for (t, row) in values.chunks_exact(ns).enumerate() {
            let first = t * ns;
            for (s, &v) in row[..ni].iter().enumerate() {
                let v = v.clamp(0.0, 100.0);
                self.add(first + s, v, 0);
                let i = t * ni + s;
                self.high[i] += u64::from(v >= l.high);
                self.low[i] += u64::from(v <= l.low);
            }
            for (s, &v) in row[ni..].iter().enumerate() {
                self.add(first + ni + s, v.clamp(0.0, 1.0), 1);
            }
        }
        self.runs += 1;
        self.staged_runs += 1;
        if self.staged_runs == u32::from(u16::MAX) {
            self.flush();
        }
    }

    /// Records `n` runs at once: run `r`'s value of series `s` at period
    /// `t` is `values[(t * n_series + s) * stride + r]`, so that each cell's
    /// values lie side by side (the layout the kernel's lanes write).
    ///
    /// The same statistics as `n` calls of [`Aggregate::record`], gathered
    /// cell by cell: a cell's histogram is touched `n` times in a row rather
    /// than once per run, which keeps it in the processor's cache.
    pub fn record_batch(&mut self, values: &[f64], stride: usize, n: usize) {
        let l = self.layout;
        let (ns, ni) = (l.n_series(), l.n_index_series);
        assert!(n <= stride && values.len() >= (l.n_cells() - 1) * stride + n);
        if n as u64 + u64::from(self.staged_runs) >= u64::from(u16::MAX) {
            self.flush();
        }
        for t in 0..l.n_periods {
            for s in 0..ns {
                let cell = t * ns + s;
                let kind = usize::from(s >= ni);
                let (range, scale, fine_scale, coarse_scale) = (
                    [100.0, 1.0][kind],
                    BIN_SCALE[kind],
                    MEAN_SCALE[kind],
                    SPREAD_SCALE[kind],
                );
                let (mut fine, mut coarse, mut square) = (0i128, 0i128, 0i128);
                let (mut lo, mut hi) = (self.min[cell], self.max[cell]);
                let (mut high, mut low) = (0u64, 0u64);
                let hist = &mut self.staged[cell * BINS..(cell + 1) * BINS];
                for &v in &values[cell * stride..cell * stride + n] {
                    let v = v.clamp(0.0, range);
                    let f = (v * fine_scale + 0.5) as i64;
                    let c = (v * coarse_scale + 0.5) as i64;
                    fine += i128::from(f);
                    coarse += i128::from(c);
                    square += i128::from(c * c);
                    lo = lo.min(v);
                    hi = hi.max(v);
                    hist[((v * scale) as usize).min(BINS - 1)] += 1;
                    high += u64::from(v >= l.high);
                    low += u64::from(v <= l.low);
                }
                self.sum[cell] += fine;
                self.sum_coarse[cell] += coarse;
                self.sum_sq_coarse[cell] += square;
                self.min[cell] = lo;
                self.max[cell] = hi;
                if kind == 0 {
                    let i = t * ni + s;
                    self.high[i] += high;
                    self.low[i] += low;
                }
            }
        }
        self.runs += n as u64;
        self.staged_runs += n as u32;
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
    fn counts(&self, cell: usize) -> impl Iterator<Item = u64> + '_ {
        let range = cell * BINS..(cell + 1) * BINS;
        self.hist[range.clone()]
            .iter()
            .zip(&self.staged[range])
            .map(|(t, s)| u64::from(*t) + u64::from(*s))
    }

    /// Adds a value `v` in [0, range] of `kind` to `cell`.
    ///
    /// `v` is never negative, so adding 0.5 and truncating rounds to the
    /// nearest integer; both fixed-point values fit an `i64` (at most
    /// 100 · 2^56 and 100 · 2^23), so no 128-bit conversion is needed.
    #[inline(always)]
    fn add(&mut self, cell: usize, v: f64, kind: usize) {
        let fine = (v * MEAN_SCALE[kind] + 0.5) as i64;
        let coarse = (v * SPREAD_SCALE[kind] + 0.5) as i64;
        self.sum[cell] += i128::from(fine);
        self.sum_coarse[cell] += i128::from(coarse);
        self.sum_sq_coarse[cell] += i128::from(coarse * coarse);
        self.min[cell] = self.min[cell].min(v);
        self.max[cell] = self.max[cell].max(v);
        let bin = ((v * BIN_SCALE[kind]) as usize).min(BINS - 1);
        self.staged[cell * BINS + bin] += 1;
    }

    /// The figures of series `s` at period `t`.
    pub fn summary(&self, s: usize, t: usize) -> CellSummary {
        let l = &self.layout;
        let cell = t * l.n_series() + s;
        let n = self.runs.max(1) as i128;
        let kind = l.kind(s);
        let range = l.range(s);
        // Integer division first, so identical runs give their value exactly.
        let (whole, rest) = (self.sum[cell] / n, self.sum[cell] % n);
        let mean = (whole as f64 + rest as f64 / n as f64) / MEAN_SCALE[kind];
        // n * sum(q^2) - sum(q)^2 is exact in integers and never negative.
        let sd = if self.runs > 1 {
            let (sum, sum_sq) = (self.sum_coarse[cell], self.sum_sq_coarse[cell]);
            let spread = (n * sum_sq - sum * sum) as f64;
            (spread / (n as f64 * (n - 1) as f64)).sqrt() / SPREAD_SCALE[kind]
        } else {
            0.0
        };
        let quantiles = self.quantiles(cell, range);
        let share = |count: u64| count as f64 / self.runs.max(1) as f64;
        let (p_high, p_low) = if s < l.n_index_series {
            let i = t * l.n_index_series + s;
            (Some(share(self.high[i])), Some(share(self.low[i])))
        } else {
            (None, None)
        };
        CellSummary {
            mean,
            sd,
            quantiles,
            p_high,
            p_low,
        }
    }

    /// The mean of the lowest `share` of runs of series `s` at period `t`
    /// (the conditional value at risk; `share = 0.1` is CVaR10): the
    /// `ceil(share * runs)` lowest runs, each taken at the middle of its
    /// histogram bin clamped to the observed range, so within half a bin of
    /// the exact figure.
    pub fn lower_tail_mean(&self, s: usize, t: usize, share: f64) -> f64 {
        let l = &self.layout;
        let cell = t * l.n_series() + s;
        let range = l.range(s);
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
        // Order statistic k (0-based): walk the cumulative counts.
        let order_stat = |k: u64| -> f64 {
            let mut seen = 0u64;
            for (b, c) in self.counts(cell).enumerate() {
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
        add(&mut self.sum, &other.sum);
        add(&mut self.sum_coarse, &other.sum_coarse);
        add(&mut self.sum_sq_coarse, &other.sum_sq_coarse);
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

/// An aggregate as data, for partial results that travel between machines.
///
/// Sums are decimal strings (JSON numbers cannot hold 128-bit integers
/// exactly); minimum and maximum are absent for an aggregate of no runs;
/// histogram counts are `[bin, count, bin, count, ...]` per cell, nonzero
/// bins only.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregateData {
    pub layout: Layout,
    pub runs: u64,
    pub sum: Vec<String>,
    pub sum_coarse: Vec<String>,
    pub sum_sq_coarse: Vec<String>,
    pub min: Vec<Option<f64>>,
    pub max: Vec<Option<f64>>,
    pub high: Vec<u64>,
    pub low: Vec<u64>,
    pub hist: Vec<Vec<u64>>,
}

impl Aggregate {
    /// The aggregate as data.
    pub fn to_data(&self) -> AggregateData {
        let cells = self.layout.n_cells();
        let strings = |v: &[i128]| v.iter().map(|x| x.to_string()).collect();
        let finite = |v: &[f64]| v.iter().map(|x| x.is_finite().then_some(*x)).collect();
        AggregateData {
            layout: self.layout,
            runs: self.runs,
            sum: strings(&self.sum),
            sum_coarse: strings(&self.sum_coarse),
            sum_sq_coarse: strings(&self.sum_sq_coarse),
            min: finite(&self.min),
            max: finite(&self.max),
            high: self.high.clone(),
            low: self.low.clone(),
            hist: (0..cells)
                .map(|c| {
                    self.counts(c)
                        .enumerate()
                        .filter(|(_, n)| *n > 0)
                        .flat_map(|(b, n)| [b as u64, n])
                        .collect()
                })
                .collect(),
        }
    }

    /// An aggregate from data, checked for consistency.
    pub fn from_data(d: &AggregateData) -> Result<Aggregate, String> {
        let l = d.layout;
        let cells = l.n_cells();
        let index_cells = l.n_index_series * l.n_periods;
        let lengths = [
            (d.sum.len(), cells, "sum"),
            (d.sum_coarse.len(), cells, "sum_coarse"),
            (d.sum_sq_coarse.len(), cells, "sum_sq_coarse"),
            (d.min.len(), cells, "min"),
            (d.max.len(), cells, "max"),
            (d.hist.len(), cells, "hist"),
            (d.high.len(), index_cells, "high"),
            (d.low.len(), index_cells, "low"),
        ];
        for (got, want, what) in lengths {
            if got != want {
                return Err(format!("{what} has {got} entries, expected {want}"));
            }
        }
        let ints = |v: &[String], what: &str| -> Result<Vec<i128>, String> {
            v.iter()
                .map(|x| {
                    x.parse()
                        .map_err(|_| format!("{what}: {x:?} is not an integer"))
                })
                .collect()
        };
        let mut agg = Aggregate::new(l);
        agg.runs = d.runs;
        agg.sum = ints(&d.sum, "sum")?;
        agg.sum_coarse = ints(&d.sum_coarse, "sum_coarse")?;
        agg.sum_sq_coarse = ints(&d.sum_sq_coarse, "sum_sq_coarse")?;
        agg.min = d.min.iter().map(|x| x.unwrap_or(f64::INFINITY)).collect();
        agg.max = d
            .max
            .iter()
            .map(|x| x.unwrap_or(f64::NEG_INFINITY))
            .collect();
        agg.high = d.high.clone();
        agg.low = d.low.clone();
        for (c, pairs) in d.hist.iter().enumerate() {
            if pairs.len() % 2 != 0 {
                return Err(format!("hist of cell {c} has an odd number of entries"));
            }
            let mut total = 0u64;
            for pair in pairs.chunks_exact(2) {
                let (b, n) = (pair[0] as usize, pair[1]);
                if b >= BINS {
                    return Err(format!("hist of cell {c} names bin {b}, beyond {BINS}"));
                }
                agg.hist[c * BINS + b] = u32::try_from(n).map_err(|_| "count too large")?;
                total += n;
            }
            if total != d.runs {
                return Err(format!(
                    "hist of cell {c} counts {total} runs, not {}",
                    d.runs
                ));
            }
        }
        Ok(agg)
    }
}

/// Equal when every statistic is equal, however the counts are split
/// between totals and staged counts.
impl PartialEq for Aggregate {
    fn eq(&self, other: &Aggregate) -> bool {
        let cells = self.layout.n_cells();
        self.layout == other.layout
            && self.runs == other.runs
            && self.sum == other.sum
            && self.sum_coarse == other.sum_coarse
            && self.sum_sq_coarse == other.sum_sq_coarse
            && self.min == other.min
            && self.max == other.max
            && self.high == other.high
            && self.low == other.low
            && (0..cells).all(|c| self.counts(c).eq(other.counts(c)))
    }
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
