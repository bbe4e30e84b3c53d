//! The terminal table: each index at the start, the first period of each
//! year and the end, then the drivers. Human text, not a stable format.

use super::Export;
use crate::result::RunResult;
use std::io::{self, Write};

/// A plain-text summary for reading in a terminal.
pub struct TableExport;

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

/// Which indices the run table shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Shown {
    /// The composite, its verdict and a pointer to the rest: one screen.
    #[default]
    Composite,
    /// Every index and the drivers.
    All,
    /// One index, by name.
    Index(String),
}

/// Drivers side by side in the drivers table, to fit 80 columns.
const DRIVERS_PER_BLOCK: usize = 3;

/// The run table: the header, the verdict and the indices `shown` says.
pub fn run_table(r: &RunResult, shown: &Shown) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_run_table(r, shown, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The verdict on a run: where the median composite ends, and the chances
/// of partnership and estrangement there.
pub fn verdict(r: &RunResult) -> Option<String> {
    let (_, s) = r.indices.first()?;
    let last = r.periods.len() - 1;
    Some(super::verdict::run(
        s.p50[last],
        s.p_high[last],
        s.p_low[last],
        &r.periods[last],
        &r.thresholds,
    ))
}

/// At most this many periods in the one-screen table; a longer horizon
/// shows every second (third, ...) year.
const BRIEF_PERIODS: usize = 11;

fn write_run_table(r: &RunResult, shown: &Shown, out: &mut dyn Write) -> io::Result<()> {
    let (first, last) = (&r.periods[0], &r.periods[r.periods.len() - 1]);
    writeln!(
        out,
        "scenario {} on model {} (kernel {})",
        r.provenance.scenario.name, r.provenance.model.id, r.provenance.kernel
    )?;
    let p = &r.provenance;
    writeln!(out, "{} runs, seed {}, {first} to {last}", p.runs, p.seed)?;
    if let Some(v) = verdict(r) {
        writeln!(out, "{v}")?;
    }
    let mut periods = shown_periods(r);
    let names: Vec<&String> = match shown {
        Shown::All => r.indices.keys().collect(),
        Shown::Composite => {
            if periods.len() > BRIEF_PERIODS {
                let step = periods.len().div_ceil(BRIEF_PERIODS - 1);
                let end = periods[periods.len() - 1];
                periods = periods.iter().copied().step_by(step).collect();
                if periods.last() != Some(&end) {
                    periods.push(end);
                }
            }
            r.indices.keys().take(1).collect()
        }
        Shown::Index(name) => r.indices.keys().filter(|k| *k == name).collect(),
    };
    for name in names {
        let s = &r.indices[name.as_str()];
        writeln!(out)?;
        writeln!(out, "{name} index (0-100)")?;
        writeln!(
            out,
            "  {:<8} {:>7}  {:>15}  {:>7}  {:>7}",
            "period", "median", "p05 - p95", "P(high)", "P(low)"
        )?;
        for &t in &periods {
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
    writeln!(out)?;
    writeln!(
        out,
        "median, p05 - p95: the spread of possible futures (90% of runs lie between); more runs do \
         not narrow it. P(high), P(low): shares of runs at index >= {} and <= {}, each within \
         ±{:.3} (95% simulation error) at {} runs",
        r.thresholds.high,
        r.thresholds.low,
        share_error(p.runs),
        p.runs
    )?;
    if *shown == Shown::Composite {
        let others: Vec<&str> = r.indices.keys().skip(1).map(String::as_str).collect();
        writeln!(out, "more: --all, or --index {}", others.join("|"))?;
    }
    if *shown != Shown::All || r.drivers.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "drivers (0-1): median [p05 - p95], the spread of possible futures"
    )?;
    let drivers: Vec<(&String, &crate::result::DriverSeries)> = r.drivers.iter().collect();
    for (block, chunk) in drivers.chunks(DRIVERS_PER_BLOCK).enumerate() {
        if block > 0 {
            writeln!(out)?;
        }
        write!(out, "  {:<8}", "period")?;
        for (name, _) in chunk {
            write!(out, " {name:>18}")?;
        }
        writeln!(out)?;
        for &t in &periods {
            write!(out, "  {:<8}", r.periods[t])?;
            for (_, s) in chunk {
                let cell = format!("{:.2} [{:.2}-{:.2}]", s.p50[t], s.p05[t], s.p95[t]);
                write!(out, " {cell:>18}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

impl Export for TableExport {
    /// The whole table: every index and the drivers (`run --all`).
    fn export(&self, r: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        write_run_table(r, &Shown::All, out)
    }
}
