//! Checked domain types: what the kernel trusts.
//!
//! Everything here has passed validation (`crate::input`): ids are unique and
//! resolved to indices, numbers are finite and inside their bounds, periods
//! are in the model's calendar. Nothing in this module knows about files,
//! TOML or serde, so the kernel never has to re-check anything.

use std::fmt;

/// A probability in [0, 1].
pub type Probability = f64;

/// Number of steps in a year: 1, 2, 4 or 12.
pub type StepsPerYear = u32;

/// The resolutions a model may use.
pub const STEPS_PER_YEAR: [StepsPerYear; 4] = [1, 2, 4, 12];

/// A labelled time step at a fixed resolution (`2026`, `2026H1`, `2026Q1`, `2026-01`).
///
/// Stored as an absolute step count (`year * steps_per_year + sub - 1`), so
/// that distances between periods are plain subtraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    index: i64,
    steps_per_year: StepsPerYear,
}

impl Period {
    /// The period `sub` (1-based) of `year`.
    pub fn new(year: i64, sub: u32, steps_per_year: StepsPerYear) -> Period {
        Period {
            index: year * i64::from(steps_per_year) + i64::from(sub) - 1,
            steps_per_year,
        }
    }

    /// Parses a label such as `2026Q1` at the given resolution.
    ///
    /// Returns a message saying what form was expected when the label does not fit.
    pub fn parse(label: &str, steps_per_year: StepsPerYear) -> Result<Period, String> {
        let expected = || format!("expected {}", Period::form(steps_per_year));
        if !label.is_ascii() {
            return Err(expected());
        }
        let (year, rest) = label.split_at(label.len().min(4));
        let year: i64 = match year.parse() {
            Ok(y) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => y,
            _ => return Err(expected()),
        };
        let sub = match (steps_per_year, rest) {
            (1, "") => Some(1),
            (2, "H1") => Some(1),
            (2, "H2") => Some(2),
            (4, r) if r.len() == 2 && r.starts_with('Q') => {
                r[1..].parse().ok().filter(|q| (1..=4).contains(q))
            }
            (12, r) if r.len() == 3 && r.starts_with('-') => {
                r[1..].parse().ok().filter(|m| (1..=12).contains(m))
            }
            _ => None,
        };
        match sub {
            Some(sub) if year >= 1000 => Ok(Period::new(year, sub, steps_per_year)),
            _ => Err(expected()),
        }
    }

