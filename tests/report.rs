//! Charts, `coopsim report` and `coopsim plot`: charts are well-formed SVG
//! with their titles, axis labels, threshold labels and one legend entry
//! per series; the report holds every section, fetches nothing and shows
//! a scenario's text as text; plot writes the documented file names; bad
//! arguments exit 2 with a hint. All on the tiny model with few runs.

use crate::common::{coopsim, data, load};
use coopsim::RunOptions;
use coopsim::chart::Chart;
use coopsim::report::{self, Analyses};
use std::path::Path;

const RUNS: u64 = 200;

fn options() -> RunOptions {
    RunOptions {
        runs: RUNS,
        seed: 7,
        threads: 0,
    }
}

fn two_scenarios() -> Analyses {
    let scenarios = vec![
        load(&data("scenarios/tiny.toml")),
        load(&data("scenarios/tiny-easing.toml")),
    ];
    report::analyse(&scenarios, None, options(), &|_| {})
        .expect("rule: tiny and tiny-easing analyse together; fix: src/report/mod.rs")
}

fn backtested() -> Analyses {
    let loaded = load(&data("scenarios/tiny-historical.toml"));
    let observed =
        coopsim::input::load_observations(&data("observations/tiny.toml"), &loaded.base.model)
            .expect("rule: tests/data/observations/tiny.toml loads; fix: the file");
    report::analyse(&[loaded], Some(&observed), options(), &|_| {})
        .expect("rule: tiny-historical backtests on tiny observations; fix: src/report/mod.rs")
}

/// The text of every `<text>` element of an SVG document, which must parse.
fn svg_texts(chart: &Chart) -> Vec<String> {
    let svg = chart
        .svg()
        .expect("rule: every chart draws; fix: src/chart/");
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| {
        panic!(
            "rule: {} is well-formed SVG; {e}; fix: src/chart/draw.rs",
            chart.file
        )
    });
    assert_eq!(
        doc.root_element().tag_name().name(),
        "svg",
        "rule: a chart is an <svg> document"
    );
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect()
}

fn assert_shows(chart: &Chart, texts: &[String], wanted: &str) {
    assert!(
        texts.iter().any(|t| t.contains(wanted)),
        "rule: chart {} shows {wanted:?}; its texts: {texts:?}; fix: src/chart/",
        chart.file
    );
}

/// Every chart parses, shows its title and one legend entry per series.
#[test]
fn charts_are_svg_with_titles_legends_and_axis_labels() {
    let analyses = two_scenarios();
    let charts = analyses.charts();
    let files: Vec<String> = charts.iter().map(|p| p.chart.file.clone()).collect();
    for want in [
        "composite-fan",
        "trade-fan",
        "talks-fan",
        "drivers",
        "overlay",
        "compare-tiny-easing",
        "tornado",
    ] {
        assert!(
            files.iter().any(|f| f == want),
            "rule: the charts of two scenarios include {want}; got {files:?}"
        );
    }
    for placed in &charts {
        let chart = &placed.chart;
        let texts = svg_texts(chart);
        assert_shows(chart, &texts, &chart.title);
        for label in &chart.series {
            assert!(
                texts.iter().any(|t| t == label),
                "rule: chart {} has a legend entry {label:?}; texts: {texts:?}",
                chart.file
            );
        }
    }
    let fan = &charts[0].chart;
    assert_eq!(fan.file, "composite-fan");
    assert_eq!(
        fan.series.len(),
        5,
        "rule: a fan has two bands, a median and two thresholds"
    );
    let texts = svg_texts(fan);
    for want in [
        "index (0–100)",
        "year",
        "estrangement threshold",
        "partnership threshold",
        "spread of futures",
    ] {
        assert_shows(fan, &texts, want);
    }
    let overlay = charts
        .iter()
        .find(|p| p.chart.file == "overlay")
        .map(|p| &p.chart)
        .expect("overlay");
    assert_eq!(
        overlay.series.len(),
        2 + 2,
        "rule: the overlay has a median per scenario and the two thresholds"
    );
    let compare = charts
        .iter()
        .find(|p| p.chart.file == "compare-tiny-easing")
        .map(|p| &p.chart)
        .expect("compare");
    let texts = svg_texts(compare);
    assert_shows(compare, &texts, "simulation error");
    assert_shows(compare, &texts, "spread of futures");
}

/// The backtest chart marks firm and rough observations apart and draws
/// persistence; a PNG of it is a PNG.
#[test]
fn the_backtest_chart_shows_observations_and_persistence() {
    let analyses = backtested();
    let charts = analyses.charts();
    let chart = &charts
        .iter()
        .find(|p| p.chart.file == "backtest")
        .expect("rule: with observations the charts include backtest")
        .chart;
    let texts = svg_texts(chart);
    for want in [
        "persistence forecast",
        "observed (firm grade)",
        "observed (rough grade)",
    ] {
        assert_shows(chart, &texts, want);
    }
    let b = analyses.backtest.as_ref().expect("backtest");
    assert!(
        b.observations.iter().all(|o| o.persistence.is_finite()
            && (o.crps_persistence - (o.persistence - o.observed).abs()).abs() < 1e-12),
        "rule: persistence's CRPS is its distance from the observation"
    );
    let png = chart.png().expect("rule: a chart draws as PNG");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "rule: --png writes PNG files"
    );
}

