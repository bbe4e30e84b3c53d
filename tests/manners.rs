//! The first hour at the terminal: every table fits 80 columns, `run`
//! keeps to one screen, the mistakes students make get a hint (exit 2),
//! colour follows --color and NO_COLOR, and --out keeps an earlier result
//! unless --force.

use crate::common::{coopsim, data, root, shipped_scenario_path};
use std::ffi::OsString;
use std::path::Path;

/// The width every terminal table fits in.
const WIDTH: usize = 80;

/// Columns a line takes on a terminal: characters, not bytes (`±`, `“`,
/// `█` are one column each; nothing we print is double width).
fn columns(line: &str) -> usize {
    line.chars().count()
}

fn scenario(name: &str) -> OsString {
    shipped_scenario_path(name).into()
}

/// The stdout and stderr of `coopsim args`, which must succeed.
#[track_caller]
fn ok(args: &[OsString]) -> (String, String) {
    let out = coopsim().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "rule: `coopsim {args:?}` succeeds; it exited {:?}:\n{stderr}\nfix: the command",
        out.status.code()
    );
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// The stderr of `coopsim args`, which must fail with exit code 2.
#[track_caller]
fn refused(args: &[&OsString]) -> String {
    let out = coopsim().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "rule: a mistake in the input exits 2; `coopsim {args:?}` gave:\n{stderr}\nfix: src/cli/"
    );
    stderr
}

