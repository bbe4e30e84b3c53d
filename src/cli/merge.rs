//! `coopsim merge`: the parts of a run, sweep or Sobol analysis split
//! across machines, merged into the output one machine would have written.

use super::OutputArgs;
use coopsim::Error;
use coopsim::error::MergeError;
use coopsim::input::LoadError;
use coopsim::jobs::{self, Merged, Part};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim run scenarios/baseline.toml --runs 1000000 --shard 1/3 --out parts/1
  coopsim run scenarios/baseline.toml --runs 1000000 --shard 2/3 --out parts/2
  coopsim run scenarios/baseline.toml --runs 1000000 --shard 3/3 --out parts/3
  coopsim merge parts/1 parts/2 parts/3 --out results/baseline
  coopsim merge sobol-parts/ --out results/sobol --format json";

/// Merge the parts written with --shard K/N into the output of the unsplit
/// job, byte for byte: result.json and summary.csv for `run`, sweep.json and
/// sweep.csv for `sweep`, sobol.json and sobol.csv for `sensitivity
/// --method sobol`. Checks each part as it is read (its format first, then
/// that it is whole), then that the parts belong together (same model,
/// scenario, seed and size, naming the first field that differs) and that
/// every shard is present once; nothing is written otherwise.
#[derive(Debug, clap::Args)]
#[command(
    after_help = EXAMPLES,
    mut_arg("out", |a| a.required(true).help(
        "Write the merged job's files into DIR (created if missing), each whole or not at all: \
         result.json and summary.csv for a run, sweep.json and sweep.csv for a sweep, \
         sobol.json and sobol.csv for a Sobol analysis"
    ))
)]
pub struct MergeArgs {
    /// Part files, or folders holding them (every part-*.json inside).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Output: what to print once merged; --out (required) writes the
    /// merged files.
    #[command(flatten)]
    output: OutputArgs,
}

pub fn merge(args: MergeArgs) -> Result<ExitCode, Error> {
    let mut files = Vec::new();
    for path in &args.parts {
        if path.is_dir() {
            files.extend(parts_in(path)?);
        } else {
            files.push(path.clone());
        }
    }
    let parts = files
        .iter()
        .map(|f| Ok((f.display().to_string(), read_part(f)?)))
        .collect::<Result<Vec<(String, Part)>, Error>>()?;
    let labelled: Vec<(&str, &Part)> = parts.iter().map(|(l, p)| (l.as_str(), p)).collect();
    match jobs::merge_labelled(&labelled)? {
        Merged::Run(result) => args.output.emit("merge", &result)?,
        Merged::Sweep(s) => args.output.emit("merge", &s)?,
        Merged::Sobol(s) => args.output.emit("merge", &s)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn parts_in(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError::unreadable(dir, e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("part-") && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(MergeError::NoPartFiles {
            dir: dir.display().to_string(),
        }
        .into());
    }
    Ok(files)
}

/// Reads one part and checks it on its own; a damaged file is bad input,
/// located in the file.
pub fn read_part(path: &Path) -> Result<Part, Error> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::unreadable(path, e))?;
    Ok(Part::from_file(&path.display().to_string(), &bytes)?)
}
