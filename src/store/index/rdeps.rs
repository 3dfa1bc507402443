//! The `rdeps` table: each file's importers, in chunks of sorted ids.
//!
//! A row per edge cost 8 bytes of key and redb offsets for a 1-2 byte id. One list per
//! target would be smaller still, but a target imported by a million files would then be
//! rewritten whole when one of them changes. Chunks keep both: a row holds up to
//! [`CHUNK_MAX`] importers of one target, keyed by (target, its first importer), so an
//! edge's insert or removal rewrites one chunk, whatever the target's fan-in.

use anyhow::{bail, Result};
use redb::{ReadableTable, WriteTransaction};

use super::schema::{sort_error, RDEPS};
use crate::error::Damaged;
use crate::format::keys::{edge_key, edge_of, pack_ids, unpack_ids};
use crate::store::runs::Runs;

/// The most importers a chunk holds; a fuller one splits in two. (Tiny under the fuzzer,
/// so that its few files split and join chunks.)
const CHUNK_MAX: usize = if cfg!(fuzzing) { 8 } else { 128 };
/// Importers per chunk written by a rebuild: room for inserts before a split.
const CHUNK_FILL: usize = if cfg!(fuzzing) { 6 } else { 96 };
/// A chunk this small after a removal joins the next chunk of its target when both fit.
const CHUNK_LOW: usize = CHUNK_MAX / 4;

type RdepsTable<'t> = redb::Table<'t, &'static [u8], &'static [u8]>;

/// Records that file `source` imports file `target`.
pub(super) fn add_edge(t: &mut RdepsTable<'_>, target: u32, source: u32) -> Result<()> {
    let found = match chunk_at(t, target, source)? {
        Some(chunk) => Some(chunk),
        None => first_chunk(t, target)?,
    };
    let Some((first, mut ids)) = found else {
        t.insert(
            edge_key(target, source).as_slice(),
            pack_ids(&[source]).as_slice(),
        )?;
        return Ok(());
    };
    let Err(at) = ids.binary_search(&source) else {
        return Ok(());
    };
    ids.insert(at, source);
    t.remove(edge_key(target, first).as_slice())?;
    if ids.len() > CHUNK_MAX {
        let (low, high) = ids.split_at(ids.len() / 2);
        put_chunk(t, target, low)?;
        put_chunk(t, target, high)
    } else {
        put_chunk(t, target, &ids)
    }
}

/// Forgets that file `source` imports file `target` (nothing if it was not recorded).
pub(super) fn remove_edge(t: &mut RdepsTable<'_>, target: u32, source: u32) -> Result<()> {
    let Some((first, mut ids)) = chunk_at(t, target, source)? else {
        return Ok(());
    };
    let Ok(at) = ids.binary_search(&source) else {
        return Ok(());
    };
    ids.remove(at);
    t.remove(edge_key(target, first).as_slice())?;
    if ids.is_empty() {
        return Ok(());
    }
    if ids.len() < CHUNK_LOW {
        if let Some((next, more)) = next_chunk(t, target, first)? {
            if ids.len() + more.len() <= CHUNK_MAX / 2 {
                t.remove(edge_key(target, next).as_slice())?;
                ids.extend_from_slice(&more);
            }
        }
    }
    put_chunk(t, target, &ids)
}

/// The importers of file `target`, in id order.
pub(super) fn sources_of(
    t: &impl ReadableTable<&'static [u8], &'static [u8]>,
    target: u32,
) -> Result<Vec<u32>> {
    let mut out = Vec::new();
    let (lo, hi) = (edge_key(target, 0), edge_key(target, u32::MAX));
    for row in t.range(lo.as_slice()..=hi.as_slice())? {
        let (k, v) = row?;
        extend_after(&mut out, decode_chunk(k.value(), v.value())?.1)?;
    }
    Ok(out)
}

/// Every target with its importers, in target order, to `f` (for the graph file).
pub(super) fn each_target(
    t: &impl ReadableTable<&'static [u8], &'static [u8]>,
    f: &mut dyn FnMut(u32, &[u32]) -> Result<()>,
) -> Result<()> {
    let mut target = None;
    let mut sources = Vec::new();
    for row in t.iter()? {
        let (k, v) = row?;
        let (tgt, ids) = decode_chunk(k.value(), v.value())?;
        if target != Some(tgt) {
            if let Some(prev) = target {
                f(prev, &sources)?;
            }
            target = Some(tgt);
            sources.clear();
        }
        extend_after(&mut sources, ids)?;
    }
    match target {
        Some(t) => f(t, &sources),
        None => Ok(()),
    }
}

