//! Each piece of kernel v1 against values worked out by hand.

use crate::common::{HEADER, assert_close, one_driver, scenario, trajectory};
use coopsim::sim::rng::StreamKey;
use coopsim::sim::transition::{domain_index, jump_probability, logistic, ou_transition};
use rand_distr::{Distribution, StandardNormal};

const STEPS_8: &str = "[scenario]\nname = \"s\"\nmodel = \"hand\"\nsteps = 8\n";

/// Series 2 is driver `x` (after the composite and domain `d`).
fn driver_path(model: &str, scenario_text: &str, run: u64) -> Vec<f64> {
    let loaded = scenario(model, scenario_text);
    let (plan, out) = trajectory(&loaded, 1, run);
    out.chunks(plan.n_series()).map(|row| row[2]).collect()
}

#[test]
fn ou_without_noise_follows_the_closed_form() {
    let model = one_driver("initial = 0.2\ntarget = 0.8\nreversion = 0.5\nvolatility = 0.0");
    let x = driver_path(&model, STEPS_8, 0);
    // x(t) = 0.8 - 0.6 exp(-0.5 t / 4)
    assert_eq!(
        x[0], 0.2,
        "rule: a driver's first period is its initial value (docs/spec.md §4, step 2); \
         fix: the start of a run in src/sim/kernel.rs"
    );
    let closed = "a noiseless OU driver follows x(t) = 0.8 - 0.6 exp(-0.5 t / 4)";
    assert_close(&format!("{closed}: x(1)"), x[1], 0.2705018584492428, 1e-15);
    assert_close(&format!("{closed}: x(4)"), x[4], 0.43608160417242, 1e-15);
    assert_close(&format!("{closed}: x(8)"), x[8], 0.5792723352971346, 1e-15);
}

#[test]
fn ou_step_uses_the_named_stream_exactly() {
    let model = one_driver("initial = 0.3\ntarget = 0.6\nreversion = 2.0\nvolatility = 0.2");
    let x = driver_path(&model, STEPS_8, 17);
    let eps: f64 = StandardNormal.sample(&mut StreamKey::new(1, "driver:x").generator(17));
    let (pull, scale) = ou_transition(2.0, 0.2, 0.25);
    let decay = 1.0 - pull;
    assert_close(
        "an OU step keeps exp(-theta dt) of the gap to its target (theta 2, dt 1/4)",
        decay,
        (-0.5f64).exp(),
        1e-16,
    );
    assert_close(
        "an OU step's shock sd is sigma sqrt((1 - exp(-2 theta dt)) / (2 theta))",
        scale,
        0.2 * ((1.0 - (-1.0f64).exp()) / 4.0).sqrt(),
        1e-16,
    );
    assert_close(
        "an OU step is mu + (x - mu) exp(-theta dt) + sd eps, eps the first normal of \
         stream driver:x in run 17 (docs/spec.md §4, §5): x(1)",
        x[1],
        0.6 + (0.3 - 0.6) * decay + scale * eps,
        1e-15,
    );
}

#[test]
fn theta_zero_is_a_random_walk_with_sqrt_dt_shocks() {
    assert_eq!(
        ou_transition(0.0, 0.2, 0.25),
        (0.0, 0.1),
        "rule: with theta = 0 an OU step has no pull and a shock sd of sigma sqrt(dt) \
         (docs/spec.md §4); fix: ou_transition in src/sim/transition.rs"
    );
    let still = one_driver("initial = 0.3\ntarget = 0.9\nreversion = 0.0\nvolatility = 0.0");
    assert!(
        driver_path(&still, STEPS_8, 3).iter().all(|&x| x == 0.3),
        "rule: with no reversion and no noise a driver stays at its initial value; fix: \
         ou_transition in src/sim/transition.rs, or the driver step in src/sim/kernel.rs"
    );
    let walk = one_driver("initial = 0.5\ntarget = 0.9\nreversion = 0.0\nvolatility = 0.2");
    let x = driver_path(&walk, STEPS_8, 5);
    let eps: f64 = StandardNormal.sample(&mut StreamKey::new(1, "driver:x").generator(5));
    assert_close(
        "with theta = 0 a step adds sigma sqrt(dt) eps, eps from stream driver:x in run 5: \
         x(1)",
        x[1],
        0.5 + 0.1 * eps,
        1e-15,
    );
}

