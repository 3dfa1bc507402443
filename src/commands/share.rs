//! `git atse share push|fetch`: prebuilt objects travel between clones as git notes (see
//! `share`).

use std::process::ExitCode;

use anyhow::{bail, Result};

use super::Session;
use crate::cli::ShareCommand;
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
    let Some(index) = session.index_for_query(false)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let report = share::push(&session.repo, &session.layout, index, remote)?;
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
    Ok(ExitCode::SUCCESS)
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
