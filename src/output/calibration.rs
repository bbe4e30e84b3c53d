//! `coopsim calibrate` as a table, JSON and CSV.

use crate::analysis::backtest::Summary;
use crate::analysis::calibrate::{Calibration, Stopped};
use std::fmt::Write;

/// The fit, how firmly the record pins each value, and the scores before
/// and after on the training and test years.
pub fn table(c: &Calibration) -> String {
    let mut out = String::new();
    let p = &c.provenance;
    let test = c
        .test_window
        .map(|w| format!(", tested on {}:{}", w.from, w.to))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "calibration of scenario {} (model {}) against \"{}\"",
        p.scenario.name, p.model.id, c.observed.title
    );
    let _ = writeln!(
        out,
        "trained on {}:{}{test}; {} runs per evaluation, seed {} (common random numbers)",
        c.train_window.from, c.train_window.to, p.runs, p.seed
    );
    let stopped = match c.stopped {
        Stopped::Converged => "the search converged",
        Stopped::EvaluationLimit => "the search reached its evaluation limit",
        Stopped::Interrupted => "the search was interrupted: the fit is the best point so far",
    };
    let _ = writeln!(
        out,
        "{} evaluations; {stopped}; objective {:.3} (mean training CRPS{})",
        c.evaluations,
        c.objective,
        if c.priors.is_empty() {
            ""
        } else {
            " plus the prior penalty"
        }
    );
    let _ = writeln!(
        out,
        "\n  {:<22} {:>7} {:>7} {:>15} {:>9}  record",
        "parameter", "start", "fitted", "within tol.", "prior"
    );
    for (path, v) in &c.fitted {
        let start = c.started.get(path).copied().unwrap_or(f64::NAN);
        let (within, verdict) = c.profiles.get(path).map_or_else(
            || ("-".to_owned(), "not profiled"),
            |pr| {
                (
                    format!("{:.3} - {:.3}", pr.within[0], pr.within[1]),
                    pr.verdict.as_str(),
                )
            },
        );
        let prior = c
            .priors
            .get(path)
            .map_or_else(|| "-".to_owned(), |p| format!("{}±{}", p.mean, p.sd));
        let _ = writeln!(
            out,
            "  {} {start:>7.3} {v:>7.3} {within:>15} {prior:>9}  {verdict}",
            super::wrap::name_cell(path, 22)
        );
    }
    let _ = writeln!(
        out,
        "within tol.: the profile's values whose objective is within one standard \
         error of its minimum; that standard error is of the mean training CRPS over the \
         observations (how finely the record tells fits apart), neither simulation error nor \
         the spread of futures; pinned: under a third of the range, loose: under two thirds, \
         unpinned: the record barely tells the values apart"
    );
    let _ = writeln!(
        out,
        "cov50, cov90: shares of observations inside the runs' central 50% and 90% bands, the \
         spread of possible futures under the model"
    );
    let _ = writeln!(
        out,
        "\n  {:<16} {:>4} {:>6} {:>8} {:>8} {:>6} {:>6}",
        "scores", "n", "CRPS", "skill p", "skill c", "cov50", "cov90"
    );
    let row = |out: &mut String, label: &str, s: &Summary| {
        let _ = writeln!(
            out,
            "  {:<16} {:>4} {:>6.2} {:>8.2} {:>8.2} {:>6.2} {:>6.2}",
            label,
            s.n,
            s.crps,
            s.skill_vs_persistence,
            s.skill_vs_climatology,
            s.coverage_50,
            s.coverage_90
        );
    };
    row(&mut out, "train, before", &c.before.train);
    row(&mut out, "train, fitted", &c.train);
    if let (Some(before), Some(after)) = (&c.before.test, &c.test) {
        row(&mut out, "test, before", before);
        row(&mut out, "test, fitted", after);
    }
    out
}

/// The profiles: one row per parameter and profile point.
pub fn csv(c: &Calibration) -> String {
    let rows = c.profiles.iter().flat_map(|(path, p)| {
        let fitted = c.fitted.get(path).copied().unwrap_or(f64::NAN);
        p.values.iter().zip(&p.objective).map(move |(v, o)| {
            vec![
                path.clone(),
                v.to_string(),
                o.to_string(),
                fitted.to_string(),
                p.tolerance.to_string(),
                p.verdict.clone(),
            ]
        })
    });
    super::csv_text(
        &[
            "parameter",
            "value",
            "objective",
            "fitted",
            "tolerance",
            "verdict",
        ],
        rows,
    )
}

impl super::Render for Calibration {
    const FILES: (&'static str, Option<&'static str>) =
        ("calibration.json", Some("calibration.csv"));
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
