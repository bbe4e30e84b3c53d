//! The terminal table: each index at the start, the first period of each
//! year and the end, then the drivers. Human text, not a stable format.

use super::Export;
use crate::result::RunResult;
use std::io::{self, Write};

/// A plain-text summary for reading in a terminal.
pub struct TableExport;

/// What the run table's interval is, printed above it.
pub(crate) const SPREAD_LEGEND: &str = "\
median and p05 - p95: the spread of possible futures under the model (90% of runs lie
  between p05 and p95); it does not shrink with more runs";

/// The largest half-width of the 95% normal interval of a share estimated
/// from `runs` runs, `1.96 · sqrt(p (1 - p) / runs)` at p = 1/2: the
/// simulation error of a chance such as P(high).
pub(crate) fn share_error(runs: u64) -> f64 {
    0.98 / (runs.max(1) as f64).sqrt()
}

/// The periods shown: the start, the first period of each later year, the end.
pub(crate) fn shown_periods(result: &RunResult) -> Vec<usize> {
    shown_indices(&result.periods)
}

/// Positions of the periods shown in tables: the start, the first period of
/// each later year, the end.
pub(crate) fn shown_indices(periods: &[String]) -> Vec<usize> {
    let last = periods.len() - 1;
    let year = |t: usize| periods[t].get(..4).unwrap_or_default().to_owned();
    let mut shown: Vec<usize> = (0..=last)
        .filter(|&t| t == 0 || year(t) != year(t - 1))
        .collect();
    if shown.last() != Some(&last) {
        shown.push(last);
    }
    shown
}

impl Export for TableExport {
    fn export(&self, r: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let (first, last) = (&r.periods[0], &r.periods[r.periods.len() - 1]);
        writeln!(
            out,
            "scenario {} on model {} (kernel {})",
            r.provenance.scenario.name, r.provenance.model.id, r.provenance.kernel
        )?;
        let p = &r.provenance;
        writeln!(out, "{} runs, seed {}, {first} to {last}", p.runs, p.seed)?;
        writeln!(out, "{SPREAD_LEGEND}")?;
        writeln!(
            out,
            "P(high): share of runs with index >= {}; P(low): share with index <= {}; as chances\n  \
             across futures, their simulation error is within ±{:.3} (95%) at {} runs",
            r.thresholds.high,
            r.thresholds.low,
            share_error(p.runs),
            p.runs
        )?;
        let shown = shown_periods(r);
        for (name, s) in &r.indices {
            writeln!(out)?;
            writeln!(out, "{name} index (0-100)")?;
            writeln!(
                out,
                "  {:<8} {:>7}  {:>15}  {:>7}  {:>7}",
                "period", "median", "p05 - p95", "P(high)", "P(low)"
            )?;
            for &t in &shown {
                writeln!(
                    out,
                    "  {:<8} {:>7.1}  {:>15}  {:>7.3}  {:>7.3}",
                    r.periods[t],
                    s.p50[t],
                    format!("{:.1} - {:.1}", s.p05[t], s.p95[t]),
                    s.p_high[t],
                    s.p_low[t]
                )?;
            }
        }
        if r.drivers.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(
            out,
            "drivers (0-1): median [p05 - p95], the spread of possible futures"
        )?;
        write!(out, "  {:<8}", "period")?;
        for name in r.drivers.keys() {
            write!(out, " {name:>18}")?;
        }
        writeln!(out)?;
        for &t in &shown {
            write!(out, "  {:<8}", r.periods[t])?;
            for s in r.drivers.values() {
                let cell = format!("{:.2} [{:.2}-{:.2}]", s.p50[t], s.p05[t], s.p95[t]);
                write!(out, " {cell:>18}")?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}
