//! `coopsim completions`: a shell's completion script, generated from the
//! command line's own clap definitions so that it never falls behind them.

use super::{Cli, print};
use clap::CommandFactory;
use clap_complete::Shell;
use coopsim::Error;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim completions bash > ~/.local/share/bash-completion/completions/coopsim
  coopsim completions zsh > ~/.zfunc/_coopsim
  coopsim completions fish > ~/.config/fish/completions/coopsim.fish";

/// Print a shell completion script for coopsim.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn completions(args: CompletionsArgs) -> Result<ExitCode, Error> {
    print(&script(args.shell))?;
    Ok(ExitCode::SUCCESS)
}

/// The completion script of `shell`, as bytes for stdout.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "coopsim", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shell's script is there and offers every subcommand, so a
    /// new command is completed without editing anything.
    #[test]
    fn every_shell_completes_every_subcommand() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let text = String::from_utf8(script(shell)).unwrap_or_default();
            assert!(
                text.contains("coopsim"),
                "rule: the {shell} completion script names the program; got {} bytes",
                text.len()
            );
            for name in &names {
                assert!(
                    text.contains(name.as_str()),
                    "rule: the {shell} completion script offers every subcommand; \
                     `{name}` is missing; fix: src/cli/completions.rs"
                );
            }
        }
    }
}
