//! Damaged or tampered part files are input errors, located in the file and
//! the field, found when the part is read: never an abort, never a merge of
//! parts that do not belong together.

use crate::common::data;
use assert_cmd::Command;
use coopsim::jobs::{Part, merge, run_shard};
use coopsim::shard::Shard;
use coopsim::{LoadedScenario, RunOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tiny() -> LoadedScenario {
    crate::common::load(&data("scenarios/tiny.toml"))
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
        "rule: a damaged or foreign part is bad input, exit code 2; stderr:\n{stderr}\nfix: \
         read_part in src/cli/merge.rs must turn it into a MergeError (exit codes in \
         src/cli/exit_code.rs)"
    );
    assert!(
        !merged.exists(),
        "rule: merge writes nothing when a part is refused; {} exists; fix: check every \
         part before writing (src/cli/merge.rs, jobs::merge_labelled in src/jobs.rs)",
        merged.display()
    );
    assert!(
        stderr.starts_with("error: ") && !stderr.contains("error: error:"),
        "rule: an error is shown with one `error:` prefix, added in one place; got \
         {stderr}; fix: shown() in src/cli/mod.rs adds it, so no message may carry its own"
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
    assert!(
        out.join("result.json").is_file(),
        "rule: untampered parts merge through their files into result.json under --out; \
         it is missing; fix: src/cli/merge.rs (OutputArgs::emit writes the files)"
    );
}

/// A shard count of 10^15 once built a list of every missing shard and ran
/// out of memory; it is refused at once, naming the field.
#[test]
fn a_huge_shard_count_is_refused_without_exhausting_memory() {
    let huge = 1_000_000_000_000_000;
    let err = merge(&[part(1, huge)]).unwrap_err().to_string();
    assert!(
        err.contains("shard.n is 1000000000000000") && err.contains("more than the 30 runs"),
        "rule: a shard count above both the items and the parts given is refused at once, \
         naming shard.n and the runs it splits; got {err}; fix: the TooManyShards check in \
         src/shard.rs, before any list of missing shards is built"
    );
    // As many shards as runs is a split coopsim writes; the shards missing
    // from it are listed compactly.
    let two: Vec<Part> = (1..=30).filter(|k| *k != 1).map(|k| part(k, 30)).collect();
    let err = merge(&two[1..]).unwrap_err().to_string();
    assert!(
        err.contains("missing parts: 1/30, 2/30") && err.len() < 200,
        "rule: missing shards are listed compactly, by name and under 200 characters; got \
         {err}; fix: the Missing message built in src/shard.rs"
    );
    let err = merge(&[part(1, 30)]).unwrap_err().to_string();
    assert!(
        err.contains("missing parts: 2/30 to 30/30"),
        "rule: a run of missing shards is shown as one range, `2/30 to 30/30`; got {err}; \
         fix: the Missing message built in src/shard.rs"
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
        "rule: a refused part's message names its file and the field's value, here the \
         shard count; got {err}; fix: the part's label (read_part in src/cli/merge.rs) and \
         the TooManyShards message in src/shard.rs"
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
            .expect(
                "rule: the test needs a histogram bin of part 3/3 holding two runs, to split \
                 it; fix: raise OPTIONS.runs in tests/parts.rs",
            );
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
        "rule: a histogram bin listed twice is refused, naming the file, the field \
         (aggregate.hist[..]) and the rule broken; got {err}; fix: the histogram checks of \
         src/stats/data.rs"
    );
}

/// Parts that differed only in the coopsim version or the model's hash got
/// a message quoting the same description twice.
#[test]
fn parts_differing_in_version_or_model_hash_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_parts(dir.path(), |k, v| {
        if k == 2 {
            v["part"]["header"]["provenance"]["coopsim"] = Value::from("0.0.1");
        }
    });
    let err = refused(&files);
    assert!(
        err.contains("part-0002-of-0003.json belongs to another run: coopsim version differs from")
            && err.contains("part-0001-of-0003.json")
            && err.contains(&format!("0.0.1 vs {}", env!("CARGO_PKG_VERSION"))),
        "rule: a part of another run is refused, naming the first field that differs \
         (here the coopsim version) and both values; got {err}; fix: the OtherJob check in \
         src/shard.rs, fields from Provenance::fields in src/result.rs"
    );
    let dir = tempfile::tempdir().unwrap();
    let files = write_parts(dir.path(), |k, v| {
        if k == 3 {
            v["part"]["header"]["provenance"]["model"]["sha256"] = Value::from("9c1b".repeat(16));
        }
    });
    let err = refused(&files);
    assert!(
        err.contains("model sha256 differs") && err.contains("9c1b9c1b9c1b… vs "),
        "rule: a part of another model is refused, naming `model sha256` and showing both \
         hashes, shortened; got {err}; fix: the OtherJob message in src/shard.rs"
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
            "rule: a part's format is checked before anything else is read, so a part of \
             another format says so even when also damaged; expected {shown:?}, got {err}; \
             fix: the format check first in Part::from_file (src/jobs.rs)"
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
            "rule: damage is found when a part is read and names its file and field; \
             expected {label} and {field}, got {err}; fix: Part::from_file in src/jobs.rs, \
             and the field checks of src/stats/data.rs"
        );
    }
    let err = Part::from_file(label, b"{\"format\": 1, \"kind\": \"run\"")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("p.json:1:"),
        "rule: a part that is not JSON is refused with the file, line and column; got \
         {err}; fix: MergeError::Unparsable from Part::from_file in src/jobs.rs"
    );
}
