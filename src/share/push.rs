//! `share push`: publish the objects the remote lacks as one pack, and now and then a
//! snapshot of the index, under a note on the indexed commit.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use anyhow::{bail, Context as _, Result};

use super::note::Note;
use super::transport::{publish_file, tempfile_in};
use super::{ledger, notes, MAX_ANCESTRY, MAX_NOTE_BYTES};
use crate::format::shard::ShardRecord;
use crate::git::notes::Notes;
use crate::git::Repo;
use crate::model::TreeId;
use crate::store::index::{Index, State};
use crate::store::objects::pack::Builder;
use crate::store::Store;

/// What a push published.
#[derive(Debug)]
pub struct PushReport {
    /// Objects published for the first time.
    pub new_objects: usize,
    /// The commit the note is on.
    pub commit: String,
    /// The tree of the index snapshot published by this push, if one was.
    pub snapshot_tree: Option<String>,
    /// Whether the notes commit was signed.
    pub signed: bool,
    /// Pushes it took (more than one when other publishers pushed at the same moment).
    pub pushes: u32,
}

/// Publishes to `remote` the objects of `index` (this worktree's, current) that it lacks,
/// under a note on the indexed commit.
pub fn push(repo: &Repo, layout: &Store, index: Index, remote: &str) -> Result<PushReport> {
    let state = index.state()?.unwrap_or_default();
    let Some(commit) = state.commit.clone() else {
        bail!("the index describes a tree, not a commit: nothing to attach a note to");
    };
    let notes = notes(repo);
    let before = notes.tip();
    // Merge what the remote already has first, so that we publish only what it lacks. (It
    // is verified where it is imported, not here.)
    let fetched = notes.fetch_and_merge(remote, false)?;
    let (published, mut packs) = ledger::read(layout);
    let tmp_dir = &layout.common;
    let pack = new_objects(layout, index, &published)?;
    let new = pack.ids();
    let mut record = Vec::new();
    if !new.is_empty() {
        let tmp = tempfile_in(tmp_dir, "pack")?;
        pack.finish(&tmp)?;
        let anchor = publish_file(&notes, &tmp, "atse-pack")?;
        packs.push(anchor.clone());
        record.push(format!("pack {anchor}"));
        record.extend(new.iter().map(|id| format!("object {}", id.to_hex())));
    }
    let snapshot = match nearest_snapshot(&notes, &commit)? {
        Some(s) if !drifted(repo, &s.tree, &state)? => s,
        _ => publish_snapshot(layout, &notes)?,
    };
    let note = Note {
        tree: Some(state.tree.clone()),
        packs,
        index: Some((snapshot.anchor.clone(), snapshot.tree.clone())),
    };
    let note_blob = notes.write_blob(note.print().as_bytes())?;
    notes.set(&commit, &note_blob)?;
    let (signed, pushes) = seal_and_push(&notes, remote, [before, fetched])?;
    ledger::append(layout, &record)?;
    Ok(PushReport {
        new_objects: new.len(),
        commit,
        snapshot_tree: snapshot.new.then_some(snapshot.tree),
        signed,
        pushes,
    })
}

/// Pushes at most this many times: others pushing at the same moment (N shard jobs of a CI
/// matrix) make a push lose the race; each retry merges what won.
const MAX_PUSHES: u32 = 10;

/// Seals what this publish added to our notes into one commit on `parents` (the merge
/// included), signed whenever git's signing is configured (`share fetch` verifies every
/// commit that brings data), and pushes it. When the remote moved meanwhile (another
/// publisher won the race), fetches and union-merges its notes, seals again and retries,
/// with a randomised, growing wait, at most [`MAX_PUSHES`] times. Returns whether it signed
/// and how many pushes it took.
fn seal_and_push(notes: &Notes, remote: &str, parents: [Option<String>; 2]) -> Result<(bool, u32)> {
    let signed = notes.signing_configured();
    let parents: Vec<String> = parents.into_iter().flatten().collect();
    notes.seal(&parents, signed)?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let err = match notes.push(remote) {
            Ok(()) => return Ok((signed, attempt)),
            Err(e) => e,
        };
        if attempt >= MAX_PUSHES || !lost_race(&err) {
            return Err(err.context(format!("gave up after {attempt} pushes")));
        }
        std::thread::sleep(backoff(attempt));
        let ours = notes.tip();
        let fetched = notes.fetch_and_merge(remote, false)?;
        let parents: Vec<String> = [ours, fetched].into_iter().flatten().collect();
        notes.seal(&parents, signed)?;
    }
}

/// Whether a failed push lost a race with another publisher (rather than failing for good).
fn lost_race(err: &anyhow::Error) -> bool {
    let text = format!("{err:#}");
    [
        "non-fast-forward",
        "fetch first",
        "rejected",
        "cannot lock ref",
        "failed to update ref",
    ]
    .iter()
    .any(|s| text.contains(s))
}

/// The wait before push `attempt + 1`: 50 ms doubling to at most 3.2 s, times a factor in
/// [0.5, 1.5) that differs between processes, so racing publishers do not retry in step.
fn backoff(attempt: u32) -> std::time::Duration {
    let base = 50u64 << attempt.min(6);
    let seed = u64::from(std::process::id())
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos().into());
    let jitter = twox_hash::XxHash3_64::oneshot(&seed.to_le_bytes()) % 1000;
    std::time::Duration::from_millis(base * (500 + jitter) / 1000)
}

