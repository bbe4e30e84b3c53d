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
    // Long paths would push the figures past 80 columns: then the columns
    // are named v1, v2, ... and the paths listed above them.
    let short = s.axes.iter().map(|a| a.path.len() + 1).sum::<usize>() <= 27;
    let names: Vec<String> = s
        .axes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if short {
                a.path.clone()
            } else {
                format!("v{}", i + 1)
            }
        })
        .collect();
    if !short {
        for (name, a) in names.iter().zip(&s.axes) {
            let _ = writeln!(out, "{name}: {}", a.path);
        }
    }
    let _ = writeln!(out);
    let widths: Vec<usize> = names
        .iter()
        .zip(&s.axes)
        .map(|(n, a)| {
            let widest = a.values.iter().map(|v| v.to_string().len()).max();
            n.len().max(widest.unwrap_or(0)).max(4)
        })
        .collect();
    let mut header = String::from(" ");
    for (n, w) in names.iter().zip(&widths) {
        let _ = write!(header, " {n:>w$}");
    }
    let _ = writeln!(
        out,
        "{header}  {:>5} {:>5} {:>5} {:>5} {:>7} {:>7} {:>6} {:>3}",
        "mean", "p05", "p50", "p95", "P(part)", "P(estr)", "CVaR10", "#"
    );
    for c in &s.cells {
        let mut line = String::from(" ");
        for (v, w) in c.values.iter().zip(&widths) {
            let _ = write!(line, " {v:>w$}");
        }
        let f = c.scorecard.indices[0].horizon;
        let _ = writeln!(
            out,
            "{line}  {:>5.1} {:>5.1} {:>5.1} {:>5.1} {:>7.3} {:>7.3} {:>6.1} {:>3}",
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
