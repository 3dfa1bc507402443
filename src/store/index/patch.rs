//! The one write transaction of an update: path changes applied, then committed with the
//! new state.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use redb::{ReadableTable, WriteTransaction};

use super::bulk::Bulk;
use super::links::remove_edges;
use super::meta::State;
use super::rowdiff::{add, changed_parts, retract};
use super::schema::*;
use super::{PathRow, INDEX_FORMAT};
use crate::error::Damaged;
use crate::format::keys::{basename_key, decode_file_value_ref};
use crate::model::refgraph::NameChanges;
use crate::model::{BlobId, FileIndex, Lang, EXTRACTOR_VERSION};
use crate::store::runs::Runs;

/// The one write transaction of an update: retract and add files, then commit.
pub struct Patch {
    pub(super) txn: WriteTransaction,
    pub(super) state: State,
    /// Whether names defined for the first time are recorded for the Bloom filter (not in
    /// a rebuild, whose filter is rebuilt whole after the commit).
    pub(super) track_fresh: bool,
    /// In a rebuild, the rows of the large tables, sorted before they are inserted.
    pub(super) bulk: Option<Bulk>,
    /// In a rebuild, the reverse edges, sorted before they are inserted at the commit.
    pub(super) rdeps_runs: Option<Runs>,
    /// Which files started or stopped defining or referencing which names, for the
    /// reference edges (`None` in a rebuild, which recomputes them whole).
    pub(super) ref_changes: Option<NameChanges>,
    /// Where sort runs spill (the index's directory).
    pub(super) spill_dir: PathBuf,
    /// Whether this transaction rebuilds from scratch (files added in path order).
    pub(super) rebuilt: bool,
}

/// What a path holds on one side of a change.
pub struct Side<'a> {
    /// The blob's object.
    pub index: &'a FileIndex,
    /// Keys its imports are filed under (`resolve::import_keys`), for invalidation.
    pub import_keys: &'a [String],
}

/// One changed path. A modification keeps the path's file id, so files that import it
/// need no recomputation; an addition or deletion is recorded in `appeared`, for the edge
/// pass to invalidate the importers it may affect.
pub struct FileChange<'a> {
    /// The path.
    pub path: &'a [u8],
    /// What the path held (its object), when it was an indexed file.
    pub old: Option<Side<'a>>,
    /// What the path holds now, and the blob.
    pub new: Option<(Side<'a>, &'a BlobId)>,
}

