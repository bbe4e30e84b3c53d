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
    let rule = "rule: a result is the same bytes for any thread count (ARCHITECTURE.md, \
                Invariants)";
    let fix = "fix: a run's numbers may depend only on (seed, run, name) (src/sim/rng.rs), \
               and aggregates must merge exactly (src/stats/aggregate.rs, src/sim/runner.rs)";
    assert_eq!(one, bytes(2), "{rule}; 1 and 2 threads differ; {fix}");
    assert_eq!(one, bytes(8), "{rule}; 1 and 8 threads differ; {fix}");
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
        let fix = "fix: an event applies from its own step on (events by step in \
                   src/sim/plan.rs, applied in src/sim/kernel.rs)";
        assert_eq!(
            s.mean[..p],
            o.mean[..p],
            "rule: an event at P changes nothing before P; index {name}'s mean differs \
             before 2028Q1; {fix}"
        );
        assert_eq!(
            s.p50[..p],
            o.p50[..p],
            "rule: an event at P changes nothing before P; index {name}'s p50 differs \
             before 2028Q1; {fix}"
        );
        assert_ne!(
            s.mean[p + 1..],
            o.mean[p + 1..],
            "rule: a shift of the pressure driver shows in the indices after the event; \
             index {name}'s mean is unchanged after 2028Q1; {fix}"
        );
    }
    assert_eq!(
        base.drivers["ties"], other.drivers["ties"],
        "rule: an event on one driver leaves every other driver alone; ties changed under \
         an event on pressure; fix: an event changes only its own driver \
         (src/sim/kernel.rs), whose shocks have their own stream (src/sim/rng.rs)"
    );
    assert_ne!(
        base.drivers["pressure"].mean[p], other.drivers["pressure"].mean[p],
        "rule: a shift event moves its driver at its own period; pressure's mean at 2028Q1 \
         is unchanged; fix: apply events at their step (src/sim/plan.rs, src/sim/kernel.rs)"
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
        assert_eq!(
            *s, other.drivers[name],
            "rule: adding a driver changes no other driver's numbers, each drawing from its \
             own stream keyed by name (docs/spec.md §5); driver {name} changed; fix: key \
             shocks and jumps by driver:<id> and jump:<driver>:<name> (src/sim/rng.rs, \
             src/sim/plan.rs), never by position"
        );
    }
    assert_eq!(
        base.indices, other.indices,
        "rule: a new driver that no engagement weights changes no index; the indices \
         changed; fix: it must neither shift other streams (src/sim/plan.rs) nor enter the \
         utilities without a weight (src/sim/kernel.rs)"
    );
}

/// A new jump or uncertain parameter draws from its own stream only.
#[test]
fn adding_a_jump_or_uncertain_parameter_changes_no_other_stream() {
    let model = tiny_model();
    let base = result(&model, TINY, 2000, 0);
    let jump = format!("{TINY}\n[[drivers.ties.jumps]]\nname = \"new\"\nrate = 2.0\nsize = -0.1\n");
    let other = result(&model, &jump, 2000, 0);
    assert_eq!(
        base.drivers["pressure"], other.drivers["pressure"],
        "rule: a new jump on ties draws from its own stream, so pressure is unchanged \
         (docs/spec.md §5); fix: key each jump's uniforms by jump:<driver>:<name> \
         (src/sim/rng.rs, src/sim/plan.rs)"
    );
    assert_ne!(
        base.drivers["ties"], other.drivers["ties"],
        "rule: a scenario's jump with a new name is appended to its driver (docs/spec.md \
         reading 3); ties is unchanged under a jump of rate 2; fix: the merge \
         (src/input/validate/merge.rs) and the kernel's jumps (src/sim/kernel.rs)"
    );
    let uncertain = format!(
        "{TINY}\n[engagement.a.talks]\nbias = {{ dist = \"uniform\", low = -0.1, high = 0.1 }}\n"
    );
    let other = result(&model, &uncertain, 2000, 0);
    assert_eq!(
        base.drivers, other.drivers,
        "rule: an uncertain parameter draws from its own stream, named by its path \
         (docs/spec.md reading 20), so no driver changes; fix: key each uncertain draw by \
         its parameter path (src/sim/plan.rs)"
    );
    assert_eq!(
        base.indices["trade"], other.indices["trade"],
        "rule: an uncertain bias of engagement.a.talks changes no other domain; the trade \
         index changed; fix: the draw goes to its own slot only (src/sim/plan.rs), and \
         domains do not mix in the kernel (src/sim/kernel.rs)"
    );
    assert_ne!(
        base.indices["talks"], other.indices["talks"],
        "rule: an uncertain bias of engagement.a.talks changes the talks index; it is \
         unchanged; fix: the drawn value must reach the kernel (uncertain slots in \
         src/sim/plan.rs)"
    );
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
                b[row + drivers.start..row + drivers.end],
                "rule: scenarios with the same seed share their driver shocks run by run \
                 (docs/analysis.md, common random numbers); run {run}, period {t}: the \
                 drivers differ under a weight change; fix: driver shocks may depend only \
                 on (seed, run, driver) (src/sim/rng.rs), never on weights"
            );
        }
        assert_ne!(
            a, b,
            "rule: a weight change (engagement.a.trade pressure = -2.0) shows in the \
             indices; run {run} is identical; fix: the scenario's weight must reach the \
             kernel (src/input/validate/merge.rs, src/sim/plan.rs)"
        );
    }
}

/// A run gives the same bits alone and in a batch of lanes, wherever the
/// batch starts: results cannot depend on how runs are grouped.
#[test]
fn a_run_is_the_same_alone_and_in_lanes() {
    same_alone_and_in_lanes(&tiny());
}

/// The same for kernel 2's drawn targets, offsets, one-time flags, factor
/// shocks and decisions, which live in the lanes' workspace.
#[test]
fn a_kernel_2_run_is_the_same_alone_and_in_lanes() {
    same_alone_and_in_lanes(&crate::common::load(&crate::common::data(
        "scenarios/tiny2.toml",
    )));
}

fn same_alone_and_in_lanes(loaded: &coopsim::LoadedScenario) {
    use coopsim::sim::Plan;
    use coopsim::sim::kernel::{LANES, Lanes, Workspace, simulate, simulate_lanes};
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
            assert_eq!(
                lane,
                alone,
                "rule: a run gives the same bits alone and in a batch of lanes, wherever \
                 the batch starts; run {} (batch from {first}) differs; fix: \
                 simulate_lanes in src/sim/kernel.rs must compute each lane from its own \
                 run's streams only",
                first + l as u64
            );
        }
        assert!(
            batch
                .chunks(stride)
                .all(|row| row[LANES..].iter().all(|v| v.is_nan())),
            "rule: lanes write only their own columns of a row `stride` wide; a column past \
             the {LANES} lanes was written (batch from {first}); fix: the stride handling of \
             simulate_lanes in src/sim/kernel.rs"
        );
    }
    // And the runner, whose batches mix lanes and single runs.
    let a = coopsim::sim::run_range(&plan, 5..2100, 1, &|_| {});
    let mut b = coopsim::stats::Aggregate::new(coopsim::sim::runner::layout(&plan));
    for run in 5..2100 {
        simulate(&plan, run, &mut single, &mut alone);
        b.record(&alone);
    }
    assert_eq!(
        a, b,
        "rule: the runner's aggregate of runs 5..2100 equals recording each run alone (its \
         batches mix lanes and single runs); fix: run_range in src/sim/runner.rs, or \
         simulate_lanes in src/sim/kernel.rs"
    );
}
