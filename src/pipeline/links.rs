//! Dependency edges: where `resolve` (import strings -> repository paths) meets the index.
//! Run inside an update's write transaction, after its path changes are applied, for the
//! files the changes marked pending: their own changed files, and the importers filed under
//! the keys of paths that appeared or disappeared.

use std::cell::RefCell;

use anyhow::Result;
use rayon::prelude::*;

use super::mem_tree::{MemTree, PathList};
use super::source::ObjectSource;
use super::tree_view::TreeView;
use crate::extract::Limits;
use crate::git::{Repo, SyncRepo};
use crate::model::{FileIndex, TreeId};
use crate::resolve::{self, Resolved, Resolver};
use crate::store::index::Patch;
use crate::store::objects::Objects;
/// Pending files taken per round.
const ROUND: usize = 4096;
/// A rebuild resolves on all cores against the paths in memory while they take less than
/// this (about 3M paths of 35 bytes); beyond, one core against the index (measured at 1M
/// files: 10 µs more per file), so that the memory of a rebuild stays bounded.
const MEM_TREE_BUDGET: usize = 512 << 20;

/// Recomputes the edges of every file that needs it; returns how many were resolved.
///
/// First the importers that paths which appeared or disappeared may affect are marked (by
/// key, and by scope for structural files such as `__init__.py` and go.mod); a rebuild
/// (`everything`) skips that, since all its files are pending already.
pub(super) fn recompute(
    repo: &Repo,
    tree: &TreeId,
    objects: &Objects,
    limits: Limits,
    everything: bool,
    patch: &mut Patch,
) -> Result<u64> {
    if everything {
        patch.clear_appeared()?;
    } else {
        invalidate_appeared(repo, tree, patch)?;
    }
    let list = match everything {
        true => match patch.paths_within(MEM_TREE_BUDGET, PathList::cost)? {
            Some(paths) => Some(PathList::new(paths, patch.config_paths()?)),
            None => None,
        },
        false => None,
    };
    let sync = repo.sync();
    let mut done = 0;
    loop {
        let ids = patch.take_pending(ROUND)?;
        if ids.is_empty() {
            return Ok(done);
        }
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            // None: deleted after it was marked.
            if let Some(row) = patch.file_row(id)? {
                rows.push((id, row));
            }
        }
        let work: Vec<(u32, String, FileIndex)> = rows
            .into_par_iter()
            .map_init(
                || ObjectSource::new(&sync, objects, limits),
                |source, (id, (blob, lang, path))| {
                    Ok(source
                        .current(&path, &blob, lang)?
                        .map(|index| (id, String::from_utf8_lossy(&path).into_owned(), index)))
                },
            )
            .filter_map(Result::transpose)
            .collect::<Result<_>>()?;
        let edges = match &list {
            // A rebuild: every path is known, so the round resolves on all cores.
            Some(list) => resolve_in_memory(list, &sync, tree, &work)?,
            // Resolve the whole round against the index as it is (one resolver: it caches
            // the go.mod and tsconfig parses).
            None => resolve_against_index(patch, repo, tree, &work)?,
        };
        for (id, targets, externals) in edges {
            patch.set_edges(id, &targets, &externals)?;
            done += 1;
        }
    }
}

/// A file's resolved targets (file ids) and external imports.
type Edges = (u32, Vec<u32>, Vec<String>);

/// Files (id, path, object) whose imports a round resolves.
type Work = [(u32, String, FileIndex)];

/// Resolves a round against the paths held in memory, on all cores.
fn resolve_in_memory(
    list: &PathList,
    sync: &SyncRepo,
    tree: &TreeId,
    work: &Work,
) -> Result<Vec<Edges>> {
    Ok(work
        .par_chunks(256)
        .map_init(
            || Repo::from_sync(sync),
            |repo, chunk| {
                let view = MemTree {
                    list,
                    repo,
                    tree,
                    error: RefCell::new(None),
                };
                let resolver = Resolver::new(&view);
                let out: Vec<Edges> = chunk
                    .iter()
                    .map(|(id, importer, index)| {
                        edges_of(&resolver, *id, importer, index, |p| list.id(p.as_bytes()))
                    })
                    .collect();
                match view.error.into_inner() {
                    Some(e) => Err(e.context("cannot resolve imports")),
                    None => Ok(out),
                }
            },
        )
        .collect::<Result<Vec<Vec<Edges>>>>()?
        .into_iter()
        .flatten()
        .collect())
}

/// Resolves a round against the index's tables as patched so far, on this thread.
fn resolve_against_index(
    patch: &Patch,
    repo: &Repo,
    tree: &TreeId,
    work: &Work,
) -> Result<Vec<Edges>> {
    let view = TreeView {
        tables: patch.tree_tables()?,
        repo,
        tree,
        error: RefCell::new(None),
    };
    let resolver = Resolver::new(&view);
    let edges: Vec<Edges> = work
        .iter()
        .map(|(id, importer, index)| {
            edges_of(&resolver, *id, importer, index, |p| {
                view.keep(view.tables.path_id(p.as_bytes()))
            })
        })
        .collect();
    match view.error.into_inner() {
        Some(e) => Err(e.context("cannot resolve imports")),
        None => Ok(edges),
    }
}

/// Resolves the imports of file `id` (at `importer`); `id_of` maps a resolved path to its
/// file id.
fn edges_of(
    resolver: &Resolver<'_>,
    id: u32,
    importer: &str,
    index: &FileIndex,
    id_of: impl Fn(&str) -> Option<u32>,
) -> Edges {
    let mut targets = Vec::new();
    let mut externals = Vec::new();
    for import in &index.imports {
        match resolver.resolve(index.lang, importer, &import.path) {
            Resolved::Files(paths) => {
                targets.extend(paths.iter().filter_map(|p| id_of(p)).filter(|&t| t != id));
            }
            Resolved::External => externals.push(import.path.clone()),
        }
    }
    targets.sort_unstable();
    targets.dedup();
    externals.sort();
    externals.dedup();
    (id, targets, externals)
}

/// Marks the importers that the paths which appeared, disappeared or (configuration files)
/// changed may resolve differently now.
fn invalidate_appeared(repo: &Repo, tree: &TreeId, patch: &mut Patch) -> Result<()> {
    loop {
        let paths = patch.take_appeared(ROUND)?;
        if paths.is_empty() {
            return Ok(());
        }
        let mut keys = Vec::new();
        let mut scopes = Vec::new();
        {
            let view = TreeView {
                tables: patch.tree_tables()?,
                repo,
                tree,
                error: RefCell::new(None),
            };
            for p in &paths {
                let p = String::from_utf8_lossy(p);
                keys.extend(resolve::path_keys(&view, &p));
                scopes.extend(resolve::path_scopes(&p));
            }
            if let Some(e) = view.error.into_inner() {
                return Err(e.context("cannot compute the keys of changed paths"));
            }
        }
        keys.sort();
        keys.dedup();
        patch.invalidate_keys(&keys)?;
        scopes.sort_by(|a, b| (&a.dir, &a.langs).cmp(&(&b.dir, &b.langs)));
        scopes.dedup();
        for scope in scopes {
            patch.invalidate_scope(&scope.dir, &scope.langs)?;
        }
    }
}
