//! Kernel 2 (docs/spec.md §12) against values worked out by hand and
//! distributions known in closed form: persistent and one-time jumps,
//! shared shocks, drawn targets and decisions; and kernel 1's numbers
//! kept by a kernel-2 model that uses none of them.

use crate::common::{
    assert_close, data, load, one_driver, scenario, tiny, tiny_model, trajectory, two_actors,
};
use coopsim::{RunOptions, run};

const SCENARIO: &str = "[scenario]\nname = \"k2\"\nmodel = \"hand\"\nend = \"2028Q4\"\n";

/// `text` with its model header's `kernel = 1` made `kernel = 2`.
fn kernel_2(text: &str) -> String {
    assert!(text.contains("kernel = 1"));
    text.replacen("kernel = 1", "kernel = 2", 1)
}

/// Driver `x` (series 2) at every period of run 0.
fn driver_path(model_text: &str, scenario_text: &str) -> Vec<f64> {
    let loaded = scenario(model_text, scenario_text);
    let (plan, out) = trajectory(&loaded, 1, 0);
    (0..plan.n_periods())
        .map(|t| out[t * plan.n_series() + 2])
        .collect()
}

/// A jump certain to fire every step (rate 1e6 a year), of size 0.2, on a
/// driver with no noise that reverts to 0.5 at 0.8 a year.
fn certain_jump(flags: &str) -> String {
    kernel_2(&one_driver(&format!(
        "initial = 0.5\ntarget = 0.5\nreversion = 0.8\nvolatility = 0.0\n\
         [[drivers.x.jumps]]\nname = \"j\"\nrate = 1e6\nsize = 0.2\n{flags}"
    )))
}

#[test]
fn a_persistent_one_time_jump_moves_the_target_for_good() {
    let x = driver_path(&certain_jump("persistent = true\nonce = true\n"), SCENARIO);
    // Step 1: the OU step leaves 0.5, the jump adds 0.2; from step 2 on the
    // driver reverts to 0.5 + 0.2 and stays.
    for (t, v) in x.iter().enumerate().skip(1) {
        assert_close(
            &format!(
                "a persistent jump that fired once holds the driver at target + size at step {t}"
            ),
            *v,
            0.7,
            1e-15,
        );
    }
}

#[test]
fn a_one_time_jump_that_does_not_persist_fades_at_the_reversion_rate() {
    let x = driver_path(&certain_jump("once = true\n"), SCENARIO);
    let pull = (-0.8f64 * 0.25).exp();
    for (t, v) in x.iter().enumerate().skip(1) {
        let want = 0.5 + 0.2 * pull.powi(t as i32 - 1);
        assert_close(
            &format!("a one-time jump fades as exp(-theta dt) per step, step {t}"),
            *v,
            want,
            1e-12,
        );
    }
}

#[test]
fn a_persistent_jump_without_once_keeps_firing_and_raising_the_target() {
    let x = driver_path(&certain_jump("persistent = true\n"), SCENARIO);
    // Each step adds 0.2 to the driver and the offset; the driver clamps at 1.
    assert_close("the first firing adds its size", x[1], 0.7, 1e-15);
    assert_close("the second firing adds it again", x[2], 0.9, 1e-12);
    for (t, v) in x.iter().enumerate().skip(3) {
        assert_close(
            &format!("the driver stays clamped at 1, step {t}"),
            *v,
            1.0,
            0.0,
        );
    }
}

/// The offset moves by the jump's size as drawn, before the clamp, and is
/// never clamped itself; events and the clamp leave it alone. A driver at
/// 0.9 that follows its target at once (reversion 1e3) takes a certain
/// once-and-persistent +1.5 in step 1 (the driver clamps to 1, the offset is
/// 1.5), is set to 0.1 by an event in step 2 (the offset stays) and reverts
/// to clamp(0.9 + 1.5) = 1 in step 3. With a second such jump of -1.5 in
/// the same step, the offset is 0 and the target 0.9 again: an offset moved
/// by the clamped change (+0.1) would leave -1.4 and a target of 0, and an
/// offset clamped to [0, 1] would leave -0.5 and a target of 0.4.
#[test]
fn the_offset_adds_sizes_as_drawn_and_only_mu_is_clamped() {
    let model = kernel_2(&one_driver(
        "initial = 0.9\ntarget = 0.9\nreversion = 1000.0\nvolatility = 0.0\n\
         [[drivers.x.jumps]]\nname = \"up\"\nrate = 1e6\nsize = 1.5\npersistent = true\nonce = true\n",
    ));
    let scenario_text = format!(
        "{SCENARIO}[[events]]\nat = \"2026Q3\"\ndriver = \"x\"\nset = 0.1\n\
         [[drivers.x.jumps]]\nname = \"down\"\nrate = 0.0\nsize = -1.5\npersistent = true\nonce = true\n"
    );
    let x = driver_path(&model, &scenario_text);
    assert_close(
        "a persistent jump's firing is clamped in the driver",
        x[1],
        1.0,
        0.0,
    );
    assert_close("an event sets the driver, not the offset", x[2], 0.1, 0.0);
    assert_close(
        "the driver reverts to clamp(target + offset)",
        x[3],
        1.0,
        1e-12,
    );
    let with_down = scenario_text.replace("rate = 0.0\nsize = -1.5", "rate = 1e6\nsize = -1.5");
    let x = driver_path(&model, &with_down);
    assert_close(
        "two persistent firings in one step add before the clamp",
        x[1],
        0.9,
        1e-12,
    );
    assert_close("an event sets the driver", x[2], 0.1, 0.0);
    assert_close(
        "the offset moved by the sizes as drawn and was never clamped: the target is 0.9",
        x[3],
        0.9,
        1e-12,
    );
}

