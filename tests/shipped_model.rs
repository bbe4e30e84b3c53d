//! The shipped model and scenarios: they load, the built-in copies are the
//! files, and every quote is verbatim from the document it cites.

use crate::common::{
    SHIPPED_MODELS, SHIPPED_SCENARIOS, baseline, builtin, root, shipped, shipped_model,
    shipped_model_path, shipped_scenario_path,
};
use coopsim::input::{self, ModelSearch};
use coopsim::model::{Evidence, Model};
use coopsim::output::{Export, JsonExport};
use coopsim::{RunOptions, run};
use std::collections::HashSet;
use std::path::PathBuf;

/// The shipped models, by id, loaded.
fn models() -> impl Iterator<Item = (PathBuf, Model)> {
    SHIPPED_MODELS
        .iter()
        .map(|id| (shipped_model_path(id), shipped_model(id).model))
}

#[test]
fn every_shipped_model_and_scenario_is_valid() {
    let files = SHIPPED_MODELS
        .iter()
        .map(|id| shipped_model_path(id))
        .chain(SHIPPED_SCENARIOS.iter().map(|n| shipped_scenario_path(n)));
    for path in files {
        if let Err(e) = input::check_file(&path, &ModelSearch::default()) {
            panic!(
                "rule: every shipped model and scenario is valid; {}: {e}; fix: correct the \
                 file, or (for a scenario) remove it from SHIPPED_SCENARIOS in tests/common.rs \
                 and from docs/scenarios.md",
                path.display()
            );
        }
    }
}

/// The list of shipped scenarios the suite checks is the table of shipped
/// what-ifs in docs/scenarios.md, and every one of them is a file.
#[test]
fn the_shipped_scenario_list_is_the_documented_one() {
    let doc = std::fs::read_to_string(root("docs/scenarios.md"))
        .expect("rule: docs/scenarios.md documents the shipped scenarios; fix: restore the file");
    let table = doc
        .split("## The shipped what-ifs")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect(
            "rule: docs/scenarios.md has a section \"## The shipped what-ifs\"; fix: restore \
             the section and its table",
        );
    let documented: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let mut listed: Vec<&str> = SHIPPED_SCENARIOS.to_vec();
    let mut in_doc = documented.clone();
    listed.sort_unstable();
    in_doc.sort_unstable();
    assert_eq!(
        listed, in_doc,
        "rule: SHIPPED_SCENARIOS in tests/common.rs names exactly the scenarios of the table \
         in docs/scenarios.md; fix: add a new shipped scenario to both, or remove a withdrawn \
         one from both"
    );
    for name in SHIPPED_SCENARIOS {
        let path = shipped_scenario_path(name);
        assert!(
            path.is_file(),
            "rule: every scenario in SHIPPED_SCENARIOS is a file in scenarios/ ({} is \
             missing); fix: restore the file or remove {name:?} from the list and the docs",
            path.display()
        );
    }
}

/// The model has the actors, domains and drivers docs/spec.md names, quarterly.
#[test]
fn the_shipped_model_has_what_spec_names() {
    let m = shipped_model("pakistan_russia").model;
    let ids = |v: Vec<&str>| v.join(",");
    assert_eq!(
        ids(m.actors.iter().map(|a| a.id.as_str()).collect()),
        "pakistan,russia",
        "rule: the shipped model's actors are those docs/spec.md names, in order; fix: \
         restore models/pakistan_russia.toml's [actors]"
    );
    assert_eq!(
        ids(m.domains.iter().map(|d| d.id.as_str()).collect()),
        "diplomatic,economic,energy,security,connectivity",
        "rule: the shipped model's domains are those docs/spec.md names, in order; fix: \
         restore models/pakistan_russia.toml's [domains]"
    );
    for driver in ["sanctions", "india_ties", "cpec", "afghanistan", "energy"] {
        let i = m.driver_index(driver).unwrap_or_else(|| {
            panic!(
                "rule: the shipped model has the drivers docs/spec.md names; {driver} is \
                 missing; fix: restore [drivers.{driver}] in models/pakistan_russia.toml"
            )
        });
        let d = &m.drivers[i];
        let fix = format!("fix: add it to [drivers.{driver}] in models/pakistan_russia.toml");
        assert!(
            d.meaning.is_some(),
            "rule: every shipped driver says what 0 and 1 mean ({driver} has no `meaning`); {fix}"
        );
        assert!(
            d.dynamics.is_some(),
            "rule: every shipped driver explains its dynamics ({driver} has no `dynamics`); {fix}"
        );
        assert!(
            !d.evidence.is_empty(),
            "rule: every shipped driver has evidence ({driver} has none); {fix}"
        );
    }
    assert_eq!(
        m.steps_per_year, 4,
        "rule: the shipped model is quarterly; fix: set steps_per_year = 4"
    );
}

