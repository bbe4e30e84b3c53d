//! `explain`: every value a scenario changes, old and new, with evidence.

use crate::common::{SHIPPED_SCENARIOS, baseline, scenario, shipped, tiny_model};
use coopsim::analysis::explain::assumptions;

#[test]
fn every_kind_of_override_is_listed_with_old_and_new_values() {
    let s = scenario(
        &tiny_model(),
        r#"[scenario]
name = "s"
model = "tiny"
start = "2026Q3"
steps = 8
thresholds = { low = 25.0, high = 60.0 }
[drivers.pressure]
target = [{ at = "2026Q1", value = 0.7 }, { at = "2027Q1", value = 0.9 }]
volatility = 0.2
[[drivers.pressure.jumps]]
name = "shock"
rate = 0.5
[[drivers.ties.jumps]]
name = "thaw"
rate = 0.1
size = 0.2
[actors.b]
reciprocity = { dist = "uniform", low = 0.3, high = 0.7 }
[domains.talks]
weight = 2.0
[engagement.a.trade]
bias = -0.5
[engagement.a.trade.weights]
pressure = -2.0
[[events]]
at = "2027Q1"
driver = "ties"
set = 0.9
"#,
    );
    let a = assumptions(&s);
    let got: Vec<(&str, &str, &str)> = a
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.model.as_str(), c.scenario.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("scenario.start", "2026Q1", "2026Q3"),
            ("model.thresholds.low", "30", "25"),
            (
                "drivers.pressure.target",
                "0.7",
                "0.7 at 2026Q1 → 0.9 at 2027Q1"
            ),
            ("drivers.pressure.volatility", "0.1", "0.2"),
            ("drivers.pressure.jumps.shock.rate", "0.2", "0.5"),
            ("drivers.ties.jumps.thaw.rate", "none", "0.1"),
            ("drivers.ties.jumps.thaw.size", "none", "0.2"),
            ("actors.b.reciprocity", "0.5", "uniform(0.3, 0.7)"),
            ("engagement.a.trade.bias", "-0.2", "-0.5"),
            ("engagement.a.trade.weights.pressure", "-1", "-2"),
            ("domains.talks.weight", "1", "2"),
        ],
        "rule: explain lists every value a scenario changes, by path, with the model's \
         value and the scenario's (\"none\" for an addition), in model order: start, \
         thresholds, targets, driver parameters, actors, engagement, domain weights; \
         fix: changes() in src/analysis/explain.rs, or the walk Model::values in \
         src/model/path.rs"
    );
    let weight = &a.changes[9];
    assert_eq!(
        weight.evidence.len(),
        1,
        "rule: a change carries the model's evidence for that number (tiny.toml's \
         pressure evidence supports engagement.a.trade.weights.pressure); fix: \
         evidence_where in src/analysis/explain.rs"
    );
    assert_eq!(
        weight.evidence[0].quote, "pressure is rising",
        "rule: a change's evidence is the model's quote, trimmed; fix: cited() in \
         src/analysis/explain.rs"
    );
    assert_eq!(
        a.events.len(),
        1,
        "rule: explain lists each of the scenario's events; fix: assumptions() in \
         src/analysis/explain.rs"
    );
    assert_eq!(
        (a.events[0].driver.as_str(), a.events[0].action.as_str()),
        ("ties", "set 0.9"),
        "rule: an event is listed with its driver and action as written (`set 0.9`, or \
         a signed shift); fix: the EventNote of assumptions() in src/analysis/explain.rs"
    );
    let touched: Vec<&str> = a.drivers.iter().map(|d| d.driver.as_str()).collect();
    assert_eq!(
        touched,
        ["pressure", "ties"],
        "rule: explain shows how each driver whose own numbers or events change reaches \
         the indices, in model order; fix: touched_drivers in src/analysis/explain.rs"
    );
    assert_eq!(
        a.sources,
        [(
            "doc".to_owned(),
            "A test document, Test press, 2026".to_owned()
        )],
        "rule: explain lists each cited source once, as \"title, publisher, date\"; \
         fix: cited_sources in src/analysis/explain.rs, or Source::citation in src/model/mod.rs"
    );
}

#[test]
fn the_baseline_changes_nothing() {
    let a = assumptions(&baseline());
    assert!(
        a.changes.is_empty() && a.events.is_empty() && a.drivers.is_empty(),
        "rule: the baseline is the model as it stands and changes nothing; explain lists \
         {:?} and events {:?}; fix: remove the overrides from scenarios/baseline.toml",
        a.changes
            .iter()
            .map(|c| c.path.as_str())
            .collect::<Vec<_>>(),
        a.events
            .iter()
            .map(|e| e.driver.as_str())
            .collect::<Vec<_>>()
    );
}

