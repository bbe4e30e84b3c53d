//! The aggregate's file form: [`AggregateData`], as written in part files,
//! its conversion to and from an [`Aggregate`], and the check that a
//! deserialised one is whole and consistent before it is merged.
//!
//! A part file may be damaged or tampered with, so nothing in it is trusted:
//! [`AggregateData::validate`] names the first field that breaks a rule, and
//! no later step (allocation, merging, the figures) can panic or run out of
//! memory on data it accepted.

use super::aggregate::{Aggregate, BINS, Layout, RANGE, SCALES, bin};
use super::moments::Moments;
use std::fmt;

/// An aggregate as data, for partial results that travel between machines.
///
/// Vectors are per cell `t * n_series + s` (series `s` at period `t`),
/// except `high` and `low`, which are per cell of the index series,
/// `t * n_index_series + s`. Sums are decimal strings (JSON numbers cannot
/// hold 128-bit integers exactly); minimum and maximum are absent for an
/// aggregate of no runs; histogram counts are `[bin, count, bin, count,
/// ...]` per cell, nonzero counts only, bins in increasing order.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregateData {
    /// What was recorded.
    pub layout: Layout,
    /// Runs recorded.
    pub runs: u64,
    /// Fine fixed-point sums of the values, for the mean.
    pub sum: Vec<String>,
    /// Coarse fixed-point sums of the values, for the spread.
    pub sum_coarse: Vec<String>,
    /// Sums of the squares of the coarse values.
    pub sum_sq_coarse: Vec<String>,
    /// The smallest value recorded.
    pub min: Vec<Option<f64>>,
    /// The largest value recorded.
    pub max: Vec<Option<f64>>,
    /// Runs at or above the layout's `high` threshold.
    pub high: Vec<u64>,
    /// Runs at or below the layout's `low` threshold.
    pub low: Vec<u64>,
    /// Nonzero histogram counts as `[bin, count, ...]`.
    pub hist: Vec<Vec<u64>>,
}

/// Where in an [`AggregateData`] a rule is broken: a field, and for the
/// per-cell fields the entry and the series and period it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field's name, as in the file (`layout.n_periods`, `hist`, ...).
    pub name: &'static str,
    /// The entry of a per-cell field.
    pub entry: Option<Entry>,
}

/// One entry of a per-cell field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The position in the field's list.
    pub index: usize,
    /// The series (0-based, index series first) the entry belongs to.
    pub series: usize,
    /// The period (0-based) the entry belongs to.
    pub period: usize,
}

impl fmt::Display for Field {
    /// `hist[7] (series 3, period 1)`, or the bare name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry {
            Some(e) => write!(
                f,
                "{}[{}] (series {}, period {})",
                self.name, e.index, e.series, e.period
            ),
            None => f.write_str(self.name),
        }
    }
}

