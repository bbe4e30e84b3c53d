//! Model files: header, sources, actors, domains, drivers and the
//! engagement table, every actor in every domain.

use super::checker::{Bound, Checker, check_jump_flags, check_jump_name, check_loadings};
use super::supports::check_supports;
use super::{KERNEL_VERSIONS, kernels_run};
use crate::input::diagnostics::{KeyPath, Problem};
use crate::input::format::*;
use crate::model::*;

/// Checks a model file and turns it into a [`Model`].
pub fn model(file: &ModelFile) -> Result<Model, Vec<Problem>> {
    let mut c = Checker::default();
    let root = KeyPath::root();
    let header = &file.model;
    let hp = root.key("model");

    c.id(&hp.key("id"), &header.id, "model");
    if !KERNEL_VERSIONS.contains(&header.kernel) {
        c.push(
            Problem::new(
                hp.key("kernel"),
                format!("unsupported kernel version {}", header.kernel),
            )
            .hint(kernels_run()),
        );
    }
    c.kernel = header.kernel;
    let spy = match u32::try_from(header.steps_per_year) {
        Ok(s) if STEPS_PER_YEAR.contains(&s) => s,
        _ => {
            c.push(
                Problem::new(
                    hp.key("steps_per_year"),
                    format!("{} steps a year is not supported", header.steps_per_year),
                )
                .hint("expected 1, 2, 4 or 12"),
            );
            4
        }
    };
    let start = c
        .period(&hp.key("start"), &header.start, spy)
        .unwrap_or(Period::new(2000, 1, spy));
    let thresholds = c.thresholds(&hp.key("thresholds"), &header.thresholds);

    let source_ids: Vec<&str> = file.sources.keys().map(String::as_str).collect();
    let mut sources = Vec::new();
    for (id, s) in &file.sources {
        let p = root.key("sources").key(id);
        c.id(&p, id, "source");
        if s.title.trim().is_empty() {
            c.push(Problem::new(p.key("title"), "title is empty"));
        }
        sources.push(Source {
            id: id.clone(),
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            date: s.date.clone(),
            file: s.file.clone(),
            url: s.url.clone(),
        });
    }

    let mut actors = Vec::new();
    for (id, a) in &file.actors {
        let p = root.key("actors").key(id);
        c.id(&p, id, "actor");
        actors.push(Actor {
            id: id.clone(),
            title: a.title.clone().unwrap_or_else(|| id.clone()),
            adjustment_per_year: c.param(&p.key("adjustment"), &a.adjustment, Bound::NonNegative),
            reciprocity: c.param(&p.key("reciprocity"), &a.reciprocity, Bound::Unit),
            evidence: c.evidence(&p.key("evidence"), &a.evidence, &source_ids),
        });
    }
    if actors.len() < 2 {
        c.push(
            Problem::new(
                root.key("actors"),
                format!("a model needs at least two actors, found {}", actors.len()),
            )
            .hint("cooperation needs every side: add [actors.<id>] tables"),
        );
    }

    let mut domains = Vec::new();
    for (id, d) in &file.domains {
        let p = root.key("domains").key(id);
        c.id(&p, id, "domain");
        domains.push(Domain {
            id: id.clone(),
            title: d.title.clone().unwrap_or_else(|| id.clone()),
            weight: c.number(&p.key("weight"), d.weight, Bound::Positive),
            evidence: c.evidence(&p.key("evidence"), &d.evidence, &source_ids),
        });
    }
    if domains.is_empty() {
        c.push(
            Problem::new(root.key("domains"), "a model needs at least one domain")
                .hint("add a [domains.<id>] table with a weight"),
        );
    }

    let mut drivers = Vec::new();
    for (id, d) in &file.drivers {
        let p = root.key("drivers").key(id);
        c.id(&p, id, "driver");
        let mut jumps: Vec<Jump> = Vec::new();
        for (i, j) in d.jumps.iter().enumerate() {
            let jp = p.key("jumps").index(i);
            check_jump_name(&mut c, &jp, &j.name, &jumps);
            check_jump_flags(&mut c, &jp, j.persistent, j.once);
            jumps.push(Jump {
                name: j.name.clone(),
                description: j.description.clone(),
                rate_per_year: c.param(&jp.key("rate"), &j.rate, Bound::NonNegative),
                size: c.param(&jp.key("size"), &j.size, Bound::Any),
                persistent: j.persistent.unwrap_or(false),
                once: j.once.unwrap_or(false),
            });
        }
        drivers.push(Driver {
            id: id.clone(),
            title: d.title.clone().unwrap_or_else(|| id.clone()),
            meaning: d.meaning.clone(),
            dynamics: d.dynamics.clone(),
            initial: c.param(&p.key("initial"), &d.initial, Bound::Unit),
            target: c.target(&p.key("target"), &d.target, spy),
            reversion_per_year: c.param(&p.key("reversion"), &d.reversion, Bound::NonNegative),
            volatility: c.param(&p.key("volatility"), &d.volatility, Bound::NonNegative),
            jumps,
            evidence: c.evidence(&p.key("evidence"), &d.evidence, &source_ids),
        });
    }

    let actor_ids: Vec<&str> = file.actors.keys().map(String::as_str).collect();
    let domain_ids: Vec<&str> = file.domains.keys().map(String::as_str).collect();
    let driver_ids: Vec<&str> = file.drivers.keys().map(String::as_str).collect();

    let mut factors = Vec::new();
    for (id, f) in &file.factors {
        let p = root.key("factors").key(id);
        c.id(&p, id, "factor");
        c.needs_kernel_2(&p, "a factor");
        for (text, field) in [(&f.title, "title"), (&f.meaning, "meaning")] {
            if text.trim().is_empty() {
                c.push(Problem::new(p.key(field), format!("{field} is empty")));
            }
        }
        let mut loadings = vec![0.0; drivers.len()];
        for (driver, &l) in &f.loadings {
            let lp = p.key("loadings").key(driver);
            if let Some(d) = c.lookup(&lp, driver, &driver_ids, "driver") {
                loadings[d] = c.loading(&lp, l);
            }
        }
        factors.push(Factor {
            id: id.clone(),
            title: f.title.clone(),
            meaning: f.meaning.clone(),
            loadings,
            evidence: c.evidence(&p.key("evidence"), &f.evidence, &source_ids),
        });
    }
    check_loadings(&mut c, &root.key("factors"), &factors, &drivers, &|_, _| {
        true
    });
    let mut engagement: Vec<Vec<Option<Engagement>>> =
        vec![vec![None; domains.len()]; actors.len()];
    for (actor, row) in &file.engagement {
        let ap = root.key("engagement").key(actor);
        let Some(a) = c.lookup(&ap, actor, &actor_ids, "actor") else {
            continue;
        };
        for (domain, e) in row {
            let p = ap.key(domain);
            let Some(k) = c.lookup(&p, domain, &domain_ids, "domain") else {
                continue;
            };
            let mut weights = vec![Param::Fixed(0.0); drivers.len()];
            for (driver, w) in &e.weights {
                let wp = p.key("weights").key(driver);
                if let Some(d) = c.lookup(&wp, driver, &driver_ids, "driver") {
                    weights[d] = c.param(&wp, w, Bound::Any);
                }
            }
            engagement[a][k] = Some(Engagement {
                initial: c.param(&p.key("initial"), &e.initial, Bound::Unit),
                bias: e.bias.as_ref().map_or(Param::Fixed(0.0), |b| {
                    c.param(&p.key("bias"), b, Bound::Any)
                }),
                weights,
                evidence: c.evidence(&p.key("evidence"), &e.evidence, &source_ids),
            });
        }
    }
    let mut complete = Vec::with_capacity(actors.len());
    for (a, row) in engagement.into_iter().enumerate() {
        let mut full = Vec::with_capacity(row.len());
        for (k, e) in row.into_iter().enumerate() {
            match e {
                Some(e) => full.push(e),
                None => {
                    let (actor, domain) = (&actors[a].id, &domains[k].id);
                    c.push(
                        Problem::new(
                            root.key("engagement"),
                            format!("missing [engagement.{actor}.{domain}]"),
                        )
                        .hint(
                            "every actor needs an engagement table with `initial` for every domain",
                        ),
                    );
                }
            }
        }
        complete.push(full);
    }

    let model = Model {
        id: header.id.clone(),
        title: header.title.clone(),
        kernel: u32::try_from(header.kernel).unwrap_or(1),
        steps_per_year: spy,
        start,
        thresholds,
        sources,
        actors,
        domains,
        drivers,
        factors,
        engagement: complete,
    };
    if c.problems.is_empty() {
        check_supports(&mut c, &model);
    }
    c.finish(model)
}
