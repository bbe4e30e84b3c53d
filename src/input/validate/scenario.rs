//! Scenario files: the header (name, start, horizon, runs, seed,
//! thresholds), the scenario's own evidence and its events; the overrides
//! of the model's numbers are merged in `merge`.

use super::checker::{Bound, Checker};
use super::supports::{check_supported_paths, supportable_paths};
use super::{MAX_RUNS, MAX_YEARS, merge};
use crate::input::diagnostics::{KeyPath, Problem};
use crate::input::format::*;
use crate::model::*;

/// Checks a scenario file against its (checked) model and merges its overrides.
pub fn scenario(file: &ScenarioFile, base: &Model) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let root = KeyPath::root();
    let h = &file.scenario;
    let hp = root.key("scenario");
    let spy = base.steps_per_year;

    if h.name.trim().is_empty() {
        c.push(Problem::new(hp.key("name"), "name is empty"));
    }
    let start = match &h.start {
        Some(raw) => c.period(&hp.key("start"), raw, spy).unwrap_or(base.start),
        None => base.start,
    };
    if start < base.start {
        let lacking = initials_not_set(file, base);
        if !lacking.is_empty() {
            c.push(
                Problem::new(
                    hp.key("start"),
                    format!(
                        "the scenario starts at {start}, before its model ({}), without \
                         setting every initial value; it lacks {}",
                        base.start,
                        lacking.join(", ")
                    ),
                )
                .hint(format!(
                    "a historical run sets the `initial` of every driver and every \
                     engagement for {start}; or start at {} or later",
                    base.start
                )),
            );
        }
    }
    let max_steps = MAX_YEARS * i64::from(spy);
    let steps = match (&h.end, h.steps) {
        (Some(_), Some(_)) => {
            c.push(Problem::new(
                hp.key("steps"),
                "give one of `end` and `steps`, not both",
            ));
            1
        }
        (None, None) => {
            c.push(
                Problem::new(hp.clone(), "missing the horizon")
                    .hint("give `end = \"2035Q4\"` or `steps = 40`"),
            );
            1
        }
        (Some(raw), None) => match c.period(&hp.key("end"), raw, spy) {
            Some(end) if end <= start => {
                c.push(
                    Problem::new(
                        hp.key("end"),
                        format!("end {end} is not after start {start}"),
                    )
                    .hint("the horizon needs at least one step"),
                );
                1
            }
            Some(end) if start.steps_until(end) > max_steps => {
                c.push(Problem::new(
                    hp.key("end"),
                    format!("the horizon is longer than {MAX_YEARS} years"),
                ));
                1
            }
            Some(end) => start.steps_until(end),
            None => 1,
        },
        (None, Some(s)) if !(1..=max_steps).contains(&s) => {
            c.push(
                Problem::new(hp.key("steps"), format!("{s} steps is out of range"))
                    .hint(format!("expected 1 to {max_steps} ({MAX_YEARS} years)")),
            );
            1
        }
        (None, Some(s)) if start.offset(s).year() > 9999 => {
            c.push(
                Problem::new(
                    hp.key("steps"),
                    format!(
                        "the horizon ends at {}, after the year 9999",
                        start.offset(s)
                    ),
                )
                .hint("years run from 1000 to 9999"),
            );
            1
        }
        (None, Some(s)) => s,
    };
    let end = start.offset(steps);
    let runs = match h.runs {
        None => 10_000,
        Some(r) => {
            if !(1..=MAX_RUNS).contains(&r) {
                c.push(
                    Problem::new(hp.key("runs"), format!("{r} runs is out of range"))
                        .hint(format!("expected 1 to {MAX_RUNS}")),
                );
            }
            r.max(1) as u64
        }
    };
    let seed = match h.seed {
        None => 0,
        Some(s) if s < 0 => {
            c.push(
                Problem::new(hp.key("seed"), format!("seed {s} is negative"))
                    .hint("expected an integer in [0, 2^63)"),
            );
            0
        }
        Some(s) => s as u64,
    };
    let thresholds = match &h.thresholds {
        Some(t) => c.thresholds(&hp.key("thresholds"), t),
        None => base.thresholds,
    };
    let source_ids: Vec<&str> = base.sources.iter().map(|s| s.id.as_str()).collect();
    let evidence = c.evidence(&root.key("evidence"), &file.evidence, &source_ids);
    check_supported_paths(
        &mut c,
        &supportable_paths(base),
        &root.key("evidence"),
        &evidence,
    );

    let model = merge::overrides(&mut c, file, base);
    let driver_ids: Vec<&str> = base.drivers.iter().map(|d| d.id.as_str()).collect();
    let mut events = Vec::new();
    for (i, ev) in file.events.iter().enumerate() {
        let p = root.key("events").index(i);
        let driver = c.lookup(&p.key("driver"), &ev.driver, &driver_ids, "driver");
        let at = c.period(&p.key("at"), &ev.at, spy);
        if let Some(at) = at
            && (at <= start || at > end)
        {
            c.push(
                Problem::new(p.key("at"), format!("event at {at} is outside the horizon"))
                    .hint(format!("events change steps: put them after {start} (the initial state) and at or before {end}")),
            );
        }
        let action = match (ev.shift, ev.set) {
            (Some(shift), None) => Some(EventAction::Shift(c.number(
                &p.key("shift"),
                shift,
                Bound::Any,
            ))),
            (None, Some(set)) => Some(EventAction::Set(c.number(&p.key("set"), set, Bound::Unit))),
            (Some(_), Some(_)) => {
                c.push(Problem::new(
                    p.clone(),
                    "an event has `shift` or `set`, not both",
                ));
                None
            }
            (None, None) => {
                c.push(
                    Problem::new(p.clone(), "an event needs `shift` or `set`")
                        .hint("shift = 0.1 adds to the driver; set = 0.9 replaces it"),
                );
                None
            }
        };
        if let (Some(driver), Some(at), Some(action)) = (driver, at, action) {
            events.push(Event {
                at,
                driver,
                action,
                label: ev.label.clone(),
            });
        }
    }

    let scenario = Scenario {
        name: h.name.clone(),
        title: h.title.clone(),
        description: h.description.clone(),
        model,
        start,
        steps: steps.max(1) as usize,
        runs,
        seed,
        thresholds,
        events,
        evidence,
    };
    c.finish(scenario)
}

/// The initial values a scenario that starts before its model must set and
/// does not (docs/spec.md, reading 13): the model's values describe the
/// model's start, not an earlier date. Paths as the files write them.
fn initials_not_set(file: &ScenarioFile, base: &Model) -> Vec<String> {
    let drivers = base
        .drivers
        .iter()
        .filter(|d| file.drivers.get(&d.id).is_none_or(|p| p.initial.is_none()))
        .map(|d| format!("drivers.{}.initial", d.id));
    let engagements = base.actors.iter().flat_map(|a| {
        base.domains
            .iter()
            .filter(|d| {
                file.engagement
                    .get(&a.id)
                    .and_then(|by_domain| by_domain.get(&d.id))
                    .is_none_or(|p| p.initial.is_none())
            })
            .map(move |d| format!("engagement.{}.{}.initial", a.id, d.id))
    });
    drivers.chain(engagements).collect()
}
