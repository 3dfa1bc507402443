//! Dependency edges: where `resolve` (import strings -> repository paths) meets the index.
//! Run inside an update's write transaction, after its path changes are applied, for the
//! files the changes marked pending: their own changed files, and the importers filed under
//! the keys of paths that appeared or disappeared.

use std::cell::RefCell;

use anyhow::Result;
use gix::ObjectId;

use crate::extract::{Extractor, Limits};
use crate::git::Repo;
use crate::model::FileIndex;
// Until `crate::resolve` lands (being written beside), a stub that resolves nothing.
use crate::store::index::Patch;
use crate::store::objects::{Lookup, Objects};
use crate::store::BlobId;
use resolve_stub as resolve;
use resolve_stub::Resolved;

/// Configuration files (go.mod, tsconfig.json) larger than this are ignored.
#[allow(dead_code)]
const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Pending files taken per round.
const ROUND: usize = 4096;

/// The repository as the resolver sees it: the index's files (as patched so far) and
/// configuration files read from the target tree.
#[allow(dead_code)] // Read by the real resolver; the stub ignores the tree.
struct TreeView<'a> {
    patch: &'a Patch,
    repo: &'a Repo,
    tree: ObjectId,
    /// The first error met (the trait cannot return one); reported after resolution.
    error: RefCell<Option<anyhow::Error>>,
}

impl TreeView<'_> {
    fn keep<T: Default>(&self, r: Result<T>) -> T {
        r.unwrap_or_else(|e| {
            self.error.borrow_mut().get_or_insert(e);
            T::default()
        })
    }
}

impl resolve::Tree for TreeView<'_> {
    fn exists(&self, path: &str) -> bool {
        self.keep(self.patch.path_id(path.as_bytes())).is_some()
    }

    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.keep(self.patch.files_in_dir(dir))
    }

    fn files_named(&self, name: &str) -> Vec<String> {
        self.keep(self.patch.files_named(name))
    }

    fn config(&self, path: &str) -> Option<String> {
        self.keep(self.repo.read_path(self.tree, path, MAX_CONFIG_BYTES))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

/// Recomputes the edges of every pending file; returns how many files were resolved.
pub(crate) fn recompute(
    repo: &Repo,
    tree: ObjectId,
    objects: &Objects,
    limits: Limits,
    patch: &mut Patch,
) -> Result<u64> {
    let mut extractor = Extractor::new(limits);
    let mut done = 0;
    loop {
        let ids = patch.take_pending(ROUND)?;
        if ids.is_empty() {
            return Ok(done);
        }
        for id in ids {
            let Some((blob, lang, path)) = patch.file_row(id)? else {
                continue; // deleted after it was marked
            };
            let Some(index) = object(repo, objects, &mut extractor, &blob, lang)? else {
                continue;
            };
            let (targets, externals) = {
                let view = TreeView {
                    patch,
                    repo,
                    tree,
                    error: RefCell::new(None),
                };
                let importer = String::from_utf8_lossy(&path).into_owned();
                let mut targets = Vec::new();
                let mut externals = Vec::new();
                for import in &index.imports {
                    match resolve::resolve(&view, index.lang, &importer, &import.path) {
                        Resolved::Files(paths) => {
                            for p in paths {
                                if let Some(t) = view.keep(patch.path_id(p.as_bytes())) {
                                    if t != id {
                                        targets.push(t);
                                    }
                                }
                            }
                        }
                        Resolved::External => externals.push(import.path.clone()),
                    }
                }
                if let Some(e) = view.error.into_inner() {
                    return Err(e.context(format!("{importer}: cannot resolve its imports")));
                }
                targets.sort_unstable();
                targets.dedup();
                externals.sort();
                externals.dedup();
                (targets, externals)
            };
            patch.set_edges(id, &targets, &externals)?;
            done += 1;
        }
    }
}

/// The object of a current file: it was written by this update or an earlier one; if it
/// is gone or damaged, the blob is extracted again.
fn object(
    repo: &Repo,
    objects: &Objects,
    extractor: &mut Extractor,
    blob: &BlobId,
    lang: crate::model::Lang,
) -> Result<Option<FileIndex>> {
    if let Lookup::Found(index) = objects.read(blob)? {
        if index.lang == lang {
            return Ok(Some(index));
        }
    }
    let id =
        ObjectId::try_from(blob.as_bytes()).map_err(|e| anyhow::anyhow!("blob {blob}: {e}"))?;
    match repo.read_blob(&id, extractor.limits().max_file_bytes)? {
        crate::git::repo::BlobData::Data(d) => Ok(Some(extractor.extract(lang, &d)?)),
        crate::git::repo::BlobData::TooLarge(_) => Ok(None),
    }
}

#[allow(dead_code)]
mod resolve_stub {
    use crate::model::Lang;

    pub(crate) trait Tree {
        fn exists(&self, path: &str) -> bool;
        fn files_in_dir(&self, dir: &str) -> Vec<String>;
        fn files_named(&self, name: &str) -> Vec<String>;
        fn config(&self, path: &str) -> Option<String>;
    }

    pub(crate) enum Resolved {
        #[allow(dead_code)]
        Files(Vec<String>),
        External,
    }

    pub(crate) fn resolve(
        _tree: &dyn Tree,
        _lang: Lang,
        _importer: &str,
        _import: &str,
    ) -> Resolved {
        Resolved::External
    }
}
