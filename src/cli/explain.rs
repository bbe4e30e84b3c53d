//! `coopsim explain`: what a scenario assumes against its model.

use super::{Format, ModelArgs, print};
use crate::Error;
use crate::analysis::explain;
use crate::input::{self, ModelSearch};
use crate::output::assumptions;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim explain scenarios/sanctions-escalation.toml
  coopsim explain scenarios/cpec-stall.toml --format json";

/// Show every value a scenario changes against its model, old and new, with
/// the evidence behind the numbers it touches.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ExplainArgs {
    /// The scenario file.
    scenario: PathBuf,
    #[command(flatten)]
    models: ModelArgs,
    /// How to print: readable text (table), JSON, or the changes as CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn explain(args: ExplainArgs) -> Result<ExitCode, Error> {
    let search = ModelSearch {
        models_dir: args.models.models,
    };
    let loaded = input::load_scenario(&args.scenario, &search)?;
    let a = explain::assumptions(&loaded);
    let text = match args.format {
        Format::Table => assumptions::render(&a),
        Format::Json => assumptions::json(&a),
        Format::Csv => assumptions::csv(&a),
    };
    print(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