/// The rule an [`AggregateData`] field breaks.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Problem {
    /// A layout field differs from the expected layout.
    #[error("is {found}, expected {expected}")]
    LayoutDiffers {
        /// The value in the data.
        found: String,
        /// The value expected.
        expected: String,
    },
    /// The layout describes more cells than can be counted.
    #[error("describes more cells than memory can hold")]
    TooManyCells,
    /// More runs than an aggregate can count.
    #[error("is {0}, more than the {MAX_RUNS} an aggregate can count")]
    TooManyRuns(u64),
    /// A list has the wrong number of entries for the layout.
    #[error("has {found} entries, expected {expected}")]
    Length {
        /// Entries in the data.
        found: usize,
        /// Entries the layout asks for.
        expected: usize,
    },
    /// A sum is not a decimal integer.
    #[error("{0:?} is not an integer")]
    NotAnInteger(String),
    /// A sum lies outside what `runs` values in range can add up to.
    #[error("{value} is outside 0..={bound}, what {runs} runs can add up to")]
    SumOutOfBounds {
        /// The sum.
        value: i128,
        /// The largest sum possible.
        bound: i128,
        /// Runs recorded.
        runs: u64,
    },
    /// The sums of values and of squares cannot come from real values
    /// (their spread would be negative, or beyond 128 bits).
    #[error("does not fit the sum and the run count (no set of values has these sums)")]
    ImpossibleSpread,
    /// A minimum or maximum is NaN or infinite.
    #[error("{0} is not a finite number")]
    NotFinite(f64),
    /// A minimum or maximum lies outside the series' range.
    #[error("{value} is outside the range 0..={range}")]
    OutsideRange {
        /// The value.
        value: f64,
        /// The top of the series' range.
        range: f64,
    },
    /// A minimum or maximum is absent although runs were recorded.
    #[error("is absent, but {0} runs were recorded")]
    Absent(u64),
    /// A minimum or maximum is present although no runs were recorded.
    #[error("is {0}, but no runs were recorded")]
    PresentWithoutRuns(f64),
    /// The minimum is above the maximum.
    #[error("{min} is above the maximum {max}")]
    MinAboveMax {
        /// The minimum.
        min: f64,
        /// The maximum.
        max: f64,
    },
    /// A count exceeds the runs recorded.
    #[error("counts {count} runs, but only {runs} were recorded")]
    CountAboveRuns {
        /// The count.
        count: u64,
        /// Runs recorded.
        runs: u64,
    },
    /// A histogram list does not come in `[bin, count]` pairs.
    #[error("has {0} numbers, not [bin, count] pairs")]
    OddLength(usize),
    /// A histogram names a bin beyond the last.
    #[error("names bin {bin}, but bins go from 0 to {}", BINS - 1)]
    BinBeyond {
        /// The bin named.
        bin: u64,
    },
    /// A histogram lists a bin more than once.
    #[error("lists bin {0} twice")]
    BinRepeated(u64),
    /// A histogram lists its bins out of order.
    #[error("lists bin {bin} after bin {after}; bins must be in increasing order")]
    BinsUnsorted {
        /// The bin out of order.
        bin: u64,
        /// The bin listed before it.
        after: u64,
    },
    /// A histogram lists a bin with a count of zero.
    #[error("lists bin {0} with a count of 0")]
    ZeroCount(u64),
    /// A histogram's counts do not add up to the runs recorded.
    #[error("counts {total} runs in all, but {runs} were recorded")]
    HistogramTotal {
        /// The sum of the counts.
        total: u128,
        /// Runs recorded.
        runs: u64,
    },
    /// A histogram has counts outside the bins of the minimum and maximum.
    #[error(
        "has counts from bin {first} to bin {last}, but the minimum and maximum lie in bins {min_bin} and {max_bin}"
    )]
    HistogramOutsideExtremes {
        /// The first bin with a count.
        first: u64,
        /// The last bin with a count.
        last: u64,
        /// The bin of the minimum.
        min_bin: usize,
        /// The bin of the maximum.
        max_bin: usize,
    },
}

/// A damaged [`AggregateData`]: the first field found to break a rule, and
/// the rule.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field} {problem}")]
pub struct DataError {
    /// Where the rule is broken.
    pub field: Field,
    /// What is wrong there.
    pub problem: Problem,
}

/// The most runs an aggregate holds: its histogram counts are 32-bit.
pub const MAX_RUNS: u64 = u32::MAX as u64;

/// An error at field `name`, outside the per-cell lists.
fn at(name: &'static str, problem: Problem) -> DataError {
    DataError {
        field: Field { name, entry: None },
        problem,
    }
}

