//! Dependency edges in the write transaction: importers invalidated, edges set, and the
//! graph file (CSR base) written from the `deps` and `rdeps` tables.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{bail, Result};
use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};

use super::patch::Patch;
use super::rdeps;
use super::schema::*;
use crate::error::Damaged;
use crate::format::keys::{
    basename_of, decode_file_value_ref, edge_key, pack_ids, prefix_range, trailing_id, unpack_ids,
};
use crate::format::suffix;
use crate::model::Lang;
use crate::store::runs::Runs;

impl Patch {
    /// Marks for recomputation the importers filed under one of `keys`; returns how many.
    pub fn invalidate_keys(&mut self, keys: &[String]) -> Result<usize> {
        let mut t = Tables::open(&self.txn, self.track_fresh)?;
        invalidate(&mut t, keys)
    }

    /// Marks for recomputation the files of one of `langs` under directory `dir` (`""`:
    /// everywhere); returns how many.
    pub fn invalidate_scope(&mut self, dir: &str, langs: &[Lang]) -> Result<usize> {
        let t = Tables::open(&self.txn, self.track_fresh)?;
        let ids: Vec<u32> = scope_files(&t.paths, &t.files, dir, langs)?
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        let mut pending = t.pending;
        for id in &ids {
            pending.insert(*id, ())?;
        }
        Ok(ids.len())
    }

    /// Takes up to `limit` files whose edges must be recomputed.
    pub fn take_pending(&mut self, limit: usize) -> Result<Vec<u32>> {
        let mut pending = self.txn.open_table(PENDING)?;
        let mut ids = Vec::new();
        for row in pending.iter()? {
            ids.push(row?.0.value());
            if ids.len() >= limit {
                break;
            }
        }
        for id in &ids {
            pending.remove(*id)?;
        }
        Ok(ids)
    }

