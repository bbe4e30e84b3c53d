//! A scenario's overrides merged into its model: drivers (with their
//! jumps, which a scenario may change or add), actors, domain weights and
//! engagement, each checked as the model's own numbers are.

use super::checker::{Bound, Checker, check_jump_flags, check_jump_name, check_loadings};
use crate::input::diagnostics::{KeyPath, Problem, did_you_mean};
use crate::input::format::*;
use crate::model::*;

/// `base` with the scenario's overrides merged in; problems go to `c`.
pub(super) fn overrides(c: &mut Checker, file: &ScenarioFile, base: &Model) -> Model {
    let root = KeyPath::root();
    let spy = base.steps_per_year;
    let mut model = base.clone();
    let driver_ids: Vec<&str> = base.drivers.iter().map(|d| d.id.as_str()).collect();
    for (id, patch) in &file.drivers {
        let p = root.key("drivers").key(id);
        let Some(d) = c.lookup(&p, id, &driver_ids, "driver") else {
            continue;
        };
        let driver = &mut model.drivers[d];
        if let Some(text) = &patch.dynamics {
            driver.dynamics = Some(text.clone());
        }
        if let Some(raw) = &patch.initial {
            driver.initial = c.param(&p.key("initial"), raw, Bound::Unit);
        }
        if let Some(raw) = &patch.target {
            driver.target = c.target(&p.key("target"), raw, spy);
        }
        if let Some(raw) = &patch.reversion {
            driver.reversion_per_year = c.param(&p.key("reversion"), raw, Bound::NonNegative);
        }
        if let Some(raw) = &patch.volatility {
            driver.volatility = c.param(&p.key("volatility"), raw, Bound::NonNegative);
        }
        let mut seen: Vec<Jump> = Vec::new();
        for (i, j) in patch.jumps.iter().enumerate() {
            let jp = p.key("jumps").index(i);
            check_jump_name(c, &jp, &j.name, &seen);
            check_jump_flags(c, &jp, j.persistent, j.once);
            seen.push(Jump {
                name: j.name.clone(),
                description: None,
                rate_per_year: Param::Fixed(0.0),
                size: Param::Fixed(0.0),
                persistent: false,
                once: false,
            });
            let rate = j
                .rate
                .as_ref()
                .map(|r| c.param(&jp.key("rate"), r, Bound::NonNegative));
            let size = j
                .size
                .as_ref()
                .map(|s| c.param(&jp.key("size"), s, Bound::Any));
            match driver
                .jumps
                .iter_mut()
                .find(|existing| existing.name == j.name)
            {
                Some(existing) => {
                    existing.rate_per_year = rate.unwrap_or(existing.rate_per_year);
                    existing.size = size.unwrap_or(existing.size);
                    existing.persistent = j.persistent.unwrap_or(existing.persistent);
                    existing.once = j.once.unwrap_or(existing.once);
                    if j.description.is_some() {
                        existing.description = j.description.clone();
                    }
                }
                None => match (rate, size) {
                    (Some(rate_per_year), Some(size)) => driver.jumps.push(Jump {
                        name: j.name.clone(),
                        description: j.description.clone(),
                        rate_per_year,
                        size,
                        persistent: j.persistent.unwrap_or(false),
                        once: j.once.unwrap_or(false),
                    }),
                    _ => c.push(
                        Problem::new(
                            jp.clone(),
                            format!("new jump \"{}\" needs `rate` and `size`", j.name),
                        )
                        .maybe_hint(
                            did_you_mean(&j.name, driver.jumps.iter().map(|x| x.name.as_str()))
                                .map(|h| format!("{h} (the model's jump of that name)")),
                        ),
                    ),
                },
            }
        }
    }

    let actor_ids: Vec<&str> = base.actors.iter().map(|a| a.id.as_str()).collect();
    for (id, patch) in &file.actors {
        let p = root.key("actors").key(id);
        let Some(a) = c.lookup(&p, id, &actor_ids, "actor") else {
            continue;
        };
        if let Some(raw) = &patch.adjustment {
            model.actors[a].adjustment_per_year =
                c.param(&p.key("adjustment"), raw, Bound::NonNegative);
        }
        if let Some(raw) = &patch.reciprocity {
            model.actors[a].reciprocity = c.param(&p.key("reciprocity"), raw, Bound::Unit);
        }
    }

    let domain_ids: Vec<&str> = base.domains.iter().map(|d| d.id.as_str()).collect();
    for (id, patch) in &file.domains {
        let p = root.key("domains").key(id);
        let Some(k) = c.lookup(&p, id, &domain_ids, "domain") else {
            continue;
        };
        if let Some(w) = patch.weight {
            model.domains[k].weight = c.number(&p.key("weight"), w, Bound::Positive);
        }
    }

    for (actor, row) in &file.engagement {
        let ap = root.key("engagement").key(actor);
        let Some(a) = c.lookup(&ap, actor, &actor_ids, "actor") else {
            continue;
        };
        for (domain, patch) in row {
            let p = ap.key(domain);
            let Some(k) = c.lookup(&p, domain, &domain_ids, "domain") else {
                continue;
            };
            let e = &mut model.engagement[a][k];
            if let Some(raw) = &patch.initial {
                e.initial = c.param(&p.key("initial"), raw, Bound::Unit);
            }
            if let Some(raw) = &patch.bias {
                e.bias = c.param(&p.key("bias"), raw, Bound::Any);
            }
            for (driver, w) in &patch.weights {
                let wp = p.key("weights").key(driver);
                if let Some(d) = c.lookup(&wp, driver, &driver_ids, "driver") {
                    e.weights[d] = c.param(&wp, w, Bound::Any);
                }
            }
        }
    }

    let factor_ids: Vec<&str> = base.factors.iter().map(|f| f.id.as_str()).collect();
    for (id, patch) in &file.factors {
        let p = root.key("factors").key(id);
        c.needs_kernel_2(&p, "a factor");
        let Some(f) = c.lookup(&p, id, &factor_ids, "factor") else {
            continue;
        };
        for (driver, &l) in &patch.loadings {
            let lp = p.key("loadings").key(driver);
            if let Some(d) = c.lookup(&lp, driver, &driver_ids, "driver") {
                model.factors[f].loadings[d] = c.loading(&lp, l);
            }
        }
    }
    if !file.factors.is_empty() {
        let written = |factor: &str, driver: &str| {
            file.factors
                .get(factor)
                .is_some_and(|p| p.loadings.contains_key(driver))
        };
        check_loadings(
            c,
            &root.key("factors"),
            &model.factors,
            &model.drivers,
            &written,
        );
    }
    model
}
