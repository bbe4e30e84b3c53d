//! Kernels 1 and 2 of docs/spec.md, step by step, for `L` runs at once.
//!
//! Kernel 2 adds drawn targets, persistent and one-time jumps, shared
//! shocks and decisions; a plan that uses none of them takes exactly the
//! operations of kernel 1, so its numbers are kernel 1's to the bit.
//!
//! The kernel does no IO, cannot fail and allocates nothing: everything it
//! writes lives in a [`Lanes`] workspace made once per worker and reused for
//! every batch of runs, and its output goes into a caller's slice.
//!
//! Runs are computed in lanes: every quantity is an array with one entry per
//! run, and every operation is applied lane by lane, so the compiler turns
//! the arithmetic into vector instructions. Each lane does exactly the
//! operations a lone run would, in the same order, so a run's numbers do not
//! depend on which batch or lane computes it: [`simulate`] (one lane) and
//! the runner's eight lanes give identical bits.
//!
//! Multiplications followed by additions are fused (`mul_add`: one
//! rounding instead of two) in the OU step, the logits, the engagement
//! update, the composite and the `exp`; this halves the instructions of
//! the kernel's longest chains.

// Lane loops index several arrays in lockstep; an index reads plainest.
#![allow(clippy::needless_range_loop)]

use super::plan::Plan;
use super::rng::Generator;
use crate::model::{EventAction, Interpolation};
use aligned_vec::{AVec, ConstAlign};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use std::sync::LazyLock;

use super::transition::{
    adjustment_fraction, domain_index, jump_probability, logistic, ou_transition,
};

/// Runs per batch in the runner's kernel.
pub const LANES: usize = 8;

/// The alignment of the workspace: a cache line, so that no vector load or
/// store of a lane array straddles two lines (which costs two accesses).
pub(crate) const CACHE_LINE: usize = 64;

/// Quantities with one value per lane each, starting on a cache line.
type Column<const L: usize> = AVec<[f64; L], ConstAlign<CACHE_LINE>>;

/// A buffer for the values of runs in lanes (see [`simulate_lanes`]),
/// starting on a cache line: with a stride of whole cache lines, every
/// lane store stays within one.
pub type Rows = AVec<f64, ConstAlign<CACHE_LINE>>;

/// A zeroed [`Rows`] of `len` values.
pub fn rows(len: usize) -> Rows {
    Rows::from_iter(CACHE_LINE, std::iter::repeat_n(0.0, len))
}

/// Per-worker scratch space for `L` runs at a time, reused across batches.
pub struct Lanes<const L: usize> {
    /// Parameter values by slot, one per lane.
    params: Column<L>,
    /// Driver paths: `x[t * n_drivers + d]` for every period `t`.
    x: Column<L>,
    /// Engagement `e[a * n_domains + k]` at `t - 1`, and at `t` while stepping.
    e: Column<L>,
    e_next: Column<L>,
    /// Each engagement's aim at `t`: its logit, then the logistic of it.
    aim: Column<L>,
    /// Per driver: `1 - exp(-theta dt)` and the shock's standard deviation.
    ou_pull: Column<L>,
    ou_scale: Column<L>,
    /// Per jump: firing probability per step, and size.
    jump_probability: Column<L>,
    jump_size: Column<L>,
    /// Per engagement, its actor's adjustment fraction per step, its
    /// reciprocity `rho`, and `1 - rho`.
    adjust: Column<L>,
    rho: Column<L>,
    keep: Column<L>,
    /// Per engagement: the mean engagement of the other actors in its domain
    /// (used with three actors or more).
    others: Column<L>,
    /// The run's random numbers, drawn before stepping, step by step:
    /// driver shocks `eps[(t - 1) * n_drivers + d]` and jump uniforms
    /// `uniforms[(t - 1) * n_jumps + j]`.
    eps: Column<L>,
    uniforms: Column<L>,
    /// Kernel 2. Drawn targets `mu[(t - 1) * n_drivers + d]` (for drivers
    /// with a drawn target only), each driver's target offset, each jump's
    /// "has fired" (1 or 0), and the factors' shocks
    /// `z[(t - 1) * n_factors + f]`.
    mu: Column<L>,
    offset: Column<L>,
    fired: Column<L>,
    z: Column<L>,
}

