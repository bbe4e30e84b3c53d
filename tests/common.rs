//! Shared helpers: building models and scenarios from text, running single
//! trajectories, and float comparisons.

#![allow(dead_code)]

use coopsim::input::{self, LoadedModel, LoadedScenario};
use coopsim::sim::Plan;
use coopsim::sim::kernel::{Workspace, simulate};
use std::path::{Path, PathBuf};

/// The folder of test data.
pub fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// The project folder.
pub fn root(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A model from TOML text; panics with the diagnostics if it is invalid.
pub fn model(text: &str) -> LoadedModel {
    input::parse_model("test-model.toml", text.as_bytes()).unwrap_or_else(|d| panic!("{d}"))
}

/// A scenario on the given model text; panics with the diagnostics if invalid.
pub fn scenario(model_text: &str, scenario_text: &str) -> LoadedScenario {
    input::parse_scenario_on(
        "test-scenario.toml",
        scenario_text.as_bytes(),
        model(model_text),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The values of one run: `out[t * n_series + s]`.
pub fn trajectory(loaded: &LoadedScenario, seed: u64, run: u64) -> (Plan, Vec<f64>) {
    let plan = Plan::new(&loaded.scenario, seed);
    let mut ws = Workspace::new(&plan);
    let mut out = vec![0.0; plan.n_series() * plan.n_periods()];
    simulate(&plan, run, &mut ws, &mut out);
    (plan, out)
}

/// Asserts `|a - b| <= tol`, naming what was compared.
#[track_caller]
pub fn assert_close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (difference {}, tolerance {tol})",
        (got - want).abs()
    );
}

/// A model header and two actors with one domain, for hand-computed tests;
/// append drivers and engagement tables.
pub const HEADER: &str = r#"
[model]
id = "hand"
kernel = 1
steps_per_year = 4
start = "2026Q1"
thresholds = { low = 30.0, high = 60.0 }
"#;
