//! Observation files (docs/spec.md §13), checked against the model whose
//! indices they observe.

use super::checker::{Bound, Checker};
use crate::input::diagnostics::{KeyPath, Problem, suggest};
use crate::input::format::*;
use crate::model::*;

/// The map kinds a measure may use.
const MAP_KINDS: [&str; 3] = ["linear", "log-linear", "ladder"];

/// The largest magnitude of a measured number or a map bound. Measures are
/// in their own units (trade in US dollars reaches 10^10), so the model's
/// bound of 10^6 does not apply; this one only catches typing errors.
const MAX_MEASURED: f64 = 1e15;

/// A measured number or map bound: finite, within `MAX_MEASURED`, and
/// positive where `positive` (a log-linear map); `None` after a problem.
fn measured(c: &mut Checker, path: &KeyPath, v: f64, positive: bool) -> Option<f64> {
    let problem = if !v.is_finite() {
        Some((
            "NaN and infinite numbers are not allowed".to_owned(),
            "a finite number",
        ))
    } else if v.abs() > MAX_MEASURED {
        Some((
            format!("measured numbers lie within ±{MAX_MEASURED:e}"),
            "a smaller number",
        ))
    } else if positive && v <= 0.0 {
        Some((
            "a log-linear map takes only numbers > 0".to_owned(),
            "a number > 0",
        ))
    } else {
        None
    };
    match problem {
        Some((hint, expected)) => {
            c.push(
                Problem::new(path.clone(), format!("expected {expected}, found {v}")).hint(hint),
            );
            None
        }
        None => Some(v),
    }
}

/// Checks an observations file against `model`.
pub fn observations(file: &ObservationsFile, model: &Model) -> Result<Record, Vec<Problem>> {
    let mut c = Checker::default();
    let root = KeyPath::root();
    let h = &file.observations;
    let hp = root.key("observations");
    if h.title.trim().is_empty() {
        c.push(Problem::new(hp.key("title"), "title is empty"));
    }
    if h.model != model.id {
        c.push(
            Problem::new(
                hp.key("model"),
                format!(
                    "the observations are of model \"{}\", not \"{}\"",
                    h.model, model.id
                ),
            )
            .hint("observations map onto one model's indices: use a scenario of that model"),
        );
    }

    let mut sources = Vec::new();
    for (id, s) in &file.sources {
        let p = root.key("sources").key(id);
        c.id(&p, id, "source");
        for (key, text) in [
            ("title", &s.title),
            ("publisher", &s.publisher),
            ("date", &s.date),
        ] {
            if text.trim().is_empty() {
                c.push(
                    Problem::new(p.key(key), format!("{key} is empty"))
                        .hint("every source says what it is, who published it and when"),
                );
            }
        }
        sources.push(Source {
            id: id.clone(),
            title: s.title.clone(),
            publisher: Some(s.publisher.clone()),
            date: Some(s.date.clone()),
            file: None,
            url: s.url.clone(),
        });
    }
    let source_ids: Vec<&str> = file.sources.keys().map(String::as_str).collect();

    let mut indices = vec!["composite"];
    indices.extend(model.domains.iter().map(|d| d.id.as_str()));
    let mut measures = Vec::new();
    if file.measures.is_empty() {
        c.push(
            Problem::new(root.clone(), "no measures")
                .hint("add a [measures.<id>] table with an index, a map and values"),
        );
    }
    for (id, m) in &file.measures {
        let p = root.key("measures").key(id);
        c.id(&p, id, "measure");
        c.lookup_among(
            &p.key("index"),
            &m.index,
            &indices,
            "index",
            &format!("indices of model {}", model.id),
        );
        let map = mapping(&mut c, &p.key("map"), &m.map);
        let mut values: Vec<Observation> = Vec::new();
        if m.values.is_empty() {
            c.push(
                Problem::new(p.clone(), format!("measure \"{id}\" has no values"))
                    .hint("add [[measures.<id>.values]] entries, or remove the measure"),
            );
        }
        for (i, v) in m.values.iter().enumerate() {
            let vp = p.key("values").index(i);
            let Some(o) = observation(&mut c, &vp, v, &map, model, &source_ids) else {
                continue;
            };
            if let Some(prev) = values.last()
                && o.period <= prev.period
            {
                c.push(
                    Problem::new(
                        vp.key("period"),
                        format!("{} does not come after {}", o.period, prev.period),
                    )
                    .hint("a measure's values are in strictly increasing order of period"),
                );
                continue;
            }
            values.push(o);
        }
        measures.push(Measure {
            id: id.clone(),
            title: m.title.clone(),
            index: m.index.clone(),
            map,
            values,
        });
    }
    c.finish(Record {
        title: h.title.clone(),
        model: h.model.clone(),
        sources,
        measures,
    })
}

