//! The checks every number, id, period, target and evidence entry goes
//! through, and the collector of problems they report to.

use super::MAX_MAGNITUDE;
use crate::input::diagnostics::{KeyPath, Problem, suggest};
use crate::input::format::*;
use crate::model::*;

/// The range a number must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Bound {
    Any,
    NonNegative,
    Unit,
    Positive,
    Percent,
}

impl Bound {
    pub(super) fn contains(self, v: f64) -> bool {
        match self {
            Bound::Any => true,
            Bound::NonNegative => v >= 0.0,
            Bound::Unit => (0.0..=1.0).contains(&v),
            Bound::Positive => v > 0.0,
            Bound::Percent => (0.0..=100.0).contains(&v),
        }
    }

    pub(super) fn describe(self) -> &'static str {
        match self {
            Bound::Any => "any finite number",
            Bound::NonNegative => "a number >= 0",
            Bound::Unit => "a number in [0, 1]",
            Bound::Positive => "a number > 0",
            Bound::Percent => "a number in [0, 100]",
        }
    }

    pub(super) fn is_bounded(self) -> bool {
        self != Bound::Any
    }
}

#[derive(Default)]
pub(super) struct Checker {
    pub(super) problems: Vec<Problem>,
    /// The kernel of the model being checked: kernel-2 keys are refused in
    /// kernel 1.
    pub(super) kernel: i64,
}

