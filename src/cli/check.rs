//! `coopsim check`: validate models and scenarios without running them.

use super::ModelArgs;
use crate::Error;
use crate::input::{self, FileKind, ModelSearch};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim check models/pakistan_russia.toml
  coopsim check scenarios/*.toml";

/// Validate model and scenario files; print every problem found.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// Model or scenario files (told apart by their [model] or [scenario] table).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    models: ModelArgs,
}

pub fn check(args: CheckArgs) -> Result<ExitCode, Error> {
    let search = ModelSearch {
        models_dir: args.models.models,
    };
    let mut failed = false;
    for path in &args.files {
        match check_one(path, &search) {
            Ok(summary) => println!("ok: {}: {summary}", path.display()),
            Err(e) => {
                failed = true;
                eprintln!("{e}");
            }
        }
    }
    Ok(if failed {
        ExitCode::from(super::exit_code::BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

fn check_one(path: &std::path::Path, search: &ModelSearch) -> Result<String, Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::Unreadable {
        path: name.clone(),
        message: e.to_string(),
    })?;
    Ok(match input::file_kind(&name, &bytes)? {
        FileKind::Model => {
            let m = input::parse_model(&name, &bytes)?.model;
            format!(
                "model {}: {} actors, {} domains, {} drivers",
                m.id,
                m.actors.len(),
                m.domains.len(),
                m.drivers.len()
            )
        }
        FileKind::Scenario => {
            let s = input::parse_scenario(&name, &bytes, path.parent(), search)?.scenario;
            format!(
                "scenario {} on model {}: {} to {}, {} runs, seed {}",
                s.name,
                s.model.id,
                s.start,
                s.end(),
                s.runs,
                s.seed
            )
        }
    })
}
