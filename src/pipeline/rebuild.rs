//! Starting over: a rebuild from the empty tree in a new file, and an index file redb
//! cannot open recreated.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::error::{self, Locked};
use crate::store::index::{self, Index};
use crate::store::Store;

/// Starts a rebuild from the empty tree in a new file beside the index (`fresh` is set to
/// it), renamed over the index once committed. Deleting the old tables in place would keep
/// their pages allocated until the commit and double the file; and a rebuild killed
/// midway leaves the old index untouched. The generation continues from `generation`, so
/// that no graph file written for the old index passes for the new one's.
pub(super) fn begin(
    layout: &Store,
    generation: u64,
    fresh: &mut Option<PathBuf>,
) -> Result<index::Patch> {
    let tmp = layout.rebuild_path();
    match std::fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot remove", tmp.display()));
        }
    }
    let mut patch = Index::open_write(&tmp)?.begin()?;
    patch.clear(&layout.local, generation)?;
    *fresh = Some(tmp);
    Ok(patch)
}

/// Opens the index for writing; a file redb cannot open is removed and recreated (it can
/// always be rebuilt from git).
/// Also returns why the old file was discarded, if it was.
pub(super) fn open_or_recreate(path: &Path) -> Result<(Index, Option<String>)> {
    match Index::open_write(path) {
        Ok(i) => Ok((i, None)),
        Err(e) if error::find::<Locked>(&e).is_some() => Err(e),
        Err(e) => {
            if !path.is_file() {
                return Err(e);
            }
            std::fs::remove_file(path)
                .with_context(|| format!("{}: cannot remove the damaged index", path.display()))?;
            Ok((Index::open_write(path)?, Some(format!("{e:#}"))))
        }
    }
}