/// Publishes the objects an `update --shard K/N` job extracted (its record) that this
/// clone has not published yet, as one pack named by the note on the record's commit
/// (merged with the notes of the other shards' jobs); no index snapshot.
pub fn push_shard(
    repo: &Repo,
    layout: &Store,
    shard: &ShardRecord,
    remote: &str,
) -> Result<PushReport> {
    let notes = notes(repo);
    let before = notes.tip();
    let fetched = notes.fetch_and_merge(remote, false)?;
    let (published, _) = ledger::read(layout);
    let objects = layout.objects();
    let mut pack = Builder::new(&layout.common)?;
    for blob in &shard.objects {
        if published.contains(&blob.to_hex()) {
            continue;
        }
        if let Some(bytes) = objects.raw(blob) {
            pack.add(blob, &bytes)?;
        }
    }
    let new = pack.ids();
    // The note already on the commit (other shards', merged in by the fetch) is kept.
    let mut note = match notes.note_on(&shard.commit)? {
        Some(blob) => Note::parse(&String::from_utf8_lossy(
            &notes.read_blob(&blob, MAX_NOTE_BYTES)?,
        ))
        .unwrap_or_default(),
        None => Note::default(),
    };
    note.tree = Some(shard.tree.clone());
    let mut record = Vec::new();
    if !new.is_empty() {
        let tmp = tempfile_in(&layout.common, "pack")?;
        pack.finish(&tmp)?;
        let anchor = publish_file(&notes, &tmp, "atse-pack")?;
        if !note.packs.contains(&anchor) {
            note.packs.push(anchor.clone());
        }
        record.push(format!("pack {anchor}"));
        record.extend(new.iter().map(|id| format!("object {}", id.to_hex())));
    }
    let note_blob = notes.write_blob(note.print().as_bytes())?;
    notes.set(&shard.commit, &note_blob)?;
    let (signed, pushes) = seal_and_push(&notes, remote, [before, fetched])?;
    ledger::append(layout, &record)?;
    Ok(PushReport {
        new_objects: new.len(),
        commit: shard.commit.clone(),
        snapshot_tree: None,
        signed,
        pushes,
    })
}

/// The objects of `index`'s files not in `published`, in a pack builder (on disk: memory
/// follows their number, not their size).
fn new_objects(layout: &Store, index: Index, published: &HashSet<String>) -> Result<Builder> {
    let objects = layout.objects();
    let paths = index.paths()?;
    let mut pack = Builder::new(&layout.common)?;
    let mut seen = HashSet::new();
    for id in index.file_ids()? {
        let Some((blob, _)) = paths.blob(id)? else {
            continue;
        };
        let hex = blob.to_hex();
        if published.contains(&hex) || !seen.insert(hex) {
            continue;
        }
        if let Some(bytes) = objects.raw(&blob) {
            pack.add(&blob, &bytes)?;
        }
    }
    Ok(pack)
}

/// An index snapshot named by a note.
struct Snapshot {
    /// The anchor blob its (compressed) file is the note of.
    anchor: String,
    /// The tree it describes.
    tree: String,
    /// Published by this push.
    new: bool,
}

/// The snapshot named by the nearest note in `commit`'s history, if any.
fn nearest_snapshot(notes: &Notes, commit: &str) -> Result<Option<Snapshot>> {
    let by_object: HashMap<String, String> =
        notes.list()?.into_iter().map(|(n, o)| (o, n)).collect();
    for c in notes.ancestry(commit, MAX_ANCESTRY)? {
        let Some(note) = by_object.get(&c) else {
            continue;
        };
        let text = notes.read_blob(note, MAX_NOTE_BYTES)?;
        if let Ok(parsed) = Note::parse(&String::from_utf8_lossy(&text)) {
            if let Some((anchor, tree)) = parsed.index {
                return Ok(Some(Snapshot {
                    anchor,
                    tree,
                    new: false,
                }));
            }
        }
    }
    Ok(None)
}

/// Whether the indexed tree has moved from `snapshot_tree` by more than an eighth of its
/// files (at least 1,000 paths): then a new snapshot is worth its size, and the cost of
/// snapshots stays proportional to the change, amortized.
fn drifted(repo: &Repo, snapshot_tree: &str, state: &State) -> Result<bool> {
    let (Ok(old), Ok(new)) = (
        TreeId::from_hex(snapshot_tree),
        TreeId::from_hex(&state.tree),
    ) else {
        return Ok(true);
    };
    if !repo.has_tree(&old) {
        return Ok(true);
    }
    let limit = (state.files / 8).max(1000);
    let mut changed = 0u64;
    let counted = crate::git::diff::changes(repo, Some(&old), &new, 1024, &mut |batch| {
        changed += batch.len() as u64;
        Ok(match changed > limit {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        })
    });
    Ok(counted.is_err() || changed > limit)
}

/// Publishes a compressed copy of this worktree's index (taken under the update lock, so
/// no update is midway) as the note of an anchor blob.
fn publish_snapshot(layout: &Store, notes: &Notes) -> Result<Snapshot> {
    let copy = tempfile_in(&layout.local, "index")?;
    {
        let _lock = layout.lock_update()?;
        std::fs::copy(layout.index_path(), &copy)
            .with_context(|| format!("{}: cannot copy the index", copy.display()))?;
    }
    let tree = Index::open_read(&copy)?
        .map(|i| i.state())
        .transpose()?
        .flatten()
        .map(|s| s.tree)
        .ok_or_else(|| anyhow::anyhow!("the index describes no tree"));
    let result = tree.and_then(|tree| {
        let anchor = publish_file(notes, &copy, "atse-index")?;
        Ok(Snapshot {
            anchor,
            tree,
            new: true,
        })
    });
    let _ = std::fs::remove_file(&copy);
    result
}
