//! The result as JSON (docs/spec.md §11).

use super::Export;
use crate::result::RunResult;
use std::io::{self, Write};

/// Pretty-printed JSON with a final newline.
pub struct JsonExport;

impl Export for JsonExport {
    fn export(&self, result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, result)?;
        writeln!(out)
    }
}
