//! Work split across machines, in general: shards that each compute a
//! slice of a job's items, and the checks that the parts they write belong
//! together before anything is combined. Which jobs shard, and how their
//! parts merge, is in `jobs`; this module knows no job.
//!
//! Shard K of N takes the items `floor(C (K-1) / N) .. floor(C K / N)` of
//! C. Every part carries a description of the whole job (inputs and their
//! SHA-256, seed, size); merging checks that the parts belong together (the
//! same job, the same N, every shard once, each with the items its number
//! gives it, its contents whole) before anything is combined
//! (docs/spec.md).

use crate::stats::{AggregateData, BINS, Layout};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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

/// Why parts cannot be merged. Each message starts with the part it is
/// about: its file when it was read from one, else `part K/N`.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no parts to merge")]
    NoParts,
    /// A folder given to `merge` holds no part files.
    #[error(
        "{dir} holds no part-*.json files\n  hint: give the folders that `--shard K/N --out DIR` wrote"
    )]
    NoPartFiles { dir: String },
    /// A file that is not JSON of a part.
    #[error("{file}:{line}:{column}: not a part written with --shard: {message}")]
    Unparsable {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A part file of another part format, checked before anything else.
    #[error(
        "{part}: part format {found}, this coopsim reads {reads}\n  hint: write the parts again with this coopsim"
    )]
    Format {
        part: String,
        found: String,
        reads: u32,
    },
    /// Parts of different kinds of job.
    #[error("{part} is of a {kind}, {first} of a {first_kind}: parts of one job only")]
    Kinds {
        part: String,
        kind: &'static str,
        first: String,
        first_kind: &'static str,
    },
    /// A part of another job than the first part's, with the first field
    /// of the job's description that differs.
    #[error(
        "{part} belongs to another {what}: {field} differs from {first}: {value} vs {first_value}"
    )]
    OtherJob {
        part: String,
        what: &'static str,
        field: &'static str,
        value: String,
        first: String,
        first_value: String,
    },
    /// A part of a split into another number of shards.
    #[error("{part} does not belong to a split into {n} shards (it is shard {shard})")]
    OtherSplit { part: String, n: u64, shard: Shard },
    /// A shard number outside 1..=N.
    #[error("{part}: damaged: shard.k is {k}, outside 1..={n}")]
    ShardNumber { part: String, k: u64, n: u64 },
    /// More shards than items and than parts given: no split coopsim writes.
    #[error(
        "{part}: shard.n is {n}, more than the {total} {items} the job splits and the {given} parts given\n  hint: is the file damaged? coopsim writes N up to the number of {items}"
    )]
    TooManyShards {
        part: String,
        n: u64,
        total: u64,
        items: &'static str,
        given: usize,
    },
    /// A part whose items are not the ones its shard number gives it.
    #[error(
        "{part} holds {items} {start}..{end}, but shard {shard} of {total} is {expected_start}..{expected_end}"
    )]
    WrongItems {
        part: String,
        items: &'static str,
        start: u64,
        end: u64,
        shard: Shard,
        total: u64,
        expected_start: u64,
        expected_end: u64,
    },
    /// The same shard twice.
    #[error("{part}: shard {shard} is given twice (also {other})")]
    Twice {
        part: String,
        shard: Shard,
        other: String,
    },
    /// Shards that no part given holds.
    #[error("missing parts: {shards}")]
    Missing { shards: String },
    /// A part whose contents do not agree with what it says it holds.
    #[error("{part}: damaged: {field}: {problem}")]
    Damaged {
        part: String,
        field: String,
        problem: String,
    },
}

/// What is wrong inside a part: the field, and the problem with it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Damage {
    pub field: String,
    pub problem: String,
}

