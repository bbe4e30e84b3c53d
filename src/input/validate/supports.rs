//! Evidence `supports`: every path names a number of the model.

use super::checker::Checker;
use crate::input::diagnostics::{KeyPath, Problem, did_you_mean};
use crate::model::*;

/// The paths that evidence may support: every number of the model
/// (docs/spec.md, Settled readings 10 and 20).
pub(crate) fn supportable_paths(model: &Model) -> Vec<ParamPath> {
    model.values().map(|(path, _)| path).collect()
}

/// Checks the `supports` of every evidence entry of a checked model.
pub(super) fn check_supports(c: &mut Checker, model: &Model) {
    let known = supportable_paths(model);
    let mut check = |base: KeyPath, evidence: &[Evidence]| {
        check_supported_paths(c, &known, &base, evidence);
    };
    for a in &model.actors {
        check(
            KeyPath::parse(&format!("actors.{}.evidence", a.id)),
            &a.evidence,
        );
    }
    for d in &model.domains {
        check(
            KeyPath::parse(&format!("domains.{}.evidence", d.id)),
            &d.evidence,
        );
    }
    for d in &model.drivers {
        check(
            KeyPath::parse(&format!("drivers.{}.evidence", d.id)),
            &d.evidence,
        );
    }
    for f in &model.factors {
        check(
            KeyPath::parse(&format!("factors.{}.evidence", f.id)),
            &f.evidence,
        );
    }
    for (a, row) in model.actors.iter().zip(&model.engagement) {
        for (k, e) in model.domains.iter().zip(row) {
            check(
                KeyPath::parse(&format!("engagement.{}.{}.evidence", a.id, k.id)),
                &e.evidence,
            );
        }
    }
}

/// Reports every `supports` path of `evidence` that names no number of the model.
pub(super) fn check_supported_paths(
    c: &mut Checker,
    known: &[ParamPath],
    base: &KeyPath,
    evidence: &[Evidence],
) {
    let texts: Vec<String> = known.iter().map(ParamPath::to_string).collect();
    for (i, e) in evidence.iter().enumerate() {
        for (j, s) in e.supports.iter().enumerate() {
            let found = s.parse::<ParamPath>().is_ok_and(|p| known.contains(&p));
            if !found {
                let near = did_you_mean(s, texts.iter().map(String::as_str));
                c.push(
                    Problem::new(
                        base.index(i).key("supports").index(j),
                        format!("\"{s}\" names no parameter of this model"),
                    )
                    .maybe_hint(near.or_else(|| {
                        Some("paths are written as in the files, e.g. engagement.<actor>.<domain>.weights.<driver>".into())
                    })),
                );
            }
        }
    }
}
