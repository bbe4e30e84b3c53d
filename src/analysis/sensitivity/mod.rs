//! Sensitivity analysis of a scenario's horizon indices: which drivers and
//! uncertain parameters move them, and how much.
//!
//! Three methods, cheapest first:
//!
//! - [`tornado`]: one thing at a time at a low and a high setting;
//! - [`morris`]: elementary effects along random trajectories, a screen;
//! - [`sobol`]: first- and total-order variance shares, with bootstrap
//!   intervals.
//!
//! The driver shocks are the model's own noise. Tornado and Morris average
//! each evaluation over a fixed set of runs (common random numbers), so
//! they measure effects on the expected index; Sobol treats the shocks as
//! one more input group, `shocks`, so that the variance they cause is
//! reported beside the parameters' (docs/analysis.md says why).

pub mod morris;
pub mod sobol;
pub mod tornado;

use crate::input::LoadedScenario;
use crate::sim::Plan;
use crate::sim::kernel::{Workspace, simulate_given};

/// The name under which Sobol reports the driver shocks.
pub const SHOCKS: &str = "shocks";

/// The names of the index series: `composite`, then the domains.
pub(crate) fn index_names(loaded: &LoadedScenario) -> Vec<String> {
    std::iter::once(crate::result::COMPOSITE.to_owned())
        .chain(loaded.scenario.model.domains.iter().map(|d| d.id.clone()))
        .collect()
}

/// Evaluates the horizon indices of one run with given uncertain values.
pub(crate) struct Evaluator<'p> {
    plan: &'p Plan,
    ws: Workspace,
    out: Vec<f64>,
}

impl<'p> Evaluator<'p> {
    pub(crate) fn new(plan: &'p Plan) -> Evaluator<'p> {
        Evaluator {
            plan,
            ws: Workspace::new(plan),
            out: vec![0.0; plan.n_series() * plan.n_periods()],
        }
    }

    /// Writes the horizon value of every index series of run `run` with
    /// the uncertain parameters at `values` into `into`.
    pub(crate) fn horizon(&mut self, run: u64, values: &[f64], into: &mut [f64]) {
        simulate_given(self.plan, run, values, &mut self.ws, &mut self.out);
        let row = self.plan.steps * self.plan.n_series();
        let n = self.plan.n_index_series();
        into[..n].copy_from_slice(&self.out[row..row + n]);
    }
}

/// A rayon pool with `threads` threads (0: every core).
pub(crate) fn pool(threads: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .ok()
}
