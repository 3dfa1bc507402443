//! Manual pages, `--help` and shell completion, as a user meets them after `./install.sh`.

use std::path::{Path, PathBuf};

use crate::util::{tool_missing, Repo};

fn man_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man")
}

#[test]
fn checked_in_manual_pages_are_current() {
    let blessing = std::env::var_os("ATSE_BLESS").is_some_and(|v| v == "1");
    assert!(
        !(blessing && crate::util::in_ci()),
        "ATSE_BLESS=1 under CI would rewrite the pages instead of checking them"
    );
    let pages = git_atse::commands::manual::pages().unwrap();
    assert!(pages.len() > 10, "one page per command: {}", pages.len());
    if blessing {
        std::fs::create_dir_all(man_dir()).unwrap();
        for old in std::fs::read_dir(man_dir()).unwrap() {
            std::fs::remove_file(old.unwrap().path()).unwrap();
        }
        for (name, bytes) in &pages {
            std::fs::write(man_dir().join(name), bytes).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, bytes) in &pages {
        if std::fs::read(man_dir().join(name)).ok().as_ref() != Some(bytes) {
            stale.push(name.clone());
        }
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(man_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.retain(|n| !pages.iter().any(|(p, _)| p == n));
    assert!(
        stale.is_empty() && on_disk.is_empty(),
        "docs/man is not what the clap definitions make: changed {stale:?}, left over \
         {on_disk:?}; rerun with ATSE_BLESS=1 cargo test manual"
    );
}

/// A repository, and a MANPATH holding only the checked-in pages (as install.sh puts them).
fn with_manual() -> Option<(Repo, PathBuf)> {
    if std::process::Command::new("man")
        .arg("-w")
        .arg("man")
        .output()
        .is_err()
    {
        tool_missing("man", "apt-get install man-db");
        return None;
    }
    let repo = Repo::new();
    let man1 = repo.tmp().join("share/man/man1");
    std::fs::create_dir_all(&man1).unwrap();
    for page in std::fs::read_dir(man_dir()).unwrap() {
        let page = page.unwrap();
        std::fs::copy(page.path(), man1.join(page.file_name())).unwrap();
    }
    let manpath = man1.parent().unwrap().to_path_buf();
    Some((repo, manpath))
}

/// Runs `git ARGS` with the manual on MANPATH and no pager.
fn git_with_manual(repo: &Repo, manpath: &Path, args: &[&str]) -> (i32, String) {
    let out = repo
        .cmd("git", args)
        .env("MANPATH", manpath)
        .env("PAGER", "cat")
        .env("MANPAGER", "cat")
        .env("GIT_PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn help_opens_the_manual_as_for_any_git_command() {
    let Some((repo, manpath)) = with_manual() else {
        return;
    };
    for args in [&["atse", "--help"][..], &["help", "atse"]] {
        let (code, out) = git_with_manual(&repo, &manpath, args);
        assert_eq!(code, 0, "git {args:?}: {out}");
        assert!(out.contains("GIT-ATSE(1)"), "git {args:?}: {out}");
        for section in [
            "SYNOPSIS",
            "EXAMPLES",
            "EXIT STATUS",
            "CONFIGURATION",
            "FILES",
        ] {
            assert!(out.contains(section), "git {args:?}: no {section}: {out}");
        }
        assert!(out.contains("atse.queryMaxChanges"), "{out}");
        assert!(out.contains("index.redb"), "{out}");
    }
    let (code, out) = git_with_manual(&repo, &manpath, &["atse", "grep-symbol", "--help"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("GIT-ATSE-GREP-SYMBOL(1)"), "{out}");
    assert!(out.contains("--prefix"), "{out}");
    assert!(
        out.contains("git atse grep-symbol parse_args"),
        "examples: {out}"
    );
    // Without a page (nothing on MANPATH): clap's own help, still a success.
    let empty = repo.tmp().join("no-man");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, out) = git_with_manual(&repo, &empty, &["atse", "grep-symbol", "--help"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Usage: git-atse grep-symbol"), "{out}");
}

/// Where git's own bash completion script lives (Debian's git package).
const GIT_COMPLETION: &str = "/usr/share/bash-completion/completions/git";

/// What bash completes for the command line `line` (words split on spaces), through git's
/// own completion and the script `git atse completions bash` prints, in `bash -i`.
fn complete(repo: &Repo, line: &str) -> Vec<String> {
    let script = repo.tmp().join("git-atse.bash");
    let out = repo
        .cmd("git", &["atse", "completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(&script, out.stdout).unwrap();
    let words: Vec<&str> = line.split(' ').collect();
    let program = format!(
        "source {GIT_COMPLETION}; source {script}; COMP_WORDS=({words}); COMP_CWORD={cword}; \
         COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; __git_wrap__git_main; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script = script.display(),
        words = words.join(" "),
        cword = words.len() - 1,
    );
    let out = repo
        .cmd("bash", &["--norc", "--noprofile", "-i", "-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_git_atse_through_gits_own_completion() {
    if !Path::new(GIT_COMPLETION).exists() {
        tool_missing(
            "git's bash completion",
            "apt-get install git bash-completion",
        );
        return;
    }
    let repo = Repo::new();
    assert_eq!(complete(&repo, "git atse gr"), ["grep-symbol"]);
    assert_eq!(complete(&repo, "git atse grep-symbol --pre"), ["--prefix"]);
    let deps = complete(&repo, "git atse deps --format ");
    for f in ["text", "json", "dot", "mermaid"] {
        assert!(deps.contains(&f.to_string()), "{deps:?}");
    }
    for shell in ["zsh", "fish"] {
        let out = repo.atse(&["completions", shell]);
        assert_eq!(out.code, 0);
        assert!(
            out.stdout.contains("grep-symbol"),
            "{shell}: {}",
            out.stdout
        );
    }
}

#[test]
fn version_names_the_commit_and_the_formats() {
    let repo = Repo::new();
    let out = repo.atse_ok(&["--version"]);
    assert!(out.starts_with("git-atse 0."), "{out}");
    assert!(out.contains("(commit "), "{out}");
    assert!(
        out.contains("on-disk formats: index ") && out.contains("extractor "),
        "{out}"
    );
}
