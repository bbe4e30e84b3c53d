//! Parameter paths: every number of the shipped and tiny models is named by
//! a path that reads back to itself, and every parameter can be reached and
//! changed by its path.

use crate::common::{data, root};
use coopsim::input;
use coopsim::model::{Model, Param, ParamPath};

fn load(path: &std::path::Path) -> Model {
    input::load_model(path)
        .unwrap_or_else(|e| panic!("{e}"))
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
            "{}: the walk over the model's numbers found only {} paths; \
             Model::values must visit thresholds, targets, parameters and weights",
            path.display(),
            paths.len()
        );
        for p in paths {
            let text = p.to_string();
            assert_eq!(
                text.parse::<ParamPath>().as_ref(),
                Ok(&p),
                "{text} does not read back as the path it was printed from; \
                 ParamPath's FromStr and Display must agree"
            );
        }
    }
}

#[test]
fn every_listed_parameter_can_be_reached_by_its_path() {
    let mut m = load(&data("models/tiny.toml"));
    let listed: Vec<(ParamPath, Param)> = m.params().map(|(p, v)| (p, *v)).collect();
    for (path, value) in &listed {
        let p = m
            .param_mut(path)
            .unwrap_or_else(|| panic!("Model::params lists {path}, but param_mut cannot reach it"));
        assert_eq!(*p, *value, "param_mut({path}) reaches another parameter");
        *p = Param::Fixed(0.123);
    }
    assert!(
        m.params().all(|(_, p)| *p == Param::Fixed(0.123)),
        "some parameter listed by Model::params was not changed through its path"
    );
    for text in [
        "drivers.pressure.target",
        "engagement.a.trade.weights.nothing",
        "drivers.nothing.initial",
    ] {
        assert!(
            m.param_mut(&text.parse().unwrap()).is_none(),
            "{text} names no parameter, but param_mut returned one"
        );
    }
}
