//! Where git looks for hooks, asked of git itself so that `core.hooksPath` (absolute or
//! relative), linked worktrees and `$GIT_DIR` resolve exactly as git resolves them.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// The hooks directory of the repository at `dir` (`git rev-parse --git-path hooks`).
pub fn hooks_dir(dir: &Path) -> Result<PathBuf> {
    let out = super::cli::run(
        dir,
        &["rev-parse", "--path-format=absolute", "--git-path", "hooks"],
        None,
    )?;
    let path = String::from_utf8(out).context("hooks path is not UTF-8")?;
    Ok(PathBuf::from(path.trim_end_matches('\n')))
}

/// The git template directory: `init.templateDir` when set, else `~/.git-template` (and
/// `init.templateDir` is set to it globally).
pub fn template_dir() -> Result<PathBuf> {
    let out = std::process::Command::new("git")
        .args(["config", "--global", "--path", "init.templateDir"])
        .output()
        .context("cannot run git config")?;
    let existing = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !existing.is_empty() {
        return Ok(existing.into());
    }
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
    Ok(dir)
}
