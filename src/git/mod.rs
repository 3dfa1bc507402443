//! `git`: everything that talks to git, through gix. Knows nothing of `store` or `extract`;
//! hands out paths, typed ids (`model::BlobId`, `TreeId`, `CommitId`) and blob contents.
//! This is the only module that names gix, and it exports no gix type.

pub(crate) mod cli;
pub mod diff;
pub mod head_hint;
pub mod hooks_dir;
pub mod notes;
pub mod repo;
pub mod status;
pub mod walk;

pub use diff::Change;
pub use repo::{Repo, SyncRepo, Target};

use crate::model::BlobId;
use anyhow::{anyhow, Result};

/// Our id of a gix object id (always a valid length).
pub(crate) fn blob_id(id: &gix::oid) -> BlobId {
    BlobId::from_trusted(id.as_bytes())
}

/// The gix id of raw hash bytes.
pub(crate) fn oid(bytes: &[u8]) -> Result<gix::ObjectId> {
    gix::ObjectId::try_from(bytes).map_err(|e| anyhow!("object id of {} bytes: {e}", bytes.len()))
}