    /// How a period is written at this resolution, for error messages.
    pub fn form(steps_per_year: StepsPerYear) -> &'static str {
        match steps_per_year {
            1 => "a year such as 2026 or \"2026\"",
            2 => "a half-year such as \"2026H1\"",
            4 => "a quarter such as \"2026Q1\"",
            _ => "a month such as \"2026-01\"",
        }
    }

    /// The calendar year.
    pub fn year(self) -> i64 {
        self.index.div_euclid(i64::from(self.steps_per_year))
    }

    /// The 1-based sub-period within the year (quarter, month, ...).
    pub fn sub(self) -> u32 {
        self.index.rem_euclid(i64::from(self.steps_per_year)) as u32 + 1
    }

    /// The period `steps` later (earlier when negative).
    pub fn offset(self, steps: i64) -> Period {
        Period {
            index: self.index + steps,
            ..self
        }
    }

    /// Steps from `self` to `later` (negative when `later` is earlier).
    pub fn steps_until(self, later: Period) -> i64 {
        later.index - self.index
    }

    /// The resolution this period is written at.
    pub fn steps_per_year(self) -> StepsPerYear {
        self.steps_per_year
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, sub) = (self.year(), self.sub());
        match self.steps_per_year {
            1 => write!(f, "{year}"),
            2 => write!(f, "{year}H{sub}"),
            4 => write!(f, "{year}Q{sub}"),
            _ => write!(f, "{year}-{sub:02}"),
        }
    }
}

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
    pub fn is_uncertain(&self) -> bool {
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
    pub fn quantile(&self, p: f64) -> f64 {
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
    /// Parameter paths, as written in the files (`engagement.pakistan.economic.bias`).
    pub supports: Vec<String>,
    pub note: Option<String>,
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

/// The path a driver reverts to.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Constant(f64),
    /// Strictly increasing keyframes, linear in period index between them,
    /// flat before the first and after the last.
    Keyframes(Vec<(Period, f64)>),
}

impl Target {
    /// The target value at `period`.
    pub fn at(&self, period: Period) -> f64 {
        match self {
            Target::Constant(v) => *v,
            Target::Keyframes(frames) => {
                let (first, last) = (frames[0], frames[frames.len() - 1]);
                if period <= first.0 {
                    return first.1;
                }
                if period >= last.0 {
                    return last.1;
                }
                let i = frames.partition_point(|(p, _)| *p <= period);
                let ((p0, v0), (p1, v1)) = (frames[i - 1], frames[i]);
                let frac = p0.steps_until(period) as f64 / p0.steps_until(p1) as f64;
                v0 + (v1 - v0) * frac
            }
        }
    }
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
        let engagement = self.engagement.iter().flatten().flat_map(|e| &e.evidence);
        actors.chain(domains).chain(drivers).chain(engagement)
    }

    /// Time step in years.
    pub fn dt(&self) -> f64 {
        1.0 / f64::from(self.steps_per_year)
    }

    /// Domain weights normalised to sum to 1.
    pub fn normalised_domain_weights(&self) -> Vec<f64> {
        let total: f64 = self.domains.iter().map(|d| d.weight).sum();
        self.domains.iter().map(|d| d.weight / total).collect()
    }

    /// The parameter at `path` (as [`Model::params`] names it), to change it.
    pub fn param_mut(&mut self, path: &str) -> Option<&mut Param> {
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            ["drivers", id, field] => {
                let d = self.drivers.iter_mut().find(|d| d.id == *id)?;
                match *field {
                    "initial" => Some(&mut d.initial),
                    "reversion" => Some(&mut d.reversion_per_year),
                    "volatility" => Some(&mut d.volatility),
                    _ => None,
                }
            }
            ["drivers", id, "jumps", name, field] => {
                let d = self.drivers.iter_mut().find(|d| d.id == *id)?;
                let j = d.jumps.iter_mut().find(|j| j.name == *name)?;
                match *field {
                    "rate" => Some(&mut j.rate_per_year),
                    "size" => Some(&mut j.size),
                    _ => None,
                }
            }
            ["actors", id, field] => {
                let a = self.actors.iter_mut().find(|a| a.id == *id)?;
                match *field {
                    "adjustment" => Some(&mut a.adjustment_per_year),
                    "reciprocity" => Some(&mut a.reciprocity),
                    _ => None,
                }
            }
            ["engagement", actor, domain, rest @ ..] => {
                let a = self.actors.iter().position(|a| a.id == *actor)?;
                let k = self.domains.iter().position(|d| d.id == *domain)?;
                let d = match rest {
                    ["weights", driver] => Some(self.driver_index(driver)?),
                    _ => None,
                };
                let e = &mut self.engagement[a][k];
                match (rest, d) {
                    (["initial"], _) => Some(&mut e.initial),
                    (["bias"], _) => Some(&mut e.bias),
                    (_, Some(d)) => Some(&mut e.weights[d]),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Every parameter of the model with its path as the files write it.
    pub fn params(&self) -> Vec<(String, Param)> {
        let mut out = Vec::new();
        for d in &self.drivers {
            let p = format!("drivers.{}", d.id);
            out.push((format!("{p}.initial"), d.initial));
            out.push((format!("{p}.reversion"), d.reversion_per_year));
            out.push((format!("{p}.volatility"), d.volatility));
            for j in &d.jumps {
                out.push((format!("{p}.jumps.{}.rate", j.name), j.rate_per_year));
                out.push((format!("{p}.jumps.{}.size", j.name), j.size));
            }
        }
        for a in &self.actors {
            out.push((format!("actors.{}.adjustment", a.id), a.adjustment_per_year));
            out.push((format!("actors.{}.reciprocity", a.id), a.reciprocity));
        }
        for (a, row) in self.actors.iter().zip(&self.engagement) {
            for (k, e) in self.domains.iter().zip(row) {
                let p = format!("engagement.{}.{}", a.id, k.id);
                out.push((format!("{p}.initial"), e.initial));
                out.push((format!("{p}.bias"), e.bias));
                for (d, w) in self.drivers.iter().zip(&e.weights) {
                    out.push((format!("{p}.weights.{}", d.id), *w));
                }
            }
        }
        out
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
    /// In file order.
    pub events: Vec<Event>,
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
    fn periods_parse_and_print_at_every_resolution() {
        for (label, spy) in [("2026", 1), ("2026H2", 2), ("2026Q3", 4), ("2026-11", 12)] {
            assert_eq!(Period::parse(label, spy).unwrap().to_string(), label);
        }
        assert_eq!(
            Period::parse("2026Q4", 4).unwrap().offset(1).to_string(),
            "2027Q1"
        );
        assert_eq!(
            Period::parse("2027-01", 12).unwrap().offset(-1).to_string(),
            "2026-12"
        );
    }

    #[test]
    fn periods_in_the_wrong_form_are_rejected() {
        for (label, spy) in [
            ("2026Q1", 12),
            ("2026Q5", 4),
            ("2026Q0", 4),
            ("26Q1", 4),
            ("2026-13", 12),
            ("2026H3", 2),
            ("2026", 4),
            ("ábcdQ1", 4),
            ("aa€Q1", 4),
            ("", 4),
            (" 2026Q1", 4),
            ("2026Q1 ", 4),
        ] {
            assert!(Period::parse(label, spy).is_err(), "{label} at {spy}");
        }
    }

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

    #[test]
    fn every_listed_parameter_can_be_reached_by_its_path() {
        let text = include_str!("../tests/data/models/tiny.toml");
        let mut m = crate::input::parse_model("tiny.toml", text.as_bytes())
            .unwrap()
            .model;
        for (path, value) in m.clone().params() {
            let p = m.param_mut(&path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(*p, value, "{path}");
            *p = Param::Fixed(0.123);
        }
        assert!(m.params().iter().all(|(_, p)| *p == Param::Fixed(0.123)));
        assert!(m.param_mut("drivers.pressure.target").is_none());
        assert!(m.param_mut("engagement.a.trade.weights.nothing").is_none());
    }

    #[test]
    fn keyframes_interpolate_linearly_and_hold_flat_outside() {
        let p = |s| Period::parse(s, 4).unwrap();
        let target = Target::Keyframes(vec![(p("2026Q1"), 0.8), (p("2027Q1"), 0.4)]);
        assert_eq!(target.at(p("2025Q1")), 0.8);
        assert_eq!(target.at(p("2026Q1")), 0.8);
        assert!((target.at(p("2026Q2")) - 0.7).abs() < 1e-15);
        assert!((target.at(p("2026Q3")) - 0.6).abs() < 1e-15);
        assert_eq!(target.at(p("2027Q1")), 0.4);
        assert_eq!(target.at(p("2030Q1")), 0.4);
    }
}
