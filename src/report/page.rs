//! The report page: what the template shows, gathered from the analyses
//! as text (numbers formatted here, so the template only lays out), and
//! the template's rendering.
//!
//! The template (`report.html`) is rendered by minijinja with HTML
//! auto-escaping: every value is escaped unless it is a chart's SVG, which
//! plotters writes with its own text escaped. Nothing in the page refers to
//! another file or the network: charts are inline SVG and the style sheet
//! is in the page.

use super::Analyses;
use crate::analysis::backtest::Summary;
use crate::analysis::explain::{Assumptions, Cited};
use crate::error::Error;
use crate::result::COMPOSITE;
use serde::Serialize;

/// The page's template.
const TEMPLATE: &str = include_str!("report.html");

/// A chart on the page: its title (as the figure's caption) and its SVG.
#[derive(Serialize)]
struct Figure {
    id: String,
    title: String,
    svg: String,
}

/// A table: its caption, header and rows of cells.
#[derive(Serialize)]
struct Table {
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// One scenario's section.
#[derive(Serialize)]
struct ScenarioView {
    name: String,
    title: String,
    description: String,
    figures: Vec<Figure>,
    assumptions: AssumptionsView,
}

/// What a scenario assumes, as the report lists it.
#[derive(Serialize)]
struct AssumptionsView {
    start: String,
    end: String,
    cites: Vec<String>,
    changes: Vec<ChangeView>,
    events: Vec<String>,
    decisions: Vec<String>,
    sources: Vec<(String, String)>,
}

#[derive(Serialize)]
struct ChangeView {
    path: String,
    model: String,
    scenario: String,
    evidence: Vec<String>,
}

/// The whole page.
#[derive(Serialize)]
struct Page {
    title: String,
    scenarios: Vec<ScenarioView>,
    overlay: Option<Figure>,
    comparison: Option<(Vec<Figure>, Table)>,
    scores: Option<Table>,
    tornado: (Figure, Table),
    backtest: Option<(Figure, Table)>,
    provenance: Vec<(String, String)>,
}

fn figure(chart: &crate::chart::Chart, id: String) -> Result<Figure, Error> {
    Ok(Figure {
        id,
        title: chart.title.clone(),
        svg: chart.svg()?,
    })
}

fn cited(c: &Cited) -> String {
    let kind = c.kind.map(|k| format!(" ({k})")).unwrap_or_default();
    let note = c
        .note
        .as_ref()
        .map(|n| format!(" — {n}"))
        .unwrap_or_default();
    format!("[{}]{kind} “{}”{note}", c.source, c.quote)
}

fn assumptions_view(a: &Assumptions) -> AssumptionsView {
    AssumptionsView {
        start: a.start.clone(),
        end: a.end.clone(),
        cites: a.cites.iter().map(cited).collect(),
        changes: a
            .changes
            .iter()
            .map(|c| ChangeView {
                path: c.path.clone(),
                model: c.model.clone(),
                scenario: c.scenario.clone(),
                evidence: c.evidence.iter().map(cited).collect(),
            })
            .collect(),
        events: a
            .events
            .iter()
            .map(|e| {
                let label = e
                    .label
                    .as_ref()
                    .map(|l| format!(": {l}"))
                    .unwrap_or_default();
                format!("{} {} {}{label}", e.at, e.driver, e.action)
            })
            .collect(),
        decisions: a
            .decisions
            .iter()
            .map(|d| {
                let domain = d.domain.as_deref().unwrap_or("every domain");
                let label = d
                    .label
                    .as_ref()
                    .map(|l| format!(": {l}"))
                    .unwrap_or_default();
                format!(
                    "{} {} bias in {domain} {:+}{label}",
                    d.at, d.actor, d.bias_shift
                )
            })
            .collect(),
        sources: a.sources.clone(),
    }
}

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

fn signed(x: f64) -> String {
    format!("{x:+.2}")
}

fn comparison_table(c: &crate::analysis::compare::Comparison) -> Table {
    let last = c.periods.len().saturating_sub(1);
    let horizon = c.periods.get(last).cloned().unwrap_or_default();
    let rows = c
        .compared
        .iter()
        .filter_map(|(name, comp)| {
            let s = comp.indices.get(COMPOSITE)?;
            Some(vec![
                name.clone(),
                signed(s.mean_diff[last]),
                format!("[{}, {}]", signed(s.ci_low[last]), signed(s.ci_high[last])),
                format!(
                    "{} to {}",
                    signed(s.diff_p05[last]),
                    signed(s.diff_p95[last])
                ),
                f2(s.p_greater[last]),
            ])
        })
        .collect();
    Table {
        caption: format!(
            "Composite index at {horizon}, each scenario minus {} in the same runs",
            c.provenance.scenario.name
        ),
        header: vec![
            "scenario".into(),
            "mean difference".into(),
            "95% simulation interval of the mean (simulation error)".into(),
            "p05 to p95 of the difference (spread of futures)".into(),
            "P(>) share of futures ahead (spread of futures)".into(),
        ],
        rows,
    }
}

fn scores_table(s: &crate::analysis::score::Scores) -> Table {
    let mut cards: Vec<_> = s.scorecards.iter().collect();
    cards.sort_by_key(|c| c.rank);
    let rows = cards
        .iter()
        .filter_map(|c| {
            let h = &c.indices.get(COMPOSITE)?.horizon;
            Some(vec![
                c.rank.to_string(),
                c.scenario.name.clone(),
                f1(h.mean),
                f1(h.p50),
                format!("{} to {}", f1(h.p05), f1(h.p95)),
                f2(h.p_partnership),
                f2(h.p_estrangement),
                f1(h.cvar10),
            ])
        })
        .collect();
    Table {
        caption: format!(
            "Scorecards: composite index at {}, ranked by its mean",
            s.horizon
        ),
        header: vec![
            "rank".into(),
            "scenario".into(),
            "mean".into(),
            "median".into(),
            "p05 to p95 of runs (spread of futures)".into(),
            format!(
                "P(partnership, ≥ {}) (spread of futures)",
                s.thresholds.high
            ),
            format!(
                "P(estrangement, ≤ {}) (spread of futures)",
                s.thresholds.low
            ),
            "mean of the worst 10% of runs".into(),
        ],
        rows,
    }
}

fn tornado_table(t: &crate::analysis::sensitivity::tornado::Tornado) -> Table {
    let rows = t
        .bars
        .iter()
        .take(crate::chart::TORNADO_BARS)
        .map(|b| {
            let e = |m: &indexmap::IndexMap<String, f64>| {
                m.get(COMPOSITE).copied().map(signed).unwrap_or_default()
            };
            vec![
                b.name.clone(),
                b.low_setting.clone(),
                e(&b.low),
                b.high_setting.clone(),
                e(&b.high),
            ]
        })
        .collect();
    Table {
        caption: format!(
            "The widest bars: change of the mean composite index at {} (differences of means over the same runs; no interval)",
            t.horizon
        ),
        header: vec![
            "setting".into(),
            "low".into(),
            "effect".into(),
            "high".into(),
            "effect".into(),
        ],
        rows,
    }
}

fn backtest_table(b: &crate::analysis::backtest::Backtest) -> Table {
    let row = |label: String, s: &Summary| {
        vec![
            label,
            s.n.to_string(),
            f2(s.crps),
            f2(s.crps_persistence),
            f2(s.crps_climatology),
            f2(s.skill_vs_persistence),
            f2(s.skill_vs_climatology),
            f2(s.coverage_50),
            f2(s.coverage_90),
        ]
    };
    let mut rows = Vec::new();
    if let Some(s) = &b.summary {
        rows.push(row("all".into(), s));
    }
    for (k, s) in b.by_index.iter().chain(&b.by_grade) {
        rows.push(row(k.clone(), s));
    }
    Table {
        caption: format!(
            "Scores against {} (docs/backtest.md); coverage is the share of observations inside the runs' central band (spread of futures)",
            b.observed.title
        ),
        header: vec![
            "observations".into(),
            "n".into(),
            "CRPS".into(),
            "CRPS persistence".into(),
            "CRPS climatology".into(),
            "skill vs persistence".into(),
            "skill vs climatology".into(),
            "coverage of p25–p75".into(),
            "coverage of p05–p95".into(),
        ],
        rows,
    }
}

fn provenance(a: &Analyses) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(first) = a.results.first() {
        let p = &first.provenance;
        out.push(("coopsim".into(), p.coopsim.clone()));
        out.push(("kernel".into(), p.kernel.to_string()));
        out.push((
            "model".into(),
            format!("{} (sha256 {})", p.model.id, p.model.sha256),
        ));
    }
    for r in &a.results {
        let s = &r.provenance.scenario;
        out.push((
            format!("scenario {}", s.name),
            format!("sha256 {}", s.sha256),
        ));
    }
    if let Some(b) = &a.backtest {
        out.push((
            "observations".into(),
            format!("{} (sha256 {})", b.observed.title, b.observed.sha256),
        ));
    }
    out.push(("seed".into(), a.options.seed.to_string()));
    out.push((
        "runs".into(),
        format!("{} per scenario and per tornado variant", a.options.runs),
    ));
    out.push((
        "generator".into(),
        "ChaCha8 (rand_chacha), one stream per (seed, run, name), keyed by SHA-256".into(),
    ));
    out
}

