//! The draws file of `run --draws`: the result's runs bit for bit, its
//! columns typed, dictionary-encoded and compressed, readable by pyarrow,
//! written whole or not at all (docs/spec.md §16).

use crate::common::{builtin, coopsim};
use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, UInt32Type, UInt64Type};
use arrow_schema::DataType;
use coopsim::RunResult;
use coopsim::sim::Plan;
use coopsim::sim::runner::layout;
use coopsim::stats::Aggregate;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, Encoding};
use parquet::file::reader::{FileReader, SerializedFileReader};
use std::path::Path;

/// The rows of a draws file, column by column, the strings decoded.
struct Rows {
    scenario: Vec<String>,
    run: Vec<u64>,
    period: Vec<String>,
    step: Vec<u32>,
    series: Vec<String>,
    value: Vec<f64>,
}

#[track_caller]
fn read(path: &Path) -> Rows {
    let file = std::fs::File::open(path).unwrap_or_else(|e| {
        panic!(
            "rule: run --draws writes its file; {}: {e}; fix: src/output/draws.rs",
            path.display()
        )
    });
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .unwrap_or_else(|e| {
            panic!("rule: the draws file is Parquet the parquet crate reads; {e}; fix: src/output/draws.rs")
        });
    let mut rows = Rows {
        scenario: vec![],
        run: vec![],
        period: vec![],
        step: vec![],
        series: vec![],
        value: vec![],
    };
    for batch in reader {
        let batch: RecordBatch = batch.unwrap_or_else(|e| {
            panic!(
                "rule: every row group of the draws file reads back; {e}; fix: src/output/draws.rs"
            )
        });
        let strings = |i: usize| -> Vec<String> {
            let d = batch.column(i).as_dictionary::<Int32Type>();
            let values = d.values().as_string::<i32>();
            d.keys()
                .values()
                .iter()
                .map(|&k| values.value(k as usize).to_owned())
                .collect()
        };
        rows.scenario.extend(strings(0));
        rows.run
            .extend(batch.column(1).as_primitive::<UInt64Type>().values().iter());
        rows.period.extend(strings(2));
        rows.step
            .extend(batch.column(3).as_primitive::<UInt32Type>().values().iter());
        rows.series.extend(strings(4));
        rows.value.extend(
            batch
                .column(5)
                .as_primitive::<Float64Type>()
                .values()
                .iter(),
        );
    }
    rows
}

/// `coopsim run` of the built-in baseline with `args`, its JSON result.
#[track_caller]
fn run_json(args: &[&str]) -> RunResult {
    let out = coopsim()
        .args(["run", "--quiet", "--format", "json", "--seed", "11"])
        .args(args)
        .output()
        .expect("rule: the binary starts; fix: build it");
    assert!(
        out.status.success(),
        "rule: `coopsim run {}` succeeds; stderr: {}; fix: src/cli/run.rs",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("rule: run --format json prints the result; {e}; fix: src/output/json.rs")
    })
}

