//! What a scenario assumes: every value it changes against its model, old
//! and new, with the evidence behind the numbers it touches.
//!
//! A student reading a what-if should see its assumptions before its
//! results. The scenario's model is compared with the model file as written,
//! parameter by parameter, so the list is complete by construction: nothing
//! a scenario can override escapes it. A change to a driver reaches the
//! indices through that driver's weights, so for every driver the scenario
//! touches the weights and their evidence are listed too.

use crate::input::LoadedScenario;
use crate::model::{EventAction, Evidence, Model, ParamPath, Scenario, Value};
use indexmap::IndexMap;
use serde::Serialize;

/// A quote and the id of the source it comes from (see [`Assumptions::sources`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cited {
    pub source: String,
    pub quote: String,
    /// What the quote backs (`sign`, `level`, `dynamics`, `magnitude`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One value the scenario sets differently from its model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// As the files write it, e.g. `drivers.sanctions.target`.
    pub path: String,
    /// The model's value, or "none" for something the scenario adds.
    pub model: String,
    pub scenario: String,
    /// The model's evidence for this number.
    pub evidence: Vec<Cited>,
}

/// A scheduled event, as the scenario states it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventNote {
    pub at: String,
    pub driver: String,
    /// `+0.1`, `-0.15` or `set 0.9`.
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A decision of the scenario (kernel 2): an actor's bias raised from a
/// period on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionNote {
    pub at: String,
    pub actor: String,
    /// The domain, or `None` for every domain.
    pub domain: Option<String>,
    pub bias_shift: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// How a driver the scenario touches reaches the indices: its weights in
/// the scenario, and the evidence behind them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DriverReach {
    pub driver: String,
    /// `(engagement.<actor>.<domain>, weight)` for every nonzero weight.
    pub weights: Vec<(String, String)>,
    pub evidence: Vec<Cited>,
}

/// Everything a scenario assumes beyond its model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assumptions {
    /// Nothing runs: `seed` and `runs` are the scenario's own.
    #[serde(flatten)]
    pub provenance: crate::result::Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub start: String,
    pub end: String,
    pub steps: usize,
    /// The evidence the scenario itself cites.
    pub cites: Vec<Cited>,
    pub changes: Vec<Change>,
    pub events: Vec<EventNote>,
    /// Kernel 2's decisions; absent from the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<DecisionNote>,
    pub drivers: Vec<DriverReach>,
    /// `(id, "title, publisher, date")` of every source cited above.
    pub sources: Vec<(String, String)>,
}

/// What `loaded` assumes beyond the model file it names.
pub fn assumptions(loaded: &LoadedScenario) -> Assumptions {
    let s = &loaded.scenario;
    let base = &loaded.base.model;
    let changes = changes(s, base);
    let events: Vec<EventNote> = s
        .events
        .iter()
        .map(|e| EventNote {
            at: e.at.to_string(),
            driver: s.model.drivers[e.driver].id.clone(),
            action: match e.action {
                EventAction::Shift(v) => format!("{v:+}"),
                EventAction::Set(v) => format!("set {v}"),
            },
            label: e.label.clone(),
        })
        .collect();
    let decisions = s
        .decisions
        .iter()
        .map(|d| DecisionNote {
            at: d.at.to_string(),
            actor: s.model.actors[d.actor].id.clone(),
            domain: d.domain.map(|k| s.model.domains[k].id.clone()),
            bias_shift: d.bias_shift,
            label: d.label.clone(),
        })
        .collect();
    let drivers = touched_drivers(s, &changes, &events)
        .into_iter()
        .map(|d| reach(&s.model, d))
        .collect();
    let mut a = Assumptions {
        provenance: crate::result::Provenance::new(loaded, s.seed, s.runs),
        title: s.title.clone(),
        description: s.description.clone(),
        start: s.start.to_string(),
        end: s.end().to_string(),
        steps: s.steps,
        cites: s.evidence.iter().map(|e| cited(&s.model, e)).collect(),
        changes,
        events,
        decisions,
        drivers,
        sources: Vec::new(),
    };
    a.sources = cited_sources(&a, &s.model);
    a
}

fn cited(model: &Model, e: &Evidence) -> Cited {
    Cited {
        source: model.sources[e.source].id.clone(),
        quote: e.quote.trim().to_owned(),
        kind: e.kind.map(|k| k.name()),
        note: e.note.clone(),
    }
}

