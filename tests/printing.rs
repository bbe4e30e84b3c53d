//! Every command prints through the one path that ends quietly on a closed
//! pipe: `coopsim check ... | head -1` once panicked. Every table that shows
//! an interval says which of the two kinds it is, and none calls a
//! difference real or significant.

use crate::common::{coopsim, data, root};
use std::ffi::OsString;
use std::process::{Command, Stdio};

/// 3000 files' worth of `ok:` lines into a pipe whose reader is gone:
/// no panic (exit 101), no panic message.
#[test]
fn check_into_a_closed_pipe_ends_quietly() {
    let model = data("models/tiny.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_coopsim"))
        .arg("check")
        .args(std::iter::repeat_n(&model, 3000))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closing the read end at once: every write after it fails with EPIPE.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() != Some(101) && !stderr.contains("panicked"),
        "rule: a closed stdout ends a command quietly, never in a panic (exit 101); got \
         {:?}\n{stderr}\nfix: print through print() in src/cli/mod.rs, which ends quietly \
         on a broken pipe",
        out.status
    );
}

/// No `print!`/`println!` to stdout in the library or the binary: they
/// panic on a closed pipe. Print through `cli::print`.
#[test]
fn nothing_in_src_prints_with_print_macros() {
    let mut offenders = Vec::new();
    let mut dirs = vec![root("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    let bare = code.replace("eprintln!", "").replace("eprint!", "");
                    if bare.contains("println!") || bare.contains("print!(") {
                        offenders.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "rule: stdout is written only through cli::print, which ends quietly on a closed \
         pipe; print!/println! found:\n{}\nfix: replace each with print() in \
         src/cli/mod.rs (the library returns text for the binary to print)",
        offenders.join("\n")
    );
}

/// The names of the two kinds of interval, as the tables print them: the
/// simulation error of an estimate (it shrinks with more runs) and the
/// spread of possible futures (quantiles of the runs; it does not).
const SIMULATION: &str = "simulation error";
const FUTURES: &str = "spread of possible futures";

/// Verdicts that read an interval excluding 0 as a fact about the world.
const VERDICTS: &[&str] = &[
    "real difference",
    "is real",
    "significant",
    "robust",
    "in every simulated future",
    "in every future",
    "95% ci",
    "confidence interval",
];

/// The table of `coopsim ARGS`, which must succeed.
#[track_caller]
fn table(args: &[OsString]) -> String {
    let out = coopsim().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "rule: the commands whose tables are checked succeed; `coopsim {args:?}` exited \
         {:?}:\n{}\nfix: the command, or its arguments in tests/printing.rs",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `text` shows something that reads as an interval: quantiles, a
/// band's coverage, a bracketed pair of numbers or the word itself.
fn shows_an_interval(text: &str) -> bool {
    let bracketed = text.match_indices('[').any(|(i, _)| {
        let rest = &text[i + 1..];
        let number = rest.trim_start_matches(['+', '-']);
        number.starts_with(|c: char| c.is_ascii_digit())
            && rest.split(']').next().is_some_and(|inside| {
                inside.contains(", ") || (inside.contains('-') && !inside.starts_with('-'))
            })
    });
    bracketed
        || ["p05", "p95", "interval", "cov90"]
            .iter()
            .any(|w| text.contains(w))
}

/// Every command's table, on the tiny test model with few runs, and the
/// words it must print: each kind of interval it shows, named.
fn tables() -> Vec<(&'static str, String, Vec<&'static str>)> {
    let s = |p: &str| -> OsString { data(p).into() };
    let a = |list: &[&str]| -> Vec<OsString> { list.iter().map(OsString::from).collect() };
    let with = |mut head: Vec<OsString>, tail: &[OsString]| {
        head.extend(tail.iter().cloned());
        head
    };
    let (tiny, easing) = (s("scenarios/tiny.toml"), s("scenarios/tiny-easing.toml"));
    let (still, observed) = (s("scenarios/tiny-still.toml"), s("observations/tiny.toml"));
    vec![
        (
            "run",
            table(&with(
                a(&["run", "-q", "--runs", "40"]),
                std::slice::from_ref(&tiny),
            )),
            vec![FUTURES, SIMULATION],
        ),
        (
            "compare",
            table(&with(
                a(&["compare", "-q", "--runs", "40"]),
                &[tiny.clone(), easing.clone()],
            )),
            vec![
                FUTURES,
                "the simulation error of the mean difference",
                "simulation error  spread of futures",
                "resolved by the simulation (95% interval excludes 0)",
            ],
        ),
        (
            "score",
            table(&with(
                a(&["score", "-q", "--runs", "40"]),
                &[tiny.clone(), easing.clone()],
            )),
            vec![FUTURES, SIMULATION],
        ),
        (
            "sweep",
            table(&with(
                a(&["sweep", "-q", "--runs", "40", "--set"]),
                &["drivers.pressure.target=0.2,0.8".into(), tiny.clone()],
            )),
            vec![FUTURES, SIMULATION],
        ),
        (
            "sensitivity (tornado)",
            table(&with(
                a(&["sensitivity", "-q", "--runs", "40"]),
                std::slice::from_ref(&tiny),
            )),
            vec![
                "no interval is shown",
                "not on the spread of possible futures",
            ],
        ),
        (
            "sensitivity (sobol)",
            table(&with(
                a(&["sensitivity", "-q", "--method", "sobol", "--samples", "64"]),
                std::slice::from_ref(&tiny),
            )),
            vec![FUTURES, "simulation error of the index", "95% sim. int."],
        ),
        (
            "sensitivity (morris)",
            table(&with(
                a(&[
                    "sensitivity",
                    "-q",
                    "--method",
                    "morris",
                    "--runs",
                    "20",
                    "--trajectories",
                    "4",
                ]),
                std::slice::from_ref(&tiny),
            )),
            vec!["no interval is shown", "not the spread of futures"],
        ),
        (
            "explain --vs",
            table(&with(
                a(&["explain", "-q", "--runs", "40"]),
                &[easing.clone(), "--vs".into(), tiny.clone()],
            )),
            vec![SIMULATION, "95% simulation interval"],
        ),
        (
            "backtest",
            table(&with(
                a(&["backtest", "-q", "--runs", "40"]),
                &[still.clone(), "--observed".into(), observed.clone()],
            )),
            vec![FUTURES, "band of futures"],
        ),
        (
            "calibrate",
            table(&with(
                a(&[
                    "calibrate",
                    "-q",
                    "--runs",
                    "40",
                    "--max-evaluations",
                    "6",
                    "--profile-points",
                    "3",
                    "--train",
                    "2026:2027",
                    "--test",
                    "2028:2028",
                    "--fit",
                    "engagement.a.trade.initial=0.1:0.9",
                ]),
                &[still, "--observed".into(), observed],
            )),
            vec![
                FUTURES,
                "neither simulation error nor the spread of futures",
            ],
        ),
    ]
}

/// A reader cannot tell the simulation's error from the world's
/// uncertainty unless the table says which an interval is: every table
/// that shows one names its kind, each command names the kinds it shows,
/// and no table reads an interval that excludes 0 as a real, significant
/// or robust difference.
#[test]
fn every_table_with_an_interval_says_which_kind_it_is() {
    for (command, text, words) in tables() {
        // Prose is wrapped at 80 columns: read it as one line of words.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            !shows_an_interval(&text) || flat.contains(SIMULATION) || flat.contains(FUTURES),
            "rule: a table that shows an interval says whether it is the {SIMULATION} of an \
             estimate or the {FUTURES}; `{command}` says neither:\n{text}\nfix: its legend in \
             src/output/"
        );
        for word in words {
            assert!(
                text.contains(word) || flat.contains(word),
                "rule: `{command}` names the kind of each interval it shows ({word:?}); got:\n\
                 {text}\nfix: its legend in src/output/ (docs/analysis.md, two kinds of \
                 interval)"
            );
        }
        let lower = flat.to_lowercase();
        for verdict in VERDICTS {
            assert!(
                !lower.contains(verdict),
                "rule: no table calls a difference {verdict:?}: an interval that excludes 0 \
                 says the simulation has resolved it, not that it matters; `{command}` \
                 does:\n{text}\nfix: its wording in src/output/"
            );
        }
    }
}

/// The check itself: it sees the intervals the tables print.
#[test]
fn the_check_recognises_intervals() {
    for shown in [
        "+0.32 [+0.32, +0.33]",
        "0.80 [0.68-0.94]",
        "[0.076, 0.106]",
        "p05 - p95",
        "95% interval",
    ] {
        assert!(
            shows_an_interval(shown),
            "rule: the check of tables/intervals recognises {shown:?}; fix: \
             shows_an_interval in tests/printing.rs"
        );
    }
    for plain in ["[1] text", "a [b, c]", "mean 40.1"] {
        assert!(
            !shows_an_interval(plain),
            "rule: the check recognises only intervals, not {plain:?}; fix: \
             shows_an_interval in tests/printing.rs"
        );
    }
}
/// The analysis guide and the README say which kind of interval is which,
/// and neither reads an interval excluding 0 as a fact about the world.
#[test]
fn the_guides_name_the_two_kinds_of_interval() {
    for file in ["docs/analysis.md", "README.md"] {
        let text = std::fs::read_to_string(root(file)).unwrap();
        assert!(
            text.contains("simulation error") && text.contains("spread of possible futures"),
            "rule: {file} names the two kinds of interval (simulation error, spread of \
             possible futures); fix: its Output and Analysis sections"
        );
        let lower = text.to_lowercase();
        for verdict in [
            "in every simulated future",
            "the difference is real",
            "is real,",
        ] {
            assert!(
                !lower.contains(verdict),
                "rule: {file} never reads an interval excluding 0 as a fact about the world \
                 ({verdict:?}); fix: say the simulation resolves it, beside the spread and \
                 P(>)"
            );
        }
    }
    let analysis = std::fs::read_to_string(root("docs/analysis.md")).unwrap();
    assert!(
        analysis.contains("## Two kinds of interval"),
        "rule: docs/analysis.md has a section \"Two kinds of interval\" near the top; fix: \
         docs/analysis.md"
    );
}
