//! Exit codes, in one place.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | failure: output could not be written ([`Error::Write`]), or `bench` found that two thread counts give different bytes ([`NOT_DETERMINISTIC`]) |
//! | 2 | bad input: a model, scenario, part file or command-line value was rejected; nothing was run or written (clap's own usage errors exit 2 as well) |
//!
//! `check` exits 2 when any file it checks is rejected, having checked all.

use crate::Error;

/// The command did what was asked.
pub const OK: u8 = 0;
/// The command failed for a reason other than its input (e.g. a write error).
pub const FAILURE: u8 = 1;
/// `bench`: the results of two thread counts differ, which must never
/// happen; the report is printed all the same.
pub const NOT_DETERMINISTIC: u8 = FAILURE;
/// The input was rejected; nothing was run or written.
pub const BAD_INPUT: u8 = 2;

/// The exit code for a library error.
pub fn for_error(error: &Error) -> u8 {
    match error {
        Error::Load(_) | Error::Merge(_) | Error::Argument(_) => BAD_INPUT,
        Error::Write { .. } => FAILURE,
    }
}
