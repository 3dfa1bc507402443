//! `git atse share push|fetch`: prebuilt objects travel between clones as git notes.
//!
//! A publish writes the objects the remote does not have yet as one pack, stored as the note
//! of a small anchor blob (so the pack is reachable from `refs/notes/atse` and travels with
//! it), then a note on the indexed commit naming every pack published so far:
//! ```text
//! atse-share 1
//! tree <indexed tree>
//! pack <anchor id>        (one line per pack)
//! ```
//! Never one note per object: 10M notes do not scale. A fetch merges the remote's notes with
//! ours (no forced refspec), finds the nearest commit of HEAD's history with a note, and
//! imports its packs after verifying every object; `update` then finds the objects and
//! parses nothing it does not have to.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};

use super::Session;
use crate::cli::ShareCommand;
use crate::git::notes::Notes;
use crate::model::{BlobId, TreeId};

const NOTE_HEADER: &str = "atse-share 1";
/// A commit note longer than this is refused.
const MAX_NOTE_BYTES: u64 = 1 << 20;
/// A pack larger than this is refused.
const MAX_PACK_BYTES: u64 = 4 << 30;
/// An index snapshot larger than this (decompressed) is refused.
const MAX_INDEX_BYTES: u64 = 64 << 30;
/// zstd's default level: 3x smaller than the pack, at several hundred MB/s.
const ZSTD_LEVEL: i32 = 3;
/// A zstd frame starts with these bytes.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// How far back in HEAD's history a fetch looks for a note.
const MAX_ANCESTRY: usize = 10_000;

pub(super) fn run(cmd: &ShareCommand) -> Result<ExitCode> {
    let session = Session::open()?;
    match cmd {
        ShareCommand::Push { remote } => push(&session, remote),
        ShareCommand::Fetch { remote } => fetch(&session, remote),
    }
}

fn notes(session: &Session) -> Notes {
    Notes::at(
        &session
            .repo
            .work_dir()
            .unwrap_or_else(|| session.repo.git_dir()),
    )
}

/// Ids of objects already published (or imported), kept beside the objects.
fn published_path(session: &Session) -> PathBuf {
    session.layout.published_path()
}

fn read_published(session: &Session) -> (HashSet<String>, Vec<String>) {
    let text = std::fs::read_to_string(published_path(session)).unwrap_or_default();
    let mut ids = HashSet::new();
    let mut packs = Vec::new();
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("pack", anchor)) => packs.push(anchor.to_string()),
            Some(("object", id)) => {
                ids.insert(id.to_string());
            }
            _ => {}
        }
    }
    (ids, packs)
}