fn temp_scenario(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("hostile.toml");
    std::fs::write(
        &path,
        "[scenario]\nname = \"hostile\"\ntitle = \"<script>alert(1)</script> title\"\n\
         description = \"A <script>alert(2)</script> description & more\"\n\
         model = \"tiny\"\nend = \"2028Q4\"\nruns = 100\nseed = 3\n",
    )
    .expect("write the scenario");
    path
}

/// The report holds every section, refers to no other file or network
/// address, and shows markup from a scenario file as text.
#[test]
fn report_is_self_contained_and_escapes_scenario_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = temp_scenario(dir.path());
    let out = dir.path().join("report.html");
    let o = coopsim()
        .args(["report", "--runs", "100", "-q", "--models"])
        .arg(data("models"))
        .arg(&hostile)
        .arg(data("scenarios/tiny-easing.toml"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run coopsim");
    assert!(
        o.status.success(),
        "rule: coopsim report on two tiny scenarios exits 0; stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let page = std::fs::read_to_string(&out).expect("the report is written");
    for id in [
        "id=\"scenario-1\"",
        "id=\"scenario-2\"",
        "id=\"overlay\"",
        "id=\"comparison\"",
        "id=\"scores\"",
        "id=\"tornado\"",
        "id=\"assumptions\"",
        "id=\"provenance\"",
        "<svg",
        "spread of futures",
        "simulation error",
        "sha256",
    ] {
        assert!(
            page.contains(id),
            "rule: the report holds {id}; fix: src/report/report.html"
        );
    }
    assert!(
        !page.contains("<script"),
        "rule: scenario text is escaped and the page has no script"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "rule: a title's markup shows as text"
    );
    assert!(
        page.contains("&lt;script&gt;alert(2)"),
        "rule: a description's markup shows as text"
    );
    for attr in ["src=", "href="] {
        for (at, _) in page.match_indices(attr) {
            let value = page[at + attr.len()..].trim_start_matches(['"', '\'']);
            assert!(
                !value.starts_with("http://")
                    && !value.starts_with("https://")
                    && !value.starts_with("//"),
                "rule: the report fetches nothing; found {attr}{}",
                &value[..value.len().min(40)]
            );
        }
    }
    assert!(!page.contains("src=\"http"), "rule: no external source");
}

/// plot writes the documented names: one scenario's charts at the top;
/// with several, each scenario's in its own folder.
#[test]
fn plot_writes_predictable_file_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = dir.path().join("one");
    let o = coopsim()
        .args(["plot", "--runs", "100", "-q", "--png"])
        .arg(data("scenarios/tiny.toml"))
        .arg("--svg")
        .arg(&one)
        .output()
        .expect("run coopsim");
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "composite-fan.svg",
        "trade-fan.svg",
        "talks-fan.svg",
        "drivers.svg",
        "tornado.svg",
        "composite-fan.png",
        "tornado.png",
    ] {
        assert!(one.join(f).is_file(), "rule: plot writes {f}");
    }
    let two = dir.path().join("two");
    let o = coopsim()
        .args(["plot", "--runs", "100", "-q"])
        .arg(data("scenarios/tiny.toml"))
        .arg(data("scenarios/tiny-easing.toml"))
        .arg("--svg")
        .arg(&two)
        .output()
        .expect("run coopsim");
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "tiny/composite-fan.svg",
        "tiny/drivers.svg",
        "tiny-easing/composite-fan.svg",
        "tiny-easing/trade-fan.svg",
        "overlay.svg",
        "compare-tiny-easing.svg",
        "tornado.svg",
    ] {
        assert!(
            two.join(f).is_file(),
            "rule: plot of two scenarios writes {f}"
        );
    }
    assert!(!two.join("composite-fan.svg").exists());
}

/// Bad arguments exit 2 with a hint and write nothing.
#[test]
fn bad_arguments_exit_2_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r.html");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        // No output file.
        vec!["report".into(), data("scenarios/tiny.toml").into()],
        // No --svg folder.
        vec!["plot".into(), data("scenarios/tiny.toml").into()],
        // Observations of another model.
        vec![
            "report".into(),
            crate::common::root("scenarios/baseline.toml").into(),
            "--observed".into(),
            data("observations/tiny.toml").into(),
            "-o".into(),
            out.clone().into(),
        ],
        // Zero runs.
        vec![
            "report".into(),
            data("scenarios/tiny.toml").into(),
            "--runs".into(),
            "0".into(),
            "-o".into(),
            out.clone().into(),
        ],
    ];
    for args in cases {
        let o = coopsim().args(&args).output().expect("run coopsim");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(
            o.status.code(),
            Some(2),
            "rule: bad arguments exit 2; {args:?}; stderr: {err}"
        );
        assert!(
            err.contains("hint") || err.contains("--help"),
            "rule: a bad argument's message gives a hint; {args:?}: {err}"
        );
    }
    assert!(!out.exists(), "rule: nothing is written on bad input");
    let o = coopsim()
        .args(["report", "-q", "--runs", "50", "-o"])
        .arg(&out)
        .arg(data("scenarios/tiny.toml"))
        .arg(data("scenarios/tiny-historical.toml"))
        .output()
        .expect("run coopsim");
    assert_eq!(
        o.status.code(),
        Some(2),
        "rule: scenarios of different horizons are refused"
    );
    assert!(!out.exists(), "rule: nothing is written on bad input");
}
