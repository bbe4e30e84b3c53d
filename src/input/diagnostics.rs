//! Problems in input files, located at `file:line:column` with a hint.
//!
//! Validation speaks in key paths (`drivers.sanctions.jumps[0].rate`); this
//! module turns a path into a place in the file by walking the spanned TOML
//! tree, and renders each problem as
//!
//! ```text
//! error: scenarios/x.toml:12:1: drivers.sanctons: unknown driver "sanctons"
//!    |
//! 12 | [drivers.sanctons]
//!    |          ^^^^^^^^
//!   hint: did you mean "sanctions"?
//! ```

use std::fmt;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Files larger than this are refused before parsing.
pub(crate) const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// One step of a key path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

/// Where a value stands in a file, as keys and array positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPath(Vec<Segment>);

impl KeyPath {
    /// The path of the document root.
    pub fn root() -> KeyPath {
        KeyPath::default()
    }

    /// Parses a dotted path such as `drivers.sanctions.jumps[0].rate`.
    pub fn parse(dotted: &str) -> KeyPath {
        let mut path = KeyPath::root();
        for part in dotted.split('.').filter(|p| !p.is_empty()) {
            let mut pieces = part.split('[');
            if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
                path.0.push(Segment::Key(key.to_owned()));
            }
            for index in pieces {
                match index.trim_end_matches(']').parse() {
                    Ok(i) => path.0.push(Segment::Index(i)),
                    Err(_) => path.0.push(Segment::Key(index.to_owned())),
                }
            }
        }
        path
    }

    /// This path extended by a key.
    pub fn key(&self, key: &str) -> KeyPath {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.to_owned()));
        p
    }

    /// This path extended by an array position.
    pub fn index(&self, index: usize) -> KeyPath {
        let mut p = self.clone();
        p.0.push(Segment::Index(index));
        p
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem found by validation, before it is located in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub path: KeyPath,
    pub message: String,
    pub hint: Option<String>,
    /// Point at the key itself (an unknown id) rather than at its value,
    /// unless the value is a string: then the id is the value.
    pub at_key: bool,
}

impl Problem {
    /// A problem with the value at `path`.
    pub fn new(path: KeyPath, message: impl Into<String>) -> Problem {
        Problem {
            path,
            message: message.into(),
            hint: None,
            at_key: false,
        }
    }

    /// Adds a `hint:` line.
    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint only when there is one.
    pub(crate) fn maybe_hint(mut self, hint: Option<String>) -> Problem {
        self.hint = hint;
        self
    }

    /// Points at the key rather than the value.
    pub(crate) fn at_key(mut self) -> Problem {
        self.at_key = true;
        self
    }
}

