//! The jobs that shard, and their parts: a run (over its runs), a sweep
//! (over its cells) and Sobol indices (over the rows of the sample
//! matrices).
//!
//! This list lives here rather than in `shard` because it names every
//! analysis that shards: `shard` stays below the analyses (shards, pieces,
//! the checks that parts belong together), the analyses build their parts
//! on it, and this module, above both, knows them all. A run's part is here
//! too, as the run has no analysis module of its own.
//!
//! - a run: a part holds the exactly mergeable aggregate of its runs, and
//!   merging adds the aggregates;
//! - a sweep: a part holds the scorecards of its cells, each computed from
//!   all of the cell's runs, and merging ranks them;
//! - Sobol indices: a part holds the model outputs of its rows, and merging
//!   estimates the indices and their bootstrap intervals from all the rows.
//!
//! A part file is `{"format": N, "kind": ..., "part": ...}`; its format is
//! checked before anything else is read (docs/spec.md).

use crate::analysis::sensitivity::sobol::{self, Sobol, SobolPart};
use crate::analysis::sweep::{self, Sweep, SweepPart};
use crate::input::LoadedScenario;
use crate::result::{Header, RunResult};
use crate::shard::{Damage, MergeError, Piece, Shard, assemble, check_piece, validate_aggregate};
use crate::stats::{Aggregate, AggregateData, Layout, Merge};
use crate::{RunOptions, aggregate_range};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The format of part files this coopsim writes and reads.
pub(crate) const PART_FORMAT: u32 = 1;

/// What one shard computed, of any job: the content of a part file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "part", rename_all = "lowercase")]
// A process holds one part or a handful; their size is in their vectors.
#[allow(clippy::large_enum_variant)]
pub enum Part {
    Run(RunPart),
    Sweep(SweepPart),
    Sobol(SobolPart),
}

impl Part {
    /// The shard that computed this part.
    pub fn shard(&self) -> Shard {
        match self {
            Part::Run(p) => p.shard,
            Part::Sweep(p) => p.shard,
            Part::Sobol(p) => p.shard,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Part::Run(_) => "run",
            Part::Sweep(_) => "sweep",
            Part::Sobol(_) => "sobol",
        }
    }

    /// Checks the part on its own (see `shard::check_piece`).
    pub fn check(&self, label: &str) -> Result<(), MergeError> {
        match self {
            Part::Run(p) => check_piece(label, p),
            Part::Sweep(p) => check_piece(label, p),
            Part::Sobol(p) => check_piece(label, p),
        }
    }

    /// The bytes of the part's file.
    pub fn to_file(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct File<'a> {
            format: u32,
            #[serde(flatten)]
            part: &'a Part,
        }
        // Plain structs of strings and numbers always serialise.
        let mut json = serde_json::to_vec(&File {
            format: PART_FORMAT,
            part: self,
        })
        .unwrap_or_default();
        json.push(b'\n');
        json
    }

    /// Reads a part file's bytes: its format first, then the part, then
    /// checks the part on its own. `label` (the file) names it in messages.
    pub fn from_file(label: &str, bytes: &[u8]) -> Result<Part, MergeError> {
        let unparsable = |e: serde_json::Error| MergeError::Unparsable {
            file: label.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        };
        #[derive(Deserialize)]
        struct Version {
            format: Option<serde_json::Value>,
        }
        let version: Version = serde_json::from_slice(bytes).map_err(unparsable)?;
        if version.format.as_ref().and_then(|v| v.as_u64()) != Some(u64::from(PART_FORMAT)) {
            return Err(MergeError::Format {
                part: label.to_owned(),
                found: match version.format {
                    Some(v) => v.to_string(),
                    None => "unnumbered (no \"format\" field)".into(),
                },
                reads: PART_FORMAT,
            });
        }
        #[derive(Deserialize)]
        struct File {
            #[allow(dead_code)]
            format: u32,
            #[serde(flatten)]
            part: Part,
        }
        let file: File = serde_json::from_slice(bytes).map_err(unparsable)?;
        file.part.check(label)?;
        Ok(file.part)
    }
}

/// The output of merged parts: what the unsplit job gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Merged {
    Run(RunResult),
    Sweep(Sweep),
    Sobol(Sobol),
}

/// Merges parts of one job, of any kind, into its output; messages name
/// each part by its shard.
pub fn merge(parts: &[Part]) -> Result<Merged, MergeError> {
    let labelled: Vec<(String, &Part)> = parts
        .iter()
        .map(|p| (format!("part {}", p.shard()), p))
        .collect();
    let refs: Vec<(&str, &Part)> = labelled.iter().map(|(l, p)| (l.as_str(), *p)).collect();
    merge_labelled(&refs)
}

