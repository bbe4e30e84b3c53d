//! `coopsim check`: validate models and scenarios without running them.

use super::{ModelArgs, print, report};
use coopsim::Error;
use coopsim::input::{self, ModelSearch};
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
        match input::check_file(path, &search) {
            Ok(summary) => {
                let line = format!("ok: {}: {summary}\n", path.display());
                let text = coopsim::output::wrap::fit(&line, coopsim::output::wrap::WIDTH);
                print(text.as_bytes())?
            }
            Err(e) => {
                failed = true;
                report(&Error::from(e));
            }
        }
    }
    Ok(if failed {
        ExitCode::from(super::exit_code::BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}
