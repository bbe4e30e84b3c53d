//! The file formats, mirrored as serde types.
//!
//! These types say what may be written, nothing more: every table denies
//! unknown keys, and every value keeps the shape the file gave it (a period
//! may be an integer or a string, a parameter a number or a distribution).
//! Whether the values make sense is `validate`'s job.

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A period as written: `2026` or `"2026Q1"`.
#[derive(Clone, Debug, PartialEq)]
pub enum RawPeriod {
    Year(i64),
    Label(String),
}

impl<'de> Deserialize<'de> for RawPeriod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawPeriod;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a period such as \"2026Q1\" (or an integer year for annual models)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawPeriod, E> {
                Ok(RawPeriod::Year(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawPeriod, E> {
                i64::try_from(v)
                    .map(RawPeriod::Year)
                    .map_err(|_| E::custom("year out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPeriod, E> {
                Ok(RawPeriod::Label(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A distribution as written, before its name and fields are checked.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: Option<String>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub mode: Option<f64>,
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
}

/// An uncertain parameter as written: a number or `{ dist = ..., ... }`.
#[derive(Clone, Debug, PartialEq)]
pub enum RawParam {
    Number(f64),
    Dist(RawDist),
}

impl<'de> Deserialize<'de> for RawParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawParam;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a distribution such as { dist = \"uniform\", low = 0.5, high = 1.1 }")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawParam, E> {
                Ok(RawParam::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawParam, E> {
                Ok(RawParam::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawParam, E> {
                Ok(RawParam::Number(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawParam, A::Error> {
                RawDist::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawParam::Dist)
            }
        }
        d.deserialize_any(V)
    }
}

/// One keyframe of a target path; kernel 2 lets its value be a distribution.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawKeyframe {
    pub at: RawPeriod,
    pub value: RawParam,
}

/// A driver's target as written: a number (kernel 2: or a distribution) or
/// a list of keyframes.
#[derive(Clone, Debug, PartialEq)]
pub enum RawTarget {
    Constant(RawParam),
    Keyframes(Vec<RawKeyframe>),
}

impl<'de> Deserialize<'de> for RawTarget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTarget;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or keyframes such as [{ at = \"2026Q1\", value = 0.8 }]")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawTarget, E> {
                Ok(RawTarget::Constant(RawParam::Number(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawTarget, E> {
                Ok(RawTarget::Constant(RawParam::Number(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawTarget, E> {
                Ok(RawTarget::Constant(RawParam::Number(v as f64)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawTarget, A::Error> {
                RawDist::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|d| RawTarget::Constant(RawParam::Dist(d)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawTarget, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(RawTarget::Keyframes)
            }
        }
        d.deserialize_any(V)
    }
}

/// Index thresholds as written.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawThresholds {
    pub low: f64,
    pub high: f64,
}

/// An evidence entry: a short verbatim quote and what it supports.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawEvidence {
    pub source: String,
    pub quote: String,
    #[serde(default)]
    pub supports: Vec<String>,
    /// What the quote backs: `sign`, `level`, `dynamics` or `magnitude`.
    pub kind: Option<String>,
    pub note: Option<String>,
}

// ---------------------------------------------------------------- model file

/// A model file (`models/<id>.toml`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub model: ModelHeader,
    #[serde(default)]
    pub sources: IndexMap<String, SourceSpec>,
    #[serde(default)]
    pub actors: IndexMap<String, ActorSpec>,
    #[serde(default)]
    pub domains: IndexMap<String, DomainSpec>,
    #[serde(default)]
    pub drivers: IndexMap<String, DriverSpec>,
    /// Kernel 2: shocks that several drivers share.
    #[serde(default)]
    pub factors: IndexMap<String, FactorSpec>,
    #[serde(default)]
    pub engagement: IndexMap<String, IndexMap<String, EngagementSpec>>,
}

/// A `[factors.<id>]` table (kernel 2).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FactorSpec {
    pub title: String,
    pub meaning: String,
    /// Driver id to loading, each a plain number in [-1, 1].
    pub loadings: IndexMap<String, f64>,
    #[serde(default)]
    pub evidence: Vec<RawEvidence>,
}

/// The `[model]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelHeader {
    pub id: String,
    pub title: Option<String>,
    pub kernel: i64,
    pub steps_per_year: i64,
    pub start: RawPeriod,
    pub thresholds: RawThresholds,
}

/// A `[sources.<id>]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub file: Option<String>,
    pub url: Option<String>,
}

/// An `[actors.<id>]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    pub title: Option<String>,
    pub adjustment: RawParam,
    pub reciprocity: RawParam,
    #[serde(default)]
    pub evidence: Vec<RawEvidence>,
}

/// A `[domains.<id>]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DomainSpec {
    pub title: Option<String>,
    pub weight: f64,
    #[serde(default)]
    pub evidence: Vec<RawEvidence>,
}

/// A `[drivers.<id>]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DriverSpec {
    pub title: Option<String>,
    pub meaning: Option<String>,
    pub dynamics: Option<String>,
    pub initial: RawParam,
    pub target: RawTarget,
    pub reversion: RawParam,
    pub volatility: RawParam,
    #[serde(default)]
    pub jumps: Vec<JumpSpec>,
    #[serde(default)]
    pub evidence: Vec<RawEvidence>,
}

/// A `[[drivers.<id>.jumps]]` entry of a model.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JumpSpec {
    pub name: String,
    pub description: Option<String>,
    pub rate: RawParam,
    pub size: RawParam,
    /// Kernel 2: the jump also moves the driver's target.
    pub persistent: Option<bool>,
    /// Kernel 2: the jump fires at most once a run.
    pub once: Option<bool>,
}

/// An `[engagement.<actor>.<domain>]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EngagementSpec {
    pub initial: RawParam,
    pub bias: Option<RawParam>,
    #[serde(default)]
    pub weights: IndexMap<String, RawParam>,
    #[serde(default)]
    pub evidence: Vec<RawEvidence>,
}

// ------------------------------------------------------------- scenario file

/// A scenario file (`scenarios/<name>.toml`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenario: ScenarioHeader,
    #[serde(default)]
    pub drivers: IndexMap<String, DriverPatch>,
    #[serde(default)]
    pub events: Vec<EventSpec>,
    /// The evidence behind the what-if: quotes from the model's sources.
    #[serde(default)]
    pub evidence: Vec<RawEvidence>,
    #[serde(default)]
    pub actors: IndexMap<String, ActorPatch>,
    #[serde(default)]
    pub domains: IndexMap<String, DomainPatch>,
    #[serde(default)]
    pub engagement: IndexMap<String, IndexMap<String, EngagementPatch>>,
    /// Kernel 2: loadings of the model's factors, key by key.
    #[serde(default)]
    pub factors: IndexMap<String, FactorPatch>,
}

/// A scenario's `[factors.<id>]`: only loadings, merged key by key.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FactorPatch {
    #[serde(default)]
    pub loadings: IndexMap<String, f64>,
}

/// The `[scenario]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenarioHeader {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub model: String,
    pub start: Option<RawPeriod>,
    pub end: Option<RawPeriod>,
    pub steps: Option<i64>,
    pub runs: Option<i64>,
    pub seed: Option<i64>,
    pub thresholds: Option<RawThresholds>,
}

/// A scenario's `[drivers.<id>]`: any driver field but title, meaning and evidence.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DriverPatch {
    pub dynamics: Option<String>,
    pub initial: Option<RawParam>,
    pub target: Option<RawTarget>,
    pub reversion: Option<RawParam>,
    pub volatility: Option<RawParam>,
    #[serde(default)]
    pub jumps: Vec<JumpPatch>,
}

/// A scenario's jump: overrides the model's jump of the same name, or adds one.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JumpPatch {
    pub name: String,
    pub description: Option<String>,
    pub rate: Option<RawParam>,
    pub size: Option<RawParam>,
    pub persistent: Option<bool>,
    pub once: Option<bool>,
}

/// A scheduled event: on a driver (`shift` or `set`) or, in kernel 2, a
/// decision of an actor (`bias_shift`, optionally in one `domain`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    pub at: RawPeriod,
    pub driver: Option<String>,
    pub shift: Option<f64>,
    pub set: Option<f64>,
    pub actor: Option<String>,
    pub domain: Option<String>,
    pub bias_shift: Option<f64>,
    pub label: Option<String>,
}

/// A scenario's `[actors.<id>]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ActorPatch {
    pub adjustment: Option<RawParam>,
    pub reciprocity: Option<RawParam>,
}

