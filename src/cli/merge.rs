//! `coopsim merge`: the parts of a run, sweep or Sobol analysis split
//! across machines, merged into the output one machine would have written.

use super::{Format, print};
use crate::Error;
use crate::input::LoadError;
use crate::output;
use crate::shard::{self, Merged, Part};
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
/// --method sobol`. Checks that the parts belong together (same model,
/// scenario, seed and size) and that every shard is present once.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct MergeArgs {
    /// Part files, or folders holding them (every part-*.json inside).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Write the merged output files into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// What to print once merged.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
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
        .map(|f| read_part(f))
        .collect::<Result<Vec<Part>, Error>>()?;
    match shard::merge(&parts)? {
        Merged::Run(result) => {
            output::write_result_files(&args.out, &result)?;
            print(&args.format.render(&result))?;
        }
        Merged::Sweep(s) => {
            super::sweep::save(&args.out, &s)?;
            print(super::sweep::render(&s, args.format).as_bytes())?;
        }
        Merged::Sobol(s) => {
            super::sensitivity::finish_sobol(&s, Some(&args.out), args.format)?;
        }
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
        return Err(Error::Usage(format!(
            "{} holds no part-*.json files",
            dir.display()
        )));
    }
    Ok(files)
}

/// Reads one part; a damaged file is bad input, located in the file.
pub fn read_part(path: &Path) -> Result<Part, Error> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::unreadable(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::Usage(format!(
            "{}:{}:{}: not a part written with --shard: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}
