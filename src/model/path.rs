//! Parameter paths: the one grammar of names such as
//! `engagement.pakistan.economic.weights.sanctions`, and the one walk over
//! a model's numbers that gives each its name.
//!
//! The text of a path is part of the results: it keys a parameter's random
//! stream (docs/spec.md, "Random numbers"), so `Display` writes exactly what
//! the files write and what `FromStr` reads.

use super::{Model, Param, Target, Thresholds};
use std::fmt;
use std::str::FromStr;

/// The table a threshold is written under: the model's header or the
/// scenario's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    Model,
    Scenario,
}

/// Which of the two thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Low,
    High,
}

impl Level {
    /// This threshold's value in `thresholds`.
    pub fn of(self, thresholds: &Thresholds) -> f64 {
        match self {
            Level::Low => thresholds.low,
            Level::High => thresholds.high,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::High => "high",
        }
    }
}

/// The path of one number of a model or scenario, as the files write it.
///
/// This enum is the only place the grammar of paths is written. Adding a
/// path (kernel 2's `drivers.<id>.target.<period>` or
/// `factors.<id>.loadings.<driver>`) is one change in this file: the
/// variant, its line in [`ParamPath::FORMS`], its arm in `from_str` and in
/// `Display`, and, when it names a number of the model, its place in
/// [`Model::values`] (and in [`Model::param_mut`] for a [`Param`]). The
/// tests below fail until all of them agree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParamPath {
    /// `model.thresholds.low|high` or `scenario.thresholds.low|high`.
    Threshold { table: Table, level: Level },
    /// `drivers.<id>.initial`.
    DriverInitial { driver: String },
    /// `drivers.<id>.target`: the whole target path (and, in kernel 2, the
    /// stream of an uncertain constant target).
    DriverTarget { driver: String },
    /// `drivers.<id>.target.<period>`: one keyframe's value, `at` as the
    /// file writes the period (kernel 2 may make it uncertain).
    DriverKeyframe { driver: String, at: String },
    /// `drivers.<id>.reversion`.
    DriverReversion { driver: String },
    /// `drivers.<id>.volatility`.
    DriverVolatility { driver: String },
    /// `drivers.<id>.jumps.<name>.rate`.
    JumpRate { driver: String, jump: String },
    /// `drivers.<id>.jumps.<name>.size`.
    JumpSize { driver: String, jump: String },
    /// `actors.<id>.adjustment`.
    ActorAdjustment { actor: String },
    /// `actors.<id>.reciprocity`.
    ActorReciprocity { actor: String },
    /// `domains.<id>.weight`.
    DomainWeight { domain: String },
    /// `engagement.<actor>.<domain>.initial`.
    EngagementInitial { actor: String, domain: String },
    /// `engagement.<actor>.<domain>.bias`.
    EngagementBias { actor: String, domain: String },
    /// `engagement.<actor>.<domain>.weights.<driver>`.
    EngagementWeight {
        actor: String,
        domain: String,
        driver: String,
    },
    /// `factors.<id>.loadings.<driver>` (kernel 2).
    FactorLoading { factor: String, driver: String },
}

const LEVELS: &[&str] = &["low", "high"];
const DRIVER_FIELDS: &[&str] = &["initial", "target", "reversion", "volatility"];
const JUMP_FIELDS: &[&str] = &["rate", "size"];
const ACTOR_FIELDS: &[&str] = &["adjustment", "reciprocity"];
const DOMAIN_FIELDS: &[&str] = &["weight"];
const ENGAGEMENT_FIELDS: &[&str] = &["initial", "bias", "weights.<driver>"];

impl ParamPath {
    /// Every form a path takes, for help texts and error messages.
    pub const FORMS: &'static [&'static str] = &[
        "scenario.thresholds.low|high",
        "model.thresholds.low|high",
        "drivers.<id>.initial|target|reversion|volatility",
        "drivers.<id>.target.<period>",
        "drivers.<id>.jumps.<name>.rate|size",
        "actors.<id>.adjustment|reciprocity",
        "domains.<id>.weight",
        "engagement.<actor>.<domain>.initial|bias",
        "engagement.<actor>.<domain>.weights.<driver>",
        "factors.<id>.loadings.<driver>",
    ];

    /// [`ParamPath::FORMS`] as one line.
    pub fn forms() -> String {
        Self::FORMS.join(", ")
    }

    /// The driver whose own number this is (its initial value, target,
    /// dynamics or a jump), if any.
    pub fn driver(&self) -> Option<&str> {
        match self {
            ParamPath::DriverInitial { driver }
            | ParamPath::DriverTarget { driver }
            | ParamPath::DriverKeyframe { driver, .. }
            | ParamPath::DriverReversion { driver }
            | ParamPath::DriverVolatility { driver }
            | ParamPath::JumpRate { driver, .. }
            | ParamPath::JumpSize { driver, .. } => Some(driver),
            _ => None,
        }
    }
}

