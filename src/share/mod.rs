//! `share`: prebuilt objects (and index snapshots) travel between clones as git notes.
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
//!
//! Split by job: `note` (the commit note, parsed and printed in one type), `ledger` (what
//! this clone published or imported), `transport` (bounded zstd frames as note blobs),
//! `push` and `fetch`.

mod fetch;
mod ledger;
pub mod note;
mod push;
mod transport;

use crate::git::notes::Notes;
use crate::git::Repo;

pub use fetch::{fetch, FetchOutcome, FetchReport};
pub use push::{push, push_shard, PushReport};

/// How far back in HEAD's history a fetch looks for a note.
const MAX_ANCESTRY: usize = 10_000;
/// A commit note longer than this is refused.
const MAX_NOTE_BYTES: u64 = 1 << 20;

/// The notes of the repository `repo`.
fn notes(repo: &Repo) -> Notes {
    Notes::at(&repo.work_dir().unwrap_or_else(|| repo.git_dir()))
}
