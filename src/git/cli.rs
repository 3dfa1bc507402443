//! Running the git CLI, for the few jobs gix does not do (notes merge and push, `status`,
//! `write-tree`, hook paths): one place that sets how git is spawned and how its failure reads.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context as _, Result};

/// Runs git in `dir` and returns its stdout; fails with git's stderr.
pub(crate) fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Result<Vec<u8>> {
    let mut cmd = Command::new("git");
    // Untranslated messages: callers match git's stderr (notes fetch tells "the remote
    // has no notes" from a failure), and a translated message would turn that into an error.
    cmd.args(args)
        .env("LC_ALL", "C")
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot run git {}", args.join(" ")))?;
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(data).context("cannot write to git")?;
    }
    let out = child.wait_with_output().context("cannot wait for git")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}
