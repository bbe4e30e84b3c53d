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
    assert_eq!(s.cells[1].scorecard.indices, own.indices);
    assert_ne!(s.cells[0].scorecard.indices, own.indices);
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
        ]
    );
    let economic = |c: usize| s.cells[c].scorecard.indices["economic"].horizon.mean;
    assert!(economic(0) > economic(2) && economic(2) > economic(4));
    assert!(economic(1) > economic(3) && economic(3) > economic(5));
    let energy = |c: usize| s.cells[c].scorecard.indices["energy"].horizon.mean;
    assert!(
        energy(5) > energy(4),
        "Russia's energy weight on sanctions lifts energy"
    );
    let mut ranks: Vec<usize> = s.cells.iter().map(|c| c.scorecard.rank).collect();
    ranks.sort();
    assert_eq!(ranks, [1, 2, 3, 4, 5, 6]);
    let csv = coopsim::output::sweeps::csv(&s);
    assert!(csv.starts_with(
        "drivers.sanctions.target,engagement.russia.energy.weights.sanctions,series,when,mean,"
    ));
    assert_eq!(
        csv.lines().count(),
        1 + 6 * 6 * 2,
        "cells × indices × (horizon, over_time)"
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
            "{path}: {e}"
        );
    }
    let four = vec![axis("actors.russia.reciprocity", &[0.5]); 4];
    assert!(sweep(&baseline(), &four, OPTIONS, &|_| {}).is_err());
}
