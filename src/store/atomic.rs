//! Files replaced whole by rename, never written in place: a reader sees the old file or
//! the new one, never a mix, and a crash leaves at most a stray temp file.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context as _, Result};

use crate::format::container::{checksum_of, Container, FileKind, StreamWriter, Writer};

/// A file being written under a temporary name next to its final path. `commit` renames it
/// into place; dropping it without `commit` removes the temp file.
#[must_use = "an AtomicFile is discarded unless committed"]
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<File>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl AtomicFile {
    /// Starts writing `dest` (its directory must exist).
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dest.with_file_name(format!(".tmp-{name}-{}-{n}", std::process::id()));
        let file = File::create(&tmp)
            .with_context(|| format!("{}: cannot create temporary file", tmp.display()))?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            file: Some(file),
        })
    }

    /// Syncs the data if `durable`, then renames the file into place.
    pub fn commit(mut self, durable: bool) -> Result<()> {
        if let Some(file) = self.file.take() {
            if durable {
                file.sync_all()
                    .with_context(|| format!("{}: cannot sync", self.tmp.display()))?;
            }
        }
        fs::rename(&self.tmp, &self.dest).with_context(|| {
            format!(
                "{}: cannot rename into {}",
                self.tmp.display(),
                self.dest.display()
            )
        })?;
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl AtomicFile {
    /// Syncs what was written so far to disk.
    pub fn sync(&self) -> Result<()> {
        if let Some(file) = &self.file {
            file.sync_all()
                .with_context(|| format!("{}: cannot sync", self.tmp.display()))?;
        }
        Ok(())
    }

    /// The temporary path being written (to read the contents back before committing).
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    /// The open file, for a writer that needs one (a child process's stdout).
    pub fn file(&self) -> Result<&File> {
        self.file
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("{}: already committed", self.tmp.display()))
    }

    /// Changes the final path (for contents-addressed names known only once written).
    pub fn set_dest(&mut self, dest: &Path) {
        self.dest = dest.to_path_buf();
    }

    /// Like `commit`, but never replaces an existing file: returns `false` (and discards
    /// this one) when `dest` already exists. Used for content-addressed files, where an
    /// existing file has the same contents, and to count new files exactly.
    pub fn commit_new(mut self) -> Result<bool> {
        self.link_new() // Drop removes the temporary name
    }

    /// Like `commit_new`, but an existing file that `sound` rejects is replaced.
    fn commit_new_unless_sound(mut self, sound: impl FnOnce() -> bool) -> Result<()> {
        if self.link_new()? || sound() {
            return Ok(());
        }
        // The data was synced before the link, if it was to be: only the rename is left.
        self.commit(false)
    }

    /// Closes the file and links it at `dest` unless a file is there: whether it did.
    fn link_new(&mut self) -> Result<bool> {
        drop(self.file.take());
        match fs::hard_link(&self.tmp, &self.dest) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e).with_context(|| {
                format!(
                    "{}: cannot link into {}",
                    self.tmp.display(),
                    self.dest.display()
                )
            }),
        }
    }
}

/// Syncs directory `dir`, so that the names linked or renamed into it are durable before
/// anything they replace is removed.
pub fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("{}: cannot sync the directory", dir.display()))
}

/// Whether the container at `path` is sound, of `kind`, with checksum `sum`.
fn sound_as(path: &Path, kind: FileKind, sum: u64) -> bool {
    let Ok(Some(map)) = super::mmap::map(path) else {
        return false;
    };
    Container::parse(&map, kind).is_ok() && checksum_of(&map) == sum
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("atomic file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// A container file (`format::container`) written streaming under a temporary name and
/// renamed into place by `commit`.
#[must_use = "a ContainerFile is discarded unless committed"]
pub struct ContainerFile(StreamWriter<io::BufWriter<AtomicFile>>, FileKind);

impl ContainerFile {
    /// Starts writing a container of `kind` with `chunks` (id, size) to `path`.
    pub fn create(path: &Path, kind: FileKind, chunks: &[([u8; 4], u64)]) -> Result<ContainerFile> {
        let file = AtomicFile::create(path)?;
        let out = io::BufWriter::with_capacity(1 << 20, file);
        Ok(ContainerFile(StreamWriter::new(kind, chunks, out)?, kind))
    }

    /// Writes the next bytes of the current chunk (and on into the following ones).
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.0.write(bytes)
    }

    /// Writes the checksum and renames the file into place (synced first when `durable`).
    pub fn commit(self, durable: bool) -> Result<()> {
        let file = self.0.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.commit(durable)
    }

    /// Writes the checksum and renames the file into place under the name `name` makes of
    /// the checksum (synced first when `durable`); returns that path. A sound file
    /// already there is kept (with a name from its contents, it holds the same bytes); a
    /// damaged one under the name is replaced, or it would stand for the new one.
    pub fn commit_named(self, durable: bool, name: impl FnOnce(u64) -> PathBuf) -> Result<PathBuf> {
        let kind = self.1;
        let (out, sum) = self.0.finish_with_sum()?;
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        let dest = name(sum);
        file.set_dest(&dest);
        if durable {
            file.sync()?;
        }
        file.commit_new_unless_sound(|| sound_as(&dest, kind, sum))?;
        Ok(dest)
    }

    /// Writes the whole container `w` to `path` atomically.
    pub fn write_whole(w: Writer, path: &Path, durable: bool) -> Result<()> {
        let sizes = w.sizes();
        let mut out = ContainerFile::create(path, w.kind(), &sizes)?;
        w.write_into(&mut out.0)?;
        out.commit(durable)
    }
}
