//! `sweep`: cells share their random numbers and are checked like files.

use crate::common::baseline;
use coopsim::analysis::score::scorecard;
use coopsim::analysis::sweep::{Axis, sweep};
use coopsim::{RunOptions, RunResult};

const OPTIONS: RunOptions = RunOptions {
    runs: 600,
    seed: 20261122,
    threads: 0,
};

fn axis(path: &str, values: &[f64]) -> Axis {
    Axis {
        path: path.into(),
        values: values.to_vec(),
    }
}

/// A cell at the scenario's own value is the scenario's own run, to the bit:
/// every cell uses the same random numbers.
#[test]
fn a_cell_at_the_scenarios_own_value_is_the_scenario() {
    let s = sweep(
        &baseline(),
        &[axis("actors.russia.reciprocity", &[0.2, 0.4])],
        OPTIONS,
        &|_| {},
    )
    .unwrap();
    let agg = coopsim::aggregate(&baseline(), OPTIONS, &|_| {});
    let mut own = scorecard(&RunResult::new(&baseline(), OPTIONS.seed, &agg), &agg);
    own.rank = s.cells[1].scorecard.rank;
    assert_eq!(
        s.cells[1].scorecard.indices, own.indices,
        "rule: a sweep cell at the scenario's own value (Russia's reciprocity 0.4) is the \
         scenario's own run, to the bit: every cell shares the scenario's seed and streams; \
         fix: sweep_shard in src/analysis/sweep.rs must run each cell under options.seed, \
         and vary() (src/input/vary.rs) must change nothing but the path (or this test, if \
         models/pakistan_russia.toml changed that reciprocity)"
    );
    assert_ne!(
        s.cells[0].scorecard.indices, own.indices,
        "rule: a sweep cell at another value (reciprocity 0.2) differs from the scenario; \
         fix: vary() in src/input/vary.rs must set the path's value in the cell's scenario"
    );
}

/// Cells run in grid order, the last axis fastest, and respond as the model
/// says: tighter sanctions lower trade in every cell.
#[test]
fn a_two_way_grid_runs_every_cell_in_order() {
    let s = sweep(
        &baseline(),
        &[
            axis("drivers.sanctions.target", &[0.2, 0.6, 1.0]),
            axis("engagement.russia.energy.weights.sanctions", &[0.0, 1.0]),
        ],
        OPTIONS,
        &|_| {},
    )
    .unwrap();
    let values: Vec<Vec<f64>> = s.cells.iter().map(|c| c.values.clone()).collect();
    assert_eq!(
        values,
        [
            [0.2, 0.0],
            [0.2, 1.0],
            [0.6, 0.0],
            [0.6, 1.0],
            [1.0, 0.0],
            [1.0, 1.0]
        ],
        "rule: a sweep runs every cell of the grid in order, the first axis slowest and the \
         last fastest; fix: cells() in src/analysis/sweep.rs"
    );
    let economic = |c: usize| s.cells[c].scorecard.indices["economic"].horizon.mean;
    let rule = "rule: tighter sanctions lower the economic index in every cell of the grid, \
                as the shipped weights say";
    let fix = "fix: the target set through the path (vary() in src/input/vary.rs), or the \
               sanctions weights in models/pakistan_russia.toml";
    assert!(
        economic(0) > economic(2) && economic(2) > economic(4),
        "{rule}; at Russia's energy weight 0, sanctions 0.2, 0.6, 1.0 give {}, {}, {}; {fix}",
        economic(0),
        economic(2),
        economic(4)
    );
    assert!(
        economic(1) > economic(3) && economic(3) > economic(5),
        "{rule}; at Russia's energy weight 1, sanctions 0.2, 0.6, 1.0 give {}, {}, {}; {fix}",
        economic(1),
        economic(3),
        economic(5)
    );
    let energy = |c: usize| s.cells[c].scorecard.indices["energy"].horizon.mean;
    assert!(
        energy(5) > energy(4),
        "rule: a positive weight of sanctions on Russia's energy engagement lifts the energy \
         index under sanctions 1.0; got {} (weight 1) against {} (weight 0); fix: the weight \
         set through its path (vary() in src/input/vary.rs), or its use in the kernel \
         (src/sim/kernel.rs)",
        energy(5),
        energy(4)
    );
    let mut ranks: Vec<usize> = s.cells.iter().map(|c| c.scorecard.rank).collect();
    ranks.sort();
    assert_eq!(
        ranks,
        [1, 2, 3, 4, 5, 6],
        "rule: a sweep ranks its cells 1..N, each rank once; fix: the ranking in merge() \
         (src/analysis/sweep.rs, rank() in src/analysis/score.rs)"
    );
    let csv = coopsim::output::sweeps::csv(&s);
    assert!(
        csv.starts_with(
            "drivers.sanctions.target,engagement.russia.energy.weights.sanctions,series,when,mean,"
        ),
        "rule: the sweep CSV starts with one column per axis, named by its path, then \
         series, when, mean, ...; got {:?}; fix: csv() in src/output/sweeps.rs",
        csv.lines().next().unwrap_or_default()
    );
    assert_eq!(
        csv.lines().count(),
        1 + 6 * 6 * 2,
        "rule: the sweep CSV has a header and a row per cell × index × (horizon, over_time); \
         fix: csv() in src/output/sweeps.rs"
    );
}

/// Every cell is checked before anything runs, with the file's messages.
#[test]
fn bad_cells_are_refused_before_running() {
    for (path, value, expected) in [
        ("actors.russia.reciprocity", 1.5, "1.5 is out of range"),
        (
            "drivers.sanctons.target",
            0.5,
            "did you mean \"sanctions\"?",
        ),
        ("drivers.sanctions.targt", 0.5, "did you mean \"target\"?"),
        (
            "drivers.sanctions.jumps.new.rate",
            0.5,
            "needs `rate` and `size`",
        ),
        ("nothing.here", 1.0, "not a numeric path"),
    ] {
        let e = sweep(&baseline(), &[axis(path, &[0.5, value])], OPTIONS, &|_| {}).unwrap_err();
        assert!(
            e.is_input() && e.to_string().contains(expected),
            "rule: every sweep cell is checked before anything runs, as an input error with \
             the file's messages; {path} = {value}: expected {expected:?}, got {e}; fix: \
             vary() in src/input/vary.rs must check a cell like a file (src/input/validate/)"
        );
    }
    let four = vec![axis("actors.russia.reciprocity", &[0.5]); 4];
    assert!(
        sweep(&baseline(), &four, OPTIONS, &|_| {}).is_err(),
        "rule: a sweep has at most three axes (MAX_AXES); four were accepted; fix: cells() \
         in src/analysis/sweep.rs"
    );
}
