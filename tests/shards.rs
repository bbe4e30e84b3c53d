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
        other => panic!(
            "rule: parts of a run merge into a run result; got {other:?}; fix: jobs::merge in \
             src/jobs.rs"
        ),
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
        let merged = JsonExport.render(&merged_run(&p).unwrap_or_else(|e| {
            panic!(
                "rule: every shard of a run, once each, merges; {n} shards: {e}; fix: the \
                 checks of src/shard.rs and jobs::merge in src/jobs.rs"
            )
        }));
        assert!(
            merged == single,
            "rule: a run split into {n} shards, merged in any order through the part files' \
             JSON, gives the single run's bytes; fix: each shard runs exactly its slice \
             (Shard::slice in src/shard.rs), the aggregate survives its file form \
             (src/stats/data.rs) and merges exactly (src/stats/aggregate.rs)"
        );
    }
}

#[test]
fn shards_split_the_runs_into_contiguous_near_equal_slices() {
    let s = |k, n| Shard { k, n };
    let rule = "rule: shard K of N takes the items floor(C (K-1) / N) .. floor(C K / N) of C, \
                contiguous and near equal (src/shard.rs)";
    let fix = "fix: Shard::slice in src/shard.rs";
    assert_eq!(s(1, 3).slice(10), 0..3, "{rule}; shard 1/3 of 10; {fix}");
    assert_eq!(s(2, 3).slice(10), 3..6, "{rule}; shard 2/3 of 10; {fix}");
    assert_eq!(s(3, 3).slice(10), 6..10, "{rule}; shard 3/3 of 10; {fix}");
    assert_eq!(
        s(1, 7).slice(3),
        0..0,
        "{rule}; with more shards than runs some are empty, here 1/7 of 3; {fix}"
    );
    assert_eq!(
        Shard::parse("2/8"),
        Ok(s(2, 8)),
        "rule: a shard is written K/N, such as 2/8; fix: Shard::parse in src/shard.rs"
    );
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        assert!(
            Shard::parse(bad).is_err(),
            "rule: a shard is K/N in whole numbers with 1 <= K <= N; {bad:?} was accepted; \
             fix: Shard::parse in src/shard.rs"
        );
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
    let err = |parts: &[Part]| match merged_run(parts) {
        Ok(_) => panic!(
            "rule: merge refuses run parts that do not belong together; these merged; fix: \
             the checks of src/shard.rs, called from jobs::merge in src/jobs.rs"
        ),
        Err(e) => e.to_string(),
    };
    let fix = "fix: the checks of src/shard.rs (MergeError), called from jobs::merge in \
               src/jobs.rs";
    let e = err(&p[..2]);
    assert!(
        e.contains("missing parts: 3/3"),
        "rule: merge refuses an incomplete set of parts, naming the missing ones; got {e}; \
         {fix}"
    );
    let e = err(&[p[0].clone(), p[0].clone(), p[1].clone(), p[2].clone()]);
    assert!(
        e.contains("given twice"),
        "rule: merge refuses a shard given twice; got {e}; {fix}"
    );
    let shard =
        |loaded, options, k, n| Part::Run(run_shard(loaded, options, Shard { k, n }, &|_| {}));
    let other_seed = shard(&loaded, RunOptions { seed: 2, ..options }, 3, 3);
    let e = err(&[p[0].clone(), p[1].clone(), other_seed]);
    assert!(
        e.contains("belongs to another run"),
        "rule: merge refuses a part run with another seed; got {e}; {fix}"
    );
    let tiny = tiny();
    let other_scenario = shard(&tiny, options, 3, 3);
    let e = err(&[p[0].clone(), p[1].clone(), other_scenario]);
    assert!(
        e.contains("belongs to another run"),
        "rule: merge refuses a part of another scenario and model; got {e}; {fix}"
    );
    let other_split = shard(&loaded, options, 3, 4);
    let e = err(&[p[0].clone(), p[1].clone(), other_split]);
    assert!(
        e.contains("split into 3 shards"),
        "rule: merge refuses a part of a split into another number of shards; got {e}; {fix}"
    );
    let mut damaged: RunPart = match &p[2] {
        Part::Run(r) => r.clone(),
        _ => unreachable!(),
    };
    damaged.aggregate.sum.pop();
    let e = err(&[p[0].clone(), p[1].clone(), Part::Run(damaged)]);
    assert!(
        e.contains("damaged"),
        "rule: merge refuses a part whose aggregate is damaged (a sum missing); got {e}; \
         fix: the field checks of src/stats/data.rs, called from jobs::merge in src/jobs.rs"
    );
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
            panic!("rule: parts of a sweep merge into a sweep; fix: jobs::merge in src/jobs.rs")
        };
        assert!(
            json(&merged) == single,
            "rule: a sweep split into {n} shards by cells, merged in any order through the \
             part files' JSON, gives the single sweep's bytes; fix: sweep_shard and merge in \
             src/analysis/sweep.rs (each cell's aggregate must merge exactly)"
        );
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
            panic!(
                "rule: parts of a Sobol analysis merge into a Sobol analysis; fix: jobs::merge \
                 in src/jobs.rs"
            )
        };
        assert!(
            json(&merged) == single,
            "rule: Sobol indices split into {n} shards by sample rows, merged in any order \
             through the part files' JSON, are the single machine's bytes; fix: sobol_shard \
             and merge in src/analysis/sensitivity/sobol.rs (outputs must survive JSON to \
             the bit, the bootstrap must use the job's seed)"
        );
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
    let err = |parts: &[Part]| match merge(parts) {
        Ok(_) => panic!(
            "rule: merge refuses parts that do not belong together; these merged; fix: the \
             checks of src/shard.rs, called from jobs::merge in src/jobs.rs"
        ),
        Err(e) => e.to_string(),
    };
    let fix = "fix: the checks of src/shard.rs (MergeError), called from jobs::merge in \
               src/jobs.rs";
    let two = axes(vec![0.1, 0.9]);
    let e = err(&[cell(&two, 1, 2), cell(&axes(vec![0.1, 0.8]), 2, 2)]);
    assert!(
        e.contains("belongs to another sweep"),
        "rule: merge refuses a sweep part of other axis values; got {e}; {fix}"
    );
    let e = err(&[cell(&two, 1, 2)]);
    assert!(
        e.contains("missing parts: 2/2"),
        "rule: merge refuses an incomplete sweep, naming the missing parts; got {e}; {fix}"
    );
    let rows = |k, n| {
        Part::Sobol(sobol::sobol_shard(&loaded, 8, options, Shard { k, n }, &|_| {}).unwrap())
    };
    let e = err(&[cell(&two, 1, 2), rows(2, 2)]);
    assert!(
        e.contains("parts of one job only"),
        "rule: merge refuses parts of different kinds of job (a sweep and a Sobol \
         analysis); got {e}; {fix}"
    );
    let Part::Sobol(mut damaged) = rows(2, 2) else {
        unreachable!()
    };
    damaged.values.pop();
    let e = err(&[rows(1, 2), Part::Sobol(damaged)]);
    assert!(
        e.contains("damaged"),
        "rule: merge refuses a Sobol part with fewer values than its rows need; got {e}; \
         fix: the part's check in src/analysis/sensitivity/sobol.rs, called from \
         jobs::merge in src/jobs.rs"
    );
    let run = Part::Run(run_shard(&loaded, options, Shard { k: 1, n: 2 }, &|_| {}));
    let e = err(&[run, rows(2, 2)]);
    assert!(
        e.contains("parts of one job only"),
        "rule: merge refuses parts of different kinds of job (a run and a Sobol analysis); \
         got {e}; {fix}"
    );
}
