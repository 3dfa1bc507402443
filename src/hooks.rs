//! `hooks`: installing and removing git-atse's hooks, chained with the user's own.
//!
//! A hook file that is already there (and is not ours) is renamed to `<hook>.atse-chained`
//! and our hook runs it first with the same arguments and stdin, keeping its exit status.
//! Uninstall removes our hook and renames the chained one back. Installing twice changes
//! nothing.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

/// The hooks git-atse installs, with their scripts (from `hooks/`).
pub const HOOKS: [(&str, &str); 5] = [
    ("post-commit", include_str!("../hooks/post-commit")),
    ("post-checkout", include_str!("../hooks/post-checkout")),
    ("post-merge", include_str!("../hooks/post-merge")),
    ("post-rewrite", include_str!("../hooks/post-rewrite")),
    ("pre-auto-gc", include_str!("../hooks/pre-auto-gc")),
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
pub fn install(dir: &Path) -> Result<Vec<String>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create hooks directory", dir.display()))?;
    check_no_hook_is_lost(dir)?;
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

/// Fails, before anything is changed, when installing would destroy a hook: another tool
/// replaced ours after we chained the hook that was there before, so moving the new one
/// aside would overwrite the old one.
fn check_no_hook_is_lost(dir: &Path) -> Result<()> {
    for (name, _) in HOOKS {
        let path = dir.join(name);
        let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
        let present = |p: &Path| p.exists() || p.is_symlink();
        if present(&path) && !is_ours(&path) && present(&chained) {
            bail!(
                "{}: not installed: it is not git-atse's, and {} (the hook that was there \
                 before git-atse) is still there; merge the two into {name} by hand, remove \
                 {}, then run `git atse install` again",
                path.display(),
                chained.display(),
                chained.display()
            );
        }
    }
    Ok(())
}

/// Removes our hooks from `dir` and puts back the ones they chained.
pub fn uninstall(dir: &Path) -> Result<Vec<String>> {
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

/// Installs the hooks into the git template directory (see `git::hooks_dir::template_dir`),
/// so that `git clone` and `git init` copy them into new repositories. Returns the hooks
/// directory and what was done.
pub fn install_template() -> Result<(PathBuf, Vec<String>)> {
    let dir = crate::git::hooks_dir::template_dir()?.join("hooks");
    let report = install(&dir)?;
    Ok((dir, report))
}
