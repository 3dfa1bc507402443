//! Adopting an index file that came from elsewhere (a shared snapshot), after checking it
//! against the tree it claims to describe.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _, Result};

use super::derived;
use crate::git::{self, Repo};
use crate::model::{BlobId, TreeId};
use crate::store::bloom;
use crate::store::index::{Index, State};
use crate::store::{Store, UpdateLock};

/// Tree entries handed over per batch.
const BATCH: usize = 1024;

/// Makes the index file `snapshot`, which came from elsewhere (a shared snapshot of
/// `tree`), this worktree's index. It must pass `Index::verify_foreign`, describe `tree`,
/// and hold, for every file, the blob `tree` has at its path; otherwise it is rejected
/// and the worktree's index is untouched. Then its graph and Bloom filter are written.
/// The caller holds the update lock. `update` then catches up from `tree` incrementally.
pub fn adopt(
    repo: &Repo,
    layout: &Store,
    lock: &UpdateLock,
    snapshot: &Path,
    tree: &TreeId,
) -> Result<State> {
    let started = Instant::now();
    let (state, files) = Index::verify_foreign(snapshot)?;
    if TreeId::from_hex(&state.tree).ok().as_ref() != Some(tree) {
        bail!("it describes tree {}, not {tree}", state.tree);
    }
    let mut want: HashMap<Vec<u8>, BlobId> = files.into_iter().collect();
    git::diff::changes(repo, None, tree, BATCH, &mut |batch| {
        for c in batch {
            if let (Some(blob), Some(new)) = (want.get(&c.path), c.new) {
                if *blob != new {
                    bail!(
                        "it has another blob than the tree at {}",
                        String::from_utf8_lossy(&c.path)
                    );
                }
                want.remove(&c.path);
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if let Some(path) = want.keys().next() {
        bail!(
            "it has a file the tree lacks: {}",
            String::from_utf8_lossy(path)
        );
    }
    let path = layout.index_path();
    std::fs::rename(snapshot, &path)
        .with_context(|| format!("{}: cannot replace the index", path.display()))?;
    let index = Index::open_write(&path)?;
    let mut patch = index.begin()?;
    patch.write_graph(&layout.graph_path())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let ms = started.elapsed().as_millis() as u64;
    let state = patch.commit(&state.tree, state.commit.as_deref(), now, ms)?;
    let label = bloom::Label {
        tree: state.tree.clone(),
        commit: state.commit.clone().unwrap_or_default(),
    };
    derived::write_bloom(&layout.bloom_path(), &label, &index, state.names)?;
    drop(index);
    layout.record_index_sound(lock);
    Ok(state)
}
