//! `pipeline`: where `git`, `extract`, `resolve` and `store` meet. Brings a worktree's index
//! from the tree it describes to a target tree, touching only the changed paths, and keeps
//! it there when several processes want it at once.
//!
//! ```text
//! update      the orchestrator: base state, diff, edge pass, derived files, commit
//! apply       the tree diff in batches: objects on all cores, applied to one write txn
//! source      the object of a blob: stored, else extracted (and stored), written once
//! links       the edge pass: imports resolved to files, importers invalidated
//! timings     where an update's time goes, per phase and per kind of work
//! tree_view   what the resolver sees of the tree (index tables, or a path list in memory)
//! derived     the graph file and the Bloom filter, written beside the index
//! overlay     what another tree (a revision, the staged tree) changes, for a query
//! rebuild     starting over in a new file; a damaged index recreated
//! snapshot    adopting an index file that came from elsewhere
//! catch_up    the lock protocol that brings the index to HEAD, coalescing updates
//! background  a detached update process, for hooks and queries that must not wait
//! ```
//! Objects are written before the index that refers to them commits, so a process killed at
//! any moment leaves the old index (and some harmless extra objects) behind.

mod apply;
pub mod background;
pub mod catch_up;
mod derived;
pub mod impact;
mod links;
mod mem_tree;
pub mod overlay;
pub mod overlay_deps;
pub mod overlay_rdeps;
pub mod overlay_refs;
mod rebuild;
pub mod shard;
pub mod snapshot;
pub mod source;
pub mod timings;
mod tree_view;
pub mod update;

use crate::config::Config;
use crate::extract::Limits;
use crate::store::index::State;

pub use update::update;

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

impl Options {
    /// The options configured in git config, rebuilding from scratch when `full`.
    pub fn from_config(config: &Config, full: bool) -> Options {
        Options {
            full,
            limits: limits_from_config(config),
            auto_pack_loose: config.auto_pack_loose,
        }
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
    /// The update waits for something (`what`) before it can start.
    fn waiting(&self, _what: &str) {}
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
    /// Wall time per phase (see `timings`).
    pub phases: timings::Seconds,
}

/// The extraction limits configured in git config (or the defaults).
pub fn limits_from_config(config: &Config) -> Limits {
    Limits {
        max_file_bytes: config.max_file_size,
        ..Limits::default()
    }
}
