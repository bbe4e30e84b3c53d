//! Variations of a scenario: numeric values set by path, as if the file
//! had written them, and checked exactly as the file is.
//!
//! `sweep` and `sensitivity` use this to make each cell: the scenario's
//! format types get the value at the path, then go through the same
//! validation as a file, so a value out of its bounds is rejected with the
//! same message, before anything runs.

use super::format::{
    ActorPatch, DomainPatch, DriverPatch, EngagementPatch, FactorPatch, JumpPatch, RawDist,
    RawKeyframe, RawParam, RawPeriod, RawTarget, RawThresholds, ScenarioFile,
};
use super::{LoadError, LoadedScenario, sha256_hex, validate};
use crate::model::{Level, Model, Param, ParamPath, Target};

/// One value to set: `drivers.sanctions.target = 0.9`.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub path: ParamPath,
    pub value: f64,
}

impl Setting {
    /// The setting of `value` at the path written `path`.
    pub fn new(path: &str, value: f64) -> Result<Setting, LoadError> {
        let path = path.parse().map_err(|error| LoadError::Path {
            text: path.to_owned(),
            error,
        })?;
        Ok(Setting { path, value })
    }
}

/// `loaded` with `settings` applied in order, checked like a file.
pub fn vary(loaded: &LoadedScenario, settings: &[Setting]) -> Result<LoadedScenario, LoadError> {
    let mut raw = loaded.raw.clone();
    let model = &loaded.base.model;
    for s in settings {
        set(&mut raw, model, &s.path, s.value);
    }
    let scenario = validate::scenario(&raw, model).map_err(|problems| LoadError::Rejected {
        settings: settings
            .iter()
            .map(|s| format!("{}={}", s.path, s.value))
            .collect(),
        problems: problems
            .iter()
            .map(|p| {
                let hint = p
                    .hint
                    .as_ref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!("{}: {}{hint}", p.path, p.message)
            })
            .collect(),
    })?;
    // A path prints as it was written, so this hashes the settings as given.
    let described: String = settings
        .iter()
        .map(|s| format!("\n{} = {}", s.path, s.value))
        .collect();
    Ok(LoadedScenario {
        scenario,
        base: loaded.base.clone(),
        raw,
        sha256: sha256_hex(format!("{}{described}", loaded.sha256).as_bytes()),
        origin: loaded.origin.clone(),
    })
}

