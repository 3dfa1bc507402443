//! Where git looks for hooks, asked of git itself so that `core.hooksPath` (absolute or
//! relative), linked worktrees and `$GIT_DIR` resolve exactly as git resolves them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};

/// The hooks directory of the repository at `dir` (`git rev-parse --git-path hooks`).
pub fn hooks_dir(dir: &Path) -> Result<PathBuf> {
    let out = Command::new("git")
        .args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
        .current_dir(dir)
        .output()
        .context("cannot run git to find the hooks directory")?;
    if !out.status.success() {
        bail!(
            "git rev-parse --git-path hooks failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let path = String::from_utf8(out.stdout).context("hooks path is not UTF-8")?;
    Ok(PathBuf::from(path.trim_end_matches('\n')))
}
