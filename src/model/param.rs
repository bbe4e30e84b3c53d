//! Parameters: fixed numbers or distributions drawn once per run.

use std::fmt;

/// A numeric parameter: a fixed number, or a distribution drawn once per run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param {
    Fixed(f64),
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, high: f64 },
    Triangular { low: f64, mode: f64, high: f64 },
    Beta { alpha: f64, beta: f64 },
}

impl Param {
    /// True for a distribution, false for a fixed number.
    pub(crate) fn is_uncertain(&self) -> bool {
        !matches!(self, Param::Fixed(_))
    }

    /// The expected value of the parameter.
    pub fn mean(&self) -> f64 {
        match *self {
            Param::Fixed(v) => v,
            Param::Normal { mean, .. } => mean,
            Param::Uniform { low, high } => (low + high) / 2.0,
            Param::Triangular { low, mode, high } => (low + mode + high) / 3.0,
            Param::Beta { alpha, beta } => alpha / (alpha + beta),
        }
    }

    /// True when the parameter is the fixed number 0.
    pub fn is_zero(&self) -> bool {
        matches!(self, Param::Fixed(v) if *v == 0.0)
    }

    /// The value below which a share `p` (in (0, 1)) of draws fall: the
    /// inverse of the distribution function. A fixed number is its own
    /// quantile.
    pub(crate) fn quantile(&self, p: f64) -> f64 {
        use statrs::distribution::{Beta, ContinuousCDF, Normal, Triangular};
        let p = p.clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
        match *self {
            Param::Fixed(v) => v,
            Param::Normal { mean, sd } => Normal::new(mean, sd)
                .map(|d| d.inverse_cdf(p))
                .unwrap_or(mean),
            Param::Uniform { low, high } => low + p * (high - low),
            Param::Triangular { low, mode, high } => Triangular::new(low, high, mode)
                .map(|d| d.inverse_cdf(p))
                .unwrap_or(mode),
            Param::Beta { alpha, beta } => Beta::new(alpha, beta)
                .map(|d| d.inverse_cdf(p))
                .unwrap_or(alpha / (alpha + beta)),
        }
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Param::Fixed(v) => write!(f, "{v}"),
            Param::Normal { mean, sd } => write!(f, "normal(mean {mean}, sd {sd})"),
            Param::Uniform { low, high } => write!(f, "uniform({low}, {high})"),
            Param::Triangular { low, mode, high } => {
                write!(f, "triangular({low}, mode {mode}, {high})")
            }
            Param::Beta { alpha, beta } => write!(f, "beta({alpha}, {beta})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_invert_each_distribution() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert_eq!(Param::Fixed(0.3).quantile(0.9), 0.3);
        assert!(close(
            Param::Uniform {
                low: 1.0,
                high: 3.0
            }
            .quantile(0.25),
            1.5
        ));
        let normal = Param::Normal { mean: 1.0, sd: 2.0 };
        assert!(close(normal.quantile(0.5), 1.0));
        assert!(close(normal.quantile(0.975), 1.0 + 2.0 * 1.959963984540054));
        assert_eq!(Param::Normal { mean: 1.0, sd: 0.0 }.quantile(0.9), 1.0);
        // Triangular(0, 1, mode 0): F(x) = 1 - (1 - x)^2.
        let tri = Param::Triangular {
            low: 0.0,
            mode: 0.0,
            high: 1.0,
        };
        assert!(close(tri.quantile(0.75), 0.5));
        // Beta(2, 1): F(x) = x^2.
        assert!(close(
            Param::Beta {
                alpha: 2.0,
                beta: 1.0
            }
            .quantile(0.25),
            0.5
        ));
    }
}
