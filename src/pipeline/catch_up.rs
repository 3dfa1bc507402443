//! Keeping an index at HEAD when several processes want it there at once (hooks firing in
//! a loop, queries, a background update): updates are serialized by the update lock and
//! coalesced, so the newest HEAD wins, no update is lost and none runs twice for nothing.
//!
//! The protocol: whoever holds the lock updates to HEAD, re-reads HEAD, and repeats until
//! the index matches; after releasing the lock it checks HEAD once more and, if it moved,
//! tries the lock again. A process that finds the lock taken just leaves: HEAD moved before
//! it tried, so the holder's post-release check sees the move.

use std::ops::ControlFlow;
use std::time::Duration;

use anyhow::Result;

use super::{background, Options, Progress, Silent, Summary};
use crate::config::Config;
use crate::git::{self, Repo, Target};
use crate::model::TreeId;
use crate::store::index::Index;
use crate::store::index::State;
use crate::store::{Store, UpdateLock};

/// What a catch-up did.
#[derive(Debug)]
pub enum Outcome {
    /// HEAD has no commit: nothing to index.
    NoCommit,
    /// The index already described HEAD.
    Current,
    /// The index was brought to HEAD (the last of possibly several updates).
    Updated(Box<Summary>),
    /// Another process holds the update lock (and will bring the index to HEAD).
    Busy,
    /// More paths changed than the caller wants to wait for; nothing was done.
    TooFar {
        /// At least this many paths changed.
        changed: usize,
    },
}

/// How long and how far a caller is willing to go.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// How long to wait for another process's update to finish (zero: do not wait).
    pub wait: Duration,
    /// Give up with [`Outcome::TooFar`] when more paths than this changed (and an index
    /// exists to answer from meanwhile).
    pub max_changes: Option<usize>,
}

/// The indexed state, read without taking the lock.
pub fn indexed_state(layout: &Store) -> Result<Option<State>> {
    match layout.open_index_read()? {
        Some(index) => index.state(),
        None => Ok(None),
    }
}

/// The indexed state, read by the holder of the update lock (who verifies the index
/// itself: it cannot wait for its own lock).
fn indexed_state_locked(layout: &Store, lock: &UpdateLock) -> Result<Option<State>> {
    layout.verify_index(lock)?;
    match Index::open_read(&layout.index_path())? {
        Some(index) => index.state(),
        None => Ok(None),
    }
}

/// Takes the update lock within `wait`; `Duration::MAX` waits for as long as it takes,
/// telling `progress` what it waits for after a second.
fn take_lock(
    layout: &Store,
    wait: Duration,
    progress: &dyn Progress,
) -> Result<Option<UpdateLock>> {
    match wait == Duration::MAX {
        true => lock_telling(layout, progress).map(Some),
        false => layout.lock_update_within(wait),
    }
}

/// Takes the update lock, however long another process holds it, telling `progress` what
/// it waits for after a second.
pub fn lock_telling(layout: &Store, progress: &dyn Progress) -> Result<UpdateLock> {
    if let Some(lock) = layout.lock_update_within(Duration::from_secs(1))? {
        return Ok(lock);
    }
    progress.waiting("another git-atse process is updating this index; waiting for it to finish");
    layout.lock_update()
}

/// Whether the hex tree id `hex` is the tree of `target`.
pub fn is_tree(hex: &str, target: &Target) -> bool {
    TreeId::from_hex(hex).is_ok_and(|id| id == target.tree)
}

/// Brings the index to HEAD following the protocol above.
pub fn to_head(
    repo: &Repo,
    layout: &Store,
    opts: &Options,
    policy: Policy,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let mut outcome = Outcome::Current;
    let mut wait = policy.wait;
    loop {
        // A damaged or outdated index reads as "nothing indexed": the update repairs it.
        let state = indexed_state(layout).ok().flatten();
        let Some(head) = repo.head_known(state.as_ref().and_then(State::commit_and_tree))? else {
            return Ok(Outcome::NoCommit);
        };
        if state.is_some_and(|s| is_tree(&s.tree, &head)) {
            return Ok(outcome);
        }
        let Some(lock) = take_lock(layout, wait, progress)? else {
            // Someone else is updating; they re-check HEAD after releasing the lock.
            return Ok(match outcome {
                Outcome::Current => Outcome::Busy,
                done => done,
            });
        };
        wait = Duration::ZERO;
        match update_while_locked(repo, layout, &lock, head, opts, policy, progress)? {
            Step::Done(summary) => outcome = Outcome::Updated(summary),
            Step::TooFar(changed) => return Ok(Outcome::TooFar { changed }),
        }
        drop(lock);
        // Loop: HEAD may have moved while we held the lock and others left it to us.
    }
}

