//! Distributions against theory, with tolerances derived from the run count
//! (four standard errors), and aggregates against exact sample statistics.

use crate::common::{assert_close, one_driver, scenario, tiny};
use coopsim::sim::Plan;
use coopsim::sim::kernel::{Workspace, simulate};
use coopsim::sim::transition::jump_probability;
use coopsim::stats::exact_quantile;
use coopsim::{RunOptions, RunResult, run};

fn run_driver(driver: &str, runs: u64) -> RunResult {
    let s = scenario(
        &one_driver(driver),
        "[scenario]\nname = \"s\"\nmodel = \"hand\"\nsteps = 40\n",
    );
    run(
        &s,
        RunOptions {
            runs,
            seed: 11,
            threads: 0,
        },
        &|_| {},
    )
}

#[test]
fn ou_mean_and_variance_follow_theory_at_every_step() {
    let (theta, sigma, dt, n) = (2.0f64, 0.2f64, 0.25f64, 20_000u64);
    let r = run_driver(
        "initial = 0.5\ntarget = 0.5\nreversion = 2.0\nvolatility = 0.2",
        n,
    );
    let x = &r.drivers["x"];
    for t in 1..=40 {
        // Var x(t) = sigma^2 (1 - exp(-2 theta t dt)) / (2 theta); clamping at
        // 0 and 1 is five standard deviations away and does not matter.
        let var = sigma * sigma * (1.0 - (-2.0 * theta * t as f64 * dt).exp()) / (2.0 * theta);
        let mean_tol = 4.0 * (var / n as f64).sqrt();
        let var_tol = 4.0 * var * (2.0 / (n - 1) as f64).sqrt();
        assert_close(
            &format!("the OU driver's mean stays at its target 0.5 at step {t}"),
            x.mean[t],
            0.5,
            mean_tol,
        );
        assert_close(
            &format!(
                "the OU driver's variance at step {t} is \
                 sigma^2 (1 - exp(-2 theta t dt)) / (2 theta)"
            ),
            x.sd[t].powi(2),
            var,
            var_tol,
        );
    }
    let stationary = sigma * sigma / (2.0 * theta);
    assert_close(
        "the OU driver's variance reaches the stationary sigma^2 / (2 theta)",
        x.sd[40].powi(2),
        stationary,
        4.0 * stationary * (2.0 / n as f64).sqrt(),
    );
}

#[test]
fn jumps_fire_with_probability_one_minus_exp_rate_dt() {
    let n = 20_000u64;
    let r = run_driver(
        "initial = 0.0\ntarget = 0.0\nreversion = 0.0\nvolatility = 0.0\n\
         [[drivers.x.jumps]]\nname = \"j\"\nrate = 0.4\nsize = 0.01",
        n,
    );
    let p = jump_probability(0.4, 0.25);
    let x = &r.drivers["x"];
    // After one step the share of runs that jumped is mean / size.
    let share_tol = 4.0 * (p * (1.0 - p) / n as f64).sqrt();
    assert_close(
        "the share of runs whose jump fired in step 1 is 1 - exp(-rate dt)",
        x.mean[1] / 0.01,
        p,
        share_tol,
    );
    // After 40 steps the number of jumps is Binomial(40, p).
    let count_tol = 4.0 * (40.0 * p * (1.0 - p) / n as f64).sqrt();
    assert_close(
        "the number of jumps in 40 steps has the mean 40 p of a Binomial(40, p)",
        x.mean[40] / 0.01,
        40.0 * p,
        count_tol,
    );
    // Var(s^2) = sigma^4 (kurtosis - 1) / n; a binomial's kurtosis is
    // 3 + (1 - 6 p (1 - p)) / (40 p (1 - p)).
    let var = 40.0 * p * (1.0 - p);
    let kurtosis = 3.0 + (1.0 - 6.0 * p * (1.0 - p)) / var;
    let var_tol = 4.0 * var * ((kurtosis - 1.0) / n as f64).sqrt();
    assert_close(
        "the number of jumps in 40 steps has the variance 40 p (1 - p) of a Binomial(40, p)",
        (x.sd[40] / 0.01).powi(2),
        var,
        var_tol,
    );
}

/// Every reported figure against the exact sample statistics of the same runs:
/// means to 1e-9, quantiles within half a histogram bin (0.025 index points,
/// 0.00025 for drivers; docs/spec.md §11 allows 0.05 and 0.0005).
#[test]
fn aggregates_match_exact_sample_statistics() {
    let loaded = tiny();
    let runs = 3000u64;
    let result = run(
        &loaded,
        RunOptions {
            runs,
            seed: 5,
            threads: 2,
        },
        &|_| {},
    );
    let plan = Plan::new(&loaded.scenario, 5);
    let mut ws = Workspace::new(&plan);
    let (ns, np) = (plan.n_series(), plan.n_periods());
    let mut out = vec![0.0; ns * np];
    let mut values = vec![Vec::with_capacity(runs as usize); ns * np];
    for r in 0..runs {
        simulate(&plan, r, &mut ws, &mut out);
        for (cell, v) in out.iter().enumerate() {
            values[cell].push(*v);
        }
    }
    let names: Vec<&String> = result.indices.keys().chain(result.drivers.keys()).collect();
    for t in 0..np {
        for (s, name) in names.iter().enumerate() {
            let v = &mut values[t * ns + s];
            let mean = v.iter().sum::<f64>() / runs as f64;
            let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (runs - 1) as f64).sqrt();
            let (got_mean, got_sd, got_q, tol) = if s < plan.n_index_series() {
                let i = &result.indices[name.as_str()];
                (
                    i.mean[t],
                    i.sd[t],
                    vec![
                        i.p05[t], i.p10[t], i.p25[t], i.p50[t], i.p75[t], i.p90[t], i.p95[t],
                    ],
                    0.025,
                )
            } else {
                let d = &result.drivers[name.as_str()];
                (
                    d.mean[t],
                    d.sd[t],
                    vec![d.p05[t], d.p50[t], d.p95[t]],
                    0.00025,
                )
            };
            assert_close(
                &format!("the reported mean of {name} at period {t} is the exact sample mean"),
                got_mean,
                mean,
                1e-9,
            );
            assert_close(
                &format!(
                    "the reported sd of {name} at period {t} is the exact sample sd (n - 1, \
                     docs/spec.md reading 12)"
                ),
                got_sd,
                sd,
                1e-6,
            );
            let probs: &[f64] = if got_q.len() == 7 {
                &[0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]
            } else {
                &[0.05, 0.50, 0.95]
            };
            for (p, got) in probs.iter().zip(got_q) {
                let exact = exact_quantile(v, *p);
                assert_close(
                    &format!(
                        "the reported {p} quantile of {name} at period {t} lies within half \
                         a histogram bin of the exact type-7 quantile (docs/spec.md §11)"
                    ),
                    got,
                    exact,
                    tol + 1e-9,
                );
            }
        }
    }
}
