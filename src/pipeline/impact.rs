//! The files a change touches, with both versions of each (object and text), for
//! `query::impact`: between two trees, or between HEAD's tree and the working tree.

use std::ops::ControlFlow;
use std::path::Path;

use anyhow::{bail, Result};

use super::source::ObjectSource;
use crate::extract::Limits;
use crate::git::repo::BlobData;
use crate::git::status::{read_worktree_file, WorktreeChange};
use crate::git::{self, Repo};
use crate::model::{BlobId, FileIndex, TreeId};
use crate::store::objects::Objects;

/// One version of a file: its object and its text.
#[derive(Clone, Debug)]
pub struct Version {
    /// What the extractor found in it.
    pub index: FileIndex,
    /// Its text (empty when larger than the size limit).
    pub text: Vec<u8>,
}

/// A changed file in a supported language: its old and new versions (`None`: absent).
#[derive(Clone, Debug)]
pub struct FileChange {
    /// Repository path.
    pub path: Vec<u8>,
    /// Before.
    pub old: Option<Version>,
    /// After.
    pub new: Option<Version>,
}

/// The other side of the comparison.
pub enum Target {
    /// A tree (a commit's, or the staged one).
    Tree(TreeId),
    /// The working tree, as `git status` finds its changes against HEAD.
    Worktree,
}

/// The changed files between `from` and `target`, sorted by path; more than `max_changes`
/// changed paths is an error that says so.
pub fn file_changes(
    repo: &Repo,
    objects: &Objects,
    from: &TreeId,
    target: &Target,
    (limits, max_changes): (Limits, usize),
) -> Result<Vec<FileChange>> {
    let pairs: Vec<(Vec<u8>, Option<BlobId>, New)> = match target {
        Target::Tree(to) => {
            let mut out = Vec::new();
            git::diff::changes(repo, Some(from), to, 1024, &mut |batch| {
                out.extend(
                    batch
                        .into_iter()
                        .map(|c| (c.path, c.old, c.new.map(New::Blob).unwrap_or(New::Gone))),
                );
                Ok(match out.len() > max_changes {
                    true => ControlFlow::Break(()),
                    false => ControlFlow::Continue(()),
                })
            })?;
            out
        }
        Target::Worktree => repo
            .worktree_changes()?
            .into_iter()
            .map(|c| {
                let (path, new) = match c {
                    WorktreeChange::File(p) => (p, New::Disk),
                    WorktreeChange::Gone(p) => (p, New::Gone),
                };
                let old = repo.blob_at(from, &path)?;
                Ok((path, old, new))
            })
            .collect::<Result<_>>()?,
    };
    if pairs.len() > max_changes {
        bail!(
            "more than {max_changes} paths changed (atse.queryMaxChanges); raise it, or ask \
             about a smaller range"
        );
    }
    let root = repo.work_dir();
    let mut source = ObjectSource::new(&repo.sync(), objects, limits);
    let mut out = Vec::new();
    for (path, old, new) in pairs {
        let old = match old {
            Some(blob) => version_of_blob(repo, &mut source, &path, &blob, limits)?,
            None => None,
        };
        let new = match new {
            New::Blob(blob) => version_of_blob(repo, &mut source, &path, &blob, limits)?,
            New::Disk => match &root {
                Some(root) => version_on_disk(&mut source, root, &path, limits)?,
                None => None,
            },
            New::Gone => None,
        };
        if old.is_some() || new.is_some() {
            out.push(FileChange { path, old, new });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Where the new version of a path is.
enum New {
    Blob(BlobId),
    Disk,
    Gone,
}

fn version_of_blob(
    repo: &Repo,
    source: &mut ObjectSource<'_>,
    path: &[u8],
    blob: &BlobId,
    limits: Limits,
) -> Result<Option<Version>> {
    let Some(got) = source.object_for(path, blob)? else {
        return Ok(None);
    };
    let text = match repo.read_blob(blob, limits.max_file_bytes)? {
        BlobData::Data(d) => d,
        BlobData::TooLarge(_) => Vec::new(),
    };
    Ok(Some(Version {
        index: got.index,
        text,
    }))
}

fn version_on_disk(
    source: &mut ObjectSource<'_>,
    root: &Path,
    path: &[u8],
    limits: Limits,
) -> Result<Option<Version>> {
    let Some(read) = read_worktree_file(root, path, limits.max_file_bytes)? else {
        return Ok(None);
    };
    let Ok(text) = read else {
        return Ok(None);
    };
    Ok(source
        .object_for_data(path, &text)?
        .map(|index| Version { index, text }))
}
