//! Every rule of docs/spec.md §8 "Input errors" and §9 "Settled readings", one file
//! each under `tests/data/invalid/`, and hostile bytes of every kind.
//!
//! Each invalid file says what it tests in its header:
//!
//! ```toml
//! # rule: an unknown driver in an event
//! # expect: unknown driver "sanctons"
//! # at: 7:10
//! ```
//!
//! Every `expect` must appear in the error output, and the first error must
//! stand at `FILE:LINE:COL`.

use crate::common::data;
use coopsim::Error;
use coopsim::input::{self, ModelSearch};
use std::path::Path;

fn check(path: &Path) -> Result<String, Error> {
    Ok(input::check_file(path, &ModelSearch::default())?)
}

#[test]
fn every_invalid_file_is_rejected_where_and_as_it_says() {
    let mut files: Vec<_> = std::fs::read_dir(data("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "rule: the corpus of invalid files, one per input rule, is in tests/data/invalid; \
         it has no .toml file; fix: restore the folder from version control"
    );
    let mut failures = Vec::new();
    for path in &files {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let header = |key: &str| -> Vec<String> {
            text.lines()
                .take_while(|l| l.starts_with('#'))
                .filter_map(|l| l.strip_prefix(&format!("# {key}:")))
                .map(|v| v.trim().to_owned())
                .collect()
        };
        let (expects, at) = (header("expect"), header("at"));
        let name = path.file_name().unwrap().to_string_lossy();
        match check(path) {
            Ok(summary) => failures.push(format!("{name}: accepted ({summary})")),
            Err(e) if !e.is_input() => failures.push(format!("{name}: not an input error: {e}")),
            Err(e) => {
                let shown = e.to_string();
                for expect in &expects {
                    if !shown.contains(expect.as_str()) {
                        failures.push(format!("{name}: expected {expect:?} in\n{shown}"));
                    }
                }
                if let Some(at) = at.first() {
                    let first = shown.lines().next().unwrap_or_default();
                    if !first.contains(&format!(".toml:{at}:")) {
                        failures.push(format!(
                            "{name}: expected the first error at {at}, got\n{first}"
                        ));
                    }
                }
                if expects.is_empty() {
                    failures.push(format!("{name}: has no `# expect:` line"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "rule: every file of tests/data/invalid is rejected as an input error whose message \
         holds each of its `# expect:` lines, the first error at its `# at:` LINE:COL; \
         {} problems:\n\n{}\n\nfix: the rule's check in src/input/validate/ (locations in \
         src/input/diagnostics.rs), or the file's header if a message changed on purpose",
        failures.len(),
        failures.join("\n\n")
    );
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Empty, binary, UTF-16, huge and deeply nested files are input errors, not panics.
#[test]
fn hostile_bytes_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = std::iter::once([0xFF, 0xFE])
        .chain("[model]\nid = \"x\"\n".encode_utf16().map(u16::to_le_bytes))
        .flatten()
        .collect();
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "empty.toml",
            vec![],
            "not a model, a scenario or observations",
        ),
        ("binary.toml", binary, "error:"),
        ("utf16.toml", utf16, "UTF-16"),
        (
            "invalid-utf8.toml",
            b"[model]\nid = \"\xC3\x28\"\n".to_vec(),
            "invalid UTF-8",
        ),
        ("nul.toml", b"[model]\0\n".to_vec(), "error:"),
        (
            "huge.toml",
            vec![b'#'; 17 * 1024 * 1024],
            "more than the limit",
        ),
        (
            "nested-arrays.toml",
            format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            "error:",
        ),
        (
            "nested-tables.toml",
            format!("a = {}1{}", "{b=".repeat(50_000), "}".repeat(50_000)).into_bytes(),
            "error:",
        ),
        (
            "nested-keys.toml",
            format!("[{}]\n", vec!["k"; 50_000].join(".")).into_bytes(),
            "error:",
        ),
        ("wrong-type.toml", b"[model]\nid = 5\n".to_vec(), "error:"),
        (
            "scenario-array.toml",
            b"scenario = [1, 2]\n".to_vec(),
            "error:",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = write(dir.path(), name, &bytes);
        let Err(err) = check(&path) else {
            panic!(
                "rule: hostile bytes are refused before any run (docs/spec.md §8); {name} was \
                 accepted; fix: reading and parsing in src/input/mod.rs and \
                 src/input/diagnostics.rs"
            );
        };
        assert!(
            err.is_input(),
            "rule: hostile bytes are input errors (exit code 2), never another kind; \
             {name}: {err}; fix: turn the failure into a LoadError (src/input/)"
        );
        let shown = err.to_string();
        assert!(
            shown.contains(expect),
            "rule: a hostile file's message says what is wrong with it; {name}: expected \
             {expect:?} in {shown}; fix: the message in src/input/diagnostics.rs or \
             src/input/mod.rs"
        );
        assert!(
            shown.contains(name),
            "rule: every input error names its file; {name} is not in {shown}; fix: the \
             message in src/input/error.rs or src/input/diagnostics.rs"
        );
    }
}

/// Whatever bytes a valid file is mangled into, loading returns (never panics).
#[test]
fn mangled_models_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(data("models/tiny.toml")).unwrap();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"[]{}=\".,-_0123456789 \nabcinfnaQ#'\\e+";
    for i in 0..400 {
        let mut bytes = original.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() % bytes.len() as u64) as usize;
            match next() % 3 {
                0 => bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize],
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, alphabet[(next() % alphabet.len() as u64) as usize]),
            }
        }
        let path = write(dir.path(), &format!("m{i}.toml"), &bytes);
        if let Err(e) = check(&path) {
            assert!(
                e.is_input(),
                "rule: a mangled model is an input error when it fails, never another kind \
                 (docs/spec.md §8); m{i}.toml: {e}; fix: turn the failure into a LoadError \
                 (src/input/)"
            );
        }
    }
}