/// A located problem, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The key path, empty for problems of the file as a whole.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// The text of the line, and how many characters to underline.
    pub snippet: Option<(String, usize)>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)?;
        if let Some((text, width)) = &self.snippet {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let lead: String = text
                .chars()
                .take(self.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{pad} |\n{number} | {text}\n{pad} | {lead}{}",
                "^".repeat((*width).max(1))
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in the inputs of one command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// An input file's text and spanned tree, to locate problems in.
pub(crate) struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
    root: Option<Spanned<DeValue<'a>>>,
}

impl<'a> SourceFile<'a> {
    /// Parses `text` for locating; syntax errors come back as diagnostics.
    pub fn parse(name: &'a str, text: &'a str) -> Result<SourceFile<'a>, Diagnostics> {
        let (table, errors) = DeTable::parse_recoverable(text);
        let file = SourceFile {
            name,
            text,
            root: Some(Spanned::new(
                table.span(),
                DeValue::Table(table.into_inner()),
            )),
        };
        if errors.is_empty() {
            return Ok(file);
        }
        let diagnostics = errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                file.at(span, "", syntax_message(e.message()), None)
            })
            .collect();
        Err(Diagnostics(diagnostics))
    }

    /// A file that could not be read as text: problems point at byte offsets only.
    pub(crate) fn unparsed(name: &'a str, text: &'a str) -> SourceFile<'a> {
        SourceFile {
            name,
            text,
            root: None,
        }
    }

    /// Locates a validation problem.
    pub(crate) fn locate(&self, problem: &Problem) -> Diagnostic {
        let span = self.span_of(&problem.path, problem.at_key);
        self.at(
            span,
            &problem.path.to_string(),
            problem.message.clone(),
            problem.hint.clone(),
        )
    }

    /// Locates every problem, in file order.
    pub(crate) fn locate_all(&self, problems: &[Problem]) -> Diagnostics {
        let mut out: Vec<Diagnostic> = problems.iter().map(|p| self.locate(p)).collect();
        out.sort_by_key(|d| (d.line, d.column));
        out.dedup();
        Diagnostics(out)
    }

    /// A diagnostic at a byte range of the file.
    pub fn at(
        &self,
        span: Range<usize>,
        path: &str,
        message: String,
        hint: Option<String>,
    ) -> Diagnostic {
        let start = floor_char_boundary(self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(self.text, span.end.clamp(start, self.text.len()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line = self.text[..start].matches('\n').count() + 1;
        let column = self.text[line_start..start].chars().count() + 1;
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
        let width = self.text[start..end.min(line_end).max(start)]
            .chars()
            .count();
        let snippet = (line_text.chars().count() <= 200 && !line_text.trim().is_empty())
            .then(|| (line_text.to_owned(), width));
        Diagnostic {
            file: self.name.to_owned(),
            line,
            column,
            path: path.to_owned(),
            message,
            hint,
            snippet,
        }
    }

    /// The span of the deepest part of `path` that exists in the file.
    fn span_of(&self, path: &KeyPath, at_key: bool) -> Range<usize> {
        let Some(root) = &self.root else {
            return 0..0;
        };
        let mut node = root;
        let mut span = 0..0;
        for (i, seg) in path.0.iter().enumerate() {
            let last = i + 1 == path.0.len();
            let mut on_key = false;
            let next = match (seg, node.get_ref()) {
                (Segment::Key(k), DeValue::Table(t)) => {
                    t.get_key_value(k.as_str()).map(|(key, v)| {
                        // An id written as a key (`[drivers.sanctons]`) is the
                        // key; one written as a string (`driver = "sanctons"`)
                        // is the value.
                        if last && at_key && !matches!(v.get_ref(), DeValue::String(_)) {
                            span = key.span();
                            on_key = true;
                        }
                        v
                    })
                }
                (Segment::Index(n), DeValue::Array(a)) => a.get(*n),
                _ => None,
            };
            match next {
                Some(v) => {
                    node = v;
                    if !on_key {
                        span = v.span();
                    }
                }
                None => break,
            }
        }
        span
    }
}

/// Suggests the candidate nearest to `word`, if any is near enough.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean \"{c}\"?"))
}

/// A hint listing what is allowed, preceded by a near miss when there is one.
pub(crate) fn suggest(word: &str, candidates: &[&str], what: &str) -> String {
    let list = candidates.join(", ");
    match did_you_mean(word, candidates.iter().copied()) {
        Some(near) => format!("{near} ({what}: {list})"),
        None if candidates.is_empty() => format!("there are no {what}"),
        None => format!("{what}: {list}"),
    }
}

fn syntax_message(message: &str) -> String {
    let message = message.trim();
    let mut m = message.to_owned();
    if let Some(first) = m.get(..1) {
        m.replace_range(..1, &first.to_lowercase());
    }
    m.trim_end_matches('.').to_owned()
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Turns raw bytes into text, or says why they are not a UTF-8 TOML file.
pub(crate) fn decode<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostics> {
    let whole_file = |message: &str, hint: &str| Diagnostic {
        file: name.to_owned(),
        line: 1,
        column: 1,
        path: String::new(),
        message: message.to_owned(),
        hint: Some(hint.to_owned()),
        snippet: None,
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(whole_file(
            &format!(
                "file is {} bytes, more than the limit of {MAX_FILE_BYTES}",
                bytes.len()
            ),
            "model and scenario files are small text files; is this the right file?",
        )
        .into());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(whole_file(
            "file is UTF-16 encoded",
            "save it as UTF-8, the encoding TOML requires",
        )
        .into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let file = SourceFile::unparsed(name, valid);
            let mut d = file.at(
                valid.len()..valid.len(),
                "",
                format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                Some("TOML files must be UTF-8 text; is this a binary file?".to_owned()),
            );
            d.snippet = None;
            Err(d.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_round_trip_through_text() {
        for text in ["drivers.sanctions.jumps[0].rate", "events[3].at", "model"] {
            assert_eq!(KeyPath::parse(text).to_string(), text);
        }
    }

    #[test]
    fn problems_are_located_at_their_value_or_key() {
        let text = "[model]\nid = \"x\"\n\n[drivers.sanctons]\ninitial = 0.5\n";
        let file = SourceFile::parse("m.toml", text).unwrap();
        let d = file.locate(&Problem::new(KeyPath::parse("model.id"), "bad"));
        assert_eq!((d.line, d.column), (2, 6));
        let d = file.locate(&Problem::new(KeyPath::parse("drivers.sanctons"), "unknown").at_key());
        assert_eq!((d.line, d.column), (4, 10));
        let d = file.locate(&Problem::new(KeyPath::parse("model.id"), "unknown").at_key());
        assert_eq!(
            (d.line, d.column),
            (2, 6),
            "an id written as a string is its value"
        );
        let d = file.locate(&Problem::new(
            KeyPath::parse("drivers.sanctons.nothing"),
            "x",
        ));
        assert_eq!(d.line, 4, "falls back to the deepest part that exists");
    }

    #[test]
    fn near_misses_are_suggested() {
        let hint = did_you_mean("sanctons", ["sanctions", "cpec", "energy"]);
        assert_eq!(hint.as_deref(), Some("did you mean \"sanctions\"?"));
        assert_eq!(did_you_mean("zzz", ["sanctions"]), None);
    }

    #[test]
    fn non_utf8_and_utf16_are_refused() {
        let utf16 = decode("f", b"\xFF\xFEa\0").unwrap_err();
        assert!(utf16.0[0].message.contains("UTF-16"));
        let d = decode("f", b"a = 1\nb = \"\xC3\x28\"")
            .unwrap_err()
            .0
            .remove(0);
        assert_eq!((d.line, d.column), (2, 6));
        assert_eq!(decode("f", b"\xEF\xBB\xBFa = 1").unwrap(), "a = 1");
    }
}
