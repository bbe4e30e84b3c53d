//! The random-number floor: exactly the random numbers one run draws, from
//! the same generators with the same keys, and nothing else.
//!
//! A run cannot cost less than its random numbers. Benchmarks compare the
//! kernel with this floor; the ratio says how much the kernel's own
//! arithmetic adds.

use super::plan::Plan;
use super::rng::Generator;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Draws every random number of `run` of `plan` and returns their sum (so
/// that the work cannot be optimised away).
pub fn draw_run(plan: &Plan, run: u64) -> f64 {
    let mut sum = 0.0;
    for u in &plan.uncertain {
        sum += u.sampler.sample(&mut u.key.generator(run));
    }
    for d in &plan.drivers {
        let mut g: Generator = d.key.generator(run);
        for _ in 0..plan.steps {
            let eps: f64 = StandardNormal.sample(&mut g);
            sum += eps;
        }
    }
    for f in &plan.factors {
        let mut g: Generator = f.key.generator(run);
        for _ in 0..plan.steps {
            let z: f64 = StandardNormal.sample(&mut g);
            sum += z;
        }
    }
    for j in &plan.jumps {
        let mut g: Generator = j.key.generator(run);
        for _ in 0..plan.steps {
            let u: f64 = g.random();
            sum += u;
        }
    }
    sum
}
