//! Every posting of the names that start with a prefix, read in one pass over their key
//! range. A prefix such as `g` matches 30,000 names of two postings each: opening each
//! name's stream costs three B-tree descents and a file row, where a pass reads the rows
//! in order, and a file row only for the postings the reader takes.

use std::ops::Bound;

use anyhow::{bail, Result};

use super::read::{posting_of, FileNames};
use super::stream::{posting_tables, PostingTables};
use super::{Index, Posting};
use crate::error::Damaged;

use crate::format::keys::{self, bytes_prefix_range, posting_key_from_file};
use crate::model::Kind;

/// A posting's key, before its file's row is read.
#[derive(Clone, Copy, Debug)]
pub struct RowHead<'k> {
    /// The defined name (UTF-8: a name that is not is reported as damage).
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
    /// Takes a decoded posting, and says what to do next as `judge` does.
    fn take(&mut self, head: &RowHead<'_>, posting: &Posting) -> Result<Verdict>;
}

/// Rows of one skipped name read in order before the scan seeks past the rest: reading a
/// row costs a tenth of a seek, and most names have a few postings. The fuzzer's names
/// have few postings, so it seeks at the first row it skips.
const SKIP_BY_READING: u32 = if cfg!(fuzzing) { 1 } else { 16 };

impl Index {
    /// Offers `sink` the postings of the names that start with each of `prefixes` (which
    /// must not overlap), in key order (name, then file id, line and column), in one read
    /// transaction; what `sink` skips is not offered.
    pub fn scan_prefixes<S: AsRef<str>>(
        &self,
        prefixes: &[S],
        sink: &mut impl PrefixSink,
    ) -> Result<()> {
        let txn = self.read_txn()?;
        let Some(tables) = posting_tables(&txn)? else {
            return Ok(());
        };
        for prefix in prefixes {
            scan_one(&tables, prefix.as_ref().as_bytes(), sink)?;
        }
        Ok(())
    }
}

/// [`Index::scan_prefixes`] of one prefix.
fn scan_one(t: &PostingTables, prefix: &[u8], sink: &mut impl PrefixSink) -> Result<()> {
    let (lo, hi) = bytes_prefix_range(prefix);
    let end = match &hi {
        Some(hi) => Bound::Excluded(hi.as_slice()),
        None => Bound::Unbounded,
    };
    let mut rows = t
        .defs
        .range::<&[u8]>((Bound::Included(lo.as_slice()), end))?;
    let mut file = FileNames::default();
    // The name seen last (checked to be UTF-8 once), and whether its ordered rows are being
    // skipped, with how many were read past.
    let mut name: Vec<u8> = Vec::new();
    let mut skipped: Option<u32> = None;
    while let Some(row) = rows.next() {
        let (k, v) = row?;
        let key = keys::decode_posting_key(k.value())?;
        if key.name != name.as_slice() {
            if std::str::from_utf8(key.name).is_err() {
                bail!(Damaged::index("a name that is not UTF-8"));
            }
            name.clear();
            name.extend_from_slice(key.name);
            skipped = None;
        }
        if !key.name.starts_with(prefix) {
            continue;
        }
        let ordered = key.file < t.boundary;
        if let (Some(read), true) = (&mut skipped, ordered) {
            *read += 1;
            // Names never hold NUL (`format::keys`), so no other name's rows sort among
            // this name's, and a seek to its first row past the ordered files skips only
            // its own.
            if *read >= SKIP_BY_READING {
                let from = posting_key_from_file(&name, t.boundary);
                rows = t
                    .defs
                    .range::<&[u8]>((Bound::Included(from.as_slice()), end))?;
                skipped = None;
            }
            continue;
        }
        skipped = None;
        let value = keys::decode_posting_value(v.value())?;
        let head = RowHead {
            name: key.name,
            file: key.file,
            ordered,
            line: key.line,
            column: key.column,
            kind: value.kind,
        };
        let mut verdict = sink.judge(&head);
        if verdict == Verdict::Next {
            if file.id != Some(head.file) {
                file.load(head.file, &t.files)?;
            }
            verdict = sink.take(&head, &posting_of(&key, &value, &file)?)?;
        }
        if verdict == Verdict::SkipName {
            skipped = Some(0);
        }
    }
    Ok(())
}
