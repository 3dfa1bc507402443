//! `store`: everything on disk under `.git/atse/`. Knows nothing of gix or tree-sitter; the
//! byte layouts are `format`'s. [`Store`] names every file and takes every lock:
//!
//! ```text
//! <common git dir>/atse/            shared by the linked worktrees
//!   objects/xx/yyyy...              loose objects (objects/)
//!   objects/pack/pack-*.pack        packs (objects/pack.rs)
//!   objects/count, gc.lock          the object count; the gc lock
//!   published                       what `share` published or imported
//! <worktree git dir>/atse/          one per worktree (the same dir for the main one)
//!   index.redb                      the index (index/)
//!   graph, bloom, bloom.delta       derived files (graph.rs, bloom.rs), with `.ok` records
//!   update.lock                     held by the one process updating the index
//!   log, log.1                      what hooks and background updates report
//!   shard                           what an `update --shard K/N` job extracted
//!   watch/barrier-N                 a server's file-system watch's barrier (mcp, lsp)
//! ```

pub mod atomic;
pub mod bloom;
pub mod checked;
pub mod graph;
pub mod index;
pub mod mmap;
pub mod objects;
pub mod runs;
pub mod sample;

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

/// Where a worktree's git-atse data lives: the one owner of every path and lock under
/// `.git/atse`.
#[derive(Clone, Debug)]
pub struct Store {
    /// `<common git dir>/atse`: shared objects.
    pub common: PathBuf,
    /// `<worktree git dir>/atse`: this worktree's index (the same as `common` for the main one).
    pub local: PathBuf,
}

impl Store {
    /// The store of a repository whose common dir is `common_git_dir` and whose
    /// (possibly linked) worktree git dir is `git_dir`.
    pub fn new(common_git_dir: &Path, git_dir: &Path) -> Store {
        Store {
            common: common_git_dir.join("atse"),
            local: git_dir.join("atse"),
        }
    }

    /// The loose objects.
    pub fn objects(&self) -> objects::Objects {
        objects::Objects::at(&self.common.join("objects"))
    }

    /// The index database path.
    pub fn index_path(&self) -> PathBuf {
        self.local.join("index.redb")
    }

    /// The graph file (CSR base of the dependency graph).
    pub fn graph_path(&self) -> PathBuf {
        self.local.join("graph")
    }

    /// The Bloom filter of defined names.
    pub fn bloom_path(&self) -> PathBuf {
        self.local.join("bloom")
    }

    /// The Bloom filter of the worktree whose git dir is `git_dir`, found without opening
    /// the repository (the fast path of a lookup).
    pub fn bloom_path_in(git_dir: &Path) -> PathBuf {
        git_dir.join("atse").join("bloom")
    }

    /// Makes the next reader of the graph and the Bloom filter verify their checksums in
    /// full again, as git's fsck would, catching damage that left the files' times alone.
    pub fn forget_checks(&self) {
        checked::forget(&self.graph_path());
        checked::forget(&self.bloom_path());
    }

    /// Where a rebuild writes the new index before renaming it over the old one.
    pub fn rebuild_path(&self) -> PathBuf {
        self.index_path().with_extension("redb.rebuild")
    }

    /// Where a damaged index is moved aside before it is rebuilt (one is kept).
    pub fn damaged_index_path(&self) -> PathBuf {
        self.index_path().with_extension("redb.damaged")
    }

    /// Where an index snapshot from elsewhere is unpacked before it is checked.
    pub fn incoming_path(&self) -> PathBuf {
        self.index_path().with_extension("redb.incoming")
    }

    /// Where a server's file-system watch writes its barrier files (see
    /// `commands::worktree_watch`).
    pub fn watch_dir(&self) -> PathBuf {
        self.local.join("watch")
    }

    /// The record an `update --shard K/N` job left for `share push` (this worktree's).
    pub fn shard_path(&self) -> PathBuf {
        self.local.join("shard")
    }

