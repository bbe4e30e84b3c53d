//! Rendering outputs: every command's output implements [`Render`] (a
//! table, JSON, and CSV where it has one), the run result through one
//! exporter per format; and atomic writes of output files.

pub mod assumptions;
pub mod backtest;
pub mod bench;
pub mod calibration;
pub mod comparison;
mod csv;
pub mod draws;
mod json;
pub mod scores;
pub mod sensitivity;
pub mod sweeps;
pub mod table;
pub mod verdict;
pub mod wrap;

pub use self::csv::CsvExport;
pub use self::json::JsonExport;
pub use self::table::TableExport;

use crate::error::{ArgumentError, Error};
use crate::result::RunResult;
use std::io::{self, Write};
use std::path::Path;

/// How a command prints its output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table.
    #[default]
    Table,
    /// JSON, with its provenance and format version (docs/spec.md "Result").
    Json,
    /// CSV, one row per figure.
    Csv,
}

impl Format {
    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// Every format.
pub(crate) const ALL_FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Csv];

/// A command's output in the formats it comes in.
pub trait Render {
    /// The formats it comes in.
    const FORMATS: &'static [Format] = ALL_FORMATS;
    /// Its files under `--out`: the JSON's name, and the CSV's if it has one.
    const FILES: (&'static str, Option<&'static str>);
    /// Text for reading in a terminal; not a stable format.
    fn table(&self) -> String;
    /// Pretty JSON with a final newline.
    fn json(&self) -> String;
    /// CSV, if the output has a CSV form (then `FORMATS` lists it).
    fn csv(&self) -> Option<String>;
}

/// Refuses a format that `R` does not come in, naming `command`.
pub fn check_format<R: Render>(command: &'static str, format: Format) -> Result<(), ArgumentError> {
    if R::FORMATS.contains(&format) {
        return Ok(());
    }
    let supported: Vec<&str> = R::FORMATS.iter().map(|f| f.name()).collect();
    Err(ArgumentError::Format {
        command,
        format: format.name(),
        supported: supported.join(" or "),
    })
}

/// `value` in `format`, or the refusal of a format it does not come in.
pub fn render<R: Render>(
    command: &'static str,
    value: &R,
    format: Format,
) -> Result<String, ArgumentError> {
    check_format::<R>(command, format)?;
    let text = match format {
        Format::Table => Some(wrap::fit(&value.table(), wrap::WIDTH)),
        Format::Json => Some(value.json()),
        Format::Csv => value.csv(),
    };
    // FORMATS lists CSV only for outputs that have one.
    text.ok_or(ArgumentError::Format {
        command,
        format: format.name(),
        supported: "table or json".into(),
    })
}

/// The names of `R`'s files under `--out`.
pub fn file_names<R: Render>() -> Vec<&'static str> {
    let (json, csv) = R::FILES;
    std::iter::once(json).chain(csv).collect()
}

/// Writes `value`'s files (its JSON, and its CSV if any) into `dir`,
/// creating it if needed; each file whole or not at all. Returns the paths
/// written.
pub fn write_outputs<R: Render>(dir: &Path, value: &R) -> Result<Vec<std::path::PathBuf>, Error> {
    let (json_name, csv_name) = R::FILES;
    let json = value.json();
    let csv = csv_name.and_then(|name| value.csv().map(|text| (name, text)));
    let mut files: Vec<(&str, &[u8])> = vec![(json_name, json.as_bytes())];
    if let Some((name, text)) = &csv {
        files.push((name, text.as_bytes()));
    }
    write_files(dir, &files)?;
    Ok(files.iter().map(|(name, _)| dir.join(name)).collect())
}

impl Render for RunResult {
    const FILES: (&'static str, Option<&'static str>) = ("result.json", Some("summary.csv"));
    fn table(&self) -> String {
        String::from_utf8_lossy(&TableExport.render(self)).into_owned()
    }
    fn json(&self) -> String {
        String::from_utf8_lossy(&JsonExport.render(self)).into_owned()
    }
    fn csv(&self) -> Option<String> {
        Some(String::from_utf8_lossy(&CsvExport.render(self)).into_owned())
    }
}

/// A way of writing a result.
pub trait Export {
    /// Writes `result` to `out`.
    fn export(&self, result: &RunResult, out: &mut dyn Write) -> io::Result<()>;

    /// Renders `result` into bytes.
    fn render(&self, result: &RunResult) -> Vec<u8> {
        let mut buf = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.export(result, &mut buf);
        buf
    }
}

/// Any analysis as pretty JSON with a final newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    // The analyses are plain structs of strings and numbers, which always
    // serialise.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

/// Rows under a header as CSV text.
pub(crate) fn csv_text<R: AsRef<[u8]>>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<R>>,
) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Writes `bytes` to `path` so that the file is either whole or absent:
/// into a temporary file beside it, then renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let tmp = temp_path(path);
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

/// The temporary name beside `path` that a file is written under before
/// it is renamed into place: hidden, and unique to this process.
fn temp_path(path: &Path) -> std::path::PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// A file being written in pieces under its temporary name: renamed over
/// its target by [`Staged::commit`], removed if dropped before that (an
/// error, an interruption), so the target is whole or untouched.
pub(crate) struct Staged {
    path: std::path::PathBuf,
    tmp: std::path::PathBuf,
    file: Option<std::fs::File>,
}

impl Staged {
    /// Creates the temporary file beside `path`.
    pub(crate) fn create(path: &Path) -> Result<Staged, Error> {
        let tmp = temp_path(path);
        let file = std::fs::File::create(&tmp).map_err(|source| Error::Write {
            path: path.to_owned(),
            source,
        })?;
        Ok(Staged {
            path: path.to_owned(),
            tmp,
            file: Some(file),
        })
    }

    /// A handle on the temporary file to write through.
    pub(crate) fn file(&self) -> io::Result<std::fs::File> {
        match &self.file {
            Some(f) => f.try_clone(),
            None => Err(io::Error::other("the file is already committed")),
        }
    }

    /// Syncs the file and renames it over the target; returns its size.
    pub(crate) fn commit(mut self) -> Result<u64, Error> {
        let fail = |source| Error::Write {
            path: self.path.clone(),
            source,
        };
        let file = self
            .file
            .take()
            .ok_or_else(|| fail(io::Error::other("committed twice")))?;
        let bytes = file
            .sync_all()
            .and_then(|_| file.metadata())
            .map(|m| m.len())
            .map_err(fail)?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path).map_err(fail)?;
        self.tmp = std::path::PathBuf::new();
        Ok(bytes)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes named files into `dir`, creating it if needed; each file is
/// written whole or not at all.
pub(crate) fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    for (name, bytes) in files {
        write_atomic(&dir.join(name), bytes)?;
    }
    Ok(())
}

/// Writes a shard's part into `dir` (created if needed) and returns its path.
pub fn write_part(dir: &Path, part: &crate::jobs::Part) -> Result<std::path::PathBuf, Error> {
    let name = part.shard().file_name();
    write_files(dir, &[(&name, &part.to_file())])?;
    Ok(dir.join(name))
}
