//! Shards: parts of a run merge into exactly the single-machine result.

use crate::common::{baseline, tiny};
use coopsim::analysis::sensitivity::sobol;
use coopsim::analysis::sweep::{self, Axis};
use coopsim::jobs::{Merged, Part, RunPart, merge, run_shard};
use coopsim::output::json;
use coopsim::output::{Export, JsonExport};
use coopsim::shard::Shard;
use coopsim::{LoadedScenario, RunOptions, run};

fn parts(loaded: &LoadedScenario, options: RunOptions, n: u64) -> Vec<Part> {
    (1..=n)
        .map(|k| Part::Run(run_shard(loaded, options, Shard { k, n }, &|_| {})))
        .collect()
}

fn merged_run(parts: &[Part]) -> Result<coopsim::RunResult, coopsim::Error> {
    match merge(parts)? {
        Merged::Run(r) => Ok(r),
        other => panic!("a run merged into {other:?}"),
    }
}

/// For 1, 3 and 7 shards, in any order, through the files' JSON, the merged
/// result is the single run's, byte for byte.
#[test]
fn merged_shards_equal_the_single_run_byte_for_byte() {
    let loaded = baseline();
    let options = RunOptions {
        runs: 2_051,
        seed: 42,
        threads: 2,
    };
    let single = JsonExport.render(&run(&loaded, options, &|_| {}));
    for n in [1, 3, 7] {
        let mut p = parts(&loaded, options, n);
        p.reverse();
        // Through the JSON a part file holds.
        let p: Vec<Part> = p
            .iter()
            .map(|part| serde_json::from_slice(&serde_json::to_vec(part).unwrap()).unwrap())
            .collect();
        let merged = JsonExport.render(&merged_run(&p).unwrap());
        assert!(merged == single, "{n} shards");
    }
}

