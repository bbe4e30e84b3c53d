//! Rendering results: one exporter per format behind one trait, and atomic
//! writes of result files.

pub mod assumptions;
pub mod comparison;
mod csv;
mod json;
pub mod scores;
pub mod sensitivity;
pub mod sweeps;
pub mod table;

pub use self::csv::CsvExport;
pub use self::json::JsonExport;
pub use self::table::TableExport;

use crate::error::Error;
use crate::result::RunResult;
use std::io::{self, Write};
use std::path::Path;

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
pub fn csv_text<R: AsRef<[u8]>>(header: &[&str], rows: impl IntoIterator<Item = Vec<R>>) -> String {
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
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
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

/// Writes named files into `dir`, creating it if needed; each file is
/// written whole or not at all.
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    for (name, bytes) in files {
        write_atomic(&dir.join(name), bytes)?;
    }
    Ok(())
}

/// Writes `result.json` and `summary.csv` into `dir`, creating it if needed.
pub fn write_result_files(dir: &Path, result: &RunResult) -> Result<(), Error> {
    write_files(
        dir,
        &[
            ("result.json", &JsonExport.render(result)),
            ("summary.csv", &CsvExport.render(result)),
        ],
    )
}

/// Writes a shard's part into `dir` (created if needed) and returns its path.
pub fn write_part(dir: &Path, part: &crate::shard::Part) -> Result<std::path::PathBuf, Error> {
    let name = part.shard().file_name();
    // Plain structs of strings and numbers always serialise.
    let mut json = serde_json::to_vec(part).unwrap_or_default();
    json.push(b'\n');
    write_files(dir, &[(&name, &json)])?;
    Ok(dir.join(name))
}
