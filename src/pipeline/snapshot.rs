//! Adopting an index file that came from elsewhere (a shared snapshot), after checking it
//! against the tree it claims to describe.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _, Result};

use super::derived;
use crate::extract::{Extractor, Limits};
use crate::git::repo::BlobData;
use crate::git::{self, Repo};
use crate::model::{BlobId, TreeId};
use crate::store::bloom;
use crate::store::index::{Index, State};
use crate::store::sample::Sampler;
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
    check_postings(repo, snapshot, &files)?;
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
    // Derived from the checked postings, never taken from the snapshot.
    patch.rebuild_refs(&layout.local)?;
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

/// Files and names whose postings are checked against a fresh extraction.
const SAMPLE: usize = 64;
/// Postings checked per sampled name.
const POSTINGS_PER_NAME: usize = 4;

/// Checks a sample of the snapshot's postings against the blobs themselves, extracted here:
/// every definition of a sampled file has its posting, and every posting of a sampled name
/// is a definition of its file. Integrity checks cannot see made-up or hidden definitions;
/// this sees them with a probability that grows with how many there are.
fn check_postings(repo: &Repo, snapshot: &Path, files: &[(Vec<u8>, BlobId)]) -> Result<()> {
    let Some(index) = Index::open_read(snapshot)? else {
        bail!("it vanished while being checked");
    };
    let mut extractor = Extractor::new(Limits::default());
    let mut defined = |path: &[u8]| -> Result<Option<Vec<(String, u32, u32)>>> {
        let Some((blob, lang, None)) = index.file(path)? else {
            return Ok(None); // not a file of the snapshot, or skipped there
        };
        let data = match repo.read_blob(&blob, Limits::default().max_file_bytes)? {
            BlobData::Data(d) => d,
            BlobData::TooLarge(_) => return Ok(None),
        };
        let fi = extractor.extract(lang, &data)?;
        Ok(Some(
            fi.definitions
                .iter()
                .map(|d| (d.name.clone(), d.line, d.column))
                .collect(),
        ))
    };
    let mut sampler = Sampler::new();
    for i in sampler.positions(files.len(), SAMPLE) {
        let (path, _) = &files[i];
        for (name, line, column) in defined(path)?.unwrap_or_default() {
            let found = index
                .postings_of(&name)?
                .iter()
                .any(|p| p.path == *path && p.line == line && p.column == column);
            if !found {
                bail!(
                    "it lacks the definition of {name} at {}:{line}",
                    String::from_utf8_lossy(path)
                );
            }
        }
    }
    // A reservoir sample of the names: each name as likely as any other.
    let (mut names, mut seen) = (Vec::new(), 0usize);
    index.all_names(|n| {
        seen += 1;
        match names.len() < SAMPLE {
            true => names.push(n.to_string()),
            false => {
                let at = sampler.below(seen);
                if at < SAMPLE {
                    names[at] = n.to_string();
                }
            }
        }
    })?;
    for name in &names {
        // A few postings of each (a hot name has thousands: extracting them all would cost
        // a good part of a full index).
        let postings = index.postings_of(name)?;
        for i in sampler.positions(postings.len(), POSTINGS_PER_NAME) {
            let p = &postings[i];
            let Some(defs) = defined(&p.path)? else {
                continue;
            };
            if !defs
                .iter()
                .any(|d| d.0 == *name && d.1 == p.line && d.2 == p.column)
            {
                bail!(
                    "it has a definition of {name} at {}:{} that the file does not have",
                    String::from_utf8_lossy(&p.path),
                    p.line
                );
            }
        }
    }
    Ok(())
}
