//! Terminal text fitted to a width: every line of a table's prose that is
//! longer than the width is wrapped at spaces, never inside a word, with its
//! continuation lines indented under it. Tables are laid out to fit; this is
//! for the sentences around them, which differ in length with names and
//! numbers. Widths are display widths (`“`, `±` and `—` are one column).

/// The width every terminal table and its prose fit in.
pub const WIDTH: usize = 80;

/// A table's first cell: `name` padded to `width`, or on a line of its own
/// (the row continuing under it, after the two-space indent) when longer.
pub(crate) fn name_cell(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        format!("{name:<width$}")
    } else {
        format!("{name}\n  {:width$}", "")
    }
}

/// `text` with each line longer than `width` columns wrapped (see the
/// module doc). Lines that fit are left exactly as they are.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let indent = " ".repeat(hanging_indent(body));
        let options = textwrap::Options::new(width)
            .initial_indent(&body[..lead])
            .subsequent_indent(&indent)
            .break_words(false);
        let wrapped = textwrap::wrap(body.trim_start(), options);
        out.push_str(&wrapped.join("\n"));
        out.push_str(newline);
    }
    out
}

/// Where continuation lines of `line` start: under the text after a label
/// such as `  meaning:    ` (a word, a colon and two or more spaces), else
/// two columns in from the line's own indent.
fn hanging_indent(line: &str) -> usize {
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    if let Some(colon) = rest.find(':') {
        let label = &rest[..colon];
        let after = &rest[colon + 1..];
        let gap = after.len() - after.trim_start().len();
        if gap >= 2 && !label.contains(' ') && lead + colon + 1 + gap < WIDTH / 2 {
            return textwrap::core::display_width(&line[..lead + colon + 1 + gap]);
        }
    }
    (lead + 2).min(WIDTH / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long lines wrap at spaces within the width; short ones are kept
    /// byte for byte; a labelled line continues under its text.
    #[test]
    fn long_lines_wrap_under_their_text() {
        let text = format!(
            "short\n  meaning:    {}\n{}\n",
            "word ".repeat(30).trim_end(),
            "x".repeat(90)
        );
        let fitted = fit(&text, 40);
        let lines: Vec<&str> = fitted.lines().collect();
        assert_eq!(lines[0], "short");
        assert!(lines[1].starts_with("  meaning:    word"));
        assert!(lines[2].starts_with("              word"), "{fitted}");
        assert!(
            lines
                .iter()
                .filter(|l| !l.starts_with('x'))
                .all(|l| l.chars().count() <= 40),
            "rule: wrapped lines fit the width; {fitted}"
        );
        assert!(
            fitted.contains(&"x".repeat(90)),
            "rule: a word is never split"
        );
        assert!(fitted.ends_with('\n'));
    }
}