/// The type-7 quantile of sorted values.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Read back, the file gives each series' mean and quantiles at each
/// period as the JSON result of the same runs gives them (quantiles within
/// the histogram's half bin, docs/decisions.md "Aggregation"); and recorded
/// into an aggregate, its runs give that result byte for byte: they are
/// the result's runs, bit for bit.
#[test]
fn the_draws_are_the_results_runs() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("draws.parquet");
    let runs = 300;
    let result = run_json(&[
        "--runs",
        &runs.to_string(),
        "--draws",
        path.to_str().unwrap_or_default(),
    ]);
    let rows = read(&path);
    let loaded = builtin();
    let plan = Plan::new(&loaded.scenario, 11);
    let (n_series, n_periods) = (plan.n_series(), plan.n_periods());
    let per_run = n_series * n_periods;
    assert_eq!(
        rows.value.len(),
        runs * per_run,
        "rule: the draws hold one row per run, period and series; fix: src/output/draws.rs"
    );
    let names: Vec<&String> = result.indices.keys().chain(result.drivers.keys()).collect();
    for (i, ((&run, &step), series)) in rows
        .run
        .iter()
        .zip(&rows.step)
        .zip(&rows.series)
        .enumerate()
    {
        let (r, c) = (i / per_run, i % per_run);
        let (t, s) = (c / n_series, c % n_series);
        assert!(
            run == r as u64
                && step as usize == t
                && series == names[s]
                && rows.period[i] == result.periods[t]
                && rows.scenario[i] == "baseline",
            "rule: rows go run by run, period by period, series by series (composite, domains, drivers), each naming its scenario, run, period, step and series; row {i} is ({}, {run}, {}, {step}, {series}); fix: src/output/draws.rs",
            rows.scenario[i],
            rows.period[i]
        );
    }
    let mut agg = Aggregate::new(layout(&plan));
    for r in 0..runs {
        agg.record(&rows.value[r * per_run..(r + 1) * per_run]);
    }
    let again = RunResult::new(&loaded, 11, &agg);
    assert!(
        again == result,
        "rule: the draws, aggregated, give the result of the same run exactly (they are its runs bit for bit); fix: sim::for_each_chunk in src/sim/runner.rs"
    );
    for (s, name) in names.iter().enumerate() {
        let driver = s >= result.indices.len();
        let (mean, p05, p50, p95) = if driver {
            let d = &result.drivers[name.as_str()];
            (&d.mean, &d.p05, &d.p50, &d.p95)
        } else {
            let d = &result.indices[name.as_str()];
            (&d.mean, &d.p05, &d.p50, &d.p95)
        };
        let half_bin = if driver { 0.00025 } else { 0.025 } + 1e-9;
        for t in 0..n_periods {
            let mut v: Vec<f64> = (0..runs)
                .map(|r| rows.value[r * per_run + t * n_series + s])
                .collect();
            let m = v.iter().sum::<f64>() / runs as f64;
            crate::common::assert_close(
                &format!(
                    "the draws' mean of {name} at {} is the result's",
                    result.periods[t]
                ),
                m,
                mean[t],
                1e-9 * mean[t].abs().max(1.0),
            );
            v.sort_by(f64::total_cmp);
            for (p, want) in [(0.05, p05[t]), (0.5, p50[t]), (0.95, p95[t])] {
                crate::common::assert_close(
                    &format!(
                        "the draws' p{:02} of {name} at {} is the result's within half a bin",
                        (p * 100.0) as u32,
                        result.periods[t]
                    ),
                    quantile(&v, p),
                    want,
                    half_bin,
                );
            }
        }
    }
}

/// `--draws-runs K` writes runs 0 to K - 1 of the job, the same values as
/// a job of K runs; a shard writes its own runs; and the bytes do not
/// depend on the thread count.
#[test]
fn the_first_runs_of_a_job_or_a_shard_are_its_runs_in_order() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    run_json(&[
        "--runs",
        "120",
        "--draws",
        &p("all.parquet"),
        "--threads",
        "1",
    ]);
    run_json(&[
        "--runs",
        "120",
        "--draws",
        &p("all2.parquet"),
        "--threads",
        "2",
    ]);
    run_json(&[
        "--runs",
        "500",
        "--draws",
        &p("first.parquet"),
        "--draws-runs",
        "120",
    ]);
    let out = coopsim()
        .args([
            "run", "-q", "--seed", "11", "--runs", "240", "--shard", "2/2",
        ])
        .args(["--out", &p("part"), "--draws", &p("shard.parquet")])
        .output()
        .expect("the binary starts");
    assert!(
        out.status.success(),
        "rule: --draws with --shard writes the shard's runs; stderr: {}; fix: src/cli/run.rs",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = |n: &str| std::fs::read(p(n)).unwrap_or_default();
    assert!(
        bytes("all.parquet") == bytes("all2.parquet") && !bytes("all.parquet").is_empty(),
        "rule: the draws file is the same bytes for any thread count; fix: src/output/draws.rs"
    );
    let all = read(Path::new(&p("all.parquet")));
    let first = read(Path::new(&p("first.parquet")));
    assert!(
        first.run == all.run
            && first
                .value
                .iter()
                .zip(&all.value)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
        "rule: --draws-runs 120 of 500 runs writes runs 0..119, bit for bit those of a 120-run job; fix: src/output/draws.rs"
    );
    let shard = read(Path::new(&p("shard.parquet")));
    let per_run = all.value.len() / 120;
    let want: Vec<u64> = (120..240u64)
        .flat_map(|r| std::iter::repeat_n(r, per_run))
        .collect();
    assert!(
        shard.run == want,
        "rule: shard 2/2 of 240 runs writes runs 120..239, numbered as in the job; fix: src/cli/run.rs"
    );
}

