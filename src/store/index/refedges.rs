//! The `refs` table: file -> file reference edges (`model::refgraph` has the rules), kept
//! current by name at each update, recomputed whole by a rebuild, a very large update or a
//! snapshot from elsewhere (derived data is never taken on trust).

use std::cmp::Ordering;
use std::path::Path;

use anyhow::Result;
use redb::{ReadableTable, WriteTransaction};

use super::patch::Patch;
use super::schema::{open_read_table, sort_error, CALLERS, DEFS, REFS};
use super::Index;
use crate::error::Damaged;
use crate::format::keys::{self, prefix_range, trailing_id};
use crate::model::refgraph::{counts, pair_changes, MAX_CALLERS, MAX_DEFINERS};
use crate::store::runs::Runs;

/// Memory for the sort runs of a whole recomputation (beyond it, runs spill to disk).
const RUNS_BUDGET: usize = 32 << 20;

impl Index {
    /// Every reference edge `(from, to)` with the number of names that make it, in key
    /// order.
    pub fn reference_edges(&self) -> Result<Vec<((u32, u32), u32)>> {
        let txn = self.read_txn()?;
        let Some(refs) = open_read_table(&txn, REFS)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in refs.iter()? {
            let (k, v) = row?;
            out.push((keys::edge_of(k.value())?, v.value()));
        }
        Ok(out)
    }

    /// The distinct files defining exactly `name`, sorted; `None` when more than `limit`.
    pub fn definer_ids(&self, name: &str, limit: usize) -> Result<Option<Vec<u32>>> {
        let txn = self.read_txn()?;
        match open_read_table(&txn, DEFS)? {
            Some(defs) => ids_of(&defs, (name.as_bytes(), posting_file), limit),
            None => Ok(Some(Vec::new())),
        }
    }

    /// The distinct files referencing exactly `name`, sorted; `None` when more than `limit`.
    pub fn caller_ids(&self, name: &str, limit: usize) -> Result<Option<Vec<u32>>> {
        let txn = self.read_txn()?;
        match open_read_table(&txn, CALLERS)? {
            Some(callers) => ids_of(&callers, (name.as_bytes(), trailing_id), limit),
            None => Ok(Some(Vec::new())),
        }
    }
}

impl Patch {
    /// Recomputes the reference edges whole from the postings and callers (after a
    /// rebuild's load, a very large update, or a snapshot from elsewhere).
    pub fn rebuild_refs(&mut self, spill_dir: &Path) -> Result<()> {
        rebuild(&self.txn, spill_dir)
    }

    /// Brings the reference edges up to date with this update's changes.
    pub(super) fn finish_refs(&mut self, spill_dir: &Path) -> Result<()> {
        let Some(changes) = self.ref_changes.take() else {
            return Ok(());
        };
        if changes.overflowed() {
            return rebuild(&self.txn, spill_dir);
        }
        let defs = self.txn.open_table(DEFS)?;
        let callers = self.txn.open_table(CALLERS)?;
        let mut refs = self.txn.open_table(REFS)?;
        for (name, delta) in changes.names() {
            let name = name.as_bytes();
            // Read at most what decides whether the name counts on either side: past
            // that, it counts on neither.
            let Some(definers) = ids_of(
                &defs,
                (name, posting_file),
                MAX_DEFINERS + delta.definers_added.len(),
            )?
            else {
                continue;
            };
            let (_, old_definers) = delta.before(&[], &definers);
            if !counts(definers.len(), 0) && !counts(old_definers.len(), 0) {
                continue;
            }
            let Some(callers) = ids_of(
                &callers,
                (name, trailing_id),
                MAX_CALLERS + delta.callers_added.len(),
            )?
            else {
                continue;
            };
            let old = delta.before(&callers, &definers);
            let mut result = Ok(());
            pair_changes((&old.0, &old.1), (&callers, &definers), |c, d, sign| {
                if result.is_ok() {
                    result = bump(&mut refs, c, d, sign);
                }
            });
            result?;
        }
        Ok(())
    }
}

/// How a table's key names its file.
type FileOfKey = fn(&[u8]) -> Result<u32>;

/// The distinct file ids of `table`'s rows for exactly `name` (keys `name 0x00 file ...`),
/// sorted; `None` when there are more than `limit`.
fn ids_of<V: redb::Value + 'static>(
    table: &impl ReadableTable<&'static [u8], V>,
    (name, file): (&[u8], FileOfKey),
    limit: usize,
) -> Result<Option<Vec<u32>>> {
    let (lo, hi) = prefix_range(name);
    let mut out: Vec<u32> = Vec::new();
    for row in table.range(lo.as_slice()..hi.as_slice())? {
        let (k, _) = row?;
        let id = file(k.value())?;
        if out.last() != Some(&id) {
            if out.len() == limit {
                return Ok(None);
            }
            out.push(id);
        }
    }
    Ok(Some(out))
}

