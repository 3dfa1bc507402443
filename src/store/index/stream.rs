//! A name's postings streamed in output order (path, line, column), so that a lookup with a
//! limit reads what it prints and stops. Files numbered by the last rebuild (below
//! `State::ordered_below`) got their ids in path order, so their postings come in output
//! order straight from the key order; files added since are few, read apart, sorted and
//! merged in.

use anyhow::Result;

use super::meta::read_state;
use super::read::{
    decode_posting, fill_posting, posting_of, sort_postings, with_file_row, FileNames, PathCache,
};
use super::schema::{open_read_table, CALLERS, DEFS, FILES, META};
use super::{Index, Posting};
use crate::format::keys::{
    self, id_key, id_key_has_prefix_len, posting_key_from_file, prefix_range, trailing_id,
};
use crate::model::{BlobId, Lang};

/// A file that calls a name: its path, blob and language.
pub type Caller = (Vec<u8>, BlobId, Lang);

impl Index {
    /// Gives the postings of exactly `name` to `f` in path, line and column order until it
    /// returns `false`. Memory: the postings of files added since the last rebuild, and
    /// one posting, whose buffers are reused (a hot name allocates nothing per posting).
    pub fn postings_streamed(
        &self,
        name: &str,
        f: impl FnMut(&Posting) -> Result<bool>,
    ) -> Result<()> {
        self.postings_streamed_each(&[name], f)
    }

    /// [`Index::postings_streamed`] for each of `names` in turn, in one read transaction
    /// (a case-insensitive lookup can match many names; a prefix is read in one pass by
    /// [`Index::scan_prefixes`]): `f` returning `false` ends the current name's postings,
    /// and the next name's follow.
    pub fn postings_streamed_each<S: AsRef<str>>(
        &self,
        names: &[S],
        mut f: impl FnMut(&Posting) -> Result<bool>,
    ) -> Result<()> {
        let txn = self.read_txn()?;
        let Some(PostingTables {
            defs,
            files,
            boundary,
        }) = posting_tables(&txn)?
        else {
            return Ok(());
        };
        let mut paths = PathCache::default();
        let mut file = FileNames::default();
        for name in names {
            let (lo, mid, hi) = ranges(boundary, name.as_ref(), posting_key_from_file);
            let mut late = Vec::new();
            for row in defs.range(mid.as_slice()..hi.as_slice())? {
                let (k, v) = row?;
                late.push(decode_posting(k.value(), v.value(), &mut paths, &files)?);
            }
            sort_postings(&mut late);
            let mut early = Early::new(defs.range(lo.as_slice()..mid.as_slice())?, |row, slot| {
                let (k, v) = row?;
                decode_posting_into(k.value(), v.value(), slot, &mut file, &files)?;
                Ok(true)
            });
            let before = |a: &Posting, b: &Posting| {
                (&a.path, a.line, a.column) < (&b.path, b.line, b.column)
            };
            merge(&mut early, late, before, &mut f)?;
        }
        Ok(())
    }

    /// Gives the files that call exactly `name` to `f` in path order until it returns
    /// `false` (as `postings_streamed` does for definitions).
    pub fn callers_streamed(
        &self,
        name: &str,
        f: impl FnMut(&Caller) -> Result<bool>,
    ) -> Result<()> {
        let txn = self.read_txn()?;
        let (Some(callers), Some(files), Some(meta)) = (
            open_read_table(&txn, CALLERS)?,
            open_read_table(&txn, FILES)?,
            open_read_table(&txn, META)?,
        ) else {
            return Ok(());
        };
        let (lo, mid, hi) = ranges(ordered_below(&meta)?, name, id_key);
        let caller = |key: &[u8]| -> Result<Option<Caller>> {
            if !id_key_has_prefix_len(key, name.len()) {
                return Ok(None);
            }
            with_file_row(&files, trailing_id(key)?, "a caller", |row| {
                Some((row.path.to_vec(), BlobId::from_trusted(row.blob), row.lang))
            })
        };
        let mut late = Vec::new();
        for row in callers.range(mid.as_slice()..hi.as_slice())? {
            late.extend(caller(row?.0.value())?);
        }
        late.sort_by(|a, b| a.0.cmp(&b.0));
        let mut early = Early::new(
            callers.range(lo.as_slice()..mid.as_slice())?,
            |row, slot| {
                *slot = caller(row?.0.value())?;
                Ok(slot.is_some())
            },
        );
        merge(&mut early, late, |a: &Caller, b: &Caller| a.0 < b.0, f)
    }
}