#[test]
fn a_kernel_2_model_without_kernel_2_items_gives_kernel_1_bytes() {
    let options = RunOptions {
        runs: 1500,
        seed: 20261122,
        threads: 0,
    };
    let k1 = run(&tiny(), options, &|_| {});
    let text = std::fs::read_to_string(data("scenarios/tiny.toml")).unwrap();
    let k2 = run(&scenario(&kernel_2(&tiny_model()), &text), options, &|_| {});
    assert_eq!(k2.provenance.kernel, 2);
    let json = |r: &coopsim::RunResult| {
        let mut v = serde_json::to_value(r).unwrap();
        for key in ["kernel", "model"] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    assert!(
        json(&k1) == json(&k2),
        "rule: a kernel-2 model that uses none of kernel 2's items gives exactly kernel 1's \
         numbers (docs/spec.md §12); fix: keep every kernel-2 branch in src/sim/kernel.rs off \
         for such a plan"
    );
}

/// Two drivers with no reversion, loaded 0.6 and -0.5 on one factor: their
/// shocks have correlation -0.3 and unit variance, so at the horizon the
/// drivers (never near the clamp) have correlation -0.3 and each the
/// variance `sigma^2 * steps * dt`.
#[test]
fn a_factor_correlates_its_drivers_by_the_product_of_their_loadings() {
    let model = kernel_2(&format!(
        r#"{}
[domains.d]
weight = 1.0
[drivers.x]
initial = 0.5
target = 0.5
reversion = 0.0
volatility = 0.02
[drivers.y]
initial = 0.5
target = 0.5
reversion = 0.0
volatility = 0.02
[factors.f]
title = "shared"
meaning = "a shock both drivers take"
loadings = {{ x = 0.6, y = -0.5 }}
[engagement.a.d]
initial = 0.5
[engagement.b.d]
initial = 0.5
"#,
        two_actors(1.0)
    ));
    let loaded = scenario(&model, SCENARIO);
    let n = 4000;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    let steps = loaded.scenario.steps as f64;
    for r in 0..n {
        let (plan, out) = trajectory(&loaded, 3, r);
        let last = plan.steps * plan.n_series();
        xs.push(out[last + 2]);
        ys.push(out[last + 3]);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mx, my) = (mean(&xs), mean(&ys));
    let cov = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (x - mx) * (y - my))
        .sum::<f64>()
        / (n - 1) as f64;
    let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
    let (vx, vy) = (var(&xs, mx), var(&ys, my));
    let rho = cov / (vx * vy).sqrt();
    let nf = n as f64;
    // The sample correlation's standard error is about (1 - rho^2)/sqrt(n);
    // a sample variance's relative one sqrt(2/(n-1)). Four of each.
    assert_close(
        "two drivers' shocks correlate by the product of their loadings",
        rho,
        -0.3,
        4.0 * (1.0 - 0.09) / nf.sqrt(),
    );
    let want = 0.02f64.powi(2) * steps * 0.25;
    for (v, name) in [(vx, "x"), (vy, "y")] {
        assert_close(
            &format!("a loaded driver's shock keeps unit variance ({name})"),
            v / want,
            1.0,
            4.0 * (2.0 / (nf - 1.0)).sqrt(),
        );
    }
}