/// The report of `analyses` as one self-contained HTML page.
pub fn html(analyses: &Analyses) -> Result<String, Error> {
    let charts = analyses.charts();
    let mut scenarios = Vec::new();
    for (i, (r, a)) in analyses
        .results
        .iter()
        .zip(&analyses.assumptions)
        .enumerate()
    {
        let name = &r.provenance.scenario.name;
        let figures = charts
            .iter()
            .filter(|p| p.scenario.as_ref() == Some(name))
            .map(|p| figure(&p.chart, format!("s{i}-{}", p.chart.file)))
            .collect::<Result<Vec<_>, Error>>()?;
        scenarios.push(ScenarioView {
            name: name.clone(),
            title: a.title.clone().unwrap_or_else(|| name.clone()),
            description: a.description.clone().unwrap_or_default(),
            figures,
            assumptions: assumptions_view(a),
        });
    }
    let shared = |file: &str| {
        charts
            .iter()
            .find(|p| p.scenario.is_none() && p.chart.file == file)
    };
    let overlay = shared("overlay")
        .map(|p| figure(&p.chart, "overlay".into()))
        .transpose()?;
    let comparison = match &analyses.comparison {
        Some(c) => {
            let figures = charts
                .iter()
                .filter(|p| p.scenario.is_none() && p.chart.file.starts_with("compare-"))
                .map(|p| figure(&p.chart, p.chart.file.clone()))
                .collect::<Result<Vec<_>, Error>>()?;
            Some((figures, comparison_table(c)))
        }
        None => None,
    };
    let tornado_chart = crate::chart::Chart::tornado(&analyses.tornado, COMPOSITE);
    let tornado = (
        figure(&tornado_chart, "tornado".into())?,
        tornado_table(&analyses.tornado),
    );
    let backtest = match (&analyses.backtest, shared("backtest")) {
        (Some(b), Some(p)) => Some((figure(&p.chart, "backtest".into())?, backtest_table(b))),
        _ => None,
    };
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let page = Page {
        title: format!("coopsim report: {}", names.join(", ")),
        scenarios,
        overlay,
        comparison,
        scores: analyses.scores.as_ref().map(scores_table),
        tornado,
        backtest,
        provenance: provenance(analyses),
    };
    render(&page)
}

fn render(page: &Page) -> Result<String, Error> {
    let template_error = |e: minijinja::Error| Error::Write {
        path: "report.html".into(),
        source: std::io::Error::other(format!("the report template failed: {e}")),
    };
    let mut env = minijinja::Environment::new();
    // `.html` templates are auto-escaped by minijinja's default callback.
    env.add_template("report.html", TEMPLATE)
        .map_err(template_error)?;
    env.get_template("report.html")
        .and_then(|t| t.render(page))
        .map_err(template_error)
}
