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
        let x = i + 1;
        assert!(
            (g.s1 - s1[i]).abs() < 0.02,
            "rule: the Sobol estimators recover the Ishigami indices within 0.02 at N = 2^14 \
             (docs/analysis.md, Sobol indices); S1 of x{x} is {}, want {}; fix: the Saltelli \
             (2010) S1 estimator, outputs centred, in Design::estimate \
             (src/analysis/sensitivity/sobol.rs)",
            g.s1,
            s1[i]
        );
        assert!(
            (g.st - st[i]).abs() < 0.02,
            "rule: the Sobol estimators recover the Ishigami indices within 0.02 at N = 2^14 \
             (docs/analysis.md, Sobol indices); ST of x{x} is {}, want {}; fix: Jansen's \
             (1999) ST estimator in Design::estimate (src/analysis/sensitivity/sobol.rs)",
            g.st,
            st[i]
        );
        assert!(
            g.s1_ci[0] <= g.s1 && g.s1 <= g.s1_ci[1],
            "rule: a bootstrap 95% interval contains its point estimate; S1 of x{x} is {} \
             outside {:?}; fix: Design::indices in src/analysis/sensitivity/sobol.rs",
            g.s1,
            g.s1_ci
        );
        assert!(
            g.st_ci[0] <= g.st && g.st <= g.st_ci[1],
            "rule: a bootstrap 95% interval contains its point estimate; ST of x{x} is {} \
             outside {:?}; fix: Design::indices in src/analysis/sensitivity/sobol.rs",
            g.st,
            g.st_ci
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
            "rule: a linear model of independent inputs has S1_i = a_i^2 / sum a_j^2, within \
             0.02 at N = 2^13; input {i}: S1 {}, want {want}; fix: the S1 estimator in \
             Design::estimate (src/analysis/sensitivity/sobol.rs)",
            got[i].s1
        );
        assert!(
            (got[i].st - want).abs() < 0.02,
            "rule: a linear model has no interactions, so ST_i = S1_i = a_i^2 / sum a_j^2, \
             within 0.02; input {i}: ST {}, want {want}; fix: the ST estimator in \
             Design::estimate (src/analysis/sensitivity/sobol.rs)",
            got[i].st
        );
    }
    assert_eq!(
        got[3].st, 0.0,
        "rule: an input with no effect has a total effect of exactly 0 (f(A) = f(A_B) in \
         every row); fix: Jansen's ST estimator in Design::estimate \
         (src/analysis/sensitivity/sobol.rs)"
    );
}

/// The shipped baseline's uncertain parameters, as the plan draws them.
fn uncertain_in_baseline() -> usize {
    let loaded = baseline();
    coopsim::sim::Plan::new(&loaded.scenario, 0).uncertain.len()
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
    let s = sobol(&baseline(), 512, options(0, 2), &|_| {}).unwrap_or_else(|e| {
        panic!(
            "rule: Sobol runs on the shipped baseline, which has uncertain parameters; {e}; \
             fix: sobol() in src/analysis/sensitivity/sobol.rs"
        )
    });
    let inputs: Vec<&str> = s.sobol.keys().map(String::as_str).collect();
    let n = uncertain_in_baseline();
    assert_eq!(
        inputs.len(),
        n + 1,
        "rule: Sobol on the baseline reports each of its {n} uncertain parameters and the \
         shocks group; got {inputs:?}; fix: sobol() in src/analysis/sensitivity/sobol.rs"
    );
    assert_eq!(
        inputs[n], SHOCKS,
        "rule: Sobol reports the shocks group last, after the parameters; got {inputs:?}; \
         fix: sobol() in src/analysis/sensitivity/sobol.rs"
    );
    assert!(
        inputs.contains(&"engagement.pakistan.economic.weights.sanctions"),
        "rule: Sobol names each uncertain parameter by its path (docs/spec.md reading 20); \
         engagement.pakistan.economic.weights.sanctions is missing from {inputs:?}; fix: \
         sobol() in src/analysis/sensitivity/sobol.rs, or restore the weight's distribution \
         in models/pakistan_russia.toml"
    );
    assert_eq!(
        s.by_index.len(),
        6,
        "rule: Sobol reports the composite and each of the five domains under by_index; \
         fix: sobol() in src/analysis/sensitivity/sobol.rs"
    );
    let shocks = s.sobol[SHOCKS];
    assert!(
        shocks.st > 0.05 && shocks.st < 0.5,
        "rule: in the shipped model 2 the parameters the record does not pin down carry \
         most of the baseline's horizon spread, and the drivers' shocks a real share \
         (0.05 < ST < 0.5; docs/model.md gives about 0.19); got {shocks:?}; fix: the shocks \
         group in src/analysis/sensitivity/sobol.rs (row j of A with run j's shocks, of B \
         with run N + j's), or this band with docs/model.md if the model changed on purpose"
    );
    let again = sobol(&baseline(), 512, options(0, 1), &|_| {}).unwrap();
    assert_eq!(
        s, again,
        "rule: Sobol indices are identical for any thread count (2 against 1); fix: each \
         evaluation may depend only on its row and the seed \
         (src/analysis/sensitivity/sobol.rs), never on the worker"
    );
}

