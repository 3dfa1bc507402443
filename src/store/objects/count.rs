//! The count file: loose and packed objects and their bytes, so that `status` never scans
//! the object directory.

use std::fs;
use std::io::Write;
use std::sync::atomic::Ordering;

use anyhow::{Context as _, Result};

use super::pack::Pack;
use super::Objects;
use crate::store::atomic::AtomicFile;

/// The file in the objects directory that counts loose objects and their bytes, so that
/// `status` never scans the directory.
const COUNT_FILE: &str = "count";

/// Objects and their sizes, as counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Number of loose objects.
    pub objects: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Number of packed objects.
    pub packed: u64,
    /// Size of the pack files in bytes.
    pub packed_bytes: u64,
}

impl Objects {
    /// Counts the objects by listing them (gc and packing only; status reads the count
    /// file) and rewrites the count file.
    pub fn recount(&self) -> Result<Count> {
        let mut c = Count::default();
        for (_, path) in self.loose()? {
            c.objects += 1;
            c.bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        }
        for path in self.pack_paths() {
            if let Ok(Some(p)) = Pack::open(&path) {
                c.packed += p.len() as u64;
                c.packed_bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            }
        }
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("{}: cannot create directory", self.dir.display()))?;
        self.write_count(&c)?;
        Ok(c)
    }

    fn write_count(&self, c: &Count) -> Result<()> {
        let mut file = AtomicFile::create(&self.dir.join(COUNT_FILE))?;
        writeln!(
            file,
            "{} {} {} {}",
            c.objects, c.bytes, c.packed, c.packed_bytes
        )
        .context("cannot write the object count")?;
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
            packed: nums.next().unwrap_or(0),
            packed_bytes: nums.next().unwrap_or(0),
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
        let lock_path = self.dir.join("count.lock");
        let lock = crate::store::open_lock_file(&lock_path)?;
        lock.lock()
            .with_context(|| format!("{}: cannot take lock", lock_path.display()))?;
        let old = self.count();
        let new = Count {
            objects: old.objects + created,
            bytes: old.bytes + bytes,
            ..old
        };
        self.write_count(&new)?;
        Ok(new)
    }
}
