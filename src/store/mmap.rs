//! Read-only memory maps of files that git-atse only ever replaces by rename.

use std::fs::File;
use std::path::Path;

use anyhow::{Context as _, Result};
use memmap2::Mmap;

/// Maps `path` read-only; `None` when it does not exist.
pub fn map(path: &Path) -> Result<Option<Mmap>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("{}: cannot open", path.display())),
    };
    map_file(&file, path).map(Some)
}

/// Maps the open `file` (at `path`, for messages) read-only.
pub fn map_file(file: &File, path: &Path) -> Result<Mmap> {
    // SAFETY: git-atse never writes these files in place: a new version is written to a
    // temporary file and renamed over the old one, so the mapped inode is never modified
    // while mapped (another program truncating it could still fault, as for any mmap user).
    let map =
        unsafe { Mmap::map(file) }.with_context(|| format!("{}: cannot map", path.display()))?;
    Ok(map)
}
