//! The update pipeline, where `git`, `extract` and `store` meet: bring a worktree's index
//! from the tree it describes to a target tree, touching only the changed paths.
//!
//! ```text
//! producer thread: gix tree diff -> batches of changes -> parallel (read blob, extract or
//!                  load object, write object) -> bounded channel
//! this thread:     apply each batch to the one redb write transaction -> commit
//! ```
//! Objects are written before the index that refers to them commits, so a process killed at
//! any moment leaves the old index (and some harmless extra objects) behind.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context as _, Result};
use gix::ObjectId;
use rayon::prelude::*;

use crate::extract::{self, Extractor, Limits};
use crate::git::{self, repo::BlobData, Repo, Target};
use crate::model::{FileIndex, SkipReason};
use crate::store::index::{self, FileChange, Index, Side, State};
use crate::store::objects::{Lookup, Objects};
use crate::store::{self, BlobId, Layout, UpdateLock};

/// `atse.maxFileSize`: blobs larger than this are skipped.
pub const MAX_FILE_SIZE_KEY: &str = "atse.maxFileSize";

/// An update that changed at least this many paths, and at least half the files, rewrites
/// the index in key order afterwards (see `Index::rewrite_sorted`).
const REWRITE_AFTER_CHANGES: u64 = 2000;

/// Changed paths handled per batch: bounds memory whatever the tree size.
const BATCH: usize = 1024;

/// How an update runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Rebuild from the empty tree instead of patching.
    pub full: bool,
    /// Bounds per blob.
    pub limits: Limits,
    /// Pack the loose objects once there are more than this many (`atse.autoPackLoose`).
    pub auto_pack_loose: u64,
}

/// `atse.autoPackLoose`: loose objects beyond which an update packs them (git's gc.auto).
pub const AUTO_PACK_LOOSE_KEY: &str = "atse.autoPackLoose";
/// Its default, git's own `gc.auto`.
pub const AUTO_PACK_LOOSE_DEFAULT: u64 = 6700;

impl Options {
    /// The options configured in git config, rebuilding from scratch when `full`.
    pub fn from_config(repo: &Repo, full: bool) -> Result<Options> {
        Ok(Options {
            full,
            limits: limits_from_config(repo)?,
            auto_pack_loose: repo
                .config_u64(AUTO_PACK_LOOSE_KEY)?
                .unwrap_or(AUTO_PACK_LOOSE_DEFAULT),
        })
    }
}

/// Receives progress; implemented by the command layer (a progress bar, or nothing).
pub trait Progress: Sync {
    /// The number of changed paths, once known (only counted when `wants_total`).
    fn total(&self, _n: u64) {}
    /// Whether counting the changes beforehand is worth a second tree diff.
    fn wants_total(&self) -> bool {
        false
    }
    /// `n` more paths done.
    fn advance(&self, _n: u64) {}
}

/// No progress reporting.
pub struct Silent;
impl Progress for Silent {}

/// What an update did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// The index state afterwards.
    pub state: State,
    /// Whether the index already described the target.
    pub up_to_date: bool,
    /// Changed paths seen in the diff.
    pub changed: u64,
    /// Blobs parsed in this run.
    pub extracted: u64,
    /// Blobs whose object already existed.
    pub reused: u64,
    /// Blobs skipped in this run (binary, too large, timeout).
    pub skipped: u64,
    /// Why the index was rebuilt from scratch, if it was.
    pub rebuilt: Option<String>,
    /// Wall time.
    pub seconds: f64,
}

/// The limits configured in git config (or the defaults).
pub fn limits_from_config(repo: &Repo) -> Result<Limits> {
    let mut limits = Limits::default();
    if let Some(n) = repo.config_u64(MAX_FILE_SIZE_KEY)? {
        limits.max_file_bytes = n;
    }
    Ok(limits)
}

