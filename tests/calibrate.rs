//! Calibration recovers parameters from observations the model itself
//! generated, refuses what it cannot fit, and writes a scenario that loads.

use crate::common::{coopsim, data, load};
use coopsim::RunOptions;
use coopsim::analysis::backtest::Window;
use coopsim::analysis::calibrate::{Calibration, Fit, Setup, calibrate};
use coopsim::input::vary::{Setting, vary};
use coopsim::input::{self, LoadedObservations, LoadedScenario};
use coopsim::sim::{Plan, collect_cells};
use std::fmt::Write;
use std::sync::atomic::AtomicBool;

const PATH: &str = "engagement.a.trade.bias";
const TRUTH: f64 = 1.0;

/// The tiny model over ten years.
fn long_tiny() -> LoadedScenario {
    let text = std::fs::read_to_string(data("scenarios/tiny.toml"))
        .unwrap()
        .replace("end = \"2028Q4\"", "end = \"2035Q4\"");
    input::parse_scenario_on(
        "tiny-long.toml",
        text.as_bytes(),
        load(&data("scenarios/tiny.toml")).base,
    )
    .expect("rule: the tiny scenario runs to 2035Q4; fix: tests/data/scenarios/tiny.toml")
}

/// One run of the model with the bias at `TRUTH` (seed 99, not the seed
/// the calibration runs with), observed every year on both indices, as
/// an observations file on the index scale.
fn synthetic_record(loaded: &LoadedScenario) -> LoadedObservations {
    let truth = vary(loaded, &[Setting::new(PATH, TRUTH).unwrap()]).unwrap();
    let plan = Plan::new(&truth.scenario, 99);
    let s = &truth.scenario;
    let years: Vec<i64> = (2026..=2035).collect();
    let mut text = String::from(
        "[observations]\ntitle = \"synthetic\"\nmodel = \"tiny\"\n\n[sources.model]\ntitle = \
         \"one run\"\npublisher = \"coopsim\"\ndate = \"2026\"\n",
    );
    for (series, index) in [(1usize, "trade"), (2, "talks")] {
        let cells: Vec<usize> = years
            .iter()
            .map(|y| {
                let t = s.start.steps_until(coopsim::model::Period::new(*y, 4, 4)) as usize;
                t * plan.n_series() + series
            })
            .collect();
        let values = collect_cells(&plan, 0..1, 1, &|_| {}, &cells);
        let _ = write!(
            text,
            "\n[measures.{index}]\ntitle = \"{index}\"\nindex = \"{index}\"\nmap = {{ kind = \
             \"linear\", low = 0, high = 100 }}\n"
        );
        for (y, v) in years.iter().zip(&values) {
            let _ = write!(
                text,
                "\n[[measures.{index}.values]]\nperiod = \"{y}\"\nvalue = {}\ngrade = \
                 \"firm\"\nsource = \"model\"\n",
                v[0]
            );
        }
    }
    input::parse_observations("synthetic.toml", text.as_bytes(), &loaded.base.model)
        .expect("rule: the synthetic record is a valid observations file")
}

fn setup() -> Setup {
    Setup {
        fits: vec![Fit::parse(&format!("{PATH}=-3:3")).unwrap()],
        priors: vec![],
        train: Window::parse("2026:2031").unwrap(),
        test: Some(Window::parse("2032:2035").unwrap()),
        max_evaluations: 60,
        profile_points: 25,
    }
}

fn fit(loaded: &LoadedScenario, record: &LoadedObservations) -> Calibration {
    let options = RunOptions {
        runs: 200,
        seed: 5,
        threads: 0,
    };
    calibrate(
        loaded,
        record,
        &setup(),
        options,
        &AtomicBool::new(false),
        &|_, _| {},
    )
    .expect("rule: the synthetic calibration runs; fix: src/analysis/calibrate.rs")
}

/// From observations of one run at a known bias, the fit lands on it
/// within what the record can tell apart: the values whose objective is
/// within one standard error (over the 12 training observations) of the
/// profile's minimum, widened by one profile step.
#[test]
fn calibration_recovers_a_parameter_from_the_models_own_runs() {
    let loaded = long_tiny();
    let record = synthetic_record(&loaded);
    let c = fit(&loaded, &record);
    let fitted = c.fitted[PATH];
    let profile = &c.profiles[PATH];
    let step = 6.0 / (profile.values.len() - 1) as f64;
    let (lo, hi) = (profile.within[0] - step, profile.within[1] + step);
    assert!(
        (lo..=hi).contains(&TRUTH) && (lo..=hi).contains(&fitted),
        "rule: calibration recovers a parameter from the model's own runs, within the \
         record's resolution; truth {TRUTH}, fitted {fitted}, the record allows {lo}..{hi}; \
         fix: the objective or search in src/analysis/calibrate.rs"
    );
    assert!(
        profile.verdict == "pinned",
        "rule: 12 yearly observations of two indices pin a bias that moves the trade index \
         strongly; the profile says {} ({:?}); fix: profiles() in src/analysis/calibrate.rs",
        profile.verdict,
        profile.within
    );
    assert!(
        c.train.crps <= c.before.train.crps,
        "rule: the fit never scores worse than the start on the training years; {} > {}; \
         fix: the best point kept in src/analysis/calibrate.rs",
        c.train.crps,
        c.before.train.crps
    );
}

