//! `coopsim man`: the manual in roff, generated from the command line's own
//! clap definitions. Printed, it is the one page `coopsim(1)`, which lists
//! every subcommand; with `--out DIR` it is a set of pages, `coopsim.1` and
//! one `coopsim-<sub>.1` per subcommand with its options, each file written
//! whole or not at all.

use super::{Cli, note, print};
use clap::CommandFactory;
use coopsim::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  coopsim man | man -l -
  coopsim man --out ~/.local/share/man/man1";

/// Print the manual page in roff, or write every page into a folder.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ManArgs {
    /// Write coopsim.1 and one coopsim-<command>.1 per command into DIR
    /// (created if missing) instead of printing coopsim.1.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Say nothing of the files written.
    #[arg(long, short)]
    quiet: bool,
}

pub fn man(args: ManArgs) -> Result<ExitCode, Error> {
    match &args.out {
        None => print(&page(&command()))?,
        Some(dir) => {
            let written = write_pages(dir)?;
            if !args.quiet {
                note(&format!("wrote {} pages into {}", written, dir.display()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every page of the manual: (file name, roff), `coopsim.1` first, then
/// one per subcommand, named `coopsim-<sub>.1` as the top page's
/// SUBCOMMANDS section refers to them.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let mut top = command();
    // Built, each subcommand knows its page name (`coopsim-run`) and how
    // it is invoked (`coopsim run`).
    top.build();
    let mut pages = vec![("coopsim.1".to_owned(), page(&top))];
    for sub in top.get_subcommands() {
        let name = sub.get_display_name().unwrap_or_else(|| sub.get_name());
        pages.push((format!("{name}.1"), page(sub)));
    }
    pages
}

/// The command line as the manual shows it: `coopsim help` is left out,
/// since the manual is that help.
fn command() -> clap::Command {
    Cli::command().disable_help_subcommand(true)
}

/// One page in roff; every page names the program's version as its source.
fn page(command: &clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(command.clone())
        .source(format!("coopsim {}", env!("CARGO_PKG_VERSION")));
    // Rendering into a Vec cannot fail.
    let _ = man.render(&mut out);
    out
}

/// Writes every page into `dir`, creating it if needed, and says how many.
fn write_pages(dir: &Path) -> Result<usize, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    let pages = pages();
    for (name, roff) in &pages {
        coopsim::output::write_atomic(&dir.join(name), roff)?;
    }
    Ok(pages.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The printed page is a man page (`.TH`) that names every subcommand;
    /// the set has one page per subcommand, each naming its command.
    #[test]
    fn the_manual_covers_every_subcommand() {
        let top = String::from_utf8(page(&command())).unwrap_or_default();
        assert!(
            top.contains(".TH"),
            "rule: coopsim man prints roff with a .TH title line; got {top:?}"
        );
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        let pages = pages();
        for name in &names {
            // roff escapes the hyphen of `coopsim-run`.
            assert!(
                top.contains(&format!("coopsim\\-{name}(1)")),
                "rule: coopsim.1 lists every subcommand; `{name}` is missing; \
                 fix: src/cli/man.rs"
            );
            let file = format!("coopsim-{name}.1");
            let roff = pages
                .iter()
                .find(|(n, _)| *n == file)
                .map(|(_, r)| String::from_utf8_lossy(r).into_owned());
            assert!(
                roff.is_some_and(|r| r.contains(".TH") && r.contains("coopsim")),
                "rule: coopsim man --out writes {file}, a page with a .TH line"
            );
        }
    }
}
