//! One renderer and one set of output options for every command; every
//! machine-readable output carries its provenance and format version; exit
//! codes follow the error's kind.

use crate::common::root;
use assert_cmd::Command;
use coopsim::analysis::sensitivity::{morris, sobol, tornado};
use coopsim::analysis::{compare, explain, score, sweep};
use coopsim::input::{self, ModelSearch};
use coopsim::output::{Render, json};
use coopsim::{LoadedScenario, RunOptions};
use serde_json::Value;

fn coopsim() -> Command {
    Command::cargo_bin("coopsim").unwrap()
}

fn load(name: &str) -> LoadedScenario {
    input::load_scenario(
        &root(&format!("scenarios/{name}.toml")),
        &ModelSearch::default(),
    )
    .unwrap()
}

const OPTIONS: RunOptions = RunOptions {
    runs: 40,
    seed: 11,
    threads: 1,
};

/// Asserts that `text` is JSON starting with the provenance fields, in
/// order, with `format` 1.
#[track_caller]
fn assert_provenance(what: &str, text: &str) {
    let v: Value = serde_json::from_str(text).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "coopsim", "format", "kernel", "model", "scenario", "seed", "runs",
    ] {
        assert!(
            keys.contains(&key),
            "rule broken: every JSON output carries its provenance; {what} lacks `{key}`"
        );
    }
    assert_eq!(v["format"], 1, "{what}: format version");
    assert!(
        v["model"]["sha256"].as_str().is_some_and(|s| s.len() == 64)
            && v["scenario"]["sha256"]
                .as_str()
                .is_some_and(|s| s.len() == 64),
        "{what}: model and scenario carry their sha256"
    );
    let order = |k: &str| text.find(&format!("\"{k}\":")).unwrap();
    assert!(
        order("coopsim") < order("format") && order("format") < order("kernel"),
        "{what}: the provenance comes first, in its order"
    );
}

#[test]
fn every_json_output_carries_its_provenance_and_format() {
    let base = load("baseline");
    let other = load("sanctions-escalation");
    let none = &|_| {};
    let run = coopsim::run(&base, OPTIONS, none);
    assert_provenance("run", &run.json());
    let c = compare::compare(&base, std::slice::from_ref(&other), OPTIONS, none).unwrap();
    assert_provenance("compare", &c.json());
    let s = score::score(&[base.clone(), other.clone()], OPTIONS, none).unwrap();
    assert_provenance("score", &s.json());
    let axes = [sweep::Axis {
        path: "drivers.sanctions.target".into(),
        values: vec![0.2, 0.8],
    }];
    assert_provenance(
        "sweep",
        &json(&sweep::sweep(&base, &axes, OPTIONS, none).unwrap()),
    );
    let short = RunOptions { runs: 4, ..OPTIONS };
    assert_provenance("tornado", &json(&tornado::tornado(&base, short, none)));
    assert_provenance(
        "morris",
        &json(&morris::morris(&base, 2, short, none).unwrap()),
    );
    assert_provenance(
        "sobol",
        &json(&sobol::sobol(&base, 8, short, none).unwrap()),
    );
    assert_provenance("explain", &json(&explain::assumptions(&other)));
    assert_provenance(
        "explain --vs",
        &json(&explain::attribution(&other, &base, OPTIONS, none).unwrap()),
    );
    let part = coopsim::jobs::Part::Run(coopsim::jobs::run_shard(
        &base,
        OPTIONS,
        coopsim::shard::Shard { k: 1, n: 2 },
        none,
    ));
    let file: Value = serde_json::from_slice(&part.to_file()).unwrap();
    assert_eq!(file["format"], 1, "a part file carries its format");
    assert_provenance(
        "a run part's header",
        &serde_json::to_string(&file["part"]["header"]).unwrap(),
    );
}

#[test]
fn bench_json_carries_its_provenance() {
    let out = coopsim()
        .args([
            "bench",
            "--runs",
            "200",
            "--threads",
            "1",
            "--quiet",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_provenance("bench", &String::from_utf8_lossy(&out.stdout));
}

/// `bench --format csv` printed JSON; a format an output lacks is refused
/// before any work, with a hint.
#[test]
fn a_format_an_output_lacks_is_refused() {
    coopsim()
        .args(["bench", "--runs", "1000000000", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "error: bench does not print csv\n  hint: use --format table or json",
        ));
}

/// `compare` and `score` gain `--out`, writing their JSON and CSV as run does.
#[test]
fn compare_and_score_write_their_files_into_out() {
    let dir = tempfile::tempdir().unwrap();
    let base = root("scenarios/baseline.toml");
    let other = root("scenarios/cpec-stall.toml");
    for (command, files) in [
        ("compare", ["comparison.json", "comparison.csv"]),
        ("score", ["scores.json", "scores.csv"]),
    ] {
        let out = dir.path().join(command);
        let printed = coopsim()
            .args([
                command, "--runs", "50", "--quiet", "--format", "json", "--out",
            ])
            .arg(&out)
            .arg(&base)
            .arg(&other)
            .output()
            .unwrap();
        assert!(printed.status.success(), "{command}");
        assert_eq!(
            std::fs::read(out.join(files[0])).unwrap(),
            printed.stdout,
            "{command} --out writes the JSON it prints"
        );
        let csv = std::fs::read_to_string(out.join(files[1])).unwrap();
        assert!(csv.lines().count() > 1, "{command} --out writes its CSV");
    }
}

#[test]
fn merge_requires_out() {
    coopsim()
        .args(["merge", "parts/"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--out"));
}