/// The model's evidence entries that support a path satisfying `wanted`,
/// each once.
fn evidence_where(model: &Model, wanted: impl Fn(&ParamPath) -> bool) -> Vec<Cited> {
    let mut out: Vec<Cited> = Vec::new();
    for e in model.evidence() {
        // Validation has parsed every `supports` path; one that does not
        // parse supports nothing.
        let supports = |p: &String| p.parse::<ParamPath>().is_ok_and(|p| wanted(&p));
        if e.supports.iter().any(supports) {
            let c = cited(model, e);
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Every value of the scenario's model that differs from the base model, in
/// the order of [`Model::values`] after the start: thresholds, driver
/// targets, parameters (drivers, actors, engagement), domain weights.
fn changes(s: &Scenario, base: &Model) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |path: String, old: String, new: String, evidence: Vec<Cited>| {
        out.push(Change {
            path,
            model: old,
            scenario: new,
            evidence,
        });
    };
    if s.start != base.start {
        push(
            "scenario.start".into(),
            base.start.to_string(),
            s.start.to_string(),
            Vec::new(),
        );
    }
    let old_values: Vec<(ParamPath, Value)> = base.values().collect();
    for (path, new) in s.model.values() {
        // A keyframe's value is shown in its whole target's row.
        if matches!(path, ParamPath::DriverKeyframe { .. }) {
            continue;
        }
        // A scenario's thresholds stand beside its model, not in it.
        let new = match &path {
            ParamPath::Threshold { level, .. } => Value::Number(level.of(&s.thresholds)),
            _ => new,
        };
        let old = old_values.iter().find(|(p, _)| *p == path).map(|(_, v)| v);
        if old == Some(&new) {
            continue;
        }
        let evidence = evidence_where(base, |p| *p == path);
        let old = old.map_or_else(|| "none".to_owned(), Value::to_string);
        push(path.to_string(), old, new.to_string(), evidence);
    }
    out
}

/// Drivers whose own numbers or events the scenario changes, in model order.
fn touched_drivers<'m>(s: &'m Scenario, changes: &[Change], events: &[EventNote]) -> Vec<&'m str> {
    s.model
        .drivers
        .iter()
        .map(|d| d.id.as_str())
        .filter(|id| {
            let own = |c: &Change| {
                c.path
                    .parse::<ParamPath>()
                    .is_ok_and(|p| p.driver() == Some(*id))
            };
            changes.iter().any(own) || events.iter().any(|e| e.driver == *id)
        })
        .collect()
}

fn reach(model: &Model, driver: &str) -> DriverReach {
    let Some(d) = model.driver_index(driver) else {
        return DriverReach {
            driver: driver.to_owned(),
            weights: Vec::new(),
            evidence: Vec::new(),
        };
    };
    let mut weights = Vec::new();
    for (a, row) in model.actors.iter().zip(&model.engagement) {
        for (k, e) in model.domains.iter().zip(row) {
            if !e.weights[d].is_zero() {
                weights.push((
                    format!("engagement.{}.{}", a.id, k.id),
                    e.weights[d].to_string(),
                ));
            }
        }
    }
    DriverReach {
        driver: driver.to_owned(),
        weights,
        evidence: evidence_where(
            model,
            |p| matches!(p, ParamPath::EngagementWeight { driver: d, .. } if d == driver),
        ),
    }
}

fn cited_sources(a: &Assumptions, model: &Model) -> Vec<(String, String)> {
    let all = a
        .cites
        .iter()
        .chain(a.changes.iter().flat_map(|c| &c.evidence))
        .chain(a.drivers.iter().flat_map(|d| &d.evidence));
    let mut out: Vec<(String, String)> = Vec::new();
    for c in all {
        if !out.iter().any(|(id, _)| *id == c.source)
            && let Some(s) = model.sources.iter().find(|s| s.id == c.source)
        {
            out.push((s.id.clone(), s.citation()));
        }
    }
    out
}

/// One part of a change in target utility.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Component {
    /// `<driver> path`, `<driver> weight` or `bias`.
    pub name: String,
    /// Its share of the change, in logit units.
    pub value: f64,
}

