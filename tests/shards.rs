//! Shards: parts of a run merge into exactly the single-machine result.

use crate::common::{data, root};
use coopsim::input::{self, ModelSearch};
use coopsim::output::{Export, JsonExport};
use coopsim::shard::{Part, Shard, merge, run_shard};
use coopsim::{LoadedScenario, RunOptions, run};

fn baseline() -> LoadedScenario {
    input::load_scenario(&root("scenarios/baseline.toml"), &ModelSearch::default()).unwrap()
}

fn parts(loaded: &LoadedScenario, options: RunOptions, n: u64) -> Vec<Part> {
    (1..=n)
        .map(|k| run_shard(loaded, options, Shard { k, n }, &|_| {}))
        .collect()
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
        let merged = JsonExport.render(&merge(&p).unwrap());
        assert!(merged == single, "{n} shards");
    }
}

#[test]
fn shards_split_the_runs_into_contiguous_near_equal_slices() {
    let s = |k, n| Shard { k, n };
    assert_eq!(s(1, 3).runs(10), 0..3);
    assert_eq!(s(2, 3).runs(10), 3..6);
    assert_eq!(s(3, 3).runs(10), 6..10);
    assert_eq!(
        s(1, 7).runs(3),
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
    let err = |parts: &[Part]| merge(parts).unwrap_err().to_string();
    assert!(err(&p[..2]).contains("missing parts: 3/3"));
    assert!(err(&[p[0].clone(), p[0].clone(), p[1].clone(), p[2].clone()]).contains("given twice"));
    let other_seed = run_shard(
        &loaded,
        RunOptions { seed: 2, ..options },
        Shard { k: 3, n: 3 },
        &|_| {},
    );
    assert!(err(&[p[0].clone(), p[1].clone(), other_seed]).contains("belongs to another run"));
    let tiny = input::load_scenario(&data("scenarios/tiny.toml"), &ModelSearch::default()).unwrap();
    let other_scenario = run_shard(&tiny, options, Shard { k: 3, n: 3 }, &|_| {});
    assert!(err(&[p[0].clone(), p[1].clone(), other_scenario]).contains("belongs to another run"));
    let other_split = run_shard(&loaded, options, Shard { k: 3, n: 4 }, &|_| {});
    assert!(err(&[p[0].clone(), p[1].clone(), other_split]).contains("split into 3 shards"));
    let mut damaged = p[2].clone();
    damaged.aggregate.sum.pop();
    assert!(err(&[p[0].clone(), p[1].clone(), damaged]).contains("damaged"));
}
