//! What depends on a file in another tree than the indexed one. The index's reverse edges
//! hold for every importer the overlay cannot have changed; the others (the overlay's own
//! files, and the importers filed under the keys or scopes of its changed paths, as an
//! update would invalidate them) are resolved again over the overlaid tree.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use anyhow::{bail, Result};

use super::overlay_deps::{object_of, resolve_file, OverlayTree};
use crate::extract::Limits;
use crate::git::Repo;
use crate::model::overlay::Overlay;
use crate::resolve::{self, Resolver};
use crate::store::index::{Index, Paths};
use crate::store::objects::Objects;

/// The reverse edges of an overlaid tree.
struct OverlayGraph<'a> {
    index: &'a Index,
    overlay: &'a Overlay,
    /// The files resolved again, and what they import now.
    resolved: BTreeMap<String, Vec<String>>,
    /// Paths by file id, one reader for the whole walk.
    paths: RefCell<Paths>,
}

impl OverlayGraph<'_> {
    /// The files that import `path` directly.
    fn importers(&self, path: &str) -> Result<Vec<String>> {
        let mut out = BTreeSet::new();
        if self.overlay.keeps(path.as_bytes()) || self.overlay.files.contains_key(path.as_bytes()) {
            if let Some(id) = self.index.path_id(path.as_bytes())? {
                let mut paths = self.paths.borrow_mut();
                for source in self.index.rdeps_of(id)? {
                    let p = String::from_utf8_lossy(&paths.path(source)?).into_owned();
                    if self.overlay.keeps(p.as_bytes()) && !self.resolved.contains_key(&p) {
                        out.insert(p);
                    }
                }
            }
        }
        for (importer, targets) in &self.resolved {
            if targets.iter().any(|t| t == path) {
                out.insert(importer.clone());
            }
        }
        Ok(out.into_iter().collect())
    }
}

/// The files that depend on `path` in the overlay's tree, with their distance: directly
/// (1), or with `transitive`, up to `max_depth` steps away. Sorted by path.
pub fn rdeps_of(
    (repo, objects, index): (&Repo, &Objects, &Index),
    overlay: &Overlay,
    path: &str,
    (transitive, max_depth): (bool, Option<usize>),
    limits: Limits,
) -> Result<Vec<(String, usize)>> {
    let view = OverlayTree {
        index,
        overlay,
        repo,
    };
    if !resolve::Tree::exists(&view, path) {
        bail!("{path}: not an indexed file of that tree (only files in a supported language are)");
    }
    let graph = OverlayGraph {
        index,
        overlay,
        resolved: resolve_affected(&view, objects, limits)?,
        paths: RefCell::new(index.paths()?),
    };
    let depth_limit = match transitive {
        true => max_depth.unwrap_or(usize::MAX),
        false => 1,
    };
    let mut seen = BTreeMap::new();
    let mut queue = VecDeque::from([(path.to_string(), 0usize)]);
    while let Some((at, depth)) = queue.pop_front() {
        if depth >= depth_limit {
            continue;
        }
        for importer in graph.importers(&at)? {
            if importer != path && !seen.contains_key(&importer) {
                seen.insert(importer.clone(), depth + 1);
                queue.push_back((importer, depth + 1));
            }
        }
    }
    Ok(seen.into_iter().collect())
}

/// What the files the overlay may change import now.
fn resolve_affected(
    view: &OverlayTree<'_>,
    objects: &Objects,
    limits: Limits,
) -> Result<BTreeMap<String, Vec<String>>> {
    let resolver = Resolver::new(view);
    let mut resolved = BTreeMap::new();
    for importer in affected(view)? {
        let file = object_of(
            view.repo,
            objects,
            view.index,
            view.overlay,
            &importer,
            limits,
        )?;
        if let Some(file) = file {
            let (targets, _) = resolve_file(&resolver, &importer, &file);
            resolved.insert(importer, targets);
        }
    }
    Ok(resolved)
}

/// The file graph of the overlay's tree, as plain data for `query::deps::pagerank`: its
/// files (sorted) and, for each, the positions of the files it imports. The index's edges
/// hold where the overlay cannot have changed them; the resolved ones where it can.
pub fn graph(
    (repo, objects, index): (&Repo, &Objects, &Index),
    overlay: &Overlay,
    limits: Limits,
) -> Result<(Vec<String>, Vec<Vec<usize>>)> {
    let view = OverlayTree {
        index,
        overlay,
        repo,
    };
    let resolved = resolve_affected(&view, objects, limits)?;
    let mut paths = index.paths()?;
    let mut nodes: BTreeMap<String, Option<u32>> = BTreeMap::new();
    for id in index.file_ids()? {
        let path = String::from_utf8_lossy(&paths.path(id)?).into_owned();
        if overlay.keeps(path.as_bytes()) {
            nodes.insert(path, Some(id));
        }
    }
    for path in overlay.files.keys() {
        nodes.insert(String::from_utf8_lossy(path).into_owned(), None);
    }
    let pos: BTreeMap<&str, usize> = nodes
        .keys()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let mut out_edges = Vec::with_capacity(nodes.len());
    let mut deps = index.all_deps()?;
    for (path, id) in &nodes {
        let targets: Vec<String> = match (resolved.get(path), id) {
            (Some(targets), _) => targets.clone(),
            (None, Some(id)) => deps
                .remove(id)
                .unwrap_or_default()
                .into_iter()
                .map(|t| Ok(String::from_utf8_lossy(&paths.path(t)?).into_owned()))
                .collect::<Result<_>>()?,
            (None, None) => Vec::new(),
        };
        let mut edges: Vec<usize> = targets
            .iter()
            .filter_map(|t| pos.get(t.as_str()).copied())
            .collect();
        edges.sort_unstable();
        edges.dedup();
        out_edges.push(edges);
    }
    Ok((nodes.into_keys().collect(), out_edges))
}

/// The files whose imports the overlay may resolve differently: its own files, and the
/// unchanged importers filed under the keys or inside the scopes of the paths it adds or
/// deletes. A modified file keeps its path, so (as in an update, which keeps its file id
/// and recomputes no importer) its importers resolve as before.
fn affected(view: &OverlayTree<'_>) -> Result<BTreeSet<String>> {
    let (index, overlay) = (view.index, view.overlay);
    let mut out: BTreeSet<String> = overlay
        .files
        .keys()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let mut keys = Vec::new();
    for changed in &overlay.changed {
        if overlay.files.contains_key(changed) && index.path_id(changed)?.is_some() {
            continue;
        }
        let changed = String::from_utf8_lossy(changed);
        keys.extend(resolve::path_keys(view, &changed));
        for scope in resolve::path_scopes(&changed) {
            out.extend(index.files_under(&scope.dir, &scope.langs)?);
        }
    }
    keys.sort();
    keys.dedup();
    let mut paths = index.paths()?;
    for id in index.importers_filed_under(&keys)? {
        out.insert(String::from_utf8_lossy(&paths.path(id)?).into_owned());
    }
    out.retain(|p| overlay.keeps(p.as_bytes()) || overlay.files.contains_key(p.as_bytes()));
    Ok(out)
}
