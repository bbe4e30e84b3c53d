//! `coopsim score` (and the cells of `sweep`) as tables, JSON and tidy CSV.

use crate::analysis::score::{Figures, Scorecard, Scores};
use std::fmt::Write;

/// What the scorecards' figures are, printed above them (`score` and `sweep`).
pub(crate) const SCORE_LEGEND: &str = "\
p05, p50, p95: the spread of possible futures under the model (quantiles of the runs; it
  does not shrink with more runs); mean, P(partner), P(estrange), CVaR10: estimates over the
  runs, whose simulation error is not shown
rank: by horizon mean composite; it does not say that the simulation has told two means
  apart, nor how often one future beats another: for two scenarios, `coopsim compare` gives
  the simulation interval of the mean difference, its spread across futures and P(>)";

/// The composite's scorecards, best first: at the horizon, then averaged
/// over time.
pub fn table(s: &Scores) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} runs per scenario, seed {} (common random numbers); horizon {}",
        s.provenance.runs, s.provenance.seed, s.horizon
    );
    let _ = writeln!(
        out,
        "partnership: composite >= {}; estrangement: composite <= {}; CVaR10: mean of the worst 10% of runs",
        s.thresholds.high, s.thresholds.low
    );
    let _ = writeln!(out, "{SCORE_LEGEND}");
    let mut order: Vec<&Scorecard> = s.scorecards.iter().collect();
    order.sort_by_key(|c| c.rank);
    for (title, pick) in [
        (
            format!("composite at {}", s.horizon),
            (|c: &Scorecard| c.indices[0].horizon) as fn(&Scorecard) -> Figures,
        ),
        (
            "composite averaged over time (every period after the start)".to_owned(),
            |c: &Scorecard| c.indices[0].over_time,
        ),
    ] {
        let _ = writeln!(out, "\n{title}");
        let _ = writeln!(
            out,
            "  {:>4}  {:<26} {:>6} {:>6} {:>6} {:>6} {:>11} {:>12} {:>7}",
            "rank", "scenario", "mean", "p05", "p50", "p95", "P(partner)", "P(estrange)", "CVaR10"
        );
        for c in &order {
            let f = pick(c);
            let _ = writeln!(
                out,
                "  {:>4}  {:<26} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>11.3} {:>12.3} {:>7.1}",
                c.rank,
                c.scenario.name,
                f.mean,
                f.p05,
                f.p50,
                f.p95,
                f.p_partnership,
                f.p_estrangement,
                f.cvar10
            );
        }
    }
    let _ = writeln!(
        out,
        "\nfirst period with the median composite in partnership"
    );
    for c in &order {
        let first = c.indices[0].first_partnership.as_deref().unwrap_or("none");
        let _ = writeln!(out, "  {:<26} {first}", c.scenario.name);
    }
    out
}

/// The header of tidy scorecard rows, after any leading columns.
pub(crate) const COLUMNS: [&str; 11] = [
    "series",
    "when",
    "mean",
    "p05",
    "p50",
    "p95",
    "p_partnership",
    "p_estrangement",
    "cvar10",
    "first_partnership",
    "rank",
];

/// Tidy rows of one scorecard: one per index and `when` (horizon,
/// over_time), each prefixed by `lead`.
pub fn rows(card: &Scorecard, lead: &[String]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (series, score) in &card.indices {
        for (when, f) in [("horizon", score.horizon), ("over_time", score.over_time)] {
            let mut row = lead.to_vec();
            row.push(series.clone());
            row.push(when.to_owned());
            row.extend(
                [
                    f.mean,
                    f.p05,
                    f.p50,
                    f.p95,
                    f.p_partnership,
                    f.p_estrangement,
                    f.cvar10,
                ]
                .map(|v| v.to_string()),
            );
            row.push(score.first_partnership.clone().unwrap_or_default());
            row.push(card.rank.to_string());
            rows.push(row);
        }
    }
    rows
}

/// Tidy CSV: one row per scenario, index and `when`.
pub fn csv(s: &Scores) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(std::iter::once("scenario").chain(COLUMNS));
    for card in &s.scorecards {
        for row in rows(card, std::slice::from_ref(&card.scenario.name)) {
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

impl super::Render for Scores {
    const FILES: (&'static str, Option<&'static str>) = ("scores.json", Some("scores.csv"));
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
