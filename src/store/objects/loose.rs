//! Loose objects: one file per blob in a two-hex-digit fanout directory, written
//! atomically.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use anyhow::{Context as _, Result};

use super::{hex_id, Objects};
use crate::format::object;
use crate::model::{BlobId, FileIndex};
use crate::store::atomic::AtomicFile;

impl Objects {
    pub(super) fn path(&self, id: &BlobId) -> PathBuf {
        let hex = id.to_hex();
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// Writes the object of `id` atomically, replacing a damaged or outdated one: into the
    /// spool while spooling, else loose. A loose object is not synced: one lost in a crash
    /// is re-extracted, and the index that refers to it is synced after it.
    pub fn write(&self, id: &BlobId, index: &FileIndex) -> Result<()> {
        let path = self.path(id);
        let bytes = object::encode(id, index);
        // A damaged loose object would hide a spooled copy: it is replaced in place.
        if self.spooling() && !path.exists() {
            return self.to_spool(id, &bytes);
        }
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

    /// Ids and paths of the loose objects (temporary files are skipped).
    pub(super) fn loose(&self) -> Result<Vec<(BlobId, PathBuf)>> {
        let mut out = Vec::new();
        let Ok(dirs) = fs::read_dir(&self.dir) else {
            return Ok(out);
        };
        for d in dirs {
            let d = d.with_context(|| format!("{}: cannot list", self.dir.display()))?;
            let name = d.file_name().to_string_lossy().into_owned();
            if name.len() != 2 || !d.path().is_dir() {
                continue;
            }
            for f in fs::read_dir(d.path())
                .with_context(|| format!("{}: cannot list", d.path().display()))?
            {
                let f = f.with_context(|| format!("{}: cannot list", d.path().display()))?;
                let rest = f.file_name().to_string_lossy().into_owned();
                if rest.starts_with('.') {
                    continue;
                }
                if let Some(id) = hex_id(&format!("{name}{rest}")) {
                    out.push((id, f.path()));
                }
            }
        }
        Ok(out)
    }
}
