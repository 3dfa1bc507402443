//! The errors a caller decides on. Everything else travels as `anyhow::Error` with context
//! and is reported; these three are found in an error's chain with [`find`]:
//!
//! - [`Damaged`]: a file under `.git/atse` failed a check (magic, version, checksum,
//!   structure). It is derived data: treat it as absent and rebuild it.
//! - [`NeedsRebuild`]: an update cannot be applied incrementally (an old blob's
//!   contribution is unknowable); start over from the empty tree.
//! - [`Locked`]: another process holds what this one needs; wait, retry or leave it to them.

use std::fmt;

/// What kind of artifact is damaged; decides the message (and so what the user reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Artifact {
    /// `index.redb`.
    Index,
    /// A container file: `graph`, `bloom`, a pack.
    File,
    /// A per-blob object.
    Object,
}

/// A damaged artifact: treat it as absent and rebuild it.
#[derive(Clone, Debug)]
pub struct Damaged {
    /// What is damaged.
    pub artifact: Artifact,
    /// What is wrong with it.
    pub reason: String,
}

impl Damaged {
    /// A damaged index.
    pub fn index(reason: impl Into<String>) -> Damaged {
        Damaged {
            artifact: Artifact::Index,
            reason: reason.into(),
        }
    }

    /// A damaged container file.
    pub fn file(reason: impl Into<String>) -> Damaged {
        Damaged {
            artifact: Artifact::File,
            reason: reason.into(),
        }
    }

    /// A damaged object.
    pub fn object(reason: impl Into<String>) -> Damaged {
        Damaged {
            artifact: Artifact::Object,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.artifact {
            Artifact::Index => write!(
                f,
                "the index cannot be used: {} (run `git atse update --full` to rebuild it)",
                self.reason
            ),
            Artifact::File => write!(f, "damaged file: {}", self.reason),
            Artifact::Object => write!(f, "damaged object: {}", self.reason),
        }
    }
}

impl std::error::Error for Damaged {}

/// An update must start over from the empty tree.
#[derive(Debug)]
pub struct NeedsRebuild(pub String);

impl fmt::Display for NeedsRebuild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NeedsRebuild {}

/// Another process holds a lock (or a database) this one needs.
#[derive(Debug)]
pub struct Locked(pub String);

impl fmt::Display for Locked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Locked {}

/// The first error of type `E` in `err`'s chain.
pub fn find<E: std::error::Error + Send + Sync + 'static>(err: &anyhow::Error) -> Option<&E> {
    err.chain().find_map(|c| c.downcast_ref::<E>())
}

/// Why an update rebuilds the index from scratch, for its summary: the damage itself,
/// without the advice to rebuild (which is being done), or else the whole error.
pub fn rebuild_reason(err: &anyhow::Error) -> String {
    match find::<Damaged>(err) {
        Some(d) => d.reason.clone(),
        None => format!("{err:#}"),
    }
}
