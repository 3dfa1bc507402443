//! `git atse install` / `git atse uninstall`: the hooks, chained with the user's own.
//!
//! A hook file that is already there (and is not ours) is renamed to `<hook>.atse-chained`
//! and our hook runs it first with the same arguments and stdin, keeping its exit status.
//! Uninstall removes our hook and renames the chained one back. Installing twice changes
//! nothing.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Session;
use crate::cli::{InstallArgs, UninstallArgs};
use crate::git::hooks_dir::hooks_dir;

/// The hooks git-atse installs, with their scripts (from `hooks/`).
pub(crate) const HOOKS: [(&str, &str); 5] = [
    ("post-commit", include_str!("../../hooks/post-commit")),
    ("post-checkout", include_str!("../../hooks/post-checkout")),
    ("post-merge", include_str!("../../hooks/post-merge")),
    ("post-rewrite", include_str!("../../hooks/post-rewrite")),
    ("pre-auto-gc", include_str!("../../hooks/pre-auto-gc")),
];

const MARKER: &str = "git-atse ";
const CHAINED_SUFFIX: &str = ".atse-chained";

fn is_ours(path: &Path) -> bool {
    fs::read(path).is_ok_and(|b| {
        let head = String::from_utf8_lossy(&b[..b.len().min(200)]).into_owned();
        head.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with(&format!("# {MARKER}")))
    })
}

/// Installs the hooks into `dir`; returns what it did, one line per hook.
pub(crate) fn install_hooks(dir: &Path) -> Result<Vec<String>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create hooks directory", dir.display()))?;
    let mut report = Vec::new();
    for (name, script) in HOOKS {
        let path = dir.join(name);
        if path.exists() || path.is_symlink() {
            if is_ours(&path) {
                if fs::read_to_string(&path).is_ok_and(|s| s == script) {
                    report.push(format!("{name}: already installed"));
                    continue;
                }
                report.push(format!("{name}: updated"));
            } else {
                let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
                fs::rename(&path, &chained).with_context(|| {
                    format!("{}: cannot move the existing hook aside", path.display())
                })?;
                report.push(format!("{name}: installed; the existing hook runs first"));
            }
        } else {
            report.push(format!("{name}: installed"));
        }
        fs::write(&path, script)
            .with_context(|| format!("{}: cannot write hook", path.display()))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("{}: cannot make the hook executable", path.display()))?;
    }
    Ok(report)
}

/// Removes our hooks from `dir` and puts back the ones they chained.
pub(crate) fn uninstall_hooks(dir: &Path) -> Result<Vec<String>> {
    let mut report = Vec::new();
    for (name, _) in HOOKS {
        let path = dir.join(name);
        let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
        if !is_ours(&path) {
            continue;
        }
        if chained.exists() || chained.is_symlink() {
            fs::rename(&chained, &path).with_context(|| {
                format!("{}: cannot restore the chained hook", chained.display())
            })?;
            report.push(format!("{name}: removed; the previous hook is restored"));
        } else {
            fs::remove_file(&path)
                .with_context(|| format!("{}: cannot remove hook", path.display()))?;
            report.push(format!("{name}: removed"));
        }
    }
    Ok(report)
}

pub(super) fn run_install(args: &InstallArgs) -> Result<ExitCode> {
    if args.template {
        return install_template(args.quiet);
    }
    Session::open()?; // a clear error outside a repository
    let dir = hooks_dir(&std::env::current_dir()?)?;
    let report = install_hooks(&dir)?;
    if !args.quiet {
        println!("hooks in {}:", dir.display());
        for line in &report {
            println!("  {line}");
        }
    }
    if args.no_index {
        return Ok(ExitCode::SUCCESS);
    }
    super::update::run(&crate::cli::UpdateArgs {
        rev: "HEAD".into(),
        full: false,
        quiet: args.quiet,
        hook: None,
        hook_args: Vec::new(),
        background: false,
    })
}

pub(super) fn run_uninstall(args: &UninstallArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let dir = hooks_dir(&std::env::current_dir()?)?;
    let report = uninstall_hooks(&dir)?;
    if args.purge {
        for d in [&session.layout.local, &session.layout.common] {
            if d.exists() {
                fs::remove_dir_all(d).with_context(|| format!("{}: cannot remove", d.display()))?;
            }
        }
    }
    if !args.quiet {
        if report.is_empty() {
            println!("no git-atse hooks in {}", dir.display());
        }
        for line in &report {
            println!("{line}");
        }
        if !args.purge {
            println!(
                "index data kept in {} (remove it with --purge)",
                session.layout.local.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Sets up a git template directory with the hooks, so `git clone` and `git init` copy
/// them into new repositories. Uses `init.templateDir` when set, else
/// `~/.git-template` (and sets `init.templateDir` globally).
fn install_template(quiet: bool) -> Result<ExitCode> {
    let out = std::process::Command::new("git")
        .args(["config", "--global", "--path", "init.templateDir"])
        .output()
        .context("cannot run git config")?;
    let existing = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let dir = if existing.is_empty() {
        let home = std::env::var_os("HOME").context("HOME is not set")?;
        let dir = Path::new(&home).join(".git-template");
        let status = std::process::Command::new("git")
            .args(["config", "--global", "init.templateDir"])
            .arg(&dir)
            .status()
            .context("cannot run git config")?;
        anyhow::ensure!(
            status.success(),
            "git config --global init.templateDir failed"
        );
        dir
    } else {
        existing.into()
    };
    let report = install_hooks(&dir.join("hooks"))?;
    if !quiet {
        println!(
            "template hooks in {} (init.templateDir):",
            dir.join("hooks").display()
        );
        for line in &report {
            println!("  {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
