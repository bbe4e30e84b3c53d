//! `coopsim compare` as a table, JSON and tidy CSV.

use super::table::shown_indices;
use crate::analysis::compare::Comparison;
use std::fmt::Write;

/// Per compared scenario: every index at the horizon, then the composite
/// over time.
pub fn table(c: &Comparison) -> String {
    let mut s = String::new();
    let last = c.periods.len() - 1;
    let _ = writeln!(
        s,
        "{} runs, seed {}; run i of each scenario against run i of {} (common random numbers)",
        c.provenance.runs, c.provenance.seed, c.provenance.scenario.name
    );
    let _ = writeln!(
        s,
        "mean diff: mean of the paired differences, with its 95% confidence interval;\n\
         P(>): share of runs in which the scenario's index exceeds the base's"
    );
    let base = &c.results[0];
    for (name, cmp) in &c.compared {
        let _ = writeln!(
            s,
            "\n{name} against {} at {}",
            c.provenance.scenario.name, c.periods[last]
        );
        let _ = writeln!(
            s,
            "  {:<14} {:>9} {:>9} {:>11}  {:>28}  {:>6}",
            "index", "base p50", "p50", "median diff", "mean diff [95% CI]", "P(>)"
        );
        let other = c
            .results
            .iter()
            .find(|r| r.provenance.scenario.name == *name)
            .unwrap_or(base);
        for (index, p) in &cmp.indices {
            let _ = writeln!(
                s,
                "  {:<14} {:>9.1} {:>9.1} {:>+11.2}  {:>28}  {:>6.3}",
                index,
                base.indices[index].p50[last],
                other.indices[index].p50[last],
                p.median_diff[last],
                interval(p.mean_diff[last], p.ci_low[last], p.ci_high[last]),
                p.p_greater[last]
            );
        }
        if let Some((index, p)) = cmp.indices.first() {
            let _ = writeln!(s, "\n  {index} over time");
            let _ = writeln!(
                s,
                "  {:<8} {:>28}  {:>6}",
                "period", "mean diff [95% CI]", "P(>)"
            );
            for t in shown_indices(&c.periods) {
                let _ = writeln!(
                    s,
                    "  {:<8} {:>28}  {:>6.3}",
                    c.periods[t],
                    interval(p.mean_diff[t], p.ci_low[t], p.ci_high[t]),
                    p.p_greater[t]
                );
            }
        }
    }
    s
}

fn interval(mean: f64, low: f64, high: f64) -> String {
    format!("{mean:+.2} [{low:+.2}, {high:+.2}]")
}

/// Tidy CSV: one row per compared scenario, index and period.
pub fn csv(c: &Comparison) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "base",
        "scenario",
        "series",
        "period",
        "step",
        "mean_diff",
        "ci_low",
        "ci_high",
        "p_greater",
        "median_diff",
    ]);
    for (name, cmp) in &c.compared {
        for (index, p) in &cmp.indices {
            for (t, period) in c.periods.iter().enumerate() {
                let _ = w.write_record([
                    c.provenance.scenario.name.as_str(),
                    name,
                    index,
                    period,
                    &t.to_string(),
                    &p.mean_diff[t].to_string(),
                    &p.ci_low[t].to_string(),
                    &p.ci_high[t].to_string(),
                    &p.p_greater[t].to_string(),
                    &p.median_diff[t].to_string(),
                ]);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

impl super::Render for Comparison {
    const FILES: (&'static str, Option<&'static str>) = ("comparison.json", Some("comparison.csv"));
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
