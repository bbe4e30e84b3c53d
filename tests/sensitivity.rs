//! Sensitivity analysis: the Sobol estimators against functions with known
//! indices, and the three methods on the shipped model.

use crate::common::baseline;
use coopsim::RunOptions;
use coopsim::analysis::sensitivity::sobol::{BOOTSTRAP, design_of, sobol};
use coopsim::analysis::sensitivity::{SHOCKS, morris::morris, tornado::tornado};
use coopsim::sim::rng::StreamKey;
use std::f64::consts::PI;

/// The Ishigami function with a = 7, b = 0.1, on [-π, π]^3, whose indices
/// are known: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244 (Ishigami and
/// Homma 1990; Saltelli et al. 2010). At N = 2^14 the estimates lie within
/// 0.02 of them.
#[test]
fn sobol_estimators_recover_the_ishigami_indices() {
    let ishigami =
        |x: &[f64]| x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin();
    let design = design_of(ishigami, &[(-PI, PI); 3], 1 << 14, 7, "ishigami");
    let got = design.indices(BOOTSTRAP, &StreamKey::new(7, "ishigami:bootstrap"));
    for (i, g) in got.iter().enumerate() {
        eprintln!(
            "Ishigami x{}: S1 {:.4} [{:.4}, {:.4}], ST {:.4} [{:.4}, {:.4}]",
            i + 1,
            g.s1,
            g.s1_ci[0],
            g.s1_ci[1],
            g.st,
            g.st_ci[0],
            g.st_ci[1]
        );
    }
    let s1 = [0.3139, 0.4424, 0.0];
    let st = [0.5576, 0.4424, 0.2437];
    for i in 0..3 {
        let g = got[i];
        assert!((g.s1 - s1[i]).abs() < 0.02, "S1[{i}] = {}", g.s1);
        assert!((g.st - st[i]).abs() < 0.02, "ST[{i}] = {}", g.st);
        assert!(
            g.s1_ci[0] <= g.s1 && g.s1 <= g.s1_ci[1],
            "S1[{i}] inside its interval"
        );
        assert!(
            g.st_ci[0] <= g.st && g.st <= g.st_ci[1],
            "ST[{i}] inside its interval"
        );
    }
}

/// A linear model f = Σ a_i x_i with x_i uniform on [0, 1] has no
/// interactions: S1_i = ST_i = a_i² / Σ a_j².
#[test]
fn sobol_estimators_recover_a_linear_models_indices() {
    let a = [1.0, 2.0, 3.0, 0.0];
    let linear = |x: &[f64]| x.iter().zip(&a).map(|(x, a)| x * a).sum::<f64>();
    let design = design_of(linear, &[(0.0, 1.0); 4], 1 << 13, 3, "linear");
    let got = design.indices(200, &StreamKey::new(3, "linear:bootstrap"));
    let total: f64 = a.iter().map(|a| a * a).sum();
    for i in 0..4 {
        let want = a[i] * a[i] / total;
        assert!(
            (got[i].s1 - want).abs() < 0.02,
            "S1[{i}] = {} vs {want}",
            got[i].s1
        );
        assert!(
            (got[i].st - want).abs() < 0.02,
            "ST[{i}] = {} vs {want}",
            got[i].st
        );
    }
    assert_eq!(
        got[3].st, 0.0,
        "an input with no effect has no total effect"
    );
}

fn options(runs: u64, threads: usize) -> RunOptions {
    RunOptions {
        runs,
        seed: 20261122,
        threads,
    }
}

#[test]
fn sobol_on_the_baseline_reports_every_uncertain_parameter_and_the_shocks() {
    let s = sobol(&baseline(), 512, options(0, 2), &|_| {}).unwrap();
    let inputs: Vec<&str> = s.sobol.keys().map(String::as_str).collect();
    assert_eq!(inputs.len(), 6, "{inputs:?}");
    assert_eq!(inputs[5], SHOCKS);
    assert!(inputs.contains(&"engagement.pakistan.economic.weights.sanctions"));
    assert_eq!(s.by_index.len(), 6, "composite and five domains");
    let shocks = s.sobol[SHOCKS];
    assert!(
        shocks.st > 0.3,
        "the shocks drive much of the spread: {shocks:?}"
    );
    let again = sobol(&baseline(), 512, options(0, 1), &|_| {}).unwrap();
    assert_eq!(s, again, "identical for any thread count");
}

#[test]
fn tornado_bars_are_sorted_and_point_the_way_the_model_does() {
    let t = tornado(&baseline(), options(300, 0), &|_| {});
    let swings: Vec<f64> = t.bars.iter().map(|b| b.swing("composite")).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "widest first");
    assert_eq!(
        t.bars.len(),
        8 + 5,
        "eight driver targets and five uncertain parameters"
    );
    let energy = t
        .bars
        .iter()
        .find(|b| b.name == "drivers.energy.target")
        .unwrap();
    assert!(energy.high["energy"] > 0.0 && energy.low["energy"] < 0.0);
    let sanctions = t
        .bars
        .iter()
        .find(|b| b.name == "drivers.sanctions.target")
        .unwrap();
    assert!(sanctions.high["economic"] < 0.0 && sanctions.low["economic"] > 0.0);
}

#[test]
fn morris_ranks_parameters_and_is_reproducible() {
    let m = morris(&baseline(), 6, options(50, 2), &|_| {}).unwrap();
    assert_eq!(m.effects.len(), 5);
    let mu: Vec<f64> = m.effects.values().map(|e| e.mu_star).collect();
    assert!(mu.windows(2).all(|w| w[0] >= w[1]), "largest mu* first");
    let economic = &m.by_index["economic"]["engagement.pakistan.economic.weights.sanctions"];
    // A higher draw of this weight is a less negative one: moving it up
    // softens the sanctions' bite, so trade rises.
    assert!(economic.mu > 0.0, "{economic:?}");
    assert_eq!(m, morris(&baseline(), 6, options(50, 1), &|_| {}).unwrap());
}
