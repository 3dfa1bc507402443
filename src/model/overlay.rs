//! An overlay: what differs between the tree an index describes and the tree a query asks
//! about (another revision, the staged tree), as plain data. `pipeline` builds it from a
//! tree diff; `query` applies it on top of the index at query time. The committed index is
//! never changed by a query.

use std::collections::{BTreeMap, BTreeSet};

use super::{FileIndex, TreeId};

/// The paths whose indexed postings do not hold, and what those paths hold instead.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    /// Every changed path (modified, added or deleted): its indexed postings are dropped.
    pub changed: BTreeSet<Vec<u8>>,
    /// The objects of the changed paths that are files of a supported language now.
    pub files: BTreeMap<Vec<u8>, FileIndex>,
    /// The changed configuration files (go.mod, tsconfig.json) that exist in the asked
    /// tree: the resolver finds them by name as it finds the index's own.
    pub configs: BTreeSet<Vec<u8>>,
    /// The tree the overlay answers for; `None` for the working tree.
    pub tree: Option<TreeId>,
    /// The paths of the working tree that differ from HEAD (modified, staged, added,
    /// deleted, untracked): what answers mark `dirty`. Empty for other trees.
    pub dirty: BTreeSet<Vec<u8>>,
}

impl Overlay {
    /// Whether the indexed postings of `path` hold in the asked tree.
    pub fn keeps(&self, path: &[u8]) -> bool {
        !self.changed.contains(path)
    }
}