#[test]
fn jump_probability_is_one_minus_exp_of_rate_dt() {
    assert_close(
        "a jump fires in a step with probability 1 - exp(-rate dt) (rate 0.4, dt 1/4)",
        jump_probability(0.4, 0.25),
        0.09516258196404048,
        1e-16,
    );
    assert_eq!(
        jump_probability(0.0, 0.25),
        0.0,
        "rule: a jump of rate 0 never fires (docs/spec.md reading 3); fix: \
         jump_probability in src/sim/transition.rs"
    );
    let sure = one_driver(
        "initial = 0.1\ntarget = 0.1\nreversion = 0.0\nvolatility = 0.0\n\
         [[drivers.x.jumps]]\nname = \"up\"\nrate = 1000000.0\nsize = 0.25",
    );
    let x = driver_path(&sure, STEPS_8, 0);
    assert_close(
        "a jump of huge rate fires in the first step and adds its size: x(1) = 0.1 + 0.25",
        x[1],
        0.35,
        1e-15,
    );
    assert_close(
        "a jump fires at most once per step, and again in the next: x(2) = 0.35 + 0.25",
        x[2],
        0.6,
        1e-15,
    );
    let never = sure.replace("rate = 1000000.0", "rate = 0.0");
    assert!(
        driver_path(&never, STEPS_8, 0).iter().all(|&x| x == 0.1),
        "rule: rate 0 disables a jump (docs/spec.md reading 3); the driver left 0.1; fix: \
         jump_probability in src/sim/transition.rs, or the jump step in src/sim/kernel.rs"
    );
}

#[test]
fn events_apply_in_file_order_then_clamp() {
    let model = one_driver("initial = 0.9\ntarget = 0.9\nreversion = 0.0\nvolatility = 0.0");
    let s = format!(
        "{STEPS_8}\
         [[events]]\nat = \"2026Q2\"\ndriver = \"x\"\nshift = 0.3\n\
         [[events]]\nat = \"2026Q3\"\ndriver = \"x\"\nset = 0.2\n\
         [[events]]\nat = \"2026Q3\"\ndriver = \"x\"\nshift = -0.5\n\
         [[events]]\nat = \"2026Q4\"\ndriver = \"x\"\nshift = -0.5\n\
         [[events]]\nat = \"2026Q4\"\ndriver = \"x\"\nset = 0.4\n"
    );
    let x = driver_path(&model, &s, 0);
    let rule = "rule: a period's events apply in file order, then the driver is clamped to \
                [0, 1] (docs/spec.md §4: events, then clamp)";
    let fix = "fix: the event and clamp steps in src/sim/kernel.rs (events by step in \
               src/sim/plan.rs)";
    assert_eq!(x[1], 1.0, "{rule}; 0.9 + 0.3 clamps to 1; {fix}");
    assert_eq!(
        x[2], 0.0,
        "{rule}; set 0.2, then shift -0.5, clamps to 0; {fix}"
    );
    assert_eq!(
        x[3], 0.4,
        "{rule}; shift -0.5, then set 0.4, gives 0.4; {fix}"
    );
    assert_eq!(
        x[4], 0.4,
        "{rule}; with no event and no motion 2027Q1 stays at 0.4; {fix}"
    );
}

#[test]
fn actors_update_simultaneously_with_reciprocity() {
    let model = format!(
        r#"{HEADER}
[actors.a]
adjustment = 4.0
reciprocity = 0.5
[actors.b]
adjustment = 4.0
reciprocity = 0.0
[domains.d]
weight = 1.0
[drivers.x]
initial = 0.5
target = 0.5
reversion = 0.0
volatility = 0.0
[engagement.a.d]
initial = 0.2
bias = -1.0
weights = {{ x = 2.0 }}
[engagement.b.d]
initial = 0.6
"#
    );
    let loaded = scenario(&model, STEPS_8);
    let (plan, out) = trajectory(&loaded, 1, 0);
    let n = plan.n_series();
    // f = 1 - exp(-4 * 0.25) = 0.6321205588285577; both targets are logistic(0) = 0.5.
    // a: 0.2 + f * (0.5 * 0.5 + 0.5 * 0.6 - 0.2) = 0.4212421955899952 (peer at t - 1)
    // b: 0.6 + f * (0.5 - 0.6)                    = 0.5367879441171443
    // index = 100 * sqrt(a * b)                   = 47.5518382553341
    assert_close(
        "a domain index starts at 100 sqrt(e_a e_b) of the initial engagement: C(0)",
        out[1],
        100.0 * (0.2f64 * 0.6).sqrt(),
        1e-12,
    );
    assert_close(
        "actors update at once, each seeing its peers at t - 1 through reciprocity \
         (docs/spec.md §4, Actors): C(1)",
        out[n + 1],
        47.5518382553341,
        1e-12,
    );
    assert_close(
        "the composite of a one-domain model equals that domain's index",
        out[n],
        out[n + 1],
        1e-12,
    );
}