fn posting_file(key: &[u8]) -> Result<u32> {
    Ok(keys::decode_posting_key(key)?.file)
}

/// Adds `sign` to the count of edge `from -> to`; a count of 0 removes the row.
fn bump(refs: &mut redb::Table<'_, &[u8], u32>, from: u32, to: u32, sign: i32) -> Result<()> {
    let key = keys::edge_key(from, to);
    let count = refs.get(key.as_slice())?.map_or(0, |v| v.value());
    match count.checked_add_signed(sign) {
        Some(0) => {
            refs.remove(key.as_slice())?;
        }
        Some(n) => {
            refs.insert(key.as_slice(), n)?;
        }
        // Removing an edge that is not there: the table does not match the postings.
        None => anyhow::bail!(Damaged::index(format!(
            "reference edge {from} -> {to} removed but absent"
        ))),
    }
    Ok(())
}

/// Empties `refs` and fills it from one merge join of `callers` and `defs` (both in name
/// order), counting each edge's names in sort runs.
fn rebuild(txn: &WriteTransaction, spill_dir: &Path) -> Result<()> {
    let mut runs = Runs::new(spill_dir, RUNS_BUDGET);
    {
        let defs = txn.open_table(DEFS)?;
        let callers = txn.open_table(CALLERS)?;
        join(&defs, &callers, |c, d| {
            runs.push(&keys::edge_key(c, d), &[])
        })?;
    }
    txn.delete_table(REFS)?;
    let mut refs = txn.open_table(REFS)?;
    let mut cursor = refs.upper_bound_mut(std::ops::Bound::<&[u8]>::Unbounded)?;
    let mut held: Option<(Vec<u8>, u32)> = None;
    runs.drain(|k, _| {
        match &mut held {
            Some((hk, n)) if hk.as_slice() == k => *n += 1,
            _ => {
                if let Some((hk, n)) = held.replace((k.to_vec(), 1)) {
                    cursor.insert_before(hk.as_slice(), n).map_err(sort_error)?;
                }
            }
        }
        Ok(())
    })?;
    if let Some((hk, n)) = held {
        cursor.insert_before(hk.as_slice(), n).map_err(sort_error)?;
    }
    cursor.close()?;
    Ok(())
}

/// Visits `(caller, definer)` once per counting name and pair (`model::refgraph::counts`),
/// a file's reference to its own name left out.
fn join(
    defs: &impl ReadableTable<&'static [u8], &'static [u8]>,
    callers: &impl ReadableTable<&'static [u8], ()>,
    mut f: impl FnMut(u32, u32) -> Result<()>,
) -> Result<()> {
    let mut defs = defs.iter()?.peekable();
    let mut rows = callers.iter()?.peekable();
    let mut definers: Vec<u32> = Vec::new();
    let mut group: Vec<u32> = Vec::new();
    while let Some(row) = rows.next() {
        let (k, _) = row?;
        let key = k.value();
        let name = caller_name(key)?.to_vec();
        group.clear();
        group.push(trailing_id(key)?);
        // The name's other callers (keys in file order).
        while let Some(Ok((next, _))) = rows.peek() {
            if caller_name(next.value())? != name.as_slice() {
                break;
            }
            group.push(trailing_id(next.value())?);
            rows.next();
        }
        definers.clear();
        while let Some(row) = defs.peek() {
            let dk = match row {
                Ok((dk, _)) => dk.value(),
                Err(_) => {
                    defs.next().transpose()?;
                    continue;
                }
            };
            match keys::posting_name(dk)?.cmp(name.as_slice()) {
                Ordering::Less => {}
                Ordering::Equal => {
                    let id = keys::decode_posting_key(dk)?.file;
                    if definers.last() != Some(&id) {
                        definers.push(id);
                    }
                }
                Ordering::Greater => break,
            }
            defs.next();
        }
        if !counts(definers.len(), group.len()) {
            continue;
        }
        for &c in &group {
            for &d in definers.iter().filter(|&&d| d != c) {
                f(c, d)?;
            }
        }
    }
    Ok(())
}

/// The name of a `callers` key (an id key).
fn caller_name(key: &[u8]) -> Result<&[u8]> {
    Ok(keys::split_id_key(key)?.0)
}
