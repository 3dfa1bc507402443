//! A detached update process, for hooks and queries that must not wait for a long update.

use std::process::{Command, Stdio};

use anyhow::{Context as _, Result};

use crate::git::Repo;

/// Starts `git-atse update --background` detached from this process and its terminal.
pub fn spawn(repo: &Repo) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().context("cannot find the git-atse executable")?;
    let dir = repo.work_dir().unwrap_or_else(|| repo.git_dir());
    Command::new(exe)
        .args(["update", "--background", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .context("cannot start a background update")?;
    Ok(())
}
