//! The transition functions of kernel v1 (docs/spec.md): the pieces of a
//! step that the plan precomputes for fixed parameters and the kernel
//! computes for drawn ones. Both must compute them the same way, bit for
//! bit, so they live here, below both.

use super::fastmath;

/// `1 / (1 + exp(-u))`, with the kernel's portable `exp`.
#[inline(always)]
pub fn logistic(u: f64) -> f64 {
    1.0 / (1.0 + fastmath::exp(-u))
}

/// Exact Ornstein–Uhlenbeck transition over `dt` years: the pull towards the
/// mean, `1 - exp(-theta dt)`, and the standard deviation of the shock.
///
/// The step is written `x + (mu - x) * pull + sd * eps`, which is
/// docs/spec.md's `mu + (x - mu) * exp(-theta dt) + sd * eps` rearranged so
/// that a driver without reversion or noise keeps its value exactly. With
/// `theta = 0` the process is a random walk and the shock's standard
/// deviation is `sigma * sqrt(dt)`.
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

/// The share of the gap to its aim an actor closes per step:
/// `1 - exp(-adjustment dt)`.
pub(crate) fn adjustment_fraction(adjustment: f64, dt: f64) -> f64 {
    -(-adjustment * dt).exp_m1()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// For small rates `1 - exp(-x)` keeps its digits (a plain `1 - exp`
    /// would lose them), and the OU shock tends to the random walk's.
    #[test]
    fn small_rates_keep_their_precision() {
        let x = 1e-12;
        assert!((jump_probability(x, 1.0) / x - 1.0).abs() < 1e-11);
        assert!((adjustment_fraction(x, 1.0) / x - 1.0).abs() < 1e-11);
        let (pull, sd) = ou_transition(1e-12, 0.2, 0.25);
        assert!((pull / 0.25e-12 - 1.0).abs() < 1e-11);
        // sigma sqrt(dt (1 - theta dt + ...)), to first order in theta dt.
        let want = 0.1 * (1.0 - 0.5 * 1e-12 * 0.25);
        assert!((sd - want).abs() < 1e-16, "{sd}");
    }

    /// The logistic is symmetric about 0 and saturates without overflow.
    #[test]
    fn logistic_is_symmetric_and_bounded() {
        for u in [0.1, 1.0, 3.5, 20.0] {
            assert!((logistic(u) + logistic(-u) - 1.0).abs() < 1e-15, "{u}");
        }
        assert_eq!(logistic(1e6), 1.0);
        let low = logistic(-1e6);
        assert!(0.0 < low && low < 1e-300, "{low}");
    }
}
