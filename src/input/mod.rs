//! Loading models and scenarios: bytes → text → TOML → format types →
//! checked domain types, with every problem located in its file.
//!
//! This is the only layer that reads input files. Everything it returns has
//! been checked, so the layers above never re-validate.

pub mod diagnostics;
mod error;
pub mod format;
pub mod validate;
pub mod vary;

use crate::builtin;
use crate::model::{Model, Record, Scenario};
use diagnostics::{Diagnostic, Diagnostics, KeyPath, Problem, SourceFile, decode};
pub use error::LoadError;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A checked model and where it came from.
#[derive(Clone, Debug)]
pub struct LoadedModel {
    pub model: Model,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The path it was read from, or `<built-in>/...`.
    pub origin: String,
}

/// A checked scenario, its model as the file gave it, and their hashes.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    /// The scenario, with the model's values overridden by the scenario's.
    pub scenario: Scenario,
    /// The model before the scenario's overrides.
    pub base: LoadedModel,
    /// The scenario as the file wrote it, for variations (`sweep`).
    pub raw: format::ScenarioFile,
    pub sha256: String,
    pub origin: String,
}

/// Checked observations and where they came from.
#[derive(Clone, Debug)]
pub struct LoadedObservations {
    pub record: Record,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub origin: String,
}

/// What a TOML file holds, judged by its top-level table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Model,
    Scenario,
    Observations,
}

/// Where to look for a model named by id.
#[derive(Clone, Debug, Default)]
pub struct ModelSearch {
    /// `--models DIR`: when given, the only place searched.
    pub models_dir: Option<PathBuf>,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| LoadError::unreadable(path, e))
}

/// Parses `bytes` as TOML into `T`, locating syntax and shape problems.
fn parse<T: DeserializeOwned>(
    name: &str,
    text: &str,
    before: impl FnOnce(&SourceFile) -> Option<Diagnostic>,
) -> Result<T, Diagnostics> {
    match parse_all(name, text, before)? {
        (Some(value), found) if found.is_empty() => Ok(value),
        (_, found) => Err(Diagnostics(found)),
    }
}

/// The most shape problems gathered from one file.
const MAX_SHAPE_PROBLEMS: usize = 20;

/// Parses `text` into `T`, gathering every shape problem (an unknown key,
/// a value of the wrong type) rather than the first: each problem's line is
/// blanked and the text parsed again, so that the rest of the file is still
/// read. Blanking keeps every byte offset, so later problems are located in
/// the file as written. Returns the value read without the blanked lines
/// (for the checks that follow, which report their own problems too) and the
/// problems found; a syntax error ends the file's checks at once.
fn parse_all<T: DeserializeOwned>(
    name: &str,
    text: &str,
    before: impl FnOnce(&SourceFile) -> Option<Diagnostic>,
) -> Result<(Option<T>, Vec<Diagnostic>), Diagnostics> {
    let file = SourceFile::parse(name, text)?;
    if let Some(d) = before(&file) {
        return Err(Diagnostics(vec![d]));
    }
    let mut found = Vec::new();
    let mut blanked: Vec<String> = Vec::new();
    let mut current = text.to_owned();
    loop {
        let de = match toml::de::Deserializer::parse(&current) {
            Ok(de) => de,
            // Only the first parse can meet a syntax error: blanking whole
            // lines of valid key-value pairs keeps the file valid, except
            // inside multi-line values, where the problems found so far are
            // reported.
            Err(e) if found.is_empty() => {
                let span = e.span().unwrap_or(0..0);
                return Err(Diagnostics(vec![file.at(
                    span,
                    "",
                    e.message().to_owned(),
                    None,
                )]));
            }
            Err(_) => return Ok((None, found)),
        };
        let e = match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(value) => return Ok((Some(value), found)),
            Err(e) => e,
        };
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        let span = inner.span().unwrap_or(0..0);
        let missing = inner.message().strip_prefix("missing field ");
        // A key reported missing because its line was blanked was reported
        // already, as the problem on that line.
        if let Some(key) = missing.map(|k| k.trim_matches('`'))
            && blanked.iter().any(|line| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
        {
            return Ok((None, found));
        }
        let blankable = missing.is_none();
        let (message, hint) = explain_shape_error(inner.message());
        found.push(file.at(span.clone(), &path, message, hint));
        blanked.push(line_at(text, span.start).trim().to_owned());
        if !blankable || found.len() >= MAX_SHAPE_PROBLEMS || !blank_line(&mut current, span.start)
        {
            return Ok((None, found));
        }
    }
}

