//! Packs that come from elsewhere: every object checked before any is added.

use std::fs;

use anyhow::{Context as _, Result};

use super::pack::{self, Pack};
use super::{Lookup, Objects};
use crate::model::BlobId;
use crate::store::atomic::AtomicFile;
use crate::store::sample::Sampler;

impl Objects {
    /// A new file for a pack that comes from elsewhere, to hand to `import_pack`.
    pub fn incoming(&self) -> Result<AtomicFile> {
        let dir = self.pack_dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        AtomicFile::create(&dir.join("incoming"))
    }

    /// Verifies a pack that came from elsewhere (written to `incoming`) and adds its
    /// objects: the container must be sound, every object must pass the object checks
    /// (checksum, FlatBuffers verifier, extractor version) and `known` must accept its id
    /// (a blob this repository has). Nothing is added from a pack with any bad object.
    /// Then `check` is asked about a random sample of the objects (at least 64, or 1%):
    /// any refusal rejects the whole pack. When every object is known, the checked file
    /// itself becomes the pack; otherwise the known objects are written to a new one. An
    /// imported pack is named from its contents, never replaces a file, and is read after
    /// the local packs. Returns the ids added.
    pub fn import_pack(
        &self,
        mut incoming: AtomicFile,
        known: &dyn Fn(&BlobId) -> bool,
        check: &(dyn Fn(&BlobId, &[u8]) -> Result<()> + Sync),
    ) -> Result<Vec<BlobId>> {
        use rayon::prelude::*;
        let Some(pack) = Pack::open_verified(incoming.temp_path())? else {
            anyhow::bail!("the pack vanished while being checked");
        };
        // Checking is a full decode of every object: on all cores.
        let ids = (0..pack.len())
            .into_par_iter()
            .map(|i| {
                let Some(id) = pack.id(i) else {
                    anyhow::bail!("object {i} has no valid id");
                };
                let Some(data) = pack.get(&id) else {
                    anyhow::bail!("object {id} has no data");
                };
                if let Lookup::Unusable(why) = Self::check(&data, &id) {
                    anyhow::bail!("object {id}: {why}");
                }
                Ok(id)
            })
            .collect::<Result<Vec<BlobId>>>()?;
        let wanted: Vec<BlobId> = ids.iter().filter(|id| known(id)).cloned().collect();
        if wanted.is_empty() {
            return Ok(wanted);
        }
        sample(&wanted)
            .into_par_iter()
            .try_for_each(|id| match pack.get(id) {
                Some(data) => check(id, &data).with_context(|| format!("object {id}")),
                None => anyhow::bail!("object {id} has no data"),
            })?;
        if wanted.len() == ids.len() {
            let sum = pack.checksum();
            drop(pack);
            incoming.set_dest(&self.pack_dir().join(pack::imported_name(sum)));
            incoming.sync()?;
            incoming.commit_new()?;
        } else {
            let mut builder = self.pack_builder()?;
            for id in &wanted {
                if let Some(data) = pack.get(id) {
                    builder.add(id, &data)?;
                }
            }
            builder.finish_imported_in(&self.pack_dir())?;
        }
        self.recount()?;
        Ok(wanted)
    }
}

/// A random sample of `ids` to re-extract: 64, or 1% when that is more (all of a small
/// pack).
fn sample(ids: &[BlobId]) -> Vec<&BlobId> {
    let want = (ids.len() / 100).max(64);
    Sampler::new()
        .positions(ids.len(), want)
        .into_iter()
        .map(|i| &ids[i])
        .collect()
}
