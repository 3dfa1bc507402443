//! What is indexed, from the index's own counters and the object count file (no scan).

use anyhow::Result;

use crate::store::index::{Index, State};
use crate::store::objects::Count;
use crate::store::Store;

/// What `status` reports.
#[derive(Clone, Debug)]
pub struct Status {
    /// The indexed state, `None` when nothing is indexed.
    pub state: Option<State>,
    /// HEAD's tree (hex), `None` before the first commit.
    pub head_tree: Option<String>,
    /// Whether the index describes HEAD's tree.
    pub current: bool,
    /// The objects, as counted when they were written.
    pub objects: Count,
    /// The index file's size.
    pub index_bytes: u64,
}

impl Status {
    /// Everything on disk: the index and the objects.
    pub fn bytes(&self) -> u64 {
        self.index_bytes + self.objects.bytes + self.objects.packed_bytes
    }
}

/// The status of `index` (this worktree's, if any) against HEAD's tree `head_tree`.
pub fn status(layout: &Store, index: Option<&Index>, head_tree: Option<String>) -> Result<Status> {
    let state = match index {
        Some(i) => i.state()?,
        None => None,
    };
    let current = match (&state, &head_tree) {
        (Some(s), Some(h)) => s.tree == *h,
        (None, None) => true,
        _ => false,
    };
    let index_bytes = std::fs::metadata(layout.index_path())
        .map(|m| m.len())
        .unwrap_or(0);
    Ok(Status {
        state,
        head_tree,
        current,
        objects: layout.objects().count(),
        index_bytes,
    })
}
