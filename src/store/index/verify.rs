//! Checking an index file that came from elsewhere (a shared snapshot) before it is used:
//! redb reads every page of every table, every row decodes, every file id is in range and
//! known, and the counters agree with the rows.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use anyhow::{bail, Result};
use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata};

use super::schema::*;
use super::{rdeps, FileBlob, Index, State};
use crate::error::Damaged;
use crate::format::keys::{self, basename_of, decode_file_value, trailing_id, unpack_ids};

impl Index {
    /// Checks an index file that came from elsewhere before it is used. Returns its state
    /// and each file's path and blob, for the caller to check against the tree. A panic
    /// inside redb on a hostile file is caught and reported as a rejection.
    pub fn verify_foreign(path: &Path) -> Result<(State, Vec<FileBlob>)> {
        match std::panic::catch_unwind(AssertUnwindSafe(|| verify(path))) {
            Ok(r) => r,
            Err(_) => bail!(Damaged::index("redb cannot read it")),
        }
    }
}

/// Which file ids are files: one bit each, so that the millions of rows naming a file are
/// checked without a lookup.
/// By file id: the number of its containers for a file, [`NO_FILE`] for no file.
struct Known(Vec<u32>);

const NO_FILE: u32 = u32::MAX;

impl Known {
    fn check(&self, id: u32) -> Result<()> {
        self.containers(id).map(|_| ())
    }

    /// How many containers file `id`'s row names; an id that is no file is damage.
    fn containers(&self, id: u32) -> Result<u32> {
        match self.0.get(id as usize).copied().filter(|&n| n != NO_FILE) {
            Some(n) => Ok(n),
            None => bail!(Damaged::index(format!("file id {id} is not a file"))),
        }
    }
}

/// See `Index::verify_foreign`.
fn verify(path: &Path) -> Result<(State, Vec<FileBlob>)> {
    let Some(index) = Index::open_read(path)? else {
        bail!(Damaged::index("there is no file"));
    };
    let Some(st) = index.state()? else {
        bail!(Damaged::index("it describes no tree"));
    };
    let txn = index.read_txn()?;
    let (known, files) = check_files(&txn, &st)?;
    let (symbols, distinct) = check_postings(&txn, &known)?;
    let names = count_names(&txn)?;
    if symbols != st.symbols || names != st.names || names != distinct {
        bail!(Damaged::index("its symbol or name count is wrong"));
    }
    check_basenames(&txn, &st)?;
    check_links(&txn, &known)?;
    // The other tables hold nothing more to check, but redb must be able to read them.
    read_every_table(&txn)?;
    Ok((st, files))
}

fn table_missing(name: &str) -> Damaged {
    Damaged::index(format!("it has no {name} table"))
}

/// Every file row names its path's id and a blob; returns the known ids and the files.
fn check_files(txn: &ReadTransaction, st: &State) -> Result<(Known, Vec<FileBlob>)> {
    let files = open_read_table(txn, FILES)?.ok_or_else(|| table_missing("files"))?;
    let paths = open_read_table(txn, PATHS)?.ok_or_else(|| table_missing("paths"))?;
    let ids = usize::try_from(st.next_file)
        .ok()
        .filter(|&n| n <= u32::MAX as usize)
        .ok_or_else(|| Damaged::index(format!("{} file ids", st.next_file)))?;
    let mut is_file = vec![NO_FILE; ids];
    let mut out: Vec<FileBlob> = Vec::new();
    if st.ordered_below > st.next_file {
        bail!(Damaged::index("its ordered file ids run past its file ids"));
    }
    for row in files.iter()? {
        let (k, v) = row?;
        let row = decode_file_value(v.value())?;
        let id = k.value();
        if u64::from(id) >= st.next_file
            || paths.get(row.path.as_slice())?.map(|v| v.value()) != Some(id)
        {
            bail!(Damaged::index(format!("file {id} is not its path's")));
        }
        // Lookups stream the files below `ordered_below` in id order as path order.
        let ordered = u64::from(id) < st.ordered_below;
        if ordered && out.last().is_some_and(|(last, _)| *last >= row.path) {
            bail!(Damaged::index(format!(
                "file {id} is numbered out of path order"
            )));
        }
        is_file[id as usize] = u32::try_from(row.containers.len())
            .ok()
            .filter(|&n| n != NO_FILE)
            .ok_or_else(|| Damaged::index(format!("file {id} has too many containers")))?;
        out.push((row.path, row.blob));
    }
    if out.len() as u64 != st.files || paths.len()? != st.files {
        bail!(Damaged::index("its file count is wrong"));
    }
    Ok((Known(is_file), out))
}