    /// The tables import resolution reads, opened once for many lookups. Drop it before
    /// writing (a table cannot be open twice).
    pub fn tree_tables(&self) -> Result<TreeTables<'_>> {
        Ok(TreeTables {
            paths: self.txn.open_table(PATHS)?,
            basenames: self.txn.open_table(BASENAMES)?,
            configs: self.txn.open_table(CONFIGS)?,
        })
    }

    /// Replaces the edges of file `id`: its resolved targets and its external imports.
    pub fn set_edges(&mut self, id: u32, targets: &[u32], externals: &[String]) -> Result<()> {
        if let Some(runs) = &mut self.rdeps_runs {
            return rebuild_edges(&self.txn, runs, id, targets, externals);
        }
        let mut t = Tables::open(&self.txn, self.track_fresh)?;
        let old = t
            .deps
            .get(id)?
            .map(|v| v.value().to_vec())
            .unwrap_or_default();
        let packed = pack_ids(targets);
        let ext = externals.join("\n");
        let old_ext = t
            .ext
            .get(id)?
            .map(|v| v.value().to_vec())
            .unwrap_or_default();
        if old == packed && old_ext == ext.as_bytes() {
            return Ok(());
        }
        // Only the edges that changed touch their targets' chunks.
        let old: BTreeSet<u32> = unpack_ids(&old)?.into_iter().collect();
        let new: BTreeSet<u32> = targets.iter().copied().collect();
        for &target in old.difference(&new) {
            rdeps::remove_edge(&mut t.rdeps, target, id)?;
        }
        for &target in new.difference(&old) {
            rdeps::add_edge(&mut t.rdeps, target, id)?;
        }
        if targets.is_empty() {
            t.deps.remove(id)?;
        } else {
            t.deps.insert(id, packed.as_slice())?;
        }
        if ext.is_empty() {
            t.ext.remove(id)?;
        } else {
            t.ext.insert(id, ext.as_bytes())?;
        }
        t.dirty.insert(id, ())?;
        Ok(())
    }

    /// Number of files whose edges changed since the graph file was written.
    pub fn dirty_count(&self) -> Result<u64> {
        Ok(self.txn.open_table(DIRTY)?.len()?)
    }

    /// Writes a new graph file (the CSR base) of every edge, streaming from the `deps` and
    /// `rdeps` tables; then forgets the dirty set and records the generation this
    /// transaction will commit as as the graph's (the file carries it too).
    pub fn write_graph(&mut self, path: &Path) -> Result<()> {
        self.load_rdeps()?;
        let generation = self.state.generation + 1;
        let nodes = u32::try_from(self.state.next_file)
            .map_err(|_| Damaged::index("more file ids than a graph can hold"))?;
        {
            let deps = self.txn.open_table(DEPS)?;
            let rdeps = self.txn.open_table(RDEPS)?;
            let forward = |f: &mut dyn FnMut(u32, &[u32]) -> Result<()>| -> Result<()> {
                for row in deps.iter()? {
                    let (k, v) = row?;
                    f(k.value(), &unpack_ids(v.value())?)?;
                }
                Ok(())
            };
            let reverse = |f: &mut dyn FnMut(u32, &[u32]) -> Result<()>| -> Result<()> {
                rdeps::each_target(&rdeps, f)
            };
            crate::store::graph::write_rows(path, nodes, generation, &forward, &reverse)?;
        }
        self.txn.delete_table(DIRTY)?;
        self.state.graph_generation = generation;
        Ok(())
    }

    /// In a rebuild, inserts the reverse edges collected so far.
    pub(super) fn load_rdeps(&mut self) -> Result<()> {
        match self.rdeps_runs.take() {
            Some(runs) => rdeps::load_chunks(&self.txn, runs).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// Marks for recomputation every file whose imports are filed under one of `keys`.
fn invalidate(t: &mut Tables<'_>, keys: &[String]) -> Result<usize> {
    let mut ids = Vec::new();
    for k in keys {
        let (lo, hi) = prefix_range(k.as_bytes());
        for row in t.ikeys.range(lo.as_slice()..hi.as_slice())? {
            let (key, _) = row?;
            ids.push(trailing_id(key.value())?);
        }
    }
    for id in &ids {
        t.pending.insert(*id, ())?;
    }
    Ok(ids.len())
}

/// Removes the forward edges (and their reverse entries) and external imports of `id`.
pub(super) fn remove_edges(t: &mut Tables<'_>, id: u32) -> Result<()> {
    let old: Vec<u32> = match t.deps.remove(id)? {
        Some(v) => unpack_ids(v.value())?,
        None => Vec::new(),
    };
    for target in old {
        rdeps::remove_edge(&mut t.rdeps, target, id)?;
    }
    t.ext.remove(id)?;
    Ok(())
}

/// `Patch::set_edges` in a rebuild: the file has no edges yet and is dirty already (every
/// file is), and its reverse edges go to the sort runs.
fn rebuild_edges(
    txn: &WriteTransaction,
    rdeps: &mut Runs,
    id: u32,
    targets: &[u32],
    externals: &[String],
) -> Result<()> {
    if !targets.is_empty() {
        let packed = pack_ids(targets);
        if txn
            .open_table(DEPS)?
            .insert(id, packed.as_slice())?
            .is_some()
        {
            bail!("internal error: the edges of file {id} were set twice in a rebuild");
        }
        for &target in targets {
            rdeps.push(&edge_key(target, id), &[])?;
        }
    }
    if !externals.is_empty() {
        txn.open_table(EXT)?
            .insert(id, externals.join("\n").as_bytes())?;
    }
    Ok(())
}

/// The tables import resolution reads, in an update's write transaction (see
/// `Patch::tree_tables`).
pub struct TreeTables<'t> {
    paths: redb::Table<'t, &'static [u8], u32>,
    basenames: redb::Table<'t, &'static [u8], ()>,
    configs: redb::Table<'t, &'static [u8], ()>,
}

impl TreeTables<'_> {
    /// The file id of `path`.
    pub fn path_id(&self, path: &[u8]) -> Result<Option<u32>> {
        Ok(self.paths.get(path)?.map(|v| v.value()))
    }

    /// Paths of the indexed files directly in directory `dir` ("" for the root).
    pub fn files_in_dir(&self, dir: &str) -> Result<Vec<String>> {
        list_dir(&self.paths, dir)
    }

    /// Paths of the indexed files (and configuration files) whose path is `suffix` or
    /// ends with `/suffix`: one range of the suffix-keyed file names, as long as its
    /// matches, however many files share the name.
    pub fn files_ending(&self, suffix: &str) -> Result<Vec<String>> {
        files_ending(&self.basenames, Some(&self.configs), suffix)
    }
}

