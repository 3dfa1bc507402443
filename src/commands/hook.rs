//! `git atse update --hook NAME -- ARGS` (run by the hook scripts): catch up with HEAD
//! without ever failing or noticeably slowing the git command. Errors go to `.git/atse/log`
//! and at most one line to stderr; the exit status is always 0.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;

use super::Session;
use crate::pipeline::catch_up::{self, Outcome, Policy};
use crate::pipeline::{background, Options, Silent};

pub(super) fn run(name: &str, args: &[String]) -> ExitCode {
    // post-checkout's third argument is 0 for a file checkout: the tree did not change.
    if name == "post-checkout" && args.get(2).is_some_and(|f| f == "0") {
        return ExitCode::SUCCESS;
    }
    let mut layout = None;
    let what = format!("hook {name}");
    let result = super::panic::guarded(&what, || -> Result<()> {
        let session = Session::open()?;
        layout = Some(session.layout.clone());
        let opts = Options::from_config(&session.config, false);
        let policy = Policy {
            wait: Duration::ZERO,
            // Beyond this, the update runs in the background so git returns at once.
            max_changes: Some(session.config.hook_max_changes as usize),
        };
        if let Outcome::TooFar { .. } =
            catch_up::to_head(&session.repo, &session.layout, &opts, policy, &Silent)?
        {
            background::spawn(&session.repo)?;
        }
        Ok(())
    });
    if let Err(err) = result {
        // Not an error of git-atse's making, and said by every other command: silent.
        if crate::error::find::<crate::git::repo::Sha256Unsupported>(&err).is_some() {
            return ExitCode::SUCCESS;
        }
        let logged = layout
            .as_ref()
            .map(|l| l.log(&format!("hook {name}: {err:#}")));
        match logged {
            Some(Ok(path)) => eprintln!("git-atse: hook {name} failed (see {})", path.display()),
            _ => eprintln!("git-atse: hook {name} failed: {err:#}"),
        }
    }
    ExitCode::SUCCESS
}