#[test]
fn logistic_and_geometric_mean_match_hand_values() {
    assert_eq!(
        logistic(0.0),
        0.5,
        "rule: logistic(0) is exactly 0.5; fix: logistic in src/sim/transition.rs"
    );
    assert_close(
        "logistic(u) is 1 / (1 + exp(-u)): logistic(2)",
        logistic(2.0),
        0.8807970779778823,
        1e-16,
    );
    assert_close(
        "a domain index is 100 times the geometric mean of engagement: two actors at \
         0.25 and 0.64",
        domain_index([0.25, 0.64].into_iter(), 2),
        40.0,
        1e-12,
    );
    assert_close(
        "a domain index is 100 times the geometric mean of engagement: three actors at \
         0.2, 0.4 and 0.8",
        domain_index([0.2, 0.4, 0.8].into_iter(), 3),
        40.0,
        1e-12,
    );
    assert_eq!(
        domain_index([0.0, 0.9].into_iter(), 2),
        0.0,
        "rule: cooperation needs every side: a domain index is 0 when any actor's \
         engagement is 0; fix: domain_index in src/sim/transition.rs"
    );
}

#[test]
fn three_actors_index_is_the_geometric_mean() {
    let model = format!(
        r#"{HEADER}
[actors.a]
adjustment = 1.0
reciprocity = 0.0
[actors.b]
adjustment = 1.0
reciprocity = 0.0
[actors.c]
adjustment = 1.0
reciprocity = 0.0
[domains.d]
weight = 1.0
[engagement.a.d]
initial = 0.2
[engagement.b.d]
initial = 0.4
[engagement.c.d]
initial = 0.8
"#
    );
    let (_, out) = trajectory(&scenario(&model, STEPS_8), 1, 0);
    assert_close(
        "three actors' index is their geometric mean: C(0) = 100 * (0.2 * 0.4 * 0.8)^(1/3)",
        out[1],
        40.0,
        1e-12,
    );
}

#[test]
fn composite_uses_normalised_domain_weights() {
    let model = format!(
        r#"{HEADER}
[actors.a]
adjustment = 1.0
reciprocity = 0.0
[actors.b]
adjustment = 1.0
reciprocity = 0.0
[domains.one]
weight = 3.0
[domains.two]
weight = 1.0
[engagement.a.one]
initial = 0.4
[engagement.b.one]
initial = 0.4
[engagement.a.two]
initial = 0.9
[engagement.b.two]
initial = 0.9
"#
    );
    let (_, out) = trajectory(&scenario(&model, STEPS_8), 1, 0);
    assert_close(
        "domain one's index is 100 sqrt(0.4 * 0.4)",
        out[1],
        40.0,
        1e-12,
    );
    assert_close(
        "domain two's index is 100 sqrt(0.9 * 0.9)",
        out[2],
        90.0,
        1e-12,
    );
    assert_close(
        "the composite weighs domains by normalised weights: 0.75 * 40 + 0.25 * 90",
        out[0],
        52.5,
        1e-12,
    );
}

#[test]
fn keyframed_targets_are_reached_on_the_frame_period() {
    let model = one_driver(
        "initial = 0.2\ntarget = [{ at = \"2026Q1\", value = 0.2 }, { at = \"2026Q3\", value = 0.6 }]\n\
         reversion = 1000000.0\nvolatility = 0.0",
    );
    let x = driver_path(&model, STEPS_8, 0);
    // With instant reversion the driver equals its target at each step.
    let at_target = "with instant reversion a driver is at its keyframed target";
    assert_close(
        &format!("{at_target}, interpolated between frames: 2026Q2 is halfway"),
        x[1],
        0.4,
        1e-12,
    );
    assert_close(
        &format!("{at_target}, reached on the frame's period: 2026Q3"),
        x[2],
        0.6,
        1e-12,
    );
    assert_close(
        &format!("{at_target}, flat after the last frame: 2028Q1"),
        x[8],
        0.6,
        1e-12,
    );
}