/// The file's own metadata: the columns' Arrow and Parquet types, the
/// strings dictionary-encoded, every column chunk compressed with zstd,
/// row groups of whole runs, and the provenance of the result.
#[test]
fn the_file_is_typed_dictionary_encoded_compressed_and_names_its_provenance() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("d.parquet");
    let result = run_json(&[
        "--runs",
        "3000",
        "--draws",
        path.to_str().unwrap_or_default(),
        "--draws-runs",
        "2000",
    ]);
    let file = std::fs::File::open(&path).expect("the draws file");
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).expect("Parquet");
    let types: Vec<(String, DataType, bool)> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let want = vec![
        ("scenario".to_owned(), dict.clone(), false),
        ("run".to_owned(), DataType::UInt64, false),
        ("period".to_owned(), dict.clone(), false),
        ("step".to_owned(), DataType::UInt32, false),
        ("series".to_owned(), dict, false),
        ("value".to_owned(), DataType::Float64, false),
    ];
    assert_eq!(
        types, want,
        "rule: the draws' columns and types are those of docs/spec.md §16; fix: src/output/draws.rs"
    );
    let reader =
        SerializedFileReader::new(std::fs::File::open(&path).expect("the file")).expect("Parquet");
    let meta = reader.metadata();
    let per_run = meta.file_metadata().num_rows() as usize / 2000;
    assert!(
        meta.num_row_groups() >= 2,
        "rule: 2000 runs of the baseline span several row groups (about 2^20 rows each), so memory stays flat; got {}; fix: ROW_GROUP_ROWS in src/output/draws.rs",
        meta.num_row_groups()
    );
    for g in meta.row_groups() {
        assert!(
            (g.num_rows() as usize).is_multiple_of(per_run),
            "rule: a row group holds whole runs; one has {} rows, runs of {per_run}; fix: src/output/draws.rs",
            g.num_rows()
        );
        for c in g.columns() {
            let name = c.column_path().string();
            assert!(
                matches!(c.compression(), Compression::ZSTD(_)),
                "rule: every column chunk is compressed with zstd; {name} is {:?}; fix: src/output/draws.rs",
                c.compression()
            );
            let encodings: Vec<Encoding> = c.encodings().collect();
            if ["scenario", "period", "series"].contains(&name.as_str()) {
                assert!(
                    c.dictionary_page_offset().is_some()
                        && encodings.contains(&Encoding::RLE_DICTIONARY),
                    "rule: the string column {name} is dictionary-encoded; encodings {encodings:?}; fix: src/output/draws.rs"
                );
            }
        }
    }
    let kv: std::collections::HashMap<String, String> = meta
        .file_metadata()
        .key_value_metadata()
        .into_iter()
        .flatten()
        .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
        .collect();
    let p = &result.provenance;
    for (key, want) in [
        ("coopsim", p.coopsim.clone()),
        ("format", "1".to_owned()),
        ("kernel", p.kernel.to_string()),
        ("model.id", p.model.id.clone()),
        ("model.sha256", p.model.sha256.clone()),
        ("scenario.name", p.scenario.name.clone()),
        ("scenario.sha256", p.scenario.sha256.clone()),
        ("seed", "11".to_owned()),
        ("runs", "3000".to_owned()),
        ("draws.first_run", "0".to_owned()),
        ("draws.runs", "2000".to_owned()),
    ] {
        assert_eq!(
            kv.get(key),
            Some(&want),
            "rule: the draws file's key-value metadata gives {key} as the result's provenance does; fix: src/output/draws.rs"
        );
    }
}

/// A python with pyarrow: `COOPSIM_PYTHON`, else the environment `.ci/run`
/// makes under `target/py`, else `python3`; with the reason when none has it.
fn python_with_pyarrow() -> Result<std::path::PathBuf, String> {
    let mut tried = vec![];
    let candidates: Vec<std::path::PathBuf> = std::env::var_os("COOPSIM_PYTHON")
        .map(Into::into)
        .into_iter()
        .chain([
            crate::common::root("target/py/bin/python"),
            "python3".into(),
        ])
        .collect();
    for python in candidates {
        let ok = std::process::Command::new(&python)
            .args(["-c", "import pyarrow.parquet"])
            .output();
        match ok {
            Ok(o) if o.status.success() => return Ok(python),
            Ok(o) => tried.push(format!(
                "{}: {}",
                python.display(),
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            )),
            Err(e) => tried.push(format!("{}: {e}", python.display())),
        }
    }
    Err(tried.join("; "))
}

