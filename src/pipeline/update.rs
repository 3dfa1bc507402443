//! The update, as one short story: read what the index describes, patch the changed paths
//! in one write transaction, recompute the edges they affect, write the derived files,
//! commit, and put a rebuilt or rewritten index file in place.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};

use super::timings::Clock;
use super::{apply, derived, links, rebuild, Options, Progress, Summary};
use crate::error::{self, Damaged, NeedsRebuild};
use crate::failpoint;
use crate::git::{Repo, Target};
use crate::model::TreeId;
use crate::store::index::{Index, Patch, State};
use crate::store::objects::Objects;
use crate::store::{bloom, Store, UpdateLock};

/// An update that changed at least this many paths, and at least half the files, rewrites
/// the index in key order afterwards (see `Index::rewrite_sorted`).
const REWRITE_AFTER_CHANGES: u64 = 2000;

/// Brings the worktree's index to `target`. The caller holds the update lock, which is
/// what makes this process the only writer.
pub fn update(
    repo: &Repo,
    layout: &Store,
    lock: &UpdateLock,
    target: &Target,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Summary> {
    let started = Instant::now();
    let mut clock = Clock::start();
    let path = layout.index_path();
    let (index, rebuilt) = rebuild::open_or_recreate(layout, lock)?;
    let base = Base::read(repo, &index, opts, rebuilt)?;
    clock.mark("index opened");
    if let Some(state) = base.describing(target) {
        drop(index);
        layout.record_index_sound(lock);
        return Ok(Summary {
            state: state.clone(),
            up_to_date: true,
            ..Summary::default()
        });
    }
    let objects = layout.objects();
    // Past the auto-pack threshold, new objects go straight into a pack.
    objects.spool_after(opts.auto_pack_loose.saturating_sub(objects.count().objects));
    let step = Step {
        repo,
        layout,
        objects: &objects,
        index: &index,
        target,
        opts,
        progress,
    };
    let (mut patch, fresh, mut summary) = step.patch_paths(&base)?;
    clock.mark("changed paths: diff, objects, rows");
    failpoint::hit("objects_written");
    // The edge pass reads the new objects: the spooled ones must be in their pack.
    let spooled = objects.finish_spool()?;
    clock.mark("spooled objects packed");
    patch.finish_bulk()?;
    clock.mark("sorted runs loaded (rebuild)");
    let everything = fresh.is_some();
    links::recompute(
        repo,
        &target.tree,
        &objects,
        opts.limits,
        everything,
        &mut patch,
    )?;
    clock.mark("imports resolved");
    derived::maybe_write_graph(&layout.graph_path(), &mut patch)?;
    clock.mark("graph written");
    let label = bloom::Label {
        tree: target.tree.to_hex(),
        commit: target
            .commit
            .as_ref()
            .map(|c| c.to_hex())
            .unwrap_or_default(),
    };
    let rebuild_bloom = derived::extend_bloom(&layout.bloom_path(), &label, &mut patch)?;
    clock.mark("bloom filter extended");
    failpoint::hit("before_commit");
    summary.state = commit(patch, target, started)?;
    clock.mark("index committed");
    let count = objects.flush_count()?;
    if spooled || count.objects > opts.auto_pack_loose {
        // As git packs past gc.auto loose objects: 10M loose files would cost tens of GB.
        objects.pack_loose()?;
    }
    clock.mark("loose objects packed");
    let index = install(index, fresh, &path, &summary)?;
    clock.mark("index installed");
    if rebuild_bloom {
        failpoint::hit("before_bloom");
        // Only now: a filter must never lack a name of a committed state it is labelled with.
        derived::write_bloom(&layout.bloom_path(), &label, &index, summary.state.names)?;
    }
    drop(index);
    // Closed: as it is now, the file is what this process wrote.
    layout.record_index_sound(lock);
    clock.mark("bloom filter written");
    summary.phases = clock.phases();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// What the index describes before the update, and whether it can be patched.
struct Base {
    state: Option<State>,
    /// The indexed tree, when it is patched (not rebuilt).
    old_tree: Option<TreeId>,
    /// Why the index is rebuilt from scratch, if it is.
    rebuilt: Option<String>,
}

impl Base {
    fn read(repo: &Repo, index: &Index, opts: &Options, rebuilt: Option<String>) -> Result<Base> {
        let mut rebuilt = rebuilt;
        let state = match index.state() {
            Ok(s) => s,
            Err(e) if error::find::<Damaged>(&e).is_some() => {
                rebuilt = Some(error::rebuild_reason(&e));
                None
            }
            Err(e) => return Err(e),
        };
        let old_tree = match &state {
            Some(s) if !opts.full => {
                let id = TreeId::from_hex(&s.tree)
                    .ok()
                    .filter(|id| repo.has_tree(id));
                if id.is_none() {
                    rebuilt = Some(format!(
                        "the indexed tree {} is no longer in the repository",
                        s.tree
                    ));
                }
                id
            }
            _ => None,
        };
        Ok(Base {
            state,
            old_tree,
            rebuilt,
        })
    }

    /// The state, when it already describes `target`.
    fn describing(&self, target: &Target) -> Option<&State> {
        let (state, old) = (self.state.as_ref()?, self.old_tree.as_ref()?);
        let commit = target.commit.as_ref().map(|c| c.to_hex());
        (*old == target.tree && state.commit == commit).then_some(state)
    }

    fn generation(&self) -> u64 {
        self.state.as_ref().map_or(0, |s| s.generation)
    }
}

/// The parts of one update that patch the paths.
struct Step<'a> {
    repo: &'a Repo,
    layout: &'a Store,
    objects: &'a Objects,
    index: &'a Index,
    target: &'a Target,
    opts: &'a Options,
    progress: &'a dyn Progress,
}

impl Step<'_> {
    /// Applies the tree diff from the base (or, rebuilding, from the empty tree) in one
    /// write transaction. Returns it, the new index file when rebuilding, and the summary.
    fn patch_paths(&self, base: &Base) -> Result<(Patch, Option<PathBuf>, Summary)> {
        let mut summary = Summary {
            rebuilt: base.rebuilt.clone(),
            ..Summary::default()
        };
        let mut fresh = None;
        let mut patch = match base.old_tree {
            Some(_) => self.index.begin()?,
            None => rebuild::begin(self.layout, base.generation(), &mut fresh)?,
        };
        match self.apply(base.old_tree.as_ref(), &mut patch, &mut summary) {
            Ok(()) => Ok((patch, fresh, summary)),
            Err(e) if base.old_tree.is_some() && error::find::<NeedsRebuild>(&e).is_some() => {
                // An old object could not be recovered, so its postings cannot be
                // retracted exactly: start over from the empty tree.
                drop(patch);
                let mut summary = Summary {
                    rebuilt: Some(error::rebuild_reason(&e)),
                    ..Summary::default()
                };
                let mut patch = rebuild::begin(self.layout, base.generation(), &mut fresh)?;
                self.apply(None, &mut patch, &mut summary)?;
                Ok((patch, fresh, summary))
            }
            Err(e) => Err(e),
        }
    }

    fn apply(&self, old: Option<&TreeId>, patch: &mut Patch, summary: &mut Summary) -> Result<()> {
        let diff = apply::Diff {
            repo: self.repo,
            objects: self.objects,
            old,
            new: &self.target.tree,
            opts: self.opts,
            progress: self.progress,
        };
        diff.apply(patch, summary)
    }
}

/// Records the target in the index and commits.
fn commit(patch: Patch, target: &Target, started: Instant) -> Result<State> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let ms = started.elapsed().as_millis() as u64;
    let commit = target.commit.as_ref().map(|c| c.to_hex());
    patch.commit(&target.tree.to_hex(), commit.as_deref(), now, ms)
}

/// Puts the committed index in place: a rebuilt file replaces the old one (readers that
/// opened it keep reading it; written in key order, it needs no rewrite), and an index
/// most of which was just written in random name order is rewritten in order.
fn install(index: Index, fresh: Option<PathBuf>, path: &Path, summary: &Summary) -> Result<Index> {
    match fresh {
        Some(fresh) => {
            drop(index);
            failpoint::hit("before_rename");
            std::fs::rename(&fresh, path)
                .with_context(|| format!("{}: cannot replace the index", path.display()))?;
            Index::open_write(path)
        }
        None if summary.changed >= REWRITE_AFTER_CHANGES
            && summary.changed * 2 >= summary.state.files =>
        {
            index.rewrite_sorted(path)
        }
        None => Ok(index),
    }
}