/// The tables postings are read from, in one read transaction.
pub(super) struct PostingTables {
    pub defs: redb::ReadOnlyTable<&'static [u8], &'static [u8]>,
    pub files: redb::ReadOnlyTable<u32, &'static [u8]>,
    /// The first file id the last rebuild did not number in path order.
    pub boundary: u32,
}

/// Opens the tables postings are read from; `None` before the first commit made them.
pub(super) fn posting_tables(txn: &redb::ReadTransaction) -> Result<Option<PostingTables>> {
    let (Some(defs), Some(files), Some(meta)) = (
        open_read_table(txn, DEFS)?,
        open_read_table(txn, FILES)?,
        open_read_table(txn, META)?,
    ) else {
        return Ok(None);
    };
    let boundary = ordered_below(&meta)?;
    Ok(Some(PostingTables {
        defs,
        files,
        boundary,
    }))
}

/// Decodes a posting into `slot`, reusing its buffers (`fill_posting`); the file's row is
/// read only when the file changes (`file`: the one loaded last).
fn decode_posting_into(
    key: &[u8],
    val: &[u8],
    slot: &mut Option<Posting>,
    file: &mut FileNames,
    files: &redb::ReadOnlyTable<u32, &'static [u8]>,
) -> Result<()> {
    let k = keys::decode_posting_key(key)?;
    let v = keys::decode_posting_value(val)?;
    let new_file = file.id != Some(k.file);
    if new_file {
        file.load(k.file, files)?;
    }
    match slot {
        Some(p) => fill_posting(p, &k, &v, file, new_file),
        None => {
            *slot = Some(posting_of(&k, &v, file)?);
            Ok(())
        }
    }
}

/// Rows already in output order, decoded one at a time into one reused item.
struct Early<R, T, D> {
    rows: R,
    slot: Option<T>,
    /// Decodes a row into the slot; `false` skips the row.
    decode: D,
}

impl<R: Iterator, T, D: FnMut(R::Item, &mut Option<T>) -> Result<bool>> Early<R, T, D> {
    fn new(rows: R, decode: D) -> Self {
        Early {
            rows,
            slot: None,
            decode,
        }
    }

    /// The next item, or `None` at the end.
    fn next(&mut self) -> Result<Option<&T>> {
        for row in self.rows.by_ref() {
            if (self.decode)(row, &mut self.slot)? {
                return Ok(self.slot.as_ref());
            }
        }
        Ok(None)
    }
}

/// The key ranges of `name`'s rows (`name 0x00 file ...`, whose first key at or above a
/// file id `first_key` writes): `lo..mid` holds the files numbered in path order by the
/// last rebuild, `mid..hi` the files added since.
fn ranges(
    boundary: u32,
    name: &str,
    first_key: fn(&[u8], u32) -> Vec<u8>,
) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let (lo, hi) = prefix_range(name.as_bytes());
    (lo, first_key(name.as_bytes(), boundary), hi)
}

/// The first file id the last rebuild did not number in path order.
fn ordered_below(meta: &redb::ReadOnlyTable<&'static str, &'static [u8]>) -> Result<u32> {
    let ordered = read_state(meta)?.map_or(0, |s| s.ordered_below);
    Ok(u32::try_from(ordered).unwrap_or(u32::MAX))
}

/// Gives `f` the items of `early` (already in output order) and of `late` (sorted), merged
/// by `before`, until `f` returns `false`.
fn merge<R: Iterator, T, D: FnMut(R::Item, &mut Option<T>) -> Result<bool>>(
    early: &mut Early<R, T, D>,
    late: Vec<T>,
    before: impl Fn(&T, &T) -> bool,
    mut f: impl FnMut(&T) -> Result<bool>,
) -> Result<()> {
    let mut late = late.into_iter().peekable();
    while let Some(item) = early.next()? {
        while let Some(l) = late.next_if(|l| before(l, item)) {
            if !f(&l)? {
                return Ok(());
            }
        }
        if !f(item)? {
            return Ok(());
        }
    }
    for l in late {
        if !f(&l)? {
            break;
        }
    }
    Ok(())
}