/// Scratch space for one run at a time: tests, analysis and the runner's
/// leftover runs.
pub type Workspace = Lanes<1>;

impl<const L: usize> Lanes<L> {
    /// Scratch space sized for `plan`.
    pub fn new(plan: &Plan) -> Lanes<L> {
        let lanes = |n: usize| Column::from_iter(CACHE_LINE, std::iter::repeat_n([0.0; L], n));
        Lanes {
            params: Column::from_iter(CACHE_LINE, plan.base_params.iter().map(|&v| [v; L])),
            x: lanes(plan.n_drivers * plan.n_periods()),
            e: lanes(plan.n_actors * plan.n_domains),
            e_next: lanes(plan.n_actors * plan.n_domains),
            aim: lanes(plan.n_actors * plan.n_domains),
            ou_pull: lanes(plan.n_drivers),
            ou_scale: lanes(plan.n_drivers),
            jump_probability: lanes(plan.jumps.len()),
            jump_size: lanes(plan.jumps.len()),
            adjust: lanes(plan.n_actors * plan.n_domains),
            rho: lanes(plan.n_actors * plan.n_domains),
            keep: lanes(plan.n_actors * plan.n_domains),
            others: lanes(plan.n_actors * plan.n_domains),
            eps: lanes(plan.n_drivers * plan.steps),
            uniforms: lanes(plan.jumps.len() * plan.steps),
            mu: lanes(if plan.drivers.iter().any(|d| d.drawn_target.is_some()) {
                plan.n_drivers * plan.steps
            } else {
                0
            }),
            offset: lanes(plan.n_drivers),
            fired: lanes(plan.jumps.len()),
            z: lanes(plan.factors.len() * plan.steps),
        }
    }

    /// The parameter values of lane 0's last run, by slot.
    pub fn params(&self) -> Vec<f64> {
        self.params.iter().map(|p| p[0]).collect()
    }
}

/// `if condition { a } else { b }` through a bit mask, which compilers
/// keep as a vector blend; a plain `if` over lanes tends to become one
/// branch per lane.
#[inline(always)]
fn select(condition: bool, a: f64, b: f64) -> f64 {
    let mask = u64::from(condition).wrapping_neg();
    f64::from_bits((a.to_bits() & mask) | (b.to_bits() & !mask))
}

/// Runs `run` of `plan`, writing `out[t * n_series + s]` for every period `t`
/// and series `s` (composite, domains, drivers; see [`Plan::n_series`]).
pub fn simulate(plan: &Plan, run: u64, ws: &mut Workspace, out: &mut [f64]) {
    simulate_lanes(plan, run, ws, out, 1);
}

/// Runs `run` of `plan` with the uncertain parameters set to `values` (one
/// per entry of [`Plan::uncertain`], in order) instead of drawn; the run's
/// shocks and jumps are still run `run`'s. Sensitivity analysis sets the
/// parameters itself this way.
pub(crate) fn simulate_given(
    plan: &Plan,
    run: u64,
    values: &[f64],
    ws: &mut Workspace,
    out: &mut [f64],
) {
    for (u, v) in plan.uncertain.iter().zip(values) {
        ws.params[u.slot] = [*v];
    }
    step_all(plan, run, ws, out, 1);
}

/// Runs `first_run .. first_run + L` of `plan`. Lane `l` writes series `s`
/// at period `t` to `out[(t * n_series + s) * stride + l]`: each value of a
/// period is a row of `stride` runs, the layout the aggregate reads, so
/// that the lanes store and the aggregate loads contiguous memory.
///
/// `stride` is at least `L`, and `out` holds at least
/// `(n_series * n_periods - 1) * stride + L` values.
pub fn simulate_lanes<const L: usize>(
    plan: &Plan,
    first_run: u64,
    ws: &mut Lanes<L>,
    out: &mut [f64],
    stride: usize,
) {
    draw_params(plan, first_run, ws);
    step_all(plan, first_run, ws, out, stride);
}

/// Draws the uncertain parameters of runs `first_run ..` into their slots.
fn draw_params<const L: usize>(plan: &Plan, first_run: u64, ws: &mut Lanes<L>) {
    for u in &plan.uncertain {
        for (l, slot) in ws.params[u.slot].iter_mut().enumerate() {
            *slot = u.sampler.sample(&mut u.key.generator(first_run + l as u64));
        }
    }
}