#[test]
fn tornado_bars_are_sorted_and_point_the_way_the_model_does() {
    let t = tornado(&baseline(), options(300, 0), &|_| {});
    let swings: Vec<f64> = t.bars.iter().map(|b| b.swing("composite")).collect();
    assert!(
        swings.windows(2).all(|w| w[0] >= w[1]),
        "rule: tornado bars come widest composite swing first; swings {swings:?}; fix: the \
         sort in tornado() (src/analysis/sensitivity/tornado.rs)"
    );
    // Drawn targets are moved with their whole target's bar.
    let loaded = baseline();
    let n = coopsim::sim::Plan::new(&loaded.scenario, 0)
        .uncertain
        .iter()
        .filter(|u| !matches!(u.path, coopsim::model::ParamPath::DriverTarget { .. }))
        .count();
    assert_eq!(
        t.bars.len(),
        8 + n,
        "rule: the baseline's tornado has a bar for each of its eight driver targets and \
         each of its {n} uncertain parameters other than targets; fix: tornado() in \
         src/analysis/sensitivity/tornado.rs"
    );
    let bar = |name: &str| {
        t.bars.iter().find(|b| b.name == name).unwrap_or_else(|| {
            panic!(
                "rule: tornado has a bar for each driver target, named by its path; {name} \
                 is missing; fix: tornado() in src/analysis/sensitivity/tornado.rs"
            )
        })
    };
    let energy = bar("drivers.energy.target");
    assert!(
        energy.high["energy"] > 0.0 && energy.low["energy"] < 0.0,
        "rule: a higher energy target raises the energy index and a lower one lowers it, as \
         the shipped weights say; got high {}, low {}; fix: the ±0.2 target shift in \
         tornado() (src/analysis/sensitivity/tornado.rs), or the energy weights in \
         models/pakistan_russia.toml",
        energy.high["energy"],
        energy.low["energy"]
    );
    let sanctions = bar("drivers.sanctions.target");
    assert!(
        sanctions.high["economic"] < 0.0 && sanctions.low["economic"] > 0.0,
        "rule: a higher sanctions target lowers the economic index and a lower one raises \
         it, as the shipped weights say; got high {}, low {}; fix: the ±0.2 target shift in \
         tornado() (src/analysis/sensitivity/tornado.rs), or the sanctions weights in \
         models/pakistan_russia.toml",
        sanctions.high["economic"],
        sanctions.low["economic"]
    );
}

#[test]
fn morris_ranks_parameters_and_is_reproducible() {
    let m = morris(&baseline(), 6, options(50, 2), &|_| {}).unwrap_or_else(|e| {
        panic!(
            "rule: Morris runs on the shipped baseline, which has uncertain parameters; {e}; \
             fix: morris() in src/analysis/sensitivity/morris.rs"
        )
    });
    let n = uncertain_in_baseline();
    assert_eq!(
        m.effects.len(),
        n,
        "rule: Morris screens each of the baseline's {n} uncertain parameters; fix: \
         morris() in src/analysis/sensitivity/morris.rs"
    );
    let mu: Vec<f64> = m.effects.values().map(|e| e.mu_star).collect();
    assert!(
        mu.windows(2).all(|w| w[0] >= w[1]),
        "rule: Morris lists effects largest mu* first; got {mu:?}; fix: the sort in \
         morris() (src/analysis/sensitivity/morris.rs)"
    );
    let economic = &m.by_index["economic"]["engagement.pakistan.economic.weights.sanctions"];
    // A higher draw of this weight is a less negative one: moving it up
    // softens the sanctions' bite, so trade rises.
    assert!(
        economic.mu > 0.0,
        "rule: moving the sanctions weight on Pakistan's trade up (less negative) raises the \
         economic index, so its mu is positive; got {economic:?}; fix: the sign of the \
         elementary effect (the effect of moving up) in morris() \
         (src/analysis/sensitivity/morris.rs), or the weight in models/pakistan_russia.toml"
    );
    assert_eq!(
        m,
        morris(&baseline(), 6, options(50, 1), &|_| {}).unwrap(),
        "rule: Morris is identical for any thread count (2 against 1); fix: trajectories \
         come from the seed alone and each point is evaluated on its own \
         (src/analysis/sensitivity/morris.rs)"
    );
}
