//! The global index of one worktree, in redb: path -> blob, name -> postings.
//!
//! Tables (integers in keys are big-endian so byte order is numeric order; elsewhere
//! little-endian):
//! ```text
//! meta      &str  -> &[u8]   format, extractor version, tree, commit, counters, next file id
//! paths     path  -> file id u32                                 one row per indexed file
//! files     file id u32 -> [id_len u8][blob id][lang u8][skip u8][path]
//! defs      name 0x00 file:u32be line:u32be column:u32be
//!                 -> [kind u8][lang u8][container_kind u8][end_line u32][end_column u32][container]
//! names     name  -> count u64                                  distinct defined names
//! folded    lowercase(name) 0x00 name -> ()                     for case-insensitive lookups
//! callers   name 0x00 file:u32be -> ()        files that call `name` (positions: objects)
//! basenames suffix-key 0x00 file:u32be -> ()  for suffix lookups in import resolution
//!                                             (`format::suffix`: `a/b/x.h` -> `x.h 0x00 b/a/`)
//! deps      file u32 -> [target u32]          resolved imports (forward edges), sorted
//! rdeps     target:u32be source:u32be -> ()   reverse edges
//! ext       file u32 -> imports resolving to no file, '\n'-separated
//! ikeys     key 0x00 file:u32be -> ()         imports filed by key, to find the importers
//!                                             a new or deleted path may affect
//! pending   file u32 -> ()                    files whose edges must be recomputed
//! dirty     file u32 -> ()                    files whose edges changed since the graph
//!                                             file (the CSR base) was written
//! fresh     name -> ()                        names new since the Bloom filter was sized
//! appeared  path -> ()                        paths that appeared, disappeared or (for
//!                                             configuration files) changed in this update
//! configs   path -> ()                        configuration files (go.mod, tsconfig.json)
//! ```
//! One row per posting: a file that defines `main` adds or removes its own rows and leaves
//! the other 100k `main` postings alone. Postings name their file by a 4-byte id instead of
//! its path (paths in real trees run to 80 bytes and dominated the index); file ids are
//! never reused until the next rebuild. Names never contain NUL (identifiers do not), which
//! keeps the separator unambiguous.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use redb::{
    Builder, ConcurrencyMode, Database, ReadOnlyDatabase, ReadTransaction, ReadableDatabase,
    ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction,
};

use super::runs::Runs;
use crate::error::{Damaged, Locked};
use crate::format::suffix;
use crate::model::BlobId;
use crate::model::{FileIndex, Kind, Lang, SkipReason, EXTRACTOR_VERSION};

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const PATHS: TableDefinition<&[u8], u32> = TableDefinition::new("paths");
const FILES: TableDefinition<u32, &[u8]> = TableDefinition::new("files");
const DEFS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("defs");
const NAMES: TableDefinition<&str, u64> = TableDefinition::new("names");
const CALLERS: TableDefinition<&[u8], ()> = TableDefinition::new("callers");
const BASENAMES: TableDefinition<&[u8], ()> = TableDefinition::new("basenames");
const DEPS: TableDefinition<u32, &[u8]> = TableDefinition::new("deps");
const RDEPS: TableDefinition<&[u8], ()> = TableDefinition::new("rdeps");
const EXT: TableDefinition<u32, &[u8]> = TableDefinition::new("ext");
const IKEYS: TableDefinition<&[u8], ()> = TableDefinition::new("ikeys");
const PENDING: TableDefinition<u32, ()> = TableDefinition::new("pending");
const DIRTY: TableDefinition<u32, ()> = TableDefinition::new("dirty");
const FRESH: TableDefinition<&str, ()> = TableDefinition::new("fresh");
const APPEARED: TableDefinition<&[u8], ()> = TableDefinition::new("appeared");
const CONFIGS: TableDefinition<&[u8], ()> = TableDefinition::new("configs");
const FOLDED: TableDefinition<&[u8], ()> = TableDefinition::new("folded");

/// Version of the table layout above. Another version is rebuilt from scratch.
pub const INDEX_FORMAT: u32 = 4;

/// What the index describes and how big it is, kept in `meta`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Hex id of the indexed tree.
    pub tree: String,
    /// Hex id of the indexed commit, if the tree came from one.
    pub commit: Option<String>,
    /// Indexed files (paths in a supported language).
    pub files: u64,
    /// Definitions.
    pub symbols: u64,
    /// Files whose blob was skipped (binary, too large, timeout).
    pub skipped: u64,
    /// Distinct defined names.
    pub names: u64,
    /// Unix time of the last update, in seconds.
    pub updated_at: u64,
    /// Duration of the last update, in milliseconds.
    pub update_ms: u64,
    /// The next file id to hand out.
    pub next_file: u64,
    /// Incremented by every commit.
    pub generation: u64,
    /// The generation the graph file (CSR base) was written at; its dirty set is relative
    /// to it.
    pub graph_generation: u64,
}

impl State {
    /// The indexed commit and its tree (hex), when the tree came from a commit.
    pub fn commit_and_tree(&self) -> Option<(&str, &str)> {
        self.commit.as_deref().map(|c| (c, self.tree.as_str()))
    }
}

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

