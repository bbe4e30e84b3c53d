//! Damaged or tampered part files are input errors, located in the file and
//! the field, found when the part is read: never an abort, never a merge of
//! parts that do not belong together.

use crate::common::data;
use assert_cmd::Command;
use coopsim::input::{self, ModelSearch};
use coopsim::jobs::{Part, merge, run_shard};
use coopsim::shard::Shard;
use coopsim::{LoadedScenario, RunOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tiny() -> LoadedScenario {
    input::load_scenario(&data("scenarios/tiny.toml"), &ModelSearch::default()).unwrap()
}

const OPTIONS: RunOptions = RunOptions {
    runs: 30,
    seed: 3,
    threads: 1,
};

fn part(k: u64, n: u64) -> Part {
    Part::Run(run_shard(&tiny(), OPTIONS, Shard { k, n }, &|_| {}))
}

/// Writes the three parts of a run into `dir`, the JSON of each passed
/// through `tamper` with its shard number first.
fn write_parts(dir: &Path, tamper: impl Fn(u64, &mut Value)) -> Vec<PathBuf> {
    (1..=3)
        .map(|k| {
            let mut v: Value = serde_json::from_slice(&part(k, 3).to_file()).unwrap();
            tamper(k, &mut v);
            let path = dir.join(format!("part-{k:04}-of-0003.json"));
            std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
            path
        })
        .collect()
}

/// `coopsim merge` of `files`: asserts exit code 2, nothing written, and
/// returns stderr.
fn refused(files: &[PathBuf]) -> String {
    let out = tempfile::tempdir().unwrap();
    let merged = out.path().join("merged");
    let output = Command::cargo_bin("coopsim")
        .unwrap()
        .arg("merge")
        .args(files)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(2),
        "a damaged part is bad input (exit 2); stderr:\n{stderr}"
    );
    assert!(
        !merged.exists(),
        "merge must write nothing when a part is refused"
    );
    assert!(
        stderr.starts_with("error: ") && !stderr.contains("error: error:"),
        "one `error:` prefix, from the one place that prints errors: {stderr}"
    );
    stderr
}

#[test]
fn untampered_parts_merge_through_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_parts(dir.path(), |_, _| {});
    let out = dir.path().join("merged");
    Command::cargo_bin("coopsim")
        .unwrap()
        .arg("merge")
        .args(&files)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("result.json").is_file());
}

/// A shard count of 10^15 once built a list of every missing shard and ran
/// out of memory; it is refused at once, naming the field.
#[test]
fn a_huge_shard_count_is_refused_without_exhausting_memory() {
    let huge = 1_000_000_000_000_000;
    let err = merge(&[part(1, huge)]).unwrap_err().to_string();
    assert!(
        err.contains("shard.n is 1000000000000000") && err.contains("more than the 30 runs"),
        "the message must name shard.n and the runs it splits: {err}"
    );
    // As many shards as runs is a split coopsim writes; the shards missing
    // from it are listed compactly.
    let two: Vec<Part> = (1..=30).filter(|k| *k != 1).map(|k| part(k, 30)).collect();
    let err = merge(&two[1..]).unwrap_err().to_string();
    assert!(
        err.contains("missing parts: 1/30, 2/30") && err.len() < 200,
        "missing shards are listed compactly: {err}"
    );
    let err = merge(&[part(1, 30)]).unwrap_err().to_string();
    assert!(
        err.contains("missing parts: 2/30 to 30/30"),
        "a run of missing shards is one range: {err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let files = write_parts(dir.path(), |k, v| {
        if k == 2 {
            v["part"]["shard"]["n"] = Value::from(huge);
        }
    });
    let err = refused(&files);
    assert!(
        err.contains("part-0002-of-0003.json") && err.contains("1000000000000000"),
        "the message must name the file and the shard count: {err}"
    );
}

