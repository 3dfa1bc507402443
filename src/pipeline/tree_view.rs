//! What the import resolver sees of the tree during the edge pass: the index's files as
//! patched so far ([`TreeView`]), or, in a rebuild, every path held in memory
//! (`mem_tree::MemTree`); configuration files are read from git either way.

use std::cell::RefCell;

use anyhow::Result;

use crate::git::Repo;
use crate::model::TreeId;
use crate::resolve;
use crate::store::index::TreeTables;

/// Configuration files (go.mod, tsconfig.json) larger than this are ignored.
pub(super) const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The repository as the resolver sees it: the index's files (as patched so far) and
/// configuration files read from the target tree.
pub(super) struct TreeView<'a> {
    pub tables: TreeTables<'a>,
    pub repo: &'a Repo,
    pub tree: &'a TreeId,
    /// The first error met (the trait cannot return one); reported after resolution.
    pub error: RefCell<Option<anyhow::Error>>,
}

impl TreeView<'_> {
    pub fn keep<T: Default>(&self, r: Result<T>) -> T {
        r.unwrap_or_else(|e| {
            self.error.borrow_mut().get_or_insert(e);
            T::default()
        })
    }
}

impl resolve::Tree for TreeView<'_> {
    fn exists(&self, path: &str) -> bool {
        self.keep(self.tables.path_id(path.as_bytes())).is_some()
    }

    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.keep(self.tables.files_in_dir(dir))
    }

    fn files_named(&self, name: &str) -> Vec<String> {
        self.files_ending(resolve::name_of(name))
    }

    fn files_ending(&self, suffix: &str) -> Vec<String> {
        self.keep(self.tables.files_ending(suffix))
    }

    fn config(&self, path: &str) -> Option<String> {
        self.keep(self.repo.read_path(self.tree, path, MAX_CONFIG_BYTES))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}
