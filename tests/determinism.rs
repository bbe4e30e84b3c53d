//! Same inputs and seed give the same bytes; random numbers belong to
//! (seed, run, name), so unrelated changes leave other numbers alone.

use crate::common::{scenario, tiny, tiny_model};
use coopsim::output::{Export, JsonExport};
use coopsim::{RunOptions, RunResult, run};

const TINY: &str = "[scenario]\nname = \"t\"\nmodel = \"tiny\"\nend = \"2030Q4\"\n";

fn result(model: &str, scenario_text: &str, runs: u64, threads: usize) -> RunResult {
    run(
        &scenario(model, scenario_text),
        RunOptions {
            runs,
            seed: 3,
            threads,
        },
        &|_| {},
    )
}

/// The thread count changes nothing, to the byte.
#[test]
fn any_thread_count_gives_identical_bytes() {
    let loaded = tiny();
    let bytes = |threads| {
        JsonExport.render(&run(
            &loaded,
            RunOptions {
                runs: 5000,
                seed: 9,
                threads,
            },
            &|_| {},
        ))
    };
    let one = bytes(1);
    assert_eq!(one, bytes(2), "2 threads");
    assert_eq!(one, bytes(8), "8 threads");
}

/// An event at period P changes nothing before P.
#[test]
fn an_event_leaves_every_earlier_period_identical() {
    let model = tiny_model();
    let base = result(&model, TINY, 2000, 0);
    let with_event =
        format!("{TINY}\n[[events]]\nat = \"2028Q1\"\ndriver = \"pressure\"\nshift = 0.3\n");
    let other = result(&model, &with_event, 2000, 0);
    let p = base.periods.iter().position(|p| p == "2028Q1").unwrap();
    for (name, s) in &base.indices {
        let o = &other.indices[name];
        assert_eq!(s.mean[..p], o.mean[..p], "{name} before the event");
        assert_eq!(s.p50[..p], o.p50[..p], "{name} before the event");
        assert_ne!(s.mean[p + 1..], o.mean[p + 1..], "{name} after the event");
    }
    assert_eq!(
        base.drivers["ties"], other.drivers["ties"],
        "the other driver is untouched"
    );
    assert_ne!(
        base.drivers["pressure"].mean[p],
        other.drivers["pressure"].mean[p]
    );
}

/// A new driver with no weight changes no other number at all.
#[test]
fn adding_an_unrelated_driver_changes_no_other_number() {
    let model = tiny_model();
    let base = result(&model, TINY, 2000, 0);
    let extra = format!(
        "{model}\n[drivers.extra]\ninitial = 0.5\ntarget = 0.2\nreversion = 0.3\nvolatility = 0.3\n\
         [[drivers.extra.jumps]]\nname = \"boom\"\nrate = 1.0\nsize = 0.2\n"
    );
    let other = result(&extra, TINY, 2000, 0);
    for (name, s) in &base.drivers {
        assert_eq!(*s, other.drivers[name], "driver {name}");
    }
    assert_eq!(
        base.indices, other.indices,
        "indices, since the new driver has no weight"
    );
}

/// A new jump or uncertain parameter draws from its own stream only.
#[test]
fn adding_a_jump_or_uncertain_parameter_changes_no_other_stream() {
    let model = tiny_model();
    let base = result(&model, TINY, 2000, 0);
    let jump = format!("{TINY}\n[[drivers.ties.jumps]]\nname = \"new\"\nrate = 2.0\nsize = -0.1\n");
    let other = result(&model, &jump, 2000, 0);
    assert_eq!(base.drivers["pressure"], other.drivers["pressure"]);
    assert_ne!(base.drivers["ties"], other.drivers["ties"]);
    let uncertain = format!(
        "{TINY}\n[engagement.a.talks]\nbias = {{ dist = \"uniform\", low = -0.1, high = 0.1 }}\n"
    );
    let other = result(&model, &uncertain, 2000, 0);
    assert_eq!(base.drivers, other.drivers);
    assert_eq!(
        base.indices["trade"], other.indices["trade"],
        "a domain the parameter does not touch"
    );
    assert_ne!(base.indices["talks"], other.indices["talks"]);
}

/// Two scenarios with the same seed share their shocks, run by run.
#[test]
fn scenarios_with_the_same_seed_share_their_shocks() {
    let model = tiny_model();
    let base = scenario(&model, TINY);
    let changed = scenario(
        &model,
        &format!("{TINY}\n[engagement.a.trade.weights]\npressure = -2.0\n"),
    );
    for run in [0, 1, 777] {
        let (plan, a) = crate::common::trajectory(&base, 3, run);
        let (_, b) = crate::common::trajectory(&changed, 3, run);
        let drivers = plan.n_index_series()..plan.n_series();
        for t in 0..plan.n_periods() {
            let row = t * plan.n_series();
            assert_eq!(
                a[row + drivers.start..row + drivers.end],
                b[row + drivers.start..row + drivers.end]
            );
        }
        assert_ne!(a, b, "the weight change shows in the indices");
    }
}

/// A run gives the same bits alone and in a batch of lanes, wherever the
/// batch starts: results cannot depend on how runs are grouped.
#[test]
fn a_run_is_the_same_alone_and_in_lanes() {
    use coopsim::sim::Plan;
    use coopsim::sim::kernel::{LANES, Lanes, Workspace, simulate, simulate_lanes};
    let loaded = tiny();
    let plan = Plan::new(&loaded.scenario, 17);
    let len = plan.n_series() * plan.n_periods();
    let mut lanes = Lanes::<LANES>::new(&plan);
    let mut single = Workspace::new(&plan);
    // Lanes write each value as a row of `stride` runs; a wider row than
    // the lanes checks that they keep to their columns.
    let stride = LANES + 3;
    let (mut batch, mut alone) = (vec![f64::NAN; len * stride], vec![0.0; len]);
    for first in [0u64, 3, 1021] {
        simulate_lanes(&plan, first, &mut lanes, &mut batch, stride);
        for l in 0..LANES {
            simulate(&plan, first + l as u64, &mut single, &mut alone);
            let lane: Vec<f64> = batch.iter().skip(l).step_by(stride).copied().collect();
            assert_eq!(lane, alone, "run {}", first + l as u64);
        }
        assert!(
            batch
                .chunks(stride)
                .all(|row| row[LANES..].iter().all(|v| v.is_nan()))
        );
    }
    // And the runner, whose batches mix lanes and single runs.
    let a = coopsim::sim::run_range(&plan, 5..2100, 1, &|_| {});
    let mut b = coopsim::stats::Aggregate::new(coopsim::sim::runner::layout(&plan));
    for run in 5..2100 {
        simulate(&plan, run, &mut single, &mut alone);
        b.record(&alone);
    }
    assert_eq!(a, b);
}