/// Files a user saves in `scenarios/` (as the README's walkthrough does) are
/// not the project's: no test lists the folder, every test names the
/// shipped files it checks through `SHIPPED_SCENARIOS`.
#[test]
fn no_test_treats_every_file_in_scenarios_as_shipped() {
    // Built from pieces so that this file does not match itself.
    let listing = ["read_dir", "("].concat();
    let shipped_folders = [
        ["root(\"", "scenarios\")"].concat(),
        ["root(", "folder)"].concat(),
    ];
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root("tests")).expect("rule: tests/ is readable; fix: none") {
        let path = entry.expect("rule: tests/ is readable; fix: none").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.contains(&listing) && shipped_folders.iter().any(|f| line.contains(f)) {
                found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "rule: tests check the shipped scenarios by name (SHIPPED_SCENARIOS in \
         tests/common.rs), never every file in scenarios/, where users save their own; found:\n{}\n\
         fix: iterate over SHIPPED_SCENARIOS instead",
        found.join("\n")
    );
}

/// `coopsim run` with no scenario gives the same bytes as the shipped files.
#[test]
fn the_built_in_baseline_is_the_shipped_file() {
    let built_in = builtin();
    let file = baseline();
    assert_eq!(
        built_in.sha256, file.sha256,
        "rule: the built-in baseline is the bytes of scenarios/baseline.toml; fix: rebuild \
         (the binary embeds the file), or restore the file"
    );
    assert_eq!(
        built_in.base.sha256, file.base.sha256,
        "rule: the built-in model is the bytes of models/pakistan_russia.toml; fix: rebuild \
         (the binary embeds the file), or restore the file"
    );
    let options = RunOptions {
        runs: 500,
        seed: 1,
        threads: 0,
    };
    assert_eq!(
        JsonExport.render(&run(&built_in, options, &|_| {})),
        JsonExport.render(&run(&file, options, &|_| {})),
        "rule: the built-in baseline runs exactly as the shipped files; fix: load the \
         built-in copies the way the files are loaded"
    );
}

