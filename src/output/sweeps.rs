//! `coopsim sweep` as a table, JSON and tidy CSV.

use super::scores::{COLUMNS, SCORE_LEGEND, rows};
use crate::analysis::sweep::Sweep;
use std::fmt::Write;

/// One row per cell: the swept values and the horizon composite scorecard.
pub fn table(s: &Sweep) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "sweep of {}: {} cells, {} runs each, seed {} (common random numbers); composite at {}",
        s.provenance.scenario.name,
        s.cells.len(),
        s.provenance.runs,
        s.provenance.seed,
        s.horizon
    );
    let _ = writeln!(out, "{SCORE_LEGEND}");
    let _ = writeln!(out);
    let mut header = String::from(" ");
    for a in &s.axes {
        let _ = write!(header, " {:>w$}", a.path, w = a.path.len().max(8));
    }
    let _ = writeln!(
        out,
        "{header}  {:>6} {:>6} {:>6} {:>6} {:>10} {:>11} {:>7} {:>4}",
        "mean", "p05", "p50", "p95", "P(partner)", "P(estrange)", "CVaR10", "rank"
    );
    for c in &s.cells {
        let mut line = String::from(" ");
        for (a, v) in s.axes.iter().zip(&c.values) {
            let _ = write!(line, " {:>w$}", v, w = a.path.len().max(8));
        }
        let f = c.scorecard.indices[0].horizon;
        let _ = writeln!(
            out,
            "{line}  {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>10.3} {:>11.3} {:>7.1} {:>4}",
            f.mean,
            f.p05,
            f.p50,
            f.p95,
            f.p_partnership,
            f.p_estrangement,
            f.cvar10,
            c.scorecard.rank
        );
    }
    out
}

/// Tidy CSV: a column per swept path, then one row per cell, index and
/// `when` (horizon, over_time).
pub fn csv(s: &Sweep) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = s
        .axes
        .iter()
        .map(|a| a.path.as_str())
        .chain(COLUMNS)
        .collect();
    let _ = w.write_record(&header);
    for c in &s.cells {
        let lead: Vec<String> = c.values.iter().map(|v| v.to_string()).collect();
        for row in rows(&c.scorecard, &lead) {
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

impl super::Render for Sweep {
    const FILES: (&'static str, Option<&'static str>) = ("sweep.json", Some("sweep.csv"));
    fn table(&self) -> String {
        table(self)
    }
    fn json(&self) -> String {
        super::json(self)
    }
    fn csv(&self) -> Option<String> {
        Some(csv(self))
    }
}
