//! Building an overlay (`model::overlay`) for a query about another tree than the indexed
//! one: the tree diff between them, with an object for every changed blob (stored or
//! extracted, and stored like any other, so the next query parses nothing).

use std::ops::ControlFlow;

use anyhow::{bail, Result};
use rayon::prelude::*;

use super::source::ObjectSource;
use crate::extract::Limits;
use crate::git::{self, Repo};
use crate::model::overlay::Overlay;
use crate::model::TreeId;
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
    Ok(Overlay {
        changed: changes.into_iter().map(|c| c.path).collect(),
        files,
    })
}
