//! Parameter paths: every number of the shipped and tiny models is named by
//! a path that reads back to itself, and every parameter can be reached and
//! changed by its path.

use crate::common::{data, root};
use coopsim::input;
use coopsim::model::{Model, Param, ParamPath};

fn load(path: &std::path::Path) -> Model {
    input::load_model(path)
        .unwrap_or_else(|e| {
            panic!(
                "rule: the models the suite walks load without errors; {}: {e}; fix: correct \
                 the file (coopsim check shows every problem)",
                path.display()
            )
        })
        .model
}

#[test]
fn every_path_of_the_shipped_model_round_trips_through_its_text() {
    for path in [
        root("models/pakistan_russia.toml"),
        data("models/tiny.toml"),
    ] {
        let model = load(&path);
        let paths: Vec<ParamPath> = model.values().map(|(p, _)| p).collect();
        assert!(
            paths.len() > 10,
            "rule: the walk over a model's numbers visits thresholds, targets, parameters \
             and weights; {}: it found only {} paths; fix: Model::values in src/model/path.rs",
            path.display(),
            paths.len()
        );
        for p in paths {
            let text = p.to_string();
            assert_eq!(
                text.parse::<ParamPath>().as_ref(),
                Ok(&p),
                "rule: a parameter path reads back as the path it was printed from \
                 (docs/spec.md reading 20); {text} does not; fix: ParamPath's FromStr and \
                 Display in src/model/path.rs must agree"
            );
        }
    }
}

#[test]
fn every_listed_parameter_can_be_reached_by_its_path() {
    let mut m = load(&data("models/tiny.toml"));
    let listed: Vec<(ParamPath, Param)> = m.params().map(|(p, v)| (p, *v)).collect();
    for (path, value) in &listed {
        let p = m.param_mut(path).unwrap_or_else(|| {
            panic!(
                "rule: every parameter Model::params lists can be reached by its path; \
                 param_mut cannot reach {path}; fix: Model::param_mut in src/model/path.rs"
            )
        });
        assert_eq!(
            *p, *value,
            "rule: param_mut(path) reaches the parameter listed under that path; \
             param_mut({path}) reaches another; fix: Model::param_mut in src/model/path.rs"
        );
        *p = Param::Fixed(0.123);
    }
    assert!(
        m.params().all(|(_, p)| *p == Param::Fixed(0.123)),
        "rule: every parameter Model::params lists can be changed through its path; some \
         kept their value; fix: Model::param_mut in src/model/path.rs must return the \
         parameter itself, not a copy"
    );
    for text in [
        "drivers.pressure.target",
        "engagement.a.trade.weights.nothing",
        "drivers.nothing.initial",
    ] {
        assert!(
            m.param_mut(&text.parse().unwrap()).is_none(),
            "rule: param_mut refuses a path that names no parameter; {text} returned one; \
             fix: Model::param_mut in src/model/path.rs"
        );
    }
}