impl Checker {
    pub(super) fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }

    pub(super) fn finish<T>(self, value: T) -> Result<T, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(self.problems)
        }
    }

    /// A plain number: finite, not huge, inside its bound.
    pub(super) fn number(&mut self, path: &KeyPath, v: f64, bound: Bound) -> f64 {
        if !v.is_finite() {
            self.push(
                Problem::new(
                    path.clone(),
                    format!("expected {}, found {v}", bound.describe()),
                )
                .hint("NaN and infinite numbers are not allowed"),
            );
            return 0.0;
        }
        if v.abs() > MAX_MAGNITUDE {
            self.push(
                Problem::new(path.clone(), format!("{v} is too large"))
                    .hint(format!("numbers lie within ±{MAX_MAGNITUDE:e}")),
            );
            return 0.0;
        }
        if !bound.contains(v) {
            self.push(
                Problem::new(path.clone(), format!("{v} is out of range"))
                    .hint(format!("expected {}", bound.describe())),
            );
        }
        v
    }

    pub(super) fn period(
        &mut self,
        path: &KeyPath,
        raw: &RawPeriod,
        spy: StepsPerYear,
    ) -> Option<Period> {
        let parsed = match raw {
            RawPeriod::Year(y) if spy == 1 && (1000..=9999).contains(y) => {
                Ok(Period::new(*y, 1, 1))
            }
            RawPeriod::Year(y) => Err(format!("{y} is not a period of this model")),
            RawPeriod::Label(s) => Period::parse(s, spy).map_err(|_| {
                // A lower-case q, m or h is the slip students make most.
                let upper = s.to_uppercase();
                match Period::parse(&upper, spy) {
                    Ok(_) => format!("\"{s}\" is not a period; did you mean {upper}"),
                    Err(_) => format!("\"{s}\" is not a period of this model"),
                }
            }),
        };
        match parsed {
            Ok(p) => Some(p),
            Err(message) => {
                self.push(Problem::new(path.clone(), message).hint(format!(
                    "the model has {spy} step{} a year: expected {}",
                    if spy == 1 { "" } else { "s" },
                    Period::form(spy)
                )));
                None
            }
        }
    }

    pub(super) fn id(&mut self, path: &KeyPath, id: &str, what: &str) {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            self.push(
                Problem::new(
                    path.clone(),
                    format!("invalid {what} id \"{}\"", id.escape_default()),
                )
                .hint("ids use letters, digits, '_' and '-', at most 64 characters")
                .at_key(),
            );
        }
    }

    pub(super) fn thresholds(&mut self, path: &KeyPath, raw: &RawThresholds) -> Thresholds {
        let before = self.problems.len();
        let low = self.number(&path.key("low"), raw.low, Bound::Percent);
        let high = self.number(&path.key("high"), raw.high, Bound::Percent);
        if self.problems.len() == before && low >= high {
            self.push(Problem::new(
                path.clone(),
                format!("thresholds need low < high, found low = {low}, high = {high}"),
            ));
        }
        Thresholds { low, high }
    }

    pub(super) fn target(&mut self, path: &KeyPath, raw: &RawTarget, spy: StepsPerYear) -> Target {
        match raw {
            RawTarget::Constant(v) => Target::Constant(self.target_value(path, v)),
            RawTarget::Keyframes(frames) if frames.is_empty() => {
                self.push(
                    Problem::new(path.clone(), "keyframes are empty")
                        .hint("give at least one { at = ..., value = ... }, or a number"),
                );
                Target::Constant(Param::Fixed(0.0))
            }
            RawTarget::Keyframes(frames) => {
                let mut out: Vec<(Period, Param)> = Vec::with_capacity(frames.len());
                for (i, f) in frames.iter().enumerate() {
                    let at = self.period(&path.index(i).key("at"), &f.at, spy);
                    let value = self.target_value(&path.index(i).key("value"), &f.value);
                    if let Some(at) = at {
                        if let Some((prev, _)) = out.last()
                            && at <= *prev
                        {
                            self.push(
                                Problem::new(
                                    path.index(i).key("at"),
                                    format!("keyframe at {at} does not come after {prev}"),
                                )
                                .hint("keyframes are strictly increasing in period"),
                            );
                            continue;
                        }
                        out.push((at, value));
                    }
                }
                if out.is_empty() {
                    Target::Constant(Param::Fixed(0.0))
                } else {
                    Target::Keyframes(out)
                }
            }
        }
    }

    /// A target's value: a number in [0, 1], or in kernel 2 a distribution
    /// with its support there.
    fn target_value(&mut self, path: &KeyPath, raw: &RawParam) -> Param {
        match raw {
            RawParam::Number(v) => Param::Fixed(self.number(path, *v, Bound::Unit)),
            RawParam::Dist(_) => {
                self.needs_kernel_2(path, "an uncertain target");
                self.param(path, raw, Bound::Unit)
            }
        }
    }

    /// A factor loading: a plain finite number in [-1, 1].
    pub(super) fn loading(&mut self, path: &KeyPath, v: f64) -> f64 {
        let v = self.number(path, v, Bound::Any);
        if v.abs() > 1.0 {
            self.push(
                Problem::new(path.clone(), format!("loading {v} is out of range"))
                    .hint("a loading is a number in [-1, 1]: the correlation of the driver's shock with the factor"),
            );
            return 0.0;
        }
        v
    }

    /// Reports `what` at `path` unless the model runs kernel 2.
    pub(super) fn needs_kernel_2(&mut self, path: &KeyPath, what: &str) {
        if self.kernel < 2 {
            self.push(
                Problem::new(path.clone(), format!("{what} needs kernel = 2"))
                    .hint("set `kernel = 2` in the model's [model] table (docs/spec.md §12), or remove it"),
            );
        }
    }

    /// Looks an id up among `known`, reporting an unknown one with a suggestion.
    pub(super) fn lookup(
        &mut self,
        path: &KeyPath,
        id: &str,
        known: &[&str],
        what: &str,
    ) -> Option<usize> {
        self.lookup_among(path, id, known, what, &format!("{what}s of this model"))
    }

    /// As `lookup`, with `among` saying what the known ids are
    /// ("rungs of this ladder").
    pub(super) fn lookup_among(
        &mut self,
        path: &KeyPath,
        id: &str,
        known: &[&str],
        what: &str,
        among: &str,
    ) -> Option<usize> {
        let found = known.iter().position(|k| *k == id);
        if found.is_none() {
            self.push(
                Problem::new(path.clone(), format!("unknown {what} \"{id}\""))
                    .hint(suggest(id, known, among))
                    .at_key(),
            );
        }
        found
    }

    pub(super) fn evidence(
        &mut self,
        path: &KeyPath,
        raw: &[RawEvidence],
        sources: &[&str],
    ) -> Vec<Evidence> {
        let mut out = Vec::new();
        for (i, e) in raw.iter().enumerate() {
            let p = path.index(i);
            let source = self.lookup(&p.key("source"), &e.source, sources, "source");
            if e.quote.trim().is_empty() {
                self.push(
                    Problem::new(p.key("quote"), "quote is empty")
                        .hint("quote the source verbatim"),
                );
            }
            let kind = e.kind.as_deref().and_then(|name| {
                let kind = EvidenceKind::parse(name);
                if kind.is_none() {
                    let known: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.name()).collect();
                    self.push(
                        Problem::new(p.key("kind"), format!("unknown evidence kind \"{name}\""))
                            .hint(format!(
                                "kind is one of {}: what the quote backs (docs/scenarios.md, \"The model file\")",
                                known.join(", ")
                            )),
                    );
                }
                kind
            });
            out.push(Evidence {
                source: source.unwrap_or(0),
                quote: e.quote.clone(),
                supports: e.supports.clone(),
                kind,
                note: e.note.clone(),
            });
        }
        out
    }
}

