//! Distributions: their names, their fields, and the bounds their support
//! must lie in.

use super::checker::{Bound, Checker};
use crate::input::diagnostics::{KeyPath, Problem, suggest};
use crate::input::format::*;
use crate::model::*;

/// The distributions a parameter may be drawn from (docs/spec.md,
/// "Parameters and uncertainty"), by their names in the files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dist {
    Normal,
    Uniform,
    Triangular,
    Beta,
}

impl Dist {
    const ALL: [Dist; 4] = [Dist::Normal, Dist::Uniform, Dist::Triangular, Dist::Beta];

    /// The name a file writes after `dist =`.
    fn name(self) -> &'static str {
        match self {
            Dist::Normal => "normal",
            Dist::Uniform => "uniform",
            Dist::Triangular => "triangular",
            Dist::Beta => "beta",
        }
    }

    /// The distribution a file names; `None` for a name that is none of them.
    fn parse(name: &str) -> Option<Dist> {
        Dist::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Every name, quoted: `"normal", "uniform", "triangular" or "beta"`.
    fn listed() -> String {
        let quoted = Dist::ALL.map(|d| format!("\"{}\"", d.name()));
        match quoted.split_last() {
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The fields this distribution takes, in the order they are read.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Dist::Normal => &["mean", "sd"],
            Dist::Uniform => &["low", "high"],
            Dist::Triangular => &["low", "mode", "high"],
            Dist::Beta => &["alpha", "beta"],
        }
    }
}

impl Checker {
    /// An uncertain parameter: a number, or a distribution whose support lies inside the bound.
    pub(super) fn param(&mut self, path: &KeyPath, raw: &RawParam, bound: Bound) -> Param {
        let d = match raw {
            RawParam::Number(v) => return Param::Fixed(self.number(path, *v, bound)),
            RawParam::Dist(d) => d,
        };
        let Some(name) = &d.dist else {
            self.push(
                Problem::new(path.clone(), "a distribution needs `dist`")
                    .hint(format!("write dist = {}", Dist::listed())),
            );
            return Param::Fixed(0.0);
        };
        let fields = [
            ("mean", d.mean),
            ("sd", d.sd),
            ("low", d.low),
            ("high", d.high),
            ("mode", d.mode),
            ("alpha", d.alpha),
            ("beta", d.beta),
        ];
        let Some(dist) = Dist::parse(name) else {
            let names = Dist::ALL.map(Dist::name);
            self.push(
                Problem::new(path.key("dist"), format!("unknown distribution \"{name}\""))
                    .hint(suggest(name, &names, "distributions")),
            );
            return Param::Fixed(0.0);
        };
        let wanted = dist.fields();
        let mut ok = true;
        let mut get = |key: &str| -> f64 {
            let value = fields.iter().find(|(k, _)| *k == key).and_then(|(_, v)| *v);
            match value {
                Some(v) => {
                    // A NaN, infinite or huge field is reported as such, not
                    // again as a broken distribution built on its placeholder.
                    let before = self.problems.len();
                    let v = self.number(&path.key(key), v, Bound::Any);
                    ok &= self.problems.len() == before;
                    v
                }
                None => {
                    ok = false;
                    self.push(
                        Problem::new(path.clone(), format!("{name} distribution needs `{key}`"))
                            .hint(format!("{name} takes {}", wanted.join(", "))),
                    );
                    0.0
                }
            }
        };
        let values: Vec<f64> = wanted.iter().map(|k| get(k)).collect();
        for (key, value) in fields {
            if value.is_some() && !wanted.contains(&key) {
                ok = false;
                self.push(
                    Problem::new(
                        path.key(key),
                        format!("`{key}` does not belong to a {name} distribution"),
                    )
                    .hint(format!("{name} takes {}", wanted.join(", "))),
                );
            }
        }
        if !ok {
            return Param::Fixed(0.0);
        }
        let outside = |lo: f64, hi: f64| !(bound.contains(lo) && bound.contains(hi));
        let support = |checker: &mut Checker, lo: f64, hi: f64| {
            if outside(lo, hi) {
                checker.push(
                    Problem::new(
                        path.clone(),
                        format!("support [{lo}, {hi}] is not inside the bound"),
                    )
                    .hint(format!(
                        "this parameter must be {}; a distribution may not reach outside it",
                        bound.describe()
                    )),
                );
            }
        };
        match dist {
            Dist::Normal => {
                let (mean, sd) = (values[0], values[1]);
                if bound.is_bounded() {
                    self.push(
                        Problem::new(
                            path.clone(),
                            "a normal distribution is not allowed on a bounded parameter",
                        )
                        .hint(format!(
                            "this parameter must be {}; use uniform, triangular{} or a number",
                            bound.describe(),
                            if bound == Bound::Unit { ", beta" } else { "" }
                        )),
                    );
                } else if sd < 0.0 {
                    self.push(
                        Problem::new(path.key("sd"), format!("sd {sd} is negative"))
                            .hint("expected a number >= 0"),
                    );
                }
                Param::Normal { mean, sd }
            }
            Dist::Uniform => {
                let (low, high) = (values[0], values[1]);
                if low >= high {
                    self.push(Problem::new(
                        path.clone(),
                        format!("uniform needs low < high, found low = {low}, high = {high}"),
                    ));
                } else {
                    support(self, low, high);
                }
                Param::Uniform { low, high }
            }
            Dist::Triangular => {
                let (low, mode, high) = (values[0], values[1], values[2]);
                if !(low < high && low <= mode && mode <= high) {
                    self.push(Problem::new(path.clone(), format!("triangular needs low <= mode <= high and low < high, found {low}, {mode}, {high}")));
                } else {
                    support(self, low, high);
                }
                Param::Triangular { low, mode, high }
            }
            Dist::Beta => {
                let (alpha, beta) = (values[0], values[1]);
                if bound != Bound::Unit {
                    self.push(
                        Problem::new(
                            path.clone(),
                            "a beta distribution is only allowed on parameters bounded to [0, 1]",
                        )
                        .hint(format!("this parameter must be {}", bound.describe())),
                    );
                }
                for (key, v) in [("alpha", alpha), ("beta", beta)] {
                    if v <= 0.0 {
                        self.push(Problem::new(
                            path.key(key),
                            format!("{key} must be > 0, found {v}"),
                        ));
                    }
                }
                Param::Beta { alpha, beta }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_distribution_reads_back_from_its_name() {
        for d in Dist::ALL {
            assert_eq!(Dist::parse(d.name()), Some(d));
        }
        assert_eq!(Dist::parse("Beta"), None);
        assert_eq!(Dist::parse("lognormal"), None);
        assert_eq!(
            Dist::listed(),
            "\"normal\", \"uniform\", \"triangular\" or \"beta\""
        );
    }
}
