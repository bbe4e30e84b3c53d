//! The `coopsim` binary: everything is in the library; this maps the
//! outcome to an exit code.

fn main() -> std::process::ExitCode {
    coopsim::cli::main()
}