/// The line of `text` holding byte `at`.
fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    if !text.is_char_boundary(at) {
        return "";
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// Replaces the line holding byte `at` with spaces (its length kept);
/// false when it is blank already (nothing more can be learned).
fn blank_line(text: &mut String, at: usize) -> bool {
    let at = at.min(text.len());
    if !text.is_char_boundary(at) {
        return false;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if text[start..end].trim().is_empty() {
        return false;
    }
    let spaces = " ".repeat(text[start..end].len());
    text.replace_range(start..end, &spaces);
    true
}

/// Rewords serde's messages for people: unknown keys get a suggestion.
fn explain_shape_error(message: &str) -> (String, Option<String>) {
    let ticked =
        |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_owned).collect() };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (found, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let found = found.trim_matches('`');
        let allowed = ticked(expected);
        let refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
        let hint = if refs.is_empty() {
            "this table takes no keys".to_owned()
        } else {
            diagnostics::suggest(found, &refs, "allowed keys")
        };
        return (format!("unknown key \"{found}\""), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("invalid value: integer ") {
        let found = rest.split_once(", expected").map_or(rest, |(f, _)| f);
        return (
            format!("integer {found} is out of range"),
            Some("whole numbers here lie in [-2^63, 2^63); a seed in [0, 2^63)".to_owned()),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let (wanted, hint) = match expected {
            "f64" => (
                "a plain number",
                Some("write a number such as 0.25; a distribution is not allowed here"),
            ),
            "i64" | "u64" => ("a whole number", Some("write an integer such as 40")),
            "a string" => ("a string", Some("put the text in double quotes")),
            other => (other, None),
        };
        return (
            format!("expected {wanted}, found {found}"),
            hint.map(str::to_owned),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let key = rest.trim_matches('`');
        return (
            format!("missing key \"{key}\""),
            Some(format!("this table requires `{key}`")),
        );
    }
    (message.to_owned(), None)
}

/// Checks `model.kernel` before anything else, so a future format is
/// reported as such rather than as a list of unknown keys.
fn check_kernel_first(file: &SourceFile) -> Option<Diagnostic> {
    let table = toml::de::DeTable::parse(file.text).ok()?;
    let kernel = table
        .get_ref()
        .get("model")?
        .get_ref()
        .as_table()?
        .get("kernel")?;
    let version = kernel.get_ref().as_integer()?.as_str().parse::<i64>().ok();
    if version.is_some_and(|v| validate::KERNEL_VERSIONS.contains(&v)) {
        return None;
    }
    Some(
        file.locate(
            &Problem::new(
                KeyPath::parse("model.kernel"),
                format!(
                    "unsupported kernel version {}",
                    kernel.get_ref().as_integer()?.as_str()
                ),
            )
            .hint(validate::kernels_run()),
        ),
    )
}

/// The keys of a scenario's `[scenario]` table that a file may write at its
/// top level when the header line is missing.
const SCENARIO_KEYS: [&str; 7] = ["name", "title", "start", "end", "years", "runs", "seed"];

/// A file whose first keys belong under `[scenario]` but stand at the top
/// level (no `[scenario]` line above them): the mistake reported as such,
/// rather than as an unknown key.
fn missing_header(file: &SourceFile) -> Option<Diagnostic> {
    let table = toml::de::DeTable::parse(file.text).ok()?;
    let root = table.get_ref();
    if root.get("scenario").is_some() {
        return None;
    }
    let model_is_text = root
        .get("model")
        .is_some_and(|m| m.get_ref().as_str().is_some());
    let loose: Vec<&str> = SCENARIO_KEYS
        .iter()
        .copied()
        .filter(|k| root.get(*k).is_some())
        .collect();
    if loose.is_empty() && !model_is_text {
        return None;
    }
    let first = loose.first().copied().unwrap_or("model");
    let span = root.get(first).map(|v| v.span()).unwrap_or(0..0);
    Some(file.at(
        span,
        "",
        "this file looks like a scenario missing its [scenario] table header".to_owned(),
        Some(format!(
            "write a line `[scenario]` above `{first} = ...` (and the scenario's other \
             keys: name, model, start, end or years), as in scenarios/baseline.toml"
        )),
    ))
}

/// Tells a model from a scenario by its top-level table.
pub(crate) fn file_kind(name: &str, bytes: &[u8]) -> Result<FileKind, LoadError> {
    let text = decode(name, bytes)?;
    let file = SourceFile::parse(name, text)?;
    let table = toml::de::DeTable::parse(text).map_err(|_| Diagnostics::default())?;
    let root = table.get_ref();
    let has = |key: &str| root.get(key).is_some();
    if let Some(d) = missing_header(&file) {
        return Err(Diagnostics(vec![d]).into());
    }
    match (has("model"), has("scenario"), has("observations")) {
        (true, false, false) => Ok(FileKind::Model),
        (false, true, false) => Ok(FileKind::Scenario),
        (false, false, true) => Ok(FileKind::Observations),
        _ => Err(Diagnostics(vec![
            file.at(
                0..0,
                "",
                "not a model, a scenario or observations".to_owned(),
                Some(
                    "a model has a [model] table, a scenario a [scenario] table, observations \
                 an [observations] table"
                        .to_owned(),
                ),
            ),
        ])
        .into()),
    }
}

/// Parses and checks a model from its bytes.
pub fn parse_model(name: &str, bytes: &[u8]) -> Result<LoadedModel, LoadError> {
    let text = decode(name, bytes)?;
    let (raw, shape) = parse_all::<format::ModelFile>(name, text, check_kernel_first)?;
    let file = SourceFile::parse(name, text)?;
    let Some(raw) = raw else {
        return Err(Diagnostics(shape).into());
    };
    let model = validate::model(&raw).map_err(|p| with_shape(&shape, file.locate_all(&p)))?;
    if !shape.is_empty() {
        return Err(Diagnostics(shape).into());
    }
    Ok(LoadedModel {
        model,
        sha256: sha256_hex(bytes),
        origin: name.to_owned(),
    })
}

/// Reads, parses and checks a model file.
pub fn load_model(path: &Path) -> Result<LoadedModel, LoadError> {
    let bytes = read(path)?;
    parse_model(&path.display().to_string(), &bytes)
}

/// Reads, parses and checks a scenario file and the model it names.
pub fn load_scenario(path: &Path, search: &ModelSearch) -> Result<LoadedScenario, LoadError> {
    let bytes = read(path)?;
    parse_scenario(&path.display().to_string(), &bytes, path.parent(), search)
}

/// The built-in baseline on the built-in model.
pub fn builtin_baseline() -> Result<LoadedScenario, LoadError> {
    parse_scenario(
        builtin::BASELINE_NAME,
        builtin::BASELINE.as_bytes(),
        None,
        &ModelSearch::default(),
    )
}

/// Parses and checks a scenario from its bytes; `dir` is the scenario's
/// folder, for finding its model (`None` for built-in text).
pub fn parse_scenario(
    name: &str,
    bytes: &[u8],
    dir: Option<&Path>,
    search: &ModelSearch,
) -> Result<LoadedScenario, LoadError> {
    let text = decode(name, bytes)?;
    let (raw, shape) = parse_all::<format::ScenarioFile>(name, text, missing_header)?;
    let file = SourceFile::parse(name, text)?;
    let Some(raw) = raw else {
        return Err(Diagnostics(shape).into());
    };
    let base = find_model(&raw.scenario.model, "scenario.model", dir, search)
        .map_err(|p| LoadError::Located(with_shape(&shape, file.locate_all(&[p]))))??;
    let loaded = check_scenario(name, bytes, text, &raw, base).map_err(|e| match e {
        LoadError::Located(d) => LoadError::Located(with_shape(&shape, d)),
        other => other,
    })?;
    if !shape.is_empty() {
        return Err(Diagnostics(shape).into());
    }
    Ok(loaded)
}

/// Parses and checks a scenario against a model already loaded, whatever
/// model the scenario names (for tests and for comparing variants).
pub fn parse_scenario_on(
    name: &str,
    bytes: &[u8],
    base: LoadedModel,
) -> Result<LoadedScenario, LoadError> {
    let text = decode(name, bytes)?;
    let raw: format::ScenarioFile = parse(name, text, missing_header)?;
    check_scenario(name, bytes, text, &raw, base)
}

/// The shape problems of a file, then the problems its checks found, in
/// one report.
fn with_shape(shape: &[Diagnostic], checked: Diagnostics) -> Diagnostics {
    Diagnostics(shape.iter().cloned().chain(checked.0).collect())
}

fn check_scenario(
    name: &str,
    bytes: &[u8],
    text: &str,
    raw: &format::ScenarioFile,
    base: LoadedModel,
) -> Result<LoadedScenario, LoadError> {
    let file = SourceFile::parse(name, text)?;
    let scenario = validate::scenario(raw, &base.model).map_err(|p| file.locate_all(&p))?;
    Ok(LoadedScenario {
        scenario,
        base,
        raw: raw.clone(),
        sha256: sha256_hex(bytes),
        origin: name.to_owned(),
    })
}

/// Finds and loads the model a file names at key `key` (docs/spec.md
/// §7.1, "Finding the model").
///
/// The outer error is a problem with the reference itself (reported in the
/// naming file); the inner one a problem in the model file.
fn find_model(
    reference: &str,
    key: &str,
    dir: Option<&Path>,
    search: &ModelSearch,
) -> Result<Result<LoadedModel, LoadError>, Problem> {
    let at = KeyPath::parse(key);
    if reference.contains('/') || reference.ends_with(".toml") {
        let path = dir.unwrap_or(Path::new(".")).join(reference);
        if !path.is_file() {
            return Err(
                Problem::new(at, format!("model file {} not found", path.display()))
                    .hint("a model path is relative to the scenario file"),
            );
        }
        return Ok(load_model(&path));
    }
    let file_name = format!("{reference}.toml");
    let (candidates, builtin_allowed) = match &search.models_dir {
        Some(models) => (vec![models.join(&file_name)], false),
        None => {
            let mut c = Vec::new();
            if let Some(dir) = dir {
                c.push(dir.join("..").join("models").join(&file_name));
            }
            c.push(Path::new("models").join(&file_name));
            (c, true)
        }
    };
    let loaded = if let Some(path) = candidates.iter().find(|p| p.is_file()) {
        load_model(path)
    } else if let Some(text) = builtin_allowed.then(|| builtin::model(reference)).flatten() {
        parse_model(&format!("<built-in>/models/{file_name}"), text.as_bytes())
    } else {
        // Suggest among every id that was searchable: files in the folders
        // searched, and the built-in models where they count.
        let mut known: Vec<String> = candidates
            .iter()
            .filter_map(|c| c.parent())
            .filter_map(|dir| std::fs::read_dir(dir).ok())
            .flatten()
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let stem = path.file_stem()?.to_str()?.to_owned();
                (path.extension()? == "toml").then_some(stem)
            })
            .collect();
        if builtin_allowed {
            known.extend(builtin::MODELS.iter().map(|(id, _)| (*id).to_owned()));
        }
        let place = match &search.models_dir {
            Some(d) => format!("in {}", d.display()),
            None => "in ../models/, ./models/ or the built-in models".to_owned(),
        };
        return Err(
            Problem::new(at, format!("model \"{reference}\" not found {place}"))
                .maybe_hint(diagnostics::did_you_mean(
                    reference,
                    known.iter().map(String::as_str),
                ))
                .at_key(),
        );
    };
    let model = match loaded {
        Ok(m) => m,
        Err(e) => return Ok(Err(e)),
    };
    if model.model.id != reference {
        return Err(Problem::new(
            at,
            format!(
                "model file {} has id \"{}\", which does not match \"{reference}\", the id it was looked up by",
                model.origin, model.model.id
            ),
        )
        .hint(format!("rename the file or set id = \"{reference}\" in it")));
    }
    Ok(Ok(model))
}

/// Parses and checks observations from their bytes against `model`, the
/// model whose indices they observe.
pub fn parse_observations(
    name: &str,
    bytes: &[u8],
    model: &Model,
) -> Result<LoadedObservations, LoadError> {
    let text = decode(name, bytes)?;
    let raw: format::ObservationsFile = parse(name, text, |_| None)?;
    let file = SourceFile::parse(name, text)?;
    let record = validate::observations(&raw, model).map_err(|p| file.locate_all(&p))?;
    Ok(LoadedObservations {
        record,
        sha256: sha256_hex(bytes),
        origin: name.to_owned(),
    })
}

/// Reads, parses and checks an observations file against `model`.
pub fn load_observations(path: &Path, model: &Model) -> Result<LoadedObservations, LoadError> {
    let bytes = read(path)?;
    parse_observations(&path.display().to_string(), &bytes, model)
}

/// Checks observations against the model they name, found as a scenario's
/// model is found.
fn check_observations(
    name: &str,
    bytes: &[u8],
    dir: Option<&Path>,
    search: &ModelSearch,
) -> Result<LoadedObservations, LoadError> {
    let text = decode(name, bytes)?;
    let raw: format::ObservationsFile = parse(name, text, |_| None)?;
    let file = SourceFile::parse(name, text)?;
    let model = find_model(&raw.observations.model, "observations.model", dir, search)
        .map_err(|p| LoadError::Located(file.locate_all(&[p])))??;
    parse_observations(name, bytes, &model.model)
}

/// Checks one model, scenario or observations file (told apart by its
/// top-level table) and describes it in a line.
pub fn check_file(path: &Path, search: &ModelSearch) -> Result<String, LoadError> {
    let name = path.display().to_string();
    let bytes = read(path)?;
    Ok(match file_kind(&name, &bytes)? {
        FileKind::Model => {
            let m = parse_model(&name, &bytes)?.model;
            format!(
                "model {}: {} actors, {} domains, {} drivers",
                m.id,
                m.actors.len(),
                m.domains.len(),
                m.drivers.len()
            )
        }
        FileKind::Scenario => {
            let s = parse_scenario(&name, &bytes, path.parent(), search)?.scenario;
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
        FileKind::Observations => {
            let r = check_observations(&name, &bytes, path.parent(), search)?.record;
            let periods: Vec<_> = r.observations().map(|(_, o)| o.period).collect();
            let span = match (periods.iter().min(), periods.iter().max()) {
                (Some(a), Some(b)) => format!(", {a} to {b}"),
                _ => String::new(),
            };
            format!(
                "observations of model {}: {} measures, {} values{span}",
                r.model,
                r.measures.len(),
                periods.len()
            )
        }
    })
}
