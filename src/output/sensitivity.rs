//! `coopsim sensitivity` as tables, JSON and tidy CSV, one shape per method.

use super::csv_text;
use crate::analysis::sensitivity::morris::Morris;
use crate::analysis::sensitivity::sobol::Sobol;
use crate::analysis::sensitivity::tornado::Tornado;
use std::fmt::Write;

/// Columns of each half of a tornado bar.
const HALF_BAR: usize = 12;

/// The widest a name column grows; a longer name takes its own line.
const NAME_WIDTH: usize = 34;

/// The tornado: inputs widest first, their low and high effects on the
/// composite and a bar of each (`░` low, `█` high, scaled to the widest);
/// the domains are in JSON and CSV.
pub(crate) fn tornado_table(t: &Tornado) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "tornado of {}: change of the mean index at {} against the scenario ({} runs, seed {}, common random numbers)",
        t.provenance.scenario.name, t.horizon, t.provenance.runs, t.provenance.seed
    );
    let _ = writeln!(
        s,
        "low / high: driver targets move -0.2 / +0.2; uncertain parameters are fixed at their 10th / 90th percentiles"
    );
    let _ = writeln!(
        s,
        "each effect is a difference of two means over the same runs: an effect on the mean over \
         futures, not on the spread of possible futures; no interval is shown (for two scenarios, \
         compare gives the simulation error of the mean difference and its spread across futures)\n"
    );
    let Some(composite) = t.base.keys().next() else {
        return s;
    };
    let _ = writeln!(
        s,
        "scenario mean {composite}: {:.2}; bars: ░ low, █ high, left of | lowers it, right raises it\n",
        t.base[composite.as_str()]
    );
    let width = t
        .bars
        .iter()
        .map(|b| b.name.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, NAME_WIDTH);
    let _ = writeln!(
        s,
        "  {:<width$} {:>7} {:>7}  {:^25}",
        "input", "low", "high", "effect"
    );
    let scale = t
        .bars
        .iter()
        .flat_map(|b| [b.low[composite.as_str()], b.high[composite.as_str()]])
        .fold(0.0_f64, |m, e| m.max(e.abs()));
    for b in &t.bars {
        let (low, high) = (b.low[composite.as_str()], b.high[composite.as_str()]);
        let _ = writeln!(
            s,
            "  {} {low:>+7.3} {high:>+7.3}  {}",
            super::wrap::name_cell(&b.name, width),
            bar(low, high, scale)
        );
    }
    let _ = writeln!(
        s,
        "\neach input's settings and the domains are in --format json and csv"
    );
    s
}

/// A tornado bar: `HALF_BAR` columns each side of `|`, the low effect as
/// `░` and the high one as `█` out from the middle, `scale` filling a half.
fn bar(low: f64, high: f64, scale: f64) -> String {
    let cells = |e: f64| {
        if scale > 0.0 {
            ((e.abs() / scale) * HALF_BAR as f64).round() as usize
        } else {
            0
        }
    };
    let mut left = vec![' '; HALF_BAR];
    let mut right = vec![' '; HALF_BAR];
    // The longer effect first, so that the shorter one shows on top.
    let mut effects = [(low, '░'), (high, '█')];
    effects.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    for (e, mark) in effects {
        let n = cells(e).min(HALF_BAR);
        if e < 0.0 {
            for c in left.iter_mut().rev().take(n) {
                *c = mark;
            }
        } else {
            for c in right.iter_mut().take(n) {
                *c = mark;
            }
        }
    }
    let mut out: String = left.into_iter().collect();
    out.push('|');
    out.extend(right);
    out.trim_end().to_owned()
}

/// Tidy tornado rows: name, side, setting, series, effect.
pub(crate) fn tornado_csv(t: &Tornado) -> String {
    let mut rows = Vec::new();
    for b in &t.bars {
        for (side, effect, setting) in [
            ("low", &b.low, &b.low_setting),
            ("high", &b.high, &b.high_setting),
        ] {
            for (series, e) in effect {
                rows.push(vec![
                    b.name.clone(),
                    side.to_owned(),
                    setting.clone(),
                    series.clone(),
                    e.to_string(),
                ]);
            }
        }
    }
    csv_text(&["name", "side", "setting", "series", "effect"], rows)
}

