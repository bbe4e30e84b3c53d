//! The plain sentences that open the `run`, `compare` and `score` tables:
//! where the composite ends, what a difference amounts to, and how likely
//! partnership and estrangement are. Words for chances follow
//! docs/decisions.md ("Verdict words"): likely from one half, possible from
//! one in ten, unlikely below.

use crate::result::ThresholdsOut;

/// A chance as a share of futures: `3%`, `<1%`, `>99%`, `0%`, `100%`.
pub fn percent(p: f64) -> String {
    if p <= 0.0 {
        "0%".to_owned()
    } else if p >= 1.0 {
        "100%".to_owned()
    } else if p < 0.01 {
        "<1%".to_owned()
    } else if p > 0.99 {
        ">99%".to_owned()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// The word for a chance: likely (≥ 1/2), possible (≥ 1/10), unlikely.
pub fn likelihood(p: f64) -> &'static str {
    if p >= 0.5 {
        "likely"
    } else if p >= 0.1 {
        "possible"
    } else {
        "unlikely"
    }
}

/// Where a composite level stands against the thresholds.
pub fn zone(level: f64, t: &ThresholdsOut) -> &'static str {
    if level >= t.high {
        "in partnership"
    } else if level <= t.low {
        "in estrangement"
    } else {
        "between estrangement and partnership"
    }
}

/// `run`'s verdict: where the median composite ends, and the chance of
/// partnership and of estrangement there.
pub fn run(median: f64, p_high: f64, p_low: f64, horizon: &str, t: &ThresholdsOut) -> String {
    format!(
        "verdict: median composite {median:.1} in {horizon}, {}; partnership {} ({} of \
         futures), estrangement {} ({})",
        zone(median, t),
        likelihood(p_high),
        percent(p_high),
        likelihood(p_low),
        percent(p_low)
    )
}

/// How a chance moves from `base` to `other`: "becomes likely (3% to 60%)",
/// "stays unlikely (<1% to 2%)".
pub fn shift(base: f64, other: f64) -> String {
    let (from, to) = (likelihood(base), likelihood(other));
    let verb = if from == to { "stays" } else { "becomes" };
    let (a, b) = (percent(base), percent(other));
    if a == b {
        format!("{verb} {to} ({a} in both)")
    } else {
        format!("{verb} {to} ({a} to {b})")
    }
}

/// `name (+1.2)` for the `n` entries of largest magnitude, joined by "and".
pub fn largest(named: &[(&str, f64)], n: usize) -> String {
    let mut sorted: Vec<(&str, f64)> = named.to_vec();
    sorted.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let parts: Vec<String> = sorted
        .iter()
        .take(n)
        .map(|(name, v)| format!("{name} ({v:+.1})"))
        .collect();
    parts.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chances are words and rounded percentages, with the extremes kept
    /// apart from "almost".
    #[test]
    fn chances_read_as_words() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.206), "21%");
        assert_eq!(percent(0.995), ">99%");
        assert_eq!(likelihood(0.5), "likely");
        assert_eq!(likelihood(0.2), "possible");
        assert_eq!(shift(0.03, 0.6), "becomes likely (3% to 60%)");
        assert_eq!(
            largest(&[("a", 1.0), ("b", -3.0), ("c", 2.0)], 2),
            "b (-3.0) and c (+2.0)"
        );
    }
}
