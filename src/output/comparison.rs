//! `coopsim compare` as a table, JSON and tidy CSV.

use super::table::shown_indices;
use crate::analysis::compare::Comparison;
use std::fmt::Write;

/// What the two kinds of interval in the table are, printed above it.
pub(crate) const LEGEND: &str = "\
two kinds of interval below:
  mean diff [95% int.]: the simulation error of the mean difference over the runs; the \
interval narrows as --runs grows, and one that excludes 0 says only that the simulation \
has resolved the sign of the mean, not that the difference is large or matters
  diff p05 to p95: the spread of possible futures: in 90% of runs the run-by-run difference \
lies between these; it does not shrink with more runs
  P(>): share of futures (runs) in which the scenario's index exceeds the base's
every figure is conditional on the model";

/// Per compared scenario: every index at the horizon, then the composite
/// over time.
pub fn table(c: &Comparison) -> String {
    let mut s = String::new();
    let last = c.periods.len() - 1;
    for (name, cmp) in &c.compared {
        let _ = writeln!(s, "{}", summary(c, name, cmp, last));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{} runs, seed {}; run i of each scenario against run i of {} (common random numbers)",
        c.provenance.runs, c.provenance.seed, c.provenance.scenario.name
    );
    let _ = writeln!(s, "{LEGEND}");
    let base = &c.results[0];
    for (name, cmp) in &c.compared {
        let _ = writeln!(
            s,
            "\n{name} against {} at {}",
            c.provenance.scenario.name, c.periods[last]
        );
        let _ = writeln!(
            s,
            "  {:<12} {:>8} {:>5}  {:>23}  {:>16}",
            "", "", "", "simulation error", "spread of futures"
        );
        let _ = writeln!(
            s,
            "  {:<12} {:>8} {:>5}  {:>23}  {:>16}  {:>5}",
            "index", "base p50", "p50", "mean diff [95% int.]", "diff p05 to p95", "P(>)"
        );
        let other = c
            .results
            .iter()
            .find(|r| r.provenance.scenario.name == *name)
            .unwrap_or(base);
        for (index, p) in &cmp.indices {
            let _ = writeln!(
                s,
                "  {:<12} {:>8.1} {:>5.1}  {:>23}  {:>16}  {:>5.3}",
                index,
                base.indices[index].p50[last],
                other.indices[index].p50[last],
                interval(p.mean_diff[last], p.ci_low[last], p.ci_high[last]),
                spread(p.diff_p05[last], p.diff_p95[last]),
                p.p_greater[last]
            );
        }
        let _ = writeln!(s, "  {}", resolution(cmp, last));
        if let Some((index, p)) = cmp.indices.first() {
            let _ = writeln!(s, "\n  {index} over time");
            let _ = writeln!(
                s,
                "  {:<8} {:>23}  {:>16}",
                "", "simulation error", "spread of futures"
            );
            let _ = writeln!(
                s,
                "  {:<8} {:>23}  {:>16}  {:>5}",
                "period", "mean diff [95% int.]", "diff p05 to p95", "P(>)"
            );
            for t in shown_indices(&c.periods) {
                let _ = writeln!(
                    s,
                    "  {:<8} {:>23}  {:>16}  {:>5.3}",
                    c.periods[t],
                    interval(p.mean_diff[t], p.ci_low[t], p.ci_high[t]),
                    spread(p.diff_p05[t], p.diff_p95[t]),
                    p.p_greater[t]
                );
            }
        }
    }
    s
}

