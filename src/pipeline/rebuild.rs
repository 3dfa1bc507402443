//! Starting over: a rebuild from the empty tree in a new file, and an index file redb
//! cannot open recreated.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::error::{self, Damaged, Locked};
use crate::store::index::{self, Index};
use crate::store::{Store, UpdateLock};

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

/// Opens the index for writing. An index that fails verification (see
/// `Store::verify_index`) or that redb cannot open is moved aside (to
/// `index.redb.damaged`, for diagnosis) and recreated empty: it can always be rebuilt, from
/// the objects and git. Also returns why the old file was discarded, if it was.
pub(super) fn open_or_recreate(
    store: &Store,
    lock: &UpdateLock,
) -> Result<(Index, Option<String>)> {
    let path = store.index_path();
    let opened = match store.verify_index(lock) {
        Ok(()) => Index::open_write(&path),
        Err(e) => Err(e),
    };
    match opened {
        Ok(i) => Ok((i, None)),
        Err(e) if error::find::<Locked>(&e).is_some() => Err(e),
        Err(e) if error::find::<Damaged>(&e).is_none() && !path.is_file() => Err(e),
        Err(e) => {
            let aside = store.damaged_index_path();
            std::fs::rename(&path, &aside).with_context(|| {
                format!("{}: cannot move the damaged index aside", path.display())
            })?;
            Ok((Index::open_write(&path)?, Some(error::rebuild_reason(&e))))
        }
    }
}