/// pyarrow reads the file: its schema is the documented one (the strings
/// as dictionaries) and the composite's mean at the last period is the
/// result's. Skipped, saying why, where no python has pyarrow, except
/// under CI (`CI` set), where `.ci/run` installs it.
#[test]
fn pyarrow_reads_the_draws() {
    let python = match python_with_pyarrow() {
        Ok(p) => p,
        Err(why) if std::env::var_os("CI").is_none() => {
            println!(
                "skipped pyarrow_reads_the_draws: no python with pyarrow ({why}); .ci/run installs it under target/py"
            );
            return;
        }
        Err(why) => panic!(
            "rule: under CI pyarrow is installed and reads the draws; none found ({why}); fix: .ci/run installs pyarrow under target/py"
        ),
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("d.parquet");
    let result = run_json(&[
        "--runs",
        "200",
        "--draws",
        path.to_str().unwrap_or_default(),
    ]);
    let script = r#"
import sys
import pyarrow.parquet as pq
import pyarrow.compute as pc
t = pq.read_table(sys.argv[1])
print(t.schema.to_string(show_field_metadata=False, show_schema_metadata=False))
last = t.filter(pc.and_(pc.equal(t["series"].cast("string"), "composite"),
                        pc.equal(t["step"], pc.max(t["step"]))))
print("rows", t.num_rows)
print("mean", repr(pc.mean(last["value"]).as_py()))
print("meta", pq.read_metadata(sys.argv[1]).metadata[b"scenario.name"].decode())
"#;
    let out = std::process::Command::new(&python)
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python starts");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rule: pyarrow reads the draws file; stderr: {}; fix: src/output/draws.rs",
        String::from_utf8_lossy(&out.stderr)
    );
    for field in [
        "scenario: dictionary<values=string, indices=int32, ordered=0> not null",
        "run: uint64 not null",
        "period: dictionary<values=string, indices=int32, ordered=0> not null",
        "step: uint32 not null",
        "series: dictionary<values=string, indices=int32, ordered=0> not null",
        "value: double not null",
    ] {
        assert!(
            text.lines().any(|l| l == field),
            "rule: pyarrow sees the column `{field}`; it printed\n{text}\nfix: src/output/draws.rs"
        );
    }
    let mean: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("mean "))
        .and_then(|m| m.parse().ok())
        .unwrap_or(f64::NAN);
    let want = *result.indices["composite"].mean.last().unwrap_or(&f64::NAN);
    crate::common::assert_close(
        "pyarrow's mean of the composite at the last period is the result's",
        mean,
        want,
        1e-9,
    );
    assert!(
        text.contains("meta baseline"),
        "rule: pyarrow sees the provenance metadata; it printed\n{text}\nfix: src/output/draws.rs"
    );
}

/// Bad draws arguments are refused before any run with exit code 2 and a
/// hint, and leave no file.
#[test]
fn bad_draws_arguments_exit_2_with_a_hint_and_write_nothing() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let d = dir.path().to_string_lossy().into_owned();
    let missing = format!("{d}/no/such/folder/d.parquet");
    let file = format!("{d}/d.parquet");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--draws", &d], "is a folder"),
        (vec!["--draws", &missing], "does not exist"),
        (
            vec!["--draws", &file, "--draws-runs", "0"],
            "--draws-runs 0",
        ),
        (
            vec!["--draws", &file, "--draws-runs", "101"],
            "not within 1 to 100",
        ),
        (
            vec![
                "--draws",
                &file,
                "--draws-runs",
                "60",
                "--shard",
                "2/2",
                "--out",
                &d,
            ],
            "the runs of this shard",
        ),
        (vec!["--draws-runs", "5"], "--draws"),
    ];
    for (args, says) in cases {
        let out = coopsim()
            .args(["run", "-q", "--runs", "100"])
            .args(&args)
            .output()
            .expect("the binary starts");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code() == Some(2)
                && err.contains(says)
                && (err.contains("hint:") || err.contains("Usage")),
            "rule: `run {}` is refused with exit code 2, saying {says:?} with a hint; got {:?}: {err}; fix: coopsim::output::draws::check_path / draws_range",
            args.join(" "),
            out.status.code()
        );
    }
    let left: Vec<_> = std::fs::read_dir(&d)
        .map(|r| r.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "rule: refused draws arguments write nothing; found {left:?}; fix: src/cli/run.rs checks before writing"
    );
}

/// Ctrl-C while the draws are written stops them with exit code 130 and
/// leaves neither the file nor its temporary beside it.
#[cfg(unix)]
#[test]
fn ctrl_c_leaves_no_partial_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("big.parquet");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("coopsim"))
        .args(["run", "-q", "--runs", "1000000", "--draws"])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Wait until the temporary file exists, then a little more.
    let started = std::time::Instant::now();
    while std::fs::read_dir(dir.path())
        .map(|r| r.count())
        .unwrap_or(0)
        == 0
        && started.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().expect("the run ends");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .map(|r| r.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        status.code() == Some(130) && left.is_empty(),
        "rule: Ctrl-C during --draws exits 130 and leaves no file or temporary; got {:?}, left {left:?}; fix: the Ctrl-C handler in src/cli/run.rs and output::Staged",
        status.code()
    );
}
