//! Checked domain types: what the kernel trusts.
//!
//! Everything here has passed validation (`crate::input`): ids are unique and
//! resolved to indices, numbers are finite and inside their bounds, periods
//! are in the model's calendar. Nothing in this module knows about files,
//! TOML or serde, so the kernel never has to re-check anything.
//!
//! Periods, parameters and the paths that name parameters each have their
//! own file; the rest of the model is here.

mod observed;
mod param;
mod path;
mod period;

pub use observed::{Grade, Mapping, Measure, Measured, Observation, Record};
pub use param::Param;
pub use path::{Level, ParamPath, PathError, Table, Value};
pub(crate) use period::STEPS_PER_YEAR;
pub use period::{Period, StepsPerYear};

use std::fmt;

/// The index levels that mark estrangement (`low`) and partnership (`high`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    pub low: f64,
    pub high: f64,
}

/// A cited document.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub file: Option<String>,
    pub url: Option<String>,
}

impl Source {
    /// "title, publisher, date", for citing the source in text.
    pub fn citation(&self) -> String {
        [
            Some(self.title.as_str()),
            self.publisher.as_deref(),
            self.date.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A quote from a source, and the parameters it supports.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// Index into [`Model::sources`].
    pub source: usize,
    pub quote: String,
    /// Parameter paths as written in the files
    /// (`engagement.pakistan.economic.bias`); validation has checked that
    /// each parses as a [`ParamPath`] naming a number of the model.
    pub supports: Vec<String>,
    /// What the quote backs about those parameters, when the file says.
    pub kind: Option<EvidenceKind>,
    pub note: Option<String>,
}

/// What an evidence entry backs about the parameters it supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceKind {
    /// The direction of an effect: a weight's sign, which way a driver moves.
    Sign,
    /// A level at the quote's own period: an initial value, a target.
    Level,
    /// How fast something moves: reversion, volatility, jump rates, adjustment.
    Dynamics,
    /// The size of an effect, from data or from a calibration.
    Magnitude,
}

impl EvidenceKind {
    /// Every kind, in the order the files' documentation lists them.
    pub const ALL: [EvidenceKind; 4] = [
        EvidenceKind::Sign,
        EvidenceKind::Level,
        EvidenceKind::Dynamics,
        EvidenceKind::Magnitude,
    ];

    /// The name a file writes.
    pub fn name(self) -> &'static str {
        match self {
            EvidenceKind::Sign => "sign",
            EvidenceKind::Level => "level",
            EvidenceKind::Dynamics => "dynamics",
            EvidenceKind::Magnitude => "magnitude",
        }
    }

    /// The kind a file names, if any.
    pub fn parse(name: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// An agent with an engagement per domain.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub id: String,
    pub title: String,
    /// Speed of adjustment towards the target, per year.
    pub adjustment_per_year: Param,
    /// Weight of the other actors' engagement in the target, in [0, 1].
    pub reciprocity: Param,
    pub evidence: Vec<Evidence>,
}

/// A field of cooperation.
#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    pub id: String,
    pub title: String,
    /// Weight in the composite, before normalisation; > 0.
    pub weight: f64,
    pub evidence: Vec<Evidence>,
}

/// The path a driver reverts to. Its values are parameters: kernel 2 lets
/// a constant target or a keyframe's value be a distribution, drawn once a
/// run (paths `drivers.<id>.target` and `drivers.<id>.target.<period>`).
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Constant(Param),
    /// Strictly increasing keyframes, linear in period index between them,
    /// flat before the first and after the last.
    Keyframes(Vec<(Period, Param)>),
}

impl Target {
    /// The target at `period` with every value at its mean (the value
    /// itself for a fixed number).
    pub fn at(&self, period: Period) -> f64 {
        let values = self.params();
        self.at_with(period, |i| values[i].mean())
    }