/// A histogram that listed a bin twice (splitting its count) was accepted.
#[test]
fn a_histogram_bin_listed_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_parts(dir.path(), |k, v| {
        if k != 3 {
            return;
        }
        let hist = v["part"]["aggregate"]["hist"].as_array_mut().unwrap();
        let cell = hist
            .iter_mut()
            .find(|c| c[1].as_u64().unwrap() >= 2)
            .expect("a bin holding two runs");
        let (bin, count) = (cell[0].as_u64().unwrap(), cell[1].as_u64().unwrap());
        let rest: Vec<Value> = cell.as_array().unwrap()[2..].to_vec();
        let mut split = vec![bin.into(), 1.into(), bin.into(), (count - 1).into()];
        split.extend(rest);
        *cell = Value::from(split);
    });
    let err = refused(&files);
    assert!(
        err.contains("part-0003-of-0003.json")
            && err.contains("aggregate.hist[")
            && err.contains("listed twice"),
        "the message must name the file, the field and the rule: {err}"
    );
}

/// Parts that differed only in the coopsim version or the model's hash got
/// a message quoting the same description twice.
#[test]
fn parts_differing_in_version_or_model_hash_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_parts(dir.path(), |k, v| {
        if k == 2 {
            v["part"]["header"]["coopsim"] = Value::from("0.0.1");
        }
    });
    let err = refused(&files);
    assert!(
        err.contains("part-0002-of-0003.json belongs to another run: coopsim version differs from")
            && err.contains("part-0001-of-0003.json")
            && err.contains(&format!("0.0.1 vs {}", env!("CARGO_PKG_VERSION"))),
        "the message must name the first field that differs, and both values: {err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let files = write_parts(dir.path(), |k, v| {
        if k == 3 {
            v["part"]["header"]["model"]["sha256"] = Value::from("9c1b".repeat(16));
        }
    });
    let err = refused(&files);
    assert!(
        err.contains("model sha256 differs") && err.contains("9c1b9c1b9c1b… vs "),
        "the message must name the model hash and show both: {err}"
    );
}

/// The part format is checked before anything else is read.
#[test]
fn parts_of_another_format_are_refused_first() {
    for (format, shown) in [
        (Some(Value::from(2)), "part format 2, this coopsim reads 1"),
        (None, "part format unnumbered"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let files = write_parts(dir.path(), |k, v| {
            if k == 1 {
                match &format {
                    Some(f) => v["format"] = f.clone(),
                    None => {
                        v.as_object_mut().unwrap().remove("format");
                    }
                }
                // Also damaged: the format is what the message must say.
                v["part"]["aggregate"]["runs"] = Value::from(7);
            }
        });
        let err = refused(&files);
        assert!(
            err.contains("part-0001-of-0003.json") && err.contains(shown),
            "expected {shown:?}: {err}"
        );
    }
}

/// Damages one field of a part file in place.
type Tamper = fn(&mut Value);

/// Other damage is found when the part is read, and names its field.
#[test]
fn damaged_contents_name_their_field() {
    let label = "p.json";
    let cases: [(&str, Tamper); 4] = [
        ("aggregate.runs", |v| {
            v["part"]["aggregate"]["runs"] = 11.into()
        }),
        ("aggregate.layout", |v| {
            v["part"]["aggregate"]["layout"]["n_periods"] = 1_000_000_000u64.into()
        }),
        ("aggregate.sum[0]", |v| {
            v["part"]["aggregate"]["sum"][0] = "1e3".into()
        }),
        ("shard.k", |v| v["part"]["shard"]["k"] = 0.into()),
    ];
    for (field, tamper) in cases {
        let mut v: Value = serde_json::from_slice(&part(2, 3).to_file()).unwrap();
        tamper(&mut v);
        let err = Part::from_file(label, &serde_json::to_vec(&v).unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(label) && err.contains(field),
            "a damaged {field} must be named, in the file: {err}"
        );
    }
    let err = Part::from_file(label, b"{\"format\": 1, \"kind\": \"run\"")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("p.json:1:"),
        "unparsable JSON is located: {err}"
    );
}