/// Writes `v` at `path` into the scenario as the file would have: a value
/// for an unknown id or a new jump is left for validation to judge.
fn set(raw: &mut ScenarioFile, model: &Model, path: &ParamPath, v: f64) {
    use ParamPath::*;
    let number = Some(RawParam::Number(v));
    match path {
        // In a scenario both name the thresholds it is scored with: its own,
        // which start as its model's.
        Threshold { level, .. } => {
            let t = raw.scenario.thresholds.get_or_insert(RawThresholds {
                low: model.thresholds.low,
                high: model.thresholds.high,
            });
            match level {
                Level::Low => t.low = v,
                Level::High => t.high = v,
            }
        }
        DriverInitial { driver } => driver_patch(raw, driver).initial = number,
        DriverTarget { driver } => {
            driver_patch(raw, driver).target = Some(RawTarget::Constant(RawParam::Number(v)));
        }
        DriverReversion { driver } => driver_patch(raw, driver).reversion = number,
        DriverVolatility { driver } => driver_patch(raw, driver).volatility = number,
        JumpRate { driver, jump } | JumpSize { driver, jump } => {
            let d = driver_patch(raw, driver);
            let i = match d.jumps.iter().position(|j| j.name == *jump) {
                Some(i) => i,
                None => {
                    d.jumps.push(JumpPatch {
                        name: jump.clone(),
                        description: None,
                        rate: None,
                        size: None,
                        persistent: None,
                        once: None,
                    });
                    d.jumps.len() - 1
                }
            };
            match path {
                JumpRate { .. } => d.jumps[i].rate = number,
                _ => d.jumps[i].size = number,
            }
        }
        ActorAdjustment { actor } => actor_patch(raw, actor).adjustment = number,
        ActorReciprocity { actor } => actor_patch(raw, actor).reciprocity = number,
        DomainWeight { domain } => {
            let d: &mut DomainPatch = raw.domains.entry(domain.clone()).or_default();
            d.weight = Some(v);
        }
        EngagementInitial { actor, domain } => {
            engagement_patch(raw, actor, domain).initial = number;
        }
        EngagementBias { actor, domain } => engagement_patch(raw, actor, domain).bias = number,
        FactorLoading { factor, driver } => {
            let f: &mut FactorPatch = raw.factors.entry(factor.clone()).or_default();
            f.loadings.insert(driver.clone(), v);
        }
        DriverKeyframe { driver, at } => {
            let from_model = model.drivers.iter().find(|d| d.id == *driver);
            let patch = driver_patch(raw, driver);
            // The scenario's own keyframes if it has them, else its model's,
            // written out so that one value can change.
            let frames = match &mut patch.target {
                Some(RawTarget::Keyframes(frames)) => frames,
                _ => {
                    let frames = match from_model.map(|d| &d.target) {
                        Some(Target::Keyframes(frames)) => frames
                            .iter()
                            .map(|(p, v)| RawKeyframe {
                                at: RawPeriod::Label(p.to_string()),
                                value: raw_param(v),
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    patch.target = Some(RawTarget::Keyframes(frames));
                    match &mut patch.target {
                        Some(RawTarget::Keyframes(frames)) => frames,
                        _ => return,
                    }
                }
            };
            let written = |p: &RawPeriod| match p {
                RawPeriod::Label(s) => s.clone(),
                RawPeriod::Year(y) => y.to_string(),
            };
            match frames.iter_mut().find(|f| written(&f.at) == *at) {
                Some(frame) => frame.value = RawParam::Number(v),
                // No keyframe there: validation reports the new one out of order
                // or, if it fits, takes it.
                None => frames.push(RawKeyframe {
                    at: RawPeriod::Label(at.clone()),
                    value: RawParam::Number(v),
                }),
            }
        }
        EngagementWeight {
            actor,
            domain,
            driver,
        } => {
            engagement_patch(raw, actor, domain)
                .weights
                .insert(driver.clone(), RawParam::Number(v));
        }
    }
}

/// A checked parameter as a file writes it.
fn raw_param(p: &Param) -> RawParam {
    let dist = |name: &str| RawDist {
        dist: Some(name.to_owned()),
        ..RawDist::default()
    };
    match *p {
        Param::Fixed(v) => RawParam::Number(v),
        Param::Normal { mean, sd } => RawParam::Dist(RawDist {
            mean: Some(mean),
            sd: Some(sd),
            ..dist("normal")
        }),
        Param::Uniform { low, high } => RawParam::Dist(RawDist {
            low: Some(low),
            high: Some(high),
            ..dist("uniform")
        }),
        Param::Triangular { low, mode, high } => RawParam::Dist(RawDist {
            low: Some(low),
            mode: Some(mode),
            high: Some(high),
            ..dist("triangular")
        }),
        Param::Beta { alpha, beta } => RawParam::Dist(RawDist {
            alpha: Some(alpha),
            beta: Some(beta),
            ..dist("beta")
        }),
    }
}

fn driver_patch<'r>(raw: &'r mut ScenarioFile, id: &str) -> &'r mut DriverPatch {
    raw.drivers.entry(id.to_owned()).or_default()
}

fn actor_patch<'r>(raw: &'r mut ScenarioFile, id: &str) -> &'r mut ActorPatch {
    raw.actors.entry(id.to_owned()).or_default()
}

fn engagement_patch<'r>(
    raw: &'r mut ScenarioFile,
    actor: &str,
    domain: &str,
) -> &'r mut EngagementPatch {
    raw.engagement
        .entry(actor.to_owned())
        .or_default()
        .entry(domain.to_owned())
        .or_default()
}