/// A keyframe drawn from U(0.3, 0.9), followed closely (reversion 1e3,
/// no noise): at the keyframe the driver is the draw; halfway between the
/// fixed frame before it and the draw it is their mean, run by run.
#[test]
fn an_uncertain_keyframe_is_drawn_once_a_run_and_interpolated_run_by_run() {
    let model = kernel_2(&one_driver(
        "initial = 0.2\n\
         target = [{ at = \"2026Q1\", value = 0.2 }, { at = \"2027Q1\", value = { dist = \"uniform\", low = 0.3, high = 0.9 } }]\n\
         reversion = 1000.0\nvolatility = 0.0",
    ));
    let loaded = scenario(&model, SCENARIO);
    let plan = coopsim::sim::Plan::new(&loaded.scenario, 5);
    let paths: Vec<String> = plan.uncertain.iter().map(|u| u.path.to_string()).collect();
    assert_eq!(
        paths,
        ["drivers.x.target.2027Q1"],
        "rule: an uncertain keyframe's stream is keyed by drivers.<id>.target.<period>"
    );
    let n = 3000;
    let mut at_frame = Vec::new();
    for r in 0..n {
        let (plan, out) = trajectory(&loaded, 5, r);
        let x = |t: usize| out[t * plan.n_series() + 2];
        // Reversion 1e3 a year leaves exp(-250) of a gap: nothing.
        assert_close(
            "halfway to an uncertain keyframe the target is halfway, run by run",
            x(2),
            (0.2 + x(4)) / 2.0,
            1e-12,
        );
        assert_close(
            "after the last keyframe the target stays flat",
            x(8),
            x(4),
            1e-12,
        );
        at_frame.push(x(4));
    }
    let mean = at_frame.iter().sum::<f64>() / n as f64;
    let sd = 0.6 / 12f64.sqrt();
    assert_close(
        "a keyframe drawn from U(0.3, 0.9) has mean 0.6",
        mean,
        0.6,
        4.0 * sd / (n as f64).sqrt(),
    );
    assert!(at_frame.iter().all(|v| (0.3..=0.9).contains(v)));
}

/// Actors that adjust all the way each step (adjustment 1e3) with no
/// reciprocity sit on their aim: `logistic(bias + w x)`. A decision in
/// 2027Q1 raises actor b's bias from that period on, in its domain only.
#[test]
fn a_decision_raises_the_bias_from_its_period_on() {
    let model = kernel_2(&format!(
        r#"{}
[domains.d]
weight = 1.0
[domains.e]
weight = 1.0
[drivers.x]
initial = 0.5
target = 0.5
reversion = 0.0
volatility = 0.0
[engagement.a.d]
initial = 0.5
[engagement.a.e]
initial = 0.5
[engagement.b.d]
initial = 0.5
bias = -1.0
weights = {{ x = 2.0 }}
[engagement.b.e]
initial = 0.5
"#,
        two_actors(1000.0)
    ));
    let with = format!(
        "{SCENARIO}[[events]]\nat = \"2027Q1\"\nactor = \"b\"\ndomain = \"d\"\nbias_shift = 1.5\n"
    );
    let (plan, out) = trajectory(&scenario(&model, &with), 1, 0);
    let (base_plan, base) = trajectory(&scenario(&model, SCENARIO), 1, 0);
    let logistic = |u: f64| 1.0 / (1.0 + (-u).exp());
    let ns = plan.n_series();
    let index_d = |out: &[f64], t: usize| out[t * ns + 1];
    for t in 1..plan.n_periods() {
        let shifted = t >= 4;
        // Engagement a stays at 0.5 (its aim is logistic(0)); b's aim is
        // logistic(-1 + 2 * 0.5 [+ 1.5]). The domain index is
        // 100 sqrt(e_a e_b), the adjustment leaving exp(-250) of a gap.
        let b = logistic(if shifted { 1.5 } else { 0.0 });
        assert_close(
            &format!("a decision moves its domain's aim from its period on, step {t}"),
            index_d(&out, t),
            100.0 * (0.5 * b).sqrt(),
            1e-9,
        );
        assert_close(
            &format!("a decision leaves its actor's other domains alone, step {t}"),
            out[t * ns + 2],
            base[t * base_plan.n_series() + 2],
            0.0,
        );
        if !shifted {
            assert_eq!(
                index_d(&out, t).to_bits(),
                index_d(&base, t).to_bits(),
                "rule: a decision changes nothing before its period"
            );
        }
    }
}

#[test]
fn the_kernel_2_test_scenario_loads_and_runs_the_same_on_any_thread_count() {
    let loaded = load(&data("scenarios/tiny2.toml"));
    assert_eq!(loaded.scenario.decisions.len(), 2);
    let at = |threads| {
        let r = run(
            &loaded,
            RunOptions {
                runs: 3000,
                seed: 11,
                threads,
            },
            &|_| {},
        );
        serde_json::to_string(&r).unwrap()
    };
    assert!(
        at(1) == at(2),
        "rule: a kernel-2 result is byte-identical for any thread count; fix: keep every \
         random number keyed by (seed, run, name) in src/sim/"
    );
}
