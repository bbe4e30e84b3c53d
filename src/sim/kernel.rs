//! One Monte Carlo run: kernel v1 of SPEC.md, step by step.
//!
//! The kernel does no IO, cannot fail and allocates nothing: everything it
//! writes lives in a [`Workspace`] made once per worker and reused for every
//! run, and its output goes into a caller's slice.

use super::plan::Plan;
use super::rng::Generator;
use crate::model::EventAction;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Per-worker scratch space, reused across runs.
pub struct Workspace {
    params: Vec<f64>,
    /// Driver values `x_d`.
    x: Vec<f64>,
    /// Engagement `e[a * n_domains + k]` at `t - 1`, and at `t` while stepping.
    e: Vec<f64>,
    e_next: Vec<f64>,
    /// Per driver: `1 - exp(-theta dt)` and the shock's standard deviation.
    ou_pull: Vec<f64>,
    ou_scale: Vec<f64>,
    /// Per jump: firing probability per step.
    jump_probability: Vec<f64>,
    /// Per actor: adjustment fraction per step, and reciprocity.
    adjust: Vec<f64>,
    reciprocity: Vec<f64>,
    driver_rng: Vec<Generator>,
    jump_rng: Vec<Generator>,
}

impl Workspace {
    /// Scratch space sized for `plan`.
    pub fn new(plan: &Plan) -> Workspace {
        let placeholder = plan
            .drivers
            .first()
            .map(|d| d.key)
            .unwrap_or_else(|| super::rng::StreamKey::new(0, ""))
            .generator(0);
        Workspace {
            params: plan.base_params.clone(),
            x: vec![0.0; plan.n_drivers],
            e: vec![0.0; plan.n_actors * plan.n_domains],
            e_next: vec![0.0; plan.n_actors * plan.n_domains],
            ou_pull: vec![0.0; plan.n_drivers],
            ou_scale: vec![0.0; plan.n_drivers],
            jump_probability: vec![0.0; plan.jumps.len()],
            adjust: vec![0.0; plan.n_actors],
            reciprocity: vec![0.0; plan.n_actors],
            driver_rng: vec![placeholder.clone(); plan.n_drivers],
            jump_rng: vec![placeholder.clone(); plan.jumps.len()],
        }
    }

    /// The parameter values drawn for the last run, by slot.
    pub fn params(&self) -> &[f64] {
        &self.params
    }
}