/// A compiled form of the kernel for a family of processors.
///
/// Every path compiles the same Rust, and every operation in it is exactly
/// rounded IEEE arithmetic: Rust never fuses a multiply and an add on its
/// own, and where the kernel fuses them (`mul_add`) the fused operation is
/// rounded once on every processor, by an instruction where there is one
/// and by the C library's `fma` on the portable path. So the paths give the
/// same bits (a test runs every path this processor has); they differ only
/// in speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KernelPath {
    /// 512-bit vectors (AVX-512F) with fused multiply-add instructions.
    Avx512,
    /// 256-bit vectors (AVX2) with fused multiply-add instructions.
    Avx2Fma,
    /// Whatever the compilation target guarantees.
    Portable,
}

/// The path every run of this process takes, chosen on first use.
static DETECTED: LazyLock<KernelPath> = LazyLock::new(|| KernelPath::choose(processor_has));

impl KernelPath {
    /// Every path, widest first.
    pub const ALL: [KernelPath; 3] = [
        KernelPath::Avx512,
        KernelPath::Avx2Fma,
        KernelPath::Portable,
    ];

    /// The path this process runs: the widest this processor has every
    /// feature of, detected once.
    pub fn detected() -> KernelPath {
        *DETECTED
    }

    /// Every path this processor can run, widest first; the portable path
    /// is always among them.
    pub fn available() -> impl Iterator<Item = KernelPath> {
        KernelPath::ALL.into_iter().filter(|p| p.is_available())
    }

    /// Whether this processor has every feature the path is compiled for.
    pub fn is_available(self) -> bool {
        self.features().iter().all(|f| processor_has(f))
    }

    /// The widest path whose features `has` reports, all of them: a path
    /// compiled for two features must not run where only one is.
    pub(crate) fn choose(has: impl Fn(&str) -> bool) -> KernelPath {
        KernelPath::ALL
            .into_iter()
            .find(|p| p.features().iter().all(|f| has(f)))
            .unwrap_or(KernelPath::Portable)
    }

    /// The processor features the path is compiled with: exactly the
    /// `target_feature` list of its step function.
    pub fn features(self) -> &'static [&'static str] {
        match self {
            KernelPath::Avx512 => &["avx512f", "fma"],
            KernelPath::Avx2Fma => &["avx2", "fma"],
            KernelPath::Portable => &[],
        }
    }

    /// A short name, for reports.
    pub fn name(self) -> &'static str {
        match self {
            KernelPath::Avx512 => "avx512f+fma",
            KernelPath::Avx2Fma => "avx2+fma",
            KernelPath::Portable => "portable",
        }
    }
}

/// Whether the processor running this has `feature`; only the features of
/// [`KernelPath::features`] are known.
fn processor_has(feature: &str) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        match feature {
            "avx512f" => std::arch::is_x86_feature_detected!("avx512f"),
            "avx2" => std::arch::is_x86_feature_detected!("avx2"),
            "fma" => std::arch::is_x86_feature_detected!("fma"),
            _ => false,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = feature;
        false
    }
}

/// [`simulate_lanes`] on a chosen path instead of the detected one, so
/// that tests and benchmarks can compare the paths.
///
/// # Panics
///
/// If this processor cannot run `path` (see [`KernelPath::available`]).
pub fn simulate_lanes_on<const L: usize>(
    path: KernelPath,
    plan: &Plan,
    first_run: u64,
    ws: &mut Lanes<L>,
    out: &mut [f64],
    stride: usize,
) {
    assert!(
        path.is_available(),
        "this processor lacks the {} kernel path",
        path.name()
    );
    draw_params(plan, first_run, ws);
    // SAFETY: the processor has the path's features, checked above.
    unsafe { step_on(path, plan, first_run, ws, out, stride) }
}

/// Steps runs `first_run ..` from the parameters in the workspace, on the
/// path this process runs.
fn step_all<const L: usize>(
    plan: &Plan,
    first_run: u64,
    ws: &mut Lanes<L>,
    out: &mut [f64],
    stride: usize,
) {
    // SAFETY: the detected path is one the processor has.
    unsafe { step_on(KernelPath::detected(), plan, first_run, ws, out, stride) }
}

