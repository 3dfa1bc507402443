//! Checksums verified once per file version, not once per process: the graph file of 1M
//! files is 250 MB, and hashing it made every `rdeps` cost 40 ms.
//!
//! After a reader has verified a container's checksum, it records the file's identity
//! (length, inode, modification and change times, and its checksum trailer) in
//! `<file>.ok`. A later reader whose file has the same identity checks only the structure.
//! As git does for racily clean index entries, the record is made only for a file last
//! modified at least `RACY_SECS` before: a file damaged in place afterwards gets a newer
//! time than the one recorded, whatever the timestamp granularity, and is verified again.
//! What this does not catch is damage that leaves every timestamp alone (bit rot): `git atse
//! gc` forgets the records, so that the next reader verifies in full.

use std::fs::{File, Metadata};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Result;

use crate::format::container::{Container, FileKind};

/// How old a file must be before its verification is recorded.
const RACY_SECS: u64 = 2;

fn marker(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".ok");
    PathBuf::from(name)
}

fn identity(meta: &Metadata, trailer: &[u8]) -> String {
    format!(
        "{} {} {}.{} {}.{} {:02x?}",
        meta.len(),
        meta.ino(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
        trailer
    )
}

/// Records that the file at `path`, as it is now (length, inode, times), is sound: written
/// by this process under its lock, or verified in full. Used for the index, whose writer
/// records it after every session (no racy delay: the writer holds the update lock, and
/// damage written later changes the file's times).
pub fn record_sound(path: &Path) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    // Best effort: without the record, the next reader verifies again.
    if let Ok(mut f) = super::atomic::AtomicFile::create(&marker(path)) {
        use std::io::Write;
        if writeln!(f, "{}", identity(&meta, &[])).is_ok() {
            let _ = f.commit(false);
        }
    }
}

/// Whether the file at `path` is as it was when last recorded sound.
pub fn is_recorded_sound(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    std::fs::read_to_string(marker(path)).is_ok_and(|r| r.trim_end() == identity(&meta, &[]))
}

/// Forgets the verification of `path`: the next reader verifies it in full.
pub fn forget(path: &Path) {
    let _ = std::fs::remove_file(marker(path));
}

/// Opens `path` (a container of `kind` that git-atse replaces only by rename) and maps it;
/// `None` when it does not exist.
pub fn map(path: &Path) -> Result<Option<(memmap2::Mmap, Metadata)>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("{}: cannot open", path.display())))
        }
    };
    let meta = file
        .metadata()
        .map_err(|e| anyhow::Error::new(e).context(format!("{}: cannot stat", path.display())))?;
    Ok(Some((super::mmap::map_file(&file, path)?, meta)))
}

/// Validates `data` (the file at `path`, with metadata `meta`) as a container of `kind`:
/// in full the first time, by structure once a verification of this very version is on
/// record.
pub fn parse<'a>(
    path: &Path,
    meta: &Metadata,
    data: &'a [u8],
    kind: FileKind,
) -> Result<Container<'a>> {
    let trailer = &data[data.len().saturating_sub(8)..];
    let id = identity(meta, trailer);
    let recorded = std::fs::read_to_string(marker(path)).unwrap_or_default();
    if recorded.trim_end() == id {
        return Container::parse_structure(data, kind);
    }
    let c = Container::parse(data, kind)?;
    let old_enough = meta
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age >= Duration::from_secs(RACY_SECS));
    if old_enough {
        // Best effort: without the record, the next reader verifies again.
        if let Ok(mut f) = super::atomic::AtomicFile::create(&marker(path)) {
            use std::io::Write;
            if writeln!(f, "{id}").is_ok() {
                let _ = f.commit(false);
            }
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::graph::{self, Graph};

    fn age(path: &Path, secs: u64) {
        let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(secs))
            .unwrap();
    }

    #[test]
    fn verified_once_per_version_and_again_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph");
        graph::write(&path, 4, 1, vec![(0, 1), (1, 2), (3, 2)]).unwrap();
        // Too recent to record: every reader verifies.
        assert!(Graph::open(&path).unwrap().is_some());
        assert!(!marker(&path).exists());
        age(&path, 10);
        assert!(Graph::open(&path).unwrap().is_some());
        assert!(marker(&path).exists(), "an old enough file is recorded");
        assert!(Graph::open(&path).unwrap().is_some());
        // Damage written in place: the file's times move past the record, so it is
        // verified again and refused.
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x40;
        std::fs::write(&path, &bytes).unwrap();
        assert!(Graph::open(&path).is_err());
        // A new version (renamed into place) is a new identity.
        graph::write(&path, 4, 2, vec![(0, 1)]).unwrap();
        assert!(Graph::open(&path).unwrap().is_some());
    }
}
