//! The repository's files in memory, for resolving a rebuild's imports on all cores: the
//! index tables live in the one write transaction, which only one thread can read.

use std::cell::RefCell;

use crate::format::suffix;
use crate::git::Repo;
use crate::model::TreeId;
use crate::resolve;

/// Paths and file ids of a tree, sorted, with a file-name index.
pub struct PathList {
    /// (path, file id), sorted by path.
    paths: Vec<(Vec<u8>, u32)>,
    /// (suffix key, position in `paths`), sorted: the files named `x`, or ending with
    /// `/d/x`, are a range.
    names: Vec<(Vec<u8>, usize)>,
    /// Configuration files (go.mod, tsconfig.json): not indexed files, but `files_named`
    /// finds them.
    configs: Vec<Vec<u8>>,
}

impl PathList {
    /// The list of `paths` (sorted by path) and configuration files `configs`.
    pub fn new(paths: Vec<(Vec<u8>, u32)>, configs: Vec<Vec<u8>>) -> PathList {
        let mut names: Vec<(Vec<u8>, usize)> = paths
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (suffix::key(p), i))
            .collect();
        names.sort_unstable();
        PathList {
            paths,
            names,
            configs,
        }
    }

    /// The bytes a path of the list takes: two vectors' entries (32 bytes each) and two
    /// heap copies (the path and its suffix key, about 16 bytes of overhead each).
    pub fn cost(path: &[u8]) -> usize {
        2 * path.len() + 96
    }

    /// The file id of `path`.
    pub fn id(&self, path: &[u8]) -> Option<u32> {
        self.paths
            .binary_search_by(|(p, _)| p.as_slice().cmp(path))
            .ok()
            .map(|i| self.paths[i].1)
    }

    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        let prefix: Vec<u8> = if dir.is_empty() {
            Vec::new()
        } else {
            format!("{dir}/").into_bytes()
        };
        let start = self
            .paths
            .partition_point(|(p, _)| p.as_slice() < prefix.as_slice());
        self.paths[start..]
            .iter()
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter(|(p, _)| !p[prefix.len()..].contains(&b'/'))
            .map(|(p, _)| String::from_utf8_lossy(p).into_owned())
            .collect()
    }

    fn files_ending(&self, suffix: &str) -> Vec<String> {
        let prefix = suffix::key(suffix.as_bytes());
        let start = self
            .names
            .partition_point(|(k, _)| k.as_slice() < prefix.as_slice());
        let mut out: Vec<String> = self.names[start..]
            .iter()
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|&(_, i)| String::from_utf8_lossy(&self.paths[i].0).into_owned())
            .collect();
        out.extend(
            self.configs
                .iter()
                .filter(|c| suffix::key(c).starts_with(&prefix))
                .map(|c| String::from_utf8_lossy(c).into_owned()),
        );
        out
    }
}

/// A `resolve::Tree` over a `PathList`, reading configuration files from git.
pub struct MemTree<'a> {
    /// The files.
    pub list: &'a PathList,
    /// For configuration files.
    pub repo: &'a Repo,
    /// The tree they are read from.
    pub tree: &'a TreeId,
    /// The first error met reading one (the trait cannot return it).
    pub error: RefCell<Option<anyhow::Error>>,
}

impl resolve::Tree for MemTree<'_> {
    fn exists(&self, path: &str) -> bool {
        self.list.id(path.as_bytes()).is_some()
    }

    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.list.files_in_dir(dir)
    }

    fn files_named(&self, name: &str) -> Vec<String> {
        self.list.files_ending(resolve::name_of(name))
    }

    fn files_ending(&self, suffix: &str) -> Vec<String> {
        self.list.files_ending(suffix)
    }

    fn config(&self, path: &str) -> Option<String> {
        match self
            .repo
            .read_path(self.tree, path, super::tree_view::MAX_CONFIG_BYTES)
        {
            Ok(b) => b.map(|b| String::from_utf8_lossy(&b).into_owned()),
            Err(e) => {
                self.error.borrow_mut().get_or_insert(e);
                None
            }
        }
    }
}