enum Step {
    Done(Box<Summary>),
    TooFar(usize),
}

/// Updates until the index matches HEAD, holding the lock.
fn update_while_locked(
    repo: &Repo,
    layout: &Store,
    lock: &UpdateLock,
    mut head: Target,
    opts: &Options,
    policy: Policy,
    progress: &dyn Progress,
) -> Result<Step> {
    let base = indexed_state_locked(layout, lock).ok().flatten();
    if let (Some(max), Some(base)) = (policy.max_changes, base) {
        let changed = count_changes(repo, &base.tree, &head, max)?;
        if changed > max {
            return Ok(Step::TooFar(changed));
        }
    }
    loop {
        let summary = super::update(repo, layout, lock, &head, opts, progress)?;
        match repo.resolve("HEAD")? {
            Some(now) if !is_tree(&summary.state.tree, &now) => head = now,
            _ => return Ok(Step::Done(Box::new(summary))),
        }
    }
}

/// Changed paths from the indexed tree to `head`, counting at most `cap + 1`.
fn count_changes(repo: &Repo, indexed: &str, head: &Target, cap: usize) -> Result<usize> {
    let Ok(old) = TreeId::from_hex(indexed) else {
        return Ok(usize::MAX);
    };
    if !repo.has_tree(&old) {
        return Ok(usize::MAX);
    }
    let mut n = 0usize;
    git::diff::changes(repo, Some(&old), &head.tree, 256, &mut |b| {
        n += b.len();
        Ok(match n > cap {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        })
    })?;
    Ok(n)
}

/// How long a query waits for a running update before answering from the index as it is.
const QUERY_WAIT: Duration = Duration::from_millis(500);

/// The index a query answers from, and a note for the user when it is not current.
pub struct ForQuery {
    /// `None`: nothing is indexed.
    pub index: Option<Index>,
    /// Why the answer may lag HEAD, if it may.
    pub note: Option<String>,
}

/// The index to answer a query from. Unless `no_update`, first catches up with HEAD
/// (after a reset, a stash, an IDE's commit or a missed hook). A running update is waited
/// for briefly; an index far behind is updated in the background while the query answers
/// from it, with a note.
pub fn for_query(
    repo: &Repo,
    layout: &Store,
    config: &Config,
    no_update: bool,
) -> Result<ForQuery> {
    let answer = |note: Option<String>| -> Result<ForQuery> {
        // An index that describes no tree yet (a first index under way) is none.
        let index = layout
            .open_index_read()?
            .filter(|i| i.state().ok().flatten().is_some());
        Ok(ForQuery { index, note })
    };
    if no_update {
        return answer(None);
    }
    // The common case: the index already describes HEAD; answer from this very handle.
    let current = layout.open_index_read().ok().flatten();
    let state = current.as_ref().and_then(|i| i.state().ok().flatten());
    if let (Some(index), Some(state)) = (current, &state) {
        match repo.head_known(state.commit_and_tree())? {
            Some(head) if is_tree(&state.tree, &head) => {
                return Ok(ForQuery {
                    index: Some(index),
                    note: None,
                })
            }
            None => {
                return Ok(ForQuery {
                    index: Some(index),
                    note: None,
                })
            }
            Some(_) => {} // behind: catch up below (after closing this handle)
        }
    }
    let policy = Policy {
        // With nothing to answer from, wait for a running first index as for our own.
        wait: match state.is_some() {
            true => QUERY_WAIT,
            false => Duration::MAX,
        },
        // With nothing to answer from, index inline however far it is.
        max_changes: state.is_some().then_some(config.query_max_changes as usize),
    };
    let opts = Options::from_config(config, false);
    let outcome = match to_head(repo, layout, &opts, policy, &Silent) {
        Err(e) if state.is_some() && crate::store::is_read_only(&e) => {
            return answer(Some(format!(
                "the index cannot be updated ({e:#}); answering from it as it is"
            )));
        }
        other => other?,
    };
    let note = match outcome {
        Outcome::NoCommit | Outcome::Current | Outcome::Updated(_) => None,
        Outcome::Busy => Some("an update is running; answering from the index as it was".into()),
        Outcome::TooFar { changed } => {
            background::spawn(repo)?;
            Some(format!(
                "the index is {changed}+ changed paths behind HEAD; \
                 updating it in the background and answering from the older index"
            ))
        }
    };
    answer(note)
}