/// See `TreeTables::files_ending`: over any `basenames` and `configs` tables.
pub(super) fn files_ending(
    basenames: &impl ReadableTable<&'static [u8], ()>,
    configs: Option<&impl ReadableTable<&'static [u8], ()>>,
    suffix: &str,
) -> Result<Vec<String>> {
    let prefix = suffix::key(suffix.as_bytes());
    let (lo, hi) = suffix::range(&prefix);
    let mut out = Vec::new();
    for row in basenames.range(lo.as_slice()..hi.as_slice())? {
        let (path, _) = basename_of(row?.0.value())?;
        out.push(String::from_utf8_lossy(&path).into_owned());
    }
    // Configuration files are few: a scan of them is cheap.
    if let Some(configs) = configs {
        for row in configs.iter()? {
            let path = row?.0.value().to_vec();
            if suffix::key(&path).starts_with(&prefix) {
                out.push(String::from_utf8_lossy(&path).into_owned());
            }
        }
    }
    Ok(out)
}

/// The key prefix of the paths under directory `dir` ("" for the root).
fn dir_prefix(dir: &str) -> Vec<u8> {
    if dir.is_empty() {
        Vec::new()
    } else {
        format!("{dir}/").into_bytes()
    }
}

/// The files under directory `dir` ("" for all) in one of `langs`, as (path, file id) in
/// path order.
pub(super) fn scope_files(
    paths: &impl ReadableTable<&'static [u8], u32>,
    files: &impl ReadableTable<u32, &'static [u8]>,
    dir: &str,
    langs: &[Lang],
) -> Result<Vec<(Vec<u8>, u32)>> {
    let prefix = dir_prefix(dir);
    let mut out = Vec::new();
    for row in paths.range(prefix.as_slice()..)? {
        let (k, v) = row?;
        if !k.value().starts_with(&prefix) {
            break;
        }
        let id = v.value();
        if let Some(f) = files.get(id)? {
            if langs.contains(&decode_file_value_ref(f.value())?.lang) {
                out.push((k.value().to_vec(), id));
            }
        }
    }
    Ok(out)
}

/// The files directly in `dir`, skipping whole subdirectories by seeking past them.
pub(super) fn list_dir(
    paths: &impl ReadableTable<&'static [u8], u32>,
    dir: &str,
) -> Result<Vec<String>> {
    let prefix = dir_prefix(dir);
    let mut out = Vec::new();
    let mut from = prefix.clone();
    loop {
        let mut next = None;
        for row in paths.range(from.as_slice()..)? {
            let k = row?.0.value().to_vec();
            if !k.starts_with(&prefix) {
                break;
            }
            let rest = &k[prefix.len()..];
            match rest.iter().position(|&b| b == b'/') {
                None => out.push(String::from_utf8_lossy(&k).into_owned()),
                Some(slash) => {
                    // A subdirectory: continue after everything under it ('/' + 1 = '0').
                    let mut skip = k[..prefix.len() + slash].to_vec();
                    skip.push(b'0');
                    next = Some(skip);
                    break;
                }
            }
        }
        match next {
            Some(n) => from = n,
            None => return Ok(out),
        }
    }
}