/// Kernel 2's jump flags: refused in kernel 1.
pub(super) fn check_jump_flags(
    c: &mut Checker,
    path: &KeyPath,
    persistent: Option<bool>,
    once: Option<bool>,
) {
    if persistent.is_some() {
        c.needs_kernel_2(&path.key("persistent"), "a persistent jump");
    }
    if once.is_some() {
        c.needs_kernel_2(&path.key("once"), "a one-time jump");
    }
}

/// The largest amount by which a driver's squared loadings may exceed 1:
/// rounding in loadings written to a few decimals (docs/spec.md §12).
pub(super) const LOADING_ALLOWANCE: f64 = 1e-12;

/// Every driver's squared loadings sum to at most 1 (plus the allowance),
/// so that its own shock keeps a real weight `sqrt(1 - sum)`.
/// `written(factor, driver)` says which loadings the file being checked
/// writes, so that the problem points at one of them.
pub(super) fn check_loadings(
    c: &mut Checker,
    path: &KeyPath,
    factors: &[Factor],
    drivers: &[Driver],
    written: &dyn Fn(&str, &str) -> bool,
) {
    for (d, driver) in drivers.iter().enumerate() {
        let sum: f64 = factors.iter().map(|f| f.loadings[d] * f.loadings[d]).sum();
        if sum > 1.0 + LOADING_ALLOWANCE {
            let named: Vec<&Factor> = factors.iter().filter(|f| f.loadings[d] != 0.0).collect();
            let listed: Vec<String> = named
                .iter()
                .map(|f| format!("{} {}", f.id, f.loadings[d]))
                .collect();
            // At the last loading of the file that pushed the sum over.
            let at = named
                .iter()
                .rev()
                .find(|f| written(&f.id, &driver.id))
                .map_or(path.clone(), |f| {
                    path.key(&f.id).key("loadings").key(&driver.id)
                });
            c.push(
                Problem::new(
                    at,
                    format!(
                        "the loadings of driver \"{}\" square to {sum:.6} ({}), more than 1",
                        driver.id,
                        listed.join(", ")
                    ),
                )
                .hint("a driver's squared loadings sum to at most 1: its shock is sqrt(1 - sum) of its own plus its factors'"),
            );
        }
    }
}

/// Checks a jump's name and that no earlier jump of its driver has it.
pub(super) fn check_jump_name(c: &mut Checker, path: &KeyPath, name: &str, earlier: &[Jump]) {
    c.id(&path.key("name"), name, "jump");
    if earlier.iter().any(|j| j.name == name) {
        c.push(
            Problem::new(path.key("name"), format!("jump \"{name}\" is given twice"))
                .hint("a jump name appears at most once among one driver's jumps"),
        );
    }
}