fn append_published(session: &Session, lines: &[String]) -> Result<()> {
    use std::io::Write;
    let path = published_path(session);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    for l in lines {
        writeln!(f, "{l}").with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(())
}

fn push(session: &Session, remote: &str) -> Result<ExitCode> {
    let Some(index) = session.index_for_query(false)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let state = index.state()?.unwrap_or_default();
    let Some(commit) = state.commit.clone() else {
        bail!("the index describes a tree, not a commit: nothing to attach a note to");
    };
    let notes = notes(session);
    // Merge what the remote already has first, so that we publish only what it lacks.
    notes.fetch_and_merge(remote)?;
    let (published, mut packs) = read_published(session);
    let objects = session.layout.objects();
    let paths = index.paths()?;
    // The new objects go to a pack on disk as they are read (memory follows their number).
    let tmp_dir = &session.layout.common;
    let mut pack = crate::store::objects::pack::Builder::new(tmp_dir)?;
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
    drop(paths);
    drop(index);
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
        Some(s) if !drifted(session, &s.tree, &state)? => s,
        _ => publish_snapshot(session, &notes)?,
    };
    let mut text = format!("{NOTE_HEADER}\ntree {}\n", state.tree);
    for p in &packs {
        text.push_str(&format!("pack {p}\n"));
    }
    text.push_str(&format!("index {} {}\n", snapshot.anchor, snapshot.tree));
    let note_blob = notes.write_blob(text.as_bytes())?;
    notes.set(&commit, &note_blob)?;
    notes.push(remote)?;
    append_published(session, &record)?;
    println!(
        "published {} new objects{} for commit {commit} to {remote}",
        new.len(),
        if snapshot.new {
            format!(" and the index of tree {}", snapshot.tree)
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
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
        if let Ok(parsed) = parse_note(&String::from_utf8_lossy(&text)) {
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
fn drifted(
    session: &Session,
    snapshot_tree: &str,
    state: &crate::store::index::State,
) -> Result<bool> {
    let repo = &session.repo;
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
fn publish_snapshot(session: &Session, notes: &Notes) -> Result<Snapshot> {
    let copy = tempfile_in(&session.layout.local, "index")?;
    {
        let _lock = session.layout.lock_update()?;
        std::fs::copy(session.layout.index_path(), &copy)
            .with_context(|| format!("{}: cannot copy the index", copy.display()))?;
    }
    let tree = crate::store::index::Index::open_read(&copy)?
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

/// Publishes the file at `path` (removed afterwards) as a zstd frame, the note of an
/// anchor blob `<kind> <blob id>`; returns the anchor.
fn publish_file(notes: &Notes, path: &Path, kind: &str) -> Result<String> {
    let frame = path.with_extension("zst");
    let result = (|| -> Result<String> {
        let mut input = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let output = std::fs::File::create(&frame)
            .with_context(|| format!("{}: cannot create", frame.display()))?;
        let mut enc = zstd::stream::write::Encoder::new(output, ZSTD_LEVEL)
            .context("cannot start compressing")?;
        std::io::copy(&mut input, &mut enc).context("cannot compress")?;
        enc.finish().context("cannot compress")?;
        let blob = notes.write_compressed_file(&frame)?;
        let anchor = notes.write_blob(format!("{kind} {blob}\n").as_bytes())?;
        notes.set(&anchor, &blob)?;
        Ok(anchor)
    })();
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(&frame);
    result
}

fn tempfile_in(dir: &Path, what: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    Ok(dir.join(format!(".share-{}.{what}", std::process::id())))
}

/// Copies a published pack to `out`, decompressing a zstd frame (packs published before
/// compression are taken as they are); refuses more than `max` bytes of output, so a small
/// hostile frame cannot fill the disk.
fn unpack(blob: &mut dyn Read, out: &mut dyn Write, max: u64) -> Result<()> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match blob
            .read(&mut head[got..])
            .context("cannot read the pack")?
        {
            0 => break,
            n => got += n,
        }
    }
    let rest = head[..got].chain(blob);
    let mut reader: Box<dyn Read + '_> = if head[..got] == ZSTD_MAGIC {
        Box::new(zstd::stream::read::Decoder::new(rest).context("cannot decompress the pack")?)
    } else {
        Box::new(rest)
    };
    let copied = std::io::copy(&mut (&mut reader).take(max + 1), out)
        .context("cannot decompress the pack")?;
    if copied > max {
        bail!("the pack decompresses to more than {max} bytes");
    }
    Ok(())
}

/// A commit note: the packs it names and the index snapshot (anchor, tree), if any.
struct Note {
    packs: Vec<String>,
    index: Option<(String, String)>,
}

/// Parses a commit note, strictly.
fn parse_note(text: &str) -> Result<Note> {
    let mut lines = text.lines();
    if lines.next() != Some(NOTE_HEADER) {
        bail!("not a git-atse note (or from a newer version)");
    }
    let mut note = Note {
        packs: Vec::new(),
        index: None,
    };
    for line in lines {
        match line.split_once(' ') {
            Some(("tree", _)) => {}
            Some(("pack", id)) if is_hex_id(id) => note.packs.push(id.to_string()),
            Some(("index", rest)) => match rest.split_once(' ') {
                Some((anchor, tree)) if is_hex_id(anchor) && is_hex_id(tree) => {
                    note.index = Some((anchor.to_string(), tree.to_string()));
                }
                _ => bail!("unexpected line {line:?}"),
            },
            _ => bail!("unexpected line {line:?}"),
        }
    }
    Ok(note)
}

fn is_hex_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn fetch(session: &Session, remote: &str) -> Result<ExitCode> {
    let notes = notes(session);
    if !notes.fetch_and_merge(remote)? {
        println!("{remote} has no git-atse notes");
        return Ok(ExitCode::from(1));
    }
    let by_object: HashMap<String, String> =
        notes.list()?.into_iter().map(|(n, o)| (o, n)).collect();
    let Some(head) = session.head()?.and_then(|h| h.commit) else {
        bail!("HEAD has no commit yet");
    };
    let Some((commit, note)) = notes
        .ancestry(&head.to_string(), MAX_ANCESTRY)?
        .into_iter()
        .find_map(|c| by_object.get(&c).map(|n| (c.clone(), n.clone())))
    else {
        println!("no commit of HEAD's history has a git-atse note");
        return Ok(ExitCode::from(1));
    };
    let text = notes
        .read_blob(&note, MAX_NOTE_BYTES)
        .context("cannot read the commit note")?;
    let Note { packs, index } = parse_note(&String::from_utf8_lossy(&text))
        .with_context(|| format!("the note on commit {commit} was rejected"))?;
    // The snapshot installs on its own thread while the packs are imported: the two are
    // independent, and each leaves a core idle on its own.
    let sync = session.repo.sync();
    let layout = &session.layout;
    let (notes_ref, by_object_ref) = (&notes, &by_object);
    std::thread::scope(|scope| -> Result<ExitCode> {
        let snapshot = index.map(|(anchor, tree)| {
            let sync = &sync;
            scope.spawn(move || {
                let repo = crate::git::Repo::from_sync(sync);
                let result =
                    install_snapshot(&repo, layout, notes_ref, by_object_ref, &anchor, &tree);
                (anchor, tree, result)
            })
        });
        import_packs(
            session,
            remote,
            notes_ref,
            by_object_ref,
            &commit,
            packs,
            snapshot,
        )
    })
}

/// Imports the `packs` a note names (see `fetch`), then reports them and the snapshot.
fn import_packs(
    session: &Session,
    remote: &str,
    notes: &Notes,
    by_object: &HashMap<String, String>,
    commit: &str,
    packs: Vec<String>,
    snapshot: Option<std::thread::ScopedJoinHandle<'_, (String, String, Result<bool>)>>,
) -> Result<ExitCode> {
    let (_, have) = read_published(session);
    let have: BTreeSet<String> = have.into_iter().collect();
    let objects = session.layout.objects();
    let repo = &session.repo;
    let known = |id: &BlobId| repo.has_blob(id);
    let mut imported = 0;
    let mut rejected = 0;
    let mut record = Vec::new();
    for anchor in packs {
        if have.contains(&anchor) {
            continue;
        }
        let result = (|| -> Result<Vec<BlobId>> {
            let Some(pack_note) = by_object.get(&anchor) else {
                bail!("no pack is attached to it");
            };
            let mut incoming = objects.incoming()?;
            notes.read_blob_with(pack_note, MAX_PACK_BYTES, |blob| {
                unpack(blob, &mut incoming, MAX_PACK_BYTES)
            })?;
            objects.import_pack(incoming, &known)
        })();
        match result {
            Ok(ids) => {
                imported += ids.len();
                record.push(format!("pack {anchor}"));
                record.extend(ids.iter().map(|id| format!("object {}", id.to_hex())));
            }
            Err(e) => {
                rejected += 1;
                eprintln!("git-atse: rejected pack {anchor} from {remote}: {e:#}");
            }
        }
    }
    append_published(session, &record)?;
    let mut installed = String::new();
    if let Some(handle) = snapshot {
        let (anchor, tree, result) = handle
            .join()
            .map_err(|_| anyhow::anyhow!("internal error: the snapshot thread panicked"))?;
        match result {
            Ok(true) => installed = format!(" and the index of tree {tree}"),
            Ok(false) => {}
            Err(e) => {
                rejected += 1;
                eprintln!("git-atse: rejected the index snapshot {anchor} from {remote}: {e:#}");
            }
        }
    }
    println!(
        "imported {imported} objects{installed} from the note on commit {commit}{}",
        if rejected > 0 {
            format!("; rejected {rejected} packs or snapshots")
        } else {
            String::new()
        }
    );
    Ok(if rejected > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Makes the snapshot of `tree` (the note of `anchor`) this worktree's index, when it has
/// none yet (a fresh clone); an index kept up to date here is never replaced. Returns
/// whether it was installed.
fn install_snapshot(
    repo: &crate::git::Repo,
    layout: &crate::store::Layout,
    notes: &Notes,
    by_object: &HashMap<String, String>,
    anchor: &str,
    tree: &str,
) -> Result<bool> {
    layout.create_dirs()?;
    let lock = layout.lock_update()?;
    if layout
        .open_index_read()?
        .is_some_and(|i| i.state().ok().flatten().is_some())
    {
        return Ok(false);
    }
    let tree = TreeId::from_hex(tree)
        .ok()
        .filter(|t| repo.has_tree(t))
        .ok_or_else(|| anyhow::anyhow!("this repository lacks its tree {tree}"))?;
    let Some(blob) = by_object.get(anchor) else {
        bail!("no index is attached to it");
    };
    let tmp = layout.incoming_path();
    let result = (|| -> Result<()> {
        let mut file = std::fs::File::create(&tmp)
            .with_context(|| format!("{}: cannot create", tmp.display()))?;
        notes.read_blob_with(blob, MAX_INDEX_BYTES, |b| {
            unpack(b, &mut file, MAX_INDEX_BYTES)
        })?;
        file.sync_all()
            .with_context(|| format!("{}: cannot sync", tmp.display()))?;
        drop(file);
        crate::pipeline::snapshot::adopt(repo, layout, &lock, &tmp, &tree)?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result.map(|()| true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn unpacked(blob: &[u8], max: u64) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        unpack(&mut &blob[..], &mut out, max)?;
        Ok(out)
    }

    #[test]
    fn packs_are_unpacked_within_bounds() {
        let pack: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let frame = zstd::bulk::compress(&pack, ZSTD_LEVEL).unwrap();
        assert!(frame.len() < pack.len() / 3);
        assert_eq!(unpacked(&frame, 1 << 20).unwrap(), pack);
        // An uncompressed pack (an earlier publish) is taken as it is.
        assert_eq!(unpacked(&pack, 1 << 20).unwrap(), pack);
        assert_eq!(unpacked(b"ab", 10).unwrap(), b"ab");
        // A small frame of a huge output is cut off at the bound.
        let bomb = zstd::bulk::compress(&vec![0u8; 4 << 20], ZSTD_LEVEL).unwrap();
        let err = unpacked(&bomb, 1 << 20).unwrap_err();
        assert!(
            format!("{err:#}").contains("decompresses to more than"),
            "{err:#}"
        );
        // A damaged frame is an error, not a panic.
        let mut bad = frame.clone();
        bad.truncate(frame.len() / 2);
        bad.extend_from_slice(&[0xff; 64]);
        assert!(unpacked(&bad, 1 << 20).is_err());
    }
}
