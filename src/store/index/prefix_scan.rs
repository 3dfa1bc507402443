//! Every posting of the names that start with a prefix, read in one pass over their key
//! range. A prefix such as `g` matches 30,000 names of two postings each: opening each
//! name's stream costs three B-tree descents and a file row, where a pass reads the rows
//! in order, and a file row only for the postings the reader takes.

use std::ops::Bound;

use anyhow::Result;

use super::read::{posting_of, FileNames};
use super::schema::{open_read_table, DEFS, FILES, META};
use super::stream::ordered_below;
use super::{Index, Posting};

use crate::format::keys::{self, bytes_prefix_range, posting_key_from_file};
use crate::model::Kind;

/// A posting's key, before its file's row is read.
#[derive(Clone, Copy, Debug)]
pub struct RowHead<'k> {
    /// The defined name (raw bytes, UTF-8 when written by git-atse).
    pub name: &'k [u8],
    /// The file id.
    pub file: u32,
    /// Whether the last rebuild numbered the file in path order: for two such files, file
    /// id order is path order.
    pub ordered: bool,
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub column: u32,
    /// What the name defines there.
    pub kind: Kind,
}

/// What a prefix scan does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Read on.
    Next,
    /// Not this posting (and do not decode it); read on.
    Pass,
    /// Skip the rest of this name's postings in files numbered in path order (those come in
    /// output order, so once one cannot be kept none after it can); the name's postings in
    /// files added since are still given.
    SkipName,
}

/// The reader of a prefix scan.
pub trait PrefixSink {
    /// Judges a row from its key and kind alone: [`Verdict::Next`] decodes it and gives it
    /// to [`PrefixSink::take`].
    fn judge(&mut self, head: &RowHead<'_>) -> Verdict;
    /// Takes a decoded posting; its verdict is `judge`'s.
    fn take(&mut self, head: &RowHead<'_>, posting: &Posting) -> Result<Verdict>;
}

/// Rows of one skipped name read in order before the scan seeks past the rest: reading a
/// row costs a tenth of a seek, and most names have a few postings. The fuzzer's names
/// have few postings, so it seeks after one.
const SKIP_BY_READING: u32 = if cfg!(fuzzing) { 1 } else { 16 };

impl Index {
    /// Gives `sink` every posting of the names that start with `prefix`, in key order
    /// (name, then file id, line and column), in one read transaction.
    pub fn scan_prefix(&self, prefix: &str, sink: &mut impl PrefixSink) -> Result<()> {
        let txn = self.read_txn()?;
        let (Some(defs), Some(files), Some(meta)) = (
            open_read_table(&txn, DEFS)?,
            open_read_table(&txn, FILES)?,
            open_read_table(&txn, META)?,
        ) else {
            return Ok(());
        };
        let boundary = ordered_below(&meta)?;
        let (lo, hi) = bytes_prefix_range(prefix.as_bytes());
        let end = match &hi {
            Some(hi) => Bound::Excluded(hi.as_slice()),
            None => Bound::Unbounded,
        };
        let mut rows = defs.range::<&[u8]>((Bound::Included(lo.as_slice()), end))?;
        let mut file = FileNames::default();
        // The name being skipped, and how many of its rows were read past.
        let mut skipping: Option<(Vec<u8>, u32)> = None;
        while let Some(row) = rows.next() {
            let (k, v) = row?;
            let key = keys::decode_posting_key(k.value())?;
            let value = keys::decode_posting_value(v.value())?;
            if !key.name.starts_with(prefix.as_bytes()) {
                continue;
            }
            let head = RowHead {
                name: key.name,
                file: key.file,
                ordered: key.file < boundary,
                line: key.line,
                column: key.column,
                kind: value.kind,
            };
            if let Some((name, read)) = &mut skipping {
                if head.ordered && name.as_slice() == head.name {
                    *read += 1;
                    // A name holding 0x00 is never sought past: its key could sort
                    // among another name's.
                    if *read > SKIP_BY_READING && !name.contains(&0) {
                        let from = posting_key_from_file(name, boundary);
                        rows = defs.range::<&[u8]>((Bound::Included(from.as_slice()), end))?;
                        skipping = None;
                    }
                    continue;
                }
                skipping = None;
            }
            let mut verdict = sink.judge(&head);
            if verdict == Verdict::Next {
                if file.id != Some(head.file) {
                    file.load(head.file, &files)?;
                }
                verdict = sink.take(&head, &posting_of(&key, &value, &file)?)?;
            }
            if verdict == Verdict::SkipName {
                skipping = Some((head.name.to_vec(), 0));
            }
        }
        Ok(())
    }
}
