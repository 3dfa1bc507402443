//! `git atse share push|fetch`: prebuilt objects travel between clones as git notes (see
//! `share`).

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::Session;
use crate::cli::ShareCommand;
use crate::format::shard::ShardRecord;
use crate::share::{self, FetchOutcome};

pub(super) fn run(cmd: &ShareCommand) -> Result<ExitCode> {
    let session = Session::open()?;
    match cmd {
        ShareCommand::Push { remote } => push(&session, remote),
        ShareCommand::Fetch {
            remote,
            trust_unsigned,
        } => {
            let trust = *trust_unsigned || session.config.share_trust_unsigned;
            fetch(&session, remote, trust)
        }
    }
}

fn push(session: &Session, remote: &str) -> Result<ExitCode> {
    let report = match shard_to_push(session)? {
        Some(shard) => share::push_shard(&session.repo, &session.layout, &shard, remote)?,
        None => {
            let Some(index) = session.index_for_query(false)? else {
                bail!("nothing is indexed yet; run `git atse update` (or `update --shard K/N`)");
            };
            share::push(&session.repo, &session.layout, index, remote)?
        }
    };
    println!(
        "published {} new objects{} for commit {} to {remote}{}",
        report.new_objects,
        match &report.snapshot_tree {
            Some(tree) => format!(" and the index of tree {tree}"),
            None => String::new(),
        },
        report.commit,
        match report.signed {
            true => ", signed",
            false => " (unsigned: set user.signingKey to sign)",
        }
    );
    if report.pushes > 1 {
        eprintln!(
            "git-atse: others published at the same time; merged their notes and pushed {} times",
            report.pushes
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The record of an `update --shard` of HEAD's commit, when this worktree's index does not
/// describe that commit (a shard job publishes its shard; a clone with a current index
/// publishes the index's objects).
fn shard_to_push(session: &Session) -> Result<Option<ShardRecord>> {
    let Some(shard) = session.layout.read_shard()? else {
        return Ok(None);
    };
    let head = session.repo.resolve("HEAD")?.and_then(|t| t.commit);
    if head.map(|c| c.to_hex()).as_deref() != Some(shard.commit.as_str()) {
        return Ok(None);
    }
    let indexed = session
        .layout
        .open_index_read()
        .ok()
        .flatten()
        .and_then(|i| i.state().ok().flatten())
        .and_then(|s| s.commit);
    Ok((indexed.as_deref() != Some(shard.commit.as_str())).then_some(shard))
}

fn fetch(session: &Session, remote: &str, trust_unsigned: bool) -> Result<ExitCode> {
    let report = match share::fetch(&session.repo, &session.layout, remote, trust_unsigned)? {
        FetchOutcome::NoNotes => {
            println!("{remote} has no git-atse notes");
            return Ok(ExitCode::from(1));
        }
        FetchOutcome::NoNote => {
            println!("no commit of HEAD's history has a git-atse note");
            return Ok(ExitCode::from(1));
        }
        FetchOutcome::Imported(report) => report,
    };
    for (what, why) in &report.rejected {
        eprintln!("git-atse: rejected {what} from {remote}: {why}");
    }
    println!(
        "imported {} objects{} from the note on commit {}{}",
        report.imported,
        match &report.installed {
            Some(tree) => format!(" and the index of tree {tree}"),
            None => String::new(),
        },
        report.commit,
        match report.rejected.len() {
            0 => String::new(),
            n => format!("; rejected {n} packs or snapshots"),
        }
    );
    Ok(match report.rejected.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(2),
    })
}