/// `1 / (1 + exp(-u))`.
#[inline]
pub fn logistic(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

/// Exact Ornstein–Uhlenbeck transition over `dt` years: the pull towards the
/// mean, `1 - exp(-theta dt)`, and the standard deviation of the shock.
///
/// The step is written `x + (mu - x) * pull + sd * eps`, which is SPEC's
/// `mu + (x - mu) * exp(-theta dt) + sd * eps` rearranged so that a driver
/// without reversion or noise keeps its value exactly. With `theta = 0` the
/// process is a random walk and the shock's standard deviation is
/// `sigma * sqrt(dt)`.
pub fn ou_transition(theta: f64, sigma: f64, dt: f64) -> (f64, f64) {
    if theta == 0.0 {
        (0.0, sigma * dt.sqrt())
    } else {
        // expm1 keeps 1 - exp(-x) accurate for small theta.
        let pull = -(-theta * dt).exp_m1();
        let variance = -(-2.0 * theta * dt).exp_m1() / (2.0 * theta);
        (pull, sigma * variance.sqrt())
    }
}

/// Probability that a jump with `rate` per year fires within `dt` years.
pub fn jump_probability(rate: f64, dt: f64) -> f64 {
    -(-rate * dt).exp_m1()
}

/// Geometric mean of the actors' engagement, as an index in [0, 100].
#[inline]
pub fn domain_index(engagement: impl Iterator<Item = f64>, n_actors: usize) -> f64 {
    let product: f64 = engagement.product();
    let mean = if n_actors == 2 {
        product.sqrt()
    } else {
        product.powf(1.0 / n_actors as f64)
    };
    100.0 * mean
}

/// Runs `run` of `plan`, writing `out[t * n_series + s]` for every period `t`
/// and series `s` (composite, domains, drivers; see [`Plan::n_series`]).
pub fn simulate(plan: &Plan, run: u64, ws: &mut Workspace, out: &mut [f64]) {
    draw_parameters(plan, run, ws);
    run_drawn(plan, run, ws, out);
}

/// Runs `run` of `plan` with the uncertain parameters set to `values` (one
/// per entry of [`Plan::uncertain`], in order) instead of drawn; the run's
/// shocks and jumps are still run `run`'s. Sensitivity analysis sets the
/// parameters itself this way.
pub fn simulate_given(plan: &Plan, run: u64, values: &[f64], ws: &mut Workspace, out: &mut [f64]) {
    for (u, v) in plan.uncertain.iter().zip(values) {
        ws.params[u.slot] = *v;
    }
    run_drawn(plan, run, ws, out);
}

/// Steps run `run` from the parameters in the workspace.
fn run_drawn(plan: &Plan, run: u64, ws: &mut Workspace, out: &mut [f64]) {
    let dt = plan.dt;
    let p = &ws.params;

    for (d, dp) in plan.drivers.iter().enumerate() {
        ws.x[d] = p[dp.initial];
        let (pull, scale) = ou_transition(p[dp.reversion], p[dp.volatility], dt);
        ws.ou_pull[d] = pull;
        ws.ou_scale[d] = scale;
        ws.driver_rng[d] = dp.key.generator(run);
    }
    for (j, jp) in plan.jumps.iter().enumerate() {
        ws.jump_probability[j] = jump_probability(p[jp.rate], dt);
        ws.jump_rng[j] = jp.key.generator(run);
    }
    for (a, ap) in plan.actors.iter().enumerate() {
        ws.adjust[a] = -(-p[ap.adjustment] * dt).exp_m1();
        ws.reciprocity[a] = p[ap.reciprocity];
    }
    for (i, ep) in plan.engagement.iter().enumerate() {
        ws.e[i] = p[ep.initial];
    }
    record(plan, ws, &mut out[..plan.n_series()]);

    for t in 1..=plan.steps {
        step(plan, t, ws);
        let n = plan.n_series();
        record(plan, ws, &mut out[t * n..(t + 1) * n]);
    }
}

fn draw_parameters(plan: &Plan, run: u64, ws: &mut Workspace) {
    for u in &plan.uncertain {
        ws.params[u.slot] = u.sampler.sample(&mut u.key.generator(run));
    }
}

fn step(plan: &Plan, t: usize, ws: &mut Workspace) {
    let nd = plan.n_drivers;
    let targets = &plan.targets[(t - 1) * nd..t * nd];
    for (d, dp) in plan.drivers.iter().enumerate() {
        let mu = targets[d];
        let eps: f64 = StandardNormal.sample(&mut ws.driver_rng[d]);
        let mut x = ws.x[d] + (mu - ws.x[d]) * ws.ou_pull[d] + ws.ou_scale[d] * eps;
        for j in dp.jumps.clone() {
            // Drawn whether or not it fires, so each step uses one number.
            let u: f64 = ws.jump_rng[j].random();
            if u < ws.jump_probability[j] {
                x += ws.params[plan.jumps[j].size];
            }
        }
        ws.x[d] = x;
    }
    for ev in &plan.events[plan.event_ranges[t - 1].clone()] {
        match ev.action {
            EventAction::Shift(s) => ws.x[ev.driver] += s,
            EventAction::Set(v) => ws.x[ev.driver] = v,
        }
    }
    for x in &mut ws.x {
        *x = x.clamp(0.0, 1.0);
    }

    let (na, nk) = (plan.n_actors, plan.n_domains);
    let peers = (na - 1) as f64;
    for a in 0..na {
        let (f, rho) = (ws.adjust[a], ws.reciprocity[a]);
        for k in 0..nk {
            let i = a * nk + k;
            let ep = &plan.engagement[i];
            let weights = &ws.params[ep.weights..ep.weights + nd];
            let u = ws.params[ep.bias] + weights.iter().zip(&ws.x).map(|(w, x)| w * x).sum::<f64>();
            let target = logistic(u);
            let others: f64 = (0..na).filter(|&b| b != a).map(|b| ws.e[b * nk + k]).sum();
            let peer = others / peers;
            let e = ws.e[i];
            ws.e_next[i] = e + f * ((1.0 - rho) * target + rho * peer - e);
        }
    }
    std::mem::swap(&mut ws.e, &mut ws.e_next);
}

fn record(plan: &Plan, ws: &Workspace, out: &mut [f64]) {
    let (na, nk) = (plan.n_actors, plan.n_domains);
    let mut composite = 0.0;
    for k in 0..nk {
        let c = domain_index((0..na).map(|a| ws.e[a * nk + k]), na);
        out[1 + k] = c;
        composite += plan.domain_weights[k] * c;
    }
    out[0] = composite;
    out[1 + nk..].copy_from_slice(&ws.x);
}
