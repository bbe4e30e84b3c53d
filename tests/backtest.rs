//! Backtests: observations read and checked, scores against a forecast
//! known in closed form, the references, windows, determinism, and the
//! shipped history.

use crate::common::{coopsim, data, load, root};
use coopsim::RunOptions;
use coopsim::analysis::backtest::{Backtest, Window, backtest};
use coopsim::input::{self, LoadedObservations, LoadedScenario};

fn still() -> LoadedScenario {
    load(&data("scenarios/tiny-still.toml"))
}

fn observed(loaded: &LoadedScenario) -> LoadedObservations {
    input::load_observations(&data("observations/tiny.toml"), &loaded.base.model).expect(
        "rule: tests/data/observations/tiny.toml is valid; fix: the file, or the rules in \
         src/input/validate/observed.rs",
    )
}

fn run(loaded: &LoadedScenario, window: Option<Window>, runs: u64, threads: usize) -> Backtest {
    let options = RunOptions {
        runs,
        seed: 17,
        threads,
    };
    backtest(loaded, &observed(loaded), window, options, &|_| {})
        .expect("rule: the tiny backtest runs; fix: src/analysis/backtest.rs")
}

/// The trade index of `tiny-still` is `100 sqrt(U)`, `U ~ Uniform(L, H)`:
/// its distribution function is `F(x) = ((x / 100)^2 - L) / (H - L)` on
/// `[100 sqrt(L), 100 sqrt(H)]`.
const L: f64 = 0.16;
const H: f64 = 0.64;

/// The exact CRPS of that distribution at `y`: `∫ (F(x) - 1{x >= y})^2 dx`,
/// from the antiderivatives of the polynomial pieces.
fn exact_crps(y: f64) -> f64 {
    let (x0, x1) = (100.0 * L.sqrt(), 100.0 * H.sqrt());
    let a = 1.0 / (1e4 * (H - L));
    let c = -L / (H - L);
    // ∫ F^2 and ∫ (1 - F)^2, F = a x^2 + c.
    let below = |x: f64| a * a * x.powi(5) / 5.0 + 2.0 * a * c * x.powi(3) / 3.0 + c * c * x;
    let above = |x: f64| {
        (1.0 - c).powi(2) * x - 2.0 * (1.0 - c) * a * x.powi(3) / 3.0 + a * a * x.powi(5) / 5.0
    };
    if y <= x0 {
        (x0 - y) + above(x1) - above(x0)
    } else if y >= x1 {
        below(x1) - below(x0) + (y - x1)
    } else {
        below(y) - below(x0) + above(x1) - above(y)
    }
}

#[test]
fn the_exact_crps_of_the_closed_form_is_right() {
    // Against a midpoint rule over the distribution function itself.
    let cdf = |x: f64| (((x / 100.0).powi(2) - L) / (H - L)).clamp(0.0, 1.0);
    for y in [30.0, 45.0, 62.0, 79.0, 90.0] {
        let (lo, hi, n) = (0.0, 120.0, 240_000);
        let dx = (hi - lo) / n as f64;
        let numeric: f64 = (0..n)
            .map(|i| {
                let x = lo + (i as f64 + 0.5) * dx;
                (cdf(x) - f64::from(u8::from(x >= y))).powi(2) * dx
            })
            .sum();
        assert!(
            (numeric - exact_crps(y)).abs() < 1e-3,
            "rule: exact_crps integrates (F - 1{{x >= y}})^2; at {y} got {}, numerically \
             {numeric}; fix: exact_crps in tests/backtest.rs",
            exact_crps(y)
        );
    }
    // Far outside the support the CRPS is the distance from the mean:
    // E[100 sqrt(U)] = 100 (2/3)(H^1.5 - L^1.5)/(H - L) = 62.2...
    let mean = 100.0 * (2.0 / 3.0) * (H.powf(1.5) - L.powf(1.5)) / (H - L);
    for y in [0.0, 150.0] {
        let want_offset = (y - mean).abs();
        // CRPS(F, y) = E|X - y| - E|X - X'|/2; outside the support E|X - y|
        // is |mean - y|, so the two differ by the same half spread.
        let spread = exact_crps(0.0) - mean;
        assert!(
            (exact_crps(y) - want_offset - spread).abs() < 1e-9,
            "rule: outside the support the CRPS is the distance from the mean plus a constant; \
             fix: exact_crps in tests/backtest.rs"
        );
    }
}

