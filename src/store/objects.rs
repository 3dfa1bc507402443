//! Loose per-blob objects under `objects/<2 hex>/<38 hex>`, keyed by git blob id.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context as _, Result};

use super::atomic::AtomicFile;
use super::object::{self, BadObject};
use super::BlobId;
use crate::model::{FileIndex, EXTRACTOR_VERSION};

/// What reading an object found.
pub enum Lookup {
    /// A sound object of the current extractor version.
    Found(FileIndex),
    /// No object for this blob.
    Missing,
    /// An object that must not be trusted (damaged, or from another extractor version).
    Unusable(String),
}

/// The loose object directory, with counters of what this process added to it.
#[derive(Debug)]
pub struct Objects {
    dir: PathBuf,
    created: AtomicU64,
    created_bytes: AtomicU64,
}

/// The file in the objects directory that counts loose objects and their bytes, so that
/// `status` never scans the directory.
const COUNT_FILE: &str = "count";

/// Loose objects and their total size, as counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Number of loose objects.
    pub objects: u64,
    /// Their total size in bytes.
    pub bytes: u64,
}

impl Objects {
    /// Objects under `dir` (created on first write).
    pub fn at(dir: &Path) -> Objects {
        Objects {
            dir: dir.to_path_buf(),
            created: AtomicU64::new(0),
            created_bytes: AtomicU64::new(0),
        }
    }

    /// The directory holding the objects.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, id: &BlobId) -> PathBuf {
        let hex = id.to_hex();
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// Reads and verifies the object of `id`.
    pub fn read(&self, id: &BlobId) -> Result<Lookup> {
        let path = self.path(id);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Lookup::Missing),
            Err(e) => {
                return Err(e).with_context(|| format!("{}: cannot read object", path.display()))
            }
        };
        Ok(match object::decode(&bytes) {
            Ok(fi) if fi.extractor_version == EXTRACTOR_VERSION => Lookup::Found(fi),
            Ok(fi) => Lookup::Unusable(format!("extractor version {}", fi.extractor_version)),
            Err(BadObject(why)) => Lookup::Unusable(why),
        })
    }

    /// Writes the object of `id` atomically, replacing a damaged or outdated one. Not
    /// synced: an object lost in a crash is re-extracted, and the index that refers to it
    /// is synced after it.
    pub fn write(&self, id: &BlobId, index: &FileIndex) -> Result<()> {
        let path = self.path(id);
        let bytes = object::encode(index);
        let mut file = match AtomicFile::create(&path) {
            Ok(f) => f,
            Err(_) => {
                let parent = path.parent().unwrap_or(&self.dir);
                fs::create_dir_all(parent)
                    .with_context(|| format!("{}: cannot create directory", parent.display()))?;
                AtomicFile::create(&path)?
            }
        };
        file.write_all(&bytes)
            .with_context(|| format!("{}: cannot write object", path.display()))?;
        // A new object is linked into place (so it is counted exactly once, even when
        // two processes race); an existing, unusable one is replaced by rename.
        if !path.exists() {
            if file.commit_new()? {
                self.created.fetch_add(1, Ordering::Relaxed);
                self.created_bytes
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            }
            return Ok(());
        }
        file.commit(false)
    }

    /// The counted loose objects (zero when never counted).
    pub fn count(&self) -> Count {
        let Ok(text) = fs::read_to_string(self.dir.join(COUNT_FILE)) else {
            return Count::default();
        };
        let mut nums = text
            .split_whitespace()
            .filter_map(|w| w.parse::<u64>().ok());
        Count {
            objects: nums.next().unwrap_or(0),
            bytes: nums.next().unwrap_or(0),
        }
    }

    /// Adds what this process created to the count file (under a lock shared by every
    /// worktree's updates). Returns the new count.
    pub fn flush_count(&self) -> Result<Count> {
        let created = self.created.swap(0, Ordering::Relaxed);
        let bytes = self.created_bytes.swap(0, Ordering::Relaxed);
        if created == 0 {
            return Ok(self.count());
        }
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("{}: cannot create directory", self.dir.display()))?;
        let lock_path = self.dir.join("count.lock");
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("{}: cannot open lock file", lock_path.display()))?;
        lock.lock()
            .with_context(|| format!("{}: cannot take lock", lock_path.display()))?;
        let old = self.count();
        let new = Count {
            objects: old.objects + created,
            bytes: old.bytes + bytes,
        };
        let mut file = AtomicFile::create(&self.dir.join(COUNT_FILE))?;
        writeln!(file, "{} {}", new.objects, new.bytes).context("cannot write the object count")?;
        file.commit(false)?;
        Ok(new)
    }
}