/// A scenario's `[domains.<id>]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DomainPatch {
    pub weight: Option<f64>,
}

/// A scenario's `[engagement.<actor>.<domain>]`: replaces single values.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EngagementPatch {
    pub initial: Option<RawParam>,
    pub bias: Option<RawParam>,
    #[serde(default)]
    pub weights: IndexMap<String, RawParam>,
}

// --------------------------------------------------------- observations file

/// An observations file (`data/<name>.toml`, docs/spec.md §13).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObservationsFile {
    pub observations: ObservationsHeader,
    #[serde(default)]
    pub sources: IndexMap<String, ObservedSourceSpec>,
    #[serde(default)]
    pub measures: IndexMap<String, MeasureSpec>,
}

/// The `[observations]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObservationsHeader {
    pub title: String,
    pub model: String,
    pub description: Option<String>,
}

/// A source of observations: who reported a figure, and when.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObservedSourceSpec {
    pub title: String,
    pub publisher: String,
    pub date: String,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// A `[measures.<id>]` table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    pub title: String,
    pub index: String,
    pub map: MapSpec,
    pub note: Option<String>,
    #[serde(default)]
    pub values: Vec<ObservedValueSpec>,
}

/// A measure's `map`, before its kind is checked.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MapSpec {
    pub kind: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub rungs: Option<IndexMap<String, f64>>,
}

/// A measured value as written: a number, or a rung's name.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RawMeasured {
    Number(f64),
    Rung(String),
}

/// One `[[measures.<id>.values]]` entry.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObservedValueSpec {
    pub period: RawPeriod,
    pub value: RawMeasured,
    pub grade: String,
    pub source: String,
    pub note: Option<String>,
}