/// Checks a measure's map: its kind, and the bounds or rungs that kind needs.
fn mapping(c: &mut Checker, path: &KeyPath, raw: &MapSpec) -> Mapping {
    let bounds = |c: &mut Checker, positive: bool| -> (f64, f64) {
        let mut get = |key: &str, v: Option<f64>| match v {
            Some(v) => measured(c, &path.key(key), v, positive),
            None => {
                c.push(
                    Problem::new(path.clone(), format!("missing key \"{key}\""))
                        .hint(format!("a {} map needs `low` and `high`", raw.kind)),
                );
                None
            }
        };
        let (low, high) = (get("low", raw.low), get("high", raw.high));
        let (low, high) = (low.unwrap_or(f64::NAN), high.unwrap_or(f64::NAN));
        if low.is_finite() && high.is_finite() && low >= high {
            c.push(
                Problem::new(
                    path.clone(),
                    format!("a map needs low < high, found low = {low}, high = {high}"),
                )
                .hint("`low` is the value that maps to 0, `high` the one that maps to 100"),
            );
        }
        if raw.rungs.is_some() {
            c.push(
                Problem::new(
                    path.key("rungs"),
                    format!("a {} map has no rungs", raw.kind),
                )
                .hint("rungs belong to kind = \"ladder\""),
            );
        }
        (low, high)
    };
    match raw.kind.as_str() {
        "linear" => {
            let (low, high) = bounds(c, false);
            Mapping::Linear { low, high }
        }
        "log-linear" => {
            let (low, high) = bounds(c, true);
            Mapping::LogLinear { low, high }
        }
        "ladder" => {
            for key in ["low", "high"] {
                let given = if key == "low" { raw.low } else { raw.high };
                if given.is_some() {
                    c.push(
                        Problem::new(path.key(key), format!("a ladder has no `{key}`"))
                            .hint("a ladder's values come from its rungs"),
                    );
                }
            }
            let rungs = raw.rungs.clone().unwrap_or_default();
            if rungs.is_empty() {
                c.push(
                    Problem::new(path.clone(), "a ladder needs rungs")
                        .hint("give rungs = { none = 0, agreement = 40, ... }"),
                );
            }
            let rungs = rungs
                .into_iter()
                .map(|(name, v)| {
                    c.id(&path.key("rungs").key(&name), &name, "rung");
                    let v = c.number(&path.key("rungs").key(&name), v, Bound::Percent);
                    (name, v)
                })
                .collect();
            Mapping::Ladder { rungs }
        }
        other => {
            c.push(
                Problem::new(path.key("kind"), format!("unknown map kind \"{other}\""))
                    .hint(suggest(other, &MAP_KINDS, "map kinds")),
            );
            Mapping::Linear {
                low: 0.0,
                high: 1.0,
            }
        }
    }
}

/// Checks one observed value; `None` when its period or value is unusable.
fn observation(
    c: &mut Checker,
    path: &KeyPath,
    raw: &ObservedValueSpec,
    map: &Mapping,
    model: &Model,
    sources: &[&str],
) -> Option<Observation> {
    let period = observed_period(c, &path.key("period"), &raw.period, model.steps_per_year);
    let source = c.lookup_among(
        &path.key("source"),
        &raw.source,
        sources,
        "source",
        "sources of this file",
    );
    let grade = match raw.grade.as_str() {
        "firm" => Grade::Firm,
        "rough" => Grade::Rough,
        other => {
            c.push(
                Problem::new(path.key("grade"), format!("unknown grade \"{other}\""))
                    .hint("grade is \"firm\" (official, first-hand) or \"rough\" (a ballpark, or conflicting reports)"),
            );
            Grade::Rough
        }
    };
    let vp = path.key("value");
    let (measured, index_value) = match (&raw.value, map) {
        (RawMeasured::Rung(rung), Mapping::Ladder { rungs }) => {
            let names: Vec<&str> = rungs.iter().map(|(r, _)| r.as_str()).collect();
            let at = c.lookup_among(&vp, rung, &names, "rung", "rungs of this ladder")?;
            (Measured::Rung(rung.clone()), rungs[at].1)
        }
        (RawMeasured::Number(_), Mapping::Ladder { rungs }) => {
            let names: Vec<&str> = rungs.iter().map(|(r, _)| r.as_str()).collect();
            c.push(
                Problem::new(vp.clone(), "a ladder's value is the name of a rung")
                    .hint(format!("one of: {}", names.join(", "))),
            );
            return None;
        }
        (RawMeasured::Rung(rung), _) => {
            c.push(
                Problem::new(vp.clone(), format!("expected a number, found \"{rung}\""))
                    .hint("rung names belong to kind = \"ladder\"; write the measured number"),
            );
            return None;
        }
        (RawMeasured::Number(v), map) => {
            let positive = matches!(map, Mapping::LogLinear { .. });
            let v = measured(c, &vp, *v, positive)?;
            (Measured::Number(v), map.of_number(v)?)
        }
    };
    Some(Observation {
        period: period?,
        measured,
        index_value,
        grade,
        source: source?,
        note: raw.note.clone(),
    })
}

/// A year (`2012` or `"2012"`) is its last period in the model's calendar;
/// anything else is a period in the model's own form.
fn observed_period(
    c: &mut Checker,
    path: &KeyPath,
    raw: &RawPeriod,
    spy: StepsPerYear,
) -> Option<Period> {
    let year = match raw {
        RawPeriod::Year(y) => Some(*y),
        RawPeriod::Label(s) if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        RawPeriod::Label(_) => None,
    };
    match year {
        Some(y) if (1000..=9999).contains(&y) => Some(Period::new(y, spy, spy)),
        Some(y) => {
            c.push(
                Problem::new(path.clone(), format!("year {y} is out of range"))
                    .hint("years run from 1000 to 9999"),
            );
            None
        }
        None => {
            let found = c.period(path, raw, spy);
            if found.is_none()
                && let Some(last) = c.problems.last_mut()
            {
                last.hint = Some(format!(
                    "a year such as \"2012\" (its last period), or {}",
                    Period::form(spy)
                ));
            }
            found
        }
    }
}