impl Patch {
    /// The state the update started from (with counters as patched so far).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Applies a batch of path changes.
    pub fn apply(&mut self, changes: &[FileChange<'_>]) -> Result<()> {
        let mut t = Tables::open(&self.txn, self.track_fresh)?;
        let st = &mut self.state;
        for c in changes {
            let existing = t.paths.get(c.path)?.map(|v| v.value());
            // A modification touches only the rows that differ (see `changed_parts`); an edit
            // of one function then rewrites a few rows, each maybe in its own B-tree page.
            let reduced = match (existing, &c.old, &c.new, &self.bulk) {
                (Some(_), Some(old), Some((new, _)), None) => Some(changed_parts(old, new)),
                _ => None,
            };
            let id = match (existing, &c.old) {
                (Some(id), Some(old)) => {
                    match &reduced {
                        Some((old_part, old_keys, _, _)) => {
                            let side = Side {
                                index: old_part,
                                import_keys: old_keys,
                            };
                            retract(&mut t, st, id, &side)?;
                        }
                        None => retract(&mut t, st, id, old)?,
                    }
                    Some(id)
                }
                // An old side that was never indexed, or an index that has the path while
                // the diff says it was not a file: nothing to retract.
                _ => None,
            };
            // The file id the new side is indexed under, for the reference edges.
            let new_id = match (&c.new, id) {
                (Some((new, blob)), id) => {
                    let id = match id {
                        Some(id) => id,
                        None => new_file(&mut t, st, self.bulk.as_mut(), c.path)?,
                    };
                    match &reduced {
                        Some((_, _, new_part, new_keys)) => {
                            let side = Side {
                                index: new_part,
                                import_keys: new_keys,
                            };
                            add(&mut t, st, None, id, c.path, blob, &side, new.index)?;
                        }
                        None => {
                            let bulk = self.bulk.as_mut();
                            add(&mut t, st, bulk, id, c.path, blob, new, new.index)?
                        }
                    }
                    t.pending.insert(id, ())?;
                    // Incrementally, the edge pass marks the file dirty if its edges change;
                    // a rebuild writes the graph of every file.
                    if self.bulk.is_some() {
                        t.dirty.insert(id, ())?;
                    }
                    Some(id)
                }
                (None, Some(id)) => {
                    remove_file(&mut t, st, id, c.path)?;
                    None
                }
                (None, None) => None,
            };
            if let Some(changes) = &mut self.ref_changes {
                changes.note(
                    id.zip(c.old.as_ref()).map(|(i, o)| (i, o.index)),
                    new_id.zip(c.new.as_ref()).map(|(i, (n, _))| (i, n.index)),
                );
            }
        }
        Ok(())
    }

    /// Records that configuration file `path` (go.mod, tsconfig.json) changed: it exists
    /// now (`present`) or not.
    pub fn set_config(&mut self, path: &[u8], present: bool) -> Result<()> {
        let mut configs = self.txn.open_table(CONFIGS)?;
        if present {
            configs.insert(path, ())?;
        } else {
            configs.remove(path)?;
        }
        self.txn.open_table(APPEARED)?.insert(path, ())?;
        Ok(())
    }

    /// Takes up to `limit` of the paths that appeared, disappeared or changed (config).
    pub fn take_appeared(&mut self, limit: usize) -> Result<Vec<Vec<u8>>> {
        let mut appeared = self.txn.open_table(APPEARED)?;
        let mut out = Vec::new();
        for row in appeared.iter()? {
            out.push(row?.0.value().to_vec());
            if out.len() >= limit {
                break;
            }
        }
        for p in &out {
            appeared.remove(p.as_slice())?;
        }
        Ok(out)
    }

    /// Forgets the recorded appearances (a rebuild recomputes every file anyway).
    pub fn clear_appeared(&mut self) -> Result<()> {
        self.txn.delete_table(APPEARED)?;
        Ok(())
    }

    /// The blob, language and path of file `id`, if it exists.
    pub fn file_row(&self, id: u32) -> Result<Option<(BlobId, Lang, Vec<u8>)>> {
        let files = self.txn.open_table(FILES)?;
        let row = files.get(id)?;
        match row {
            Some(v) => {
                let row = decode_file_value_ref(v.value())?;
                Ok(Some((
                    BlobId::from_trusted(row.blob),
                    row.lang,
                    row.path.to_vec(),
                )))
            }
            None => Ok(None),
        }
    }

    /// Every indexed path with its file id, in path order; `None` when the paths would take
    /// more than `budget` bytes, `cost` bytes each, in the caller's structure (a list in
    /// memory must stay bounded whatever the tree size).
    pub fn paths_within(
        &self,
        budget: usize,
        cost: impl Fn(&[u8]) -> usize,
    ) -> Result<Option<Vec<PathRow>>> {
        let paths = self.txn.open_table(PATHS)?;
        let mut out = Vec::new();
        let mut bytes = 0;
        for row in paths.iter()? {
            let (k, v) = row?;
            bytes += cost(k.value());
            if bytes > budget {
                return Ok(None);
            }
            out.push((k.value().to_vec(), v.value()));
        }
        Ok(Some(out))
    }

    /// The configuration files (go.mod, tsconfig.json) of the tree.
    pub fn config_paths(&self) -> Result<Vec<Vec<u8>>> {
        let configs = self.txn.open_table(CONFIGS)?;
        let mut out = Vec::new();
        for row in configs.iter()? {
            out.push(row?.0.value().to_vec());
        }
        Ok(out)
    }

    /// Whether names defined for the first time are being recorded; false after `clear`,
    /// when the Bloom filter must be rebuilt whole.
    pub fn tracks_fresh(&self) -> bool {
        self.track_fresh
    }

    /// Names that became defined in this transaction (for the Bloom filter), then forgets
    /// them.
    pub fn take_fresh_names(&mut self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        {
            let fresh = self.txn.open_table(FRESH)?;
            for row in fresh.iter()? {
                out.push(row?.0.value().to_string());
            }
        }
        self.txn.delete_table(FRESH)?;
        Ok(out)
    }

    /// Records the new state and commits durably.
    pub fn commit(
        mut self,
        tree: &str,
        commit: Option<&str>,
        updated_at: u64,
        update_ms: u64,
    ) -> Result<State> {
        self.finish_bulk()?;
        self.load_rdeps()?;
        let spill = self.spill_dir.clone();
        // A rebuild records no per-name changes: its edges are computed whole.
        match self.ref_changes.is_some() {
            true => self.finish_refs(&spill)?,
            false => self.rebuild_refs(&spill)?,
        }
        self.state.tree = tree.to_string();
        self.state.commit = commit.map(str::to_string);
        self.state.updated_at = updated_at;
        self.state.update_ms = update_ms;
        self.state.generation += 1;
        if self.rebuilt {
            self.state.ordered_below = self.state.next_file;
        }
        {
            let mut meta = self.txn.open_table(META)?;
            let st = &self.state;
            for (k, v) in [
                ("format", u64::from(INDEX_FORMAT)),
                ("extractor", u64::from(EXTRACTOR_VERSION)),
                ("files", st.files),
                ("symbols", st.symbols),
                ("skipped", st.skipped),
                ("names", st.names),
                ("updated_at", st.updated_at),
                ("update_ms", st.update_ms),
                ("next_file", st.next_file),
                ("generation", st.generation),
                ("graph_generation", st.graph_generation),
                ("ordered_below", st.ordered_below),
            ] {
                meta.insert(k, v.to_le_bytes().as_slice())?;
            }
            meta.insert("tree", st.tree.as_bytes())?;
            meta.insert("commit", st.commit.as_deref().unwrap_or("").as_bytes())?;
        }
        let state = self.state.clone();
        self.txn
            .commit()
            .context("cannot commit the index update")?;
        Ok(state)
    }
}

/// Hands out the next file id to `path`, a file new to the index.
fn new_file(
    t: &mut Tables<'_>,
    st: &mut State,
    bulk: Option<&mut Bulk>,
    path: &[u8],
) -> Result<u32> {
    let id = u32::try_from(st.next_file)
        .map_err(|_| Damaged::index("file ids exhausted; the index must be rebuilt"))?;
    st.next_file += 1;
    st.files += 1;
    t.paths.insert(path, id)?;
    let base = basename_key(path, id);
    match bulk {
        // A rebuild recomputes every file's edges anyway.
        Some(bulk) => bulk.basenames.push(&base, &[])?,
        None => {
            t.basenames.insert(base.as_slice(), ())?;
            t.appeared.insert(path, ())?;
        }
    }
    Ok(id)
}

/// Removes file `id` at `path` (deleted, or no longer a file of a known language).
fn remove_file(t: &mut Tables<'_>, st: &mut State, id: u32, path: &[u8]) -> Result<()> {
    t.paths.remove(path)?;
    t.files.remove(id)?;
    t.basenames.remove(basename_key(path, id).as_slice())?;
    st.files -= 1;
    remove_edges(t, id)?;
    t.pending.remove(id)?;
    t.dirty.insert(id, ())?;
    t.appeared.insert(path, ())?;
    Ok(())
}