    /// The target at `period` with the `i`-th value (the constant, or the
    /// `i`-th keyframe's) read as `value(i)`: one run's draws.
    pub fn at_with(&self, period: Period, value: impl Fn(usize) -> f64) -> f64 {
        match self.interpolation(period) {
            Interpolation::At(i) => value(i),
            Interpolation::Between(i, frac) => {
                let (v0, v1) = (value(i), value(i + 1));
                v0 + (v1 - v0) * frac
            }
        }
    }

    /// Which values make the target at `period`, and how.
    pub fn interpolation(&self, period: Period) -> Interpolation {
        match self {
            Target::Constant(_) => Interpolation::At(0),
            Target::Keyframes(frames) => {
                let last = frames.len() - 1;
                if period <= frames[0].0 {
                    return Interpolation::At(0);
                }
                if period >= frames[last].0 {
                    return Interpolation::At(last);
                }
                let i = frames.partition_point(|(p, _)| *p <= period) - 1;
                let (p0, p1) = (frames[i].0, frames[i + 1].0);
                let frac = p0.steps_until(period) as f64 / p0.steps_until(p1) as f64;
                Interpolation::Between(i, frac)
            }
        }
    }

    /// The target's values: the constant, or each keyframe's value.
    pub fn params(&self) -> Vec<&Param> {
        match self {
            Target::Constant(v) => vec![v],
            Target::Keyframes(frames) => frames.iter().map(|(_, v)| v).collect(),
        }
    }

    /// Whether any value is a distribution (kernel 2).
    pub fn is_uncertain(&self) -> bool {
        self.params().iter().any(|p| !matches!(p, Param::Fixed(_)))
    }
}

/// How a target's values make its value at one period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Interpolation {
    /// The `i`-th value itself (a constant, or flat outside the keyframes).
    At(usize),
    /// Between the `i`-th and the next keyframe, a share `frac` of the way.
    Between(usize, f64),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Constant(v) => write!(f, "{v}"),
            Target::Keyframes(frames) => {
                for (i, (at, v)) in frames.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" → ")?;
                    }
                    write!(f, "{v} at {at}")?;
                }
                Ok(())
            }
        }
    }
}

/// A stochastic jump of a driver.
#[derive(Clone, Debug, PartialEq)]
pub struct Jump {
    pub name: String,
    pub description: Option<String>,
    /// Expected firings per year; each step fires with probability `1 - exp(-rate * dt)`.
    pub rate_per_year: Param,
    /// Added to the driver when the jump fires.
    pub size: Param,
    /// Kernel 2: a firing also moves the driver's target by `size`, so the
    /// change lasts instead of fading.
    pub persistent: bool,
    /// Kernel 2: the jump fires at most once a run.
    pub once: bool,
}

/// A shock that several drivers share (kernel 2): each step draws one
/// standard normal for the factor, and each driver's shock mixes it in by
/// its loading.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    pub id: String,
    pub title: String,
    pub meaning: String,
    /// One loading per driver, in the model's driver order; unnamed ones are 0.
    pub loadings: Vec<f64>,
    pub evidence: Vec<Evidence>,
}

/// An exogenous pressure in [0, 1].
#[derive(Clone, Debug, PartialEq)]
pub struct Driver {
    pub id: String,
    pub title: String,
    pub meaning: Option<String>,
    pub dynamics: Option<String>,
    pub initial: Param,
    pub target: Target,
    /// Ornstein–Uhlenbeck mean reversion, per year.
    pub reversion_per_year: Param,
    /// Ornstein–Uhlenbeck volatility, per square-root year.
    pub volatility: Param,
    pub jumps: Vec<Jump>,
    pub evidence: Vec<Evidence>,
}

/// How one actor engages in one domain.
#[derive(Clone, Debug, PartialEq)]
pub struct Engagement {
    pub initial: Param,
    pub bias: Param,
    /// One weight per driver, in the model's driver order; unnamed weights are 0.
    pub weights: Vec<Param>,
    pub evidence: Vec<Evidence>,
}