/// Same inputs, same fit: the search is deterministic and uses common
/// random numbers, so the thread count does not matter.
#[test]
fn a_calibration_does_not_depend_on_the_thread_count() {
    let loaded = long_tiny();
    let record = synthetic_record(&loaded);
    let mut results = Vec::new();
    for threads in [1, 2] {
        let options = RunOptions {
            runs: 100,
            seed: 5,
            threads,
        };
        let mut s = setup();
        s.max_evaluations = 15;
        s.profile_points = 3;
        let c = calibrate(
            &loaded,
            &record,
            &s,
            options,
            &AtomicBool::new(false),
            &|_, _| {},
        )
        .unwrap();
        results.push(serde_json::to_string(&c).unwrap());
    }
    assert!(
        results[0] == results[1],
        "rule: a calibration gives the same bytes on any number of threads; fix: \
         src/analysis/calibrate.rs must not depend on evaluation order across threads"
    );
}

/// An interrupted search reports the best point so far.
#[test]
fn an_interrupted_calibration_reports_its_best_point() {
    let loaded = long_tiny();
    let record = synthetic_record(&loaded);
    let options = RunOptions {
        runs: 50,
        seed: 5,
        threads: 1,
    };
    let c = calibrate(
        &loaded,
        &record,
        &setup(),
        options,
        &AtomicBool::new(true),
        &|_, _| {},
    )
    .expect("rule: an interrupted calibration still reports");
    assert_eq!(
        (c.stopped, c.evaluations, c.profiles.len()),
        (coopsim::analysis::calibrate::Stopped::Interrupted, 0, 0),
        "rule: a stop before the first evaluation reports the start, interrupted, without \
         profiles; fix: calibrate() in src/analysis/calibrate.rs"
    );
}

#[test]
fn the_command_refuses_bad_fits_and_writes_a_scenario_that_loads() {
    let scenario = data("scenarios/tiny-still.toml");
    let observed = data("observations/tiny.toml");
    for (fit, says) in [
        ("engagement.a.trade.bias=1:0", "LO < HI"),
        ("engagement.a.nowhere.bias=0:1", "nowhere"),
        ("actors.a.adjustment=-1:1", "out of range"),
    ] {
        let out = coopsim()
            .args(["calibrate", "-q", "--train", "2026:2027", "--fit", fit])
            .arg(&scenario)
            .arg("--observed")
            .arg(&observed)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code() == Some(2) && err.contains(says),
            "rule: a --fit the scenario cannot take is an input error naming the problem \
             ({says}); got {:?}: {err}; fix: Fit::parse or check_setup in \
             src/analysis/calibrate.rs",
            out.status.code()
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("fitted.toml");
    let out = coopsim()
        .args([
            "calibrate",
            "-q",
            "--runs",
            "100",
            "--max-evaluations",
            "20",
            "--profile-points",
            "3",
            "--train",
            "2026:2027",
            "--test",
            "2028:2028",
            "--fit",
            "engagement.a.trade.initial=0.1:0.9",
            "--prior",
            "engagement.a.trade.initial=0.4:0.2",
            "--format",
            "json",
            "--write",
        ])
        .arg(&written)
        .arg(&scenario)
        .arg("--observed")
        .arg(&observed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rule: calibrate runs; got {:?}: {}; fix: src/cli/calibrate.rs",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["coopsim", "format", "fitted", "train", "test", "profiles"] {
        assert!(
            json.get(key).is_some(),
            "rule: calibrate's JSON carries {key}; fix: Calibration in src/analysis/calibrate.rs"
        );
    }
    let fitted = json["fitted"]["engagement.a.trade.initial"]
        .as_f64()
        .unwrap();
    let back = input::load_scenario(&written, &Default::default()).expect(
        "rule: --write writes a scenario that loads; fix: scenario_text_with in src/input/vary.rs",
    );
    let initial = back.scenario.model.engagement[0][0].initial;
    assert_eq!(
        (back.scenario.name.as_str(), initial.mean()),
        ("tiny-still-calibrated", fitted),
        "rule: the written scenario carries the fitted value at its path and says it is \
         calibrated; fix: scenario_text_with in src/input/vary.rs"
    );
}