/// Checks every chunk (as `decode_chunk` does, and apart from its neighbours) and gives
/// each (target, source) edge to `f`.
pub(super) fn check_each_edge(
    t: &impl ReadableTable<&'static [u8], &'static [u8]>,
    f: &mut dyn FnMut(u32, u32) -> Result<()>,
) -> Result<()> {
    let mut last: Option<(u32, u32)> = None;
    for row in t.iter()? {
        let (k, v) = row?;
        let (target, ids) = decode_chunk(k.value(), v.value())?;
        let apart = match (last, ids.first()) {
            (Some((t0, s0)), Some(&s)) => t0 < target || s0 < s,
            _ => true,
        };
        if !apart {
            bail!(Damaged::index("two reverse-edge chunks overlap"));
        }
        for &s in &ids {
            f(target, s)?;
        }
        last = ids.last().map(|&s| (target, s));
    }
    Ok(())
}

/// Fills the empty `rdeps` table from sort runs of `edge_key(target, source)` keys, in
/// chunks of [`CHUNK_FILL`]; returns how many edges it holds.
pub(super) fn load_chunks(txn: &WriteTransaction, runs: Runs) -> Result<u64> {
    let mut table = txn.open_table(RDEPS)?;
    let mut cursor = table.upper_bound_mut(std::ops::Bound::<&[u8]>::Unbounded)?;
    let mut n = 0;
    let mut target = None;
    let mut ids: Vec<u32> = Vec::with_capacity(CHUNK_FILL);
    let mut flush = |target: u32, ids: &mut Vec<u32>| -> Result<()> {
        let key = edge_key(target, ids[0]);
        cursor
            .insert_before(key.as_slice(), pack_ids(ids).as_slice())
            .map_err(sort_error)?;
        ids.clear();
        Ok(())
    };
    runs.drain_distinct(|k, _| {
        let (t, s) = edge_of(k)?;
        if let Some(prev) = target {
            if prev != t || ids.len() == CHUNK_FILL {
                flush(prev, &mut ids)?;
            }
        }
        target = Some(t);
        ids.push(s);
        n += 1;
        Ok(())
    })?;
    if let Some(t) = target {
        flush(t, &mut ids)?;
    }
    cursor.close()?;
    Ok(n)
}

/// The chunk of `target` whose first importer is the greatest at or below `source`.
fn chunk_at(t: &RdepsTable<'_>, target: u32, source: u32) -> Result<Option<(u32, Vec<u32>)>> {
    let (lo, hi) = (edge_key(target, 0), edge_key(target, source));
    let row = t.range(lo.as_slice()..=hi.as_slice())?.next_back();
    owned_chunk(row)
}

/// The first chunk of `target`.
fn first_chunk(t: &RdepsTable<'_>, target: u32) -> Result<Option<(u32, Vec<u32>)>> {
    let (lo, hi) = (edge_key(target, 0), edge_key(target, u32::MAX));
    owned_chunk(t.range(lo.as_slice()..=hi.as_slice())?.next())
}

/// The chunk of `target` after the one keyed by `first`.
fn next_chunk(t: &RdepsTable<'_>, target: u32, first: u32) -> Result<Option<(u32, Vec<u32>)>> {
    if first == u32::MAX {
        return Ok(None);
    }
    let (lo, hi) = (edge_key(target, first + 1), edge_key(target, u32::MAX));
    owned_chunk(t.range(lo.as_slice()..=hi.as_slice())?.next())
}

type Row<'a> = redb::AccessGuard<'a, &'static [u8]>;

/// A range's row as (its first importer, every importer), owned so the table can change.
fn owned_chunk(
    row: Option<Result<(Row<'_>, Row<'_>), redb::StorageError>>,
) -> Result<Option<(u32, Vec<u32>)>> {
    let Some(row) = row else {
        return Ok(None);
    };
    let (k, v) = row?;
    let (_, ids) = decode_chunk(k.value(), v.value())?;
    let first = ids.first().copied();
    Ok(first.map(|first| (first, ids)))
}

/// Writes a non-empty sorted chunk under its first importer.
fn put_chunk(t: &mut RdepsTable<'_>, target: u32, ids: &[u32]) -> Result<()> {
    t.insert(
        edge_key(target, ids[0]).as_slice(),
        pack_ids(ids).as_slice(),
    )?;
    Ok(())
}

/// The target and importers of a chunk, checked against its key: strictly ascending, no
/// longer than a chunk may be (an edit's binary search relies on both).
fn decode_chunk(key: &[u8], value: &[u8]) -> Result<(u32, Vec<u32>)> {
    let (target, first) = edge_of(key)?;
    let ids = unpack_ids(value)?;
    if ids.first() != Some(&first) {
        bail!(Damaged::index(
            "a reverse-edge chunk does not start at its key"
        ));
    }
    if ids.len() > CHUNK_MAX || !ids.windows(2).all(|w| w[0] < w[1]) {
        bail!(Damaged::index(
            "a reverse-edge chunk is out of order or too long"
        ));
    }
    Ok((target, ids))
}