/// Quotes are compared after collapsing whitespace (the documents wrap
/// lines) and removing the backslash of Markdown-escaped `\$`.
fn normalise(text: &str) -> String {
    text.replace("\\$", "$")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the source documents are: `COOPSIM_SOURCES`, or `None` when the
/// variable is unset outside CI. The documents are not shipped, so a plain
/// `cargo test` in a fresh clone skips the quote check and says so; under CI
/// (`CI` set, as every CI service does) a missing folder is a failure, so
/// the check can never pass by being skipped.
fn sources_folder() -> Option<PathBuf> {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    let set = std::env::var_os("COOPSIM_SOURCES").filter(|v| !v.is_empty());
    match set.map(PathBuf::from) {
        Some(folder) => {
            assert!(
                folder.is_dir(),
                "rule: COOPSIM_SOURCES names the folder of the source documents ({} is not a \
                 folder); fix: point it at the documents, e.g. COOPSIM_SOURCES=../shared/sources",
                folder.display()
            );
            Some(folder)
        }
        None if ci => panic!(
            "rule: under CI the quote check runs against the source documents, but \
             COOPSIM_SOURCES is unset; fix: set COOPSIM_SOURCES to their folder (.ci/run uses \
             ../shared/sources)"
        ),
        None => {
            eprintln!(
                "SKIPPED shipped_model::every_quote_is_verbatim_from_its_source_document: \
                 COOPSIM_SOURCES is unset, so quotes were not checked against the source \
                 documents; to run it: COOPSIM_SOURCES=../shared/sources cargo test shipped_model"
            );
            None
        }
    }
}

/// Every quote appears word for word in the document its source names, in
/// the models and in the shipped scenarios; a source without a document (a
/// press report) names its url, publisher and date instead. Needs `COOPSIM_SOURCES` (the
/// folder of the documents, which are not shipped): without it, a plain
/// `cargo test` SKIPS this check and prints how to run it; under CI
/// (`CI=true`) a missing folder fails the test.
#[test]
fn every_quote_is_verbatim_from_its_source_document() {
    let Some(folder) = sources_folder() else {
        return;
    };
    let mut cited: Vec<(String, Model, Vec<Evidence>)> = Vec::new();
    for (path, m) in models() {
        let evidence = m.evidence().cloned().collect();
        cited.push((path.display().to_string(), m, evidence));
    }
    for name in SHIPPED_SCENARIOS {
        let s = shipped(name).scenario;
        cited.push((format!("scenarios/{name}.toml"), s.model, s.evidence));
    }
    let mut failures = Vec::new();
    for (file, model, evidence) in &cited {
        for e in evidence {
            let source = &model.sources[e.source];
            // A press report is cited by its address; its quotes cannot be
            // checked here, so it must say where and when it appeared.
            let Some(name) = &source.file else {
                if source.url.is_none() || source.publisher.is_none() || source.date.is_none() {
                    failures.push(format!(
                        "{file}: source {} names no file, so it needs a url, a publisher and a \
                         date (fix: give it a `file` among the documents, or all three)",
                        source.id
                    ));
                }
                continue;
            };
            let text = std::fs::read_to_string(folder.join(name)).unwrap_or_else(|err| {
                panic!(
                    "rule: every source a quote cites is a document in COOPSIM_SOURCES; {}: \
                     {err}; fix: add the document, or correct the source's `file`",
                    folder.join(name).display()
                )
            });
            if !normalise(&text).contains(&normalise(&e.quote)) {
                failures.push(format!("{file}: {}: {:?}", source.id, e.quote));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "rule: every quote is word for word in the document its source names; not found:\n{}\n\
         fix: copy the quote exactly from the document (whitespace may differ)",
        failures.join("\n")
    );
}

/// Every number a reader would ask "why?" of is named in the `supports` of
/// at least one evidence entry: each initial engagement, each nonzero bias,
/// each nonzero weight, and each driver's initial value.
#[test]
fn every_engagement_number_is_supported_by_evidence() {
    for (path, m) in models() {
        let supported: HashSet<&str> = m
            .evidence()
            .flat_map(|e| e.supports.iter().map(String::as_str))
            .collect();
        let mut needed: Vec<String> = m
            .drivers
            .iter()
            .map(|d| format!("drivers.{}.initial", d.id))
            .collect();
        for (a, row) in m.actors.iter().zip(&m.engagement) {
            for (k, e) in m.domains.iter().zip(row) {
                let p = format!("engagement.{}.{}", a.id, k.id);
                needed.push(format!("{p}.initial"));
                if !e.bias.is_zero() {
                    needed.push(format!("{p}.bias"));
                }
                for (d, w) in m.drivers.iter().zip(&e.weights) {
                    if !w.is_zero() {
                        needed.push(format!("{p}.weights.{}", d.id));
                    }
                }
            }
        }
        let missing: Vec<&String> = needed
            .iter()
            .filter(|p| !supported.contains(p.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "rule: every number a reader would ask \"why?\" of is named in some evidence's \
             `supports`; {}: no evidence supports:\n{}\nfix: add the path to the `supports` \
             of the evidence behind it, or add evidence",
            path.display(),
            missing
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Quotes are short: the project ships citations, not the articles.
#[test]
fn quotes_are_short() {
    for (path, m) in models() {
        for e in m.evidence() {
            let words = e.quote.split_whitespace().count();
            assert!(
                words <= 45,
                "rule: quotes are at most 45 words (the project ships citations, not \
                 articles); {}: {words} words: {:?}; fix: quote the sentence that matters",
                path.display(),
                e.quote
            );
        }
    }
}

/// The baseline starts where the record of 2025 stands on its documented
/// maps (data/pakistan_russia.toml, docs/model.md): each domain's mean start
/// within half a rung (10 points) of its latest observation, so the model's
/// index and the record's are one scale.
#[test]
fn the_baseline_starts_where_the_record_of_2025_stands() {
    let loaded = builtin();
    let r = coopsim::run(
        &loaded,
        coopsim::RunOptions {
            runs: 2000,
            seed: 1,
            threads: 0,
        },
        &|_| {},
    );
    // The latest value of each measure (trade: 2024, $1B; energy: 2024).
    let record = [
        ("diplomatic", 80.0),
        ("economic", 65.1),
        ("energy", 80.0),
        ("security", 60.0),
        ("connectivity", 60.0),
    ];
    for (domain, observed) in record {
        let start = r.indices[domain].mean[0];
        assert!(
            (start - observed).abs() <= 10.0,
            "rule: the baseline's {domain} index starts within half a rung (10 points) of \
             the record's latest value ({observed}); it starts at {start}; fix: the initial \
             engagements of models/pakistan_russia.toml (docs/model.md, 'Where it starts')"
        );
    }
}

/// Every engagement bias carries the uncertainty its calibration on
/// 2003–2015 left (docs/model.md, "Calibration"): a distribution, never a
/// point.
#[test]
fn every_bias_is_a_fitted_distribution() {
    let m = shipped_model("pakistan_russia").model;
    for (a, row) in m.actors.iter().zip(&m.engagement) {
        for (k, e) in m.domains.iter().zip(row) {
            assert!(
                !matches!(e.bias, coopsim::model::Param::Fixed(_)),
                "rule: every bias of the shipped model is fitted with its uncertainty, a \
                 distribution; engagement.{}.{}.bias is a point; fix: carry its calibration \
                 profile into the model (docs/model.md, 'Calibration')",
                a.id,
                k.id
            );
        }
    }
}
