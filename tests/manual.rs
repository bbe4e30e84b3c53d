//! The shell completions and the manual, through the binary: every shell's
//! script and the man pages cover every subcommand that `coopsim --help`
//! lists, the bash script parses, and `man --out` writes whole pages only.

use crate::common::coopsim;

/// The subcommands `coopsim --help` lists (`help` aside), read from its
/// "Commands:" section: a name indented by two spaces at the start of
/// each entry.
fn subcommands() -> Vec<String> {
    let out = coopsim().arg("--help").output().expect("coopsim runs");
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let names: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|n| n != "help")
        .collect();
    assert!(
        names.len() >= 10 && names.iter().any(|n| n == "man"),
        "rule: the test reads every subcommand from `coopsim --help`; got {names:?}; \
         fix: tests/manual.rs subcommands()"
    );
    names
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    let names = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = coopsim()
            .args(["completions", shell])
            .output()
            .expect("coopsim runs");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && !script.trim().is_empty(),
            "rule: `coopsim completions {shell}` prints a script and exits 0; \
             got {:?} and {} bytes",
            out.status,
            script.len()
        );
        for name in &names {
            assert!(
                script.contains(name.as_str()),
                "rule: the {shell} script completes every subcommand; `{name}` is missing"
            );
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    coopsim()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("possible values"));
}

/// bash itself parses the script (`bash -n`); skipped where bash is not
/// installed.
#[test]
fn the_bash_script_parses() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("bash is not installed: the bash completion script was not parsed");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("coopsim.bash");
    let out = coopsim()
        .args(["completions", "bash"])
        .output()
        .expect("coopsim runs");
    std::fs::write(&path, &out.stdout).expect("the script is written");
    let parsed = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(
        parsed.status.success(),
        "rule: the bash completion script is valid bash; bash -n says {}",
        String::from_utf8_lossy(&parsed.stderr)
    );
}

#[test]
fn the_printed_man_page_lists_every_subcommand() {
    let out = coopsim().arg("man").output().expect("coopsim runs");
    let roff = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && roff.contains(".TH coopsim 1"),
        "rule: `coopsim man` prints a roff page titled coopsim(1); got {roff:?}"
    );
    for name in subcommands() {
        assert!(
            roff.contains(&format!("coopsim\\-{name}(1)")),
            "rule: coopsim(1) lists every subcommand; `{name}` is missing"
        );
    }
}

#[test]
fn man_out_writes_one_whole_page_per_subcommand_and_nothing_else() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("man1");
    coopsim()
        .args(["man", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let mut want: Vec<String> = subcommands()
        .iter()
        .map(|n| format!("coopsim-{n}.1"))
        .collect();
    want.push("coopsim.1".to_owned());
    want.sort();
    let mut got: Vec<String> = std::fs::read_dir(&out)
        .expect("the folder is made")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    got.sort();
    assert_eq!(
        got, want,
        "rule: man --out writes coopsim.1 and one coopsim-<sub>.1 per subcommand, \
         and no temporary file"
    );
    for name in &want {
        let page = std::fs::read_to_string(out.join(name)).expect("a page is text");
        let title = name.trim_end_matches(".1");
        assert!(
            page.contains(&format!(".TH {title} 1")) && page.contains(".SH SYNOPSIS"),
            "rule: {name} is a whole page titled {title}(1) with a synopsis"
        );
    }
}