/// Steps runs `first_run ..` from the parameters in the workspace, on `path`.
///
/// # Safety
///
/// The processor must have every feature of `path`
/// ([`KernelPath::is_available`]).
unsafe fn step_on<const L: usize>(
    path: KernelPath,
    plan: &Plan,
    first_run: u64,
    ws: &mut Lanes<L>,
    out: &mut [f64],
    stride: usize,
) {
    let cells = plan.n_series() * plan.n_periods();
    assert!(
        stride >= L && out.len() >= (cells - 1) * stride + L,
        "output too short"
    );
    match path {
        // SAFETY (both vector paths): the caller guarantees the features.
        #[cfg(target_arch = "x86_64")]
        KernelPath::Avx512 => unsafe { step_all_avx512(plan, first_run, ws, out, stride) },
        #[cfg(target_arch = "x86_64")]
        KernelPath::Avx2Fma => unsafe { step_all_avx2_fma(plan, first_run, ws, out, stride) },
        #[cfg(not(target_arch = "x86_64"))]
        KernelPath::Avx512 | KernelPath::Avx2Fma => {
            step_all_portable(plan, first_run, ws, out, stride)
        }
        KernelPath::Portable => step_all_portable(plan, first_run, ws, out, stride),
    }
}

// The feature lists below are those of `KernelPath::features`.

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
fn step_all_avx512<const L: usize>(
    plan: &Plan,
    first_run: u64,
    ws: &mut Lanes<L>,
    out: &mut [f64],
    stride: usize,
) {
    step_all_portable(plan, first_run, ws, out, stride)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn step_all_avx2_fma<const L: usize>(
    plan: &Plan,
    first_run: u64,
    ws: &mut Lanes<L>,
    out: &mut [f64],
    stride: usize,
) {
    step_all_portable(plan, first_run, ws, out, stride)
}

/// The kernel for any processor; inlined into the vector paths above.
#[inline(always)]
fn step_all_portable<const L: usize>(
    plan: &Plan,
    first_run: u64,
    ws: &mut Lanes<L>,
    out: &mut [f64],
    stride: usize,
) {
    let dt = plan.dt;
    let p = &ws.params;
    let (nd, nj, nf) = (plan.n_drivers, plan.jumps.len(), plan.factors.len());
    // Every random number of the runs first, stream by stream: the same
    // draws as the random-number floor, in the same order.
    for (f, fp) in plan.factors.iter().enumerate() {
        for l in 0..L {
            let mut g: Generator = fp.key.generator(first_run + l as u64);
            for z in ws.z[f..].iter_mut().step_by(nf) {
                z[l] = StandardNormal.sample(&mut g);
            }
        }
    }
    for (d, dp) in plan.drivers.iter().enumerate() {
        ws.x[d] = p[dp.initial];
        for l in 0..L {
            let (pull, scale) = dp
                .fixed_transition
                .unwrap_or_else(|| ou_transition(p[dp.reversion][l], p[dp.volatility][l], dt));
            ws.ou_pull[d][l] = pull;
            ws.ou_scale[d][l] = scale;
            let mut g: Generator = dp.key.generator(first_run + l as u64);
            for eps in ws.eps[d..].iter_mut().step_by(nd) {
                eps[l] = StandardNormal.sample(&mut g);
            }
        }
        // Kernel 2: the driver's own normal weighted down, the factors'
        // added in factor order.
        if !dp.loadings.is_empty() {
            for t in 0..plan.steps {
                let z = &ws.z[t * nf..(t + 1) * nf];
                let eps = &mut ws.eps[t * nd + d];
                for l in 0..L {
                    let mut e = dp.own_weight * eps[l];
                    for &(f, loading) in &dp.loadings {
                        e = loading.mul_add(z[f][l], e);
                    }
                    eps[l] = e;
                }
            }
        }
        if let Some(drawn) = &dp.drawn_target {
            for (t, how) in drawn.steps.iter().enumerate() {
                let mu = &mut ws.mu[t * nd + d];
                for l in 0..L {
                    let value = |i: usize| p[drawn.slots[i]][l];
                    mu[l] = match *how {
                        Interpolation::At(i) => value(i),
                        Interpolation::Between(i, frac) => {
                            let (v0, v1) = (value(i), value(i + 1));
                            v0 + (v1 - v0) * frac
                        }
                    };
                }
            }
        }
        ws.offset[d] = [0.0; L];
    }
    for (j, jp) in plan.jumps.iter().enumerate() {
        ws.jump_size[j] = p[jp.size];
        ws.fired[j] = [0.0; L];
        for l in 0..L {
            ws.jump_probability[j][l] = jp
                .fixed_probability
                .unwrap_or_else(|| jump_probability(p[jp.rate][l], dt));
            let mut g: Generator = jp.key.generator(first_run + l as u64);
            for u in ws.uniforms[j..].iter_mut().step_by(nj) {
                u[l] = g.random();
            }
        }
    }
    let nk = plan.n_domains;
    for (a, ap) in plan.actors.iter().enumerate() {
        let adjust: [f64; L] = std::array::from_fn(|l| {
            ap.fixed_fraction
                .unwrap_or_else(|| adjustment_fraction(p[ap.adjustment][l], dt))
        });
        let rho = p[ap.reciprocity];
        let keep = rho.map(|rho| 1.0 - rho);
        ws.adjust[a * nk..(a + 1) * nk].fill(adjust);
        ws.rho[a * nk..(a + 1) * nk].fill(rho);
        ws.keep[a * nk..(a + 1) * nk].fill(keep);
    }
    for (i, ep) in plan.engagement.iter().enumerate() {
        ws.e[i] = p[ep.initial];
    }
    let (nd, row) = (plan.n_drivers, plan.n_series() * stride);
    record(plan, &ws.e, &ws.x[..nd], out, stride);
    drive(plan, 1, ws);
    for t in 1..=plan.steps {
        aim(plan, t, ws);
        if t < plan.steps {
            drive(plan, t + 1, ws);
        }
        engage(plan, ws);
        let x = &ws.x[t * nd..(t + 1) * nd];
        record(plan, &ws.e, x, &mut out[t * row..], stride);
    }
}

// A step has three parts: the drivers move, the engagements' aims follow
// from the drivers, and the engagements move towards their aims. The
// drivers do not depend on the engagement, so the kernel moves them one
// step ahead: while a step's aims wait on their divisions, the next step's
// drivers keep the rest of the processor busy. Every value is computed by
// the same operations in the same order as in the plain order.

/// The drivers from step `t - 1` to step `t`: the exact OU step, jumps,
/// events, and the clamp to [0, 1].
///
/// Every loop over lanes is branch-free, so that it compiles to vector
/// instructions: a jump adds its size where its uniform falls below its
/// probability and `-0.0` elsewhere, which leaves every value, even a
/// zero's sign, exactly as it was.
#[inline(always)]
fn drive<const L: usize>(plan: &Plan, t: usize, ws: &mut Lanes<L>) {
    let (nd, nj) = (plan.n_drivers, plan.jumps.len());
    let targets = &plan.targets[(t - 1) * nd..t * nd];
    let eps = &ws.eps[(t - 1) * nd..t * nd];
    let uniforms = &ws.uniforms[(t - 1) * nj..t * nj];
    let (before, now) = ws.x.split_at_mut(t * nd);
    let (before, now) = (&before[(t - 1) * nd..], &mut now[..nd]);
    for (d, dp) in plan.drivers.iter().enumerate() {
        let (pull, scale, eps) = (&ws.ou_pull[d], &ws.ou_scale[d], &eps[d]);
        let mut mu = match dp.drawn_target {
            Some(_) => ws.mu[(t - 1) * nd + d],
            None => [targets[d]; L],
        };
        if dp.offset {
            // Kernel 2: the offset as it stood after the previous step.
            let offset = &ws.offset[d];
            for l in 0..L {
                mu[l] = (mu[l] + offset[l]).clamp(0.0, 1.0);
            }
        }
        let mut x = before[d];
        for l in 0..L {
            x[l] = scale[l].mul_add(eps[l], (mu[l] - x[l]).mul_add(pull[l], x[l]));
        }
        for j in dp.jumps.clone() {
            let (u, probability, size) = (&uniforms[j], &ws.jump_probability[j], &ws.jump_size[j]);
            let jp = &plan.jumps[j];
            if !jp.persistent && !jp.once {
                for l in 0..L {
                    x[l] += select(u[l] < probability[l], size[l], -0.0);
                }
                continue;
            }
            // Kernel 2: a one-time jump that has fired stays silent; a
            // persistent one moves the offset by its size as drawn.
            let (fired, offset) = (&mut ws.fired[j], &mut ws.offset[d]);
            for l in 0..L {
                let fires = u[l] < probability[l] && !(jp.once && fired[l] != 0.0);
                x[l] += select(fires, size[l], -0.0);
                if jp.persistent {
                    offset[l] += select(fires, size[l], 0.0);
                }
                if jp.once {
                    fired[l] = select(fires, 1.0, fired[l]);
                }
            }
        }
        now[d] = x;
    }
    for ev in &plan.events[plan.event_ranges[t - 1].clone()] {
        let x = &mut now[ev.driver];
        match ev.action {
            EventAction::Shift(s) => x.iter_mut().for_each(|x| *x += s),
            EventAction::Set(v) => *x = [v; L],
        }
    }
    for x in now.as_flattened_mut() {
        *x = x.clamp(0.0, 1.0);
    }
}

/// Every engagement's aim at step `t`: the logits, then the logistic over
/// all of them in one flat loop, whose independent iterations the
/// processor overlaps. A logit adds every driver's term in driver order; a
/// weight of zero adds a zero, which changes no sum but perhaps a zero's
/// sign, and the logistic of either zero is 1/2.
#[inline(always)]
fn aim<const L: usize>(plan: &Plan, t: usize, ws: &mut Lanes<L>) {
    let nd = plan.n_drivers;
    let x = &ws.x[t * nd..(t + 1) * nd];
    let n = plan.engagement.len();
    let shifts = plan
        .bias_shifts
        .as_ref()
        .map(|all| &all[(t - 1) * n..t * n]);
    for (i, (aim, ep)) in ws.aim.iter_mut().zip(&plan.engagement).enumerate() {
        let weights = &ws.params[ep.weights..ep.weights + nd];
        // A local sum, which the compiler keeps in a register.
        let mut u = ws.params[ep.bias];
        // Kernel 2: the decisions due by this step raise the bias.
        if let Some(shifts) = shifts
            && shifts[i] != 0.0
        {
            for l in 0..L {
                u[l] += shifts[i];
            }
        }
        for (w, x) in weights.iter().zip(x) {
            for l in 0..L {
                u[l] = w[l].mul_add(x[l], u[l]);
            }
        }
        *aim = u;
    }
    for v in ws.aim.as_flattened_mut() {
        *v = logistic(*v);
    }
}

/// The engagement from step `t - 1` to step `t`: each engagement moves
/// towards its aim and the others' engagement in its domain.
#[inline(always)]
fn engage<const L: usize>(plan: &Plan, ws: &mut Lanes<L>) {
    let (na, nk) = (plan.n_actors, plan.n_domains);
    // With one peer the others' mean is the peer itself: `0 + e` and
    // `e / 1` are `e` (engagement is positive, so not even the sign of a
    // zero differs).
    if na == 2 {
        let (first, second) = ws.e.split_at(nk);
        for (range, others) in [(0..nk, second), (nk..2 * nk, first)] {
            adjust_towards(
                &mut ws.e_next[range.clone()],
                &ws.e[range.clone()],
                others,
                &ws.aim[range.clone()],
                &ws.adjust[range.clone()],
                &ws.rho[range.clone()],
                &ws.keep[range],
            );
        }
    } else {
        for i in 0..na * nk {
            let (a, k) = (i / nk, i % nk);
            let mut sum = [0.0; L];
            for b in (0..na).filter(|&b| b != a) {
                let e = &ws.e[b * nk + k];
                for l in 0..L {
                    sum[l] += e[l];
                }
            }
            ws.others[i] = sum.map(|s| s / (na - 1) as f64);
        }
        adjust_towards(
            &mut ws.e_next,
            &ws.e,
            &ws.others,
            &ws.aim,
            &ws.adjust,
            &ws.rho,
            &ws.keep,
        );
    }
    std::mem::swap(&mut ws.e, &mut ws.e_next);
}

/// `e_next = e + f ((1 - rho) aim + rho others - e)` for the engagements
/// in `range`, as one flat loop over their lanes.
#[inline(always)]
fn adjust_towards<const L: usize>(
    next: &mut [[f64; L]],
    e: &[[f64; L]],
    others: &[[f64; L]],
    aim: &[[f64; L]],
    adjust: &[[f64; L]],
    rho: &[[f64; L]],
    keep: &[[f64; L]],
) {
    let values = next
        .as_flattened_mut()
        .iter_mut()
        .zip(e.as_flattened().iter().zip(others.as_flattened()))
        .zip(aim.as_flattened().iter().zip(adjust.as_flattened()))
        .zip(rho.as_flattened().iter().zip(keep.as_flattened()));
    for (((next, (e, others)), (aim, f)), (rho, keep)) in values {
        *next = f.mul_add(keep.mul_add(*aim, rho * others) - e, *e);
    }
}

/// Writes one period's values of every lane, from the engagement `e` and
/// the drivers `x`: series `s` of lane `l` at `out[s * stride + l]`.
#[inline(always)]
fn record<const L: usize>(
    plan: &Plan,
    e: &[[f64; L]],
    x: &[[f64; L]],
    out: &mut [f64],
    stride: usize,
) {
    let (na, nk) = (plan.n_actors, plan.n_domains);
    let mut put = |s: usize, values: &[f64; L]| {
        out[s * stride..s * stride + L].copy_from_slice(values);
    };
    let mut composite = [0.0; L];
    for k in 0..nk {
        let mut index = [0.0; L];
        if na == 2 {
            let (ea, eb) = (&e[k], &e[nk + k]);
            for l in 0..L {
                index[l] = 100.0 * (ea[l] * eb[l]).sqrt();
            }
        } else {
            for (l, c) in index.iter_mut().enumerate() {
                *c = domain_index((0..na).map(|a| e[a * nk + k][l]), na);
            }
        }
        let w = plan.domain_weights[k];
        for l in 0..L {
            composite[l] = w.mul_add(index[l], composite[l]);
        }
        put(1 + k, &index);
    }
    put(0, &composite);
    for (d, x) in x.iter().enumerate() {
        put(1 + nk + d, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector path is chosen only when the processor has every feature
    /// it is compiled with: AVX2 without FMA runs the portable path.
    #[test]
    fn a_path_needs_every_feature_it_is_compiled_with() {
        let with = |features: &'static [&'static str]| {
            KernelPath::choose(move |f: &str| features.contains(&f))
        };
        assert_eq!(with(&[]), KernelPath::Portable);
        assert_eq!(with(&["avx2"]), KernelPath::Portable);
        assert_eq!(with(&["fma"]), KernelPath::Portable);
        assert_eq!(with(&["avx2", "fma"]), KernelPath::Avx2Fma);
        assert_eq!(with(&["avx512f"]), KernelPath::Portable);
        assert_eq!(with(&["avx512f", "avx2"]), KernelPath::Portable);
        assert_eq!(with(&["avx512f", "avx2", "fma"]), KernelPath::Avx512);
        assert_eq!(with(&["avx512f", "fma"]), KernelPath::Avx512);
    }

    /// The detected path is the one the processor's own feature flags call
    /// for, and every path it reports available has all its features.
    #[test]
    fn the_detected_path_matches_the_processors_features() {
        #[cfg(target_arch = "x86_64")]
        let (avx512f, avx2, fma) = (
            std::arch::is_x86_feature_detected!("avx512f"),
            std::arch::is_x86_feature_detected!("avx2"),
            std::arch::is_x86_feature_detected!("fma"),
        );
        #[cfg(not(target_arch = "x86_64"))]
        let (avx512f, avx2, fma) = (false, false, false);
        let want = if avx512f && fma {
            KernelPath::Avx512
        } else if avx2 && fma {
            KernelPath::Avx2Fma
        } else {
            KernelPath::Portable
        };
        assert_eq!(KernelPath::detected(), want);
        let available: Vec<KernelPath> = KernelPath::available().collect();
        assert_eq!(available.contains(&KernelPath::Avx2Fma), avx2 && fma);
        assert_eq!(available.contains(&KernelPath::Avx512), avx512f && fma);
        assert!(available.contains(&KernelPath::Portable));
    }
}
