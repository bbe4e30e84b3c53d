//! `coopsim score` (and the cells of `sweep`) as tables, JSON and tidy CSV.

use crate::analysis::score::{Figures, Scorecard, Scores};
use std::fmt::Write;

/// What the scorecards' figures are, printed above them (`score` and `sweep`).
pub(crate) const SCORE_LEGEND: &str = "\
p05, p50, p95: the spread of possible futures under the model (quantiles of the runs; it \
does not shrink with more runs); mean, P(part), P(estr), CVaR10: estimates over the \
runs, whose simulation error is not shown
#: rank by the table's own mean composite; it does not say that the simulation has told two \
means apart, nor how often one future beats another: for two scenarios, `coopsim compare` \
gives the simulation interval of the mean difference, its spread across futures and P(>)";

/// The composite's scorecards, best first: at the horizon, then averaged
/// over time, each table ranked by its own mean.
pub fn table(s: &Scores) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary(s));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} runs per scenario, seed {} (common random numbers); horizon {}",
        s.provenance.runs, s.provenance.seed, s.horizon
    );
    let _ = writeln!(
        out,
        "P(part): share of runs in partnership (composite >= {}); P(estr): in estrangement \
         (composite <= {}); CVaR10: mean of the worst 10% of runs",
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
            "  {:>2}  {:<24} {:>5} {:>5} {:>5} {:>5} {:>9} {:>8} {:>6}",
            "#", "scenario", "mean", "p05", "p50", "p95", "P(part)", "P(estr)", "CVaR10"
        );
        // Each table ranks by its own mean (ties keep the horizon's order).
        let mut rows = order.clone();
        rows.sort_by(|a, b| pick(b).mean.total_cmp(&pick(a).mean));
        for (place, c) in rows.iter().enumerate() {
            let f = pick(c);
            let _ = writeln!(
                out,
                "  {:>2}  {:<24} {:>5.1} {:>5.1} {:>5.1} {:>5.1} {:>9.3} {:>8.3} {:>6.1}",
                place + 1,
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
    let firsts: Vec<Option<&str>> = order
        .iter()
        .map(|c| c.indices[0].first_partnership.as_deref())
        .collect();
    if firsts.iter().all(Option::is_none) {
        let _ = writeln!(
            out,
            "\nin no scenario does the median composite reach partnership (>= {})",
            s.thresholds.high
        );
    } else if let Some(first) = firsts[0].filter(|f| firsts.iter().all(|g| *g == Some(*f))) {
        let _ = writeln!(
            out,
            "\nin every scenario the median composite is in partnership first in {first}"
        );
    } else {
        let _ = writeln!(
            out,
            "\nfirst period with the median composite in partnership"
        );
        for (c, first) in order.iter().zip(&firsts) {
            let _ = writeln!(out, "  {:<26} {}", c.scenario.name, first.unwrap_or("none"));
        }
    }
    out
}

/// The sentence that opens the scorecards: which scenario scores highest
/// and lowest at the horizon and by how much, the domains that differ most
/// between them, and how likely partnership and estrangement are.
fn summary(s: &Scores) -> String {
    use super::verdict::{largest, likelihood, percent};
    let mut order: Vec<&Scorecard> = s.scorecards.iter().collect();
    order.sort_by_key(|c| c.rank);
    let (Some(best), Some(worst)) = (order.first(), order.last()) else {
        return "no scenario was scored".to_owned();
    };
    let at = |c: &Scorecard| c.indices[0].horizon;
    let mut text = if order.len() == 1 {
        format!(
            "{}: mean composite {:.1} at {}",
            best.scenario.name,
            at(best).mean,
            s.horizon
        )
    } else {
        let domains: Vec<(&str, f64)> = best
            .indices
            .iter()
            .skip(1)
            .filter_map(|(n, b)| {
                worst
                    .indices
                    .get(n)
                    .map(|w| (n.as_str(), b.horizon.mean - w.horizon.mean))
            })
            .collect();
        format!(
            "{} scores highest at {} (mean composite {:.1}) and {} lowest ({:.1}), \
             {:.1} points apart, mostly in {}",
            best.scenario.name,
            s.horizon,
            at(best).mean,
            worst.scenario.name,
            at(worst).mean,
            at(best).mean - at(worst).mean,
            largest(&domains, 2)
        )
    };
    let high = order
        .iter()
        .map(|c| at(c).p_partnership)
        .fold(0.0, f64::max);
    let low = order
        .iter()
        .map(|c| at(c).p_estrangement)
        .fold(0.0, f64::max);
    let share = |p: f64| match (p > 0.0, order.len() > 1) {
        (false, _) => "in no run".to_owned(),
        (true, true) => format!("at most {} of futures", percent(p)),
        (true, false) => format!("{} of futures", percent(p)),
    };
    text.push_str(&format!(
        "; partnership (>= {}) is {} ({}), estrangement (<= {}) {} ({}). The means are estimates over {} runs (the simulation error of a \
         difference between two is what `coopsim compare` gives); p05 to p95 is the \
         spread of futures, which more runs do not narrow.",
        s.thresholds.high,
        likelihood(high),
        share(high),
        s.thresholds.low,
        likelihood(low),
        share(low),
        s.provenance.runs
    ));
    text
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
