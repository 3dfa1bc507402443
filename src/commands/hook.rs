//! `git atse update --hook NAME -- ARGS` (run by the hook scripts): catch up with HEAD
//! without ever failing or noticeably slowing the git command. Errors go to `.git/atse/log`
//! and at most one line to stderr; the exit status is always 0.

use std::io::Write;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::Session;
use crate::catch_up::{self, Outcome, Policy};
use crate::store::Layout;
use crate::update::{Options, Silent};

/// `atse.hookMaxChanges`: a hook updates inline up to this many changed paths; beyond, it
/// starts the update in the background so git returns at once.
pub(crate) const HOOK_MAX_CHANGES_KEY: &str = "atse.hookMaxChanges";
pub(crate) const HOOK_MAX_CHANGES_DEFAULT: u64 = 500;

pub(super) fn run(name: &str, args: &[String]) -> ExitCode {
    // post-checkout's third argument is 0 for a file checkout: the tree did not change.
    if name == "post-checkout" && args.get(2).is_some_and(|f| f == "0") {
        return ExitCode::SUCCESS;
    }
    let mut layout = None;
    let result = (|| -> Result<()> {
        let session = Session::open()?;
        layout = Some(session.layout.clone());
        let opts = Options::from_config(&session.repo, false)?;
        let max = session
            .repo
            .config_u64(HOOK_MAX_CHANGES_KEY)?
            .unwrap_or(HOOK_MAX_CHANGES_DEFAULT);
        let policy = Policy {
            wait: Duration::ZERO,
            max_changes: Some(max as usize),
            defer_slow_langs: true,
        };
        if let Outcome::TooFar { .. } =
            catch_up::to_head(&session.repo, &session.layout, &opts, policy, &Silent)?
        {
            spawn_background(&session)?;
        }
        Ok(())
    })();
    if let Err(err) = result {
        let logged = layout
            .as_ref()
            .map(|l| log(l, &format!("hook {name}: {err:#}")));
        match logged {
            Some(Ok(path)) => eprintln!("git-atse: hook {name} failed (see {})", path.display()),
            _ => eprintln!("git-atse: hook {name} failed: {err:#}"),
        }
    }
    ExitCode::SUCCESS
}

/// Starts `git-atse update --background` detached from this process and its terminal.
pub(crate) fn spawn_background(session: &Session) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().context("cannot find the git-atse executable")?;
    let dir = session
        .repo
        .work_dir()
        .unwrap_or_else(|| session.repo.git_dir());
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

/// Appends a line to `.git/atse/log` (rotated at 1 MiB); returns the log's path.
pub(crate) fn log(layout: &Layout, msg: &str) -> Result<std::path::PathBuf> {
    layout.create_dirs()?;
    let path = layout.local.join("log");
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > 1 << 20) {
        let _ = std::fs::rename(&path, layout.local.join("log.1"));
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("{}: cannot open log", path.display()))?;
    writeln!(
        f,
        "{secs} pid {}: {}",
        std::process::id(),
        msg.replace('\n', " ")
    )
    .with_context(|| format!("{}: cannot write log", path.display()))?;
    Ok(path)
}
