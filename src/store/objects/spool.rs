//! The spool: past a threshold, new objects go straight into packs instead of loose files.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use anyhow::Result;

use super::merge::{self, Source, PACK_MAX_BYTES};
use super::pack::{self, Builder, Pack};
use super::Objects;
use crate::model::BlobId;

/// New objects on their way into packs instead of loose files.
pub(super) struct Spool {
    pack: Builder,
    /// The chunk packs finished so far.
    chunks: Vec<PathBuf>,
}

/// Objects per chunk of a spool: a killed full index keeps what it extracted, less at
/// most this many objects (about 100 MB).
pub(super) const SPOOL_CHUNK: usize = 65_536;

impl Objects {
    /// Once this process has written `n` new loose objects, the next ones go into packs
    /// instead (they would be packed at the end of the update anyway): a full index of 1M
    /// files would otherwise create 1M files (a 4 KB block each) and read them all back to
    /// pack them. Every `SPOOL_CHUNK` objects the pack is finished as a chunk, readable at
    /// once, so that a killed index keeps what it extracted; `finish_spool` merges the
    /// chunks into one pack.
    pub fn spool_after(&self, n: u64) {
        self.spool_with(n, SPOOL_CHUNK);
    }

    pub(super) fn spool_with(&self, n: u64, chunk: usize) {
        self.spool_chunk.store(chunk.max(1), Ordering::Relaxed);
        self.spool_after.store(n, Ordering::Relaxed);
    }

    /// Ends spooling: the last chunk is finished and the chunks are merged into packs of
    /// up to `PACK_MAX_BYTES` (lookups would otherwise probe one pack per chunk). Returns whether anything was
    /// spooled. Objects written from now on are loose, until `spool_after` again.
    pub fn finish_spool(&self) -> Result<bool> {
        self.spool_after.store(u64::MAX, Ordering::Relaxed);
        let taken = self.spool.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(Spool { pack, mut chunks }) = taken else {
            return Ok(false);
        };
        // The recount below counts the loose objects this process created.
        self.created.store(0, Ordering::Relaxed);
        self.created_bytes.store(0, Ordering::Relaxed);
        if !pack.is_empty() {
            chunks.push(self.finish_chunk(pack)?);
        }
        if chunks.len() > 1 {
            // The chunks are read from their maps, each object copied once: a gc that
            // removed a chunk file meanwhile (after packing its objects) does not matter.
            let mut spooled = self.spooled.write().unwrap_or_else(|e| e.into_inner());
            let sources: Vec<Source<'_>> = spooled
                .iter()
                .map(|p| Source {
                    pack: p,
                    live: vec![true; p.len()],
                })
                .collect();
            let written =
                merge::write_packs(&self.pack_dir(), &sources, PACK_MAX_BYTES, pack::name)?;
            drop(sources);
            spooled.clear();
            for path in &written {
                spooled.extend(Pack::open(path)?);
            }
            for chunk in chunks.iter().filter(|c| !written.contains(c)) {
                let _ = fs::remove_file(chunk);
            }
        }
        self.recount()?;
        Ok(true)
    }

    /// Finishes a chunk of the spool and makes it readable.
    fn finish_chunk(&self, pack: Builder) -> Result<PathBuf> {
        let path = self.finish_pack(pack)?;
        let opened = Pack::open(&path)?;
        let mut spooled = self.spooled.write().unwrap_or_else(|e| e.into_inner());
        spooled.extend(opened);
        Ok(path)
    }

    /// Whether new objects go to the spool.
    pub(super) fn spooling(&self) -> bool {
        self.created.load(Ordering::Relaxed) >= self.spool_after.load(Ordering::Relaxed)
    }

    /// Adds an object to the spool, starting one if needed.
    pub(super) fn to_spool(&self, id: &BlobId, bytes: &[u8]) -> Result<()> {
        // Compressed before the lock: the workers compress in parallel.
        let frame = super::pack::deflate(bytes)?;
        let mut guard = self.spool.lock().unwrap_or_else(|e| e.into_inner());
        let spool = match guard.as_mut() {
            Some(spool) => spool,
            None => guard.insert(Spool {
                pack: self.pack_builder()?,
                chunks: Vec::new(),
            }),
        };
        spool.pack.add_stored(id, &frame)?;
        if spool.pack.len() >= self.spool_chunk.load(Ordering::Relaxed) {
            let full = std::mem::replace(&mut spool.pack, self.pack_builder()?);
            let path = self.finish_chunk(full)?;
            spool.chunks.push(path);
        }
        Ok(())
    }
}
