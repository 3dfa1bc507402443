//! The files derived from a committed index and written beside it: the graph file (the CSR
//! base of the dependency graph) and the Bloom filter of defined names.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::store::bloom;
use crate::store::index::{self, Index};

/// A new graph base is written once this many files (or a sixteenth of them) changed edges
/// since the last one: a 1-file commit never rewrites a large graph file.
const GRAPH_REBUILD_DIRTY: u64 = 1024;
/// ... but never more than this many: every query that reads the graph loads the dirty
/// set's edges, so it must stay bounded whatever the repository size (rewriting the base
/// of 10M files every 65k changed files costs them well under a millisecond each).
const GRAPH_REBUILD_DIRTY_MAX: u64 = 65_536;

/// Writes a new graph file (CSR base) when the dirty set has grown past the threshold or
/// there is none, and forgets the dirty set in the same transaction. The file carries the
/// generation this transaction commits as; if the commit never happens, readers see a
/// generation mismatch and ignore the file.
pub(super) fn maybe_write_graph(path: &Path, patch: &mut index::Patch) -> Result<()> {
    let dirty = patch.dirty_count()?;
    let files = patch.state().files;
    let threshold = GRAPH_REBUILD_DIRTY
        .max(files / 16)
        .min(GRAPH_REBUILD_DIRTY_MAX);
    let due = dirty >= threshold || (dirty > 0 && !path.exists());
    if !due {
        return Ok(());
    }
    patch.write_graph(path)
}

/// Adds the names this update defined for the first time to the Bloom filter before the
/// commit, so that it answers for the old state and the new one. Returns true when the
/// filter is missing or full: it is then removed now (no filter: every lookup asks the
/// index) and must be rebuilt after the commit.
pub(super) fn extend_bloom(
    path: &Path,
    label: &bloom::Label,
    patch: &mut index::Patch,
) -> Result<bool> {
    let fresh = patch.take_fresh_names()?;
    let names: Vec<&[u8]> = fresh.iter().map(|n| n.as_bytes()).collect();
    // A rebuild records no fresh names: its filter must be rebuilt whole. Otherwise the
    // label moves to the new tree even when no name is new.
    if patch.tracks_fresh() && bloom::extend(path, label, &names).unwrap_or(false) {
        return Ok(false);
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => {
            Err(e).with_context(|| format!("{}: cannot remove the Bloom filter", path.display()))
        }
    }
}

/// Writes a Bloom filter of the committed names, with room to grow.
pub(super) fn write_bloom(
    path: &Path,
    label: &bloom::Label,
    index: &Index,
    names: u64,
) -> Result<()> {
    let mut bloom = bloom::Builder::new((names * 2).max(1024));
    index.all_names(|n| bloom.insert(n.as_bytes()))?;
    bloom.write(path, label)
}