impl Damage {
    /// The damage of `field`.
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Damage {
        Damage {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// A shard's part of some job, as the merge checks it.
pub(crate) trait Piece {
    /// The whole job; parts of one job have equal jobs.
    type Job: PartialEq;
    /// What the job is: "run", "sweep", ...
    const WHAT: &'static str;
    /// What the job splits into shards: "runs", "cells", ...
    const ITEMS: &'static str;
    /// The shard that computed the part.
    fn shard(&self) -> Shard;
    /// The job the part belongs to.
    fn job(&self) -> &Self::Job;
    /// The items this part says it holds.
    fn held(&self) -> Range<u64>;
    /// How many items the whole job has.
    fn total(job: &Self::Job) -> u64;
    /// The job's description field by field (as the part file names them),
    /// most telling first, each as shown in messages: two different jobs
    /// differ in at least one.
    fn fields(job: &Self::Job) -> Vec<(&'static str, String)>;
    /// Checks that the part's contents are what it says it holds.
    fn check_contents(&self) -> Result<(), Damage>;
}

/// Checks one part on its own, as soon as it is read: its shard number, the
/// items its number gives it, and its contents. `label` names it in
/// messages.
pub(crate) fn check_piece<P: Piece>(label: &str, p: &P) -> Result<(), MergeError> {
    let shard = p.shard();
    if shard.k == 0 || shard.k > shard.n {
        return Err(MergeError::ShardNumber {
            part: label.to_owned(),
            k: shard.k,
            n: shard.n,
        });
    }
    let total = P::total(p.job());
    let expected = shard.slice(total);
    let held = p.held();
    if held != expected {
        return Err(MergeError::WrongItems {
            part: label.to_owned(),
            items: P::ITEMS,
            start: held.start,
            end: held.end,
            shard,
            total,
            expected_start: expected.start,
            expected_end: expected.end,
        });
    }
    p.check_contents().map_err(|d| MergeError::Damaged {
        part: label.to_owned(),
        field: d.field,
        problem: d.problem,
    })
}

/// The first field in which two jobs differ, with both values.
fn first_difference<P: Piece>(a: &P::Job, b: &P::Job) -> (&'static str, String, String) {
    let (fa, fb) = (P::fields(a), P::fields(b));
    fa.into_iter()
        .zip(fb)
        .find(|((_, x), (_, y))| x != y)
        .map(|((name, x), (_, y))| {
            // Hashes differ in their first characters unless tampered
            // with; then they are quoted whole.
            match (x.get(..12), y.get(..12)) {
                (Some(a), Some(b)) if x.len() > 16 && y.len() > 16 && a != b => {
                    (name, format!("{a}…"), format!("{b}…"))
                }
                _ => (name, x, y),
            }
        })
        // Fields list everything that tells jobs apart; should two
        // unequal jobs still show alike, the message must not quote the
        // same text twice.
        .unwrap_or(("description", "one job".into(), "another".into()))
}

/// Checks that `parts` (each with its label) are the whole of one job: each
/// part whole, the same job, the same number of shards, every shard exactly
/// once. Returns them in shard order. Nothing is allocated per shard of the
/// split, so a damaged shard count cannot exhaust memory.
pub(crate) fn assemble<'a, P: Piece>(parts: &[(&str, &'a P)]) -> Result<Vec<&'a P>, MergeError> {
    let &(first_label, first) = parts.first().ok_or(MergeError::NoParts)?;
    let n = first.shard().n;
    let mut slots: BTreeMap<u64, (&str, &'a P)> = BTreeMap::new();
    for &(label, p) in parts {
        check_piece(label, p)?;
        if p.job() != first.job() {
            let (field, value, first_value) = first_difference::<P>(p.job(), first.job());
            return Err(MergeError::OtherJob {
                part: label.to_owned(),
                what: P::WHAT,
                field,
                value,
                first: first_label.to_owned(),
                first_value,
            });
        }
        let shard = p.shard();
        if shard.n != n {
            return Err(MergeError::OtherSplit {
                part: label.to_owned(),
                n,
                shard,
            });
        }
        if let Some((other, _)) = slots.insert(shard.k, (label, p)) {
            return Err(MergeError::Twice {
                part: label.to_owned(),
                shard,
                other: other.to_owned(),
            });
        }
    }
    let total = P::total(first.job());
    // Shards beyond the items are empty, which is allowed when every one
    // is given; more shards than items and parts is a damaged count.
    if n > total.max(1) && n > parts.len() as u64 {
        return Err(MergeError::TooManyShards {
            part: first_label.to_owned(),
            n,
            total,
            items: P::ITEMS,
            given: parts.len(),
        });
    }
    if slots.len() as u64 != n {
        return Err(MergeError::Missing {
            shards: missing(slots.keys().copied(), n),
        });
    }
    Ok(slots.into_values().map(|(_, p)| p).collect())
}

/// The shards of `1..=n` not in `present` (ascending), listed compactly:
/// runs of three or more as a range, at most a few runs.
fn missing(present: impl Iterator<Item = u64>, n: u64) -> String {
    const SHOWN: usize = 8;
    let mut gaps: Vec<(u64, u64)> = Vec::new();
    let mut next = 1;
    for k in present.chain(std::iter::once(n + 1)) {
        if k > next {
            gaps.push((next, k - 1));
        }
        next = k + 1;
    }
    let mut shown: Vec<String> = gaps
        .iter()
        .take(SHOWN)
        .map(|&(a, b)| match b - a {
            0 => format!("{a}/{n}"),
            1 => format!("{a}/{n}, {b}/{n}"),
            _ => format!("{a}/{n} to {b}/{n}"),
        })
        .collect();
    if gaps.len() > SHOWN {
        let rest: u64 = gaps[SHOWN..].iter().map(|(a, b)| b - a + 1).sum();
        shown.push(format!("and {rest} more"));
    }
    shown.join(", ")
}

/// Checks a deserialised aggregate against the layout and run count its
/// part's header gives: every length, every count, and each histogram
/// listing its bins once, in order. Errors name the field as the part file
/// writes it (`aggregate.hist[3]`).
pub(crate) fn validate_aggregate(
    d: &AggregateData,
    layout: &Layout,
    runs: u64,
) -> Result<(), Damage> {
    let field = |f: &str| format!("aggregate.{f}");
    if d.layout != *layout {
        return Err(Damage::new(
            field("layout"),
            format!(
                "{:?} does not match the header's series, periods and thresholds ({:?})",
                d.layout, layout
            ),
        ));
    }
    if d.runs != runs {
        return Err(Damage::new(
            field("runs"),
            format!("{} runs for a part of {runs} runs", d.runs),
        ));
    }
    let cells = layout.n_series() * layout.n_periods;
    let index_cells = layout.n_index_series * layout.n_periods;
    let lengths = [
        (d.sum.len(), cells, "sum"),
        (d.sum_coarse.len(), cells, "sum_coarse"),
        (d.sum_sq_coarse.len(), cells, "sum_sq_coarse"),
        (d.min.len(), cells, "min"),
        (d.max.len(), cells, "max"),
        (d.hist.len(), cells, "hist"),
        (d.high.len(), index_cells, "high"),
        (d.low.len(), index_cells, "low"),
    ];
    for (got, want, what) in lengths {
        if got != want {
            return Err(Damage::new(
                field(what),
                format!("{got} entries, expected {want}"),
            ));
        }
    }
    for (what, v) in [("sum", &d.sum), ("sum_coarse", &d.sum_coarse)]
        .into_iter()
        .chain([("sum_sq_coarse", &d.sum_sq_coarse)])
    {
        if let Some((c, x)) = v
            .iter()
            .enumerate()
            .find(|(_, x)| x.parse::<i128>().is_err())
        {
            return Err(Damage::new(
                format!("aggregate.{what}[{c}]"),
                format!("{x:?} is not an integer"),
            ));
        }
    }
    for (what, v) in [("high", &d.high), ("low", &d.low)] {
        if let Some((c, x)) = v.iter().enumerate().find(|(_, x)| **x > runs) {
            return Err(Damage::new(
                format!("aggregate.{what}[{c}]"),
                format!("{x} runs counted of {runs}"),
            ));
        }
    }
    for c in 0..cells {
        let (lo, hi) = (d.min[c], d.max[c]);
        match (lo, hi) {
            (Some(lo), Some(hi)) if lo <= hi && runs > 0 => {}
            (None, None) if runs == 0 => {}
            _ => {
                return Err(Damage::new(
                    format!("aggregate.min[{c}]"),
                    format!("minimum {lo:?} and maximum {hi:?} for {runs} runs"),
                ));
            }
        }
        let pairs = &d.hist[c];
        let at = format!("aggregate.hist[{c}]");
        if !pairs.len().is_multiple_of(2) {
            return Err(Damage::new(at, "an odd number of entries"));
        }
        let mut total = 0u64;
        let mut last: Option<u64> = None;
        for pair in pairs.chunks_exact(2) {
            let (b, n) = (pair[0], pair[1]);
            if b >= BINS as u64 {
                return Err(Damage::new(at, format!("bin {b}, beyond {BINS}")));
            }
            if last.is_some_and(|l| b <= l) {
                let problem = if last == Some(b) {
                    format!("bin {b} is listed twice")
                } else {
                    format!(
                        "bin {b} after bin {}: bins are listed in order",
                        last.unwrap_or(0)
                    )
                };
                return Err(Damage::new(at, problem));
            }
            if n == 0 || u32::try_from(n).is_err() {
                return Err(Damage::new(at, format!("bin {b} counts {n} runs")));
            }
            last = Some(b);
            total = total.saturating_add(n);
        }
        if total != runs {
            return Err(Damage::new(at, format!("counts {total} runs, not {runs}")));
        }
    }
    Ok(())
}
