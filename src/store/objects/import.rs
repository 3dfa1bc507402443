//! Packs that come from elsewhere: every object checked before any is added.

use std::fs;

use anyhow::{Context as _, Result};

use super::pack::Pack;
use super::{pack_name, Lookup, Objects};
use crate::model::BlobId;
use crate::store::atomic::AtomicFile;

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
    /// When every object is known, the checked file itself becomes the pack; otherwise the
    /// known objects are written to a new one. Returns the ids added.
    pub fn import_pack(
        &self,
        mut incoming: AtomicFile,
        known: &dyn Fn(&BlobId) -> bool,
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
                if let Lookup::Unusable(why) = Self::check(data, &id) {
                    anyhow::bail!("object {id}: {why}");
                }
                Ok(id)
            })
            .collect::<Result<Vec<BlobId>>>()?;
        let wanted: Vec<BlobId> = ids.iter().filter(|id| known(id)).cloned().collect();
        if wanted.is_empty() {
            return Ok(wanted);
        }
        if wanted.len() == ids.len() {
            drop(pack);
            incoming.set_dest(&self.pack_dir().join(pack_name(&wanted)));
            incoming.commit(true)?;
        } else {
            let objects = wanted
                .iter()
                .filter_map(|id| pack.get(id).map(|d| (id.clone(), d.to_vec())))
                .collect();
            let _ = self.write_pack(objects)?;
        }
        self.recount()?;
        Ok(wanted)
    }
}