impl Index {
    /// Opens (or creates) the index for writing. The caller holds the update lock.
    pub fn open_write(path: &Path) -> Result<Index> {
        let db = builder(WRITE_CACHE)
            .create(path)
            .map_err(|e| match e {
                // Another process has it open: not damage, so never a reason to recreate it.
                redb::DatabaseError::DatabaseAlreadyOpen => {
                    anyhow::Error::new(Locked(e.to_string()))
                }
                e => anyhow::Error::new(e),
            })
            .with_context(|| format!("{}: cannot open index for writing", path.display()))?;
        Ok(Index { db: Db::Write(db) })
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
                Ok(db) => return Ok(Some(Index { db: Db::Read(db) })),
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

    /// The indexed state, `None` when nothing was indexed yet. Fails with [`Damaged`]
    /// when the index has another format or extractor version.
    pub fn state(&self) -> Result<Option<State>> {
        let txn = self.read_txn()?;
        let meta = match txn.open_table(META) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e).context("cannot open the index's meta table"),
        };
        read_state(&meta)
    }

    /// The postings of exactly `name`, in path, line and column order.
    pub fn postings_of(&self, name: &str) -> Result<Vec<Posting>> {
        let txn = self.read_txn()?;
        let (Some(defs), Some(files)) =
            (open_read_table(&txn, DEFS)?, open_read_table(&txn, FILES)?)
        else {
            return Ok(Vec::new());
        };
        let (lo, hi) = prefix_range(name.as_bytes());
        let mut paths = PathCache::default();
        let mut out = Vec::new();
        for row in defs.range(lo.as_slice()..hi.as_slice())? {
            let (k, v) = row?;
            out.push(decode_posting(k.value(), v.value(), &mut paths, &files)?);
        }
        sort_postings(&mut out);
        Ok(out)
    }

    /// Distinct defined names starting with `prefix`, in byte order.
    pub fn names_with_prefix(&self, prefix: &str, mut f: impl FnMut(&str) -> bool) -> Result<()> {
        let txn = self.read_txn()?;
        let Some(names) = open_read_table(&txn, NAMES)? else {
            return Ok(());
        };
        for row in names.range(prefix..)? {
            let (k, _) = row?;
            let name = k.value();
            if !name.starts_with(prefix) || !f(name) {
                break;
            }
        }
        Ok(())
    }

    /// Distinct defined names whose lower case starts with `folded_prefix` (exactly equal
    /// when `exact`).
    pub fn names_folded(&self, folded_prefix: &str, exact: bool) -> Result<Vec<String>> {
        let txn = self.read_txn()?;
        let Some(folded) = open_read_table(&txn, FOLDED)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in folded.range(folded_prefix.as_bytes()..)? {
            let (k, _) = row?;
            let key = k.value();
            let Some(sep) = key.iter().position(|&b| b == 0) else {
                bail!(Damaged::index("folded-name key without separator"));
            };
            let (lower, name) = (&key[..sep], &key[sep + 1..]);
            if !lower.starts_with(folded_prefix.as_bytes()) {
                break;
            }
            if !exact || lower == folded_prefix.as_bytes() {
                out.push(String::from_utf8_lossy(name).into_owned());
            }
        }
        Ok(out)
    }

    /// Visits every posting in name, path, line order.
    pub fn all_postings(&self, mut f: impl FnMut(Posting) -> Result<()>) -> Result<()> {
        let txn = self.read_txn()?;
        let (Some(defs), Some(files)) =
            (open_read_table(&txn, DEFS)?, open_read_table(&txn, FILES)?)
        else {
            return Ok(());
        };
        let mut paths = PathCache::default();
        // Rows come in name order; within a name they are sorted by path here.
        let mut group: Vec<Posting> = Vec::new();
        for row in defs.iter()? {
            let (k, v) = row?;
            let p = decode_posting(k.value(), v.value(), &mut paths, &files)?;
            if group.last().is_some_and(|g| g.name != p.name) {
                sort_postings(&mut group);
                group.drain(..).try_for_each(&mut f)?;
            }
            group.push(p);
        }
        sort_postings(&mut group);
        group.into_iter().try_for_each(f)
    }

    /// The blob and language indexed at `path`.
    pub fn file(&self, path: &[u8]) -> Result<Option<(BlobId, Lang, Option<SkipReason>)>> {
        let txn = self.read_txn()?;
        let (Some(paths), Some(files)) =
            (open_read_table(&txn, PATHS)?, open_read_table(&txn, FILES)?)
        else {
            return Ok(None);
        };
        let Some(id) = paths.get(path)?.map(|v| v.value()) else {
            return Ok(None);
        };
        match files.get(id)? {
            Some(v) => Ok(Some(decode_file_value(v.value())?.0)),
            None => bail!(Damaged::index(format!("file id {id} has no row"))),
        }
    }

    /// The file id of `path`.
    pub fn path_id(&self, path: &[u8]) -> Result<Option<u32>> {
        let txn = self.read_txn()?;
        let Some(paths) = open_read_table(&txn, PATHS)? else {
            return Ok(None);
        };
        Ok(paths.get(path)?.map(|v| v.value()))
    }

    /// A reader of file paths by id, for resolving many ids.
    pub fn paths(&self) -> Result<Paths> {
        let txn = self.read_txn()?;
        let files = open_read_table(&txn, FILES)?;
        Ok(Paths {
            files,
            cache: PathCache::default(),
        })
    }

    /// Checks an index file that came from elsewhere (a shared snapshot) before it is
    /// used: redb reads every page of every table, every row decodes, every file id is in
    /// range and known, and the counters agree with the rows. Returns its state and each
    /// file's path and blob, for the caller to check against the tree. A panic inside redb
    /// on a hostile file is caught and reported as a rejection.
    pub fn verify_foreign(path: &Path) -> Result<(State, Vec<FileBlob>)> {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let result = std::panic::catch_unwind(|| verify(path));
        std::panic::set_hook(hook);
        match result {
            Ok(r) => r,
            Err(_) => bail!(Damaged::index("redb cannot read it")),
        }
    }

    /// Every live file id.
    pub fn file_ids(&self) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(files) = open_read_table(&txn, FILES)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in files.iter()? {
            out.push(row?.0.value());
        }
        Ok(out)
    }

    /// The resolved dependencies of file `id`.
    pub fn deps_of(&self, id: u32) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(deps) = open_read_table(&txn, DEPS)? else {
            return Ok(Vec::new());
        };
        Ok(deps
            .get(id)?
            .map(|v| unpack_ids(v.value()))
            .unwrap_or_default())
    }

    /// The files that depend on file `id`.
    pub fn rdeps_of(&self, id: u32) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(rdeps) = open_read_table(&txn, RDEPS)? else {
            return Ok(Vec::new());
        };
        let lo = edge_key(id, 0);
        let hi = edge_key(id, u32::MAX);
        let mut out = Vec::new();
        for row in rdeps.range(lo.as_slice()..=hi.as_slice())? {
            out.push(trailing_id(row?.0.value())?);
        }
        Ok(out)
    }

    /// The imports of file `id` that resolve to no file in the repository.
    pub fn externals_of(&self, id: u32) -> Result<Vec<String>> {
        let txn = self.read_txn()?;
        let Some(ext) = open_read_table(&txn, EXT)? else {
            return Ok(Vec::new());
        };
        Ok(ext
            .get(id)?
            .map(|v| {
                String::from_utf8_lossy(v.value())
                    .lines()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Files whose edges changed since the graph file was written, with their edges now.
    pub fn dirty_edges(&self) -> Result<Vec<(u32, Vec<u32>)>> {
        let txn = self.read_txn()?;
        let (Some(dirty), deps) = (open_read_table(&txn, DIRTY)?, open_read_table(&txn, DEPS)?)
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in dirty.iter()? {
            let id = row?.0.value();
            let targets = match &deps {
                Some(deps) => deps
                    .get(id)?
                    .map(|v| unpack_ids(v.value()))
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            out.push((id, targets));
        }
        Ok(out)
    }

    /// The files that call `name`.
    pub fn callers_of(&self, name: &str) -> Result<Vec<u32>> {
        let txn = self.read_txn()?;
        let Some(callers) = open_read_table(&txn, CALLERS)? else {
            return Ok(Vec::new());
        };
        let (lo, hi) = prefix_range(name.as_bytes());
        let mut out = Vec::new();
        for row in callers.range(lo.as_slice()..hi.as_slice())? {
            let k = row?.0.value().to_vec();
            if k.len() == name.len() + 5 {
                out.push(trailing_id(&k)?);
            }
        }
        Ok(out)
    }

    /// Visits every distinct defined name, in byte order.
    pub fn all_names(&self, mut f: impl FnMut(&str)) -> Result<()> {
        self.names_with_prefix("", |n| {
            f(n);
            true
        })
    }

    /// Rewrites the index into a fresh file in key order and renames it over `path`. A
    /// rebuild inserts postings in tree order, which is random in name order and leaves
    /// B-tree pages about half full; the rewrite inserts sequentially. Needs the update
    /// lock. Readers that opened the old file keep reading its (identical) contents.
    pub fn rewrite_sorted(self, path: &Path) -> Result<Index> {
        let tmp = path.with_extension("redb.rewrite");
        let _ = std::fs::remove_file(&tmp);
        {
            let src = self.read_txn()?;
            let new = Index::open_write(&tmp)?;
            let Db::Write(db) = &new.db else {
                bail!("internal error: a new index opened read-only");
            };
            let mut txn = db.begin_write()?;
            txn.set_quick_repair(true);
            copy_table(&src, &txn, META)?;
            copy_table(&src, &txn, PATHS)?;
            copy_table(&src, &txn, FILES)?;
            copy_table(&src, &txn, DEFS)?;
            copy_table(&src, &txn, NAMES)?;
            copy_table(&src, &txn, FOLDED)?;
            copy_table(&src, &txn, CALLERS)?;
            copy_table(&src, &txn, BASENAMES)?;
            copy_table(&src, &txn, DEPS)?;
            copy_table(&src, &txn, RDEPS)?;
            copy_table(&src, &txn, EXT)?;
            copy_table(&src, &txn, IKEYS)?;
            copy_table(&src, &txn, PENDING)?;
            copy_table(&src, &txn, DIRTY)?;
            copy_table(&src, &txn, FRESH)?;
            copy_table(&src, &txn, APPEARED)?;
            copy_table(&src, &txn, CONFIGS)?;
            txn.commit().context("cannot commit the rewritten index")?;
        }
        drop(self);
        std::fs::rename(&tmp, path)
            .with_context(|| format!("{}: cannot replace the index", path.display()))?;
        Index::open_write(path)
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
        })
    }
}

/// See `Index::verify_foreign`.
fn verify(path: &Path) -> Result<(State, Vec<FileBlob>)> {
    let bad = Damaged::index;
    let Some(index) = Index::open_read(path)? else {
        bail!(bad("there is no file".into()));
    };
    let Some(st) = index.state()? else {
        bail!(bad("it describes no tree".into()));
    };
    let txn = index.read_txn()?;
    let table = |name: &str| bad(format!("it has no {name} table"));
    let files = open_read_table(&txn, FILES)?.ok_or_else(|| table("files"))?;
    let paths = open_read_table(&txn, PATHS)?.ok_or_else(|| table("paths"))?;
    // Which ids are files: one bit each, so that the millions of rows naming a file are
    // checked without a lookup.
    let ids = usize::try_from(st.next_file)
        .ok()
        .filter(|&n| n <= u32::MAX as usize)
        .ok_or_else(|| bad(format!("{} file ids", st.next_file)))?;
    let mut is_file = vec![false; ids];
    let mut out = Vec::new();
    for row in files.iter()? {
        let (k, v) = row?;
        let ((blob, _, _), path) = decode_file_value(v.value())?;
        let id = k.value();
        if u64::from(id) >= st.next_file
            || paths.get(path.as_slice())?.map(|v| v.value()) != Some(id)
        {
            bail!(bad(format!("file {id} is not its path's")));
        }
        is_file[id as usize] = true;
        out.push((path, blob));
    }
    let known = |id: u32| -> Result<()> {
        if !is_file.get(id as usize).copied().unwrap_or(false) {
            bail!(bad(format!("file id {id} is not a file")));
        }
        Ok(())
    };
    if out.len() as u64 != st.files || paths.len()? != st.files {
        bail!(bad("its file count is wrong".into()));
    }
    let mut symbols = 0;
    if let Some(defs) = open_read_table(&txn, DEFS)? {
        for row in defs.iter()? {
            let (k, v) = row?;
            let (k, v) = (k.value(), v.value());
            // What `decode_posting` reads, without building a posting.
            if k.len() < 14 || v.len() < 11 || k[k.len() - 13] != 0 {
                bail!(bad("a malformed posting".into()));
            }
            let kinds_ok = Kind::from_u8(v[0]).is_some()
                && Lang::from_u8(v[1]).is_some()
                && (v[2] == 0 || Kind::from_u8(v[2]).is_some());
            if !kinds_ok || std::str::from_utf8(&k[..k.len() - 13]).is_err() {
                bail!(bad("a posting of unknown kind, language or name".into()));
            }
            known(trailing_id(&k[..k.len() - 8])?)?;
            symbols += 1;
        }
    }
    let mut names = 0;
    if let Some(t) = open_read_table(&txn, NAMES)? {
        for row in t.iter()? {
            if row?.1.value() == 0 {
                bail!(bad("a name without postings".into()));
            }
            names += 1;
        }
    }
    if symbols != st.symbols || names != st.names {
        bail!(bad("its symbol or name count is wrong".into()));
    }
    if let Some(t) = open_read_table(&txn, BASENAMES)? {
        let mut rows = 0;
        for row in t.iter()? {
            let (path, id) = basename_of(row?.0.value())?;
            if paths.get(path.as_slice())?.map(|v| v.value()) != Some(id) {
                bail!(bad(format!(
                    "the file-name row of file {id} is not its path's"
                )));
            }
            rows += 1;
        }
        if rows != st.files {
            bail!(bad("its file-name rows are not one per file".into()));
        }
    }
    for def in [CALLERS, IKEYS] {
        if let Some(t) = open_read_table(&txn, def)? {
            for row in t.iter()? {
                known(trailing_id(row?.0.value())?)?;
            }
        }
    }
    if let Some(t) = open_read_table(&txn, RDEPS)? {
        for row in t.iter()? {
            let (target, source) = edge_of(row?.0.value())?;
            known(target)?;
            known(source)?;
        }
    }
    if let Some(t) = open_read_table(&txn, DEPS)? {
        for row in t.iter()? {
            let (k, v) = row?;
            known(k.value())?;
            if v.value().len() % 4 != 0 {
                bail!(bad("a malformed edge list".into()));
            }
            for id in unpack_ids(v.value()) {
                known(id)?;
            }
        }
    }
    if let Some(t) = open_read_table(&txn, EXT)? {
        for row in t.iter()? {
            known(row?.0.value())?;
        }
    }
    // The other tables hold nothing to check, but redb must be able to read them.
    read_all(&txn, PENDING)?;
    read_all(&txn, DIRTY)?;
    read_all(&txn, FOLDED)?;
    read_all(&txn, APPEARED)?;
    read_all(&txn, CONFIGS)?;
    read_all(&txn, FRESH)?;
    Ok((st, out))
}

/// Reads every row of table `def` (for `verify`).
fn read_all<K: redb::Key + 'static, V: redb::Value + 'static>(
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

fn open_read_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &ReadTransaction,
    def: TableDefinition<K, V>,
) -> Result<Option<redb::ReadOnlyTable<K, V>>> {
    match txn.open_table(def) {
        Ok(t) => Ok(Some(t)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e).context("cannot open an index table"),
    }
}

/// A path and its file id.
pub type PathRow = (Vec<u8>, u32);

/// A file's path and blob.
pub type FileBlob = (Vec<u8>, BlobId);

/// The write transaction's tables, opened once per batch.
struct Tables<'t> {
    paths: redb::Table<'t, &'static [u8], u32>,
    files: redb::Table<'t, u32, &'static [u8]>,
    defs: redb::Table<'t, &'static [u8], &'static [u8]>,
    names: redb::Table<'t, &'static str, u64>,
    folded: redb::Table<'t, &'static [u8], ()>,
    callers: redb::Table<'t, &'static [u8], ()>,
    basenames: redb::Table<'t, &'static [u8], ()>,
    deps: redb::Table<'t, u32, &'static [u8]>,
    rdeps: redb::Table<'t, &'static [u8], ()>,
    ext: redb::Table<'t, u32, &'static [u8]>,
    ikeys: redb::Table<'t, &'static [u8], ()>,
    pending: redb::Table<'t, u32, ()>,
    dirty: redb::Table<'t, u32, ()>,
    fresh: redb::Table<'t, &'static str, ()>,
    appeared: redb::Table<'t, &'static [u8], ()>,
    track_fresh: bool,
}

impl<'t> Tables<'t> {
    fn open(txn: &'t WriteTransaction, track_fresh: bool) -> Result<Tables<'t>> {
        Ok(Tables {
            paths: txn.open_table(PATHS)?,
            files: txn.open_table(FILES)?,
            defs: txn.open_table(DEFS)?,
            names: txn.open_table(NAMES)?,
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

fn id_key(prefix: &[u8], id: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + 5);
    k.extend_from_slice(prefix);
    k.push(0);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

fn basename_key(path: &[u8], id: u32) -> Vec<u8> {
    id_key(&suffix::key(path), id)
}

/// The path and file id of a `basenames` key.
fn basename_of(key: &[u8]) -> Result<(Vec<u8>, u32)> {
    let id = trailing_id(key)?;
    key.len()
        .checked_sub(5)
        .and_then(|end| suffix::path_of(&key[..end]))
        .map(|path| (path, id))
        .ok_or_else(|| {
            Damaged::index(format!("a malformed file-name key of {} bytes", key.len())).into()
        })
}

fn distinct_call_names(index: &FileIndex) -> std::collections::BTreeSet<&str> {
    index.references.iter().map(|r| r.name.as_str()).collect()
}

/// What differs between the old and the new side of a modified file: the old postings,
/// call names and import keys the new side lacks (to retract), and the new ones the old
/// side lacks or has with other values (to add). Each side keeps its language and skip
/// reason, so that `retract` and `add` keep the counters exact.
fn changed_parts(
    old: &Side<'_>,
    new: &Side<'_>,
) -> (FileIndex, Vec<String>, FileIndex, Vec<String>) {
    use std::collections::{BTreeMap, BTreeSet};
    // The posting each (name, line, column) ends up with: the last definition there.
    let postings = |index: &FileIndex| -> BTreeMap<(String, u32, u32), Vec<u8>> {
        let mut out = BTreeMap::new();
        for d in &index.definitions {
            let mut val = Vec::new();
            posting_value(&mut val, d, index.lang);
            out.insert((d.name.clone(), d.line, d.column), val);
        }
        out
    };
    let (old_postings, new_postings) = (postings(old.index), postings(new.index));
    let pick = |index: &FileIndex, wanted: &dyn Fn(&(String, u32, u32)) -> bool| FileIndex {
        extractor_version: index.extractor_version,
        lang: index.lang,
        skip: index.skip,
        error_names: index.error_names,
        definitions: index
            .definitions
            .iter()
            .filter(|d| wanted(&(d.name.clone(), d.line, d.column)))
            .cloned()
            .collect(),
        imports: Vec::new(),
        references: Vec::new(),
    };
    let mut old_part = pick(old.index, &|k| !new_postings.contains_key(k));
    let mut new_part = pick(new.index, &|k| old_postings.get(k) != new_postings.get(k));
    let old_calls: BTreeSet<&str> = distinct_call_names(old.index);
    let new_calls: BTreeSet<&str> = distinct_call_names(new.index);
    // The items of `from` whose key is not among `other`'s.
    fn minus<T: Clone, K>(from: &[T], key: impl Fn(&T) -> K, other: &dyn Fn(&K) -> bool) -> Vec<T> {
        from.iter().filter(|x| !other(&key(x))).cloned().collect()
    }
    let name = |r: &crate::model::Reference| r.name.clone();
    old_part.references = minus(&old.index.references, name, &|n| {
        new_calls.contains(n.as_str())
    });
    new_part.references = minus(&new.index.references, name, &|n| {
        old_calls.contains(n.as_str())
    });
    let same = |k: &String| k.clone();
    let old_keys = minus(old.import_keys, same, &|k| new.import_keys.contains(k));
    let new_keys = minus(new.import_keys, same, &|k| old.import_keys.contains(k));
    (old_part, old_keys, new_part, new_keys)
}

/// Retracts what `old` contributed under file `id` (postings, callers, import keys).
fn retract(t: &mut Tables<'_>, st: &mut State, id: u32, old: &Side<'_>) -> Result<()> {
    let mut key = Vec::new();
    if old.index.skip.is_some() {
        st.skipped = st.skipped.saturating_sub(1);
    }
    for d in &old.index.definitions {
        posting_key(&mut key, &d.name, id, d.line, d.column);
        if t.defs.remove(key.as_slice())?.is_none() {
            continue;
        }
        st.symbols -= 1;
        let count = t
            .names
            .get(d.name.as_str())?
            .map(|v| v.value())
            .unwrap_or(0);
        if count <= 1 {
            t.names.remove(d.name.as_str())?;
            t.folded.remove(folded_key(&mut key, &d.name))?;
            st.names = st.names.saturating_sub(1);
        } else {
            t.names.insert(d.name.as_str(), count - 1)?;
        }
    }
    for name in distinct_call_names(old.index) {
        t.callers.remove(id_key(name.as_bytes(), id).as_slice())?;
    }
    for k in old.import_keys {
        t.ikeys.remove(id_key(k.as_bytes(), id).as_slice())?;
    }
    Ok(())
}

/// Adds what `new` contributes under file `id` at `path`.
fn add(
    t: &mut Tables<'_>,
    st: &mut State,
    bulk: Option<&mut Bulk>,
    id: u32,
    path: &[u8],
    blob: &BlobId,
    new: &Side<'_>,
) -> Result<()> {
    let index = new.index;
    let mut key = Vec::new();
    let mut val = Vec::new();
    val.push(blob.as_bytes().len() as u8);
    val.extend_from_slice(blob.as_bytes());
    val.push(index.lang.to_u8());
    val.push(index.skip.map_or(0, SkipReason::to_u8));
    val.extend_from_slice(path);
    t.files.insert(id, val.as_slice())?;
    if index.skip.is_some() {
        st.skipped += 1;
    }
    if let Some(bulk) = bulk {
        for d in &index.definitions {
            posting_key(&mut key, &d.name, id, d.line, d.column);
            posting_value(&mut val, d, index.lang);
            bulk.defs.push(&key, &val)?;
        }
        for name in distinct_call_names(index) {
            bulk.callers.push(&id_key(name.as_bytes(), id), &[])?;
        }
        for k in new.import_keys {
            bulk.ikeys.push(&id_key(k.as_bytes(), id), &[])?;
        }
        return Ok(());
    }
    for d in &index.definitions {
        posting_key(&mut key, &d.name, id, d.line, d.column);
        posting_value(&mut val, d, index.lang);
        if t.defs.insert(key.as_slice(), val.as_slice())?.is_some() {
            continue; // two definitions at one position: one posting
        }
        st.symbols += 1;
        let count = t
            .names
            .get(d.name.as_str())?
            .map(|v| v.value())
            .unwrap_or(0);
        t.names.insert(d.name.as_str(), count + 1)?;
        if count == 0 {
            t.folded.insert(folded_key(&mut key, &d.name), ())?;
            if t.track_fresh {
                t.fresh.insert(d.name.as_str(), ())?;
            }
            st.names += 1;
        }
    }
    for name in distinct_call_names(index) {
        t.callers
            .insert(id_key(name.as_bytes(), id).as_slice(), ())?;
    }
    for k in new.import_keys {
        t.ikeys.insert(id_key(k.as_bytes(), id).as_slice(), ())?;
    }
    Ok(())
}

/// Marks for recomputation every file whose imports are filed under one of `keys`.
fn invalidate(t: &mut Tables<'_>, keys: &[String]) -> Result<usize> {
    let mut ids = Vec::new();
    for k in keys {
        let (lo, hi) = prefix_range(k.as_bytes());
        for row in t.ikeys.range(lo.as_slice()..hi.as_slice())? {
            let (key, _) = row?;
            ids.push(trailing_id(key.value())?);
        }
    }
    for id in &ids {
        t.pending.insert(*id, ())?;
    }
    Ok(ids.len())
}

/// Removes the forward edges (and their reverse entries) and external imports of `id`.
fn remove_edges(t: &mut Tables<'_>, id: u32) -> Result<()> {
    let old: Vec<u32> = match t.deps.remove(id)? {
        Some(v) => v
            .value()
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        None => Vec::new(),
    };
    for target in old {
        t.rdeps.remove(edge_key(target, id).as_slice())?;
    }
    t.ext.remove(id)?;
    Ok(())
}

/// The key range of every `prefix 0x00 ...` key: `prefix 0x00` up to `prefix 0x01`.
fn prefix_range(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut lo = Vec::with_capacity(prefix.len() + 1);
    lo.extend_from_slice(prefix);
    lo.push(0);
    let mut hi = lo.clone();
    hi.pop();
    hi.push(1);
    (lo, hi)
}

/// The file id at the end of a `... file:u32be` key; a shorter key is damage.
fn trailing_id(key: &[u8]) -> Result<u32> {
    match key.len().checked_sub(4).map(|at| &key[at..]) {
        Some(b) => Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        None => bail!(Damaged::index(format!(
            "a key of {} bytes where a file id ends it",
            key.len()
        ))),
    }
}

fn unpack_ids(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn edge_key(target: u32, source: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&target.to_be_bytes());
    k[4..].copy_from_slice(&source.to_be_bytes());
    k
}

/// The (target, source) of an `rdeps` key, as `edge_key` made it.
fn edge_of(key: &[u8]) -> Result<(u32, u32)> {
    if key.len() != 8 {
        bail!(Damaged::index("a malformed reverse edge"));
    }
    Ok((trailing_id(&key[..4])?, trailing_id(key)?))
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

fn meta_u64(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<u64>> {
    match meta.get(key)? {
        Some(v) => {
            let b = v.value();
            let arr: [u8; 8] = b
                .try_into()
                .map_err(|_| Damaged::index(format!("meta {key} has {} bytes", b.len())))?;
            Ok(Some(u64::from_le_bytes(arr)))
        }
        None => Ok(None),
    }
}

fn meta_str(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<String>> {
    Ok(meta
        .get(key)?
        .map(|v| String::from_utf8_lossy(v.value()).into_owned()))
}

fn read_state(meta: &impl ReadableTable<&'static str, &'static [u8]>) -> Result<Option<State>> {
    let Some(format) = meta_u64(meta, "format")? else {
        return Ok(None);
    };
    if format != u64::from(INDEX_FORMAT) {
        bail!(Damaged::index(format!(
            "index format {format}, this git-atse uses {INDEX_FORMAT}"
        )));
    }
    let extractor = meta_u64(meta, "extractor")?.unwrap_or(0);
    if extractor != u64::from(EXTRACTOR_VERSION) {
        bail!(Damaged::index(format!(
            "extractor version {extractor}, this git-atse uses {EXTRACTOR_VERSION}"
        )));
    }
    let Some(tree) = meta_str(meta, "tree")? else {
        return Ok(None);
    };
    let get = |k| meta_u64(meta, k).map(|v| v.unwrap_or(0));
    Ok(Some(State {
        tree,
        commit: meta_str(meta, "commit")?.filter(|c| !c.is_empty()),
        files: get("files")?,
        symbols: get("symbols")?,
        skipped: get("skipped")?,
        names: get("names")?,
        updated_at: get("updated_at")?,
        update_ms: get("update_ms")?,
        next_file: get("next_file")?,
        generation: get("generation")?,
        graph_generation: get("graph_generation")?,
    }))
}

/// The one write transaction of an update: retract and add files, then commit.
pub struct Patch {
    txn: WriteTransaction,
    state: State,
    /// Whether names defined for the first time are recorded for the Bloom filter (not in
    /// a rebuild, whose filter is rebuilt whole after the commit).
    track_fresh: bool,
    /// In a rebuild, the rows of the large tables, sorted before they are inserted.
    bulk: Option<Bulk>,
    /// In a rebuild, the reverse edges, sorted before they are inserted at the commit.
    rdeps_runs: Option<Runs>,
}

/// The rows a rebuild collects for the tables whose keys are random in tree order; they
/// are inserted in key order by `Patch::finish_bulk`. (`paths` and `files` are filled
/// directly: tree order is path order, and file ids are handed out in sequence.)
struct Bulk {
    defs: Runs,
    callers: Runs,
    ikeys: Runs,
    basenames: Runs,
    dir: std::path::PathBuf,
    /// For the runs made while loading (names, folded names).
    other_budget: usize,
}

/// Memory for a rebuild's sort runs (beyond it, runs spill to disk): postings are the
/// bulk of the rows.
const BULK_DEFS_BUDGET: usize = 128 << 20;
const BULK_OTHER_BUDGET: usize = 32 << 20;

/// What a path holds on one side of a change.
pub struct Side<'a> {
    /// The blob's object.
    pub index: &'a FileIndex,
    /// Keys its imports are filed under (`resolve::import_keys`), for invalidation.
    pub import_keys: &'a [String],
}

/// One changed path. A modification keeps the path's file id, so files that import it
/// need no recomputation; an addition or deletion is recorded in `appeared`, for the edge
/// pass to invalidate the importers it may affect.
pub struct FileChange<'a> {
    /// The path.
    pub path: &'a [u8],
    /// What the path held (its object), when it was an indexed file.
    pub old: Option<Side<'a>>,
    /// What the path holds now, and the blob.
    pub new: Option<(Side<'a>, &'a BlobId)>,
}

impl Patch {
    /// The state the update started from (with counters as patched so far).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Empties every table, for a rebuild from scratch. Until `finish_bulk`, the postings,
    /// callers, import keys and base names applied are collected in sort runs (spilled to
    /// `spill_dir` beyond a memory budget) instead of being inserted. The state restarts
    /// from `generation`.
    pub fn clear(&mut self, spill_dir: &Path, generation: u64) -> Result<()> {
        self.clear_with_budgets(spill_dir, generation, BULK_DEFS_BUDGET, BULK_OTHER_BUDGET)
    }

    fn clear_with_budgets(
        &mut self,
        spill_dir: &Path,
        generation: u64,
        defs_budget: usize,
        other_budget: usize,
    ) -> Result<()> {
        let handles: Vec<_> = self.txn.list_tables()?.collect();
        for h in handles {
            self.txn.delete_table(h)?;
        }
        self.state = State {
            generation,
            ..State::default()
        };
        self.track_fresh = false;
        self.bulk = Some(Bulk {
            defs: Runs::new(spill_dir, defs_budget),
            callers: Runs::new(spill_dir, other_budget),
            ikeys: Runs::new(spill_dir, other_budget),
            basenames: Runs::new(spill_dir, other_budget),
            dir: spill_dir.to_path_buf(),
            other_budget,
        });
        self.rdeps_runs = Some(Runs::new(spill_dir, other_budget));
        Ok(())
    }

    /// Inserts what a rebuild collected, in key order, and counts the postings and names.
    /// Must run before anything reads those tables (the edge pass); `commit` runs it too.
    pub fn finish_bulk(&mut self) -> Result<()> {
        let Some(bulk) = self.bulk.take() else {
            return Ok(());
        };
        let st = &mut self.state;
        // Postings, and each name's count (equal names are adjacent: names never contain NUL,
        // but the counts are summed in a second sort rather than trusting that).
        let mut name_runs = Runs::new(&bulk.dir, bulk.other_budget);
        {
            let mut defs = self.txn.open_table(DEFS)?;
            let mut cursor = defs.upper_bound_mut(std::ops::Bound::<&[u8]>::Unbounded)?;
            let mut name = Vec::new();
            let mut count = 0u64;
            // Equal keys (two definitions at one position) make one posting, the last one
            // applied, as `insert` does in an incremental update.
            bulk.defs.drain_distinct(|k, v| {
                cursor.insert_before(k, v).map_err(sort_error)?;
                st.symbols += 1;
                let n = posting_name(k)?;
                if n != name.as_slice() {
                    if count > 0 {
                        name_runs.push(&name, &count.to_le_bytes())?;
                    }
                    name.clear();
                    name.extend_from_slice(n);
                    count = 0;
                }
                count += 1;
                Ok(())
            })?;
            if count > 0 {
                name_runs.push(&name, &count.to_le_bytes())?;
            }
            cursor.close()?;
        }
        let mut folded_runs = Runs::new(&bulk.dir, bulk.other_budget);
        {
            let mut names = self.txn.open_table(NAMES)?;
            let mut cursor = names.upper_bound_mut(std::ops::Bound::<&str>::Unbounded)?;
            let mut held: Option<(String, u64)> = None;
            let mut key = Vec::new();
            let mut emit = |name: &str, count: u64| -> Result<()> {
                cursor.insert_before(name, count).map_err(sort_error)?;
                st.names += 1;
                folded_runs.push(folded_key(&mut key, name), &[])
            };
            name_runs.drain(|k, v| {
                let n = std::str::from_utf8(k).context("internal error: a name is not UTF-8")?;
                let c = u64::from_le_bytes(v.try_into().context("internal error: a name count")?);
                match &mut held {
                    Some((hn, hc)) if hn.as_str() == n => *hc += c,
                    Some((hn, hc)) => {
                        emit(hn, *hc)?;
                        hn.clear();
                        hn.push_str(n);
                        *hc = c;
                    }
                    None => held = Some((n.to_string(), c)),
                }
                Ok(())
            })?;
            if let Some((n, c)) = &held {
                emit(n, *c)?;
            }
            cursor.close()?;
        }
        for (runs, def) in [
            (folded_runs, FOLDED),
            (bulk.callers, CALLERS),
            (bulk.ikeys, IKEYS),
            (bulk.basenames, BASENAMES),
        ] {
            load_keys(&self.txn, def, runs)?;
        }
        Ok(())
    }

    /// Applies a batch of path changes.
    pub fn apply(&mut self, changes: &[FileChange<'_>]) -> Result<()> {
        let mut t = Tables::open(&self.txn, self.track_fresh)?;
        let st = &mut self.state;
        for c in changes {
            let existing = t.paths.get(c.path)?.map(|v| v.value());
            // A modification touches only the rows that differ (see `changed_parts`); an edit
            // of one function then rewrites a few rows, each maybe in its own B-tree page.
            let reduced = match (existing, &c.old, &c.new, &self.bulk) {
                (Some(_), Some(old), Some((new, _)), None) => Some(changed_parts(old, new)),
                _ => None,
            };
            let id = match (existing, &c.old) {
                (Some(id), Some(old)) => {
                    match &reduced {
                        Some((old_part, old_keys, _, _)) => {
                            let side = Side {
                                index: old_part,
                                import_keys: old_keys,
                            };
                            retract(&mut t, st, id, &side)?;
                        }
                        None => retract(&mut t, st, id, old)?,
                    }
                    Some(id)
                }
                // An old side that was never indexed, or an index that has the path while
                // the diff says it was not a file: nothing to retract.
                _ => None,
            };
            match (&c.new, id) {
                (Some((new, blob)), id) => {
                    let id = match id {
                        Some(id) => id,
                        None => {
                            let id = u32::try_from(st.next_file).map_err(|_| {
                                Damaged::index("file ids exhausted; the index must be rebuilt")
                            })?;
                            st.next_file += 1;
                            st.files += 1;
                            t.paths.insert(c.path, id)?;
                            let base = basename_key(c.path, id);
                            match &mut self.bulk {
                                // A rebuild recomputes every file's edges anyway.
                                Some(bulk) => bulk.basenames.push(&base, &[])?,
                                None => {
                                    t.basenames.insert(base.as_slice(), ())?;
                                    t.appeared.insert(c.path, ())?;
                                }
                            }
                            id
                        }
                    };
                    match &reduced {
                        Some((_, _, new_part, new_keys)) => {
                            let side = Side {
                                index: new_part,
                                import_keys: new_keys,
                            };
                            add(&mut t, st, None, id, c.path, blob, &side)?;
                        }
                        None => add(&mut t, st, self.bulk.as_mut(), id, c.path, blob, new)?,
                    }
                    t.pending.insert(id, ())?;
                    // Incrementally, the edge pass marks the file dirty if its edges change;
                    // a rebuild writes the graph of every file.
                    if self.bulk.is_some() {
                        t.dirty.insert(id, ())?;
                    }
                }
                (None, Some(id)) => {
                    t.paths.remove(c.path)?;
                    t.files.remove(id)?;
                    t.basenames.remove(basename_key(c.path, id).as_slice())?;
                    st.files -= 1;
                    remove_edges(&mut t, id)?;
                    t.pending.remove(id)?;
                    t.dirty.insert(id, ())?;
                    t.appeared.insert(c.path, ())?;
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    /// Records that configuration file `path` (go.mod, tsconfig.json) changed: it exists
    /// now (`present`) or not.
    pub fn set_config(&mut self, path: &[u8], present: bool) -> Result<()> {
        let mut configs = self.txn.open_table(CONFIGS)?;
        if present {
            configs.insert(path, ())?;
        } else {
            configs.remove(path)?;
        }
        self.txn.open_table(APPEARED)?.insert(path, ())?;
        Ok(())
    }

    /// Takes up to `limit` of the paths that appeared, disappeared or changed (config).
    pub fn take_appeared(&mut self, limit: usize) -> Result<Vec<Vec<u8>>> {
        let mut appeared = self.txn.open_table(APPEARED)?;
        let mut out = Vec::new();
        for row in appeared.iter()? {
            out.push(row?.0.value().to_vec());
            if out.len() >= limit {
                break;
            }
        }
        for p in &out {
            appeared.remove(p.as_slice())?;
        }
        Ok(out)
    }

    /// Forgets the recorded appearances (a rebuild recomputes every file anyway).
    pub fn clear_appeared(&mut self) -> Result<()> {
        self.txn.delete_table(APPEARED)?;
        Ok(())
    }

    /// Marks for recomputation the importers filed under one of `keys`; returns how many.
    pub fn invalidate_keys(&mut self, keys: &[String]) -> Result<usize> {
        let mut t = Tables::open(&self.txn, self.track_fresh)?;
        invalidate(&mut t, keys)
    }

    /// Marks for recomputation the files of one of `langs` under directory `dir` (`""`:
    /// everywhere); returns how many.
    pub fn invalidate_scope(&mut self, dir: &str, langs: &[Lang]) -> Result<usize> {
        let t = Tables::open(&self.txn, self.track_fresh)?;
        let prefix: Vec<u8> = if dir.is_empty() {
            Vec::new()
        } else {
            format!("{dir}/").into_bytes()
        };
        let mut ids = Vec::new();
        for row in t.paths.range(prefix.as_slice()..)? {
            let (k, v) = row?;
            if !k.value().starts_with(&prefix) {
                break;
            }
            let id = v.value();
            if let Some(f) = t.files.get(id)? {
                if langs.contains(&decode_file_value(f.value())?.0 .1) {
                    ids.push(id);
                }
            }
        }
        let mut pending = t.pending;
        for id in &ids {
            pending.insert(*id, ())?;
        }
        Ok(ids.len())
    }

    /// Takes up to `limit` files whose edges must be recomputed.
    pub fn take_pending(&mut self, limit: usize) -> Result<Vec<u32>> {
        let mut pending = self.txn.open_table(PENDING)?;
        let mut ids = Vec::new();
        for row in pending.iter()? {
            ids.push(row?.0.value());
            if ids.len() >= limit {
                break;
            }
        }
        for id in &ids {
            pending.remove(*id)?;
        }
        Ok(ids)
    }

    /// The blob, language and path of file `id`, if it exists.
    pub fn file_row(&self, id: u32) -> Result<Option<(BlobId, Lang, Vec<u8>)>> {
        let files = self.txn.open_table(FILES)?;
        let row = files.get(id)?;
        match row {
            Some(v) => {
                let ((blob, lang, _), path) = decode_file_value(v.value())?;
                Ok(Some((blob, lang, path)))
            }
            None => Ok(None),
        }
    }

    /// Every indexed path with its file id, in path order; `None` when the paths would take
    /// more than `budget` bytes, `cost` bytes each, in the caller's structure (a list in
    /// memory must stay bounded whatever the tree size).
    pub fn paths_within(
        &self,
        budget: usize,
        cost: impl Fn(&[u8]) -> usize,
    ) -> Result<Option<Vec<PathRow>>> {
        let paths = self.txn.open_table(PATHS)?;
        let mut out = Vec::new();
        let mut bytes = 0;
        for row in paths.iter()? {
            let (k, v) = row?;
            bytes += cost(k.value());
            if bytes > budget {
                return Ok(None);
            }
            out.push((k.value().to_vec(), v.value()));
        }
        Ok(Some(out))
    }

    /// The configuration files (go.mod, tsconfig.json) of the tree.
    pub fn config_paths(&self) -> Result<Vec<Vec<u8>>> {
        let configs = self.txn.open_table(CONFIGS)?;
        let mut out = Vec::new();
        for row in configs.iter()? {
            out.push(row?.0.value().to_vec());
        }
        Ok(out)
    }

    /// The tables import resolution reads, opened once for many lookups. Drop it before
    /// writing (a table cannot be open twice).
    pub fn tree_tables(&self) -> Result<TreeTables<'_>> {
        Ok(TreeTables {
            paths: self.txn.open_table(PATHS)?,
            basenames: self.txn.open_table(BASENAMES)?,
            configs: self.txn.open_table(CONFIGS)?,
        })
    }

    /// Replaces the edges of file `id`: its resolved targets and its external imports.
    pub fn set_edges(&mut self, id: u32, targets: &[u32], externals: &[String]) -> Result<()> {
        if let Some(runs) = &mut self.rdeps_runs {
            return rebuild_edges(&self.txn, runs, id, targets, externals);
        }
        let mut t = Tables::open(&self.txn, self.track_fresh)?;
        let old = t
            .deps
            .get(id)?
            .map(|v| v.value().to_vec())
            .unwrap_or_default();
        let mut packed = Vec::with_capacity(targets.len() * 4);
        for target in targets {
            packed.extend_from_slice(&target.to_le_bytes());
        }
        let ext = externals.join("\n");
        let old_ext = t
            .ext
            .get(id)?
            .map(|v| v.value().to_vec())
            .unwrap_or_default();
        if old == packed && old_ext == ext.as_bytes() {
            return Ok(());
        }
        remove_edges(&mut t, id)?;
        if !targets.is_empty() {
            t.deps.insert(id, packed.as_slice())?;
            for &target in targets {
                t.rdeps.insert(edge_key(target, id).as_slice(), ())?;
            }
        }
        if !ext.is_empty() {
            t.ext.insert(id, ext.as_bytes())?;
        }
        t.dirty.insert(id, ())?;
        Ok(())
    }

    /// Number of files whose edges changed since the graph file was written.
    pub fn dirty_count(&self) -> Result<u64> {
        Ok(self.txn.open_table(DIRTY)?.len()?)
    }

    /// Writes a new graph file (the CSR base) of every edge, streaming from the `deps` and
    /// `rdeps` tables; then forgets the dirty set and records the generation this
    /// transaction will commit as as the graph's (the file carries it too).
    pub fn write_graph(&mut self, path: &Path) -> Result<()> {
        self.load_rdeps()?;
        let generation = self.state.generation + 1;
        let nodes = u32::try_from(self.state.next_file)
            .map_err(|_| Damaged::index("more file ids than a graph can hold"))?;
        {
            let deps = self.txn.open_table(DEPS)?;
            let rdeps = self.txn.open_table(RDEPS)?;
            let forward = |f: &mut dyn FnMut(u32, &[u32]) -> Result<()>| -> Result<()> {
                for row in deps.iter()? {
                    let (k, v) = row?;
                    f(k.value(), &unpack_ids(v.value()))?;
                }
                Ok(())
            };
            let reverse = |f: &mut dyn FnMut(u32, &[u32]) -> Result<()>| -> Result<()> {
                let mut target = None;
                let mut sources = Vec::new();
                for row in rdeps.iter()? {
                    let (t, source) = edge_of(row?.0.value())?;
                    if target != Some(t) {
                        if let Some(prev) = target {
                            f(prev, &sources)?;
                        }
                        target = Some(t);
                        sources.clear();
                    }
                    sources.push(source);
                }
                match target {
                    Some(t) => f(t, &sources),
                    None => Ok(()),
                }
            };
            super::graph::write_rows(path, nodes, generation, &forward, &reverse)?;
        }
        self.txn.delete_table(DIRTY)?;
        self.state.graph_generation = generation;
        Ok(())
    }

    /// In a rebuild, inserts the reverse edges collected so far.
    fn load_rdeps(&mut self) -> Result<()> {
        match self.rdeps_runs.take() {
            Some(runs) => load_keys(&self.txn, RDEPS, runs),
            None => Ok(()),
        }
    }

    /// Whether names defined for the first time are being recorded; false after `clear`,
    /// when the Bloom filter must be rebuilt whole.
    pub fn tracks_fresh(&self) -> bool {
        self.track_fresh
    }

    /// Names that became defined in this transaction (for the Bloom filter), then forgets
    /// them.
    pub fn take_fresh_names(&mut self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        {
            let fresh = self.txn.open_table(FRESH)?;
            for row in fresh.iter()? {
                out.push(row?.0.value().to_string());
            }
        }
        self.txn.delete_table(FRESH)?;
        Ok(out)
    }

    /// Records the new state and commits durably.
    pub fn commit(
        mut self,
        tree: &str,
        commit: Option<&str>,
        updated_at: u64,
        update_ms: u64,
    ) -> Result<State> {
        self.finish_bulk()?;
        self.load_rdeps()?;
        self.state.tree = tree.to_string();
        self.state.commit = commit.map(str::to_string);
        self.state.updated_at = updated_at;
        self.state.update_ms = update_ms;
        self.state.generation += 1;
        {
            let mut meta = self.txn.open_table(META)?;
            let st = &self.state;
            for (k, v) in [
                ("format", u64::from(INDEX_FORMAT)),
                ("extractor", u64::from(EXTRACTOR_VERSION)),
                ("files", st.files),
                ("symbols", st.symbols),
                ("skipped", st.skipped),
                ("names", st.names),
                ("updated_at", st.updated_at),
                ("update_ms", st.update_ms),
                ("next_file", st.next_file),
                ("generation", st.generation),
                ("graph_generation", st.graph_generation),
            ] {
                meta.insert(k, v.to_le_bytes().as_slice())?;
            }
            meta.insert("tree", st.tree.as_bytes())?;
            meta.insert("commit", st.commit.as_deref().unwrap_or("").as_bytes())?;
        }
        let state = self.state.clone();
        self.txn
            .commit()
            .context("cannot commit the index update")?;
        Ok(state)
    }

    /// Number of rows in `defs` (for checks).
    pub fn defs_len(&self) -> Result<u64> {
        Ok(self.txn.open_table(DEFS)?.len()?)
    }
}

/// The tables import resolution reads, in an update's write transaction (see
/// `Patch::tree_tables`).
pub struct TreeTables<'t> {
    paths: redb::Table<'t, &'static [u8], u32>,
    basenames: redb::Table<'t, &'static [u8], ()>,
    configs: redb::Table<'t, &'static [u8], ()>,
}

impl TreeTables<'_> {
    /// The file id of `path`.
    pub fn path_id(&self, path: &[u8]) -> Result<Option<u32>> {
        Ok(self.paths.get(path)?.map(|v| v.value()))
    }

    /// Paths of the indexed files directly in directory `dir` ("" for the root).
    pub fn files_in_dir(&self, dir: &str) -> Result<Vec<String>> {
        list_dir(&self.paths, dir)
    }

    /// Paths of the indexed files (and configuration files) whose path is `suffix` or
    /// ends with `/suffix`: one range of the suffix-keyed file names, as long as its
    /// matches, however many files share the name.
    pub fn files_ending(&self, suffix: &str) -> Result<Vec<String>> {
        let prefix = suffix::key(suffix.as_bytes());
        let (lo, hi) = suffix::range(&prefix);
        let mut out = Vec::new();
        for row in self.basenames.range(lo.as_slice()..hi.as_slice())? {
            let (path, _) = basename_of(row?.0.value())?;
            out.push(String::from_utf8_lossy(&path).into_owned());
        }
        // Configuration files are few: a scan of them is cheap.
        for row in self.configs.iter()? {
            let path = row?.0.value().to_vec();
            if suffix::key(&path).starts_with(&prefix) {
                out.push(String::from_utf8_lossy(&path).into_owned());
            }
        }
        Ok(out)
    }
}

fn posting_key(key: &mut Vec<u8>, name: &str, file: u32, line: u32, column: u32) {
    key.clear();
    key.extend_from_slice(name.as_bytes());
    key.push(0);
    key.extend_from_slice(&file.to_be_bytes());
    key.extend_from_slice(&line.to_be_bytes());
    key.extend_from_slice(&column.to_be_bytes());
}

/// `Patch::set_edges` in a rebuild: the file has no edges yet and is dirty already (every
/// file is), and its reverse edges go to the sort runs.
fn rebuild_edges(
    txn: &WriteTransaction,
    rdeps: &mut Runs,
    id: u32,
    targets: &[u32],
    externals: &[String],
) -> Result<()> {
    if !targets.is_empty() {
        let packed: Vec<u8> = targets.iter().flat_map(|t| t.to_le_bytes()).collect();
        if txn
            .open_table(DEPS)?
            .insert(id, packed.as_slice())?
            .is_some()
        {
            bail!("internal error: the edges of file {id} were set twice in a rebuild");
        }
        for &target in targets {
            rdeps.push(&edge_key(target, id), &[])?;
        }
    }
    if !externals.is_empty() {
        txn.open_table(EXT)?
            .insert(id, externals.join("\n").as_bytes())?;
    }
    Ok(())
}

/// The name of a `defs` key (everything before its 13-byte suffix).
fn posting_name(key: &[u8]) -> Result<&[u8]> {
    key.len()
        .checked_sub(13)
        .map(|n| &key[..n])
        .ok_or_else(|| anyhow::anyhow!("internal error: a posting key of {} bytes", key.len()))
}

/// Fills the empty key-only table `def` from sort runs, through redb's buffered cursor
/// (which packs pages as it appends).
fn load_keys(
    txn: &WriteTransaction,
    def: TableDefinition<&'static [u8], ()>,
    runs: Runs,
) -> Result<()> {
    let mut table = txn.open_table(def)?;
    let mut cursor = table.upper_bound_mut(std::ops::Bound::<&[u8]>::Unbounded)?;
    runs.drain_distinct(|k, _| cursor.insert_before(k, ()).map_err(sort_error))?;
    cursor.close()?;
    Ok(())
}

/// A bulk load met keys out of order: a bug, never the user's doing.
fn sort_error(e: redb::CursorError) -> anyhow::Error {
    anyhow::Error::new(e).context("internal error: a bulk load of the index went out of key order")
}

fn folded_key<'k>(key: &'k mut Vec<u8>, name: &str) -> &'k [u8] {
    key.clear();
    key.extend_from_slice(name.to_lowercase().as_bytes());
    key.push(0);
    key.extend_from_slice(name.as_bytes());
    key.as_slice()
}

fn posting_value(val: &mut Vec<u8>, d: &crate::model::Definition, lang: Lang) {
    val.clear();
    val.push(d.kind.to_u8());
    val.push(lang.to_u8());
    val.push(d.container.as_ref().map_or(0, |(_, k)| k.to_u8()));
    val.extend_from_slice(&d.end_line.to_le_bytes());
    val.extend_from_slice(&d.end_column.to_le_bytes());
    if let Some((c, _)) = &d.container {
        val.extend_from_slice(c.as_bytes());
    }
}

/// Resolves file ids to paths (and blobs) in one read transaction.
pub struct Paths {
    files: Option<redb::ReadOnlyTable<u32, &'static [u8]>>,
    cache: PathCache,
}

impl Paths {
    /// The path of file `id`.
    pub fn path(&mut self, id: u32) -> Result<Vec<u8>> {
        match &self.files {
            Some(files) => self.cache.path(id, files),
            None => bail!(Damaged::index(format!(
                "file id {id} without a files table"
            ))),
        }
    }

    /// The blob and language of file `id`, if it exists.
    pub fn blob(&self, id: u32) -> Result<Option<(BlobId, Lang)>> {
        let Some(files) = &self.files else {
            return Ok(None);
        };
        match files.get(id)? {
            Some(v) => {
                let ((blob, lang, _), _) = decode_file_value(v.value())?;
                Ok(Some((blob, lang)))
            }
            None => Ok(None),
        }
    }
}

/// The files directly in `dir`, skipping whole subdirectories by seeking past them.
fn list_dir(paths: &impl ReadableTable<&'static [u8], u32>, dir: &str) -> Result<Vec<String>> {
    let prefix: Vec<u8> = if dir.is_empty() {
        Vec::new()
    } else {
        format!("{dir}/").into_bytes()
    };
    let mut out = Vec::new();
    let mut from = prefix.clone();
    loop {
        let mut next = None;
        for row in paths.range(from.as_slice()..)? {
            let k = row?.0.value().to_vec();
            if !k.starts_with(&prefix) {
                break;
            }
            let rest = &k[prefix.len()..];
            match rest.iter().position(|&b| b == b'/') {
                None => out.push(String::from_utf8_lossy(&k).into_owned()),
                Some(slash) => {
                    // A subdirectory: continue after everything under it ('/' + 1 = '0').
                    let mut skip = k[..prefix.len() + slash].to_vec();
                    skip.push(b'0');
                    next = Some(skip);
                    break;
                }
            }
        }
        match next {
            Some(n) => from = n,
            None => return Ok(out),
        }
    }
}

/// File id -> path, looked up once per file per query.
#[derive(Default)]
struct PathCache(std::collections::HashMap<u32, Vec<u8>>);

impl PathCache {
    fn path(
        &mut self,
        id: u32,
        files: &redb::ReadOnlyTable<u32, &'static [u8]>,
    ) -> Result<Vec<u8>> {
        if let Some(p) = self.0.get(&id) {
            return Ok(p.clone());
        }
        let Some(row) = files.get(id)? else {
            bail!(Damaged::index(format!(
                "posting names file id {id}, which has no row"
            )));
        };
        let path = decode_file_value(row.value())?.1;
        self.0.insert(id, path.clone());
        Ok(path)
    }
}

fn sort_postings(p: &mut [Posting]) {
    p.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
}

fn decode_posting(
    key: &[u8],
    val: &[u8],
    paths: &mut PathCache,
    files: &redb::ReadOnlyTable<u32, &'static [u8]>,
) -> Result<Posting> {
    let corrupt = |what: &str| Damaged::index(format!("posting with {what}"));
    if key.len() < 13 || val.len() < 11 || key[key.len() - 13] != 0 {
        bail!(corrupt("a malformed key or value"));
    }
    let (name, nums) = key.split_at(key.len() - 13);
    let nums = &nums[1..];
    let u32be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let u32le = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let kind = Kind::from_u8(val[0]).ok_or_else(|| corrupt("an unknown kind"))?;
    let lang = Lang::from_u8(val[1]).ok_or_else(|| corrupt("an unknown language"))?;
    let container = match val[2] {
        0 => None,
        k => Some((
            String::from_utf8_lossy(&val[11..]).into_owned(),
            Kind::from_u8(k).ok_or_else(|| corrupt("an unknown container kind"))?,
        )),
    };
    Ok(Posting {
        name: String::from_utf8_lossy(name).into_owned(),
        path: paths.path(u32be(&nums[..4]), files)?,
        line: u32be(&nums[4..8]),
        column: u32be(&nums[8..]),
        end_line: u32le(&val[3..7]),
        end_column: u32le(&val[7..11]),
        kind,
        lang,
        container,
    })
}

/// A `files` row: (blob, lang, skip) and the path.
type FileRow = ((BlobId, Lang, Option<SkipReason>), Vec<u8>);

fn decode_file_value(v: &[u8]) -> Result<FileRow> {
    let corrupt = || Damaged::index("a damaged file row");
    let n = usize::from(*v.first().ok_or_else(corrupt)?);
    if v.len() < n + 3 {
        bail!(corrupt());
    }
    let id = BlobId::from_bytes(&v[1..1 + n]).map_err(|_| corrupt())?;
    let lang = Lang::from_u8(v[1 + n]).ok_or_else(corrupt)?;
    let skip = match v[2 + n] {
        0 => None,
        s => Some(SkipReason::from_u8(s).ok_or_else(corrupt)?),
    };
    Ok(((id, lang, skip), v[3 + n..].to_vec()))
}
#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::Definition;

    fn file(names: &[(&str, u32)]) -> FileIndex {
        FileIndex {
            extractor_version: EXTRACTOR_VERSION,
            lang: Lang::Python,
            skip: None,
            error_names: 0,
            definitions: names
                .iter()
                .map(|&(n, line)| Definition {
                    name: n.to_string(),
                    kind: Kind::Function,
                    container: (line % 2 == 0).then(|| ("C".to_string(), Kind::Class)),
                    line,
                    column: 1,
                    end_line: line + 1,
                    end_column: 2,
                })
                .collect(),
            imports: vec![],
            // Each file calls what it defines at odd lines: callers change with definitions.
            references: names
                .iter()
                .filter(|&&(_, line)| line % 2 == 1)
                .map(|&(n, line)| crate::model::Reference {
                    name: n.to_string(),
                    line,
                    column: 1,
                    caller: None,
                })
                .collect(),
        }
    }

    /// Random add/remove sequences against a model: postings, counts and the names tables
    /// must always agree with a plain map of what each path defines.
    #[test]
    fn patches_agree_with_a_model() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open_write(&dir.path().join("i.redb")).unwrap();
        let blob = BlobId::from_bytes(&[7; 20]).unwrap();
        let pool = ["main", "get", "Main", "main_loop", "x", "__init__"];
        let mut model: BTreeMap<Vec<u8>, FileIndex> = BTreeMap::new();
        let mut seed = 42u64;
        let mut rand = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 33) % n
        };
        for round in 0..40 {
            let mut patch = index.begin().unwrap();
            for _ in 0..10 {
                let dir = ["d", "e/d", "d/e"][rand(3) as usize];
                let path = format!("{dir}/f{}.py", rand(12)).into_bytes();
                let old = model.remove(&path);
                let new = (rand(3) > 0).then(|| {
                    let names: Vec<(&str, u32)> = (0..rand(5))
                        .map(|i| (pool[rand(pool.len() as u64) as usize], i as u32 * 3 + 1))
                        .collect();
                    file(&names)
                });
                let side = |index| Side {
                    index,
                    import_keys: &[],
                };
                patch
                    .apply(&[FileChange {
                        path: &path,
                        old: old.as_ref().map(side),
                        new: new.as_ref().map(|n| (side(n), &blob)),
                    }])
                    .unwrap();
                if let Some(new) = new {
                    model.insert(path, new);
                }
            }
            let state = patch.commit(&format!("{round:040}"), None, 0, 0).unwrap();
            // Lookups by path suffix find exactly the paths that end with it.
            let patch = index.begin().unwrap();
            let tables = patch.tree_tables().unwrap();
            for suffix in [
                "f1.py",
                "d/f1.py",
                "e/d/f1.py",
                "d/e/f1.py",
                "x/f1.py",
                "e/f1",
            ] {
                let mut got = tables.files_ending(suffix).unwrap();
                got.sort();
                let expected: Vec<String> = model
                    .keys()
                    .map(|p| String::from_utf8(p.clone()).unwrap())
                    .filter(|p| p == suffix || p.ends_with(&format!("/{suffix}")))
                    .collect();
                assert_eq!(got, expected, "round {round}, suffix {suffix}");
            }
            drop(tables);
            drop(patch);
            let symbols: usize = model.values().map(|f| f.definitions.len()).sum();
            assert_eq!(state.symbols as usize, symbols);
            assert_eq!(state.files as usize, model.len());
            for name in pool {
                let mut expected: Vec<(Vec<u8>, u32)> = model
                    .iter()
                    .flat_map(|(p, f)| {
                        f.definitions
                            .iter()
                            .filter(|d| d.name == name)
                            .map(|d| (p.clone(), d.line))
                    })
                    .collect();
                expected.sort();
                let got: Vec<(Vec<u8>, u32)> = index
                    .postings_of(name)
                    .unwrap()
                    .into_iter()
                    .map(|p| (p.path, p.line))
                    .collect();
                assert_eq!(got, expected, "round {round}, name {name}");
                let folded = index.names_folded(&name.to_lowercase(), true).unwrap();
                assert_eq!(folded.contains(&name.to_string()), !expected.is_empty());
                let callers = model
                    .values()
                    .filter(|f| f.references.iter().any(|r| r.name == name))
                    .count();
                assert_eq!(
                    index.callers_of(name).unwrap().len(),
                    callers,
                    "round {round}"
                );
            }
        }

        // A rewrite in key order keeps every row and the state.
        let path = dir.path().join("i.redb");
        let mut before = Vec::new();
        index
            .all_postings(|p| {
                before.push(p);
                Ok(())
            })
            .unwrap();
        let state = index.state().unwrap();
        let index = index.rewrite_sorted(&path).unwrap();
        let mut after = Vec::new();
        index
            .all_postings(|p| {
                after.push(p);
                Ok(())
            })
            .unwrap();
        assert_eq!(after, before);
        assert_eq!(index.state().unwrap(), state);
        assert!(!dir.path().join("i.redb.rewrite").exists());

        // A rebuild (bulk load through sort runs small enough to spill) of the same files,
        // with calls and import keys, in a fresh file: the same rows and counters.
        let rebuilt = Index::open_write(&dir.path().join("r.redb")).unwrap();
        let mut patch = rebuilt.begin().unwrap();
        patch
            .clear_with_budgets(dir.path(), state.as_ref().unwrap().generation, 256, 64)
            .unwrap();
        let keys = ["k1".to_string(), "k2".to_string()];
        let mut with_calls = Vec::new();
        for (path, f) in &model {
            let mut f = f.clone();
            f.references = f
                .definitions
                .iter()
                .map(|d| crate::model::Reference {
                    name: d.name.clone(),
                    line: 1,
                    column: 1,
                    caller: None,
                })
                .collect();
            // A duplicate position: one posting, as `insert` makes it.
            if let Some(d) = f.definitions.first().cloned() {
                f.definitions.push(d);
            }
            with_calls.push((path.clone(), f));
        }
        for (path, f) in &with_calls {
            patch
                .apply(&[FileChange {
                    path,
                    old: None,
                    new: Some((
                        Side {
                            index: f,
                            import_keys: &keys,
                        },
                        &blob,
                    )),
                }])
                .unwrap();
        }
        patch.finish_bulk().unwrap();
        let got = patch.commit("t", None, 0, 0).unwrap();
        let want = state.unwrap();
        assert_eq!(
            (got.files, got.symbols, got.names, got.generation),
            (want.files, want.symbols, want.names, want.generation + 1)
        );
        let mut bulk = Vec::new();
        rebuilt
            .all_postings(|p| {
                bulk.push(p);
                Ok(())
            })
            .unwrap();
        assert_eq!(bulk, after);
        for name in pool {
            let folded = rebuilt.names_folded(&name.to_lowercase(), true).unwrap();
            assert_eq!(
                folded,
                index.names_folded(&name.to_lowercase(), true).unwrap()
            );
            assert_eq!(rebuilt.callers_of(name).unwrap().len(), {
                let defined = with_calls
                    .iter()
                    .filter(|(_, f)| f.definitions.iter().any(|d| d.name == name));
                defined.count()
            });
        }
        let mut names = Vec::new();
        rebuilt.all_names(|n| names.push(n.to_string())).unwrap();
        let mut expect = Vec::new();
        index.all_names(|n| expect.push(n.to_string())).unwrap();
        assert_eq!(names, expect);
    }
}
