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
    Command::cargo_bin("coopsim").expect(
        "rule: the coopsim binary is built with the tests; fix: run the suite with cargo test",
    )
}

fn load(name: &str) -> LoadedScenario {
    input::load_scenario(
        &root(&format!("scenarios/{name}.toml")),
        &ModelSearch::default(),
    )
    .unwrap_or_else(|e| {
        panic!(
            "rule: every shipped scenario loads without errors; {name}: {e}; fix: correct \
             scenarios/{name}.toml (coopsim check shows every problem)"
        )
    })
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
            "rule: every JSON output carries its provenance (docs/spec.md §11); {what} \
             lacks `{key}`; fix: flatten a Provenance (src/result.rs) into the output's type"
        );
    }
    assert_eq!(
        v["format"], 1,
        "rule: every JSON output carries its layout's format number, 1 so far \
         (docs/spec.md §11); {what} does not; fix: build its provenance with \
         Provenance::new in src/result.rs (a new layout needs a changelog entry first)"
    );
    assert!(
        v["model"]["sha256"].as_str().is_some_and(|s| s.len() == 64)
            && v["scenario"]["sha256"]
                .as_str()
                .is_some_and(|s| s.len() == 64),
        "rule: a provenance names the model and scenario with the SHA-256 of their bytes; \
         {what} lacks one; fix: Provenance::new in src/result.rs, hashes from src/input/mod.rs"
    );
    let order = |k: &str| {
        text.find(&format!("\"{k}\":")).unwrap_or_else(|| {
            panic!(
                "rule: every JSON output carries its provenance; {what} lacks `{k}`; fix: \
                 flatten a Provenance (src/result.rs) into the output's type"
            )
        })
    };
    assert!(
        order("coopsim") < order("format") && order("format") < order("kernel"),
        "rule: a JSON output starts with its provenance, in the order coopsim, format, \
         kernel, ...; {what} does not; fix: put the flattened Provenance (src/result.rs) \
         first in the output's type"
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
    assert_eq!(
        file["format"], 1,
        "rule: a part file carries its format number, 1 so far; fix: Part::to_file in \
         src/jobs.rs (PART_FORMAT)"
    );
    assert_provenance(
        "a run part's header",
        &serde_json::to_string(&file["part"]["header"]["provenance"]).unwrap(),
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
        "rule: `coopsim bench --format json` succeeds on 200 runs; stderr: {}; fix: \
         src/cli/bench.rs or src/bench.rs",
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
        assert!(
            printed.status.success(),
            "rule: `coopsim {command} --out DIR` succeeds on two shipped scenarios; stderr: \
             {}; fix: src/cli/{command}.rs",
            String::from_utf8_lossy(&printed.stderr)
        );
        let written = |name: &str| {
            std::fs::read(out.join(name)).unwrap_or_else(|e| {
                panic!(
                    "rule: `{command} --out DIR` writes {name} into DIR; {e}; fix: the \
                     output's Render::FILES (src/output/) and OutputArgs::emit \
                     (src/cli/mod.rs)"
                )
            })
        };
        assert_eq!(
            written(files[0]),
            printed.stdout,
            "rule: `{command} --out` writes the JSON it prints, byte for byte; fix: \
             OutputArgs::emit in src/cli/mod.rs must print and write the one Render::json"
        );
        let csv = String::from_utf8(written(files[1])).unwrap();
        assert!(
            csv.lines().count() > 1,
            "rule: `{command} --out` writes its CSV, a header and at least one row; got \
             {csv:?}; fix: the output's Render::csv in src/output/"
        );
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