/// Sobol indices of the composite, with their intervals.
pub(crate) fn sobol_table(r: &Sobol) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Sobol indices of the composite at {} for {} (N = {} per matrix, {} bootstrap resamples, seed {})",
        r.horizon, r.provenance.scenario.name, r.samples, r.bootstrap, r.provenance.seed
    );
    let _ = writeln!(
        s,
        "S1: share of the variance an input explains alone; ST: with its interactions; \
         `shocks`: the drivers' shocks and jumps"
    );
    let _ = writeln!(
        s,
        "the variance is the spread of possible futures under the model; each 95% interval is the \
         simulation error of the index (bootstrap over the design's rows), which narrows as \
         --samples grows; an estimate slightly below 0 comes from that error\n"
    );
    let width = r
        .sobol
        .keys()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, NAME_WIDTH - 4);
    let _ = writeln!(
        s,
        "  {:<width$} {:>6} {:>16} {:>6} {:>16}",
        "input", "S1", "95% sim. int.", "ST", "95% sim. int."
    );
    for (name, i) in &r.sobol {
        let _ = writeln!(
            s,
            "  {} {:>6.3} {:>16} {:>6.3} {:>16}",
            super::wrap::name_cell(name, width),
            i.s1,
            format!("[{:.3}, {:.3}]", i.s1_ci[0], i.s1_ci[1]),
            i.st,
            format!("[{:.3}, {:.3}]", i.st_ci[0], i.st_ci[1])
        );
    }
    let _ = writeln!(s, "\nthe domains are in --format json and csv");
    s
}

/// Tidy Sobol rows: series, input, S1, S1_low, S1_high, ST, ST_low, ST_high.
pub(crate) fn sobol_csv(r: &Sobol) -> String {
    let mut rows = Vec::new();
    for (series, inputs) in &r.by_index {
        for (input, i) in inputs {
            rows.push(
                [series.clone(), input.clone()]
                    .into_iter()
                    .chain(
                        [i.s1, i.s1_ci[0], i.s1_ci[1], i.st, i.st_ci[0], i.st_ci[1]]
                            .map(|v| v.to_string()),
                    )
                    .collect(),
            );
        }
    }
    csv_text(
        &[
            "series", "input", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high",
        ],
        rows,
    )
}

/// Morris effects on the composite, largest mu* first.
pub(crate) fn morris_table(m: &Morris) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Morris screening of {} at {}: {} trajectories, each point the mean of {} runs (seed {})",
        m.provenance.scenario.name, m.horizon, m.trajectories, m.provenance.runs, m.provenance.seed
    );
    let _ = writeln!(
        s,
        "effects in composite points for a move across half a parameter's distribution; \
         mu*: importance; mu: direction; sigma: interactions or curvature\n\
         sigma is the spread of the effects across trajectories (interactions or curvature, and a \
         little simulation error from the runs each point averages), not the spread of futures; \
         no interval is shown\n"
    );
    let width = m
        .effects
        .keys()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(9)
        .clamp(9, NAME_WIDTH + 10);
    let _ = writeln!(
        s,
        "  {:<width$} {:>8} {:>8} {:>8}",
        "parameter", "mu*", "mu", "sigma"
    );
    for (name, e) in &m.effects {
        let _ = writeln!(
            s,
            "  {} {:>8.3} {:>+8.3} {:>8.3}",
            super::wrap::name_cell(name, width),
            e.mu_star,
            e.mu,
            e.sigma
        );
    }
    s
}

/// Tidy Morris rows: series, parameter, mu_star, mu, sigma.
pub(crate) fn morris_csv(m: &Morris) -> String {
    let mut rows = Vec::new();
    for (series, effects) in &m.by_index {
        for (name, e) in effects {
            rows.push(vec![
                series.clone(),
                name.clone(),
                e.mu_star.to_string(),
                e.mu.to_string(),
                e.sigma.to_string(),
            ]);
        }
    }
    csv_text(&["series", "parameter", "mu_star", "mu", "sigma"], rows)
}

impl super::Render for Tornado {
    const FILES: (&'static str, Option<&'static str>) = ("tornado.json", Some("tornado.csv"));
    fn table(&self) -> String {
        tornado_table(self)
    }
    fn json(&self) -> String {
        super::json(self)
    }
    fn csv(&self) -> Option<String> {
        Some(tornado_csv(self))
    }
}

impl super::Render for Sobol {
    const FILES: (&'static str, Option<&'static str>) = ("sobol.json", Some("sobol.csv"));
    fn table(&self) -> String {
        sobol_table(self)
    }
    fn json(&self) -> String {
        super::json(self)
    }
    fn csv(&self) -> Option<String> {
        Some(sobol_csv(self))
    }
}

impl super::Render for Morris {
    const FILES: (&'static str, Option<&'static str>) = ("morris.json", Some("morris.csv"));
    fn table(&self) -> String {
        morris_table(self)
    }
    fn json(&self) -> String {
        super::json(self)
    }
    fn csv(&self) -> Option<String> {
        Some(morris_csv(self))
    }
}
