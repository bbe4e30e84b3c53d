//! Every command prints through the one path that ends quietly on a closed
//! pipe: `coopsim check ... | head -1` once panicked.

use crate::common::{data, root};
use std::process::{Command, Stdio};

/// 3000 files' worth of `ok:` lines into a pipe whose reader is gone:
/// no panic (exit 101), no panic message.
#[test]
fn check_into_a_closed_pipe_ends_quietly() {
    let model = data("models/tiny.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_coopsim"))
        .arg("check")
        .args(std::iter::repeat_n(&model, 3000))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closing the read end at once: every write after it fails with EPIPE.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() != Some(101) && !stderr.contains("panicked"),
        "rule: a closed stdout ends a command quietly, never in a panic (exit 101); got \
         {:?}\n{stderr}\nfix: print through print() in src/cli/mod.rs, which ends quietly \
         on a broken pipe",
        out.status
    );
}

/// No `print!`/`println!` to stdout in the library or the binary: they
/// panic on a closed pipe. Print through `cli::print`.
#[test]
fn nothing_in_src_prints_with_print_macros() {
    let mut offenders = Vec::new();
    let mut dirs = vec![root("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    let bare = code.replace("eprintln!", "").replace("eprint!", "");
                    if bare.contains("println!") || bare.contains("print!(") {
                        offenders.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "rule: stdout is written only through cli::print, which ends quietly on a closed \
         pipe; print!/println! found:\n{}\nfix: replace each with print() in \
         src/cli/mod.rs (the library returns text for the binary to print)",
        offenders.join("\n")
    );
}