/// Why a text is not a [`ParamPath`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// The text fits none of [`ParamPath::FORMS`].
    Form,
    /// The text fits a form up to its last part, which names no number there.
    Field {
        found: String,
        known: &'static [&'static str],
    },
}

impl PathError {
    /// What is wrong, without the list of forms.
    pub fn message(&self) -> String {
        match self {
            PathError::Form => "not a numeric path".to_owned(),
            PathError::Field { found, known } => {
                format!("no number \"{found}\" there ({})", known.join(", "))
            }
        }
    }

    /// The name the text gave where a known one was expected, and those known.
    pub(crate) fn near_miss(&self) -> Option<(&str, &'static [&'static str])> {
        match self {
            PathError::Form => None,
            PathError::Field { found, known } => Some((found, known)),
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; a path is one of {}",
            self.message(),
            ParamPath::forms()
        )
    }
}

impl std::error::Error for PathError {}

/// `found` if it is among `known`, else the error that lists them.
fn field(found: &str, known: &'static [&'static str]) -> Result<&'static str, PathError> {
    known
        .iter()
        .find(|k| **k == found)
        .copied()
        .ok_or_else(|| PathError::Field {
            found: found.to_owned(),
            known,
        })
}

impl FromStr for ParamPath {
    type Err = PathError;

    fn from_str(text: &str) -> Result<ParamPath, PathError> {
        use ParamPath::*;
        let id = |s: &str| s.to_owned();
        let parts: Vec<&str> = text.split('.').collect();
        Ok(match parts.as_slice() {
            [table @ ("model" | "scenario"), "thresholds", level] => Threshold {
                table: if *table == "model" {
                    Table::Model
                } else {
                    Table::Scenario
                },
                level: match field(level, LEVELS)? {
                    "low" => Level::Low,
                    _ => Level::High,
                },
            },
            ["drivers", d, "jumps", j, f] => {
                let (driver, jump) = (id(d), id(j));
                match field(f, JUMP_FIELDS)? {
                    "rate" => JumpRate { driver, jump },
                    _ => JumpSize { driver, jump },
                }
            }
            ["drivers", d, "target", at] => DriverKeyframe {
                driver: id(d),
                at: id(at),
            },
            ["factors", f, "loadings", d] => FactorLoading {
                factor: id(f),
                driver: id(d),
            },
            ["drivers", d, f] => {
                let driver = id(d);
                match field(f, DRIVER_FIELDS)? {
                    "initial" => DriverInitial { driver },
                    "target" => DriverTarget { driver },
                    "reversion" => DriverReversion { driver },
                    _ => DriverVolatility { driver },
                }
            }
            ["actors", a, f] => {
                let actor = id(a);
                match field(f, ACTOR_FIELDS)? {
                    "adjustment" => ActorAdjustment { actor },
                    _ => ActorReciprocity { actor },
                }
            }
            ["domains", k, f] => {
                field(f, DOMAIN_FIELDS)?;
                DomainWeight { domain: id(k) }
            }
            ["engagement", a, k, "weights", d] => EngagementWeight {
                actor: id(a),
                domain: id(k),
                driver: id(d),
            },
            ["engagement", a, k, f] => {
                let (actor, domain) = (id(a), id(k));
                // `weights` alone is a table, not a number: it falls here
                // and is refused with the forms that do name numbers.
                match *f {
                    "initial" => EngagementInitial { actor, domain },
                    "bias" => EngagementBias { actor, domain },
                    _ => {
                        return Err(PathError::Field {
                            found: (*f).to_owned(),
                            known: ENGAGEMENT_FIELDS,
                        });
                    }
                }
            }
            _ => return Err(PathError::Form),
        })
    }
}

impl fmt::Display for ParamPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParamPath::*;
        match self {
            Threshold { table, level } => {
                let table = match table {
                    Table::Model => "model",
                    Table::Scenario => "scenario",
                };
                write!(f, "{table}.thresholds.{}", level.name())
            }
            DriverInitial { driver } => write!(f, "drivers.{driver}.initial"),
            DriverTarget { driver } => write!(f, "drivers.{driver}.target"),
            DriverKeyframe { driver, at } => write!(f, "drivers.{driver}.target.{at}"),
            FactorLoading { factor, driver } => write!(f, "factors.{factor}.loadings.{driver}"),
            DriverReversion { driver } => write!(f, "drivers.{driver}.reversion"),
            DriverVolatility { driver } => write!(f, "drivers.{driver}.volatility"),
            JumpRate { driver, jump } => write!(f, "drivers.{driver}.jumps.{jump}.rate"),
            JumpSize { driver, jump } => write!(f, "drivers.{driver}.jumps.{jump}.size"),
            ActorAdjustment { actor } => write!(f, "actors.{actor}.adjustment"),
            ActorReciprocity { actor } => write!(f, "actors.{actor}.reciprocity"),
            DomainWeight { domain } => write!(f, "domains.{domain}.weight"),
            EngagementInitial { actor, domain } => write!(f, "engagement.{actor}.{domain}.initial"),
            EngagementBias { actor, domain } => write!(f, "engagement.{actor}.{domain}.bias"),
            EngagementWeight {
                actor,
                domain,
                driver,
            } => write!(f, "engagement.{actor}.{domain}.weights.{driver}"),
        }
    }
}

