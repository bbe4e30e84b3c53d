//! The shipped model and baseline, embedded so that `coopsim run` works from
//! any folder.

/// Built-in models by id.
pub const MODELS: &[(&str, &str)] = &[(
    "pakistan_russia",
    include_str!("../models/pakistan_russia.toml"),
)];

/// The built-in baseline scenario.
pub(crate) const BASELINE: &str = include_str!("../scenarios/baseline.toml");

/// The name under which the built-in baseline reports problems.
pub(crate) const BASELINE_NAME: &str = "<built-in>/scenarios/baseline.toml";

/// The text of the built-in model `id`.
pub fn model(id: &str) -> Option<&'static str> {
    MODELS.iter().find(|(m, _)| *m == id).map(|(_, text)| *text)
}
