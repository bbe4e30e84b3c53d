//! Exit codes, in one place.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | failure: output could not be written |
//! | 2 | bad input: a model, scenario or command-line value was rejected |

use std::process::ExitCode;

/// The command did what was asked.
pub const OK: u8 = 0;
/// The command failed for a reason other than its input (e.g. a write error).
pub const FAILURE: u8 = 1;
/// The input was rejected; nothing was run or written.
pub const BAD_INPUT: u8 = 2;

/// The exit code for a library error.
pub fn for_error(error: &crate::Error) -> ExitCode {
    ExitCode::from(if error.is_input() { BAD_INPUT } else { FAILURE })
}
