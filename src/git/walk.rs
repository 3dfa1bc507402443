//! Every file of one tree, depth first in tree order, which is the byte order of the full
//! paths (git sorts a directory's entries as if its name ended in `/`). A rebuild takes its
//! files from here, so that it hands out file ids in path order: a name's postings, keyed
//! by file id, then come in path order and a lookup can stream them and stop
//! (`Index::postings_streamed`). gix's tree diff walks breadth first.

use std::ops::ControlFlow;

use anyhow::{Context as _, Result};
use gix::bstr::{BString, ByteVec};
use gix::objs::tree::EntryMode;
use gix::ObjectId;

use super::diff::Change;
use super::{blob_id, oid, Repo};
use crate::model::TreeId;

/// The entries of one directory not yet visited, last first, under its path.
struct Level {
    dir: BString,
    rest: Vec<(BString, EntryMode, ObjectId)>,
}

/// Streams every regular file of `tree` as an addition to `sink`, in batches of at most
/// `batch_size`, in path order. `sink` returns `Break` to stop early.
pub fn all_files(
    repo: &Repo,
    tree: &TreeId,
    batch_size: usize,
    sink: &mut dyn FnMut(Vec<Change>) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let mut stack = vec![Level {
        dir: BString::default(),
        rest: entries(repo, oid(tree.as_bytes())?)
            .with_context(|| format!("tree {tree}: cannot read"))?,
    }];
    let mut batch = Vec::with_capacity(batch_size.max(1));
    while let Some(level) = stack.last_mut() {
        let Some((name, mode, id)) = level.rest.pop() else {
            stack.pop();
            continue;
        };
        let mut path = level.dir.clone();
        if !path.is_empty() {
            path.push(b'/');
        }
        path.push_str(&name);
        if mode.is_tree() {
            let rest =
                entries(repo, id).with_context(|| format!("tree {id} at {path}: cannot read"))?;
            stack.push(Level { dir: path, rest });
            continue;
        }
        // Regular and executable files only: symlinks and submodules are not indexed.
        if !mode.is_blob() {
            continue;
        }
        batch.push(Change {
            path: path.into(),
            old: None,
            new: Some(blob_id(&id)),
        });
        if batch.len() >= batch_size.max(1) && sink(std::mem::take(&mut batch))?.is_break() {
            return Ok(());
        }
    }
    if !batch.is_empty() {
        // The last batch: whether the sink would stop, nothing follows.
        let _ = sink(batch)?;
    }
    Ok(())
}

/// The entries of tree `id`, last first (popped in tree order).
fn entries(repo: &Repo, id: ObjectId) -> Result<Vec<(BString, EntryMode, ObjectId)>> {
    let tree = repo.inner().find_tree(id)?;
    let mut out = Vec::new();
    for entry in gix::objs::TreeRefIter::from_bytes(&tree.data, tree.id.kind()) {
        let e = entry?;
        out.push((e.filename.to_owned(), e.mode, e.oid.to_owned()));
    }
    out.reverse();
    Ok(out)
}