/// Parses the values of `--set PATH=V1,V2,...` or `--set PATH=LO:HI:STEP`
/// (inclusive of HI).
pub fn parse_setting(text: &str) -> Result<(String, Vec<f64>), String> {
    let (path, values) = text
        .split_once('=')
        .ok_or_else(|| format!("expected PATH=V1,V2,... or PATH=LO:HI:STEP, found {text:?}"))?;
    let number = |s: &str| -> Result<f64, String> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{s:?} is not a finite number"))
    };
    let values = if let [lo, hi, step] = values.split(':').collect::<Vec<_>>()[..] {
        let (lo, hi, step) = (number(lo)?, number(hi)?, number(step)?);
        if step <= 0.0 || hi < lo {
            return Err(format!(
                "LO:HI:STEP needs LO <= HI and STEP > 0, found {values}"
            ));
        }
        let n = ((hi - lo) / step + 1e-9).floor() as usize + 1;
        if n > MAX_VALUES {
            return Err(format!("{n} values; at most {MAX_VALUES} per --set"));
        }
        // Rounded so that 0.2:1.0:0.2 gives 0.6, not 0.6000000000000001.
        (0..n)
            .map(|i| ((lo + i as f64 * step) * 1e12).round() / 1e12)
            .collect()
    } else {
        values
            .split(',')
            .map(number)
            .collect::<Result<Vec<f64>, String>>()?
    };
    if values.len() > MAX_VALUES {
        return Err(format!(
            "{} values; at most {MAX_VALUES} per --set",
            values.len()
        ));
    }
    Ok((path.trim().to_owned(), values))
}

/// The most values one `--set` may take.
pub(crate) const MAX_VALUES: usize = 1000;

/// The text of a scenario file `text` with `settings` written into it, as a
/// user would write them: `drivers.<id>.jumps.<name>.<field>` into the jump
/// of that name (appended when the file has none),
/// `drivers.<id>.target.<period>` into the file's keyframe at that period
/// (an error when the file has none there), every other path into its
/// nested table. `[scenario]` gets `name` and `description`. Comments
/// are not kept. Fails when `text` is not a table of tables.
pub fn scenario_text_with(
    text: &str,
    settings: &[Setting],
    name: &str,
    description: &str,
) -> Result<String, String> {
    use toml::{Table, Value};
    let mut root: Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let header = root
        .get_mut("scenario")
        .and_then(Value::as_table_mut)
        .ok_or("no [scenario] table")?;
    header.insert("name".into(), Value::String(name.to_owned()));
    header.insert("description".into(), Value::String(description.to_owned()));
    for s in settings {
        let text = s.path.to_string();
        let keys: Vec<&str> = text.split('.').collect();
        let value = Value::Float(s.value);
        if keys.len() == 5 && keys[0] == "drivers" && keys[2] == "jumps" {
            let driver = nested(&mut root, &keys[..2])?;
            let jumps = driver
                .entry("jumps".to_owned())
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
                .ok_or("`jumps` is not an array")?;
            let found = jumps.iter_mut().find_map(|j| {
                j.as_table_mut()
                    .filter(|t| t.get("name").and_then(Value::as_str) == Some(keys[3]))
            });
            match found {
                Some(jump) => {
                    jump.insert(keys[4].to_owned(), value);
                }
                None => {
                    let mut jump = Table::new();
                    jump.insert("name".into(), Value::String(keys[3].to_owned()));
                    jump.insert(keys[4].to_owned(), value);
                    jumps.push(Value::Table(jump));
                }
            }
        } else if keys.len() == 4 && keys[0] == "drivers" && keys[2] == "target" {
            // A keyframe's value: into the scenario's own keyframe at that
            // period, which must be there to be written.
            let frame = nested(&mut root, &keys[..2])?
                .get_mut("target")
                .and_then(Value::as_array_mut)
                .and_then(|frames| {
                    frames.iter_mut().find_map(|f| {
                        f.as_table_mut().filter(|t| {
                            t.get("at").map(|at| match at {
                                Value::String(p) => p.as_str() == keys[3],
                                Value::Integer(y) => y.to_string() == keys[3],
                                _ => false,
                            }) == Some(true)
                        })
                    })
                })
                .ok_or_else(|| {
                    format!(
                        "{text}: the scenario has no keyframe at {} to write the value into; \
                         give [drivers.{}] a target with that keyframe",
                        keys[3], keys[1]
                    )
                })?;
            frame.insert("value".to_owned(), value);
        } else {
            let (last, tables) = keys.split_last().ok_or("an empty path")?;
            nested(&mut root, tables)?.insert((*last).to_owned(), value);
        }
    }
    toml::to_string(&root).map_err(|e| e.to_string())
}

