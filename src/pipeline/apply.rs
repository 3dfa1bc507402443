//! The tree diff applied in bounded batches:
//!
//! ```text
//! producer thread: gix tree diff -> batches of changes -> parallel (read blob, extract or
//!                  load object, write object) -> bounded channel
//! this thread:     apply each batch to the one redb write transaction
//! ```

use std::ops::ControlFlow;
use std::sync::mpsc;

use anyhow::{anyhow, Result};
use rayon::prelude::*;

use super::source::ObjectSource;
use super::timings::{timed, Work};
use super::{Options, Progress, Summary};
use crate::extract::Limits;
use crate::git::{self, Repo, SyncRepo};
use crate::model::{BlobId, FileIndex, TreeId};
use crate::resolve;
use crate::store::index::{FileChange, Patch, Side};
use crate::store::objects::Objects;

/// Changed paths handled per batch: bounds memory whatever the tree size.
const BATCH: usize = 1024;

/// One tree diff to apply.
pub(super) struct Diff<'a> {
    pub repo: &'a Repo,
    pub objects: &'a Objects,
    /// `None`: the empty tree (a rebuild).
    pub old: Option<&'a TreeId>,
    pub new: &'a TreeId,
    pub opts: &'a Options,
    pub progress: &'a dyn Progress,
}

/// One changed path, ready to apply.
struct Prepared {
    path: Vec<u8>,
    old: Option<FileIndex>,
    new: Option<(BlobId, FileIndex)>,
    /// Import keys of the old and new objects (see `resolve::import_keys`).
    old_keys: Vec<String>,
    new_keys: Vec<String>,
    /// A configuration file the resolver reads (go.mod, tsconfig.json), and whether it
    /// exists after the change.
    config: Option<bool>,
    extracted: bool,
    reused: bool,
}

impl Diff<'_> {
    /// Applies every change to `patch`, counting in `summary`.
    pub fn apply(&self, patch: &mut Patch, summary: &mut Summary) -> Result<()> {
        if self.progress.wants_total() {
            let mut n = 0u64;
            git::diff::changes(self.repo, self.old, self.new, BATCH, &mut |b| {
                n += b.len() as u64;
                Ok(ControlFlow::Continue(()))
            })?;
            self.progress.total(n);
        }
        let sync = self.repo.sync();
        // The producer thread takes only what is `Sync` (a `Repo` is not).
        let (objects, limits, old, new) = (self.objects, self.opts.limits, self.old, self.new);
        let (tx, rx) = mpsc::sync_channel::<Result<Vec<Prepared>>>(2);
        std::thread::scope(|scope| -> Result<()> {
            let producer = scope.spawn(|| {
                let repo = Repo::from_sync(&sync);
                let mut first = true;
                let result = git::diff::changes(&repo, old, new, BATCH, &mut |batch| {
                    if std::mem::take(&mut first) && old.is_none() && batch.len() >= BATCH {
                        // A rebuild of at least a batch of files: its objects would be
                        // packed at the end anyway, and a loose file each costs more than
                        // its parse (a fifth of a full index's time on the JDK).
                        objects.spool_after(0);
                    }
                    let prepared = prepare(&sync, objects, limits, batch);
                    let failed = prepared.is_err();
                    tx.send(prepared).map_err(|_| anyhow!("update aborted"))?;
                    Ok(match failed {
                        true => ControlFlow::Break(()),
                        false => ControlFlow::Continue(()),
                    })
                });
                drop(tx);
                result
            });
            let mut ops_failed = None;
            for batch in rx.iter() {
                let applied = batch.and_then(|b| {
                    timed(Work::IndexRows, || apply_batch(patch, &b, summary))?;
                    Ok(b.len())
                });
                match applied {
                    Ok(n) => self.progress.advance(n as u64),
                    Err(e) => {
                        ops_failed = Some(e);
                        break;
                    }
                }
            }
            drop(rx); // unblocks the producer if we stopped early
            let produced = producer
                .join()
                .map_err(|_| anyhow!("internal error: the diff thread panicked"))?;
            match ops_failed {
                Some(e) => Err(e),
                None => produced,
            }
        })
    }
}

/// Reads, extracts and stores the objects of one batch on all cores.
fn prepare(
    sync: &SyncRepo,
    objects: &Objects,
    limits: Limits,
    batch: Vec<git::Change>,
) -> Result<Vec<Prepared>> {
    batch
        .into_par_iter()
        .map_init(|| ObjectSource::new(sync, objects, limits), prepare_one)
        .collect()
}

fn prepare_one(source: &mut ObjectSource<'_>, change: git::Change) -> Result<Prepared> {
    let is_config = resolve::is_config(&change.path);
    let mut p = Prepared {
        config: is_config.then_some(change.new.is_some()),
        path: change.path,
        old: None,
        new: None,
        old_keys: Vec::new(),
        new_keys: Vec::new(),
        extracted: false,
        reused: false,
    };
    if let Some(old) = change.old {
        p.old = source.old_object(&p.path, &old)?;
    }
    if let Some(blob) = change.new {
        if let Some(got) = source.object_for(&p.path, &blob)? {
            p.extracted = got.extracted;
            p.reused = !got.extracted;
            p.new = Some((blob, got.index));
        }
    }
    p.old_keys = p.old.as_ref().map(import_keys).unwrap_or_default();
    p.new_keys = p
        .new
        .as_ref()
        .map(|(_, n)| import_keys(n))
        .unwrap_or_default();
    Ok(p)
}

/// The keys a file's imports are filed under.
fn import_keys(index: &FileIndex) -> Vec<String> {
    let mut keys: Vec<String> = index
        .imports
        .iter()
        .flat_map(|i| resolve::import_keys(index.lang, &i.path))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn apply_batch(patch: &mut Patch, batch: &[Prepared], summary: &mut Summary) -> Result<()> {
    let mut changes = Vec::with_capacity(batch.len());
    for p in batch {
        changes.push(FileChange {
            path: &p.path,
            old: p.old.as_ref().map(|index| Side {
                index,
                import_keys: &p.old_keys,
            }),
            new: p.new.as_ref().map(|(blob, index)| {
                (
                    Side {
                        index,
                        import_keys: &p.new_keys,
                    },
                    blob,
                )
            }),
        });
        if p.new.as_ref().is_some_and(|(_, n)| n.skip.is_some()) {
            summary.skipped += 1;
        }
        summary.changed += 1;
        summary.extracted += u64::from(p.extracted);
        summary.reused += u64::from(p.reused);
    }
    patch.apply(&changes)?;
    for p in batch {
        if let Some(present) = p.config {
            patch.set_config(&p.path, present)?;
        }
    }
    Ok(())
}
