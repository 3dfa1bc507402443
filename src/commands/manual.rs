//! Manual pages, from the clap definitions (synopsis, options, subcommands) and the
//! sections clap cannot know (examples, exit status, configuration, files). They are
//! checked in under `docs/man/` (a test keeps them current) and installed by `install.sh`,
//! so that `git atse --help` and `git help atse` open them as for any git command.

use std::process::{Command as Process, Stdio};

use anyhow::Result;
use clap::CommandFactory;
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;

use crate::cli::Cli;
use crate::config;

/// Examples per subcommand: (command line, what it does).
const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "update",
        &[
            (
                "git atse update",
                "index HEAD (incremental after the first time)",
            ),
            ("git atse update --full", "rebuild the index from scratch"),
        ],
    ),
    (
        "grep-symbol",
        &[
            (
                "git atse grep-symbol parse_args",
                "where parse_args is defined",
            ),
            (
                "git atse grep-symbol --prefix -i pars",
                "names starting with \"pars\", any case",
            ),
            (
                "git atse grep-symbol --kind class --json Parser",
                "classes named Parser, as JSON lines",
            ),
            (
                "git atse grep-symbol --worktree Parser",
                "as the files are on disk, edits included",
            ),
            (
                "git atse grep-symbol --rev v1.2 Parser",
                "as of a tag (the index is not changed)",
            ),
        ],
    ),
    (
        "tags",
        &[
            (
                "git atse tags -o tags",
                "a sorted tags file for vim and emacs",
            ),
            (
                "git atse tags --worktree -o tags",
                "the tags of what is on disk",
            ),
        ],
    ),
    (
        "status",
        &[
            (
                "git atse status",
                "what is indexed, whether it is current, sizes",
            ),
            (
                "git atse status --json",
                "the same, exact numbers, one JSON object",
            ),
        ],
    ),
    (
        "deps",
        &[
            (
                "git atse deps --external src/main.py",
                "what it imports, inside the repository or not",
            ),
            (
                "git atse deps --format dot --depth 2 src/main.py | dot -Tsvg > deps.svg",
                "a picture",
            ),
        ],
    ),
    (
        "rdeps",
        &[
            (
                "git atse rdeps --transitive include/list.h",
                "everything that depends on it",
            ),
            (
                "git atse rdeps --format mermaid --depth 2 include/list.h",
                "a Mermaid flowchart",
            ),
        ],
    ),
    (
        "refs",
        &[(
            "git atse refs parse_args",
            "call sites, each with its caller",
        )],
    ),
    (
        "rank",
        &[("git atse rank --top 20", "the most depended-on files")],
    ),
    (
        "gc",
        &[(
            "git gc && git atse gc",
            "after git prunes: drop and pack objects",
        )],
    ),
    (
        "share",
        &[
            (
                "git atse share push origin",
                "publish prebuilt objects as signed git notes",
            ),
            (
                "git atse share fetch origin",
                "in another clone: verify and import them",
            ),
        ],
    ),
    (
        "install",
        &[
            ("git atse install", "install the hooks and index HEAD"),
            (
                "git atse install --template",
                "every new clone gets the hooks",
            ),
        ],
    ),
    (
        "uninstall",
        &[(
            "git atse uninstall --purge",
            "remove the hooks and the index",
        )],
    ),
    (
        "completions",
        &[(
            "git atse completions bash > ~/.local/share/bash-completion/completions/git-atse",
            "",
        )],
    ),
];

/// The files under `.git/atse`, for FILES.
const FILES: &[(&str, &str)] = &[
    (
        "index.redb",
        "the index: symbols, paths, dependencies (redb)",
    ),
    (
        "objects/xx/yyyy...",
        "one object per indexed blob, keyed by its git blob id",
    ),
    ("objects/pack/pack-*.pack", "objects packed by git atse gc"),
    (
        "graph, bloom, bloom.delta",
        "the dependency graph (CSR) and the Bloom filter of names",
    ),
    ("update.lock", "held by the one process updating the index"),
    ("log, log.1", "what hooks and background updates report"),
    ("published", "what git atse share published or imported"),
];

/// The version line of every page's footer.
fn source() -> String {
    format!("git-atse {}", env!("CARGO_PKG_VERSION"))
}