/// Appends a chunk's importers to a target's, which must all come before them.
fn extend_after(sources: &mut Vec<u32>, ids: Vec<u32>) -> Result<()> {
    if let (Some(last), Some(first)) = (sources.last(), ids.first()) {
        if last >= first {
            bail!(Damaged::index("two reverse-edge chunks overlap"));
        }
    }
    sources.extend(ids);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    type Model = BTreeMap<u32, BTreeSet<u32>>;

    fn db(dir: &std::path::Path) -> redb::Database {
        redb::Database::create(dir.join("t.redb")).unwrap()
    }

    /// Every target's importers read back as the model has them, and the chunks check.
    fn agrees(txn: &WriteTransaction, model: &Model) {
        let t = txn.open_table(RDEPS).unwrap();
        for (&target, sources) in model {
            let want: Vec<u32> = sources.iter().copied().collect();
            assert_eq!(sources_of(&t, target).unwrap(), want, "target {target}");
        }
        let mut seen = Model::new();
        check_each_edge(&t, &mut |target, source| {
            seen.entry(target).or_default().insert(source);
            Ok(())
        })
        .unwrap();
        let nonempty: Model = model
            .iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(t, s)| (*t, s.clone()))
            .collect();
        assert_eq!(seen, nonempty);
    }

    #[test]
    fn chunks_split_and_join_as_edges_come_and_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path());
        let txn = db.begin_write().unwrap();
        let mut model = Model::new();
        let mut x = 0x9e37_79b9_u32;
        for round in 0..6 {
            {
                let mut t = txn.open_table(RDEPS).unwrap();
                for _ in 0..3000 {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    // One hot target (0) imported by most files, a few cold ones.
                    let target = if x.is_multiple_of(4) { x % 7 } else { 0 };
                    let source = (x >> 8) % 2000;
                    // Early rounds mostly add, late rounds mostly remove.
                    if (x >> 4) % 6 > round {
                        add_edge(&mut t, target, source).unwrap();
                        model.entry(target).or_default().insert(source);
                    } else {
                        remove_edge(&mut t, target, source).unwrap();
                        model.entry(target).or_default().remove(&source);
                    }
                }
            }
            agrees(&txn, &model);
        }
        // The extremes of the id range.
        {
            let mut t = txn.open_table(RDEPS).unwrap();
            add_edge(&mut t, u32::MAX, u32::MAX).unwrap();
            add_edge(&mut t, u32::MAX, 0).unwrap();
            remove_edge(&mut t, u32::MAX, 0).unwrap();
        }
        model.entry(u32::MAX).or_default().insert(u32::MAX);
        agrees(&txn, &model);
    }

    /// Chunks out of order, or overlapping, are damage: reported, never answered from.
    #[test]
    fn damaged_chunks_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path());
        let txn = db.begin_write().unwrap();
        let mut t = txn.open_table(RDEPS).unwrap();
        let mut value = Vec::new();
        crate::format::varint::put_leb(&mut value, 3);
        crate::format::varint::put_leb(&mut value, 0);
        t.insert(edge_key(5, 3).as_slice(), value.as_slice())
            .unwrap();
        let err = sources_of(&t, 5).unwrap_err();
        assert!(format!("{err:#}").contains("out of order"), "{err:#}");
        t.remove(edge_key(5, 3).as_slice()).unwrap();
        t.insert(edge_key(7, 1).as_slice(), pack_ids(&[1, 4]).as_slice())
            .unwrap();
        t.insert(edge_key(7, 3).as_slice(), pack_ids(&[3]).as_slice())
            .unwrap();
        let err = sources_of(&t, 7).unwrap_err();
        assert!(format!("{err:#}").contains("overlap"), "{err:#}");
        let err = each_target(&t, &mut |_, _| Ok(())).unwrap_err();
        assert!(format!("{err:#}").contains("overlap"), "{err:#}");
        let err = check_each_edge(&t, &mut |_, _| Ok(())).unwrap_err();
        assert!(format!("{err:#}").contains("overlap"), "{err:#}");
    }

    #[test]
    fn a_rebuild_loads_the_same_edges_in_full_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(dir.path());
        let txn = db.begin_write().unwrap();
        let mut runs = Runs::new(dir.path(), 1 << 12);
        let mut model = Model::new();
        for source in (0..1000u32).rev() {
            for target in [3, 5, source % 11] {
                runs.push(&edge_key(target, source), &[]).unwrap();
                model.entry(target).or_default().insert(source);
            }
        }
        let edges: usize = model.values().map(BTreeSet::len).sum();
        assert_eq!(load_chunks(&txn, runs).unwrap(), edges as u64);
        agrees(&txn, &model);
        let t = txn.open_table(RDEPS).unwrap();
        let chunks = redb::ReadableTableMetadata::len(&t).unwrap();
        assert!(chunks < (edges / CHUNK_FILL + 12) as u64, "{chunks} chunks");
        drop(t);
        // Incremental edits on top of a rebuild's chunks.
        let mut t = txn.open_table(RDEPS).unwrap();
        for source in 0..1000u32 {
            remove_edge(&mut t, 3, source).unwrap();
        }
        drop(t);
        model.remove(&3);
        agrees(&txn, &model);
    }
}
