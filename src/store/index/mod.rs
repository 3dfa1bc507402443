//! The global index of one worktree, in redb: path -> blob, name -> postings. Key and
//! value layouts are `format::keys`; the tables are declared once, in `schema`.
//!
//! Tables (integers in keys are big-endian or ordered varints, so byte order is numeric order;
//! elsewhere little-endian or LEB128):
//! ```text
//! meta      &str  -> &[u8]   format, extractor version, tree, commit, counters, next file id
//! paths     path  -> file id u32                                 one row per indexed file
//! files     file id u32 -> [id_len u8][blob id][lang u8][skip u8][path_len leb][path]
//!                            ([name_len leb][container name][kind u8])...   its containers
//! defs      name 0x00 file:ord line:ord column:ord [ord bytes u8]   (ordered varints)
//!                 -> [kind u8][end_line leb][end_column leb][container position + 1 leb]
//! folded    lowercase(name) 0x00 [how to restore the name] -> ()   every defined name, for
//!                                             case-insensitive lookups (a row lives as
//!                                             long as a posting defines the name)
//! callers   name 0x00 file:ord [ord bytes u8] -> ()   files that call `name` (positions: objects)
//! basenames suffix-key 0x00 file:ord [ord bytes u8] -> ()   for suffix lookups in import resolution
//!                                             (`format::suffix`: `a/b/x.h` -> `x.h 0x00 b/a/`)
//! deps      file u32 -> [target leb delta]   resolved imports (forward edges), sorted
//! rdeps     target:ord first:ord -> [source leb delta]   reverse edges: chunks of up to
//!                                             128 importers (`rdeps`)
//! ext       file u32 -> imports resolving to no file, '\n'-separated
//! ikeys     key 0x00 file:ord [ord bytes u8] -> ()   imports filed by key, to find the importers
//!                                             a new or deleted path may affect
//! pending   file u32 -> ()                    files whose edges must be recomputed
//! dirty     file u32 -> ()                    files whose edges changed since the graph
//!                                             file (the CSR base) was written
//! fresh     name -> ()                        names new since the Bloom filter was sized
//! appeared  path -> ()                        paths that appeared, disappeared or (for
//!                                             configuration files) changed in this update
//! configs   path -> ()                        configuration files (go.mod, tsconfig.json)
//! refs      from:ord to:ord -> count u32      reference edges: `from` references names
//!                                             `to` defines (`model::refgraph`), by count
//! ```
//! One row per posting: a file that defines `main` adds or removes its own rows and leaves
//! the other 100k `main` postings alone. Postings name their file by a 4-byte id instead of
//! its path (paths in real trees run to 80 bytes and dominated the index); file ids are
//! never reused until the next rebuild. Names never contain NUL (identifiers do not), which
//! keeps the separator unambiguous.

//! Split by job: `schema` (the tables), `meta` (the state row), `read` (queries), `patch`
//! (the one write transaction of an update), `rowdiff` (retract and add a file's rows),
//! `links` (dependency edges and the graph file), `refedges` (reference edges), `bulk` (a rebuild's sorted load),
//! `verify` (an index from elsewhere), `rewrite` (a copy in key order).

mod bulk;
mod links;
mod meta;
mod patch;
mod prefix_scan;
mod rdeps;
mod read;
mod refedges;
mod rewrite;
mod rowdiff;
mod schema;
mod stream;
#[cfg(test)]
mod tests;
mod verify;

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use redb::{
    Builder, ConcurrencyMode, Database, ReadOnlyDatabase, ReadTransaction, ReadableDatabase,
};

use crate::error::{Damaged, Locked};
use crate::model::refgraph::NameChanges;
use crate::model::{BlobId, Kind, Lang};
use meta::read_state;
use schema::META;

pub use links::TreeTables;
pub use meta::State;
pub use patch::{FileChange, Patch, Side};
pub use prefix_scan::{PrefixSink, RowHead, Verdict};
pub use read::Paths;
pub use stream::Caller;

/// Version of the table layout. Another version is rebuilt from scratch.
pub const INDEX_FORMAT: u32 = 14;

/// One definition as the index stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    /// The defined name.
    pub name: String,
    /// The file's path in the tree (raw bytes: git paths need not be UTF-8).
    pub path: Vec<u8>,
    /// 1-based line of the name.
    pub line: u32,
    /// 1-based byte column of the name.
    pub column: u32,
    /// 1-based end line of the definition.
    pub end_line: u32,
    /// 1-based end column of the definition.
    pub end_column: u32,
    /// What it is.
    pub kind: Kind,
    /// The file's language.
    pub lang: Lang,
    /// The enclosing container, if any.
    pub container: Option<(String, Kind)>,
}

enum Db {
    Write(Database),
    Read(ReadOnlyDatabase),
}

/// An open index.
pub struct Index {
    db: Db,
    /// The directory of the index file (a rebuild's sort runs spill there).
    dir: std::path::PathBuf,
}

fn builder(cache_bytes: usize) -> Builder {
    let mut b = Builder::new();
    // One writer process (serialized by the update lock), any number of reader processes.
    b.set_concurrency_mode(ConcurrencyMode::SingleWriter);
    b.set_cache_size(cache_bytes);
    b
}