/// Why one actor's target in one domain differs between two scenarios.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngagementAttribution {
    pub actor: String,
    pub domain: String,
    /// Expected target utility `bias + Σ w · mean x` in the base and the scenario.
    pub base_utility: f64,
    pub scenario_utility: f64,
    /// The parts, which add up to the difference exactly.
    pub components: Vec<Component>,
    /// `logistic` of the utilities: the targets the actor moves toward.
    pub base_target: f64,
    pub scenario_target: f64,
}

/// Why a scenario's indices differ from a base's at the horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attribution {
    /// The scenario explained; `runs` are the paired runs.
    #[serde(flatten)]
    pub provenance: crate::result::Provenance,
    pub base: String,
    pub period: String,
    /// Mean paired difference of each index at `period`, with its 95% interval.
    pub index_diff: IndexMap<String, [f64; 3]>,
    pub engagement: Vec<EngagementAttribution>,
}

/// Attributes the difference between `loaded` and `base` at the horizon:
/// each actor's target utility per domain, split exactly into each
/// driver's path effect (base weight × change of the driver's mean), each
/// weight's effect (change of weight × the scenario's mean driver) and the
/// change of bias; and the resulting index differences, from paired runs.
///
/// Utility is linear in the drivers and the weights are drawn apart from
/// the drivers, so the expected utility is `mean bias + Σ mean w · mean x`
/// and the split is exact in utility space.
pub fn attribution(
    loaded: &LoadedScenario,
    base: &LoadedScenario,
    options: crate::RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Attribution, crate::Error> {
    let (s, b) = (&loaded.scenario.model, &base.scenario.model);
    let ids = |m: &Model| m.drivers.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    let actors = |m: &Model| m.actors.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    if ids(s) != ids(b) || actors(s) != actors(b) {
        return Err(crate::error::ArgumentError::OtherModel {
            scenario: loaded.scenario.name.clone(),
            base: base.scenario.name.clone(),
        }
        .into());
    }
    let c = super::compare::compare(base, std::slice::from_ref(loaded), options, progress)?;
    let last = c.periods.len() - 1;
    let mean_x =
        |r: &crate::RunResult| -> Vec<f64> { r.drivers.values().map(|d| d.mean[last]).collect() };
    let (xb, xs) = (mean_x(&c.results[0]), mean_x(&c.results[1]));
    let logistic = crate::sim::transition::logistic;
    let mut engagement = Vec::new();
    for (a, actor) in s.actors.iter().enumerate() {
        for (k, domain) in s.domains.iter().enumerate() {
            let (es, eb) = (&s.engagement[a][k], &b.engagement[a][k]);
            let utility = |bias: f64, w: &[crate::model::Param], x: &[f64]| {
                bias + w.iter().zip(x).map(|(w, x)| w.mean() * x).sum::<f64>()
            };
            let ub = utility(eb.bias.mean(), &eb.weights, &xb);
            let us = utility(es.bias.mean(), &es.weights, &xs);
            let mut components = Vec::new();
            for (d, driver) in s.drivers.iter().enumerate() {
                let (wb, ws) = (eb.weights[d].mean(), es.weights[d].mean());
                let path = wb * (xs[d] - xb[d]);
                let weight = (ws - wb) * xs[d];
                if path != 0.0 {
                    components.push(Component {
                        name: format!("{} path", driver.id),
                        value: path,
                    });
                }
                if weight != 0.0 {
                    components.push(Component {
                        name: format!("{} weight", driver.id),
                        value: weight,
                    });
                }
            }
            let bias = es.bias.mean() - eb.bias.mean();
            if bias != 0.0 {
                components.push(Component {
                    name: "bias".into(),
                    value: bias,
                });
            }
            engagement.push(EngagementAttribution {
                actor: actor.id.clone(),
                domain: domain.id.clone(),
                base_utility: ub,
                scenario_utility: us,
                components,
                base_target: logistic(ub),
                scenario_target: logistic(us),
            });
        }
    }
    let compared = &c.compared[0];
    let index_diff = compared
        .indices
        .iter()
        .map(|(n, p)| {
            (
                n.clone(),
                [p.mean_diff[last], p.ci_low[last], p.ci_high[last]],
            )
        })
        .collect();
    Ok(Attribution {
        provenance: crate::result::Provenance::new(loaded, options.seed, options.runs),
        base: base.scenario.name.clone(),
        period: c.periods[last].clone(),
        index_diff,
        engagement,
    })
}
