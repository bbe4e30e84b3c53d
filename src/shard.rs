//! Runs split across machines: shards that each run a slice of the runs,
//! and a merge that turns their parts into the result one machine would
//! have written, byte for byte.
//!
//! Shard K of N runs the runs `floor(R (K-1) / N) .. floor(R K / N)` of R.
//! Its part holds the exactly mergeable aggregate of those runs and the
//! header of the whole result (inputs and their SHA-256, seed, runs,
//! series); merging checks that the parts belong together (same header,
//! same N, every shard once) and adds the aggregates, which is exact, so the
//! merged result equals the single-machine one.

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

    /// The runs of this shard among `runs`.
    pub fn runs(&self, runs: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(runs) * u128::from(i) / u128::from(self.n)) as u64;
        at(self.k - 1)..at(self.k)
    }

    /// The file name of this shard's part.
    pub fn file_name(&self) -> String {
        format!("part-{:04}-of-{:04}.json", self.k, self.n)
    }
}

/// The part of a result that one shard computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub shard: Shard,
    /// The runs this shard ran.
    pub first_run: u64,
    pub end_run: u64,
    /// The whole result's header: what was run, seed and total runs.
    pub header: Header,
    pub aggregate: AggregateData,
}

/// Runs shard `shard` of `loaded` under `options` (whose `runs` is the
/// total over all shards).
pub fn run_shard(
    loaded: &LoadedScenario,
    options: RunOptions,
    shard: Shard,
    progress: &(dyn Fn(u64) + Sync),
) -> Part {
    let runs = shard.runs(options.runs);
    let agg = aggregate_range(loaded, options, runs.clone(), progress);
    Part {
        shard,
        first_run: runs.start,
        end_run: runs.end,
        header: Header::new(loaded, options.seed, options.runs),
        aggregate: agg.to_data(),
    }
}

/// Merges parts into the result, checking that they belong together: the
/// same header (model, scenario, their SHA-256, seed, runs), the same
/// number of shards, every shard exactly once, each with the runs its
/// number gives it.
pub fn merge(parts: &[Part]) -> Result<RunResult, Error> {
    let first = parts
        .first()
        .ok_or_else(|| Error::Usage("no parts to merge".into()))?;
    let n = first.shard.n;
    let mut seen = vec![false; n as usize];
    let mut total: Option<Aggregate> = None;
    for p in parts {
        let who = format!("part {}/{}", p.shard.k, p.shard.n);
        if p.header != first.header {
            return Err(Error::Usage(format!(
                "{who} belongs to another run: {} (scenario sha256 {}, seed {}, {} runs) \
                 against {} (scenario sha256 {}, seed {}, {} runs)",
                p.header.scenario.name,
                short(&p.header.scenario.sha256),
                p.header.seed,
                p.header.runs,
                first.header.scenario.name,
                short(&first.header.scenario.sha256),
                first.header.seed,
                first.header.runs
            )));
        }
        if p.shard.n != n || p.shard.k == 0 || p.shard.k > n {
            return Err(Error::Usage(format!(
                "{who} does not belong to a split into {n} shards"
            )));
        }
        let expected = p.shard.runs(p.header.runs);
        let held = p.first_run..p.end_run;
        if held != expected || p.aggregate.runs != expected.end - expected.start {
            return Err(Error::Usage(format!(
                "{who} holds runs {}..{}, but shard {}/{n} of {} runs is {}..{}",
                p.first_run, p.end_run, p.shard.k, p.header.runs, expected.start, expected.end
            )));
        }
        let slot = &mut seen[(p.shard.k - 1) as usize];
        if *slot {
            return Err(Error::Usage(format!("{who} is given twice")));
        }
        *slot = true;
        let agg = Aggregate::from_data(&p.aggregate)
            .map_err(|e| Error::Usage(format!("{who}: damaged aggregate: {e}")))?;
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
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| !**s)
        .map(|(k, _)| format!("{}/{n}", k + 1))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "missing parts: {}",
            missing.join(", ")
        )));
    }
    let total = total.ok_or_else(|| Error::Usage("no parts to merge".into()))?;
    Ok(RunResult::from_parts(first.header.clone(), &total))
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}
