//! The `coopsim` binary: the command line over the library. Argument
//! parsing, progress bars, printing and exit codes live here; everything a
//! command computes is in the `coopsim` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
