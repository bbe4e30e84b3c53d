//! The draws file: every value of the first runs of a job, one row per
//! run, period and series, as Parquet (docs/spec.md §16).
//!
//! The runs are recomputed in run order, a row group of whole runs at a
//! time, through the runner's [`crate::sim::for_each_chunk`], which runs
//! them through the same groups of the same kernel as the aggregate: the
//! rows are the aggregate's runs bit for bit, and memory holds one row
//! group whatever the number of runs. The file is written beside its target under a temporary name and
//! renamed into place when whole.

use super::Staged;
use crate::error::{ArgumentError, Error};
use crate::input::LoadedScenario;
use crate::result::Header;
use crate::sim::Plan;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray, UInt32Array,
    UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The version of the draws file's layout, written as its `format`.
pub const FORMAT: u32 = 1;

/// Rows a row group holds at most (whole runs; at least one run): about
/// 32 MB of columns in memory while it is built, and a common size for
/// readers.
const ROW_GROUP_ROWS: u64 = 1 << 20;

/// The columns, in order.
pub const COLUMNS: [&str; 6] = ["scenario", "run", "period", "step", "series", "value"];

/// Which runs of a job go into the draws file: the first `first` runs of
/// `job` (the job's runs, or a shard's share of them), or all of them.
///
/// Refuses 0 and more runs than the job has, with a hint.
pub fn draws_range(
    job: Range<u64>,
    first: Option<u64>,
    shard: bool,
) -> Result<Range<u64>, ArgumentError> {
    let have = job.end - job.start;
    match first {
        None => Ok(job),
        Some(0) => Err(ArgumentError::DrawsRuns {
            given: 0,
            runs: have,
            shard,
        }),
        Some(k) if k > have => Err(ArgumentError::DrawsRuns {
            given: k,
            runs: have,
            shard,
        }),
        Some(k) => Ok(job.start..job.start + k),
    }
}

/// Refuses a draws path that cannot name a new file: a folder, or a file
/// in a folder that does not exist.
pub fn check_path(path: &Path) -> Result<(), ArgumentError> {
    let problem = |problem: String, hint: String| ArgumentError::DrawsPath {
        path: path.display().to_string(),
        problem,
        hint,
    };
    if path.as_os_str().is_empty() {
        return Err(problem(
            "is empty".into(),
            "name a file, e.g. --draws draws.parquet".into(),
        ));
    }
    if path.is_dir() || path.file_name().is_none() {
        return Err(problem(
            "is a folder".into(),
            format!(
                "name a file in it, e.g. --draws {}",
                path.join("draws.parquet").display()
            ),
        ));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        let what = if parent.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(problem(
            format!("the folder {} {what}", parent.display()),
            format!("create it first (mkdir -p {})", parent.display()),
        ));
    }
    Ok(())
}

/// What a written draws file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The runs written, by index.
    pub runs: Range<u64>,
    /// Rows in the file.
    pub rows: u64,
    /// Row groups in the file.
    pub row_groups: u64,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// Writes the runs `runs` of `loaded` under `seed`, of a job of
/// `job_runs` runs, to the Parquet file `path`, on `threads` threads (0:
/// all cores); `progress` hears of finished runs.
///
/// The file is whole or absent: written under a temporary name beside
/// `path` and renamed over it at the end. When `stop` becomes true the
/// writing ends at the next row group with [`Error::Interrupted`], and the
/// temporary file is removed, as it is on any error.
#[allow(clippy::too_many_arguments)]
pub fn write(
    path: &Path,
    loaded: &LoadedScenario,
    seed: u64,
    job_runs: u64,
    runs: Range<u64>,
    threads: usize,
    stop: &AtomicBool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Written, Error> {
    let header = Header::new(loaded, seed, job_runs);
    let plan = Plan::new(&loaded.scenario, seed);
    let staged = Staged::create(path)?;
    let fail = |e: parquet::errors::ParquetError| Error::Write {
        path: path.to_owned(),
        source: std::io::Error::other(e),
    };
    let columns = Columns::new(&header, &plan);
    let props = properties(&header, &runs);
    let file = staged.file().map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })?;
    let mut writer =
        ArrowWriter::try_new(file, columns.schema.clone(), Some(props)).map_err(fail)?;
    let per_group = (ROW_GROUP_ROWS / columns.per_run() as u64).max(1);
    crate::sim::for_each_chunk(
        &plan,
        runs.clone(),
        per_group,
        threads,
        progress,
        |first, values| {
            if stop.load(Ordering::Relaxed) {
                return Err(Error::Interrupted {
                    path: path.to_owned(),
                });
            }
            let batch = columns.batch(first, values).map_err(|e| fail(e.into()))?;
            writer.write(&batch).map_err(fail)?;
            // One call, one row group: a group holds whole runs.
            writer.flush().map_err(fail)
        },
    )?;
    let meta = writer.close().map_err(fail)?;
    let bytes = staged.commit()?;
    Ok(Written {
        runs,
        rows: meta.file_metadata().num_rows() as u64,
        row_groups: meta.num_row_groups() as u64,
        bytes,
    })
}

