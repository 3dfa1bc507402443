//! Packing the loose objects, and collecting the objects of blobs git no longer has.

use std::fs;

use anyhow::{Context as _, Result};

use std::path::PathBuf;

use super::judge::{geometric, held, judge, Judged, State};
use super::merge::{self, Source, PACK_MAX_BYTES};
use super::pack::{self, Pack};
use super::{Count, Lookup, Objects};
use crate::error::Damaged;
use crate::model::BlobId;
use crate::store::atomic::sync_dir;

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

    /// Keeps the objects whose blob `keep` says git still has, packed, and removes
    /// everything else: loose objects, unusable objects, repeated copies, damaged packs.
    ///
    /// Each live object is written at most once, straight from its pack's map: a pack
    /// that lost nothing stays as it is, a pack that lost objects is rewritten on its own,
    /// and small local packs are merged so that each is at least twice the size of all
    /// smaller ones together (as `git repack --geometric=2`; at most `PACK_MAX_BYTES` at a
    /// time): lookups probe few packs, and an object is merged again only when its pack's
    /// size class doubles. The disk needed beyond what is kept is one pack's (packs written
    /// since are cut at `PACK_MAX_BYTES`; one written before may be larger). Imported packs
    /// stay imported, a local copy is kept over an imported one, and a pack this version
    /// cannot read but that is not damaged (a newer git-atse's) is left alone. A gc killed
    /// at any moment loses nothing: every new pack is complete, and its name durable, before
    /// what it replaces goes. Memory: a byte per packed object.
    pub fn gc(&self, keep: &dyn Fn(&BlobId) -> bool) -> Result<GcReport> {
        self.gc_with(keep, PACK_MAX_BYTES)
    }

    pub(super) fn gc_with(&self, keep: &dyn Fn(&BlobId) -> bool, max: u64) -> Result<GcReport> {
        let lock = self.gc_lock()?;
        lock.lock()
            .with_context(|| format!("{}: cannot take the gc lock", self.dir.display()))?;
        let mut report = GcReport {
            before: self.recount()?,
            ..GcReport::default()
        };
        let mut opened = Vec::new();
        for path in self.pack_paths() {
            match Pack::open(&path) {
                Ok(Some(pack)) => opened.push((pack::is_imported(&path), path, pack)),
                Ok(None) => {}
                Err(e) if crate::error::find::<Damaged>(&e).is_some() && !newer(&path) => {
                    report.damaged += 1;
                    let _ = fs::remove_file(&path);
                }
                // Not damage (a newer git-atse's pack, an I/O error): left as it is.
                Err(_) => {}
            }
        }
        // Local packs before imported ones, as readers look; largest first: of two sound
        // copies (the same bytes), the smaller pack's goes.
        opened.sort_by_key(|(imported, _, p)| (*imported, std::cmp::Reverse(p.len())));
        let mut judged = Vec::new();
        for (imported, path, pack) in opened {
            let state = judge(&pack, &judged, keep, &mut report);
            judged.push(Judged {
                path,
                pack,
                state,
                ours: false,
                imported,
            });
        }
        // Paths this gc wrote: a new pack can take the name of a damaged one it replaced.
        let mut written = Vec::new();
        if let Some(path) = self.pack_kept_loose(keep, &judged, &mut report)? {
            if let Some(pack) = Pack::open(&path)? {
                let state = vec![State::Live; pack.len()];
                judged.push(Judged {
                    path: path.clone(),
                    pack,
                    state,
                    ours: true,
                    imported: false,
                });
            }
            written.push(path);
        }
        report.kept = judged
            .iter()
            .map(|j| j.state.iter().filter(|s| **s == State::Live).count() as u64)
            .sum();
        let merged = geometric(&judged, max);
        for (at, j) in judged.iter().enumerate() {
            if !merged.contains(&at) && j.state.iter().any(|s| *s != State::Live) {
                self.replace(&[j], max, &mut written)?;
            }
        }
        let group: Vec<&Judged> = merged.iter().map(|&at| &judged[at]).collect();
        self.replace(&group, max, &mut written)?;
        report.after = self.recount()?;
        Ok(report)
    }

    /// Packs the sound loose objects `keep` wants that no pack holds into a new pack
    /// (returned), then removes every loose object that was read. Loose objects are few
    /// (an update packs them past `atse.autoPackLoose`).
    fn pack_kept_loose(
        &self,
        keep: &dyn Fn(&BlobId) -> bool,
        judged: &[Judged],
        report: &mut GcReport,
    ) -> Result<Option<PathBuf>> {
        let loose = self.loose()?;
        let mut pack = self.pack_builder()?;
        for (id, path) in &loose {
            match fs::read(path) {
                Ok(b) if matches!(Self::check(&b, id), Lookup::Found(_)) => {
                    // A loose object is local: an imported copy does not stand for it.
                    if held(judged.iter().filter(|j| !j.imported), id) {
                        continue;
                    }
                    match keep(id) {
                        true => pack.add(id, &b)?,
                        false => report.removed += 1,
                    }
                }
                _ => report.damaged += 1,
            }
        }
        let packed = match pack.is_empty() {
            true => None,
            false => {
                let path = self.finish_pack(pack)?;
                sync_dir(&self.pack_dir())?;
                crate::failpoint::hit("gc_packed");
                Some(path)
            }
        };
        for (_, path) in &loose {
            let _ = fs::remove_file(path);
        }
        Ok(packed)
    }

    /// Writes the live objects of `packs` into new packs, then removes `packs`. A path
    /// this gc wrote (`written`) is removed only as the pack it wrote there: a new pack
    /// takes the name of a damaged one with the contents it should have had.
    fn replace(&self, packs: &[&Judged], max: u64, written: &mut Vec<PathBuf>) -> Result<()> {
        if packs.is_empty() {
            return Ok(());
        }
        let sources: Vec<Source<'_>> = packs
            .iter()
            .map(|j| Source {
                pack: &j.pack,
                live: j.state.iter().map(|s| *s == State::Live).collect(),
            })
            .collect();
        // A group is all local or all imported (see `geometric`), and keeps its kind.
        let name = match packs.iter().all(|j| j.imported) {
            true => pack::imported_name,
            false => pack::name,
        };
        let outputs = merge::write_packs(&self.pack_dir(), &sources, max, name)?;
        // The new packs' names are durable before the packs they replace go.
        sync_dir(&self.pack_dir())?;
        crate::failpoint::hit("gc_packed");
        for j in packs {
            let rewritten = written.contains(&j.path) && !j.ours;
            if !rewritten && !outputs.contains(&j.path) {
                let _ = fs::remove_file(&j.path);
                written.retain(|w| *w != j.path);
            }
        }
        written.extend(outputs);
        Ok(())
    }
}

/// Whether the file at `path` is a container of a later format version (a newer
/// git-atse's), which this gc must leave alone.
fn newer(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 9];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| crate::format::container::is_newer(&head))
}
