//! A file's dependencies in another tree than the indexed one: its imports resolved again
//! against the index's files as an overlay changes them (`model::overlay`).

use anyhow::{bail, Result};

use super::source::ObjectSource;
use crate::extract::Limits;
use crate::git::Repo;
use crate::model::overlay::Overlay;
use crate::model::FileIndex;
use crate::resolve::{self, Resolved, Resolver};
use crate::store::index::Index;
use crate::store::objects::Objects;

/// Configuration files larger than this are ignored (as in the edge pass).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The index's files with an overlay on top, as the resolver sees them.
pub(super) struct OverlayTree<'a> {
    pub index: &'a Index,
    pub overlay: &'a Overlay,
    pub repo: &'a Repo,
}

impl OverlayTree<'_> {
    fn keep(&self, paths: Vec<String>) -> Vec<String> {
        paths
            .into_iter()
            .filter(|p| self.overlay.keeps(p.as_bytes()))
            .collect()
    }

    /// The overlay's files (and configuration files, with `configs`) that `matches`.
    fn added(&self, configs: bool, matches: impl Fn(&str) -> bool) -> Vec<String> {
        let configs = self.overlay.configs.iter().filter(|_| configs);
        self.overlay
            .files
            .keys()
            .chain(configs)
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .filter(|p| matches(p))
            .collect()
    }
}

impl resolve::Tree for OverlayTree<'_> {
    fn exists(&self, path: &str) -> bool {
        match self.overlay.keeps(path.as_bytes()) {
            true => self.index.path_id(path.as_bytes()).ok().flatten().is_some(),
            false => self.overlay.files.contains_key(path.as_bytes()),
        }
    }

    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        let mut out = self.keep(self.index.files_in_dir(dir).unwrap_or_default());
        out.extend(self.added(false, |p| {
            let parent = p.rsplit_once('/').map_or("", |(d, _)| d);
            parent == dir
        }));
        out
    }

    fn files_named(&self, name: &str) -> Vec<String> {
        self.files_ending(resolve::name_of(name))
    }

    fn files_ending(&self, suffix: &str) -> Vec<String> {
        let mut out = self.keep(self.index.files_ending(suffix).unwrap_or_default());
        out.extend(self.added(true, |p| {
            p == suffix || p.strip_suffix(suffix).is_some_and(|h| h.ends_with('/'))
        }));
        out
    }

    fn config(&self, path: &str) -> Option<String> {
        let bytes = match &self.overlay.tree {
            Some(tree) => self
                .repo
                .read_path(tree, path, MAX_CONFIG_BYTES)
                .ok()
                .flatten(),
            None => {
                let root = self.repo.work_dir()?;
                let data = std::fs::read(root.join(path)).ok()?;
                (data.len() as u64 <= MAX_CONFIG_BYTES).then_some(data)
            }
        }?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The files `path` imports in the tree the overlay describes (sorted), and the imports
/// that resolve to no file there.
pub fn deps_of(
    repo: &Repo,
    objects: &Objects,
    index: &Index,
    overlay: &Overlay,
    path: &str,
    limits: Limits,
) -> Result<(Vec<String>, Vec<String>)> {
    let Some(file) = object_of(repo, objects, index, overlay, path, limits)? else {
        bail!("{path}: not a file of that tree in a supported language");
    };
    let view = OverlayTree {
        index,
        overlay,
        repo,
    };
    Ok(resolve_file(&Resolver::new(&view), path, &file))
}

/// The files `file` (at `path`) imports and its imports of nothing, sorted.
pub(super) fn resolve_file(
    resolver: &Resolver<'_>,
    path: &str,
    file: &FileIndex,
) -> (Vec<String>, Vec<String>) {
    let mut targets = Vec::new();
    let mut externals = Vec::new();
    for import in &file.imports {
        match resolver.resolve(file.lang, path, &import.path) {
            Resolved::Files(paths) => targets.extend(paths.into_iter().filter(|p| p != path)),
            Resolved::External => externals.push(import.path.clone()),
        }
    }
    targets.sort();
    targets.dedup();
    externals.sort();
    externals.dedup();
    (targets, externals)
}

/// The object of `path` in the overlay's tree: the overlay's own, or the indexed one.
pub(super) fn object_of(
    repo: &Repo,
    objects: &Objects,
    index: &Index,
    overlay: &Overlay,
    path: &str,
    limits: Limits,
) -> Result<Option<FileIndex>> {
    if !overlay.keeps(path.as_bytes()) {
        return Ok(overlay.files.get(path.as_bytes()).cloned());
    }
    let Some((blob, lang, _)) = index.file(path.as_bytes())? else {
        return Ok(None);
    };
    ObjectSource::new(&repo.sync(), objects, limits).current(path.as_bytes(), &blob, lang)
}
