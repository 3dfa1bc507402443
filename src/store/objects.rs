//! Loose per-blob objects under `objects/<2 hex>/<38 hex>`, keyed by git blob id.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

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

/// The loose object directory.
#[derive(Clone, Debug)]
pub struct Objects {
    dir: PathBuf,
}

impl Objects {
    /// Objects under `dir` (created on first write).
    pub fn at(dir: &Path) -> Objects {
        Objects {
            dir: dir.to_path_buf(),
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

    /// Writes the object of `id` atomically. Not synced: an object lost in a crash is
    /// re-extracted, and the index that refers to it is synced after it.
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
        file.commit(false)
    }
}
