//! Variations of a scenario: numeric values set by path, as if the file
//! had written them, and checked exactly as the file is.
//!
//! `sweep` and `sensitivity` use this to make each cell: the scenario's
//! format types get the value at the path, then go through the same
//! validation as a file, so a value out of its bounds is rejected with the
//! same message, before anything runs.

use super::format::{
    ActorPatch, DomainPatch, DriverPatch, EngagementPatch, JumpPatch, RawParam, RawTarget,
    RawThresholds, ScenarioFile,
};
use super::{LoadedScenario, sha256_hex, validate};
use crate::error::Error;
use crate::model::Model;

/// One value to set: `drivers.sanctions.target = 0.9`.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// A path as the files write it (see [`PATH_FORMS`]).
    pub path: String,
    pub value: f64,
}

/// The paths a setting may name.
pub const PATH_FORMS: &str = "scenario.thresholds.low|high, \
drivers.<id>.initial|target|reversion|volatility, \
drivers.<id>.jumps.<name>.rate|size, actors.<id>.adjustment|reciprocity, \
domains.<id>.weight, engagement.<actor>.<domain>.initial|bias, \
engagement.<actor>.<domain>.weights.<driver>";

/// `loaded` with `settings` applied in order, checked like a file.
pub fn vary(loaded: &LoadedScenario, settings: &[Setting]) -> Result<LoadedScenario, Error> {
    let mut raw = loaded.raw.clone();
    let model = &loaded.base.model;
    for s in settings {
        set(&mut raw, model, &s.path, s.value).map_err(|message| {
            Error::from(crate::error::ArgumentError::Setting(format!(
                "cannot set {}: {message}\n  hint: a path is one of {PATH_FORMS}",
                s.path
            )))
        })?;
    }
    let scenario = validate::scenario(&raw, model).map_err(|problems| {
        let shown: Vec<String> = problems
            .iter()
            .map(|p| {
                let hint = p
                    .hint
                    .as_ref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!("{}: {}{hint}", p.path, p.message)
            })
            .collect();
        let set: Vec<String> = settings
            .iter()
            .map(|s| format!("{}={}", s.path, s.value))
            .collect();
        Error::from(crate::error::ArgumentError::Setting(format!(
            "with {}: {}",
            set.join(", "),
            shown.join("; ")
        )))
    })?;
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

fn set(raw: &mut ScenarioFile, model: &Model, path: &str, v: f64) -> Result<(), String> {
    let number = Some(RawParam::Number(v));
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["scenario", "thresholds", which] => {
            let t = raw.scenario.thresholds.get_or_insert(RawThresholds {
                low: model.thresholds.low,
                high: model.thresholds.high,
            });
            match *which {
                "low" => t.low = v,
                "high" => t.high = v,
                other => return Err(unknown(other, &["low", "high"])),
            }
        }
        ["drivers", id, field] => {
            let d: &mut DriverPatch = raw.drivers.entry((*id).to_owned()).or_default();
            match *field {
                "initial" => d.initial = number,
                "target" => d.target = Some(RawTarget::Constant(v)),
                "reversion" => d.reversion = number,
                "volatility" => d.volatility = number,
                other => {
                    return Err(unknown(
                        other,
                        &["initial", "target", "reversion", "volatility"],
                    ));
                }
            }
        }
        ["drivers", id, "jumps", name, field] => {
            let d: &mut DriverPatch = raw.drivers.entry((*id).to_owned()).or_default();
            let jump = match d.jumps.iter().position(|j| j.name == *name) {
                Some(i) => &mut d.jumps[i],
                None => {
                    d.jumps.push(JumpPatch {
                        name: (*name).to_owned(),
                        description: None,
                        rate: None,
                        size: None,
                    });
                    d.jumps.last_mut().ok_or("no jump")?
                }
            };
            match *field {
                "rate" => jump.rate = number,
                "size" => jump.size = number,
                other => return Err(unknown(other, &["rate", "size"])),
            }
        }
        ["actors", id, field] => {
            let a: &mut ActorPatch = raw.actors.entry((*id).to_owned()).or_default();
            match *field {
                "adjustment" => a.adjustment = number,
                "reciprocity" => a.reciprocity = number,
                other => return Err(unknown(other, &["adjustment", "reciprocity"])),
            }
        }
        ["domains", id, "weight"] => {
            let d: &mut DomainPatch = raw.domains.entry((*id).to_owned()).or_default();
            d.weight = Some(v);
        }
        ["engagement", actor, domain, rest @ ..] => {
            let e: &mut EngagementPatch = raw
                .engagement
                .entry((*actor).to_owned())
                .or_default()
                .entry((*domain).to_owned())
                .or_default();
            match rest {
                ["initial"] => e.initial = number,
                ["bias"] => e.bias = number,
                ["weights", driver] => {
                    e.weights.insert((*driver).to_owned(), RawParam::Number(v));
                }
                _ => return Err("an engagement has initial, bias and weights.<driver>".into()),
            }
        }
        _ => return Err("not a numeric path of a scenario".into()),
    }
    Ok(())
}

fn unknown(key: &str, known: &[&str]) -> String {
    let near = super::diagnostics::did_you_mean(key, known.iter().copied())
        .map(|d| format!("; {d}"))
        .unwrap_or_default();
    format!("no number \"{key}\" there ({}){near}", known.join(", "))
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
pub const MAX_VALUES: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

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
