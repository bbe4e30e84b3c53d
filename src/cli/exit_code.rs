//! Exit codes, in one place.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | failure: output could not be written ([`Error::Write`]), or `bench` found that two thread counts give different bytes ([`NOT_DETERMINISTIC`]) |
//! | 2 | bad input: a model, scenario, part file or command-line value was rejected; nothing was run or written (clap's own usage errors exit 2 as well) |
//! | 130 | interrupted by Ctrl-C while writing a file in pieces (`run --draws`); nothing partial was left ([`Error::Interrupted`]) |
//!
//! `check` exits 2 when any file it checks is rejected, having checked all.

use coopsim::Error;

/// The command failed for a reason other than its input (e.g. a write error).
pub const FAILURE: u8 = 1;
/// `bench`: the results of two thread counts differ, which must never
/// happen; the report is printed all the same.
pub const NOT_DETERMINISTIC: u8 = FAILURE;
/// The input was rejected; nothing was run or written.
pub const BAD_INPUT: u8 = 2;
/// Stopped by Ctrl-C (128 + SIGINT, as a shell reports it); no partial
/// file was left.
pub const INTERRUPTED: u8 = 130;

/// The exit code for a library error.
pub fn for_error(error: &Error) -> u8 {
    match error {
        Error::Load(_) | Error::Merge(_) | Error::Argument(_) => BAD_INPUT,
        Error::Write { .. } => FAILURE,
        Error::Interrupted { .. } => INTERRUPTED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coopsim::error::{ArgumentError, MergeError};
    use coopsim::input::LoadError;

    /// Input errors exit 2, failures to write exit 1, and only the printer
    /// adds `error:` (once).
    #[test]
    fn errors_map_to_their_exit_codes_and_print_with_one_prefix() {
        let cases: Vec<(Error, u8)> = vec![
            (MergeError::NoParts.into(), BAD_INPUT),
            (ArgumentError::NoScenario.into(), BAD_INPUT),
            (
                LoadError::unreadable(
                    std::path::Path::new("x.toml"),
                    std::io::Error::other("gone"),
                )
                .into(),
                BAD_INPUT,
            ),
            (
                Error::Write {
                    path: "out/result.json".into(),
                    source: std::io::Error::other("disk full"),
                },
                FAILURE,
            ),
        ];
        for (e, code) in cases {
            assert_eq!(
                for_error(&e),
                code,
                "rule: exit codes follow the table above; {e}"
            );
            assert_eq!(
                e.is_input(),
                code == BAD_INPUT,
                "rule: Error::is_input agrees with the exit code; {e}"
            );
            let shown = crate::cli::shown(&e);
            assert!(
                shown.starts_with("error: ") && !shown.contains("error: error:"),
                "rule: an error is shown with one `error:` prefix, added by cli::shown; {shown}"
            );
        }
        let write = Error::Write {
            path: "out".into(),
            source: std::io::Error::other("disk full"),
        };
        assert!(
            std::error::Error::source(&write).is_some(),
            "rule: a write error keeps its io::Error as its source"
        );
    }
}
