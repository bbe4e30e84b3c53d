//! The result of a run: the result format of docs/spec.md, built from an
//! aggregate; and the provenance every machine-readable output carries.
//!
//! A result holds no timing and no path of the machine, so equal inputs give
//! equal bytes. JSON, CSV and tables are all rendered from this one type.

use crate::input::LoadedScenario;
use crate::model::Thresholds;
use crate::stats::{Aggregate, CellSummary};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The engine's version, written into every result.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the JSON layouts of results and analyses: every
/// machine-readable output carries it as `format` (docs/spec.md "Result").
pub(crate) const FORMAT: u32 = 1;

/// Where a machine-readable output comes from: which coopsim, kernel,
/// model and scenario, with which seed and how many runs, in which format.
/// Every JSON output starts with these fields, in this order.
///
/// Outputs about several scenarios name the one whose seed and runs they
/// all share (the base of a comparison, the first of a scoring) and list
/// the others beside it. `runs` counts what the output's figures rest on:
/// a result's runs, the runs of each compared scenario, each sweep cell,
/// tornado variant or Morris evaluation, or all the runs of a Sobol design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub coopsim: String,
    pub format: u32,
    pub kernel: u32,
    pub model: ModelRef,
    pub scenario: ScenarioRef,
    pub seed: u64,
    pub runs: u64,
}

impl Provenance {
    /// The provenance of `runs` runs of `loaded` under `seed`.
    pub fn new(loaded: &LoadedScenario, seed: u64, runs: u64) -> Provenance {
        let s = &loaded.scenario;
        Provenance {
            coopsim: VERSION.to_owned(),
            format: FORMAT,
            kernel: s.model.kernel,
            model: ModelRef {
                id: s.model.id.clone(),
                sha256: loaded.base.sha256.clone(),
            },
            scenario: ScenarioRef {
                name: s.name.clone(),
                sha256: loaded.sha256.clone(),
            },
            seed,
            runs,
        }
    }

    /// The fields as a part file names them, for telling jobs apart.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("coopsim version", self.coopsim.clone()),
            ("format", self.format.to_string()),
            ("kernel", self.kernel.to_string()),
            ("model id", self.model.id.clone()),
            ("model sha256", self.model.sha256.clone()),
            ("scenario name", self.scenario.name.clone()),
            ("scenario sha256", self.scenario.sha256.clone()),
            ("seed", self.seed.to_string()),
            ("runs", self.runs.to_string()),
        ]
    }
}

/// An input file named in a result, with the hash of its bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRef {
    pub id: String,
    pub sha256: String,
}

/// The scenario named in a result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRef {
    pub name: String,
    pub sha256: String,
}

/// Thresholds as written in a result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsOut {
    pub low: f64,
    pub high: f64,
}

impl From<Thresholds> for ThresholdsOut {
    fn from(t: Thresholds) -> Self {
        ThresholdsOut {
            low: t.low,
            high: t.high,
        }
    }
}

/// An index series: one entry per period in every array.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexSeries {
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub p05: Vec<f64>,
    pub p10: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p90: Vec<f64>,
    pub p95: Vec<f64>,
    pub p_high: Vec<f64>,
    pub p_low: Vec<f64>,
}

/// A driver series: one entry per period in every array.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DriverSeries {
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub p05: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
}

/// The result of running a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub steps_per_year: u32,
    pub periods: Vec<String>,
    pub thresholds: ThresholdsOut,
    /// `composite` first, then each domain in model order.
    pub indices: IndexMap<String, IndexSeries>,
    pub drivers: IndexMap<String, DriverSeries>,
}

/// The name of the composite index series.
pub(crate) const COMPOSITE: &str = "composite";

/// Everything a result says besides its statistics: what was run, how,
/// and the names of its series. A partial result of a shard carries it, so
/// that parts merge into a result without the input files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub provenance: Provenance,
    pub steps_per_year: u32,
    pub periods: Vec<String>,
    pub thresholds: ThresholdsOut,
    /// `composite`, then the domains.
    pub indices: Vec<String>,
    pub drivers: Vec<String>,
}

impl Header {
    /// The header of `runs` runs of `loaded` under `seed`.
    pub fn new(loaded: &LoadedScenario, seed: u64, runs: u64) -> Header {
        let s = &loaded.scenario;
        let m = &s.model;
        Header {
            provenance: Provenance::new(loaded, seed, runs),
            steps_per_year: m.steps_per_year,
            periods: s.periods().iter().map(ToString::to_string).collect(),
            thresholds: s.thresholds.into(),
            indices: std::iter::once(COMPOSITE.to_owned())
                .chain(m.domains.iter().map(|d| d.id.clone()))
                .collect(),
            drivers: m.drivers.iter().map(|d| d.id.clone()).collect(),
        }
    }
}

impl RunResult {
    /// Summarises an aggregate of `loaded`'s runs under `seed`.
    pub fn new(loaded: &LoadedScenario, seed: u64, agg: &Aggregate) -> RunResult {
        RunResult::from_parts(Header::new(loaded, seed, agg.runs()), agg)
    }

    /// Summarises `agg` under `header` (whose run count it replaces).
    pub(crate) fn from_parts(header: Header, agg: &Aggregate) -> RunResult {
        let n_periods = header.periods.len();
        let cells = |series: usize| -> Vec<CellSummary> {
            (0..n_periods).map(|t| agg.summary(series, t)).collect()
        };
        let indices = header
            .indices
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), index_series(&cells(i))))
            .collect();
        let offset = header.indices.len();
        let drivers = header
            .drivers
            .iter()
            .enumerate()
            .map(|(d, name)| (name.clone(), driver_series(&cells(offset + d))))
            .collect();
        RunResult {
            provenance: Provenance {
                runs: agg.runs(),
                ..header.provenance
            },
            steps_per_year: header.steps_per_year,
            periods: header.periods,
            thresholds: header.thresholds,
            indices,
            drivers,
        }
    }
}

fn index_series(cells: &[CellSummary]) -> IndexSeries {
    let col = |f: &dyn Fn(&CellSummary) -> f64| cells.iter().map(f).collect::<Vec<f64>>();
    IndexSeries {
        mean: col(&|c| c.mean),
        sd: col(&|c| c.sd),
        p05: col(&|c| c.quantiles[0]),
        p10: col(&|c| c.quantiles[1]),
        p25: col(&|c| c.quantiles[2]),
        p50: col(&|c| c.quantiles[3]),
        p75: col(&|c| c.quantiles[4]),
        p90: col(&|c| c.quantiles[5]),
        p95: col(&|c| c.quantiles[6]),
        p_high: col(&|c| c.p_high.unwrap_or(0.0)),
        p_low: col(&|c| c.p_low.unwrap_or(0.0)),
    }
}

fn driver_series(cells: &[CellSummary]) -> DriverSeries {
    let col = |f: &dyn Fn(&CellSummary) -> f64| cells.iter().map(f).collect::<Vec<f64>>();
    DriverSeries {
        mean: col(&|c| c.mean),
        sd: col(&|c| c.sd),
        p05: col(&|c| c.quantiles[0]),
        p50: col(&|c| c.quantiles[3]),
        p95: col(&|c| c.quantiles[6]),
    }
}
