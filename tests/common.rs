//! Shared helpers: the shipped files the suite checks, loading models and
//! scenarios from files or text, the tiny test model, the command line,
//! single trajectories, and float comparisons.
//!
//! Assertion messages in this suite name the rule that was broken and how
//! to fix it, so that a failure reads as a broken rule, not a statement.

#![allow(dead_code)]

use assert_cmd::Command;
use coopsim::input::{self, LoadedModel, LoadedScenario, ModelSearch};
use coopsim::sim::Plan;
use coopsim::sim::kernel::{Workspace, simulate};
use std::path::{Path, PathBuf};

/// The scenarios the project ships, by file stem under `scenarios/`: the
/// ones the suite holds to the shipped rules (valid, verbatim quotes, stated
/// assumptions). A user's own file saved in `scenarios/` is not on this list
/// and so never breaks the suite. Adding a shipped scenario means adding it
/// here and to the table in docs/scenarios.md (a test keeps the two equal).
pub const SHIPPED_SCENARIOS: &[&str] = &[
    "baseline",
    "sanctions-escalation",
    "sanctions-relief",
    "india-pivot",
    "us-india-drift",
    "cpec-stall",
    "cpec-russia-joins",
    "afghanistan-destabilises",
    "afghanistan-stabilises",
    "pakistan-stream-built",
    "energy-deal-collapses",
    "multipolar-acceleration",
    "sanctions-cpec-stall",
    "ukraine-settlement",
    "russia-arms-sales",
];

/// The models the project ships, by file stem under `models/`.
pub const SHIPPED_MODELS: &[&str] = &["pakistan_russia"];

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

/// The file of a shipped scenario, by name.
pub fn shipped_scenario_path(name: &str) -> PathBuf {
    root(&format!("scenarios/{name}.toml"))
}

/// The file of a shipped model, by id.
pub fn shipped_model_path(id: &str) -> PathBuf {
    root(&format!("models/{id}.toml"))
}

/// A scenario file, its model found the way the command line finds it.
#[track_caller]
pub fn load(path: &Path) -> LoadedScenario {
    input::load_scenario(path, &ModelSearch::default()).unwrap_or_else(|e| {
        panic!(
            "rule: a scenario the suite uses loads without errors; {}: {e}; \
             fix: correct the file (coopsim check {0} shows every problem)",
            path.display()
        )
    })
}

/// A shipped scenario, by name.
#[track_caller]
pub fn shipped(name: &str) -> LoadedScenario {
    load(&shipped_scenario_path(name))
}

/// The shipped baseline, read from `scenarios/baseline.toml`.
#[track_caller]
pub fn baseline() -> LoadedScenario {
    shipped("baseline")
}

/// The baseline built into the binary (what `coopsim run` runs without a file).
#[track_caller]
pub fn builtin() -> LoadedScenario {
    input::builtin_baseline().unwrap_or_else(|e| {
        panic!(
            "rule: the built-in baseline and model load without errors; {e}; fix: correct \
             scenarios/baseline.toml or models/pakistan_russia.toml, which the binary embeds"
        )
    })
}

/// A shipped model, by id.
#[track_caller]
pub fn shipped_model(id: &str) -> LoadedModel {
    let path = shipped_model_path(id);
    input::load_model(&path).unwrap_or_else(|e| {
        panic!(
            "rule: every shipped model loads without errors; {}: {e}; \
             fix: correct the file (coopsim check {0} shows every problem)",
            path.display()
        )
    })
}

/// The text of the tiny test model, `tests/data/models/tiny.toml`.
pub fn tiny_model() -> String {
    let path = data("models/tiny.toml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "rule: the test data is present; {}: {e}; fix: restore it from version control",
            path.display()
        )
    })
}

/// The tiny test scenario, `tests/data/scenarios/tiny.toml`, on the tiny model.
#[track_caller]
pub fn tiny() -> LoadedScenario {
    load(&data("scenarios/tiny.toml"))
}

/// A model from TOML text; panics with the diagnostics if it is invalid.
#[track_caller]
pub fn model(text: &str) -> LoadedModel {
    input::parse_model("test-model.toml", text.as_bytes()).unwrap_or_else(|d| {
        panic!(
            "rule: a model written by a test is valid; got\n{d}\n\
             fix: correct the test's model text"
        )
    })
}

/// A scenario on the given model text; panics with the diagnostics if invalid.
#[track_caller]
pub fn scenario(model_text: &str, scenario_text: &str) -> LoadedScenario {
    input::parse_scenario_on(
        "test-scenario.toml",
        scenario_text.as_bytes(),
        model(model_text),
    )
    .unwrap_or_else(|e| {
        panic!(
            "rule: a scenario written by a test is valid; got\n{e}\n\
             fix: correct the test's scenario text"
        )
    })
}

/// The `coopsim` binary, without colour.
pub fn coopsim() -> Command {
    let mut cmd = Command::cargo_bin("coopsim").expect(
        "rule: the coopsim binary is built with the tests; fix: run the suite with cargo test",
    );
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The values of one run: `out[t * n_series + s]`.
pub fn trajectory(loaded: &LoadedScenario, seed: u64, run: u64) -> (Plan, Vec<f64>) {
    let plan = Plan::new(&loaded.scenario, seed);
    let mut ws = Workspace::new(&plan);
    let mut out = vec![0.0; plan.n_series() * plan.n_periods()];
    simulate(&plan, run, &mut ws, &mut out);
    (plan, out)
}

/// Asserts `|got - want| <= tol`; `what` states the rule the value follows
/// ("the OU driver's mean stays at its target at step 3"), and reads after
/// "rule: " in the message.
#[track_caller]
pub fn assert_close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "rule: {what}, within {tol}; got {got}, want {want} (difference {}); fix: the \
         computation it checks (the kernel and its transitions in src/sim/, aggregates and \
         quantiles in src/stats/), or the wanted value with docs/spec.md if the rule \
         changed on purpose",
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

/// The hand models' header and two actors `a` and `b` with no reciprocity
/// and the given adjustment speed; append domains, drivers and engagement.
pub fn two_actors(adjustment: f64) -> String {
    format!(
        "{HEADER}\n[actors.a]\nadjustment = {adjustment:?}\nreciprocity = 0.0\n\
         [actors.b]\nadjustment = {adjustment:?}\nreciprocity = 0.0\n"
    )
}

/// Two actors with no reciprocity and one domain `d`, both at 0.5, and one
/// driver `x` with the given dynamics (its TOML body): the model of the
/// hand-computed driver tests. Series 2 is `x`.
pub fn one_driver(driver: &str) -> String {
    format!(
        r#"{}
[domains.d]
weight = 1.0
[drivers.x]
{driver}
[engagement.a.d]
initial = 0.5
[engagement.b.d]
initial = 0.5
"#,
        two_actors(1.0)
    )
}