    /// The shard record, if an `update --shard` left one. A record that does not parse is
    /// an error that names the file (delete it, or run `update --shard` again).
    pub fn read_shard(&self) -> Result<Option<crate::format::shard::ShardRecord>> {
        let path = self.shard_path();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("{}: cannot read", path.display())),
        };
        crate::format::shard::ShardRecord::parse(&text)
            .map(Some)
            .with_context(|| {
                format!(
                    "{}: damaged; run `git atse update --shard K/N` again",
                    path.display()
                )
            })
    }

    /// Replaces the shard record (atomically, durably).
    pub fn write_shard(&self, record: &crate::format::shard::ShardRecord) -> Result<()> {
        self.create_dirs()?;
        let file = atomic::AtomicFile::create(&self.shard_path())?;
        let mut out = file.file()?;
        out.write_all(record.print().as_bytes())
            .with_context(|| format!("{}: cannot write", self.shard_path().display()))?;
        file.commit(true)
    }

    /// The record of what `share` published and imported.
    pub fn published_path(&self) -> PathBuf {
        self.common.join("published")
    }

    /// Appends a line to `log` (rotated at 1 MiB), where hooks and background updates
    /// report; returns the log's path.
    pub fn log(&self, msg: &str) -> Result<PathBuf> {
        self.create_dirs()?;
        let path = self.local.join("log");
        if fs::metadata(&path).is_ok_and(|m| m.len() > 1 << 20) {
            let _ = fs::rename(&path, self.local.join("log.1"));
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("{}: cannot open log", path.display()))?;
        writeln!(
            f,
            "{secs} pid {}: {}",
            std::process::id(),
            msg.replace('\n', " ")
        )
        .with_context(|| format!("{}: cannot write log", path.display()))?;
        Ok(path)
    }

    /// Creates the directories.
    pub fn create_dirs(&self) -> Result<()> {
        for dir in [&self.common, &self.local] {
            fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        }
        Ok(())
    }

    fn open_lock_file(&self) -> Result<(File, PathBuf)> {
        let path = self.local.join("update.lock");
        Ok((open_lock_file(&path)?, path))
    }

    /// Opens this worktree's index read-only (`None` when there is none). An index that
    /// changed since its writer recorded it sound (see [`Store::verify_index`]) is verified
    /// first, under the update lock; one that fails is an error ([`Damaged`]), never read.
    /// An index left in need of repair by a killed writer is repaired first, by briefly
    /// becoming its writer. Either waits at most a second for another process holding the
    /// update lock: a writer at work verifies and repairs what it opens itself.
    ///
    /// [`Damaged`]: crate::error::Damaged
    pub fn open_index_read(&self) -> Result<Option<index::Index>> {
        let path = self.index_path();
        if !path.exists() {
            return Ok(None);
        }
        if !checked::is_recorded_sound(&path) {
            match self.lock_update_within(Duration::from_secs(1)) {
                Ok(Some(lock)) => self.verify_index(&lock)?,
                Ok(None) => {}
                // A read-only store (a read-only mount, another user's repository) is
                // answered from as it is: nothing here can verify or repair it.
                Err(e) if is_read_only(&e) => {}
                Err(e) => return Err(e),
            }
        }
        match index::Index::open_read(&path) {
            Err(e) if index::needs_repair(&e) => {
                let Some(lock) = self.lock_update_within(Duration::from_secs(1))? else {
                    return Err(e.context("another process is repairing the index; try again"));
                };
                drop(index::Index::open_write(&path)?);
                self.record_index_sound(&lock);
                index::Index::open_read(&path)
            }
            other => other,
        }
    }

    /// Verifies the index in full (every page against redb's checksums) unless it is as
    /// its writer last recorded it, then records it sound. Fails with `Damaged` when it is
    /// not: the caller treats it as absent and rebuilds it.
    pub fn verify_index(&self, lock: &UpdateLock) -> Result<()> {
        let path = self.index_path();
        if !path.exists() || checked::is_recorded_sound(&path) {
            return Ok(());
        }
        index::Index::check_integrity(&path)?;
        self.record_index_sound(lock);
        Ok(())
    }

    /// Records the index file as it is now as sound: called by its writer (holding the
    /// update lock) once it has closed it.
    pub fn record_index_sound(&self, _lock: &UpdateLock) {
        checked::record_sound(&self.index_path());
    }

    /// Takes the update lock, waiting at most `wait` for another process to release it.
    pub fn lock_update_within(&self, wait: Duration) -> Result<Option<UpdateLock>> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(lock) = self.try_lock_update()? {
                return Ok(Some(lock));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Takes this worktree's update lock, waiting for another update to finish.
    pub fn lock_update(&self) -> Result<UpdateLock> {
        let (file, path) = self.open_lock_file()?;
        file.lock()
            .with_context(|| format!("{}: cannot take lock", path.display()))?;
        Ok(UpdateLock { _file: file })
    }

    /// Takes the update lock if nobody holds it.
    pub fn try_lock_update(&self) -> Result<Option<UpdateLock>> {
        let (file, path) = self.open_lock_file()?;
        match file.try_lock() {
            Ok(()) => Ok(Some(UpdateLock { _file: file })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("{}: cannot take lock", path.display()))
            }
        }
    }
}

/// Whether `err` says the store cannot be written (a read-only file system, or no
/// permission).
pub fn is_read_only(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|e| {
            matches!(
                e.kind(),
                std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
            )
        })
    })
}

/// Opens (creating it and its directory) the file `path` to take an flock on.
pub(crate) fn open_lock_file(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
    }
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("{}: cannot open lock file", path.display()))
}

/// Held while a process updates an index; released on drop (or when the process dies, so
/// a killed update never leaves a stale lock behind).
pub struct UpdateLock {
    _file: File,
}