#[test]
fn shards_split_the_runs_into_contiguous_near_equal_slices() {
    let s = |k, n| Shard { k, n };
    assert_eq!(s(1, 3).slice(10), 0..3);
    assert_eq!(s(2, 3).slice(10), 3..6);
    assert_eq!(s(3, 3).slice(10), 6..10);
    assert_eq!(
        s(1, 7).slice(3),
        0..0,
        "more shards than runs: some are empty"
    );
    assert_eq!(Shard::parse("2/8").unwrap(), s(2, 8));
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        assert!(Shard::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn parts_that_do_not_belong_together_are_refused() {
    let loaded = baseline();
    let options = RunOptions {
        runs: 300,
        seed: 1,
        threads: 1,
    };
    let p = parts(&loaded, options, 3);
    let err = |parts: &[Part]| merged_run(parts).unwrap_err().to_string();
    assert!(err(&p[..2]).contains("missing parts: 3/3"));
    assert!(err(&[p[0].clone(), p[0].clone(), p[1].clone(), p[2].clone()]).contains("given twice"));
    let shard =
        |loaded, options, k, n| Part::Run(run_shard(loaded, options, Shard { k, n }, &|_| {}));
    let other_seed = shard(&loaded, RunOptions { seed: 2, ..options }, 3, 3);
    assert!(err(&[p[0].clone(), p[1].clone(), other_seed]).contains("belongs to another run"));
    let tiny = tiny();
    let other_scenario = shard(&tiny, options, 3, 3);
    assert!(err(&[p[0].clone(), p[1].clone(), other_scenario]).contains("belongs to another run"));
    let other_split = shard(&loaded, options, 3, 4);
    assert!(err(&[p[0].clone(), p[1].clone(), other_split]).contains("split into 3 shards"));
    let mut damaged: RunPart = match &p[2] {
        Part::Run(r) => r.clone(),
        _ => unreachable!(),
    };
    damaged.aggregate.sum.pop();
    assert!(err(&[p[0].clone(), p[1].clone(), Part::Run(damaged)]).contains("damaged"));
}

/// A part through the JSON of its file.
fn through_file(part: &Part) -> Part {
    serde_json::from_slice(&serde_json::to_vec(part).unwrap()).unwrap()
}

/// For 1, 3 and 7 shards of a 5-cell sweep (so that some shards of 7 are
/// empty), in any order, through the files' JSON, the merged sweep is the
/// single-machine sweep, byte for byte.
#[test]
fn merged_sweep_shards_equal_the_single_sweep_byte_for_byte() {
    let loaded = baseline();
    let options = RunOptions {
        runs: 257,
        seed: 9,
        threads: 2,
    };
    let axes = [Axis {
        path: "drivers.sanctions.target".into(),
        values: vec![0.2, 0.4, 0.6, 0.8, 1.0],
    }];
    let single = json(&sweep::sweep(&loaded, &axes, options, &|_| {}).unwrap());
    for n in [1, 3, 7] {
        let mut p: Vec<Part> = (1..=n)
            .map(|k| {
                let part = sweep::sweep_shard(&loaded, &axes, options, Shard { k, n }, &|_| {});
                through_file(&Part::Sweep(part.unwrap()))
            })
            .collect();
        p.reverse();
        let Merged::Sweep(merged) = merge(&p).unwrap() else {
            panic!("a sweep merged into something else")
        };
        assert!(json(&merged) == single, "{n} shards");
    }
}

/// For 1, 3 and 7 shards of the sample rows, in any order, through the
/// files' JSON, the merged Sobol indices are the single machine's, byte for
/// byte (the outputs survive JSON to the bit).
#[test]
fn merged_sobol_shards_equal_the_single_analysis_byte_for_byte() {
    let loaded = baseline();
    let options = RunOptions {
        runs: 1,
        seed: 5,
        threads: 2,
    };
    let samples = 40;
    let single = json(&sobol::sobol(&loaded, samples, options, &|_| {}).unwrap());
    for n in [1, 3, 7] {
        let mut p: Vec<Part> = (1..=n)
            .map(|k| {
                let part = sobol::sobol_shard(&loaded, samples, options, Shard { k, n }, &|_| {});
                through_file(&Part::Sobol(part.unwrap()))
            })
            .collect();
        p.rotate_left(1);
        let Merged::Sobol(merged) = merge(&p).unwrap() else {
            panic!("a Sobol analysis merged into something else")
        };
        assert!(json(&merged) == single, "{n} shards");
    }
}

#[test]
fn parts_of_other_jobs_or_kinds_are_refused() {
    let loaded = baseline();
    let options = RunOptions {
        runs: 50,
        seed: 1,
        threads: 1,
    };
    let axes = |v: Vec<f64>| {
        vec![Axis {
            path: "drivers.cpec.target".into(),
            values: v,
        }]
    };
    let cell = |a: &[Axis], k, n| {
        Part::Sweep(sweep::sweep_shard(&loaded, a, options, Shard { k, n }, &|_| {}).unwrap())
    };
    let err = |parts: &[Part]| merge(parts).unwrap_err().to_string();
    let two = axes(vec![0.1, 0.9]);
    assert!(
        err(&[cell(&two, 1, 2), cell(&axes(vec![0.1, 0.8]), 2, 2)])
            .contains("belongs to another sweep")
    );
    assert!(err(&[cell(&two, 1, 2)]).contains("missing parts: 2/2"));
    let rows = |k, n| {
        Part::Sobol(sobol::sobol_shard(&loaded, 8, options, Shard { k, n }, &|_| {}).unwrap())
    };
    assert!(err(&[cell(&two, 1, 2), rows(2, 2)]).contains("parts of one job only"));
    let Part::Sobol(mut damaged) = rows(2, 2) else {
        unreachable!()
    };
    damaged.values.pop();
    assert!(err(&[rows(1, 2), Part::Sobol(damaged)]).contains("damaged"));
    let run = Part::Run(run_shard(&loaded, options, Shard { k: 1, n: 2 }, &|_| {}));
    assert!(err(&[run, rows(2, 2)]).contains("parts of one job only"));
}