/// The writer's settings: zstd, dictionaries for the strings and the small
/// integers, byte-stream-split values (their bytes compress apart), and the
/// provenance as key-value metadata.
fn properties(header: &Header, runs: &Range<u64>) -> WriterProperties {
    let p = &header.provenance;
    let kv = |k: &str, v: String| KeyValue::new(k.to_owned(), v);
    let metadata = vec![
        kv("coopsim", p.coopsim.clone()),
        kv("format", FORMAT.to_string()),
        kv("kernel", p.kernel.to_string()),
        kv("model.id", p.model.id.clone()),
        kv("model.sha256", p.model.sha256.clone()),
        kv("scenario.name", p.scenario.name.clone()),
        kv("scenario.sha256", p.scenario.sha256.clone()),
        kv("seed", p.seed.to_string()),
        kv("runs", p.runs.to_string()),
        kv("steps_per_year", header.steps_per_year.to_string()),
        kv("draws.first_run", runs.start.to_string()),
        kv("draws.runs", (runs.end - runs.start).to_string()),
    ];
    let value = ColumnPath::from("value");
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(None)
        // Statistics per column chunk, no page index: the writer keeps a
        // page index in memory until the file closes, which would grow
        // with the runs.
        .set_statistics_enabled(EnabledStatistics::Chunk)
        .set_offset_index_disabled(true)
        .set_column_dictionary_enabled(value.clone(), false)
        .set_column_encoding(value, Encoding::BYTE_STREAM_SPLIT)
        .set_key_value_metadata(Some(metadata))
        .build()
}

/// The schema and the fixed parts of every row group.
struct Columns {
    schema: SchemaRef,
    scenario: ArrayRef,
    periods: ArrayRef,
    series: ArrayRef,
    n_periods: usize,
    n_series: usize,
}

impl Columns {
    fn new(header: &Header, plan: &Plan) -> Columns {
        let dict = || DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        let schema = Schema::new(vec![
            Field::new("scenario", dict(), false),
            Field::new("run", DataType::UInt64, false),
            Field::new("period", dict(), false),
            Field::new("step", DataType::UInt32, false),
            Field::new("series", dict(), false),
            Field::new("value", DataType::Float64, false),
        ]);
        let strings = |v: &[String]| -> ArrayRef { Arc::new(StringArray::from_iter_values(v)) };
        let names: Vec<String> = header
            .indices
            .iter()
            .chain(&header.drivers)
            .cloned()
            .collect();
        debug_assert_eq!(names.len(), plan.n_series());
        debug_assert_eq!(header.periods.len(), plan.n_periods());
        Columns {
            schema: Arc::new(schema),
            scenario: strings(std::slice::from_ref(&header.provenance.scenario.name)),
            periods: strings(&header.periods),
            series: strings(&names),
            n_periods: plan.n_periods(),
            n_series: plan.n_series(),
        }
    }

    /// Rows per run.
    fn per_run(&self) -> usize {
        self.n_periods * self.n_series
    }

    /// The rows of the runs from `first` whose values are `values`, run
    /// by run, period by period, series by series (the kernel's order).
    fn batch(&self, first: u64, values: &[f64]) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let per_run = self.per_run();
        let rows = values.len();
        let n_runs = rows / per_run.max(1);
        let (ns, np) = (self.n_series, self.n_periods);
        let dict =
            |keys: Int32Array, values: &ArrayRef| -> Result<ArrayRef, arrow_schema::ArrowError> {
                Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
                    keys,
                    values.clone(),
                )?))
            };
        let scenario = Int32Array::from(vec![0; rows]);
        let run = UInt64Array::from_iter_values(
            (0..n_runs as u64).flat_map(|r| std::iter::repeat_n(first + r, per_run)),
        );
        let step_of = |i: usize| (i % per_run) / ns;
        let period = Int32Array::from_iter_values((0..rows).map(|i| step_of(i) as i32));
        let step = UInt32Array::from_iter_values((0..rows).map(|i| step_of(i) as u32));
        let series = Int32Array::from_iter_values((0..rows).map(|i| (i % ns) as i32));
        debug_assert!(np > 0 && rows.is_multiple_of(per_run));
        RecordBatch::try_new(
            self.schema.clone(),
            vec![
                dict(scenario, &self.scenario)?,
                Arc::new(run),
                dict(period, &self.periods)?,
                Arc::new(step),
                dict(series, &self.series)?,
                Arc::new(Float64Array::from(values.to_vec())),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_runs_lie_within_the_job_or_are_refused() {
        assert_eq!(draws_range(10..20, None, true), Ok(10..20));
        assert_eq!(draws_range(10..20, Some(3), true), Ok(10..13));
        assert_eq!(draws_range(0..20, Some(20), false), Ok(0..20));
        for k in [0, 21] {
            let e = draws_range(0..20, Some(k), false).unwrap_err();
            assert!(
                e.to_string()
                    .contains("hint: give --draws-runs from 1 to 20"),
                "rule: --draws-runs {k} of 20 runs is refused with a hint; got {e}"
            );
        }
    }

    #[test]
    fn a_folder_or_a_missing_folder_is_refused() {
        let dir = std::env::temp_dir();
        let said = |p: &Path| check_path(p).map_err(|e| e.to_string());
        assert!(said(&dir).unwrap_err().contains("is a folder"));
        assert!(
            said(&dir.join("no-such-folder-xyz/d.parquet"))
                .unwrap_err()
                .contains("does not exist")
        );
        assert!(said(Path::new("")).unwrap_err().contains("is empty"));
        assert_eq!(said(&dir.join("d.parquet")), Ok(()));
        assert_eq!(said(Path::new("d.parquet")), Ok(()));
    }
}
