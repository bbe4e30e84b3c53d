//! The floors of ARCHITECTURE.md point only down: a lower floor never names
//! a higher one. The test reads every `.rs` file under `src/` (unit tests
//! included, since a test that reaches up ties the floors together just the
//! same) and finds `crate::x` paths, in `use` and in expressions, grouped
//! `crate::{x, ..}` imports, `super::super::` escapes that reach the crate
//! root, and the crate root's re-exports (`crate::LoadedScenario` is
//! `input`'s). Comments and string literals are ignored.

use crate::common::root;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Each floor and the top-level modules it must never name.
const RULES: &[(&str, &[&str])] = &[
    ("model", LOW_FLOOR_NEVER),
    ("stats", LOW_FLOOR_NEVER),
    ("sim", LOW_FLOOR_NEVER),
    ("scoring", SCORING_NEVER),
    ("input", &["output", "analysis", "cli"]),
    ("output", &["cli", "chart", "report"]),
    (
        "chart",
        &["cli", "output", "report", "input", "jobs", "bench", "shard"],
    ),
    ("report", &["cli"]),
];

/// What `model`, `stats` and `sim` never name: they compute, and know
/// nothing of files, outputs, analyses, the command line or errors.
const LOW_FLOOR_NEVER: &[&str] = &[
    "input", "output", "analysis", "cli", "shard", "result", "bench", "error", "jobs", "builtin",
];

/// `scoring` computes scores of numbers and names nothing else of ours.
const SCORING_NEVER: &[&str] = &[
    "model", "stats", "sim", "input", "output", "analysis", "cli", "shard", "result", "bench",
    "error", "jobs", "builtin",
];

/// One upward reference: where, and the top-level module named.
#[derive(Debug, PartialEq)]
struct Reference {
    line: usize,
    module: String,
    shown: String,
}