/// The text of a scenario file with its `model` reference replaced (by a
/// path, when the file moves away from its model). Comments are not kept.
pub fn with_model(text: &str, model: &str) -> Result<String, String> {
    let mut root: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    root.get_mut("scenario")
        .and_then(toml::Value::as_table_mut)
        .ok_or("no [scenario] table")?
        .insert("model".into(), toml::Value::String(model.to_owned()));
    toml::to_string(&root).map_err(|e| e.to_string())
}

/// The table at `keys` under `root`, created where missing.
fn nested<'t>(root: &'t mut toml::Table, keys: &[&str]) -> Result<&'t mut toml::Table, String> {
    let mut table = root;
    for key in keys {
        table = table
            .entry((*key).to_owned())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("`{key}` is not a table"))?;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both threshold paths set the thresholds the scenario is scored with,
    /// as `explain` reports a scenario's thresholds under `model.thresholds`.
    #[test]
    fn a_keyframe_value_is_written_into_the_files_keyframe_at_its_period() {
        let text = "[scenario]\nname = \"s\"\nmodel = \"m\"\n\n[drivers.x]\n\
                    target = [{ at = \"2026Q1\", value = 0.2 }, { at = \"2030Q1\", value = 0.5 }]\n";
        let at = |p: &str| Setting::new(p, 0.75).unwrap();
        let out = scenario_text_with(text, &[at("drivers.x.target.2030Q1")], "s2", "d").unwrap();
        let root: toml::Table = toml::from_str(&out).unwrap();
        let frames = root["drivers"]["x"]["target"].as_array().unwrap();
        assert_eq!(
            frames[1]["value"].as_float(),
            Some(0.75),
            "rule: --write puts a fitted keyframe value into the keyframe at its period"
        );
        assert_eq!(frames[0]["value"].as_float(), Some(0.2));
        let missing = scenario_text_with(text, &[at("drivers.x.target.2028Q1")], "s2", "d");
        assert!(
            missing.is_err_and(|e| e.contains("no keyframe at 2028Q1")),
            "rule: a keyframe the file does not have is refused with the period named"
        );
    }

    #[test]
    fn either_threshold_path_sets_the_scenarios_thresholds() {
        let loaded = crate::input::builtin_baseline().unwrap();
        for text in ["scenario.thresholds.low", "model.thresholds.low"] {
            let varied = vary(&loaded, &[Setting::new(text, 12.5).unwrap()]).unwrap();
            assert_eq!(varied.scenario.thresholds.low, 12.5, "{text}");
            assert_eq!(
                varied.scenario.thresholds.high,
                loaded.scenario.thresholds.high
            );
        }
    }

    #[test]
    fn a_path_outside_the_forms_is_refused_with_every_form() {
        let e = Setting::new("drivers.sanctions.targt", 0.5).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("cannot set drivers.sanctions.targt: no number \"targt\" there"),
            "{shown}"
        );
        assert!(shown.contains("did you mean \"target\"?"), "{shown}");
        for form in ParamPath::FORMS {
            assert!(shown.contains(form), "{form} missing from {shown}");
        }
    }

    #[test]
    fn settings_parse_as_lists_and_ranges() {
        assert_eq!(
            parse_setting("drivers.sanctions.target=0.2:1.0:0.2").unwrap(),
            (
                "drivers.sanctions.target".into(),
                vec![0.2, 0.4, 0.6, 0.8, 1.0]
            )
        );
        assert_eq!(
            parse_setting("engagement.russia.energy.weights.sanctions=0,0.5,1")
                .unwrap()
                .1,
            [0.0, 0.5, 1.0]
        );
        for bad in [
            "x",
            "x=",
            "x=a",
            "x=1:0:0.1",
            "x=0:1:0",
            "x=nan",
            "x=0:1:0.0001",
        ] {
            assert!(parse_setting(bad).is_err(), "{bad}");
        }
    }
}