/// Every scored observation's CRPS (fair form, unbiased) and quantiles
/// agree with the closed form within the sampling error of 4000 runs.
#[test]
fn scores_match_the_closed_form_within_sampling_error() {
    let loaded = still();
    let runs = 4000u64;
    let b = run(&loaded, None, runs, 0);
    let trade: Vec<_> = b
        .observations
        .iter()
        .filter(|o| o.index == "trade")
        .collect();
    assert_eq!(
        trade.len(),
        4,
        "rule: the four trade observations after 2026Q1 and up to 2028Q4 are scored; fix: \
         targets() in src/analysis/backtest.rs"
    );
    // |X - y| lies within the support's width (40) plus the distance to it,
    // so its standard deviation is at most half of 40 + 20; the fair CRPS, a
    // U-statistic, has a standard error below twice that over sqrt(m). Five
    // of them is the tolerance.
    let tol = 5.0 * 2.0 * 30.0 / (runs as f64).sqrt();
    for o in trade {
        let want = exact_crps(o.observed);
        assert!(
            (o.crps_fair - want).abs() < tol,
            "rule: the fair CRPS estimates the exact CRPS without bias; at {} (y = {}) got {}, \
             want {want} ± {tol}; fix: crps_fair_sorted in src/scoring/crps.rs or the ensemble \
             collected in src/analysis/backtest.rs",
            o.period,
            o.observed,
            o.crps_fair
        );
        for (p, got) in [(0.05, o.p05), (0.5, o.p50), (0.95, o.p95)] {
            let exact = 100.0 * (L + p * (H - L)).sqrt();
            // A quantile's standard error is sqrt(p(1-p)/m) / f(x_p); the
            // density here is at least 2x / (1e4 (H - L)) >= 1/60.
            let q_tol = 5.0 * (p * (1.0 - p) / runs as f64).sqrt() * 60.0;
            assert!(
                (got - exact).abs() < q_tol,
                "rule: the backtest's p{} is the runs' quantile; got {got}, want {exact} ± \
                 {q_tol}; fix: score_one in src/analysis/backtest.rs",
                p * 100.0
            );
        }
        assert!(
            o.crps_fair <= o.crps + 1e-12,
            "rule: the fair CRPS is below the ensemble CRPS (the ensemble's spread term \
             counts each member's zero distance to itself); fix: src/scoring/crps.rs"
        );
    }
}

/// Observations at or before the start serve the references and are not
/// scored; those after the end are counted; a window scores only its years.
#[test]
fn the_start_the_end_and_the_window_decide_what_is_scored() {
    let loaded = still();
    let b = run(&loaded, None, 200, 1);
    let s = b
        .summary
        .as_ref()
        .expect("rule: a backtest with observations after the start has a summary");
    assert_eq!(
        (s.n, b.not_scored.at_or_before_start, b.not_scored.after_end),
        (5, 2, 1),
        "rule: 2025Q4 and 2026Q1 (the start) are not scored, 2030Q4 lies after the end; \
         fix: targets() in src/analysis/backtest.rs"
    );
    let trade_2026q3 = &b.observations[0];
    assert_eq!(
        (
            trade_2026q3.crps_persistence,
            b.climatology_from_all.clone()
        ),
        ((45.0f64 - 52.0).abs(), vec!["talks".to_owned()]),
        "rule: persistence is the last value at or before the start (52 at 2026Q1) and a \
         measure with fewer than two such values takes every value for its climatology; \
         fix: targets() in src/analysis/backtest.rs"
    );
    let climatology = coopsim::scoring::crps(&[50.0, 52.0], 45.0);
    assert!(
        (trade_2026q3.crps_climatology - climatology).abs() < 1e-12,
        "rule: climatology is the measure's values up to the start as an ensemble; fix: \
         targets() in src/analysis/backtest.rs"
    );
    let w = Window::parse("2027:2028").unwrap();
    let windowed = run(&loaded, Some(w), 200, 1);
    let periods: Vec<&str> = windowed
        .observations
        .iter()
        .map(|o| o.period.as_str())
        .collect();
    assert_eq!(
        (periods, windowed.not_scored.outside_window),
        (vec!["2027Q4", "2028Q2", "2028Q4"], 2),
        "rule: --window FROM:TO scores only the observations of those years; fix: \
         targets() in src/analysis/backtest.rs"
    );
    assert_eq!(
        windowed.observations[0].crps_persistence,
        (62.0f64 - 52.0).abs(),
        "rule: a window leaves the references as they are; fix: targets() in \
         src/analysis/backtest.rs"
    );
}

