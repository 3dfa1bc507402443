//! The index's tables, declared once: their names and key and value types here, their byte
//! layouts in `format::keys`. [`each_table!`] is the one list of them, for whatever must
//! touch every table (a rewrite, a full read).

use anyhow::{Context as _, Result};
use redb::{ReadTransaction, ReadableTable, TableDefinition, WriteTransaction};

use crate::store::runs::Runs;

pub(super) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(super) const PATHS: TableDefinition<&[u8], u32> = TableDefinition::new("paths");
pub(super) const FILES: TableDefinition<u32, &[u8]> = TableDefinition::new("files");
pub(super) const DEFS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("defs");
pub(super) const CALLERS: TableDefinition<&[u8], ()> = TableDefinition::new("callers");
pub(super) const BASENAMES: TableDefinition<&[u8], ()> = TableDefinition::new("basenames");
pub(super) const DEPS: TableDefinition<u32, &[u8]> = TableDefinition::new("deps");
pub(super) const RDEPS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("rdeps");
pub(super) const EXT: TableDefinition<u32, &[u8]> = TableDefinition::new("ext");
pub(super) const IKEYS: TableDefinition<&[u8], ()> = TableDefinition::new("ikeys");
pub(super) const PENDING: TableDefinition<u32, ()> = TableDefinition::new("pending");
pub(super) const DIRTY: TableDefinition<u32, ()> = TableDefinition::new("dirty");
pub(super) const FRESH: TableDefinition<&str, ()> = TableDefinition::new("fresh");
pub(super) const APPEARED: TableDefinition<&[u8], ()> = TableDefinition::new("appeared");
pub(super) const CONFIGS: TableDefinition<&[u8], ()> = TableDefinition::new("configs");
pub(super) const REFS: TableDefinition<&[u8], u32> = TableDefinition::new("refs");
pub(super) const FOLDED: TableDefinition<&[u8], ()> = TableDefinition::new("folded");

/// Calls `$f($args..., TABLE)?` for every table, in one list.
macro_rules! each_table {
    ($f:ident($($arg:expr),*)) => {
        $f($($arg,)* META)?;
        $f($($arg,)* PATHS)?;
        $f($($arg,)* FILES)?;
        $f($($arg,)* DEFS)?;
        $f($($arg,)* FOLDED)?;
        $f($($arg,)* CALLERS)?;
        $f($($arg,)* BASENAMES)?;
        $f($($arg,)* DEPS)?;
        $f($($arg,)* RDEPS)?;
        $f($($arg,)* EXT)?;
        $f($($arg,)* IKEYS)?;
        $f($($arg,)* PENDING)?;
        $f($($arg,)* DIRTY)?;
        $f($($arg,)* FRESH)?;
        $f($($arg,)* APPEARED)?;
        $f($($arg,)* CONFIGS)?;
        $f($($arg,)* REFS)?;
    };
}

/// Copies every table of `src` into `dst`.
pub(super) fn copy_all(src: &ReadTransaction, dst: &WriteTransaction) -> Result<()> {
    each_table!(copy_table(src, dst));
    Ok(())
}

/// Reads every row of every table (redb checks each page it reads).
pub(super) fn read_every_table(txn: &ReadTransaction) -> Result<()> {
    each_table!(read_all(txn));
    Ok(())
}

/// The write transaction's tables, opened once per batch.
pub(super) struct Tables<'t> {
    pub paths: redb::Table<'t, &'static [u8], u32>,
    pub files: redb::Table<'t, u32, &'static [u8]>,
    pub defs: redb::Table<'t, &'static [u8], &'static [u8]>,
    pub folded: redb::Table<'t, &'static [u8], ()>,
    pub callers: redb::Table<'t, &'static [u8], ()>,
    pub basenames: redb::Table<'t, &'static [u8], ()>,
    pub deps: redb::Table<'t, u32, &'static [u8]>,
    pub rdeps: redb::Table<'t, &'static [u8], &'static [u8]>,
    pub ext: redb::Table<'t, u32, &'static [u8]>,
    pub ikeys: redb::Table<'t, &'static [u8], ()>,
    pub pending: redb::Table<'t, u32, ()>,
    pub dirty: redb::Table<'t, u32, ()>,
    pub fresh: redb::Table<'t, &'static str, ()>,
    pub appeared: redb::Table<'t, &'static [u8], ()>,
    pub track_fresh: bool,
}

impl<'t> Tables<'t> {
    pub fn open(txn: &'t WriteTransaction, track_fresh: bool) -> Result<Tables<'t>> {
        Ok(Tables {
            paths: txn.open_table(PATHS)?,
            files: txn.open_table(FILES)?,
            defs: txn.open_table(DEFS)?,
            folded: txn.open_table(FOLDED)?,
            callers: txn.open_table(CALLERS)?,
            basenames: txn.open_table(BASENAMES)?,
            deps: txn.open_table(DEPS)?,
            rdeps: txn.open_table(RDEPS)?,
            ext: txn.open_table(EXT)?,
            ikeys: txn.open_table(IKEYS)?,
            pending: txn.open_table(PENDING)?,
            dirty: txn.open_table(DIRTY)?,
            fresh: txn.open_table(FRESH)?,
            appeared: txn.open_table(APPEARED)?,
            track_fresh,
        })
    }
}

/// Reads every row of table `def` (for `verify`).
pub(super) fn read_all<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &ReadTransaction,
    def: TableDefinition<K, V>,
) -> Result<()> {
    if let Some(t) = open_read_table(txn, def)? {
        for row in t.iter()? {
            row?;
        }
    }
    Ok(())
}

pub(super) fn open_read_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &ReadTransaction,
    def: TableDefinition<K, V>,
) -> Result<Option<redb::ReadOnlyTable<K, V>>> {
    match txn.open_table(def) {
        Ok(t) => Ok(Some(t)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e).context("cannot open an index table"),
    }
}

fn copy_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    src: &ReadTransaction,
    dst: &WriteTransaction,
    def: TableDefinition<K, V>,
) -> Result<()> {
    let Some(from) = open_read_table(src, def)? else {
        return Ok(());
    };
    let mut to = dst.open_table(def)?;
    for row in from.iter()? {
        let (k, v) = row?;
        to.insert(k.value(), v.value())?;
    }
    Ok(())
}

/// Fills the empty key-only table `def` from sort runs, through redb's buffered cursor
/// (which packs pages as it appends); returns how many distinct keys it holds.
pub(super) fn load_keys(
    txn: &WriteTransaction,
    def: TableDefinition<&'static [u8], ()>,
    runs: Runs,
) -> Result<u64> {
    let mut table = txn.open_table(def)?;
    let mut cursor = table.upper_bound_mut(std::ops::Bound::<&[u8]>::Unbounded)?;
    let mut n = 0;
    runs.drain_distinct(|k, _| {
        n += 1;
        cursor.insert_before(k, ()).map_err(sort_error)
    })?;
    cursor.close()?;
    Ok(n)
}

/// A bulk load met keys out of order: a bug, never the user's doing.
pub(super) fn sort_error(e: redb::CursorError) -> anyhow::Error {
    anyhow::Error::new(e).context("internal error: a bulk load of the index went out of key order")
}