/// Every shipped what-if (each of `SHIPPED_SCENARIOS` but the baseline)
/// changes something, cites evidence, says what it is, and every change it
/// makes to a driver is explained by that driver's evidence. Files a user
/// saves in `scenarios/` are not held to this.
#[test]
fn every_shipped_what_if_states_its_assumptions() {
    for name in SHIPPED_SCENARIOS.iter().filter(|n| **n != "baseline") {
        let a = assumptions(&shipped(name));
        let file = format!("scenarios/{name}.toml");
        assert!(
            !a.changes.is_empty() || !a.decisions.is_empty(),
            "rule: every shipped what-if changes at least one value against its model, or \
             takes a decision, which lasts (coopsim explain {file} lists neither; driver \
             events alone are shocks that fade); \
             fix: add the change to {file}, or remove {name:?} from SHIPPED_SCENARIOS in \
             tests/common.rs"
        );
        assert!(
            !a.cites.is_empty(),
            "rule: every shipped what-if cites evidence for what it assumes ({file} has no \
             [[evidence]]); fix: add an [[evidence]] entry quoting its source"
        );
        assert!(
            a.title.is_some() && a.description.is_some(),
            "rule: every shipped what-if says what it is ({file} lacks a title or a \
             description); fix: add `title` and `description` to its [scenario] table"
        );
        for d in &a.drivers {
            assert!(
                !d.evidence.is_empty(),
                "rule: every driver a shipped what-if changes has evidence ({file} changes \
                 {} and no evidence speaks of it); fix: add evidence for the driver to the \
                 model or the scenario",
                d.driver
            );
        }
    }
}

/// The parts of each utility change add up to it exactly, and each part is
/// a weight times a change of mean driver, or a change of weight times the
/// scenario's mean driver, or a change of bias.
#[test]
fn attribution_splits_utility_changes_exactly() {
    use coopsim::RunOptions;
    use coopsim::analysis::explain::attribution;
    let model = tiny_model();
    let base = scenario(
        &model,
        "[scenario]\nname = \"base\"\nmodel = \"tiny\"\nend = \"2028Q4\"\n",
    );
    let other = scenario(
        &model,
        "[scenario]\nname = \"other\"\nmodel = \"tiny\"\nend = \"2028Q4\"\n\
         [drivers.pressure]\ntarget = 0.2\n\
         [engagement.a.trade]\nbias = 0.3\n[engagement.a.trade.weights]\nties = 1.5\n",
    );
    let options = RunOptions {
        runs: 2000,
        seed: 5,
        threads: 0,
    };
    let a = attribution(&other, &base, options, &|_| {}).unwrap_or_else(|e| {
        panic!(
            "rule: two scenarios on the same model can be attributed; got {e}; fix: \
             attribution() in src/analysis/explain.rs"
        )
    });
    for e in &a.engagement {
        let sum: f64 = e.components.iter().map(|c| c.value).sum();
        assert!(
            (e.base_utility + sum - e.scenario_utility).abs() < 1e-12,
            "rule: the parts of a utility change add up to it exactly (within 1e-12); \
             {}.{}: base {} + parts {sum} against scenario {}; fix: attribution() in \
             src/analysis/explain.rs must split every term (path, weight, bias) and drop \
             none that is nonzero",
            e.actor,
            e.domain,
            e.base_utility,
            e.scenario_utility
        );
    }
    let find = |actor: &str, domain: &str| {
        a.engagement
            .iter()
            .find(|e| e.actor == actor && e.domain == domain)
            .unwrap_or_else(|| {
                panic!(
                    "rule: attribution covers every actor and domain; {actor}.{domain} is \
                     missing; fix: attribution() in src/analysis/explain.rs"
                )
            })
    };
    let trade = find("a", "trade");
    let names: Vec<&str> = trade.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["pressure path", "ties weight", "bias"],
        "rule: a.trade's change splits into the pressure path (its target changed), the \
         ties weight (its weight changed) and the bias, drivers in model order, bias last; \
         fix: attribution() in src/analysis/explain.rs"
    );
    let bias = trade.components[2].value;
    assert!(
        (bias - 0.5).abs() < 1e-12,
        "rule: the bias part is the change of bias, -0.2 → 0.3 = 0.5; got {bias}; fix: \
         attribution() in src/analysis/explain.rs"
    );
    assert!(
        trade.components[0].value > 0.0,
        "rule: a path part is the base weight times the change of the driver's mean, so \
         weight -1 × a lower pressure is positive; got {}; fix: `wb * (xs[d] - xb[d])` in \
         attribution() (src/analysis/explain.rs)",
        trade.components[0].value
    );
    assert!(
        a.index_diff["trade"][0] > 0.0,
        "rule: a's higher trade utility raises the trade index (mean paired difference \
         at the horizon); got {:?}; fix: index_diff must come from the paired comparison \
         in attribution() (src/analysis/explain.rs, src/analysis/compare.rs)",
        a.index_diff["trade"]
    );
    let untouched = find("b", "trade");
    assert!(
        untouched.components.is_empty(),
        "rule: attribution lists only nonzero parts; b's trade weights only ties, whose \
         path is the same in both, so it has none; got {:?}; fix: attribution() in \
         src/analysis/explain.rs must skip zero parts",
        untouched.components
    );
}