/// The sentence that opens the comparison of `name` with the base: how big
/// the mean difference of the composite is at the horizon, which domains
/// move most, how the chances of partnership and estrangement move, and
/// which interval is which.
fn summary(
    c: &Comparison,
    name: &str,
    cmp: &crate::analysis::compare::Compared,
    t: usize,
) -> String {
    let base = &c.results[0];
    let base_name = &c.provenance.scenario.name;
    let other = c
        .results
        .iter()
        .find(|r| r.provenance.scenario.name == name)
        .unwrap_or(base);
    let Some((composite, p)) = cmp.indices.first() else {
        return format!("{name} against {base_name}: no index to compare");
    };
    let diff = p.mean_diff[t];
    let size = if p.ci_low[t] > 0.0 || p.ci_high[t] < 0.0 {
        format!(
            "{} the mean {composite} at {} by {:.1} points",
            if diff > 0.0 { "raises" } else { "lowers" },
            c.periods[t],
            diff.abs()
        )
    } else {
        format!(
            "leaves the mean {composite} at {} within simulation error of the base ({diff:+.2})",
            c.periods[t]
        )
    };
    let domains: Vec<(&str, f64)> = cmp
        .indices
        .iter()
        .skip(1)
        .map(|(n, s)| (n.as_str(), s.mean_diff[t]))
        .collect();
    let source = if domains.iter().all(|(_, d)| *d == 0.0) {
        String::new()
    } else {
        format!(", mostly through {}", super::verdict::largest(&domains, 2))
    };
    let th = &base.thresholds;
    let chance = |r: &crate::RunResult, high: bool| {
        r.indices
            .get(composite)
            .map(|s| if high { s.p_high[t] } else { s.p_low[t] })
            .unwrap_or_default()
    };
    format!(
        "{name} against {base_name}: {name} {size}{source}; partnership (>= {}) {}, \
         estrangement (<= {}) {}. The 95% interval of the mean difference \
         ({:+.2} to {:+.2}) is simulation error only; across futures the difference \
         ranges from {:+.1} to {:+.1} (p05 to p95).",
        th.high,
        super::verdict::shift(chance(base, true), chance(other, true)),
        th.low,
        super::verdict::shift(chance(base, false), chance(other, false)),
        p.ci_low[t],
        p.ci_high[t],
        p.diff_p05[t],
        p.diff_p95[t],
    )
}

fn interval(mean: f64, low: f64, high: f64) -> String {
    format!("{mean:+.2} [{low:+.2}, {high:+.2}]")
}

fn spread(low: f64, high: f64) -> String {
    format!("{low:+.2} to {high:+.2}")
}

/// Which indices' mean differences the simulation resolves at period `t`
/// (their 95% interval excludes 0), which it does not, and which do not
/// differ in any run.
fn resolution(cmp: &crate::analysis::compare::Compared, t: usize) -> String {
    let (mut resolved, mut unresolved, mut same) = (Vec::new(), Vec::new(), Vec::new());
    for (index, p) in &cmp.indices {
        if p.diff_p05[t] == 0.0 && p.diff_p95[t] == 0.0 && p.diff_sd[t] == 0.0 {
            same.push(index.as_str());
        } else if p.ci_low[t] > 0.0 || p.ci_high[t] < 0.0 {
            resolved.push(index.as_str());
        } else {
            unresolved.push(index.as_str());
        }
    }
    let mut parts = Vec::new();
    if !resolved.is_empty() {
        parts.push(format!(
            "resolved by the simulation (95% interval excludes 0): {}",
            list(&resolved, cmp.indices.len())
        ));
    }
    if !unresolved.is_empty() {
        parts.push(format!(
            "not resolved (95% interval includes 0; more runs may resolve it): {}",
            list(&unresolved, cmp.indices.len())
        ));
    }
    if !same.is_empty() {
        parts.push(format!(
            "no difference in any run: {}",
            list(&same, cmp.indices.len())
        ));
    }
    parts.join("\n  ")
}

fn list(names: &[&str], of: usize) -> String {
    if names.len() == of && of > 1 {
        "every index".to_owned()
    } else {
        names.join(", ")
    }
}

/// Tidy CSV: one row per compared scenario, index and period. `ci_low` and
/// `ci_high` are the simulation error of `mean_diff` (its 95% confidence
/// interval); `diff_sd` and `diff_p05` to `diff_p95` the spread of the
/// run-by-run difference across futures.
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
        "diff_sd",
        "diff_p05",
        "diff_p25",
        "diff_p50",
        "diff_p75",
        "diff_p95",
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
                    &p.diff_sd[t].to_string(),
                    &p.diff_p05[t].to_string(),
                    &p.diff_p25[t].to_string(),
                    &p.diff_p50[t].to_string(),
                    &p.diff_p75[t].to_string(),
                    &p.diff_p95[t].to_string(),
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