/// A checked model.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub id: String,
    pub title: Option<String>,
    pub kernel: u32,
    pub steps_per_year: StepsPerYear,
    pub start: Period,
    pub thresholds: Thresholds,
    pub sources: Vec<Source>,
    pub actors: Vec<Actor>,
    pub domains: Vec<Domain>,
    pub drivers: Vec<Driver>,
    /// Kernel 2's shared shocks; empty in kernel 1.
    pub factors: Vec<Factor>,
    /// `engagement[actor][domain]`.
    pub engagement: Vec<Vec<Engagement>>,
}

impl Model {
    /// Position of the driver with this id.
    pub fn driver_index(&self, id: &str) -> Option<usize> {
        self.drivers.iter().position(|d| d.id == id)
    }

    /// Every evidence entry, wherever it stands: actors, domains, drivers,
    /// then engagement tables.
    pub fn evidence(&self) -> impl Iterator<Item = &Evidence> {
        let actors = self.actors.iter().flat_map(|a| &a.evidence);
        let domains = self.domains.iter().flat_map(|d| &d.evidence);
        let drivers = self.drivers.iter().flat_map(|d| &d.evidence);
        let factors = self.factors.iter().flat_map(|f| &f.evidence);
        let engagement = self.engagement.iter().flatten().flat_map(|e| &e.evidence);
        actors
            .chain(domains)
            .chain(drivers)
            .chain(factors)
            .chain(engagement)
    }

    /// Time step in years.
    pub fn dt(&self) -> f64 {
        1.0 / f64::from(self.steps_per_year)
    }

    /// Domain weights normalised to sum to 1.
    pub(crate) fn normalised_domain_weights(&self) -> Vec<f64> {
        let total: f64 = self.domains.iter().map(|d| d.weight).sum();
        self.domains.iter().map(|d| d.weight / total).collect()
    }
}

/// What a scheduled event does to its driver.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventAction {
    Shift(f64),
    Set(f64),
}

/// A scheduled change of a driver at a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub at: Period,
    /// Index into the model's drivers.
    pub driver: usize,
    pub action: EventAction,
    pub label: Option<String>,
}

/// A decision (kernel 2): from its period on, an actor's bias in one domain
/// or in every domain is raised by `bias_shift`.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub at: Period,
    /// Index into the model's actors.
    pub actor: usize,
    /// Index into the model's domains; `None` for every domain.
    pub domain: Option<usize>,
    pub bias_shift: f64,
    pub label: Option<String>,
}

/// A checked scenario: its model with the overrides applied, and how to run it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The model with the scenario's overrides merged in.
    pub model: Model,
    pub start: Period,
    /// Number of steps; the result has `steps + 1` periods.
    pub steps: usize,
    pub runs: u64,
    pub seed: u64,
    pub thresholds: Thresholds,
    /// Driver events, in file order.
    pub events: Vec<Event>,
    /// Decisions (kernel 2), in file order.
    pub decisions: Vec<Decision>,
    /// The evidence behind the what-if, citing the model's sources.
    pub evidence: Vec<Evidence>,
}

impl Scenario {
    /// The labels of the `steps + 1` periods, from `start`.
    pub fn periods(&self) -> Vec<Period> {
        (0..=self.steps as i64)
            .map(|t| self.start.offset(t))
            .collect()
    }

    /// The last period.
    pub fn end(&self) -> Period {
        self.start.offset(self.steps as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyframes_interpolate_linearly_and_hold_flat_outside() {
        let p = |s| Period::parse(s, 4).unwrap();
        let target = Target::Keyframes(vec![
            (p("2026Q1"), Param::Fixed(0.8)),
            (p("2027Q1"), Param::Fixed(0.4)),
        ]);
        assert_eq!(target.at(p("2025Q1")), 0.8);
        assert_eq!(target.at(p("2026Q1")), 0.8);
        assert!((target.at(p("2026Q2")) - 0.7).abs() < 1e-15);
        assert!((target.at(p("2026Q3")) - 0.6).abs() < 1e-15);
        assert_eq!(target.at(p("2027Q1")), 0.4);
        assert_eq!(target.at(p("2030Q1")), 0.4);
    }
}
