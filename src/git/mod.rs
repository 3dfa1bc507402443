//! `git`: everything that talks to git, through gix. Knows nothing of `store` or `extract`;
//! hands out paths, blob ids (as `store::BlobId`-ready bytes) and blob contents.

pub mod diff;
pub mod head_hint;
pub mod hooks_dir;
pub mod notes;
pub mod repo;

pub use diff::Change;
pub use repo::{Repo, Target};