/// Every posting decodes, names a UTF-8 name and a known file; returns how many, and how
/// many distinct names they define.
fn check_postings(txn: &ReadTransaction, known: &Known) -> Result<(u64, u64)> {
    let (mut symbols, mut names) = (0, 0);
    let mut last: Option<Vec<u8>> = None;
    let Some(defs) = open_read_table(txn, DEFS)? else {
        return Ok((0, 0));
    };
    for row in defs.iter()? {
        let (k, v) = row?;
        let (key, value) = (
            keys::decode_posting_key(k.value()),
            keys::decode_posting_value(v.value()),
        );
        let (Ok(key), Ok(value)) = (key, value) else {
            bail!(Damaged::index(
                "a posting of unknown kind, language or name"
            ));
        };
        if key.name.is_empty() || std::str::from_utf8(key.name).is_err() {
            bail!(Damaged::index(
                "a posting of unknown kind, language or name"
            ));
        }
        let containers = known.containers(key.file)?;
        if let Some(pos) = value.container.filter(|&pos| pos >= containers) {
            bail!(Damaged::index(format!(
                "a posting names container {pos} of file {}, which has {containers}",
                key.file
            )));
        }
        if last.as_deref() != Some(key.name) {
            last = Some(key.name.to_vec());
            names += 1;
        }
        symbols += 1;
    }
    Ok((symbols, names))
}

/// Every folded row names a name with postings; returns how many names.
fn count_names(txn: &ReadTransaction) -> Result<u64> {
    let mut names = 0;
    let (Some(folded), Some(defs)) = (open_read_table(txn, FOLDED)?, open_read_table(txn, DEFS)?)
    else {
        return Ok(0);
    };
    for row in folded.iter()? {
        let (k, _) = row?;
        let (lower, name) = keys::decode_folded(k.value())?;
        let mut again = Vec::new();
        let folds = std::str::from_utf8(&name).is_ok_and(|n| {
            n.to_lowercase().as_bytes() == lower && keys::folded_key(&mut again, n) == k.value()
        });
        if !folds {
            bail!(Damaged::index(
                "a folded name that is not its name's lower case"
            ));
        }
        let (lo, hi) = keys::prefix_range(&name);
        if defs.range(lo.as_slice()..hi.as_slice())?.next().is_none() {
            bail!(Damaged::index("a name without postings"));
        }
        names += 1;
    }
    Ok(names)
}

/// One file-name row per file, each its path's.
fn check_basenames(txn: &ReadTransaction, st: &State) -> Result<()> {
    let paths = open_read_table(txn, PATHS)?.ok_or_else(|| table_missing("paths"))?;
    let Some(t) = open_read_table(txn, BASENAMES)? else {
        return Ok(());
    };
    let mut rows = 0;
    for row in t.iter()? {
        let (path, id) = basename_of(row?.0.value())?;
        if paths.get(path.as_slice())?.map(|v| v.value()) != Some(id) {
            bail!(Damaged::index(format!(
                "the file-name row of file {id} is not its path's"
            )));
        }
        rows += 1;
    }
    if rows != st.files {
        bail!(Damaged::index("its file-name rows are not one per file"));
    }
    Ok(())
}

/// Callers, import keys and edges name known files.
fn check_links(txn: &ReadTransaction, known: &Known) -> Result<()> {
    for def in [CALLERS, IKEYS] {
        if let Some(t) = open_read_table(txn, def)? {
            for row in t.iter()? {
                known.check(trailing_id(row?.0.value())?)?;
            }
        }
    }
    // The reverse edges must be the forward edges turned round: compared as an
    // order-free sum of the edges' hashes (one pass over each table, no lookups).
    let mut reverse = EdgeSum::default();
    if let Some(t) = open_read_table(txn, RDEPS)? {
        rdeps::check_each_edge(&t, &mut |target, source| {
            known.check(target)?;
            known.check(source)?;
            reverse.add(target, source);
            Ok(())
        })?;
    }
    let mut forward = EdgeSum::default();
    if let Some(t) = open_read_table(txn, DEPS)? {
        for row in t.iter()? {
            let (k, v) = row?;
            known.check(k.value())?;
            let ids = unpack_ids(v.value())?;
            if !ids.windows(2).all(|w| w[0] < w[1]) {
                bail!(Damaged::index("a file's dependency list is out of order"));
            }
            for id in ids {
                known.check(id)?;
                forward.add(id, k.value());
            }
        }
    }
    if forward != reverse {
        bail!(Damaged::index(
            "its reverse edges are not its edges turned round"
        ));
    }
    if let Some(t) = open_read_table(txn, EXT)? {
        for row in t.iter()? {
            known.check(row?.0.value())?;
        }
    }
    Ok(())
}

/// An order-free digest of a set of (target, source) edges: their count and the wrapping
/// sum of a hash of each.
#[derive(Default, PartialEq)]
struct EdgeSum {
    count: u64,
    sum: u64,
}

impl EdgeSum {
    fn add(&mut self, target: u32, source: u32) {
        let edge = (u64::from(target) << 32) | u64::from(source);
        self.count += 1;
        self.sum = self
            .sum
            .wrapping_add(twox_hash::XxHash3_64::oneshot(&edge.to_le_bytes()));
    }
}
