//! The shipped model and scenarios: they load, the built-in copies are the
//! files, and every quote is verbatim from the document it cites.

use crate::common::root;
use coopsim::input::{self, ModelSearch};
use coopsim::model::{Evidence, Model};
use coopsim::output::{Export, JsonExport};
use coopsim::{RunOptions, run};
use std::collections::HashSet;
use std::path::PathBuf;

fn shipped(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_model_and_scenario_is_valid() {
    let files: Vec<PathBuf> = shipped("models")
        .into_iter()
        .chain(shipped("scenarios"))
        .collect();
    assert!(files.len() >= 2);
    for path in files {
        if let Err(e) = input::check_file(&path, &ModelSearch::default()) {
            panic!("{}: {e}", path.display());
        }
    }
}

/// The model has the actors, domains and drivers SPEC names, quarterly.
#[test]
fn the_shipped_model_has_what_spec_names() {
    let m = input::load_model(&root("models/pakistan_russia.toml"))
        .unwrap()
        .model;
    let ids = |v: Vec<&str>| v.join(",");
    assert_eq!(
        ids(m.actors.iter().map(|a| a.id.as_str()).collect()),
        "pakistan,russia"
    );
    assert_eq!(
        ids(m.domains.iter().map(|d| d.id.as_str()).collect()),
        "diplomatic,economic,energy,security,connectivity"
    );
    for driver in ["sanctions", "india_ties", "cpec", "afghanistan", "energy"] {
        let d = &m.drivers[m.driver_index(driver).expect(driver)];
        assert!(d.meaning.is_some(), "{driver} says what 0 and 1 mean");
        assert!(d.dynamics.is_some(), "{driver} explains its dynamics");
        assert!(!d.evidence.is_empty(), "{driver} has evidence");
    }
    assert_eq!(m.steps_per_year, 4);
}

/// `coopsim run` with no scenario gives the same bytes as the shipped files.
#[test]
fn the_built_in_baseline_is_the_shipped_file() {
    let builtin = input::builtin_baseline().unwrap();
    let file =
        input::load_scenario(&root("scenarios/baseline.toml"), &ModelSearch::default()).unwrap();
    assert_eq!(builtin.sha256, file.sha256, "scenario bytes");
    assert_eq!(builtin.base.sha256, file.base.sha256, "model bytes");
    let options = RunOptions {
        runs: 500,
        seed: 1,
        threads: 0,
    };
    assert_eq!(
        JsonExport.render(&run(&builtin, options, &|_| {})),
        JsonExport.render(&run(&file, options, &|_| {}))
    );
}

/// Quotes are compared after collapsing whitespace (the documents wrap
/// lines) and removing the backslash of Markdown-escaped `\$`.
fn normalise(text: &str) -> String {
    text.replace("\\$", "$")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every quote appears word for word in the document its source names, in
/// the models and in the scenarios. The documents are not shipped: the test
/// reads them from the folder in `COOPSIM_SOURCES` (CI sets it) and says so
/// when the variable is unset.
#[test]
fn every_quote_is_verbatim_from_its_source_document() {
    let Some(folder) = std::env::var_os("COOPSIM_SOURCES").map(PathBuf::from) else {
        eprintln!("COOPSIM_SOURCES is unset: quotes not checked against the source documents");
        return;
    };
    let mut cited: Vec<(String, Model, Vec<Evidence>)> = Vec::new();
    for path in shipped("models") {
        let m = input::load_model(&path).unwrap().model;
        let evidence = m.evidence().cloned().collect();
        cited.push((path.display().to_string(), m, evidence));
    }
    for path in shipped("scenarios") {
        let s = input::load_scenario(&path, &ModelSearch::default())
            .unwrap()
            .scenario;
        cited.push((path.display().to_string(), s.model, s.evidence));
    }
    let mut failures = Vec::new();
    for (file, model, evidence) in &cited {
        for e in evidence {
            let source = &model.sources[e.source];
            let Some(name) = &source.file else {
                failures.push(format!("{file}: source {} names no file", source.id));
                continue;
            };
            let text = std::fs::read_to_string(folder.join(name))
                .unwrap_or_else(|err| panic!("{}: {err}", folder.join(name).display()));
            if !normalise(&text).contains(&normalise(&e.quote)) {
                failures.push(format!("{file}: {}: {:?}", source.id, e.quote));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "quotes not found verbatim:\n{}",
        failures.join("\n")
    );
}

/// Every number a reader would ask "why?" of is named in the `supports` of
/// at least one evidence entry: each initial engagement, each nonzero bias,
/// each nonzero weight, and each driver's initial value.
#[test]
fn every_engagement_number_is_supported_by_evidence() {
    for path in shipped("models") {
        let m = input::load_model(&path).unwrap().model;
        let supported: HashSet<&str> = m
            .evidence()
            .flat_map(|e| e.supports.iter().map(String::as_str))
            .collect();
        let mut needed: Vec<String> = m
            .drivers
            .iter()
            .map(|d| format!("drivers.{}.initial", d.id))
            .collect();
        for (a, row) in m.actors.iter().zip(&m.engagement) {
            for (k, e) in m.domains.iter().zip(row) {
                let p = format!("engagement.{}.{}", a.id, k.id);
                needed.push(format!("{p}.initial"));
                if !e.bias.is_zero() {
                    needed.push(format!("{p}.bias"));
                }
                for (d, w) in m.drivers.iter().zip(&e.weights) {
                    if !w.is_zero() {
                        needed.push(format!("{p}.weights.{}", d.id));
                    }
                }
            }
        }
        let missing: Vec<&String> = needed
            .iter()
            .filter(|p| !supported.contains(p.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: no evidence supports:\n{}",
            path.display(),
            missing
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Quotes are short: the project ships citations, not the articles.
#[test]
fn quotes_are_short() {
    for path in shipped("models") {
        let m = input::load_model(&path).unwrap().model;
        for e in m.evidence() {
            let words = e.quote.split_whitespace().count();
            assert!(words <= 45, "{words} words: {:?}", e.quote);
        }
    }
}

/// The baseline composite starts in the band the evidence supports
/// (docs/model.md: between estrangement at 30 and about 45), with trade the
/// weakest domain and diplomacy the strongest.
#[test]
fn the_baseline_starts_in_the_evidenced_band() {
    let loaded = input::builtin_baseline().unwrap();
    let (plan, out) = crate::common::trajectory(&loaded, 1, 0);
    let composite = out[0];
    assert!(
        (30.0..=45.0).contains(&composite),
        "composite at 2026Q1: {composite}"
    );
    let domains = &out[1..plan.n_index_series()];
    let order: Vec<&str> = loaded
        .scenario
        .model
        .domains
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    let at = |id: &str| domains[order.iter().position(|d| *d == id).unwrap()];
    for other in ["diplomatic", "energy", "security", "connectivity"] {
        assert!(at("economic") < at(other), "trade is the weakest domain");
    }
    for other in ["economic", "energy", "security", "connectivity"] {
        assert!(at("diplomatic") > at(other), "diplomacy is the strongest");
    }
}

/// Biases are calibrated so that, at the drivers' initial values, every
/// target equals its initial engagement (to the rounding of the bias to two
/// decimals): the baseline starts at rest.
#[test]
fn biases_put_every_target_at_its_initial_engagement() {
    let m = input::load_model(&root("models/pakistan_russia.toml"))
        .unwrap()
        .model;
    let x: Vec<f64> = m.drivers.iter().map(|d| d.initial.mean()).collect();
    for (a, row) in m.actors.iter().zip(&m.engagement) {
        for (k, e) in m.domains.iter().zip(row) {
            let u = e.bias.mean()
                + e.weights
                    .iter()
                    .zip(&x)
                    .map(|(w, x)| w.mean() * x)
                    .sum::<f64>();
            let target = coopsim::sim::kernel::logistic(u);
            let initial = e.initial.mean();
            // A bias rounded to 0.005 moves the target by at most 0.005 / 4.
            assert!(
                (target - initial).abs() <= 0.00125 + 1e-12,
                "{}.{}: target {target} against initial {initial}",
                a.id,
                k.id
            );
        }
    }
}
