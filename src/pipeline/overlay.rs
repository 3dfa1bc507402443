//! Building an overlay (`model::overlay`) for a query about another tree than the indexed
//! one (a revision, the staged tree, the working tree): the tree diff between them, with an object for every changed blob (stored or
//! extracted, and stored like any other, so the next query parses nothing).

use std::ops::ControlFlow;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use anyhow::{bail, Result};
use rayon::prelude::*;

use super::source::ObjectSource;
use crate::extract::{self, Limits};
use crate::git::status::{read_worktree_file, WorktreeChange};
use crate::git::{self, Repo};
use crate::model::overlay::Overlay;
use crate::model::{FileIndex, SkipReason, TreeId};
use crate::resolve;
use crate::store::objects::Objects;

/// Changed paths handled per batch.
const BATCH: usize = 1024;

/// The overlay that turns an index of `indexed` into one of `target`. More than
/// `max_changes` changed paths is an error that says what to do instead.
pub fn for_tree(
    repo: &Repo,
    objects: &Objects,
    indexed: &TreeId,
    target: &TreeId,
    limits: Limits,
    max_changes: usize,
) -> Result<Overlay> {
    let mut changes = Vec::new();
    git::diff::changes(repo, Some(indexed), target, BATCH, &mut |batch| {
        changes.extend(batch);
        Ok(match changes.len() > max_changes {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        })
    })?;
    if changes.len() > max_changes {
        bail!(
            "more than {max_changes} paths differ from the indexed tree (atse.queryMaxChanges); \
             raise it, or index that tree where it is checked out (`git worktree add DIR REV`, \
             then `git atse update` there)"
        );
    }
    let sync = repo.sync();
    let files = changes
        .par_iter()
        .filter_map(|c| c.new.as_ref().map(|blob| (c, blob)))
        .map_init(
            || ObjectSource::new(&sync, objects, limits),
            |source, (c, blob)| {
                Ok(source
                    .object_for(&c.path, blob)?
                    .map(|got| (c.path.clone(), got.index)))
            },
        )
        .filter_map(Result::transpose)
        .collect::<Result<_>>()?;
    let configs = changes
        .iter()
        .filter(|c| c.new.is_some() && resolve::is_config(&c.path))
        .map(|c| c.path.clone())
        .collect();
    Ok(Overlay {
        changed: changes.into_iter().map(|c| c.path).collect(),
        files,
        configs,
        tree: Some(target.clone()),
        dirty: Default::default(),
    })
}

/// The overlay that turns an index of `indexed` into one of the working tree: the tree
/// diff to HEAD's tree `head` (nothing when the index is current), then every path `git
/// status` reports, answered as it is on disk. More than `max_changes` paths is an error.
pub fn for_worktree(
    repo: &Repo,
    objects: &Objects,
    (indexed, head): (&TreeId, &TreeId),
    limits: Limits,
    max_changes: usize,
) -> Result<Overlay> {
    let mut overlay = match indexed == head {
        true => Overlay::default(),
        false => for_tree(repo, objects, indexed, head, limits, max_changes)?,
    };
    let changes = repo.worktree_changes()?;
    if changes.len() > max_changes {
        bail!(
            "{} paths of the working tree differ from HEAD, more than {max_changes} \
             (atse.queryMaxChanges); raise it, or commit and let the index catch up",
            changes.len()
        );
    }
    let Some(root) = repo.work_dir() else {
        bail!("--worktree needs a working tree; this repository is bare");
    };
    let sync = repo.sync();
    let files: Vec<(Vec<u8>, Option<FileIndex>, bool)> = changes
        .par_iter()
        .map_init(
            || ObjectSource::new(&sync, objects, limits),
            |source, change| on_disk(source, &root, change, limits),
        )
        .collect::<Result<_>>()?;
    for (path, file, is_config) in files {
        overlay.files.remove(&path);
        overlay.configs.remove(&path);
        if let Some(file) = file {
            overlay.files.insert(path.clone(), file);
        }
        if is_config {
            overlay.configs.insert(path.clone());
        }
        overlay.changed.insert(path.clone());
        overlay.dirty.insert(path);
    }
    overlay.tree = None;
    Ok(overlay)
}

/// What a changed path of the working tree holds on disk, as an object, and whether it is
/// a configuration file that exists there.
fn on_disk(
    source: &mut ObjectSource<'_>,
    root: &Path,
    change: &WorktreeChange,
    limits: Limits,
) -> Result<(Vec<u8>, Option<FileIndex>, bool)> {
    let path = match change {
        WorktreeChange::Gone(path) => return Ok((path.clone(), None, false)),
        WorktreeChange::File(path) if resolve::is_config(path) => {
            let present = root.join(std::ffi::OsStr::from_bytes(path)).is_file();
            return Ok((path.clone(), None, present));
        }
        WorktreeChange::File(path) => path,
    };
    let file = match read_worktree_file(root, path, limits.max_file_bytes)? {
        // Vanished since git status looked: gone.
        None => None,
        Some(Err(_too_large)) => {
            extract::lang::by_path(path).map(|lang| FileIndex::skipped(lang, SkipReason::TooLarge))
        }
        Some(Ok(data)) => source.object_for_data(path, &data)?,
    };
    Ok((path.clone(), file, false))
}