/// Merges parts of one job, each with the label (its file) that names it
/// in messages.
pub fn merge_labelled(parts: &[(&str, &Part)]) -> Result<Merged, MergeError> {
    let &(first_label, first) = parts.first().ok_or(MergeError::NoParts)?;
    if let Some((label, other)) = parts.iter().find(|(_, p)| p.kind() != first.kind()) {
        return Err(MergeError::Kinds {
            part: (*label).to_owned(),
            kind: other.kind(),
            first: first_label.to_owned(),
            first_kind: first.kind(),
        });
    }
    let (mut runs, mut sweeps, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for &(label, p) in parts {
        match p {
            Part::Run(r) => runs.push((label, r)),
            Part::Sweep(s) => sweeps.push((label, s)),
            Part::Sobol(s) => rows.push((label, s)),
        }
    }
    Ok(match first {
        Part::Run(_) => Merged::Run(merge_runs(&runs)?),
        Part::Sweep(_) => Merged::Sweep(sweep::merge(&sweeps)?),
        Part::Sobol(_) => Merged::Sobol(sobol::merge(&rows)?),
    })
}

/// The part of a run that one shard computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunPart {
    pub shard: Shard,
    /// The runs this shard ran.
    pub first_run: u64,
    pub end_run: u64,
    /// The whole result's header: what was run, seed and total runs.
    pub header: Header,
    pub aggregate: AggregateData,
}

impl RunPart {
    /// The layout of the aggregate the header describes.
    fn layout(&self) -> Layout {
        let h = &self.header;
        Layout {
            n_index_series: h.indices.len(),
            n_driver_series: h.drivers.len(),
            n_periods: h.periods.len(),
            low: h.thresholds.low,
            high: h.thresholds.high,
        }
    }
}

impl Piece for RunPart {
    type Job = Header;
    const WHAT: &'static str = "run";
    const ITEMS: &'static str = "runs";
    fn shard(&self) -> Shard {
        self.shard
    }
    fn job(&self) -> &Header {
        &self.header
    }
    fn held(&self) -> Range<u64> {
        self.first_run..self.end_run
    }
    fn total(job: &Header) -> u64 {
        job.provenance.runs
    }
    fn fields(h: &Header) -> Vec<(&'static str, String)> {
        let p = &h.provenance;
        let mut fields = p.fields();
        fields.extend([
            ("steps_per_year", h.steps_per_year.to_string()),
            ("periods", h.periods.join(", ")),
            (
                "thresholds",
                format!("low {}, high {}", h.thresholds.low, h.thresholds.high),
            ),
            ("indices", h.indices.join(", ")),
            ("drivers", h.drivers.join(", ")),
        ]);
        fields
    }
    fn check_contents(&self) -> Result<(), Damage> {
        validate_aggregate(
            &self.aggregate,
            &self.layout(),
            self.end_run.saturating_sub(self.first_run),
        )
    }
}

/// Runs shard `shard` of `loaded` under `options` (whose `runs` is the
/// total over all shards).
pub fn run_shard(
    loaded: &LoadedScenario,
    options: RunOptions,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> RunPart {
    let runs = shard.slice(options.runs);
    let agg = aggregate_range(loaded, options, runs.clone(), progress);
    RunPart {
        shard,
        first_run: runs.start,
        end_run: runs.end,
        header: Header::new(loaded, options.seed, options.runs),
        aggregate: agg.to_data(),
    }
}

/// Merges the parts of a run into its result by adding their aggregates,
/// which is exact.
pub(crate) fn merge_runs(parts: &[(&str, &RunPart)]) -> Result<RunResult, MergeError> {
    let ordered = assemble(parts)?;
    let mut total: Option<Aggregate> = None;
    for p in &ordered {
        let agg = Aggregate::from_data(&p.aggregate).map_err(|e| MergeError::Damaged {
            part: format!("part {}", p.shard),
            field: format!("aggregate.{}", e.field),
            problem: e.problem.to_string(),
        })?;
        match &mut total {
            Some(t) => t.merge(&agg),
            None => total = Some(agg),
        }
    }
    let total = total.ok_or(MergeError::NoParts)?;
    Ok(RunResult::from_parts(ordered[0].header.clone(), &total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sweep::{Axis, sweep_shard};
    use serde_json::Value;

    fn options() -> RunOptions {
        RunOptions {
            runs: 4,
            seed: 3,
            threads: 1,
        }
    }

    /// A field added anywhere in a part's description of its job (a
    /// hand-edited or foreign file) is refused by name, not ignored.
    #[test]
    fn an_unknown_field_in_a_job_description_is_refused() {
        let loaded = crate::input::builtin_baseline().expect("the built-in baseline loads");
        let shard = Shard { k: 1, n: 2 };
        let run = Part::Run(run_shard(&loaded, options(), shard, &|_| {}));
        let axes = [Axis {
            path: "model.thresholds.high".into(),
            values: vec![60.0, 65.0],
        }];
        let sweep = Part::Sweep(
            sweep_shard(&loaded, &axes, options(), shard, &|_| {}).expect("the sweep runs"),
        );
        let cases: [(&Part, &[&str]); 4] = [
            (&run, &["part", "header"]),
            (&run, &["part", "header", "provenance", "model"]),
            (&sweep, &["part", "job"]),
            (&sweep, &["part", "job", "provenance"]),
        ];
        for (part, at) in cases {
            let mut v: Value = serde_json::from_slice(&part.to_file()).expect("a part is JSON");
            let mut target = &mut v;
            for key in at {
                target = &mut target[*key];
            }
            target["surprise"] = 1.into();
            let bytes = serde_json::to_vec(&v).expect("JSON serialises");
            let err = Part::from_file("p.json", &bytes)
                .expect_err("rule: unknown fields in a part are refused")
                .to_string();
            assert!(
                err.contains("surprise"),
                "rule: a part with an unknown field at {at:?} is refused, naming the field; \
                 got {err}; fix: #[serde(deny_unknown_fields)] on the struct there, and no \
                 #[serde(flatten)] into it"
            );
        }
    }
}
