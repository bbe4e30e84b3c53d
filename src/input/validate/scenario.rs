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
    let mut c = Checker {
        kernel: i64::from(base.kernel),
        ..Checker::default()
    };
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
    let model = merge::overrides(&mut c, file, base);
    // Against the merged model: a scenario may cite what it adds (a
    // keyframe, a loading, a jump) and not what it removes.
    check_supported_paths(
        &mut c,
        &supportable_paths(&model),
        &root.key("evidence"),
        &evidence,
    );
    let (events, decisions) = events(&mut c, file, base, start, end);

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
        decisions,
        evidence,
    };
    c.finish(scenario)
}

/// The scenario's events: on drivers (`shift` or `set`), and in kernel 2
/// the decisions of actors (`bias_shift`), each within the horizon.
fn events(
    c: &mut Checker,
    file: &ScenarioFile,
    base: &Model,
    start: Period,
    end: Period,
) -> (Vec<Event>, Vec<Decision>) {
    let root = KeyPath::root();
    let spy = base.steps_per_year;
    let driver_ids: Vec<&str> = base.drivers.iter().map(|d| d.id.as_str()).collect();
    let actor_ids: Vec<&str> = base.actors.iter().map(|a| a.id.as_str()).collect();
    let domain_ids: Vec<&str> = base.domains.iter().map(|d| d.id.as_str()).collect();
    let (mut events, mut decisions) = (Vec::new(), Vec::new());
    for (i, ev) in file.events.iter().enumerate() {
        let p = root.key("events").index(i);
        let at = c.period(&p.key("at"), &ev.at, spy);
        if let Some(at) = at
            && at == start
        {
            c.push(
                Problem::new(
                    p.key("at"),
                    format!("an event at the start period {start} cannot act"),
                )
                .hint(format!(
                    "{start} is the initial state, which events do not change; events act from \
                     the next period: put it at {} or later",
                    start.offset(1)
                )),
            );
        } else if let Some(at) = at
            && (at < start || at > end)
        {
            c.push(
                Problem::new(p.key("at"), format!("event at {at} is outside the horizon"))
                    .hint(format!("events change steps: put them after {start} (the initial state) and at or before {end}")),
            );
        }
        match (&ev.driver, &ev.actor) {
            (Some(_), Some(_)) if c.kernel < 2 => {
                c.needs_kernel_2(&p.key("actor"), "a decision (an event on an actor)");
            }
            (Some(_), Some(_)) => c.push(
                Problem::new(p.clone(), "an event names a `driver` or an `actor`, not both")
                    .hint("a driver event moves a driver; a decision (`actor`, `bias_shift`) moves an actor's bias"),
            ),
            (None, None) => c.push(
                Problem::new(p.clone(), "an event needs a `driver` or an `actor`")
                    .hint("driver = \"sanctions\" with shift or set; or, in kernel 2, actor = \"russia\" with bias_shift"),
            ),
            (Some(driver), None) => {
                for (given, key) in [(ev.domain.is_some(), "domain"), (ev.bias_shift.is_some(), "bias_shift")] {
                    if given && c.kernel < 2 {
                        c.needs_kernel_2(&p.key(key), &format!("`{key}` (a key of decisions)"));
                    } else if given {
                        c.push(
                            Problem::new(p.key(key), format!("a driver event takes no `{key}`"))
                                .hint("`domain` and `bias_shift` belong to decisions, which name an `actor` instead of a `driver`"),
                        );
                    }
                }
                let driver = c.lookup(&p.key("driver"), driver, &driver_ids, "driver");
                let action = event_action(c, &p, ev);
                if let (Some(driver), Some(at), Some(action)) = (driver, at, action) {
                    events.push(Event {
                        at,
                        driver,
                        action,
                        label: ev.label.clone(),
                    });
                }
            }
            (None, Some(actor)) => {
                c.needs_kernel_2(&p.key("actor"), "a decision (an event on an actor)");
                for (given, key) in [(ev.shift.is_some(), "shift"), (ev.set.is_some(), "set")] {
                    if given {
                        c.push(
                            Problem::new(p.key(key), format!("a decision takes no `{key}`"))
                                .hint("a decision moves the actor's bias: write bias_shift = ..."),
                        );
                    }
                }
                let actor = c.lookup(&p.key("actor"), actor, &actor_ids, "actor");
                let domain = match &ev.domain {
                    Some(d) => c.lookup(&p.key("domain"), d, &domain_ids, "domain").map(Some),
                    None => Some(None),
                };
                let bias_shift = match ev.bias_shift {
                    Some(b) => Some(c.number(&p.key("bias_shift"), b, Bound::Any)),
                    None => {
                        c.push(
                            Problem::new(p.clone(), "a decision needs `bias_shift`")
                                .hint("bias_shift = 1.5 raises the actor's bias (the logit of its aim) from `at` on"),
                        );
                        None
                    }
                };
                if let (Some(actor), Some(domain), Some(bias_shift), Some(at)) =
                    (actor, domain, bias_shift, at)
                {
                    decisions.push(Decision {
                        at,
                        actor,
                        domain,
                        bias_shift,
                        label: ev.label.clone(),
                    });
                }
            }
        }
    }
    (events, decisions)
}

/// A driver event's `shift` or `set`: exactly one.
fn event_action(c: &mut Checker, p: &KeyPath, ev: &EventSpec) -> Option<EventAction> {
    match (ev.shift, ev.set) {
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
    }
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
