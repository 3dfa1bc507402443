//! The changed files between two trees, streamed in bounded batches from gix's tree diff.
//!
//! Only regular and executable files count: symlinks and submodules (gitlinks) are not
//! indexed, so a file that becomes a symlink is a deletion, and back an addition. gix's
//! plain tree diff has no rename tracking: a rename is a deletion plus an addition of the
//! same blob, which costs nothing to extract again.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use anyhow::{Context as _, Result};
use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::diff::tree::visit;
use gix::objs::tree::EntryMode;
use gix::ObjectId;

use super::{blob_id, oid, Repo};
use crate::model::{BlobId, TreeId};

/// One changed path. At least one side is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The path from the tree's root, `/`-separated (raw bytes).
    pub path: Vec<u8>,
    /// The blob before, when the path was a regular file before.
    pub old: Option<BlobId>,
    /// The blob after, when the path is a regular file after.
    pub new: Option<BlobId>,
}

struct Visitor<'a> {
    path: BString,
    path_deque: VecDeque<BString>,
    batch: Vec<Change>,
    batch_size: usize,
    sink: &'a mut dyn FnMut(Vec<Change>) -> Result<ControlFlow<()>>,
    error: Option<anyhow::Error>,
    /// The sink asked to stop: not an error.
    stopped: bool,
}

impl Visitor<'_> {
    fn flush(&mut self) -> ControlFlow<()> {
        let batch = std::mem::take(&mut self.batch);
        if batch.is_empty() {
            return ControlFlow::Continue(());
        }
        match (self.sink)(batch) {
            Ok(ControlFlow::Continue(())) => ControlFlow::Continue(()),
            Ok(ControlFlow::Break(())) => {
                self.stopped = true;
                ControlFlow::Break(())
            }
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }

    fn push_element(&mut self, name: &BStr) {
        if name.is_empty() {
            return;
        }
        if !self.path.is_empty() {
            self.path.push(b'/');
        }
        self.path.push_str(name);
    }
}

fn file(mode: EntryMode, id: ObjectId) -> Option<BlobId> {
    mode.is_blob().then(|| blob_id(&id))
}

impl gix::diff::tree::Visit for Visitor<'_> {
    fn pop_front_tracked_path_and_set_current(&mut self) {
        self.path = self.path_deque.pop_front().unwrap_or_default();
    }

    fn push_back_tracked_path_component(&mut self, component: &BStr) {
        self.push_element(component);
        self.path_deque.push_back(self.path.clone());
    }

    fn push_path_component(&mut self, component: &BStr) {
        self.push_element(component);
    }

    fn pop_path_component(&mut self) {
        match self.path.rfind_byte(b'/') {
            Some(pos) => self.path.truncate(pos),
            None => self.path.clear(),
        }
    }

    fn visit(&mut self, change: visit::Change) -> visit::Action {
        let (old, new) = match change {
            visit::Change::Addition {
                entry_mode, oid, ..
            } => (None, file(entry_mode, oid)),
            visit::Change::Deletion {
                entry_mode, oid, ..
            } => (file(entry_mode, oid), None),
            visit::Change::Modification {
                previous_entry_mode,
                previous_oid,
                entry_mode,
                oid,
            } => (
                file(previous_entry_mode, previous_oid),
                file(entry_mode, oid),
            ),
        };
        if old.is_none() && new.is_none() {
            return ControlFlow::Continue(());
        }
        // A mode change alone (chmod +x) changes nothing git-atse records.
        if old.is_some() && old == new {
            return ControlFlow::Continue(());
        }
        self.batch.push(Change {
            path: self.path.to_vec(),
            old,
            new,
        });
        if self.batch.len() >= self.batch_size {
            return self.flush();
        }
        ControlFlow::Continue(())
    }
}

/// Streams the file changes from `old` (`None`: the empty tree) to `new` to `sink`, in
/// batches of at most `batch_size`, so memory stays bounded on any tree size. The sink
/// returns `ControlFlow::Break` to stop early (that is not an error).
pub fn changes(
    repo: &Repo,
    old: Option<&TreeId>,
    new: &TreeId,
    batch_size: usize,
    sink: &mut dyn FnMut(Vec<Change>) -> Result<ControlFlow<()>>,
) -> Result<()> {
    // From the empty tree: every file, in path order (see `walk`).
    let Some(old) = old else {
        return super::walk::all_files(repo, new, batch_size, sink);
    };
    let r = repo.inner();
    let old_tree = r
        .find_tree(oid(old.as_bytes())?)
        .with_context(|| format!("tree {old}: cannot read"))?;
    let new_tree = r
        .find_tree(oid(new.as_bytes())?)
        .with_context(|| format!("tree {new}: cannot read"))?;
    let mut visitor = Visitor {
        path: BString::default(),
        path_deque: VecDeque::new(),
        batch: Vec::with_capacity(batch_size),
        batch_size: batch_size.max(1),
        sink,
        error: None,
        stopped: false,
    };
    let result = gix::diff::tree(
        gix::objs::TreeRefIter::from_bytes(&old_tree.data, old_tree.id.kind()),
        gix::objs::TreeRefIter::from_bytes(&new_tree.data, new_tree.id.kind()),
        &mut gix::diff::tree::State::default(),
        &r.objects,
        &mut visitor,
    );
    if let Some(e) = visitor.error.take() {
        return Err(e);
    }
    if visitor.stopped {
        return Ok(());
    }
    result.with_context(|| format!("cannot diff tree {old} against {new}"))?;
    if let ControlFlow::Break(()) = visitor.flush() {
        if let Some(e) = visitor.error.take() {
            return Err(e);
        }
    }
    Ok(())
}
