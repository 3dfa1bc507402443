//! A name's postings streamed in output order (path, line, column), so that a lookup with a
//! limit reads what it prints and stops. Files numbered by the last rebuild (below
//! `State::ordered_below`) got their ids in path order, so their postings come in output
//! order straight from the key order; files added since are few, read apart, sorted and
//! merged in.

use anyhow::Result;

use super::meta::read_state;
use super::read::{decode_posting, sort_postings, PathCache};
use super::schema::{open_read_table, CALLERS, DEFS, FILES, META};
use super::{Index, Posting};
use crate::error::Damaged;
use crate::format::keys::{
    self, decode_file_value, id_key_has_prefix_len, prefix_range, trailing_id,
};
use crate::model::{BlobId, Lang};

/// A file that calls a name: its path, blob and language.
pub type Caller = (Vec<u8>, BlobId, Lang);

impl Index {
    /// Gives the postings of exactly `name` to `f` in path, line and column order until it
    /// returns `false`. Memory: the postings of files added since the last rebuild, and
    /// one path.
    pub fn postings_streamed(
        &self,
        name: &str,
        f: impl FnMut(Posting) -> Result<bool>,
    ) -> Result<()> {
        let txn = self.read_txn()?;
        let (Some(defs), Some(files), Some(meta)) = (
            open_read_table(&txn, DEFS)?,
            open_read_table(&txn, FILES)?,
            open_read_table(&txn, META)?,
        ) else {
            return Ok(());
        };
        let (lo, mid, hi) = ranges(&meta, name)?;
        let mut paths = PathCache::default();
        let mut late = Vec::new();
        for row in defs.range(mid.as_slice()..hi.as_slice())? {
            let (k, v) = row?;
            late.push(decode_posting(k.value(), v.value(), &mut paths, &files)?);
        }
        sort_postings(&mut late);
        let mut current = None;
        let early = defs.range(lo.as_slice()..mid.as_slice())?.map(|row| {
            let (k, v) = row?;
            // Keep only the current file's path.
            let file = keys::decode_posting_key(k.value())?.file;
            if current != Some(file) {
                paths.clear();
                current = Some(file);
            }
            decode_posting(k.value(), v.value(), &mut paths, &files).map(Some)
        });
        let before =
            |a: &Posting, b: &Posting| (&a.path, a.line, a.column) < (&b.path, b.line, b.column);
        merge(early, late, before, f)
    }

    /// Gives the files that call exactly `name` to `f` in path order until it returns
    /// `false` (as `postings_streamed` does for definitions).
    pub fn callers_streamed(
        &self,
        name: &str,
        f: impl FnMut(Caller) -> Result<bool>,
    ) -> Result<()> {
        let txn = self.read_txn()?;
        let (Some(callers), Some(files), Some(meta)) = (
            open_read_table(&txn, CALLERS)?,
            open_read_table(&txn, FILES)?,
            open_read_table(&txn, META)?,
        ) else {
            return Ok(());
        };
        let (lo, mid, hi) = ranges(&meta, name)?;
        let caller = |key: &[u8]| -> Result<Option<Caller>> {
            if !id_key_has_prefix_len(key, name.len()) {
                return Ok(None);
            }
            let id = trailing_id(key)?;
            let Some(row) = files.get(id)? else {
                anyhow::bail!(Damaged::index(format!(
                    "a caller names file id {id}, which has no row"
                )));
            };
            let row = decode_file_value(row.value())?;
            Ok(Some((row.path, row.blob, row.lang)))
        };
        let mut late = Vec::new();
        for row in callers.range(mid.as_slice()..hi.as_slice())? {
            late.extend(caller(row?.0.value())?);
        }
        late.sort_by(|a, b| a.0.cmp(&b.0));
        let early = callers
            .range(lo.as_slice()..mid.as_slice())?
            .map(|row| caller(row?.0.value()));
        merge(early, late, |a: &Caller, b: &Caller| a.0 < b.0, f)
    }
}

/// The key ranges of `name`'s rows (`name 0x00 file:u32be ...`): `lo..mid` holds the files
/// numbered in path order by the last rebuild, `mid..hi` the files added since.
fn ranges(
    meta: &redb::ReadOnlyTable<&'static str, &'static [u8]>,
    name: &str,
) -> Result<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let ordered = read_state(meta)?.map_or(0, |s| s.ordered_below);
    let boundary = u32::try_from(ordered).unwrap_or(u32::MAX);
    let (lo, hi) = prefix_range(name.as_bytes());
    let mut mid = lo.clone();
    mid.extend_from_slice(&boundary.to_be_bytes());
    Ok((lo, mid, hi))
}

/// Gives `f` the items of `early` (already in output order; `None` skipped) and of `late`
/// (sorted), merged by `before`, until `f` returns `false`.
fn merge<T>(
    early: impl Iterator<Item = Result<Option<T>>>,
    late: Vec<T>,
    before: impl Fn(&T, &T) -> bool,
    mut f: impl FnMut(T) -> Result<bool>,
) -> Result<()> {
    let mut late = late.into_iter().peekable();
    for item in early {
        let Some(item) = item? else {
            continue;
        };
        while let Some(l) = late.next_if(|l| before(l, &item)) {
            if !f(l)? {
                return Ok(());
            }
        }
        if !f(item)? {
            return Ok(());
        }
    }
    for l in late {
        if !f(l)? {
            break;
        }
    }
    Ok(())
}
