//! `--color auto|always|never`: colour in messages where it helps (the
//! `error:` and `hint:` words, the verdict), never in JSON or CSV. `auto`
//! colours a stream only when it is a terminal and `NO_COLOR` is unset or
//! empty (<https://no-color.org>).

use anstyle::{AnsiColor, Style};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

/// When to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Choice {
    /// When the stream is a terminal and NO_COLOR is unset.
    Auto,
    /// Always, even into a pipe or file.
    Always,
    /// Never.
    Never,
}

/// The choice of this process, set once from the command line.
static CHOICE: AtomicU8 = AtomicU8::new(0);

/// Records the command line's choice.
pub fn set(choice: Choice) {
    let code = match choice {
        Choice::Auto => 0,
        Choice::Always => 1,
        Choice::Never => 2,
    };
    CHOICE.store(code, Ordering::Relaxed);
}

/// Whether to colour a stream that is (or is not) a terminal.
fn wanted(terminal: bool) -> bool {
    match CHOICE.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn paint(text: &str, style: Style) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

/// An error message for stderr with `error:` in bold red and `hint:` in
/// bold cyan, when stderr is coloured.
pub fn error(message: &str) -> String {
    if !wanted(std::io::stderr().is_terminal()) {
        return message.to_owned();
    }
    let red = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let cyan = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
    message
        .lines()
        .map(|line| {
            let lead = line.len() - line.trim_start().len();
            let (indent, rest) = line.split_at(lead);
            for (word, style) in [("error:", red), ("hint:", cyan)] {
                if let Some(tail) = rest.strip_prefix(word) {
                    return format!("{indent}{}{tail}", paint(word, style));
                }
            }
            line.to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Table text for stdout with its `verdict:` line in bold, when stdout is
/// coloured.
pub fn verdict(text: &str) -> String {
    if !wanted(std::io::stdout().is_terminal()) {
        return text.to_owned();
    }
    let bold = Style::new().bold();
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_verdict = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("verdict:") {
            in_verdict = true;
        } else if !line.starts_with(' ') {
            in_verdict = false;
        }
        if in_verdict {
            let body = line.trim_end_matches('\n');
            out.push_str(&paint(body, bold));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}
