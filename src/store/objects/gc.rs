//! Packing the loose objects, and collecting the objects of blobs git no longer has.

use std::fs;

use anyhow::{Context as _, Result};

use super::pack::Pack;
use super::{Count, Lookup, Objects};
use crate::model::BlobId;

/// What `Objects::gc` did.
#[derive(Clone, Copy, Debug, Default)]
pub struct GcReport {
    /// Objects removed because git no longer has their blob.
    pub removed: u64,
    /// Objects kept (all packed now).
    pub kept: u64,
    /// Unusable objects and damaged packs dropped.
    pub damaged: u64,
    /// The counts before and after.
    pub before: Count,
    /// After.
    pub after: Count,
}

impl Objects {
    fn gc_lock(&self) -> Result<fs::File> {
        crate::store::open_lock_file(&self.dir.join("gc.lock"))
    }

    /// Packs the loose objects into a new pack and removes them (when another process is
    /// packing or collecting, does nothing). Returns how many were packed.
    pub fn pack_loose(&self) -> Result<u64> {
        let lock = self.gc_lock()?;
        if lock.try_lock().is_err() {
            return Ok(0);
        }
        let loose = self.loose()?;
        let mut pack = self.pack_builder()?;
        for (id, path) in &loose {
            if let Ok(bytes) = fs::read(path) {
                if matches!(Self::check(&bytes, id), Lookup::Found(_)) {
                    pack.add(id, &bytes)?;
                }
            }
        }
        let packed = pack.len() as u64;
        if packed > 0 {
            self.finish_pack(pack)?;
        }
        // Only what was read is removed: an object written meanwhile stays loose.
        for (_, path) in &loose {
            let _ = fs::remove_file(path);
        }
        self.recount()?;
        Ok(packed)
    }

    /// Keeps the objects whose blob `keep` says git still has, in one new pack, and removes
    /// everything else: loose objects, old packs, unusable objects. A gc killed at any
    /// moment loses nothing: the new pack is complete before anything is removed.
    pub fn gc(&self, keep: &dyn Fn(&BlobId) -> bool) -> Result<GcReport> {
        let lock = self.gc_lock()?;
        lock.lock()
            .with_context(|| format!("{}: cannot take the gc lock", self.dir.display()))?;
        let mut report = GcReport {
            before: self.recount()?,
            ..GcReport::default()
        };
        let loose = self.loose()?;
        let pack_paths = self.pack_paths();
        // Objects go to the new pack as they are read: memory follows their number, not
        // their size.
        let mut objects = self.pack_builder()?;
        objects.reserve(usize::try_from(report.before.objects + report.before.packed).unwrap_or(0));
        let mut error = None;
        let mut seen = std::collections::HashSet::new();
        // A damaged copy is counted and dropped; it never hides a sound copy elsewhere.
        let mut consider = |id: BlobId, bytes: Option<Vec<u8>>, report: &mut GcReport| match bytes {
            Some(b) if matches!(Self::check(&b, &id), Lookup::Found(_)) => {
                if !seen.insert(id.clone()) {
                    return;
                }
                if keep(&id) {
                    if let Err(e) = objects.add(&id, &b) {
                        error.get_or_insert(e);
                    }
                } else {
                    report.removed += 1;
                }
            }
            _ => report.damaged += 1,
        };
        for (id, path) in &loose {
            consider(id.clone(), fs::read(path).ok(), &mut report);
        }
        for path in &pack_paths {
            match Pack::open(path) {
                Ok(Some(p)) => {
                    for i in 0..p.len() {
                        if let Some(id) = p.id(i) {
                            let bytes = p.get(&id).map(<[u8]>::to_vec);
                            consider(id, bytes, &mut report);
                        }
                    }
                }
                _ => report.damaged += 1,
            }
        }
        if let Some(e) = error {
            return Err(e);
        }
        report.kept = objects.len() as u64;
        let new_pack = if objects.is_empty() {
            None
        } else {
            Some(self.finish_pack(objects)?)
        };
        crate::failpoint::hit("gc_packed");
        for path in pack_paths {
            if Some(&path) != new_pack.as_ref() {
                let _ = fs::remove_file(&path);
            }
        }
        for (_, path) in &loose {
            let _ = fs::remove_file(path);
        }
        report.after = self.recount()?;
        Ok(report)
    }
}
