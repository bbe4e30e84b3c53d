//! `coopsim drivers`: what drives cooperation in a model, and the evidence.

use super::{ModelArgs, print};
use coopsim::error::ArgumentError;
use coopsim::input::{self, LoadedModel};
use coopsim::model::Model;
use coopsim::{Error, builtin};
use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim drivers
  coopsim drivers --model models/pakistan_russia.toml";

/// List a model's drivers: meaning, dynamics and evidence.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct DriversArgs {
    /// A model id or a path to a model file (default: the built-in model).
    #[arg(long, value_name = "ID")]
    model: Option<String>,
    #[command(flatten)]
    models: ModelArgs,
}

pub fn drivers(args: DriversArgs) -> Result<ExitCode, Error> {
    let loaded = load(
        args.model.as_deref().unwrap_or(builtin::MODELS[0].0),
        args.models.models.as_deref(),
    )?;
    let text = coopsim::output::wrap::fit(&describe(&loaded.model), coopsim::output::wrap::WIDTH);
    print(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn load(reference: &str, models_dir: Option<&Path>) -> Result<LoadedModel, Error> {
    if reference.contains('/') || reference.ends_with(".toml") {
        return Ok(input::load_model(Path::new(reference))?);
    }
    let file = format!("{reference}.toml");
    let local = match models_dir {
        Some(dir) => Some(dir.join(&file)),
        None => Some(Path::new("models").join(&file)).filter(|p| p.is_file()),
    };
    match (local, builtin::model(reference)) {
        (Some(path), _) => Ok(input::load_model(&path)?),
        (None, Some(text)) => Ok(input::parse_model(
            &format!("<built-in>/models/{file}"),
            text.as_bytes(),
        )?),
        (None, None) => Err(ArgumentError::ModelNotFound {
            reference: reference.to_owned(),
        }
        .into()),
    }
}

/// The drivers of `model` as text.
pub fn describe(model: &Model) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} drivers of model {}", model.drivers.len(), model.id);
    for d in &model.drivers {
        let _ = writeln!(s, "\n{} — {}", d.id, d.title);
        if let Some(m) = &d.meaning {
            let _ = writeln!(s, "  meaning:    {m}");
        }
        let _ = writeln!(
            s,
            "  dynamics:   starts at {}, reverts to {} at {} per year, volatility {}",
            d.initial, d.target, d.reversion_per_year, d.volatility
        );
        for j in &d.jumps {
            let _ = writeln!(
                s,
                "  jump:       {} — {} per year, size {}{}{}",
                j.name,
                j.rate_per_year,
                j.size,
                match (j.persistent, j.once) {
                    (true, true) => ", once, lasting (moves the target)",
                    (true, false) => ", lasting (moves the target)",
                    (false, true) => ", at most once a run",
                    (false, false) => "",
                },
                j.description
                    .as_ref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default()
            );
        }
        if let Some(text) = &d.dynamics {
            let _ = writeln!(s, "  why:        {text}");
        }
        for e in &d.evidence {
            let cite = model.sources[e.source].citation();
            let _ = writeln!(
                s,
                "  evidence:   “{}”\n              — {cite}",
                e.quote.trim()
            );
            if !e.supports.is_empty() {
                let what = e
                    .kind
                    .map(|k| format!(" ({k})", k = k.name()))
                    .unwrap_or_default();
                let _ = writeln!(s, "              supports{what} {}", e.supports.join(", "));
            }
        }
    }
    for f in &model.factors {
        let _ = writeln!(s, "\nfactor {} — {}", f.id, f.title);
        let _ = writeln!(s, "  meaning:    {}", f.meaning);
        let loads: Vec<String> = model
            .drivers
            .iter()
            .zip(&f.loadings)
            .filter(|(_, l)| **l != 0.0)
            .map(|(d, l)| format!("{} {l:+}", d.id))
            .collect();
        let _ = writeln!(s, "  loadings:   {}", loads.join(", "));
    }
    s
}