/// The source with comments and the contents of string and character
/// literals blanked out (newlines kept, so lines still count).
fn strip(source: &str) -> String {
    let c: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if c[i] == 'r'
            && matches!(next, Some('"') | Some('#'))
            && (i == 0 || !ident(c[i - 1]) || (c[i - 1] == 'b' && (i < 2 || !ident(c[i - 2]))))
        {
            // A raw string: r"..." or r#"..."#, any number of hashes.
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            for _ in i..=j {
                out.push(' ');
            }
            i = j + 1;
            while i < c.len() {
                if c[i] == '"' && (1..=hashes).all(|h| c.get(i + h) == Some(&'#')) {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += hashes + 1;
                    break;
                }
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '"' {
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c[i] == '\'' && (next == Some('\\') || c.get(i + 2) == Some(&'\'')) {
            // A character literal ('x', '\n', '\u{..}'); otherwise a lifetime.
            out.push(' ');
            i += 1;
            if c.get(i) == Some(&'\\') {
                out.push(' ');
                i += 1;
            }
            while i < c.len() && c[i] != '\'' {
                blank(&mut out, c[i]);
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The tokens of stripped source: identifiers, `::`, and single punctuation,
/// each with its line.
fn tokens(code: &str) -> Vec<(String, usize)> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        if c[i] == '\n' {
            line += 1;
            i += 1;
        } else if c[i].is_whitespace() {
            i += 1;
        } else if c[i].is_alphanumeric() || c[i] == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push((c[start..i].iter().collect(), line));
        } else if c[i] == ':' && c.get(i + 1) == Some(&':') {
            out.push(("::".to_owned(), line));
            i += 2;
        } else {
            out.push((c[i].to_string(), line));
            i += 1;
        }
    }
    out
}

/// The first names of the items of a `{ .. }` group starting at `open`
/// (`{a::b, c, d::{e}}` gives a, c, d), and the index after its `}`.
fn group(tokens: &[(String, usize)], open: usize) -> (Vec<(String, usize)>, usize) {
    let (mut names, mut depth, mut at_item) = (Vec::new(), 0, true);
    let mut i = open;
    while i < tokens.len() {
        let t = tokens[i].0.as_str();
        match t {
            "{" => {
                depth += 1;
                at_item = depth == 1;
            }
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return (names, i + 1);
                }
            }
            "," if depth == 1 => at_item = true,
            _ if depth == 1 && at_item => {
                names.push(tokens[i].clone());
                at_item = false;
            }
            _ => {}
        }
        i += 1;
    }
    (names, i)
}

/// Every top-level module that `source`, the file of module `path` (such as
/// `["sim", "kernel"]`), names: through `crate::`, through `super::` chains
/// that reach the crate root (inline `mod x { .. }` counted), and through
/// the root's re-exports in `reexports` (name to module).
fn references(source: &str, path: &[&str], reexports: &HashMap<String, String>) -> Vec<Reference> {
    let toks = tokens(&strip(source));
    let mut found = Vec::new();
    // Inline modules open at brace depth d: (name, d).
    let (mut inline, mut depth): (Vec<(String, usize)>, usize) = (Vec::new(), 0);
    let mut pending_mod: Option<String> = None;
    let push = |found: &mut Vec<Reference>, name: &(String, usize), shown: String| {
        let module = reexports.get(&name.0).cloned().unwrap_or(name.0.clone());
        found.push(Reference {
            line: name.1,
            module,
            shown,
        });
    };
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].0.as_str();
        match t {
            "mod" => pending_mod = toks.get(i + 1).map(|n| n.0.clone()),
            "{" => {
                depth += 1;
                if let Some(name) = pending_mod.take() {
                    inline.push((name, depth));
                }
            }
            "}" => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            ";" => pending_mod = None,
            _ => {}
        }
        let after = |k: usize| toks.get(k).map(|t| t.0.as_str());
        let preceded_by_path = i > 0 && toks[i - 1].0 == "::";
        if (t == "crate" || t == "super") && !preceded_by_path && after(i + 1) == Some("::") {
            // How far up the chain climbs: `crate` is the root; each `super`
            // is one module up from this file's module and its inline ones.
            let mut j = i;
            let mut supers = 0;
            while after(j) == Some("super") && after(j + 1) == Some("::") {
                supers += 1;
                j += 2;
            }
            let reaches_root = if t == "crate" {
                j = i + 2;
                true
            } else {
                supers >= path.len() + inline.len()
            };
            if reaches_root {
                let head = toks[i..j].iter().map(|t| t.0.as_str()).collect::<String>();
                if after(j) == Some("{") {
                    let (names, end) = group(&toks, j);
                    for n in &names {
                        push(&mut found, n, format!("{head}{{{}, ..}}", n.0));
                    }
                    i = end;
                    continue;
                } else if let Some(next) = toks.get(j).filter(|n| n.0 != "*") {
                    push(&mut found, next, format!("{head}{}", next.0));
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    found
}

/// The root's re-exports, `pub use module::..::Name;` and groups, from
/// the text of `lib.rs`: each re-exported name to its top-level module.
fn reexports(lib: &str) -> HashMap<String, String> {
    let toks = tokens(&strip(lib));
    let mut map = HashMap::new();
    for i in 0..toks.len() {
        if toks[i].0 != "use" || i == 0 || toks[i - 1].0 != "pub" {
            continue;
        }
        let module = match toks.get(i + 1) {
            Some(m) if m.0 == "crate" => toks.get(i + 3),
            m => m,
        };
        let Some(module) = module.map(|m| m.0.clone()) else {
            continue;
        };
        // The names brought in: the last identifier before `;`, or each
        // last identifier of a group's items.
        let mut j = i + 1;
        let mut last = None;
        while j < toks.len() && toks[j].0 != ";" {
            let t = toks[j].0.as_str();
            if t == "," || t == "}" {
                if let Some(name) = last.take() {
                    map.insert(name, module.clone());
                }
            } else if t.chars().all(|c| c.is_alphanumeric() || c == '_') && t != "as" {
                last = Some(t.to_owned());
            }
            j += 1;
        }
        if let Some(name) = last {
            map.insert(name, module.clone());
        }
    }
    map
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            rust_files(&p, into);
        } else if p.extension().is_some_and(|e| e == "rs") {
            into.push(p);
        }
    }
}

/// The module path of a file under `src/`: `sim/kernel.rs` is
/// `["sim", "kernel"]`, `sim/mod.rs` is `["sim"]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

#[test]
fn lower_floors_never_import_higher_ones() {
    let src = root("src");
    let lib = std::fs::read_to_string(src.join("lib.rs"))
        .expect("rule: src/lib.rs is readable; fix: restore it");
    let reexports = reexports(&lib);
    let mut failures = Vec::new();
    let mut scanned = 0;
    for (floor, never) in RULES {
        let mut files = Vec::new();
        let single = src.join(format!("{floor}.rs"));
        if single.is_file() {
            files.push(single);
        }
        rust_files(&src.join(floor), &mut files);
        assert!(
            !files.is_empty(),
            "rule: the layer test scans every floor; src/{floor}.rs or src/{floor}/ is \
             missing; fix: update RULES in tests/layers.rs to the floors of ARCHITECTURE.md"
        );
        for file in files {
            scanned += 1;
            let relative = file.strip_prefix(&src).unwrap_or(&file);
            let path = module_path(relative);
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for r in references(&text, &path, &reexports) {
                if never.contains(&r.module.as_str()) {
                    failures.push(format!(
                        "src/{}:{}: `{}` names `{}`, a higher floor; rule: {floor} never \
                         imports {}; fix: move what it needs down into {floor} or a lower \
                         floor, or let the caller pass it in (in unit tests, build the value \
                         from text with this floor's own helpers)",
                        relative.display(),
                        r.line,
                        r.shown,
                        r.module,
                        never.join(", ")
                    ));
                }
            }
        }
    }
    assert!(
        scanned > 5,
        "rule: the layer test finds the sources; fix: run it from the crate"
    );
    assert!(
        failures.is_empty(),
        "rule: layers only point down (ARCHITECTURE.md); {} upward references:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn modules(source: &str, path: &[&str]) -> Vec<(usize, String)> {
    let reexports =
        reexports("pub use input::{LoadedModel, LoadedScenario};\npub use error::Error;");
    references(source, path, &reexports)
        .into_iter()
        .map(|r| (r.line, r.module))
        .collect()
}

fn pairs(v: &[(usize, &str)]) -> Vec<(usize, String)> {
    v.iter().map(|(l, m)| (*l, m.to_string())).collect()
}

#[test]
fn the_scanner_finds_use_paths_and_groups() {
    let src = "use crate::model::Model;\nuse crate::input::load;\n\
               use crate::{stats::Aggregate, output::{json, csv}};\n";
    assert_eq!(
        modules(src, &["sim", "kernel"]),
        pairs(&[(1, "model"), (2, "input"), (3, "stats"), (3, "output")]),
        "rule: the layer scanner sees `use crate::x` and every item of a group; fix: \
         tests/layers.rs, references()"
    );
}

#[test]
fn the_scanner_finds_paths_in_expressions_across_lines() {
    let src = "fn f() {\n    let x = crate::input::parse_model(\"a\", b)\n        .unwrap();\n    \
               let y = crate\n        ::cli::run();\n}\n";
    assert_eq!(
        modules(src, &["model"]),
        pairs(&[(2, "input"), (5, "cli")]),
        "rule: the layer scanner sees `crate::x::` in expressions, split lines included; \
         fix: tests/layers.rs, references()"
    );
}

#[test]
fn the_scanner_resolves_super_chains_and_inline_modules() {
    // In sim/kernel.rs, `super` is sim and `super::super` the crate root;
    // inside `mod tests`, one more `super` is needed.
    let top = "use super::plan::Plan;\nuse super::super::input::load;\n";
    assert_eq!(
        modules(top, &["sim", "kernel"]),
        pairs(&[(2, "input")]),
        "rule: `super::super::x` from sim/kernel.rs names the crate's x; fix: tests/layers.rs"
    );
    let nested = "mod tests {\n    use super::super::plan::Plan;\n    \
                  use super::super::super::output::json;\n}\nuse super::super::cli;\n";
    assert_eq!(
        modules(nested, &["sim", "kernel"]),
        pairs(&[(3, "output"), (5, "cli")]),
        "rule: an inline module adds one `super` to reach the root; fix: tests/layers.rs"
    );
    assert_eq!(
        modules("use super::Model;\nuse super::input;\n", &["model"]),
        pairs(&[(1, "Model"), (2, "input")]),
        "rule: `super::` from a top-level file is the crate root; fix: tests/layers.rs"
    );
}

#[test]
fn the_scanner_maps_root_reexports_to_their_module() {
    assert_eq!(
        modules(
            "fn f(s: &crate::LoadedScenario) -> crate::Error {}\n",
            &["sim"]
        ),
        pairs(&[(1, "input"), (1, "error")]),
        "rule: a root re-export counts as its module; fix: tests/layers.rs, reexports()"
    );
}

#[test]
fn the_scanner_ignores_comments_strings_and_other_crates() {
    let src = "//! Validated by `crate::input`.\n/* crate::cli /* nested */ crate::output */\n\
               const A: &str = \"crate::input::x\";\nconst B: &str = r#\"crate::cli \"#;\n\
               const C: char = '\"'; const D: char = '{';\n\
               fn f<'a>(x: &'a str) { coopsim::input::load(); other_crate::output::x(); }\n\
               use crate::model::Model; // crate::input\n";
    assert_eq!(
        modules(src, &["sim"]),
        pairs(&[(7, "model")]),
        "rule: the layer scanner reads code only, not comments, strings or other crates' \
         paths; fix: tests/layers.rs, strip()"
    );
}

#[test]
fn the_rules_name_every_floor_below_the_command_line() {
    let floors: Vec<&str> = RULES.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        floors,
        [
            "model", "stats", "sim", "scoring", "input", "output", "chart", "report"
        ],
        "rule: the layer test covers every floor ARCHITECTURE.md draws below the analyses; \
         fix: RULES in tests/layers.rs"
    );
    assert_eq!(
        module_path(Path::new("sim/mod.rs")),
        ["sim"],
        "rule: mod.rs is its folder's module; fix: tests/layers.rs, module_path()"
    );
}