/// A query touches a few pages; an update of a large tree rewrites many (with 64 MiB, a
/// rebuild of a 270 MB index spent 7% of its time re-reading evicted pages).
const READ_CACHE: usize = 16 << 20;
const WRITE_CACHE: usize = 256 << 20;

/// Whether the error says the file needs the repair only a writer performs (a writer was
/// killed before its first commit, or the file predates quick repair).
pub fn needs_repair(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        matches!(
            c.downcast_ref::<redb::DatabaseError>(),
            Some(redb::DatabaseError::RepairAborted)
        )
    })
}

/// Name memberships an update notes before it recomputes the reference edges whole.
const REF_CHANGES_BUDGET: usize = 1 << 20;

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// A path and its file id.
pub type PathRow = (Vec<u8>, u32);

/// A file's path and blob.
pub type FileBlob = (Vec<u8>, BlobId);

impl Index {
    /// Verifies every page of the index file at `path` against the checksums redb keeps
    /// (slow: it reads the whole file). Fails with [`Damaged`] when a page does not match
    /// or redb cannot read the file (a panic inside redb included), with [`Locked`] when
    /// another process has it open for writing. The caller holds the update lock.
    pub fn check_integrity(path: &Path) -> Result<()> {
        let checked = std::panic::catch_unwind(|| -> Result<bool, redb::DatabaseError> {
            // `open`, not `create`: an empty or foreign file is damage, not a new index.
            let mut db = builder(WRITE_CACHE).open(path)?;
            db.check_integrity()
        });
        match checked {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => bail!(Damaged::index("pages failed their checksums")),
            Ok(Err(e @ redb::DatabaseError::DatabaseAlreadyOpen)) => {
                Err(anyhow::Error::new(Locked(e.to_string())))
            }
            Ok(Err(e)) => bail!(Damaged::index(format!("redb: {e}"))),
            Err(_) => bail!(Damaged::index("redb cannot read it")),
        }
    }

    /// Opens (or creates) the index for writing. The caller holds the update lock. A file
    /// redb cannot open (or panics on) is [`Damaged`]; one another process has open is
    /// [`Locked`].
    pub fn open_write(path: &Path) -> Result<Index> {
        let db = match std::panic::catch_unwind(|| builder(WRITE_CACHE).create(path)) {
            Ok(db) => db,
            Err(_) => bail!(Damaged::index("redb cannot open it")),
        };
        let db = db
            .map_err(|e| match e {
                // Another process has it open: not damage, so never a reason to recreate it.
                redb::DatabaseError::DatabaseAlreadyOpen => {
                    anyhow::Error::new(Locked(e.to_string()))
                }
                e => anyhow::Error::new(e),
            })
            .with_context(|| format!("{}: cannot open index for writing", path.display()))?;
        Ok(Index {
            db: Db::Write(db),
            dir: parent_dir(path),
        })
    }

    /// Opens the index read-only, or `None` when there is none yet. Fails when the file
    /// needs a repair (a writer crashed): the caller repairs it by opening it for writing.
    pub fn open_read(path: &Path) -> Result<Option<Index>> {
        if !path.exists() {
            return Ok(None);
        }
        let mut last = None;
        // A writer that is just opening the file holds its lock for a moment.
        for attempt in 0..20 {
            match builder(READ_CACHE).open_read_only(path) {
                Ok(db) => {
                    return Ok(Some(Index {
                        db: Db::Read(db),
                        dir: parent_dir(path),
                    }))
                }
                Err(redb::DatabaseError::DatabaseAlreadyOpen) if attempt < 19 => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => {
                    last = Some(e);
                    break;
                }
            }
        }
        match last {
            Some(e) => Err(e).with_context(|| format!("{}: cannot open index", path.display())),
            None => bail!("{}: cannot open index", path.display()),
        }
    }

    fn read_txn(&self) -> Result<ReadTransaction> {
        let txn = match &self.db {
            Db::Write(db) => db.begin_read(),
            Db::Read(db) => db.begin_read(),
        };
        txn.context("cannot begin a read transaction on the index")
    }

    /// Starts the one write transaction of an update.
    pub fn begin(&self) -> Result<Patch> {
        let Db::Write(db) = &self.db else {
            bail!("internal error: the index was opened read-only");
        };
        let mut txn = db
            .begin_write()
            .context("cannot begin a write transaction on the index")?;
        // Record allocator state at commit so that recovery after a crash does not walk
        // the whole file.
        txn.set_quick_repair(true);
        let state = {
            let meta = txn.open_table(META)?;
            match read_state(&meta) {
                Ok(Some(s)) => s,
                // A fresh, outdated or damaged index starts empty.
                Ok(None) | Err(_) => State::default(),
            }
        };
        Ok(Patch {
            txn,
            state,
            track_fresh: true,
            bulk: None,
            rdeps_runs: None,
            ref_changes: Some(NameChanges::new(REF_CHANGES_BUDGET)),
            spill_dir: self.dir.clone(),
            rebuilt: false,
        })
    }
}
