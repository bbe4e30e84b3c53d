//! The integration tests: one binary, a module per concern, data under
//! `tests/data/`.

mod common;

mod backtest;
mod browser;
mod calibrate;
mod cli;
mod compare;
mod determinism;
mod draws;
mod explain;
mod face_validity;
mod input_errors;
mod kernel;
mod kernel2;
mod kernel_paths;
mod layers;
mod manners;
mod manual;
mod outputs;
mod param_paths;
mod parts;
mod printing;
mod report;
mod score;
mod sensitivity;
mod shards;
mod shipped_model;
mod snapshots;
mod statistics;
mod sweep;
mod value_stability;