#[test]
fn a_backtest_does_not_depend_on_the_thread_count() {
    let loaded = still();
    let one = serde_json::to_string(&run(&loaded, None, 1500, 1)).unwrap();
    let two = serde_json::to_string(&run(&loaded, None, 1500, 2)).unwrap();
    assert!(
        one == two,
        "rule: a backtest gives the same bytes on any number of threads; fix: collect_cells \
         in src/sim/runner.rs must place each run's values by its number"
    );
}

/// The shipped record and the 2003 history load, and the history scores
/// the record's observations after 2003Q1.
#[test]
fn the_shipped_history_backtests_on_the_shipped_record() {
    let loaded = load(&root("scenarios/history-2003.toml"));
    let record = input::load_observations(&root("data/pakistan_russia.toml"), &loaded.base.model)
        .expect("rule: data/pakistan_russia.toml is valid; fix: the file");
    let options = RunOptions {
        runs: 200,
        seed: 1,
        threads: 0,
    };
    let b = backtest(&loaded, &record, None, options, &|_| {})
        .expect("rule: the history backtests; fix: src/analysis/backtest.rs");
    let s = b.summary.expect("rule: the history scores observations");
    assert!(
        s.n >= 50 && b.by_index.len() == 5,
        "rule: the record scores at least 50 observations after 2003Q1, on all five \
         domains; got {} on {:?}; fix: data/pakistan_russia.toml",
        s.n,
        b.by_index.keys().collect::<Vec<_>>()
    );
    let years: Vec<&str> = record
        .record
        .observations()
        .map(|(m, _)| m.id.as_str())
        .collect();
    assert!(
        years.contains(&"trade"),
        "rule: the record holds trade turnover; fix: data/pakistan_russia.toml"
    );
}

/// The command prints a plain verdict first and writes its files with --out.
#[test]
fn the_command_leads_with_a_verdict_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = coopsim()
        .args(["backtest", "--runs", "300", "-q", "--out"])
        .arg(dir.path())
        .arg(data("scenarios/tiny-still.toml"))
        .arg("--observed")
        .arg(data("observations/tiny.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("The model beats persistence on"),
        "rule: `coopsim backtest` leads with a sentence on the model against the references; \
         got {:?}:\n{text}; fix: src/output/backtest.rs",
        out.status
    );
    for file in ["backtest.json", "backtest.csv"] {
        assert!(
            dir.path().join(file).is_file(),
            "rule: --out writes backtest.json and backtest.csv; {file} is missing; fix: \
             Render for Backtest in src/output/backtest.rs"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("backtest.json")).unwrap()).unwrap();
    for key in [
        "coopsim", "format", "kernel", "scenario", "observed", "seed", "runs",
    ] {
        assert!(
            json.get(key).is_some(),
            "rule: the backtest JSON carries {key} (docs/spec.md §14); fix: Backtest in \
             src/analysis/backtest.rs"
        );
    }
    let bad = coopsim()
        .args(["backtest", "--runs", "10", "-q"])
        .arg(data("scenarios/tiny-still.toml"))
        .arg("--observed")
        .arg(data("invalid/observations-unknown-index.toml"))
        .output()
        .unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "rule: a bad observations file is an input error (exit 2); fix: src/cli/backtest.rs"
    );
}
