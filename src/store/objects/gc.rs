//! Packing the loose objects, and collecting the objects of blobs git no longer has.

use std::fs;

use anyhow::{Context as _, Result};

use std::path::PathBuf;

use super::merge::{self, Source, PACK_MAX_BYTES};
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

    /// Keeps the objects whose blob `keep` says git still has, packed, and removes
    /// everything else: loose objects, unusable objects, repeated copies, damaged packs.
    ///
    /// Each live object is written at most once, straight from its pack's map: a pack
    /// that lost nothing stays as it is, a pack that lost objects is rewritten on its own
    /// (so the disk needed beyond what is kept is one pack's, at most `PACK_MAX_BYTES`),
    /// and small packs are merged so that each is at least twice the size of all smaller
    /// ones together (as `git repack --geometric=2`): lookups probe few packs, and an
    /// object is merged again only when its pack's size class doubles. A gc killed at any
    /// moment loses nothing: every new pack is complete before what it replaces goes.
    /// Memory: a byte per packed object.
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
                Ok(Some(pack)) => opened.push((path, pack)),
                Ok(None) => {}
                Err(_) => {
                    report.damaged += 1;
                    let _ = fs::remove_file(&path);
                }
            }
        }
        // Largest first: of two sound copies (the same bytes), the smaller pack's goes.
        opened.sort_by_key(|(_, p)| std::cmp::Reverse(p.len()));
        let mut judged = Vec::new();
        for (path, pack) in opened {
            let state = judge(&pack, &judged, keep, &mut report);
            judged.push(Judged {
                path,
                pack,
                state,
                ours: false,
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
                    if held(judged, id) {
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
        let outputs = merge::write_packs(&self.pack_dir(), &sources, max)?;
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

/// Whether a pack read before holds a sound copy of `id` (kept or removed with it).
fn held(judged: &[Judged], id: &BlobId) -> bool {
    judged.iter().any(|j| {
        j.pack
            .find(id.as_bytes())
            .is_some_and(|k| matches!(j.state[k], State::Live | State::Removed))
    })
}

/// What gc does with a packed object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Kept.
    Live,
    /// Sound, but git no longer has its blob.
    Removed,
    /// A second copy of an object an earlier pack holds soundly.
    Repeated,
    /// Unusable: damaged, or of another extractor version.
    Damaged,
}

/// A pack and what gc does with each of its objects.
struct Judged {
    path: PathBuf,
    pack: Pack,
    state: Vec<State>,
    /// Written by this gc (the loose objects' pack).
    ours: bool,
}

impl Judged {
    fn live(&self) -> (u64, u64) {
        let mut out = (0, 0);
        for (i, s) in self.state.iter().enumerate() {
            if *s == State::Live {
                out.0 += 1;
                out.1 += self.pack.stored(i).map_or(0, |b| b.len() as u64);
            }
        }
        out
    }
}

/// What becomes of each object of `pack`, given the packs judged before it (a second
/// sound copy is dropped: objects are a function of their blob, so both hold the same).
fn judge(
    pack: &Pack,
    earlier: &[Judged],
    keep: &dyn Fn(&BlobId) -> bool,
    report: &mut GcReport,
) -> Vec<State> {
    (0..pack.len())
        .map(|i| {
            let id = pack.id(i);
            let sound = match (&id, pack.object(i)) {
                (Some(id), Some(b)) => matches!(Objects::check(&b, id), Lookup::Found(_)),
                _ => false,
            };
            let Some(id) = id.filter(|_| sound) else {
                report.damaged += 1;
                return State::Damaged;
            };
            if held(earlier, &id) {
                State::Repeated
            } else if keep(&id) {
                State::Live
            } else {
                report.removed += 1;
                State::Removed
            }
        })
        .collect()
}

/// The packs to merge (positions in `judged`): of the packs under half of `max` bytes,
/// sorted by live objects, the smallest ones up to the largest that is less than twice
/// all the smaller ones together.
fn geometric(judged: &[Judged], max: u64) -> Vec<usize> {
    let mut small: Vec<(u64, usize)> = judged
        .iter()
        .enumerate()
        .filter_map(|(at, j)| {
            let (count, bytes) = j.live();
            (bytes < max / 2).then_some((count, at))
        })
        .collect();
    small.sort_unstable();
    let mut below = 0u64;
    let mut cut = 0;
    for (k, (count, _)) in small.iter().enumerate() {
        if *count < 2 * below {
            cut = k + 1;
        }
        below += count;
    }
    small[..cut].iter().map(|(_, at)| *at).collect()
}