fn os(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

/// Every command's default table, on the shipped model and scenarios
/// (with few runs), has no line wider than 80 columns.
#[test]
fn every_table_fits_80_columns() {
    let (base, stall, relief) = (
        scenario("baseline"),
        scenario("cpec-stall"),
        scenario("sanctions-relief"),
    );
    let history = scenario("history-2003");
    let observed: OsString = root("data/pakistan_russia.toml").into();
    let model: OsString = root("models/pakistan_russia.toml").into();
    let q = OsString::from("-q");
    let calls: Vec<Vec<OsString>> = vec![
        [os(&["run", "--runs", "200"]), vec![q.clone()]].concat(),
        [
            os(&["run", "--all", "--runs", "200", "-q"]),
            vec![base.clone()],
        ]
        .concat(),
        [
            os(&["compare", "--runs", "200", "-q"]),
            vec![base.clone(), stall.clone(), relief.clone()],
        ]
        .concat(),
        [os(&["explain"]), vec![scenario("sanctions-escalation")]].concat(),
        [
            os(&["explain", "--runs", "200", "-q", "--vs"]),
            vec![base.clone(), scenario("sanctions-escalation")],
        ]
        .concat(),
        [
            os(&["score", "--runs", "200", "-q"]),
            vec![base.clone(), stall.clone(), relief.clone()],
        ]
        .concat(),
        [
            os(&[
                "sweep",
                "--runs",
                "100",
                "-q",
                "--set",
                "engagement.russia.energy.weights.sanctions=0,1",
                "--set",
                "drivers.energy.target=0.3,0.7",
            ]),
            vec![base.clone()],
        ]
        .concat(),
        [
            os(&[
                "sweep",
                "--runs",
                "50",
                "-q",
                "--set",
                "drivers.sanctions.target=0.2:1.0:0.4",
            ]),
            vec![base.clone()],
        ]
        .concat(),
        [
            os(&["sensitivity", "--runs", "20", "-q"]),
            vec![base.clone()],
        ]
        .concat(),
        [
            os(&[
                "sensitivity",
                "--method",
                "sobol",
                "--samples",
                "16",
                "--runs",
                "1",
                "-q",
            ]),
            vec![base.clone()],
        ]
        .concat(),
        [
            os(&[
                "sensitivity",
                "--method",
                "morris",
                "--trajectories",
                "2",
                "--runs",
                "10",
                "-q",
            ]),
            vec![base.clone()],
        ]
        .concat(),
        [
            os(&["backtest", "--runs", "100", "-q", "--observed"]),
            vec![observed.clone(), history.clone()],
        ]
        .concat(),
        [
            os(&[
                "calibrate",
                "--runs",
                "20",
                "-q",
                "--fit",
                "actors.russia.reciprocity=0:1",
                "--train",
                "2003:2015",
                "--test",
                "2016:2025",
                "--observed",
            ]),
            vec![observed.clone(), history.clone()],
        ]
        .concat(),
        os(&["drivers"]),
        [os(&["check"]), vec![model, base.clone(), history, observed]].concat(),
        os(&["bench", "--runs", "200"]),
    ];
    for args in calls {
        let (out, _) = ok(&args);
        let mut previous = 0;
        for line in out.lines() {
            assert!(
                columns(line) <= WIDTH,
                "rule: no line of a table is wider than {WIDTH} columns; `coopsim {args:?}` printed \
                 {} columns:\n{line}\nfix: the table's layout in src/output/ (prose is wrapped by \
                 output::wrap::fit)",
                columns(line)
            );
            // A wrapped table row leaves a lone number on a line, or a
            // line of cells starting with a number under a full row.
            let first = line.split_whitespace().next().unwrap_or("");
            let fragment = line.trim().parse::<f64>().is_ok()
                || (previous > 70
                    && line.starts_with("    ")
                    && !line.starts_with("     ")
                    && first.parse::<f64>().is_ok());
            previous = columns(line);
            assert!(
                !fragment,
                "rule: a table row is laid out to fit, never wrapped; `coopsim {args:?}` printed a \
                 wrapped column {line:?}:\n{out}\nfix: the table's layout in src/output/"
            );
        }
    }
}

/// `run` leads with the composite and its verdict on one screen (24 lines);
/// --all shows every index, --index one, and an unknown name is refused
/// with the list of names.
#[test]
fn run_keeps_to_one_screen_and_shows_what_is_asked() {
    let (out, _) = ok(&os(&["run", "--runs", "200", "-q"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.len() < 24,
        "rule: `coopsim run` keeps to one 24-line screen with its prompt; it printed {}:\n{out}\nfix: \
         src/output/table.rs",
        lines.len()
    );
    assert!(lines[2].starts_with("verdict: median composite"), "{out}");
    assert!(
        out.contains("composite index") && !out.contains("economic index"),
        "{out}"
    );
    let (all, _) = ok(&os(&["run", "--runs", "200", "-q", "--all"]));
    for index in [
        "composite",
        "diplomatic",
        "economic",
        "energy",
        "security",
        "connectivity",
    ] {
        assert!(
            all.contains(&format!("{index} index (0-100)")),
            "rule: --all shows {index}; {all}"
        );
    }
    assert!(
        all.contains("drivers (0-1)"),
        "rule: --all shows the drivers"
    );
    let (one, _) = ok(&os(&["run", "--runs", "200", "-q", "--index", "energy"]));
    assert!(
        one.contains("energy index") && !one.contains("composite index"),
        "{one}"
    );
    let bad = OsString::from("--index");
    let name = OsString::from("trade");
    let e = refused(&[&"run".into(), &bad, &name]);
    assert!(
        e.contains("no index \"trade\"") && e.contains("composite, diplomatic, economic"),
        "rule: an unknown --index is refused with the names; {e}"
    );
}

/// The mistakes of a first hour, each refused with exit 2 and a hint that
/// says what to write.
#[test]
fn student_mistakes_get_hints() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| -> OsString {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.into()
    };
    let no_header = write(
        "no-header.toml",
        "name = \"mine\"\nmodel = \"pakistan_russia\"\nstart = \"2026Q1\"\nend = \"2030Q4\"\n",
    );
    let lower_q = write(
        "lower-q.toml",
        "[scenario]\nname = \"q\"\nmodel = \"pakistan_russia\"\nstart = \"2026Q1\"\nend = \"2030Q4\"\n\n\
         [[events]]\nat = \"2027q2\"\ndriver = \"sanctions\"\nshift = 0.1\n",
    );
    let at_start = write(
        "at-start.toml",
        "[scenario]\nname = \"s\"\nmodel = \"pakistan_russia\"\nstart = \"2026Q1\"\nend = \"2030Q4\"\n\n\
         [[events]]\nat = \"2026Q1\"\ndriver = \"sanctions\"\nshift = 0.1\n",
    );
    let missing: OsString = dir.path().join("nope.toml").into();
    let folder: OsString = dir.path().into();
    let (run, check) = (OsString::from("run"), OsString::from("check"));
    let cases: Vec<(Vec<&OsString>, &[&str])> = vec![
        (
            vec![&run, &no_header],
            &[
                "missing its [scenario] table header",
                "hint: write a line `[scenario]`",
            ],
        ),
        (
            vec![&check, &no_header],
            &["missing its [scenario] table header"],
        ),
        (vec![&run, &lower_q], &["did you mean 2027Q2"]),
        (
            vec![&run, &at_start],
            &[
                "start period 2026Q1 cannot act",
                "initial state",
                "2026Q2 or later",
            ],
        ),
        (vec![&run, &missing], &["cannot read", "hint: no file"]),
        (vec![&check, &folder], &["is a folder", "hint:"]),
    ];
    for (args, wanted) in cases {
        let e = refused(&args);
        for w in wanted {
            assert!(
                e.contains(w),
                "rule: `coopsim {args:?}` says {w:?}; it said:\n{e}\nfix: src/input/"
            );
        }
    }
    for (flag, value, wanted) in [
        (
            "--runs",
            "10,000",
            "commas are not read as thousands separators",
        ),
        ("--runs", "0.5", "a whole number in [1, 10^9], like 10000"),
        ("--seed", "-1", "[0, 2^63)"),
    ] {
        let args: Vec<OsString> = os(&["run", flag, value]);
        let e = refused(&args.iter().collect::<Vec<_>>());
        assert!(
            e.contains(wanted) && e.contains("hint:"),
            "rule: {flag} {value} gets a hint; {e}"
        );
    }
    let (out, _) = ok(&os(&["run", "--runs", "1e2", "-q", "--format", "json"]));
    assert!(
        out.contains("\"runs\": 100"),
        "rule: --runs 1e2 is 100 runs"
    );
    let (out, _) = ok(&os(&["run", "--runs", "1_00", "-q", "--format", "json"]));
    assert!(
        out.contains("\"runs\": 100"),
        "rule: --runs 1_00 is 100 runs"
    );
}

/// `check` reports every problem of a file in one pass: here three that do
/// not depend on each other.
#[test]
fn check_reports_every_problem_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("three.toml");
    std::fs::write(
        &path,
        "[scenario]\nname = \"three\"\nmodel = \"pakistan_russia\"\nstart = \"2026Q1\"\nend = \"2030Q4\"\n\
         runs = 0\n\n[[events]]\nat = \"2026q3\"\ndriver = \"sanctions\"\nshift = 0.1\n\n\
         [[events]]\nat = \"2027Q1\"\ndriver = \"sanctions\"\nshift = 0.1\nnote = \"typo for label\"\n",
    )
    .unwrap();
    let e = refused(&[&"check".into(), &path.clone().into()]);
    for wanted in [
        "unknown key \"note\"",
        "runs is out of range",
        "did you mean 2026Q3",
    ] {
        assert!(
            e.contains(wanted),
            "rule: check reports every problem of a file at once; {wanted:?} is missing:\n{e}\n\
             fix: parse_all in src/input/mod.rs"
        );
    }
    assert_eq!(
        e.matches("error:").count(),
        3,
        "rule: one error per problem, no more:\n{e}"
    );
}

/// --color always colours the `error:` word, never and NO_COLOR (with auto)
/// do not, and JSON is never coloured.
#[test]
fn colour_follows_the_flag_and_no_color() {
    let bad = |color: &str, no_color: Option<&str>| {
        let mut cmd = coopsim();
        cmd.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd
            .args(["run", "--color", color, "--index", "trade"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(
        bad("always", None).contains("\u{1b}["),
        "rule: --color always colours errors"
    );
    assert!(
        bad("always", Some("1")).contains("\u{1b}["),
        "rule: always overrides NO_COLOR"
    );
    assert!(
        !bad("never", None).contains('\u{1b}'),
        "rule: --color never does not colour"
    );
    assert!(
        !bad("auto", Some("1")).contains('\u{1b}'),
        "rule: auto honours NO_COLOR"
    );
    assert!(
        !bad("auto", None).contains('\u{1b}'),
        "rule: auto colours only a terminal"
    );
    let (table, _) = ok(&os(&["run", "--runs", "100", "-q", "--color", "always"]));
    assert!(
        table.contains("\u{1b}[") && table.contains("verdict:"),
        "rule: the verdict is coloured"
    );
    for format in ["json", "csv"] {
        let (out, _) = ok(&os(&[
            "run", "--runs", "100", "-q", "--color", "always", "--format", format,
        ]));
        assert!(!out.contains('\u{1b}'), "rule: {format} is never coloured");
    }
}

/// Every command with --out says what it wrote, refuses to replace that
/// result without --force (exit 2 with the hint), and replaces it with.
#[test]
fn out_says_what_it_wrote_and_keeps_a_result_without_force() {
    let tiny: OsString = data("scenarios/tiny.toml").into();
    let easing: OsString = data("scenarios/tiny-easing.toml").into();
    let history = scenario("history-2003");
    let observed: OsString = root("data/pakistan_russia.toml").into();
    let parts = tempfile::tempdir().unwrap();
    ok(&[
        os(&["run", "--runs", "50", "-q", "--shard", "1/1", "--out"]),
        vec![parts.path().into(), tiny.clone()],
    ]
    .concat());
    let commands: Vec<(Vec<OsString>, &str)> = vec![
        (
            [os(&["run", "--runs", "50", "-q"]), vec![tiny.clone()]].concat(),
            "result.json",
        ),
        (
            [
                os(&["compare", "--runs", "50", "-q"]),
                vec![tiny.clone(), easing.clone()],
            ]
            .concat(),
            "comparison.json",
        ),
        (
            [
                os(&["score", "--runs", "50", "-q"]),
                vec![tiny.clone(), easing.clone()],
            ]
            .concat(),
            "scores.json",
        ),
        (
            [os(&["explain"]), vec![easing.clone()]].concat(),
            "assumptions.json",
        ),
        (
            [
                os(&[
                    "sweep",
                    "--runs",
                    "20",
                    "-q",
                    "--set",
                    "drivers.pressure.target=0.2,0.8",
                ]),
                vec![tiny.clone()],
            ]
            .concat(),
            "sweep.json",
        ),
        (
            [
                os(&["sensitivity", "--runs", "10", "-q"]),
                vec![tiny.clone()],
            ]
            .concat(),
            "tornado.json",
        ),
        (
            [
                os(&["backtest", "--runs", "20", "-q", "--observed"]),
                vec![observed.clone(), history.clone()],
            ]
            .concat(),
            "backtest.json",
        ),
        (
            [os(&["bench", "--runs", "100"]), vec![tiny.clone()]].concat(),
            "bench.json",
        ),
        (
            [os(&["merge"]), vec![parts.path().into()]].concat(),
            "result.json",
        ),
        (
            [
                os(&[
                    "calibrate",
                    "--runs",
                    "10",
                    "-q",
                    "--fit",
                    "actors.russia.reciprocity=0:1",
                    "--train",
                    "2003:2015",
                    "--observed",
                ]),
                vec![observed.clone(), history.clone()],
            ]
            .concat(),
            "calibration.json",
        ),
    ];
    for (args, file) in commands {
        let dir = tempfile::tempdir().unwrap();
        let out: OsString = dir.path().join("out").into();
        let with_out = [args.clone(), vec!["--out".into(), out.clone()]].concat();
        let (_, said) = ok(&with_out);
        let written = Path::new(&out).join(file);
        assert!(
            written.exists(),
            "rule: `coopsim {args:?} --out` writes {file}"
        );
        assert!(
            said.contains(&format!("wrote {}", written.display())),
            "rule: --out says what it wrote; `coopsim {args:?}` said:\n{said}\nfix: OutputArgs in \
             src/cli/mod.rs"
        );
        let e = refused(&with_out.iter().collect::<Vec<_>>());
        assert!(
            e.contains("already holds") && e.contains("--force"),
            "rule: --out refuses to replace a result without --force; `coopsim {args:?}` said \
             {e}"
        );
        ok(&[with_out, vec!["--force".into()]].concat());
    }
}

/// `--help` of the program and of every command fits 80 columns (with
/// COLUMNS=80, as in an 80-column terminal), lists the commands in the
/// order a user needs them, and never breaks an example mid-command:
/// each example line is a command or a `\`-continued part of one.
#[test]
fn help_fits_80_columns_in_the_order_of_use() {
    let help = |args: &[&str]| {
        let out = coopsim()
            .env("COLUMNS", "80")
            .args(args)
            .arg("--help")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let top = help(&[]);
    let listed: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let order = [
        "run",
        "compare",
        "explain",
        "score",
        "drivers",
        "check",
        "sweep",
        "sensitivity",
        "backtest",
        "calibrate",
        "merge",
        "bench",
    ];
    let ours: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|c| order.contains(c))
        .collect();
    assert_eq!(
        ours, order,
        "rule: --help lists the commands in the order of use; fix: display_order in src/cli/mod.rs"
    );
    assert!(
        top.contains("coopsim compare "),
        "rule: the top-level examples show compare"
    );
    for command in [
        &[][..],
        &["run"],
        &["compare"],
        &["explain"],
        &["score"],
        &["drivers"],
        &["check"],
        &["sweep"],
        &["sensitivity"],
        &["backtest"],
        &["calibrate"],
        &["merge"],
        &["bench"],
    ] {
        let text = help(command);
        for line in text.lines() {
            assert!(
                columns(line) <= WIDTH,
                "rule: `coopsim {command:?} --help` fits {WIDTH} columns:\n{line}\nfix: src/cli/"
            );
        }
        let mut continued = false;
        for line in text
            .lines()
            .skip_while(|l| !l.starts_with("Examples:"))
            .skip(1)
        {
            assert!(
                line.starts_with("  coopsim ") || (continued && line.starts_with("      ")),
                "rule: an example in `coopsim {command:?} --help` is a whole command, continued \
                 with `\\`; this line is not:\n{line:?}\nfix: the EXAMPLES of src/cli/"
            );
            continued = line.ends_with('\\');
        }
    }
}
