//! `coopsim sensitivity` as tables, JSON and tidy CSV, one shape per method.

use super::csv_text;
use crate::analysis::sensitivity::morris::Morris;
use crate::analysis::sensitivity::sobol::Sobol;
use crate::analysis::sensitivity::tornado::Tornado;
use std::fmt::Write;

/// The tornado: bars widest first, the effect on the composite and each domain.
pub(crate) fn tornado_table(t: &Tornado) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "tornado of {}: change of the mean index at {} against the scenario ({} runs, seed {}, common random numbers)",
        t.provenance.scenario.name, t.horizon, t.provenance.runs, t.provenance.seed
    );
    let _ = writeln!(
        s,
        "driver targets move ±0.2; uncertain parameters are fixed at their 10th and 90th percentiles"
    );
    let _ = writeln!(
        s,
        "each effect is a difference of two means over the same runs: an effect on the mean over\n\
         futures, not on the spread of possible futures; no interval is shown (for two scenarios,\n\
         compare gives the simulation error of the mean difference and its spread across futures)\n"
    );
    let names: Vec<&String> = t.base.keys().collect();
    let _ = write!(s, "  {:<50} {:>5}", "", "");
    for n in &names {
        let _ = write!(s, " {:>12}", short(n));
    }
    let _ = writeln!(s);
    let _ = write!(s, "  {:<50} {:>5}", "scenario mean", "");
    for n in &names {
        let _ = write!(s, " {:>12.2}", t.base[n.as_str()]);
    }
    let _ = writeln!(s);
    for b in &t.bars {
        for (label, effect, setting) in [
            ("low", &b.low, &b.low_setting),
            ("high", &b.high, &b.high_setting),
        ] {
            let name = if label == "low" { b.name.as_str() } else { "" };
            let _ = write!(s, "  {name:<50} {label:>5}");
            for n in &names {
                let _ = write!(s, " {:>+12.3}", effect[n.as_str()]);
            }
            let _ = writeln!(s, "   {setting}");
        }
    }
    s
}

fn short(name: &str) -> &str {
    name.get(..12).unwrap_or(name)
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
        "S1: share of the variance an input explains alone; ST: with its interactions; `shocks`: the drivers' shocks and jumps"
    );
    let _ = writeln!(
        s,
        "the variance is the spread of possible futures under the model; each 95% interval is the\n\
         simulation error of the index (bootstrap over the design's rows), which narrows as\n\
         --samples grows; an estimate slightly below 0 comes from that error\n"
    );
    let _ = writeln!(
        s,
        "  {:<48} {:>7} {:>18} {:>7} {:>18}",
        "input", "S1", "95% sim. interval", "ST", "95% sim. interval"
    );
    for (name, i) in &r.sobol {
        let _ = writeln!(
            s,
            "  {:<48} {:>7.3} {:>18} {:>7.3} {:>18}",
            name,
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
        "effects in composite points for a move across half a parameter's distribution;\n\
         mu*: importance; mu: direction; sigma: interactions or curvature\n\
         sigma is the spread of the effects across trajectories (interactions or curvature, and a\n\
         little simulation error from the runs each point averages), not the spread of futures;\n\
         no interval is shown\n"
    );
    let _ = writeln!(
        s,
        "  {:<48} {:>8} {:>8} {:>8}",
        "parameter", "mu*", "mu", "sigma"
    );
    for (name, e) in &m.effects {
        let _ = writeln!(
            s,
            "  {:<48} {:>8.3} {:>+8.3} {:>8.3}",
            name, e.mu_star, e.mu, e.sigma
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