/// Every page: (file name, roff), `git-atse.1` first, then one per visible subcommand
/// (and per subcommand of `share`).
pub fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    let top = Cli::command();
    let mut out = vec![("git-atse.1".to_string(), page(top.clone(), &[])?)];
    for sub in top.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_string();
        out.push((format!("git-atse-{name}.1"), page(sub.clone(), &[&name])?));
        for nested in sub.get_subcommands().filter(|s| !s.is_hide_set()) {
            let path = [name.as_str(), nested.get_name()];
            out.push((
                format!("git-atse-{}.1", path.join("-")),
                page(nested.clone(), &path)?,
            ));
        }
    }
    Ok(out)
}

/// The page of `cmd`, reached as `git atse PATH...`.
fn page(cmd: clap::Command, path: &[&str]) -> Result<Vec<u8>> {
    let name = std::iter::once("git-atse")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join("-");
    let bin = std::iter::once("git atse")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let cmd = cmd
        .name(name.clone())
        .bin_name(bin)
        .display_name(name.clone());
    let man = Man::new(cmd.clone())
        .title(name.to_uppercase())
        .section("1")
        .source(source())
        .manual("Git Manual");
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut buf)?;
    }
    let mut roff = Roff::new();
    examples(&mut roff, path);
    exit_status(&mut roff);
    if path.is_empty() {
        configuration(&mut roff);
        files(&mut roff);
    }
    see_also(&mut roff, path);
    roff.to_writer(&mut buf)?;
    Ok(buf)
}

fn examples(roff: &mut Roff, path: &[&str]) {
    let rows: Vec<&(&str, &str)> = EXAMPLES
        .iter()
        .filter(|(cmd, _)| path.first().is_none_or(|p| p == cmd))
        .flat_map(|(_, rows)| rows.iter())
        .collect();
    if rows.is_empty() {
        return;
    }
    roff.control("SH", ["EXAMPLES"]);
    for (line, what) in rows {
        roff.control("TP", []);
        roff.text([bold(*line)]);
        if !what.is_empty() {
            roff.text([roman(what.to_string())]);
        }
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for (code, what) in [
        ("0", "found (or success)"),
        ("1", "nothing found"),
        ("2", "an error, with a message on standard error"),
    ] {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(what)]);
    }
}

fn configuration(roff: &mut Roff) {
    roff.control("SH", ["CONFIGURATION"]);
    roff.text([roman(
        "Read with git config (git ignores the case of key names).",
    )]);
    for key in config::ALL {
        roff.control("TP", []);
        roff.text([bold(key.name)]);
        roff.text([roman(format!("{} (default {})", key.doc, key.default))]);
    }
    for (key, what) in [
        (config::WORKTREE, "queries answer for the working tree unless told --no-worktree (a boolean)"),
        (
            config::SHARE_TRUST_UNSIGNED,
            "share fetch imports notes whose commits are not signed by a trusted key (a boolean; private remotes only)",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(key)]);
        roff.text([roman(what)]);
    }
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.text([roman(
        "Under .git/atse (objects and published in the common git directory, shared by linked worktrees; the rest per worktree):",
    )]);
    for (file, what) in FILES {
        roff.control("TP", []);
        roff.text([bold(*file)]);
        roff.text([roman(*what)]);
    }
}

fn see_also(roff: &mut Roff, path: &[&str]) {
    roff.control("SH", ["SEE ALSO"]);
    let mut refs = vec![match path.is_empty() {
        true => "git(1), ctags(1), global(1)".to_string(),
        false => "git-atse(1)".to_string(),
    }];
    if path.first() == Some(&"gc") {
        refs.push("git-gc(1)".into());
    }
    roff.text([roman(refs.join(", "))]);
}

/// `git atse [SUBCOMMAND...] --help`: opens the subcommand's manual page as git does for
/// its own commands, when `man` has it; `false` when it does not (clap's help then).
pub fn open_page(args: &[String]) -> bool {
    let mut path = Vec::new();
    let mut cmd = Cli::command();
    for arg in args.iter().skip(1) {
        if arg == "--" {
            break;
        }
        if arg.starts_with('-') {
            continue;
        }
        match cmd.find_subcommand(arg) {
            Some(sub) if !sub.is_hide_set() => {
                path.push(arg.clone());
                cmd = sub.clone();
            }
            _ => break,
        }
    }
    let page = std::iter::once("git-atse".to_string())
        .chain(path)
        .collect::<Vec<_>>()
        .join("-");
    // man's own "No manual entry" is not shown: clap's help follows instead.
    Process::new("man")
        .arg(page)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether `args` (argv) ask for the long help: `--help` before any `--`.
pub fn wants_long_help(args: &[String]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--help")
}
