//! The working tree's changes, found the way `git status` finds them (git's index and its
//! stat data with racy-git care, the untracked cache and `core.fsmonitor` when configured):
//! by asking git itself, so that no file is hashed that git would not hash.

use std::path::Path;

use anyhow::{bail, Context as _, Result};

use super::Repo;
use crate::model::BlobId;

/// A path of the working tree that differs from HEAD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorktreeChange {
    /// A regular file whose content (on disk) may differ from HEAD's.
    File(Vec<u8>),
    /// Deleted, or no longer a regular file (a symlink, a submodule).
    Gone(Vec<u8>),
}

impl Repo {
    /// The paths of the working tree that differ from HEAD: modified (staged or not),
    /// added, deleted, and untracked files that are not ignored. A rename is a deletion and
    /// an addition.
    pub fn worktree_changes(&self) -> Result<Vec<WorktreeChange>> {
        let Some(dir) = self.work_dir() else {
            bail!("--worktree needs a working tree; this repository is bare");
        };
        let out = super::cli::run(
            &dir,
            &[
                "status",
                "--porcelain=v2",
                "-z",
                "--untracked-files=all",
                "--no-renames",
            ],
            None,
        )?;
        Ok(parse_status(&out))
    }

    /// The blob id git would give `data`.
    pub fn blob_id_of(&self, data: &[u8]) -> Result<BlobId> {
        let id = gix::objs::compute_hash(self.inner().object_hash(), gix::objs::Kind::Blob, data)
            .map_err(|e| anyhow::anyhow!("cannot hash a blob: {e}"))?;
        Ok(super::blob_id(&id))
    }
}

/// Parses `git status --porcelain=v2 -z --no-renames` output.
fn parse_status(out: &[u8]) -> Vec<WorktreeChange> {
    let mut changes = Vec::new();
    for entry in out.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        match entry.first() {
            // `1 XY sub mH mI mW hH hI path`: an ordinary change.
            Some(b'1') => {
                let fields: Vec<&[u8]> = entry.splitn(9, |&b| b == b' ').collect();
                let (Some(xy), Some(mode_worktree), Some(path)) =
                    (fields.get(1), fields.get(5), fields.get(8))
                else {
                    continue;
                };
                let deleted = xy.get(1) == Some(&b'D')
                    || (xy.first() == Some(&b'D') && xy.get(1) == Some(&b'.'));
                let regular = matches!(&mode_worktree[..], b"100644" | b"100755");
                changes.push(match !deleted && regular {
                    true => WorktreeChange::File(path.to_vec()),
                    false => WorktreeChange::Gone(path.to_vec()),
                });
            }
            // `u XY sub m1 m2 m3 mW h1 h2 h3 path`: unmerged; answered as on disk.
            Some(b'u') => {
                if let Some(path) = entry.splitn(11, |&b| b == b' ').nth(10) {
                    changes.push(WorktreeChange::File(path.to_vec()));
                }
            }
            // `? path`: untracked, not ignored.
            Some(b'?') => changes.push(WorktreeChange::File(entry[2..].to_vec())),
            _ => {}
        }
    }
    changes
}

/// Reads the file at `path` (relative to `root`), at most `max` bytes: `Ok(None)` when it
/// vanished or is not a regular file any more.
pub fn read_worktree_file(
    root: &Path,
    path: &[u8],
    max: u64,
) -> Result<Option<Result<Vec<u8>, u64>>> {
    use std::os::unix::ffi::OsStrExt;
    let full = root.join(std::ffi::OsStr::from_bytes(path));
    let meta = match std::fs::symlink_metadata(&full) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("{}: cannot stat", full.display())),
    };
    if !meta.file_type().is_file() {
        return Ok(None);
    }
    if meta.len() > max {
        return Ok(Some(Err(meta.len())));
    }
    match std::fs::read(&full) {
        Ok(data) => Ok(Some(Ok(data))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("{}: cannot read", full.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_v2_entries() {
        let out = b"1 .M N... 100644 100644 100644 aa bb a.py\x001 D. N... 100644 000000 000000 aa 00 gone.py\x001 .D N... 100644 100644 000000 aa aa del.py\x001 .T N... 100644 100644 120000 aa aa link.py\x00? new dir/x y.py\x00u UU N... 100644 100644 100644 100644 a b c both.py\x00";
        assert_eq!(
            parse_status(out),
            vec![
                WorktreeChange::File(b"a.py".to_vec()),
                WorktreeChange::Gone(b"gone.py".to_vec()),
                WorktreeChange::Gone(b"del.py".to_vec()),
                WorktreeChange::Gone(b"link.py".to_vec()),
                WorktreeChange::File(b"new dir/x y.py".to_vec()),
                WorktreeChange::File(b"both.py".to_vec()),
            ]
        );
    }
}
