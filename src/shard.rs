//! Work split across machines: shards that each compute a slice of a job,
//! and a merge that turns their parts into the output one machine would
//! have written, byte for byte.
//!
//! Three jobs shard, each over its natural unit of work:
//!
//! - a run, over its runs: a part holds the exactly mergeable aggregate
//!   of its runs, and merging adds the aggregates;
//! - a sweep, over its cells: a part holds the scorecards of its cells,
//!   each computed from all of the cell's runs, and merging ranks them;
//! - Sobol indices, over the rows of the sample matrices: a part holds the
//!   model outputs of its rows, and merging estimates the indices and
//!   their bootstrap intervals from all the rows.
//!
//! Shard K of N takes the items `floor(C (K-1) / N) .. floor(C K / N)` of
//! C. Every part carries a description of the whole job (inputs and their
//! SHA-256, seed, size); merging checks that the parts belong together (the
//! same job, the same N, every shard once, each with the items its number
//! gives it) before anything is combined.

use crate::analysis::sensitivity::sobol::{self, Sobol, SobolPart};
use crate::analysis::sweep::{self, Sweep, SweepPart};
use crate::error::Error;
use crate::input::LoadedScenario;
use crate::result::{Header, RunResult};
use crate::stats::{Aggregate, AggregateData, Merge};
use crate::{RunOptions, aggregate_range};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Shard `k` of `n` (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    /// Parses `K/N` with 1 <= K <= N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("expected K/N such as 2/8, found {text:?}"))?;
        let (k, n): (u64, u64) = match (k.trim().parse(), n.trim().parse()) {
            (Ok(k), Ok(n)) => (k, n),
            _ => return Err(format!("expected K/N with whole numbers, found {text:?}")),
        };
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K runs from 1 to N, and N >= 1"));
        }
        Ok(Shard { k, n })
    }

    /// This shard's slice of `count` items (runs, cells or sample rows):
    /// contiguous, and as equal in size as whole numbers allow.
    pub fn slice(&self, count: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(count) * u128::from(i) / u128::from(self.n)) as u64;
        at(self.k - 1)..at(self.k)
    }

    /// The file name of this shard's part.
    pub fn file_name(&self) -> String {
        format!("part-{:04}-of-{:04}.json", self.k, self.n)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

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
}

/// The output of merged parts: what the unsplit job gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Merged {
    Run(RunResult),
    Sweep(Sweep),
    Sobol(Sobol),
}

/// Merges parts of one job, of any kind, into its output.
pub fn merge(parts: &[Part]) -> Result<Merged, Error> {
    let first = parts
        .first()
        .ok_or_else(|| Error::Usage("no parts to merge".into()))?;
    if let Some(other) = parts.iter().find(|p| p.kind() != first.kind()) {
        return Err(Error::Usage(format!(
            "part {} is of a {}, part {} of a {}: parts of one job only",
            other.shard(),
            other.kind(),
            first.shard(),
            first.kind()
        )));
    }
    let (mut runs, mut sweeps, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for p in parts {
        match p {
            Part::Run(r) => runs.push(r),
            Part::Sweep(s) => sweeps.push(s),
            Part::Sobol(s) => rows.push(s),
        }
    }
    Ok(match first {
        Part::Run(_) => Merged::Run(merge_runs(&runs)?),
        Part::Sweep(_) => Merged::Sweep(sweep::merge(&sweeps)?),
        Part::Sobol(_) => Merged::Sobol(sobol::merge(&rows)?),
    })
}

/// A shard's part of some job, as the merge checks it.
pub trait Piece {
    /// The whole job; parts of one job have equal jobs.
    type Job: PartialEq;
    /// The shard that computed the part.
    fn shard(&self) -> Shard;
    /// The job the part belongs to.
    fn job(&self) -> &Self::Job;
    /// The items this part says it holds.
    fn held(&self) -> Range<u64>;
    /// How many items the whole job has.
    fn total(job: &Self::Job) -> u64;
    /// What the job is: "run", "sweep", ...
    const WHAT: &'static str;
    /// The job in a few words, for messages.
    fn describe(job: &Self::Job) -> String;
}

/// Checks that `parts` are the whole of one job: the same job, the same
/// number of shards, every shard exactly once, each holding the items its
/// number gives it. Returns them in shard order.
pub fn assemble<'a, P: Piece>(parts: &[&'a P]) -> Result<Vec<&'a P>, Error> {
    let first = *parts
        .first()
        .ok_or_else(|| Error::Usage("no parts to merge".into()))?;
    let n = first.shard().n;
    let mut slots: Vec<Option<&'a P>> = vec![None; n as usize];
    for &p in parts {
        let shard = p.shard();
        let who = format!("part {shard}");
        if p.job() != first.job() {
            return Err(Error::Usage(format!(
                "{who} belongs to another {}: {} against {}",
                P::WHAT,
                P::describe(p.job()),
                P::describe(first.job())
            )));
        }
        if shard.n != n || shard.k == 0 || shard.k > n {
            return Err(Error::Usage(format!(
                "{who} does not belong to a split into {n} shards"
            )));
        }
        let expected = shard.slice(P::total(p.job()));
        let held = p.held();
        if held != expected {
            return Err(Error::Usage(format!(
                "{who} holds items {}..{}, but shard {shard} of {} is {}..{}",
                held.start,
                held.end,
                P::total(p.job()),
                expected.start,
                expected.end
            )));
        }
        let slot = &mut slots[(shard.k - 1) as usize];
        if slot.is_some() {
            return Err(Error::Usage(format!("{who} is given twice")));
        }
        *slot = Some(p);
    }
    let missing: Vec<String> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(k, _)| format!("{}/{n}", k + 1))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "missing parts: {}",
            missing.join(", ")
        )));
    }
    Ok(slots.into_iter().flatten().collect())
}

/// The first characters of a SHA-256, enough to tell inputs apart in a message.
pub fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
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

impl Piece for RunPart {
    type Job = Header;
    const WHAT: &'static str = "run";
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
        job.runs
    }
    fn describe(h: &Header) -> String {
        format!(
            "{} (scenario sha256 {}, seed {}, {} runs)",
            h.scenario.name,
            short(&h.scenario.sha256),
            h.seed,
            h.runs
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
pub fn merge_runs(parts: &[&RunPart]) -> Result<RunResult, Error> {
    let parts = assemble(parts)?;
    let mut total: Option<Aggregate> = None;
    for p in &parts {
        let who = format!("part {}", p.shard);
        let agg = Aggregate::from_data(&p.aggregate)
            .map_err(|e| Error::Usage(format!("{who}: damaged aggregate: {e}")))?;
        if agg.runs() != p.end_run - p.first_run {
            return Err(Error::Usage(format!(
                "{who}: damaged aggregate: {} runs for runs {}..{}",
                agg.runs(),
                p.first_run,
                p.end_run
            )));
        }
        match &mut total {
            Some(t) => {
                if t.layout() != agg.layout() {
                    return Err(Error::Usage(format!("{who} has another shape of result")));
                }
                t.merge(&agg);
            }
            None => total = Some(agg),
        }
    }
    let total = total.ok_or_else(|| Error::Usage("no parts to merge".into()))?;
    Ok(RunResult::from_parts(parts[0].header.clone(), &total))
}
