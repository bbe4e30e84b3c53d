//! The command line as a user meets it: exit codes, formats, files.

use crate::common::{coopsim, data};
use predicates::prelude::*;

/// `--help` through the binary exits 0 (every subcommand's help text is
/// checked in the binary's own tests, `cli::tests`).
#[test]
fn help_exits_0_and_shows_examples() {
    for args in [&["--help"][..], &["run", "--help"]] {
        coopsim()
            .args(args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn run_without_a_scenario_runs_the_built_in_baseline_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    coopsim()
        .current_dir(dir.path())
        .args(["run", "--runs", "300", "--format", "json"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"kernel\": 2")
                .and(predicate::str::contains("\"runs\": 300"))
                .and(predicate::str::contains("\"id\": \"pakistan_russia\""))
                .and(predicate::str::contains("\"name\": \"baseline\""))
                .and(predicate::str::contains("\"2035Q4\"")),
        );
}

#[test]
fn run_prints_a_table_by_default() {
    coopsim()
        .args(["run", "--runs", "200", "--quiet"])
        .arg(data("scenarios/tiny.toml"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("composite index").and(predicate::str::contains("P(high)")),
        );
}

#[test]
fn json_output_is_the_spec_result_and_csv_the_summary() {
    let out = coopsim()
        .args(["run", "--runs", "300", "--seed", "4", "--format", "json"])
        .arg(data("scenarios/tiny.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rule: `coopsim run --format json` on tests/data/scenarios/tiny.toml exits 0; \
         stderr: {}; fix: the run command (src/cli/run.rs), or the tiny test data",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let periods = v["periods"]
        .as_array()
        .expect(
            "rule: the result JSON has a `periods` array (docs/spec.md §11); \
             fix: RunResult in src/result.rs",
        )
        .len();
    assert_eq!(
        v["seed"], 4,
        "rule: `--seed` overrides the scenario's seed and the result records it \
         (docs/spec.md §7.2, §11); fix: SimArgs::options in src/cli/mod.rs, or \
         Provenance in src/result.rs"
    );
    assert_eq!(
        v["steps_per_year"], 4,
        "rule: the result records its model's steps_per_year (tiny is quarterly); \
         fix: RunResult in src/result.rs"
    );
    let length = |series: &serde_json::Value, name: &str| {
        series
            .as_array()
            .unwrap_or_else(|| {
                panic!(
                    "rule: every series of the result has the arrays of docs/spec.md §11; \
                     {name} is missing; fix: RunResult in src/result.rs"
                )
            })
            .len()
    };
    for key in [
        "mean", "sd", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "p_high", "p_low",
    ] {
        assert_eq!(
            length(&v["indices"]["composite"][key], &format!("composite.{key}")),
            periods,
            "rule: every array of the result has one entry per period (docs/spec.md §11); \
             composite.{key} does not; fix: RunResult in src/result.rs"
        );
    }
    for key in ["mean", "sd", "p05", "p50", "p95"] {
        assert_eq!(
            length(&v["drivers"]["pressure"][key], &format!("pressure.{key}")),
            periods,
            "rule: every array of the result has one entry per period (docs/spec.md §11); \
             driver pressure.{key} does not; fix: RunResult in src/result.rs"
        );
    }
    let csv = coopsim()
        .args(["run", "--runs", "300", "--format", "csv"])
        .arg(data("scenarios/tiny.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap_or_default(),
        "scenario,series,kind,period,step,mean,sd,p05,p10,p25,p50,p75,p90,p95,p_high,p_low",
        "rule: summary.csv starts with the header of docs/spec.md §11, columns in order; \
         fix: the Row struct in src/output/csv.rs"
    );
    let driver_row = text
        .lines()
        .find(|l| l.contains(",driver,"))
        .unwrap_or_else(|| {
            panic!(
                "rule: summary.csv has a row of kind `driver` per driver and period \
                 (docs/spec.md §11); none in\n{text}\nfix: CsvExport in src/output/csv.rs"
            )
        });
    let fields: Vec<&str> = driver_row.split(',').collect();
    assert_eq!(
        fields.len(),
        16,
        "rule: a driver row of summary.csv has all 16 columns of the header, empty ones \
         included; row {driver_row:?}; fix: the Row struct in src/output/csv.rs"
    );
    for i in [8, 9, 11, 12, 14, 15] {
        assert_eq!(
            fields[i], "",
            "rule: driver rows leave p10, p25, p75, p90, p_high, p_low empty \
             (docs/spec.md reading 19); column {i} of {driver_row:?} is filled; fix: set \
             those fields to None for drivers in src/output/csv.rs"
        );
    }
}

#[test]
fn out_writes_both_files_whole_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results/tiny");
    let printed = coopsim()
        .args(["run", "--runs", "300", "--format", "json", "--out"])
        .arg(&out)
        .arg(data("scenarios/tiny.toml"))
        .output()
        .unwrap();
    assert!(
        printed.status.success(),
        "rule: `coopsim run --out DIR` on the tiny scenario exits 0; stderr: {}; \
         fix: the run command (src/cli/run.rs) or write_outputs in src/output/mod.rs",
        String::from_utf8_lossy(&printed.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap_or_else(|e| {
            panic!(
                "rule: --out DIR creates DIR, missing parents included; {}: {e}; \
                 fix: write_files in src/output/mod.rs",
                out.display()
            )
        })
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["result.json", "summary.csv"],
        "rule: `run --out DIR` writes result.json and summary.csv and nothing else (no \
         temporary file left behind); fix: write_outputs and write_atomic in \
         src/output/mod.rs"
    );
    assert_eq!(
        std::fs::read(out.join("result.json")).unwrap(),
        printed.stdout,
        "rule: result.json under --out is byte for byte what --format json prints; \
         fix: both must come from RunResult's one Render::json (src/output/mod.rs, \
         OutputArgs::emit in src/cli/mod.rs)"
    );
}

#[test]
fn command_line_overrides_the_file_and_is_checked() {
    coopsim()
        .args(["run", "--runs", "0"])
        .arg(data("scenarios/tiny.toml"))
        .assert()
        .code(2);
    coopsim()
        .args(["run", "--seed", "9223372036854775808"])
        .arg(data("scenarios/tiny.toml"))
        .assert()
        .code(2);
    coopsim()
        .args([
            "run",
            "--runs",
            "100",
            "--seed",
            "9223372036854775807",
            "--format",
            "json",
        ])
        .arg(data("scenarios/tiny.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("\"seed\": 9223372036854775807"));
}

#[test]
fn bad_input_exits_2_with_a_located_message_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[scenario]\nname = \"x\"\nmodel = \"tiny\"\nend = \"2030Q4\"\nrunz = 5\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    coopsim()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.toml:5:1: scenario.runz: unknown key \"runz\"")
                .and(predicate::str::contains("did you mean \"runs\"?")),
        );
    assert!(
        !out.exists(),
        "rule: rejected input writes nothing, not even the --out folder (docs/spec.md §8); \
         {} exists; fix: load and check the scenario before any output (src/cli/run.rs)",
        out.display()
    );
    coopsim()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn check_reports_ok_files_and_fails_on_any_bad_one() {
    coopsim()
        .arg("check")
        .arg(data("models/tiny.toml"))
        .arg(data("scenarios/tiny.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("ok:").count(2));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[model]\nid = \"x\"\n").unwrap();
    coopsim()
        .arg("check")
        .arg(data("models/tiny.toml"))
        .arg(&bad)
        .assert()
        .code(2);
}

#[test]
fn drivers_lists_meaning_dynamics_and_evidence() {
    coopsim()
        .args(["drivers", "--model"])
        .arg(data("models/tiny.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("pressure").and(predicate::str::contains("evidence:")));
    let listed = coopsim().arg("drivers").output().unwrap();
    assert!(
        listed.status.success(),
        "rule: `coopsim drivers` with no model lists the built-in model and exits 0; \
         stderr: {}; fix: src/cli/drivers.rs",
        String::from_utf8_lossy(&listed.stderr)
    );
    let text = String::from_utf8(listed.stdout).unwrap();
    for driver in ["sanctions", "india_ties", "cpec", "afghanistan", "energy"] {
        assert!(
            text.contains(&format!("\n{driver} — ")),
            "rule: `coopsim drivers` lists each driver of the built-in model on a \
             \"<id> — <title>\" line; {driver} is missing in\n{text}\nfix: describe() in \
             src/cli/drivers.rs, or restore [drivers.{driver}] in models/pakistan_russia.toml"
        );
    }
    assert!(
        text.contains("evidence:") && text.contains("The Moscow Times"),
        "rule: `coopsim drivers` shows each driver's evidence with its source's citation \
         (\"evidence:\", and the publisher The Moscow Times); not in\n{text}\nfix: describe() \
         in src/cli/drivers.rs, or restore the evidence in models/pakistan_russia.toml"
    );
}

#[test]
fn usage_errors_exit_2() {
    coopsim().args(["run", "--format", "xml"]).assert().code(2);
    coopsim().arg("frobnicate").assert().code(2);
    coopsim().arg("check").assert().code(2);
}

/// Settled reading 15: a file's values are checked even where the command
/// line overrides them.
#[test]
fn a_bad_value_in_the_file_is_an_error_under_an_override_too() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("runs-zero.toml");
    std::fs::write(
        &bad,
        "[scenario]\nname = \"x\"\nmodel = \"pakistan_russia\"\nsteps = 4\nruns = 0\n",
    )
    .unwrap();
    coopsim()
        .args(["run", "--runs", "200"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "runs-zero.toml:5:8: scenario.runs",
        ));
}

/// Settled reading 17: `--models DIR` is the only place searched.
#[test]
fn models_dir_is_the_only_place_searched() {
    let empty = tempfile::tempdir().unwrap();
    coopsim()
        .args(["run", "--runs", "10", "--models"])
        .arg(empty.path())
        .arg(data("scenarios/tiny.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("model \"tiny\" not found in"));
    coopsim()
        .args(["run", "--runs", "10", "--quiet", "--models"])
        .arg(data("models"))
        .arg(data("scenarios/tiny.toml"))
        .assert()
        .success();
    // Not even the built-in model is used.
    let scenario = empty.path().join("s.toml");
    std::fs::write(
        &scenario,
        "[scenario]\nname = \"x\"\nmodel = \"pakistan_russia\"\nsteps = 4\n",
    )
    .unwrap();
    coopsim()
        .args(["run", "--runs", "10", "--models"])
        .arg(empty.path())
        .arg(&scenario)
        .assert()
        .code(2);
}

#[test]
fn explain_shows_changes_events_and_evidence() {
    let shown = coopsim()
        .arg("explain")
        .arg(crate::common::shipped_scenario_path("sanctions-escalation"))
        .output()
        .unwrap();
    assert!(
        shown.status.success(),
        "rule: `coopsim explain` on a shipped scenario exits 0; stderr: {}; \
         fix: src/cli/explain.rs",
        String::from_utf8_lossy(&shown.stderr)
    );
    let text = String::from_utf8(shown.stdout).unwrap();
    for expected in [
        "drivers.sanctions.target",
        "uniform(0.75, 0.95)  →  0.9 at 2026Q1 → 0.98 at 2027Q4",
        "drivers.sanctions.jumps.secondary-sanctions.rate",
        "2027Q2   sanctions      +0.1",
        "how sanctions reaches the indices",
        "[issi-2025] Launch of",
    ] {
        assert!(
            text.contains(expected),
            "rule: `coopsim explain` shows what a scenario changes with its keyframes, its \
             events, how a changed driver reaches the indices, and the evidence; \
             {expected:?} is missing in\n{text}\nfix: render() in src/output/assumptions.rs \
             (or this test, if scenarios/sanctions-escalation.toml changed on purpose)"
        );
    }
    let json = coopsim()
        .args(["explain", "--format", "json"])
        .arg(crate::common::shipped_scenario_path("cpec-stall"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        v["changes"][0]["path"], "drivers.cpec.target",
        "rule: explain's JSON lists the scenario's changes by parameter path, and \
         cpec-stall's first change is drivers.cpec.target; fix: assumptions() in \
         src/analysis/explain.rs (or this test, if scenarios/cpec-stall.toml changed on \
         purpose)"
    );
    coopsim()
        .args(["explain", "--format", "csv"])
        .arg(crate::common::shipped_scenario_path("cpec-stall"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "path,model,scenario,evidence\ndrivers.cpec.target,",
        ));
}

/// Every analysis command prints a table by default and takes json and csv.
#[test]
fn analysis_commands_print_table_json_and_csv() {
    let s = |name: &str| crate::common::shipped_scenario_path(name);
    let commands: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "compare".into(),
            s("baseline").into(),
            s("cpec-stall").into(),
        ],
        vec![
            "sweep".into(),
            s("baseline").into(),
            "--set".into(),
            "drivers.cpec.target=0.3,0.7".into(),
        ],
        vec![
            "score".into(),
            s("baseline").into(),
            s("india-pivot").into(),
        ],
        vec![
            "sensitivity".into(),
            s("baseline").into(),
            "--method".into(),
            "morris".into(),
            "--trajectories".into(),
            "3".into(),
        ],
        vec![
            "sensitivity".into(),
            s("baseline").into(),
            "--method".into(),
            "sobol".into(),
            "--samples".into(),
            "64".into(),
        ],
        vec!["sensitivity".into(), s("baseline").into()],
    ];
    for args in commands {
        for format in ["table", "json", "csv"] {
            let out = coopsim()
                .args(&args)
                .args(["--runs", "40", "--quiet", "--format", format])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "rule: every analysis command prints table, json and csv; {args:?} \
                 --format {format} failed: {}; fix: the output's Render (FORMATS, csv) \
                 in src/output/",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8(out.stdout).unwrap();
            match format {
                "json" => {
                    serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| {
                        panic!(
                            "rule: --format json prints valid JSON; {args:?}: {e}; \
                             fix: the output's Render::json in src/output/"
                        )
                    });
                }
                "csv" => assert!(
                    text.lines().count() > 1,
                    "rule: --format csv prints a header and at least one row; {args:?} \
                     printed {text:?}; fix: the output's Render::csv in src/output/"
                ),
                _ => assert!(
                    !text.is_empty(),
                    "rule: the table format prints something; {args:?} printed nothing; \
                     fix: the output's Render::table in src/output/"
                ),
            }
        }
    }
}

/// Runs `args` (a command and its options, before the scenario) as three
/// shards on three "machines", merges their parts, and checks that the merged
/// `files` are the unsplit command's, byte for byte. Returns the folder.
fn shards_merge_into_the_single_files(args: &[&str], files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let scenario = crate::common::shipped_scenario_path("baseline");
    for k in 1..=3 {
        coopsim()
            .args(args)
            .args(["--quiet", "--shard", &format!("{k}/3"), "--out"])
            .arg(dir.path().join(format!("machine-{k}")))
            .arg(&scenario)
            .assert()
            .success()
            .stdout("");
    }
    let merged = dir.path().join("merged");
    let printed = coopsim()
        .arg("merge")
        .args((1..=3).map(|k| dir.path().join(format!("machine-{k}"))))
        .args(["--format", "json", "--out"])
        .arg(&merged)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let single = dir.path().join("single");
    coopsim()
        .args(args)
        .args(["--quiet", "--out"])
        .arg(&single)
        .arg(&scenario)
        .assert()
        .success();
    for file in files {
        assert_eq!(
            std::fs::read(merged.join(file)).unwrap(),
            std::fs::read(single.join(file)).unwrap(),
            "rule: parts from --shard K/3 merge into the bytes of the unsplit command's \
             files; {args:?}: {file} differs; fix: the merge must combine parts exactly \
             (src/jobs.rs), each shard computing only its slice (src/shard.rs)"
        );
    }
    assert_eq!(
        printed,
        std::fs::read(single.join(files[0])).unwrap(),
        "rule: `merge --format json --out` prints the JSON it writes; {args:?}: they \
         differ; fix: src/cli/merge.rs must emit the merged output once (OutputArgs::emit)"
    );
    dir
}

/// `run --shard` on three "machines" and `merge` give the files of one run.
#[test]
fn sharded_runs_merge_into_the_single_runs_files() {
    let dir = shards_merge_into_the_single_files(
        &["run", "--runs", "700"],
        &["result.json", "summary.csv"],
    );
    let scenario = crate::common::shipped_scenario_path("baseline");
    coopsim()
        .arg("merge")
        .arg(dir.path().join("machine-1"))
        .arg("--out")
        .arg(dir.path().join("partial"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing parts: 2/3, 3/3"));
    assert!(
        !dir.path().join("partial").exists(),
        "rule: a merge with missing parts is refused and writes nothing; the --out folder \
         exists; fix: check every shard is present before writing (jobs::merge_labelled in \
         src/jobs.rs, src/shard.rs)"
    );
    coopsim()
        .args(["run", "--shard", "1/3"])
        .arg(&scenario)
        .assert()
        .code(2);
}

/// A sweep shards by cells and merges into the files of the unsplit sweep.
#[test]
fn sharded_sweeps_merge_into_the_single_sweeps_files() {
    shards_merge_into_the_single_files(
        &[
            "sweep",
            "--runs",
            "300",
            "--set",
            "drivers.sanctions.target=0.2:1.0:0.2",
        ],
        &["sweep.json", "sweep.csv"],
    );
}

/// Sobol indices shard by sample rows and merge into the unsplit files.
#[test]
fn sharded_sobol_merges_into_the_single_sobol_files() {
    shards_merge_into_the_single_files(
        &["sensitivity", "--method", "sobol", "--samples", "64"],
        &["sobol.json", "sobol.csv"],
    );
    coopsim()
        .args([
            "sensitivity",
            "--method",
            "tornado",
            "--shard",
            "1/2",
            "--out",
        ])
        .arg(tempfile::tempdir().unwrap().path())
        .arg(crate::common::shipped_scenario_path("baseline"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only --method sobol"));
}