/// A number of a model, as a path names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'m> {
    Param(&'m Param),
    Target(&'m Target),
    Number(f64),
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Param(p) => p.fmt(f),
            Value::Target(t) => t.fmt(f),
            Value::Number(v) => v.fmt(f),
        }
    }
}

impl Model {
    /// Every parameter (fixed or uncertain) with its path, in the order of
    /// the files: drivers with their jumps, actors, then engagement tables.
    pub fn params(&self) -> impl Iterator<Item = (ParamPath, &Param)> {
        use ParamPath::*;
        let drivers = self.drivers.iter().flat_map(|d| {
            let driver = || d.id.clone();
            let own = [
                (DriverInitial { driver: driver() }, &d.initial),
                (DriverReversion { driver: driver() }, &d.reversion_per_year),
                (DriverVolatility { driver: driver() }, &d.volatility),
            ];
            let jumps = d.jumps.iter().flat_map(move |j| {
                let jump = || j.name.clone();
                [
                    (
                        JumpRate {
                            driver: driver(),
                            jump: jump(),
                        },
                        &j.rate_per_year,
                    ),
                    (
                        JumpSize {
                            driver: driver(),
                            jump: jump(),
                        },
                        &j.size,
                    ),
                ]
            });
            own.into_iter().chain(jumps)
        });
        let actors = self.actors.iter().flat_map(|a| {
            [
                (
                    ActorAdjustment {
                        actor: a.id.clone(),
                    },
                    &a.adjustment_per_year,
                ),
                (
                    ActorReciprocity {
                        actor: a.id.clone(),
                    },
                    &a.reciprocity,
                ),
            ]
        });
        let engagement = self
            .actors
            .iter()
            .zip(&self.engagement)
            .flat_map(move |(a, row)| {
                self.domains.iter().zip(row).flat_map(move |(k, e)| {
                    let (actor, domain) = (|| a.id.clone(), || k.id.clone());
                    let own = [
                        (
                            EngagementInitial {
                                actor: actor(),
                                domain: domain(),
                            },
                            &e.initial,
                        ),
                        (
                            EngagementBias {
                                actor: actor(),
                                domain: domain(),
                            },
                            &e.bias,
                        ),
                    ];
                    let weights = self.drivers.iter().zip(&e.weights).map(move |(d, w)| {
                        (
                            EngagementWeight {
                                actor: actor(),
                                domain: domain(),
                                driver: d.id.clone(),
                            },
                            w,
                        )
                    });
                    own.into_iter().chain(weights)
                })
            });
        drivers.chain(actors).chain(engagement)
    }

    /// Every number of the model with its path: the thresholds, the drivers'
    /// targets (each whole, then each keyframe's value), every parameter
    /// ([`Model::params`]), the domain weights, then the factors' loadings.
    pub fn values(&self) -> impl Iterator<Item = (ParamPath, Value<'_>)> {
        let thresholds = [Level::Low, Level::High].map(|level| {
            (
                ParamPath::Threshold {
                    table: Table::Model,
                    level,
                },
                Value::Number(level.of(&self.thresholds)),
            )
        });
        let targets = self.drivers.iter().flat_map(|d| {
            let whole = (
                ParamPath::DriverTarget {
                    driver: d.id.clone(),
                },
                Value::Target(&d.target),
            );
            let frames: &[(super::Period, Param)] = match &d.target {
                Target::Keyframes(frames) => frames,
                Target::Constant(_) => &[],
            };
            let frames = frames.iter().map(|(at, v)| {
                (
                    ParamPath::DriverKeyframe {
                        driver: d.id.clone(),
                        at: at.to_string(),
                    },
                    Value::Param(v),
                )
            });
            std::iter::once(whole).chain(frames)
        });
        let params = self.params().map(|(path, p)| (path, Value::Param(p)));
        let weights = self.domains.iter().map(|d| {
            (
                ParamPath::DomainWeight {
                    domain: d.id.clone(),
                },
                Value::Number(d.weight),
            )
        });
        let loadings = self.factors.iter().flat_map(|f| {
            self.drivers
                .iter()
                .zip(&f.loadings)
                .filter(|(_, l)| **l != 0.0)
                .map(|(d, l)| {
                    (
                        ParamPath::FactorLoading {
                            factor: f.id.clone(),
                            driver: d.id.clone(),
                        },
                        Value::Number(*l),
                    )
                })
        });
        thresholds
            .into_iter()
            .chain(targets)
            .chain(params)
            .chain(weights)
            .chain(loadings)
    }

