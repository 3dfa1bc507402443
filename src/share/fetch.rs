//! `share fetch`: merge the remote's notes, find the nearest noted commit of HEAD's
//! history, import its packs (every object checked) and, in a fresh clone, its index
//! snapshot.

use std::collections::{BTreeSet, HashMap};

use anyhow::{bail, Context as _, Result};

use super::note::Note;
use super::transport::{unpack, MAX_INDEX_BYTES, MAX_PACK_BYTES};
use super::{ledger, notes, MAX_ANCESTRY, MAX_NOTE_BYTES};
use crate::git::notes::Notes;
use crate::git::Repo;
use crate::model::{BlobId, TreeId};
use crate::pipeline::source::same_as_extracted;
use crate::store::Store;

/// What a fetch found.
#[derive(Debug)]
pub enum FetchOutcome {
    /// The remote has no git-atse notes.
    NoNotes,
    /// No commit of HEAD's history has a note.
    NoNote,
    /// The note of a commit was imported (some of it may have been rejected).
    Imported(FetchReport),
}

/// What a fetch imported and rejected.
#[derive(Debug, Default)]
pub struct FetchReport {
    /// The commit whose note was imported.
    pub commit: String,
    /// Objects imported.
    pub imported: usize,
    /// The tree of the index snapshot installed, if one was.
    pub installed: Option<String>,
    /// Each pack or snapshot rejected (`pack <anchor>`, `the index snapshot <anchor>`),
    /// and why.
    pub rejected: Vec<(String, String)>,
}

/// Fetches `remote`'s notes, merges them with ours, and imports the note of the nearest
/// commit of HEAD's history that has one.
/// Unless `trust_unsigned`, every commit of the remote's notes history that is new here
/// must carry a signature git verifies, or nothing is imported.
pub fn fetch(
    repo: &Repo,
    layout: &Store,
    remote: &str,
    trust_unsigned: bool,
) -> Result<FetchOutcome> {
    let notes = notes(repo);
    if notes.fetch_and_merge(remote, !trust_unsigned)?.is_none() {
        return Ok(FetchOutcome::NoNotes);
    }
    let by_object: HashMap<String, String> =
        notes.list()?.into_iter().map(|(n, o)| (o, n)).collect();
    let Some(head) = repo.resolve("HEAD")?.and_then(|h| h.commit) else {
        bail!("HEAD has no commit yet");
    };
    let Some((commit, note)) = notes
        .ancestry(&head.to_hex(), MAX_ANCESTRY)?
        .into_iter()
        .find_map(|c| by_object.get(&c).map(|n| (c.clone(), n.clone())))
    else {
        return Ok(FetchOutcome::NoNote);
    };
    let text = notes
        .read_blob(&note, MAX_NOTE_BYTES)
        .context("cannot read the commit note")?;
    let note = Note::parse(&String::from_utf8_lossy(&text))
        .with_context(|| format!("the note on commit {commit} was rejected"))?;
    let mut report = FetchReport {
        commit,
        ..FetchReport::default()
    };
    let budget = expansion_budget(notes.repo_bytes()?);
    // The snapshot installs on its own thread while the packs are imported: the two are
    // independent, and each leaves a core idle on its own.
    let sync = repo.sync();
    let (notes, by_object) = (&notes, &by_object);
    std::thread::scope(|scope| -> Result<()> {
        let snapshot = note.index.map(|(anchor, tree)| {
            let sync = &sync;
            scope.spawn(move || {
                let repo = Repo::from_sync(sync);
                let max = budget.min(MAX_INDEX_BYTES);
                let result =
                    install_snapshot(&repo, layout, notes, by_object, (&anchor, &tree), max);
                (anchor, tree, result)
            })
        });
        import_packs(
            repo,
            layout,
            notes,
            by_object,
            (note.packs, budget),
            &mut report,
        )?;
        if let Some(handle) = snapshot {
            let (anchor, tree, result) = handle
                .join()
                .map_err(|_| anyhow::anyhow!("internal error: the snapshot thread panicked"))?;
            match result {
                Ok(true) => report.installed = Some(tree),
                Ok(false) => {}
                Err(e) => report
                    .rejected
                    .push((format!("the index snapshot {anchor}"), format!("{e:#}"))),
            }
        }
        Ok(())
    })?;
    Ok(FetchOutcome::Imported(report))
}

/// Imports the `packs` a note names (see `fetch`), each checked object by object.
fn import_packs(
    repo: &Repo,
    layout: &Store,
    notes: &Notes,
    by_object: &HashMap<String, String>,
    (packs, budget): (Vec<String>, u64),
    report: &mut FetchReport,
) -> Result<()> {
    let (_, have) = ledger::read(layout);
    let mut have: BTreeSet<String> = have.into_iter().collect();
    // What all the packs may expand to, together.
    let mut left = budget;
    let objects = layout.objects();
    let known = |id: &BlobId| repo.has_blob(id);
    let mut record = Vec::new();
    for anchor in packs {
        // Each pack once, however many lines name it.
        if !have.insert(anchor.clone()) {
            continue;
        }
        let max = left.min(MAX_PACK_BYTES);
        let result = (|| -> Result<Vec<BlobId>> {
            let Some(pack_note) = by_object.get(&anchor) else {
                bail!("no pack is attached to it");
            };
            let mut incoming = objects.incoming()?;
            notes.read_blob_with(pack_note, max, |blob| unpack(blob, &mut incoming, max))?;
            let size = std::fs::metadata(incoming.temp_path()).map_or(max, |m| m.len());
            left = left.saturating_sub(size);
            // A sample is extracted again here and must match byte for byte.
            let sync = repo.sync();
            let check = |id: &BlobId, bytes: &[u8]| same_as_extracted(&sync, id, bytes);
            objects.import_pack(incoming, &known, &check)
        })();
        match result {
            Ok(ids) => {
                report.imported += ids.len();
                record.push(format!("pack {anchor}"));
                record.extend(ids.iter().map(|id| format!("object {}", id.to_hex())));
            }
            Err(e) => report
                .rejected
                .push((format!("pack {anchor}"), format!("{e:#}"))),
        }
    }
    ledger::append(layout, &record)
}

/// Makes the snapshot of `tree` (the note of `anchor`) this worktree's index, when it has
/// none yet (a fresh clone); an index kept up to date here is never replaced. Returns
/// whether it was installed.
fn install_snapshot(
    repo: &Repo,
    layout: &Store,
    notes: &Notes,
    by_object: &HashMap<String, String>,
    (anchor, tree): (&str, &str),
    max: u64,
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
        notes.read_blob_with(blob, max, |b| unpack(b, &mut file, max))?;
        file.sync_all()
            .with_context(|| format!("{}: cannot sync", tmp.display()))?;
        drop(file);
        crate::pipeline::snapshot::adopt(repo, layout, &lock, &tmp, &tree)?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result.map(|()| true)
}

/// What a fetch may expand to on disk, packs and snapshot each: a sane multiple of the
/// repository's own objects (an index and its objects are a fraction of the source they
/// describe), and never less than 64 MiB.
fn expansion_budget(repo_bytes: u64) -> u64 {
    repo_bytes.saturating_mul(16).max(64 << 20)
}
