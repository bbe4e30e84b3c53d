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
    assert_eq!(x[0], 0.2);
    assert_close("x(1)", x[1], 0.2705018584492428, 1e-15);
    assert_close("x(4)", x[4], 0.43608160417242, 1e-15);
    assert_close("x(8)", x[8], 0.5792723352971346, 1e-15);
}

#[test]
fn ou_step_uses_the_named_stream_exactly() {
    let model = one_driver("initial = 0.3\ntarget = 0.6\nreversion = 2.0\nvolatility = 0.2");
    let x = driver_path(&model, STEPS_8, 17);
    let eps: f64 = StandardNormal.sample(&mut StreamKey::new(1, "driver:x").generator(17));
    let (pull, scale) = ou_transition(2.0, 0.2, 0.25);
    let decay = 1.0 - pull;
    assert_close("exp(-theta dt)", decay, (-0.5f64).exp(), 1e-16);
    assert_close(
        "shock sd",
        scale,
        0.2 * ((1.0 - (-1.0f64).exp()) / 4.0).sqrt(),
        1e-16,
    );
    assert_close("x(1)", x[1], 0.6 + (0.3 - 0.6) * decay + scale * eps, 1e-15);
}

#[test]
fn theta_zero_is_a_random_walk_with_sqrt_dt_shocks() {
    assert_eq!(ou_transition(0.0, 0.2, 0.25), (0.0, 0.1));
    let still = one_driver("initial = 0.3\ntarget = 0.9\nreversion = 0.0\nvolatility = 0.0");
    assert!(
        driver_path(&still, STEPS_8, 3).iter().all(|&x| x == 0.3),
        "no reversion, no noise: x stays"
    );
    let walk = one_driver("initial = 0.5\ntarget = 0.9\nreversion = 0.0\nvolatility = 0.2");
    let x = driver_path(&walk, STEPS_8, 5);
    let eps: f64 = StandardNormal.sample(&mut StreamKey::new(1, "driver:x").generator(5));
    assert_close("x(1)", x[1], 0.5 + 0.1 * eps, 1e-15);
}

#[test]
fn jump_probability_is_one_minus_exp_of_rate_dt() {
    assert_close("p", jump_probability(0.4, 0.25), 0.09516258196404048, 1e-16);
    assert_eq!(jump_probability(0.0, 0.25), 0.0);
    let sure = one_driver(
        "initial = 0.1\ntarget = 0.1\nreversion = 0.0\nvolatility = 0.0\n\
         [[drivers.x.jumps]]\nname = \"up\"\nrate = 1000000.0\nsize = 0.25",
    );
    let x = driver_path(&sure, STEPS_8, 0);
    assert_close("fires every step", x[1], 0.35, 1e-15);
    assert_close("then again", x[2], 0.6, 1e-15);
    let never = sure.replace("rate = 1000000.0", "rate = 0.0");
    assert!(
        driver_path(&never, STEPS_8, 0).iter().all(|&x| x == 0.1),
        "rate 0 disables a jump"
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
    assert_eq!(x[1], 1.0, "0.9 + 0.3 clamps to 1");
    assert_eq!(x[2], 0.0, "set 0.2, then shift -0.5, clamps to 0");
    assert_eq!(x[3], 0.4, "shift, then set 0.4");
    assert_eq!(x[4], 0.4, "nothing more happens");
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
    assert_close("C(0)", out[1], 100.0 * (0.2f64 * 0.6).sqrt(), 1e-12);
    assert_close("C(1)", out[n + 1], 47.5518382553341, 1e-12);
    assert_close("composite equals the one domain", out[n], out[n + 1], 1e-12);
}

#[test]
fn logistic_and_geometric_mean_match_hand_values() {
    assert_eq!(logistic(0.0), 0.5);
    assert_close("logistic(2)", logistic(2.0), 0.8807970779778823, 1e-16);
    assert_close(
        "two actors",
        domain_index([0.25, 0.64].into_iter(), 2),
        40.0,
        1e-12,
    );
    assert_close(
        "three actors",
        domain_index([0.2, 0.4, 0.8].into_iter(), 3),
        40.0,
        1e-12,
    );
    assert_eq!(
        domain_index([0.0, 0.9].into_iter(), 2),
        0.0,
        "cooperation needs every side"
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
    assert_close("C(0) = 100 * (0.2 * 0.4 * 0.8)^(1/3)", out[1], 40.0, 1e-12);
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
    assert_close("C_one", out[1], 40.0, 1e-12);
    assert_close("C_two", out[2], 90.0, 1e-12);
    assert_close("composite = 0.75 * 40 + 0.25 * 90", out[0], 52.5, 1e-12);
}

#[test]
fn keyframed_targets_are_reached_on_the_frame_period() {
    let model = one_driver(
        "initial = 0.2\ntarget = [{ at = \"2026Q1\", value = 0.2 }, { at = \"2026Q3\", value = 0.6 }]\n\
         reversion = 1000000.0\nvolatility = 0.0",
    );
    let x = driver_path(&model, STEPS_8, 0);
    // With instant reversion the driver equals its target at each step.
    assert_close("2026Q2 halfway", x[1], 0.4, 1e-12);
    assert_close("2026Q3 frame", x[2], 0.6, 1e-12);
    assert_close("flat after", x[8], 0.6, 1e-12);
}