    /// The parameter at `path`, to change it; `None` when the path names no
    /// parameter of this model (an unknown id, or a number that is not a
    /// [`Param`], such as a target).
    pub fn param_mut(&mut self, path: &ParamPath) -> Option<&mut Param> {
        use ParamPath::*;
        let engagement = |m: &Model, actor: &str, domain: &str| {
            let a = m.actors.iter().position(|a| a.id == actor)?;
            let k = m.domains.iter().position(|d| d.id == domain)?;
            Some((a, k))
        };
        match path {
            DriverInitial { driver } | DriverReversion { driver } | DriverVolatility { driver } => {
                let d = self.drivers.iter_mut().find(|d| d.id == *driver)?;
                Some(match path {
                    DriverInitial { .. } => &mut d.initial,
                    DriverReversion { .. } => &mut d.reversion_per_year,
                    _ => &mut d.volatility,
                })
            }
            JumpRate { driver, jump } | JumpSize { driver, jump } => {
                let d = self.drivers.iter_mut().find(|d| d.id == *driver)?;
                let j = d.jumps.iter_mut().find(|j| j.name == *jump)?;
                Some(match path {
                    JumpRate { .. } => &mut j.rate_per_year,
                    _ => &mut j.size,
                })
            }
            ActorAdjustment { actor } | ActorReciprocity { actor } => {
                let a = self.actors.iter_mut().find(|a| a.id == *actor)?;
                Some(match path {
                    ActorAdjustment { .. } => &mut a.adjustment_per_year,
                    _ => &mut a.reciprocity,
                })
            }
            EngagementInitial { actor, domain } => {
                let (a, k) = engagement(self, actor, domain)?;
                Some(&mut self.engagement[a][k].initial)
            }
            EngagementBias { actor, domain } => {
                let (a, k) = engagement(self, actor, domain)?;
                Some(&mut self.engagement[a][k].bias)
            }
            EngagementWeight {
                actor,
                domain,
                driver,
            } => {
                let (a, k) = engagement(self, actor, domain)?;
                let d = self.driver_index(driver)?;
                Some(&mut self.engagement[a][k].weights[d])
            }
            DriverKeyframe { driver, at } => {
                let d = self.drivers.iter_mut().find(|d| d.id == *driver)?;
                match &mut d.target {
                    Target::Keyframes(frames) => frames
                        .iter_mut()
                        .find(|(p, _)| p.to_string() == *at)
                        .map(|(_, v)| v),
                    Target::Constant(_) => None,
                }
            }
            Threshold { .. } | DriverTarget { .. } | DomainWeight { .. } | FactorLoading { .. } => {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_form_parses_and_prints_as_written() {
        for form in ParamPath::FORMS {
            let mut texts = vec![String::new()];
            for (i, part) in form.split('.').enumerate() {
                let choices: Vec<&str> = if part.starts_with('<') {
                    vec!["x-1"]
                } else {
                    part.split('|').collect()
                };
                texts = texts
                    .iter()
                    .flat_map(|t| {
                        choices.iter().map(move |c| {
                            if i == 0 {
                                (*c).to_owned()
                            } else {
                                format!("{t}.{c}")
                            }
                        })
                    })
                    .collect();
            }
            for text in texts {
                let path: ParamPath = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
                assert_eq!(path.to_string(), text);
            }
        }
    }

    #[test]
    fn paths_outside_the_forms_are_refused_with_what_is_allowed() {
        assert_eq!("nothing.here".parse::<ParamPath>(), Err(PathError::Form));
        assert_eq!("drivers.x".parse::<ParamPath>(), Err(PathError::Form));
        assert_eq!(
            "drivers.x.jumps.y".parse::<ParamPath>(),
            Err(PathError::Form)
        );
        let e = "drivers.sanctions.targt".parse::<ParamPath>().unwrap_err();
        assert_eq!(
            e.message(),
            "no number \"targt\" there (initial, target, reversion, volatility)"
        );
        assert!(
            e.to_string()
                .contains("drivers.<id>.jumps.<name>.rate|size")
        );
        let e = "engagement.a.b.weight".parse::<ParamPath>().unwrap_err();
        assert_eq!(
            e.message(),
            "no number \"weight\" there (initial, bias, weights.<driver>)"
        );
    }
}
