//! The terminal tables and CSV files of the commands, as a user sees them,
//! pinned as snapshots under `tests/snapshots/`. A deliberate change of
//! output is reviewed and accepted with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test snapshots::` and a look at the diff);
//! under CI a missing or different snapshot fails.
//!
//! The runs are few and on the tiny test model, so the snapshots are small
//! and change only when the output's form or the kernel's numbers do.

use crate::common::{coopsim, data};
use std::ffi::OsString;

/// The stdout of a successful `coopsim` with `args`.
#[track_caller]
fn output(args: &[OsString]) -> String {
    let out = coopsim().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "rule: the snapshot commands succeed; `coopsim {args:?}` exited {:?}:\n{}\nfix: the \
         command, or its arguments in tests/snapshots.rs",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("rule: output is UTF-8; fix: the command's renderer in src/output/")
}

fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

fn tiny() -> OsString {
    data("scenarios/tiny.toml").into()
}

fn easing() -> OsString {
    data("scenarios/tiny-easing.toml").into()
}

fn with(mut head: Vec<OsString>, files: &[OsString]) -> Vec<OsString> {
    head.extend(files.iter().cloned());
    head
}

/// Every index and the drivers (`--all`).
#[test]
fn run_table() {
    let text = output(&with(
        args(&["run", "--runs", "60", "--quiet", "--all"]),
        &[tiny()],
    ));
    insta::assert_snapshot!("run_table", text);
}

#[test]
fn run_csv() {
    let text = output(&with(
        args(&["run", "--runs", "60", "--quiet", "--format", "csv"]),
        &[tiny()],
    ));
    insta::assert_snapshot!("run_csv", text);
}

/// The first table a new user sees: `coopsim run` on the built-in baseline.
#[test]
fn run_builtin_baseline_table() {
    let text = output(&args(&["run", "--runs", "60", "--quiet"]));
    insta::assert_snapshot!("run_builtin_baseline_table", text);
}

#[test]
fn compare_table() {
    let text = output(&with(
        args(&["compare", "--runs", "60", "--quiet"]),
        &[tiny(), easing()],
    ));
    insta::assert_snapshot!("compare_table", text);
}

#[test]
fn compare_csv() {
    let text = output(&with(
        args(&["compare", "--runs", "60", "--quiet", "--format", "csv"]),
        &[tiny(), easing()],
    ));
    insta::assert_snapshot!("compare_csv", text);
}

#[test]
fn score_table() {
    let text = output(&with(
        args(&["score", "--runs", "60", "--quiet"]),
        &[tiny(), easing()],
    ));
    insta::assert_snapshot!("score_table", text);
}

#[test]
fn score_csv() {
    let text = output(&with(
        args(&["score", "--runs", "60", "--quiet", "--format", "csv"]),
        &[tiny(), easing()],
    ));
    insta::assert_snapshot!("score_csv", text);
}

#[test]
fn explain_table() {
    let text = output(&with(args(&["explain"]), &[easing()]));
    insta::assert_snapshot!("explain_table", text);
}

#[test]
fn explain_csv() {
    let text = output(&with(args(&["explain", "--format", "csv"]), &[easing()]));
    insta::assert_snapshot!("explain_csv", text);
}

#[test]
fn drivers_table() {
    let text = output(&[
        "drivers".into(),
        "--model".into(),
        data("models/tiny.toml").into(),
    ]);
    insta::assert_snapshot!("drivers_table", text);
}
