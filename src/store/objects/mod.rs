//! Per-blob objects, keyed by git blob id: loose under `objects/<2 hex>/<38 hex>`, and
//! packed under `objects/pack/*.pack`. Readers look in both.
//!
//! Split by job: `loose` (one file per object), `pack` (pack files), `spool` (new objects
//! written straight into packs past a threshold), `import` (packs from elsewhere, checked),
//! `gc` (packing and collecting; `judge` decides what it keeps), `merge` (packs rewritten from packs), `count` (the count file `status` reads).

mod count;
mod gc;
mod import;
mod judge;
mod loose;
mod merge;
pub mod pack;
mod spool;
#[cfg(test)]
mod tests;

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize};
use std::sync::{Mutex, OnceLock, RwLock};

use anyhow::{Context as _, Result};

use crate::format::object;
use crate::model::{BlobId, FileIndex, EXTRACTOR_VERSION};
use pack::Pack;
use spool::Spool;

pub use count::Count;
pub use gc::GcReport;

/// What reading an object found.
pub enum Lookup {
    /// A sound object of the current extractor version.
    Found(FileIndex),
    /// No object for this blob.
    Missing,
    /// An object that must not be trusted (damaged, or from another extractor version).
    Unusable(String),
}

/// The object directory, with counters of what this process added to it.
pub struct Objects {
    dir: PathBuf,
    created: AtomicU64,
    created_bytes: AtomicU64,
    /// The packs, opened on first need (damaged ones are left out: their objects are
    /// extracted again, and `gc` replaces them).
    packs: OnceLock<Vec<Pack>>,
    /// New objects this process writes loose before it spools the rest (see `spool_after`).
    spool_after: AtomicU64,
    /// Objects per chunk of the spool.
    spool_chunk: AtomicUsize,
    /// While spooling: the pack being filled, and the chunks finished.
    spool: Mutex<Option<Spool>>,
    /// The packs this process spooled, readable as soon as each is finished.
    spooled: RwLock<Vec<Pack>>,
}

/// Objects per chunk of a spool: a killed full index keeps what it extracted, less at
/// most this many objects (about 100 MB).
const SPOOL_CHUNK: usize = 65_536;

impl Objects {
    /// Objects under `dir` (created on first write).
    pub fn at(dir: &Path) -> Objects {
        Objects {
            dir: dir.to_path_buf(),
            created: AtomicU64::new(0),
            created_bytes: AtomicU64::new(0),
            packs: OnceLock::new(),
            spool_after: AtomicU64::new(u64::MAX),
            spool_chunk: AtomicUsize::new(SPOOL_CHUNK),
            spool: Mutex::new(None),
            spooled: RwLock::new(Vec::new()),
        }
    }

    /// The directory holding the objects.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads and verifies the object of `id`.
    pub fn read(&self, id: &BlobId) -> Result<Lookup> {
        let path = self.path(id);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Ok(self
                    .in_packs(id, |b| Self::check(b, id))
                    .unwrap_or(Lookup::Missing));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("{}: cannot read object", path.display()))
            }
        };
        Ok(Self::check(&bytes, id))
    }

    /// Judges the stored bytes of the object of `id`.
    pub(super) fn check(bytes: &[u8], id: &BlobId) -> Lookup {
        match object::decode(bytes, id) {
            Ok(fi) if fi.extractor_version == EXTRACTOR_VERSION => Lookup::Found(fi),
            Ok(fi) => Lookup::Unusable(format!("extractor version {}", fi.extractor_version)),
            Err(damaged) => Lookup::Unusable(damaged.reason),
        }
    }

    /// The stored bytes of the object `id` (loose or packed), if it is sound.
    pub fn raw(&self, id: &BlobId) -> Option<Vec<u8>> {
        let bytes = match fs::read(self.path(id)) {
            Ok(b) => b,
            Err(_) => self.in_packs(id, <[u8]>::to_vec)?,
        };
        matches!(Self::check(&bytes, id), Lookup::Found(_)).then_some(bytes)
    }

    /// `f` of the bytes of object `id` in a pack: the packs found at first need, then the
    /// ones this process spooled.
    fn in_packs<T>(&self, id: &BlobId, f: impl Fn(&[u8]) -> T) -> Option<T> {
        if let Some(bytes) = self.packs().iter().find_map(|p| p.get(id)) {
            return Some(f(&bytes));
        }
        let spooled = self.spooled.read().unwrap_or_else(|e| e.into_inner());
        spooled.iter().find_map(|p| p.get(id)).map(|b| f(&b))
    }

    fn pack_dir(&self) -> PathBuf {
        self.dir.join("pack")
    }

    fn pack_paths(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.pack_dir()) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        // Local packs first: an imported pack never shadows a local object.
        paths.sort_by_key(|p| (pack::is_imported(p), p.clone()));
        paths
    }

    fn packs(&self) -> &[Pack] {
        self.packs.get_or_init(|| {
            self.pack_paths()
                .iter()
                .filter_map(|p| Pack::open(p).ok().flatten())
                .collect()
        })
    }

    fn pack_builder(&self) -> Result<pack::Builder> {
        let dir = self.pack_dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        pack::Builder::new(&dir)
    }

    /// Writes the pack under its name (a hash of its ids); returns its path.
    fn finish_pack(&self, pack: pack::Builder) -> Result<PathBuf> {
        pack.finish_in(&self.pack_dir())
    }
}

pub(super) fn hex_id(hex: &str) -> Option<BlobId> {
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    BlobId::from_bytes(&bytes?).ok()
}