/// Brings the worktree's index to `target`. The caller holds the update lock, which is
/// what makes this process the only writer.
pub fn update(
    repo: &Repo,
    layout: &Layout,
    _lock: &UpdateLock,
    target: &Target,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Summary> {
    let started = Instant::now();
    let path = layout.index_path();
    let (index, mut rebuilt) = open_or_recreate(&path)?;
    let base = match index.state() {
        Ok(s) => s,
        Err(e) if e.chain().any(|c| c.is::<index::Corrupt>()) => {
            rebuilt = Some(format!("{e:#}"));
            None
        }
        Err(e) => return Err(e),
    };
    let old_tree = match &base {
        Some(s) if !opts.full => {
            let id = repo.parse_id(&s.tree).ok().filter(|id| repo.has_object(id));
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
    let commit_hex = target.commit.map(|c| c.to_string());
    if let (Some(s), Some(old)) = (&base, old_tree) {
        if old == target.tree && s.commit == commit_hex {
            return Ok(Summary {
                state: s.clone(),
                up_to_date: true,
                ..Summary::default()
            });
        }
    }

    let objects = layout.objects();
    // Past the auto-pack threshold, new objects go straight into a pack.
    objects.spool_after(opts.auto_pack_loose.saturating_sub(objects.count().objects));
    let mut summary = Summary {
        rebuilt,
        ..Summary::default()
    };
    let generation = base.as_ref().map_or(0, |s| s.generation);
    let mut fresh = None;
    let mut patch = match old_tree {
        Some(_) => index.begin()?,
        None => begin_rebuild(layout, generation, &mut fresh)?,
    };
    match apply_diff(
        repo,
        &objects,
        old_tree,
        target.tree,
        opts,
        progress,
        &mut patch,
        &mut summary,
    ) {
        Ok(()) => {}
        Err(e) if old_tree.is_some() && e.is::<NeedsRebuild>() => {
            // An old object could not be recovered, so its postings cannot be retracted
            // exactly: start over from the empty tree.
            drop(patch);
            summary = Summary {
                rebuilt: Some(format!("{e:#}")),
                ..Summary::default()
            };
            patch = begin_rebuild(layout, generation, &mut fresh)?;
            apply_diff(
                repo,
                &objects,
                None,
                target.tree,
                opts,
                progress,
                &mut patch,
                &mut summary,
            )?;
        }
        Err(e) => return Err(e),
    }
    // The edge pass reads the new objects: the spooled ones must be in their pack.
    let spooled = objects.finish_spool()?;
    patch.finish_bulk()?;
    let tree_hex = target.tree.to_string();
    crate::edges::recompute(
        repo,
        target.tree,
        &objects,
        opts.limits,
        fresh.is_some(),
        &mut patch,
    )?;
    let graph_path = layout.local.join("graph");
    maybe_write_graph(&graph_path, &mut patch)?;
    let bloom_path = layout.local.join("bloom");
    let label = store::bloom::Label {
        tree: tree_hex.clone(),
        commit: commit_hex.clone().unwrap_or_default(),
    };
    let rebuild_bloom = extend_bloom(&bloom_path, &label, &mut patch)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let ms = started.elapsed().as_millis() as u64;
    summary.state = patch.commit(&tree_hex, commit_hex.as_deref(), now, ms)?;
    let count = objects.flush_count()?;
    if spooled || count.objects > opts.auto_pack_loose {
        // As git packs past gc.auto loose objects: 10M loose files would cost tens of GB.
        objects.pack_loose()?;
    }
    let index = match fresh {
        Some(fresh) => {
            // The rebuilt index replaces the old one (readers that opened it keep reading
            // it); written in key order, it needs no rewrite.
            drop(index);
            std::fs::rename(&fresh, &path)
                .with_context(|| format!("{}: cannot replace the index", path.display()))?;
            Index::open_write(&path)?
        }
        None if summary.changed >= REWRITE_AFTER_CHANGES
            && summary.changed * 2 >= summary.state.files =>
        {
            // Most of the index was just written in random name order: rewrite it in order.
            index.rewrite_sorted(&path)?
        }
        None => index,
    };
    if rebuild_bloom {
        // Only now: a filter must never lack a name of a committed state it is labelled with.
        write_bloom(&bloom_path, &label, &index, summary.state.names)?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// A new graph base is written once this many files (or a sixteenth of them) changed edges
/// since the last one: a 1-file commit never rewrites a large graph file.
const GRAPH_REBUILD_DIRTY: u64 = 1024;
/// ... but never more than this many: every query that reads the graph loads the dirty
/// set's edges, so it must stay bounded whatever the repository size (rewriting the base
/// of 10M files every 65k changed files costs them well under a millisecond each).
const GRAPH_REBUILD_DIRTY_MAX: u64 = 65_536;

/// Writes a new graph file (CSR base) when the dirty set has grown past the threshold or
/// there is none, and forgets the dirty set in the same transaction. The file carries the
/// generation this transaction commits as; if the commit never happens, readers see a
/// generation mismatch and ignore the file.
fn maybe_write_graph(path: &Path, patch: &mut index::Patch) -> Result<()> {
    let dirty = patch.dirty_count()?;
    let files = patch.state().files;
    let threshold = GRAPH_REBUILD_DIRTY
        .max(files / 16)
        .min(GRAPH_REBUILD_DIRTY_MAX);
    let due = dirty >= threshold || (dirty > 0 && !path.exists());
    if !due {
        return Ok(());
    }
    patch.write_graph(path)
}

/// Makes the index file `snapshot`, which came from elsewhere (a shared snapshot of
/// `tree`), this worktree's index. It must pass `Index::verify_foreign`, describe `tree`,
/// and hold, for every file, the blob `tree` has at its path; otherwise it is rejected
/// and the worktree's index is untouched. Then its graph and Bloom filter are written.
/// The caller holds the update lock. `update` then catches up from `tree` incrementally.
pub fn adopt_snapshot(
    repo: &Repo,
    layout: &Layout,
    _lock: &UpdateLock,
    snapshot: &Path,
    tree: ObjectId,
) -> Result<State> {
    let started = Instant::now();
    let (state, files) = Index::verify_foreign(snapshot)?;
    if repo.parse_id(&state.tree).ok() != Some(tree) {
        bail!("it describes tree {}, not {tree}", state.tree);
    }
    let mut want: std::collections::HashMap<Vec<u8>, BlobId> = files.into_iter().collect();
    git::diff::changes(repo, None, tree, BATCH, &mut |batch| {
        for c in batch {
            if let (Some(blob), Some(new)) = (want.get(&c.path), c.new) {
                if blob.as_bytes() != new.as_bytes() {
                    bail!(
                        "it has another blob than the tree at {}",
                        String::from_utf8_lossy(&c.path)
                    );
                }
                want.remove(&c.path);
            }
        }
        Ok(())
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
    patch.write_graph(&layout.local.join("graph"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let ms = started.elapsed().as_millis() as u64;
    let state = patch.commit(&state.tree, state.commit.as_deref(), now, ms)?;
    let label = store::bloom::Label {
        tree: state.tree.clone(),
        commit: state.commit.clone().unwrap_or_default(),
    };
    write_bloom(&layout.local.join("bloom"), &label, &index, state.names)?;
    Ok(state)
}

/// Adds the names this update defined for the first time to the Bloom filter before the
/// commit, so that it answers for the old state and the new one. Returns true when the
/// filter is missing or full: it is then removed now (no filter: every lookup asks the
/// index) and must be rebuilt after the commit.
fn extend_bloom(
    path: &Path,
    label: &store::bloom::Label,
    patch: &mut index::Patch,
) -> Result<bool> {
    let fresh = patch.take_fresh_names()?;
    let names: Vec<&[u8]> = fresh.iter().map(|n| n.as_bytes()).collect();
    // A rebuild records no fresh names: its filter must be rebuilt whole. Otherwise the
    // label moves to the new tree even when no name is new.
    if patch.tracks_fresh() && store::bloom::extend(path, label, &names).unwrap_or(false) {
        return Ok(false);
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => {
            Err(e).with_context(|| format!("{}: cannot remove the Bloom filter", path.display()))
        }
    }
}

/// Writes a Bloom filter of the committed names, with room to grow.
fn write_bloom(path: &Path, label: &store::bloom::Label, index: &Index, names: u64) -> Result<()> {
    let mut bloom = store::bloom::Builder::new((names * 2).max(1024));
    index.all_names(|n| bloom.insert(n.as_bytes()))?;
    bloom.write(path, label)
}

/// Starts a rebuild from the empty tree in a new file beside the index (`fresh` is set to
/// it), renamed over the index once committed. Deleting the old tables in place would keep
/// their pages allocated until the commit and double the file; and a rebuild killed
/// midway leaves the old index untouched. The generation continues from `generation`, so
/// that no graph file written for the old index passes for the new one's.
fn begin_rebuild(
    layout: &Layout,
    generation: u64,
    fresh: &mut Option<std::path::PathBuf>,
) -> Result<index::Patch> {
    let tmp = layout.index_path().with_extension("redb.rebuild");
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
fn open_or_recreate(path: &Path) -> Result<(Index, Option<String>)> {
    match Index::open_write(path) {
        Ok(i) => Ok((i, None)),
        Err(e) if index::is_lock_conflict(&e) => Err(e),
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

/// An old blob's contribution cannot be known: the update must rebuild from scratch.
#[derive(Debug)]
struct NeedsRebuild(String);
impl std::fmt::Display for NeedsRebuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for NeedsRebuild {}

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

/// The keys a file's imports are filed under.
fn import_keys(index: &FileIndex) -> Vec<String> {
    let mut keys: Vec<String> = index
        .imports
        .iter()
        .flat_map(|i| crate::resolve::import_keys(index.lang, &i.path))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[allow(clippy::too_many_arguments)]
fn apply_diff(
    repo: &Repo,
    objects: &Objects,
    old: Option<ObjectId>,
    new: ObjectId,
    opts: &Options,
    progress: &dyn Progress,
    patch: &mut index::Patch,
    summary: &mut Summary,
) -> Result<()> {
    if progress.wants_total() {
        let mut n = 0u64;
        git::diff::changes(repo, old, new, BATCH, &mut |b| {
            n += b.len() as u64;
            Ok(())
        })?;
        progress.total(n);
    }
    let sync = repo.sync();
    let (tx, rx) = mpsc::sync_channel::<Result<Vec<Prepared>>>(2);
    std::thread::scope(|scope| -> Result<()> {
        let producer = scope.spawn(|| {
            let repo = Repo::from_sync(&sync);
            let result = git::diff::changes(&repo, old, new, BATCH, &mut |batch| {
                let prepared = prepare(&sync, objects, opts.limits, batch);
                let failed = prepared.is_err();
                tx.send(prepared).map_err(|_| anyhow!("update aborted"))?;
                if failed {
                    return Err(anyhow!("update aborted"));
                }
                Ok(())
            });
            drop(tx);
            result
        });
        let mut ops_failed = None;
        for batch in rx.iter() {
            let batch = match batch {
                Ok(b) => b,
                Err(e) => {
                    ops_failed = Some(e);
                    break;
                }
            };
            if let Err(e) = apply_batch(patch, &batch, summary) {
                ops_failed = Some(e);
                break;
            }
            progress.advance(batch.len() as u64);
        }
        drop(rx); // unblocks the producer if we stopped early
        let produced = producer
            .join()
            .map_err(|_| anyhow!("internal error: the diff thread panicked"))?;
        if let Some(e) = ops_failed {
            return Err(e);
        }
        produced
    })
}

fn apply_batch(patch: &mut index::Patch, batch: &[Prepared], summary: &mut Summary) -> Result<()> {
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

/// Reads, extracts and stores the objects of one batch on all cores.
fn prepare(
    sync: &gix::ThreadSafeRepository,
    objects: &Objects,
    limits: Limits,
    batch: Vec<git::Change>,
) -> Result<Vec<Prepared>> {
    batch
        .into_par_iter()
        .map_init(
            || (Repo::from_sync(sync), Extractor::new(limits)),
            |(repo, extractor), change| {
                let name = change
                    .path
                    .rsplit(|&b| b == b'/')
                    .next()
                    .unwrap_or(&change.path);
                let is_config = crate::resolve::CONFIG_FILES
                    .iter()
                    .any(|c| c.as_bytes() == name);
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
                    p.old = old_object(repo, extractor, objects, &p.path, old)?;
                }
                if let Some(new) = change.new {
                    let blob = blob_id(&new)?;
                    if let Some(got) = object_for(repo, extractor, objects, &p.path, &new, &blob)? {
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
            },
        )
        .collect()
}

fn blob_id(id: &ObjectId) -> Result<BlobId> {
    BlobId::from_bytes(id.as_bytes())
}

struct Got {
    index: FileIndex,
    extracted: bool,
}

/// The object of blob `id` at `path`: loaded when a sound one exists, else extracted (and
/// stored). `None` when the path is not in a supported language.
fn object_for(
    repo: &Repo,
    extractor: &mut Extractor,
    objects: &Objects,
    path: &[u8],
    id: &ObjectId,
    blob: &BlobId,
) -> Result<Option<Got>> {
    let by_path = extract::lang::by_path(path);
    if by_path.is_none() && extract::lang::has_extension(path) {
        return Ok(None);
    }
    let store = match objects.read(blob)? {
        Lookup::Found(index) if by_path.is_none_or(|l| l == index.lang) => {
            return Ok(Some(Got {
                index,
                extracted: false,
            }));
        }
        // The same bytes are another language at another path (`x.c` and `x.h`): that
        // object stays, and this path's is extracted without being stored, so the stored
        // object remains a function of the blob alone.
        Lookup::Found(_) => false,
        Lookup::Missing | Lookup::Unusable(_) => true,
    };
    let Some(index) = extract_blob(repo, extractor, path, id, by_path)? else {
        return Ok(None);
    };
    if store {
        objects.write(blob, &index)?;
    }
    Ok(Some(Got {
        index,
        extracted: true,
    }))
}

/// Reads and extracts a blob; `None` when it turns out not to be a supported language.
pub(crate) fn extract_blob(
    repo: &Repo,
    extractor: &mut Extractor,
    path: &[u8],
    id: &ObjectId,
    by_path: Option<crate::model::Lang>,
) -> Result<Option<FileIndex>> {
    let data = match repo.read_blob(id, extractor.limits().max_file_bytes)? {
        BlobData::Data(d) => d,
        BlobData::TooLarge(_) => {
            return Ok(by_path.map(|lang| FileIndex::skipped(lang, SkipReason::TooLarge)));
        }
    };
    let Some(lang) = by_path.or_else(|| extract::detect_lang(path, &data)) else {
        return Ok(None);
    };
    extractor
        .extract(lang, &data)
        .map(Some)
        .with_context(|| format!("{}: extraction failed", String::from_utf8_lossy(path)))
}

/// What the old blob at `path` contributed, to retract it. Falls back to extracting the
/// blob again when its object is missing or damaged; fails with [`NeedsRebuild`] when even
/// the blob is gone.
fn old_object(
    repo: &Repo,
    extractor: &mut Extractor,
    objects: &Objects,
    path: &[u8],
    id: ObjectId,
) -> Result<Option<FileIndex>> {
    let blob = blob_id(&id)?;
    if !repo.has_object(&id) {
        if extract::lang::by_path(path).is_none() && extract::lang::has_extension(path) {
            return Ok(None);
        }
        if let Lookup::Found(index) = objects.read(&blob)? {
            return Ok(Some(index));
        }
        return Err(NeedsRebuild(format!(
            "blob {id} ({}) is gone from git and its object is missing or damaged",
            String::from_utf8_lossy(path)
        ))
        .into());
    }
    Ok(object_for(repo, extractor, objects, path, &id, &blob)?.map(|g| g.index))
}
