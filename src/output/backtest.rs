//! `coopsim backtest` as a table, JSON and CSV.

use crate::analysis::backtest::{Backtest, Scored, Summary, ValueOut};
use std::fmt::Write;

/// The verdict in plain words, then the summaries, then every observation.
pub fn table(b: &Backtest) -> String {
    let mut out = String::new();
    let p = &b.provenance;
    let _ = writeln!(
        out,
        "backtest of scenario {} (model {}, kernel {}) against \"{}\"",
        p.scenario.name, p.model.id, p.kernel, b.observed.title
    );
    let window = b
        .window
        .map(|w| format!(", observations of {} to {}", w.from, w.to))
        .unwrap_or_default();
    let _ = writeln!(out, "{} runs, seed {}{window}", p.runs, p.seed);
    let Some(s) = &b.summary else {
        let _ = writeln!(
            out,
            "\nNo observation lies after the scenario's start and before its end{}: nothing \
             to score.",
            if b.window.is_some() {
                " in the window"
            } else {
                ""
            }
        );
        not_scored(&mut out, b);
        return out;
    };
    let _ = writeln!(out, "\n{}", verdict(s));
    let _ = writeln!(
        out,
        "CRPS: the forecast's mean distance from the observation, in index points (0 is a \
         perfect point forecast); skill: 1 - CRPS / reference CRPS (above 0 beats the \
         reference); coverage: share of observations inside the runs' central interval"
    );
    let _ = writeln!(
        out,
        "runs p05-p95, and the bands behind cov50, cov90 and IS90: the spread of possible \
         futures under the model (the runs' central 90% or 50% band at the observation's \
         period), which more runs do not narrow; the scores are estimates over the runs, whose \
         simulation error is not shown"
    );
    let _ = writeln!(out, "\n{}", summary_header("over"));
    summary_row(&mut out, "all", s);
    for (index, s) in &b.by_index {
        summary_row(&mut out, index, s);
    }
    for (grade, s) in &b.by_grade {
        summary_row(&mut out, &format!("grade {grade}"), s);
    }
    let _ = writeln!(
        out,
        "\neach observation (its index and the references' CRPS are in --format csv):"
    );
    let _ = writeln!(
        out,
        "  {:<19} {:>6} {:<22} {:>5} {:>11} {:>5} {:>4}",
        "measure", "period", "value", "obs", "p05 - p95", "CRPS", "PIT"
    );
    for o in &b.observations {
        observation_row(&mut out, o);
    }
    not_scored(&mut out, b);
    out
}

/// "The model beats persistence on 14 of 23 observations ..."
fn verdict(s: &Summary) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "The model beats persistence on {} of {} observation{} and climatology on {}. Its mean \
         CRPS is {:.1} index points, against {:.1} for persistence and {:.1} for climatology \
         (skill {:+.2} and {:+.2}). Its 90% band of futures holds {:.0}% of the observations \
         and its 50% band {:.0}% (a calibrated forecast: 90% and 50%).",
        s.beats_persistence,
        s.n,
        plural(s.n),
        s.beats_climatology,
        s.crps,
        s.crps_persistence,
        s.crps_climatology,
        s.skill_vs_persistence,
        s.skill_vs_climatology,
        100.0 * s.coverage_90,
        100.0 * s.coverage_50,
    )
}

fn summary_header(first: &str) -> String {
    format!(
        "  {:<14} {:>4} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6} {:>6} {:>7}",
        first, "n", "CRPS", "pers.", "clim.", "skill p", "skill c", "cov50", "cov90", "IS90"
    )
}

fn summary_row(out: &mut String, label: &str, s: &Summary) {
    let _ = writeln!(
        out,
        "  {:<14} {:>4} {:>6.1} {:>6.1} {:>6.1} {:>7.2} {:>7.2} {:>6.2} {:>6.2} {:>7.1}",
        label,
        s.n,
        s.crps,
        s.crps_persistence,
        s.crps_climatology,
        s.skill_vs_persistence,
        s.skill_vs_climatology,
        s.coverage_50,
        s.coverage_90,
        s.interval_score_90
    );
}

/// `text` cut to `width` characters, ending in `…` when cut.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

fn shown_value(v: &ValueOut) -> String {
    match v {
        ValueOut::Number(x) if x.abs() >= 1e6 => format!("{:.0}M", x / 1e6),
        ValueOut::Number(x) => format!("{x}"),
        ValueOut::Rung(r) => r.clone(),
    }
}

fn observation_row(out: &mut String, o: &Scored) {
    let _ = writeln!(
        out,
        "  {:<19} {:>6} {:<22} {:>5.1} {:>11} {:>5.1} {:>4.2}",
        o.measure,
        o.period,
        clip(&shown_value(&o.value), 22),
        o.observed,
        format!("{:.1} - {:.1}", o.p05, o.p95),
        o.crps,
        o.pit
    );
}

fn not_scored(out: &mut String, b: &Backtest) {
    let n = &b.not_scored;
    let _ = writeln!(
        out,
        "\nnot scored: {} at or before the start (they serve the references), {} after the \
         end, {} outside the window",
        n.at_or_before_start, n.after_end, n.outside_window
    );
    if !b.climatology_from_all.is_empty() {
        let _ = writeln!(
            out,
            "climatology uses every observation of {} (fewer than two at or before the start)",
            b.climatology_from_all.join(", ")
        );
    }
}

/// The header of the CSV: one row per scored observation.
const COLUMNS: [&str; 24] = [
    "measure",
    "index",
    "period",
    "value",
    "observed",
    "grade",
    "mean",
    "p05",
    "p25",
    "p50",
    "p75",
    "p95",
    "crps",
    "crps_fair",
    "brier_high",
    "brier_low",
    "covered_50",
    "covered_90",
    "interval_score_90",
    "log_score",
    "pit",
    "crps_persistence",
    "crps_climatology",
    "window",
];

/// One row per scored observation.
pub fn csv(b: &Backtest) -> String {
    let window = b
        .window
        .map(|w| format!("{}:{}", w.from, w.to))
        .unwrap_or_default();
    let rows = b.observations.iter().map(|o| {
        let value = match &o.value {
            ValueOut::Number(x) => x.to_string(),
            ValueOut::Rung(r) => r.clone(),
        };
        let mut row = vec![o.measure.clone(), o.index.clone(), o.period.clone(), value];
        row.push(o.observed.to_string());
        row.push(o.grade.clone());
        row.extend(
            [
                o.mean,
                o.p05,
                o.p25,
                o.p50,
                o.p75,
                o.p95,
                o.crps,
                o.crps_fair,
            ]
            .map(|v| v.to_string()),
        );
        row.extend([o.brier_high, o.brier_low].map(|v| v.to_string()));
        row.extend([o.covered_50, o.covered_90].map(|v| v.to_string()));
        row.extend(
            [
                o.interval_score_90,
                o.log_score,
                o.pit,
                o.crps_persistence,
                o.crps_climatology,
            ]
            .map(|v| v.to_string()),
        );
        row.push(window.clone());
        row
    });
    super::csv_text(&COLUMNS, rows)
}

impl super::Render for Backtest {
    const FILES: (&'static str, Option<&'static str>) = ("backtest.json", Some("backtest.csv"));
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