impl Aggregate {
    /// The aggregate as data.
    pub(crate) fn to_data(&self) -> AggregateData {
        let cells = self.layout.n_cells();
        let strings =
            |part: fn(&Moments) -> i128| self.moments.iter().map(|m| part(m).to_string()).collect();
        let finite = |v: &[f64]| v.iter().map(|x| x.is_finite().then_some(*x)).collect();
        AggregateData {
            layout: self.layout,
            runs: self.runs,
            sum: strings(|m| m.sum),
            sum_coarse: strings(|m| m.sum_coarse),
            sum_sq_coarse: strings(|m| m.sum_sq_coarse),
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

    /// An aggregate from data, checked against its own layout with
    /// [`AggregateData::validate`].
    pub(crate) fn from_data(d: &AggregateData) -> Result<Aggregate, DataError> {
        let moments = d.checked(&d.layout)?;
        let mut agg = Aggregate::new(d.layout);
        agg.runs = d.runs;
        agg.moments = moments;
        agg.min = d.min.iter().map(|x| x.unwrap_or(f64::INFINITY)).collect();
        agg.max = d
            .max
            .iter()
            .map(|x| x.unwrap_or(f64::NEG_INFINITY))
            .collect();
        agg.high = d.high.clone();
        agg.low = d.low.clone();
        for (c, pairs) in d.hist.iter().enumerate() {
            for pair in pairs.chunks_exact(2) {
                // Checked: the bin is below BINS and the count fits 32 bits.
                agg.hist[c * BINS + pair[0] as usize] = pair[1] as u32;
            }
        }
        Ok(agg)
    }
}

impl AggregateData {
    /// Checks deserialised data against the `layout` it should have, before
    /// anything is built from it: the layout itself, the length of every
    /// list, every sum an integer that `runs` values in range can add up to,
    /// every minimum and maximum finite, in range, present exactly when
    /// there are runs and with `min <= max`, threshold counts no more than
    /// `runs`, and each histogram's bins in range, listed once each in
    /// increasing order with nonzero counts that add up to `runs`, between
    /// the bins of the cell's minimum and maximum.
    ///
    /// Returns the first field found to break a rule: the layout first, then
    /// the run count and the length of every list, then the contents field
    /// by field and cell by cell. Data that passes converts with
    /// `Aggregate::from_data` and gives finite figures; parts that passed
    /// merge without overflow while their runs add up to at most
    /// [`MAX_RUNS`].
    pub fn validate(&self, layout: &Layout) -> Result<(), DataError> {
        self.checked(layout).map(drop)
    }

    /// [`AggregateData::validate`], returning the parsed sums.
    fn checked(&self, expected: &Layout) -> Result<Vec<Moments>, DataError> {
        let l = &self.layout;
        let differs = |name, found: String, want: String| {
            if found == want {
                Ok(())
            } else {
                Err(at(
                    name,
                    Problem::LayoutDiffers {
                        found,
                        expected: want,
                    },
                ))
            }
        };
        differs(
            "layout.n_index_series",
            l.n_index_series.to_string(),
            expected.n_index_series.to_string(),
        )?;
        differs(
            "layout.n_driver_series",
            l.n_driver_series.to_string(),
            expected.n_driver_series.to_string(),
        )?;
        differs(
            "layout.n_periods",
            l.n_periods.to_string(),
            expected.n_periods.to_string(),
        )?;
        // Display gives the shortest text that reads back as the same
        // number, so equal texts are equal thresholds.
        for (name, found, want) in [
            ("layout.low", l.low, expected.low),
            ("layout.high", l.high, expected.high),
        ] {
            if !found.is_finite() {
                return Err(at(name, Problem::NotFinite(found)));
            }
            differs(name, found.to_string(), want.to_string())?;
        }
        let ns = l.n_index_series.checked_add(l.n_driver_series);
        let cells = ns.and_then(|ns| ns.checked_mul(l.n_periods));
        let Some(cells) = cells.filter(|c| c.checked_mul(BINS * 8).is_some()) else {
            return Err(at("layout", Problem::TooManyCells));
        };
        let runs = self.runs;
        if runs > MAX_RUNS {
            return Err(at("runs", Problem::TooManyRuns(runs)));
        }
        let ns = l.n_series();
        let index_cells = l.n_index_series * l.n_periods;
        let lengths = [
            ("sum", self.sum.len(), cells),
            ("sum_coarse", self.sum_coarse.len(), cells),
            ("sum_sq_coarse", self.sum_sq_coarse.len(), cells),
            ("min", self.min.len(), cells),
            ("max", self.max.len(), cells),
            ("high", self.high.len(), index_cells),
            ("low", self.low.len(), index_cells),
            ("hist", self.hist.len(), cells),
        ];
        for (name, found, expected) in lengths {
            if found != expected {
                return Err(at(name, Problem::Length { found, expected }));
            }
        }
        let entry = |name, index, per_period| Field {
            name,
            entry: Some(Entry {
                index,
                series: index % per_period,
                period: index / per_period,
            }),
        };
        let fail = |name, cell, problem| DataError {
            field: entry(name, cell, ns),
            problem,
        };
        let n = i128::from(runs);

        // The sums: integers, within what `runs` values in range can add up
        // to (which keeps every later product inside 128 bits), and with a
        // spread that is not negative.
        let parse = |name, cell, text: &String, bound: i128| {
            let value: i128 = text
                .parse()
                .map_err(|_| fail(name, cell, Problem::NotAnInteger(text.clone())))?;
            if (0..=bound).contains(&value) {
                Ok(value)
            } else {
                Err(fail(
                    name,
                    cell,
                    Problem::SumOutOfBounds { value, bound, runs },
                ))
            }
        };
        // The largest fixed-point value a run adds to each sum of a cell,
        // as the recording rounds it.
        let per_run = |cell: usize| {
            let kind = l.kind(cell % ns);
            let (range, scales) = (RANGE[kind], SCALES[kind]);
            let coarse = (range * scales.spread + 0.5) as i128;
            [(range * scales.mean + 0.5) as i128, coarse, coarse * coarse]
        };
        let sums = |f: usize, name, texts: &[String]| -> Result<Vec<i128>, DataError> {
            let bounds = (0..cells).map(|cell| n * per_run(cell)[f]);
            (texts.iter().zip(bounds).enumerate())
                .map(|(cell, (text, bound))| parse(name, cell, text, bound))
                .collect()
        };
        let sum = sums(0, "sum", &self.sum)?;
        let coarse = sums(1, "sum_coarse", &self.sum_coarse)?;
        let squares = sums(2, "sum_sq_coarse", &self.sum_sq_coarse)?;
        let mut moments = Vec::with_capacity(cells);
        for (cell, ((sum, sum_coarse), sum_sq_coarse)) in
            sum.into_iter().zip(coarse).zip(squares).enumerate()
        {
            let spread = n
                .checked_mul(sum_sq_coarse)
                .zip(sum_coarse.checked_mul(sum_coarse))
                .and_then(|(a, b)| a.checked_sub(b));
            if spread.is_none_or(|s| s < 0) {
                return Err(fail("sum_sq_coarse", cell, Problem::ImpossibleSpread));
            }
            moments.push(Moments {
                sum,
                sum_coarse,
                sum_sq_coarse,
            });
        }

        // Minimum and maximum: present exactly when there are runs, finite,
        // in range, in order.
        for (name, list) in [("min", &self.min), ("max", &self.max)] {
            for (cell, v) in list.iter().enumerate() {
                let range = RANGE[l.kind(cell % ns)];
                match (*v, runs) {
                    (None, 0) => {}
                    (None, _) => return Err(fail(name, cell, Problem::Absent(runs))),
                    (Some(v), 0) => return Err(fail(name, cell, Problem::PresentWithoutRuns(v))),
                    (Some(v), _) if !v.is_finite() => {
                        return Err(fail(name, cell, Problem::NotFinite(v)));
                    }
                    (Some(value), _) if !(0.0..=range).contains(&value) => {
                        return Err(fail(name, cell, Problem::OutsideRange { value, range }));
                    }
                    _ => {}
                }
            }
        }
        for (cell, (lo, hi)) in self.min.iter().zip(&self.max).enumerate() {
            match (*lo, *hi) {
                (Some(min), Some(max)) if min > max => {
                    return Err(fail("min", cell, Problem::MinAboveMax { min, max }));
                }
                _ => {}
            }
        }

        // Threshold counts.
        for (name, list) in [("high", &self.high), ("low", &self.low)] {
            for (i, &count) in list.iter().enumerate() {
                if count > runs {
                    return Err(DataError {
                        field: entry(name, i, l.n_index_series),
                        problem: Problem::CountAboveRuns { count, runs },
                    });
                }
            }
        }

        // Histograms.
        for (cell, pairs) in self.hist.iter().enumerate() {
            let fail = |problem| fail("hist", cell, problem);
            if pairs.len() % 2 != 0 {
                return Err(fail(Problem::OddLength(pairs.len())));
            }
            let mut total = 0u128;
            let mut previous: Option<u64> = None;
            for pair in pairs.chunks_exact(2) {
                let (b, count) = (pair[0], pair[1]);
                if b >= BINS as u64 {
                    return Err(fail(Problem::BinBeyond { bin: b }));
                }
                match previous {
                    Some(p) if p == b => return Err(fail(Problem::BinRepeated(b))),
                    Some(p) if p > b => {
                        return Err(fail(Problem::BinsUnsorted { bin: b, after: p }));
                    }
                    _ => {}
                }
                previous = Some(b);
                if count == 0 {
                    return Err(fail(Problem::ZeroCount(b)));
                }
                if count > runs {
                    return Err(fail(Problem::CountAboveRuns { count, runs }));
                }
                total += u128::from(count);
            }
            if total != u128::from(runs) {
                return Err(fail(Problem::HistogramTotal { total, runs }));
            }
            if let (Some(min), Some(max)) = (self.min[cell], self.max[cell]) {
                let kind = l.kind(cell % ns);
                let (min_bin, max_bin) = (bin(min, kind), bin(max, kind));
                let (first, last) = (pairs[0], pairs[pairs.len() - 2]);
                if first != min_bin as u64 || last != max_bin as u64 {
                    return Err(fail(Problem::HistogramOutsideExtremes {
                        first,
                        last,
                        min_bin,
                        max_bin,
                    }));
                }
            }
        }
        Ok(moments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            n_index_series: 1,
            n_driver_series: 1,
            n_periods: 2,
            low: 30.0,
            high: 60.0,
        }
    }

    /// Ten runs over two periods: cell 3 is the driver at period 1.
    fn good() -> AggregateData {
        let mut agg = Aggregate::new(layout());
        for i in 0..10 {
            let v = f64::from(i);
            agg.record(&[10.0 * v, v / 10.0, 100.0 - 5.0 * v, 0.05 * v]);
        }
        agg.to_data()
    }

    /// The error `validate` gives for `good()` after `damage`.
    fn damaged(damage: impl FnOnce(&mut AggregateData)) -> DataError {
        let mut d = good();
        damage(&mut d);
        let err = d
            .validate(&layout())
            .expect_err("damaged data must be refused");
        // By text, as a NaN is not equal to itself.
        let converted = Aggregate::from_data(&d).expect_err("refused as well");
        assert_eq!(format!("{converted:?}"), format!("{err:?}"));
        err
    }

    fn cell(name: &'static str, index: usize, series: usize, period: usize) -> Field {
        Field {
            name,
            entry: Some(Entry {
                index,
                series,
                period,
            }),
        }
    }

    #[test]
    fn whole_data_passes_and_converts_back_to_the_same_aggregate() {
        let d = good();
        assert_eq!(d.validate(&layout()), Ok(()));
        let agg = Aggregate::from_data(&d).expect("valid");
        assert_eq!(agg.to_data(), d);
        assert_eq!(agg.runs(), 10);
        let empty = Aggregate::new(layout()).to_data();
        assert_eq!(empty.validate(&layout()), Ok(()));
        assert_eq!(Aggregate::from_data(&empty), Ok(Aggregate::new(layout())));
    }

    #[test]
    fn a_bin_listed_twice_is_refused_and_named() {
        // Every run of cell 3 is in a bin of its own: the second names the first's.
        let err = damaged(|d| d.hist[3][2] = d.hist[3][0]);
        assert_eq!(err.field, cell("hist", 3, 1, 1));
        assert!(matches!(err.problem, Problem::BinRepeated(_)), "{err}");
        assert!(
            err.to_string()
                .starts_with("hist[3] (series 1, period 1) lists bin ")
        );
        assert!(err.to_string().ends_with(" twice"), "{err}");
    }

    #[test]
    fn bins_out_of_order_beyond_the_last_or_with_no_count_are_refused() {
        let err = damaged(|d| {
            let pairs = &mut d.hist[0];
            let (a, b) = pairs.split_at_mut(2);
            a.swap_with_slice(&mut b[..2]);
        });
        assert!(matches!(err.problem, Problem::BinsUnsorted { .. }), "{err}");
        let err = damaged(|d| d.hist[1].extend([BINS as u64, 1]));
        assert_eq!(err.problem, Problem::BinBeyond { bin: BINS as u64 });
        let err = damaged(|d| d.hist[0].extend([1999, 0]));
        assert_eq!(err.problem, Problem::ZeroCount(1999));
        let err = damaged(|d| d.hist[2].push(7));
        assert_eq!(err.problem, Problem::OddLength(21));
    }

    #[test]
    fn histogram_counts_must_add_up_to_the_runs_and_lie_between_the_extremes() {
        let err = damaged(|d| d.hist[0][1] += 1);
        assert_eq!(err.field, cell("hist", 0, 0, 0));
        assert_eq!(
            err.problem,
            Problem::HistogramTotal {
                total: 11,
                runs: 10
            }
        );
        let err = damaged(|d| d.hist[0][1] = 11);
        assert_eq!(
            err.problem,
            Problem::CountAboveRuns {
                count: 11,
                runs: 10
            }
        );
        // The minimum of cell 0 is 0, in bin 0: move that run to bin 1.
        let err = damaged(|d| d.hist[0][0] = 1);
        assert!(
            matches!(err.problem, Problem::HistogramOutsideExtremes { .. }),
            "{err}"
        );
    }

    #[test]
    fn a_minimum_above_the_maximum_is_refused() {
        let err = damaged(|d| d.min[1] = Some(0.95));
        assert_eq!(err.field, cell("min", 1, 1, 0));
        assert_eq!(
            err.problem,
            Problem::MinAboveMax {
                min: 0.95,
                max: 0.9
            }
        );
    }

    #[test]
    fn extremes_must_be_finite_in_range_and_present_exactly_with_runs() {
        let err = damaged(|d| d.max[2] = Some(f64::NAN));
        assert_eq!(err.field, cell("max", 2, 0, 1));
        assert!(
            matches!(err.problem, Problem::NotFinite(v) if v.is_nan()),
            "{err}"
        );
        let err = damaged(|d| d.min[0] = Some(f64::NEG_INFINITY));
        assert!(matches!(err.problem, Problem::NotFinite(_)), "{err}");
        let err = damaged(|d| d.max[3] = Some(1.5));
        assert_eq!(
            err.problem,
            Problem::OutsideRange {
                value: 1.5,
                range: 1.0
            }
        );
        let err = damaged(|d| d.min[0] = None);
        assert_eq!(err.problem, Problem::Absent(10));
        let mut empty = Aggregate::new(layout()).to_data();
        empty.max[0] = Some(5.0);
        let err = empty.validate(&layout()).unwrap_err();
        assert_eq!(err.problem, Problem::PresentWithoutRuns(5.0));
    }

    #[test]
    fn a_list_of_the_wrong_length_is_refused_before_anything_is_allocated() {
        let err = damaged(|d| {
            d.sum_coarse.pop();
        });
        assert_eq!(err.field.to_string(), "sum_coarse");
        assert_eq!(
            err.problem,
            Problem::Length {
                found: 3,
                expected: 4
            }
        );
        let err = damaged(|d| d.high.push(0));
        assert_eq!(
            err.problem,
            Problem::Length {
                found: 3,
                expected: 2
            }
        );
        // A tampered layout asking for 2 * 10^12 cells.
        let mut d = good();
        d.layout.n_periods = 1_000_000_000_000;
        let err = Aggregate::from_data(&d).unwrap_err();
        assert_eq!(err.field.to_string(), "sum");
        let err = d.validate(&d.layout.clone()).unwrap_err();
        assert!(
            matches!(err.problem, Problem::Length { found: 4, .. }),
            "{err}"
        );
        d.layout.n_periods = usize::MAX;
        let err = Aggregate::from_data(&d).unwrap_err();
        assert_eq!(
            (err.field.name, err.problem),
            ("layout", Problem::TooManyCells)
        );
    }

    #[test]
    fn a_layout_other_than_the_expected_one_names_the_first_field_that_differs() {
        let d = good();
        let other = Layout {
            n_periods: 3,
            ..layout()
        };
        let err = d.validate(&other).unwrap_err();
        assert_eq!(err.to_string(), "layout.n_periods is 2, expected 3");
        let other = Layout {
            high: 70.0,
            ..layout()
        };
        let err = d.validate(&other).unwrap_err();
        assert_eq!(err.to_string(), "layout.high is 60, expected 70");
    }

    #[test]
    fn counts_above_the_runs_are_refused() {
        let err = damaged(|d| d.low[1] = 11);
        assert_eq!(err.field, cell("low", 1, 0, 1));
        assert_eq!(
            err.problem,
            Problem::CountAboveRuns {
                count: 11,
                runs: 10
            }
        );
        let err = damaged(|d| d.runs = MAX_RUNS + 1);
        assert_eq!(err.problem, Problem::TooManyRuns(MAX_RUNS + 1));
    }

    #[test]
    fn sums_must_be_integers_that_real_values_can_add_up_to() {
        let err = damaged(|d| d.sum[1] = "12x".into());
        assert_eq!(err.field, cell("sum", 1, 1, 0));
        assert_eq!(err.problem, Problem::NotAnInteger("12x".into()));
        let err = damaged(|d| d.sum[0] = "-1".into());
        assert!(
            matches!(err.problem, Problem::SumOutOfBounds { value: -1, .. }),
            "{err}"
        );
        // Ten runs of at most 100 points: no more than 1000 · 2^56.
        let err = damaged(|d| d.sum[0] = ((1000i128 << 56) + 1).to_string());
        assert!(
            matches!(err.problem, Problem::SumOutOfBounds { .. }),
            "{err}"
        );
        let huge = "9".repeat(60);
        let err = damaged(|d| d.sum_sq_coarse[2] = huge.clone());
        assert_eq!(err.problem, Problem::NotAnInteger(huge.clone()));
        // Ten runs that all sum to the coarse total, yet with no spread in
        // their squares below what the sum forces.
        let err = damaged(|d| d.sum_sq_coarse[0] = "0".into());
        assert_eq!(err.field, cell("sum_sq_coarse", 0, 0, 0));
        assert_eq!(err.problem, Problem::ImpossibleSpread);
    }
}
