//! Rows collected in any order and handed back sorted by key: an external merge sort with
//! a memory budget, for bulk-loading B-tree tables.
//!
//! A rebuild produces postings in tree order, which is random in name order. Inserting
//! them into redb one by one costs a B-tree descent into a cold page per row and leaves
//! pages half full; inserting them in key order touches each page once, while it is hot,
//! and fills it. Rows are kept in one arena per run; a run that exceeds its budget is
//! sorted and spilled to an unlinked temporary file, so memory stays bounded whatever the
//! tree size and a killed process leaves nothing behind.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// Collects `(key, value)` rows; see the module doc.
pub struct Runs {
    /// Rows of the run in memory: `[key_len u32][value_len u32][key][value]`.
    arena: Vec<u8>,
    /// Offsets of the rows in `arena`, in insertion order.
    rows: Vec<usize>,
    budget: usize,
    dir: PathBuf,
    spilled: Vec<File>,
}

impl Runs {
    /// Rows beyond `budget` bytes spill into temporary files in `dir`.
    pub fn new(dir: &Path, budget: usize) -> Runs {
        Runs {
            arena: Vec::new(),
            rows: Vec::new(),
            budget,
            dir: dir.to_path_buf(),
            spilled: Vec::new(),
        }
    }

    /// Adds a row. Rows with equal keys come back in the order they were pushed.
    pub fn push(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        self.rows.push(self.arena.len());
        put_row(&mut self.arena, key, value);
        if self.arena.len() >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Whether no row was pushed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.spilled.is_empty()
    }

    fn sort_rows(&mut self) {
        use rayon::slice::ParallelSliceMut;
        let arena = &self.arena;
        // The first 8 key bytes decide most comparisons without touching the arena. Ties go
        // to the earlier offset, which is push order: a stable sort, by an unstable one.
        let mut keyed: Vec<(u64, usize)> = self
            .rows
            .iter()
            .map(|&at| (prefix(row_at(arena, at).0), at))
            .collect();
        keyed.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| row_at(arena, a.1).0.cmp(row_at(arena, b.1).0))
                .then(a.1.cmp(&b.1))
        });
        for (row, (_, at)) in self.rows.iter_mut().zip(keyed) {
            *row = at;
        }
    }

    fn spill(&mut self) -> Result<()> {
        self.sort_rows();
        let (file, path) = temp_file(&self.dir)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        for &at in &self.rows {
            let end = row_end(&self.arena, at);
            out.write_all(&self.arena[at..end])
                .with_context(|| format!("{}: cannot write a sort run", path.display()))?;
        }
        let file = out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("{}: cannot write a sort run", path.display()))?;
        self.spilled.push(file);
        self.arena.clear();
        self.rows.clear();
        Ok(())
    }

    /// Every distinct key, in strictly increasing order, with the value pushed last for it.
    pub fn drain_distinct(self, mut f: impl FnMut(&[u8], &[u8]) -> Result<()>) -> Result<()> {
        let mut held: Option<(Vec<u8>, Vec<u8>)> = None;
        self.drain(|k, v| {
            match &mut held {
                Some((hk, hv)) => {
                    if hk.as_slice() != k {
                        f(hk, hv)?;
                        hk.clear();
                        hk.extend_from_slice(k);
                    }
                    hv.clear();
                    hv.extend_from_slice(v);
                }
                None => held = Some((k.to_vec(), v.to_vec())),
            }
            Ok(())
        })?;
        match held {
            Some((k, v)) => f(&k, &v),
            None => Ok(()),
        }
    }

    /// Every row, in key order (equal keys in push order), to `f`.
    pub fn drain(mut self, mut f: impl FnMut(&[u8], &[u8]) -> Result<()>) -> Result<()> {
        self.sort_rows();
        if self.spilled.is_empty() {
            for &at in &self.rows {
                let (k, v) = row_at(&self.arena, at);
                f(k, v)?;
            }
            return Ok(());
        }
        // k-way merge: spilled runs in spill order, then the one in memory; ties go to the
        // earlier run, which keeps push order.
        let mut sources: Vec<Source> = Vec::with_capacity(self.spilled.len() + 1);
        for file in std::mem::take(&mut self.spilled) {
            let mut file = file;
            std::io::Seek::rewind(&mut file).context("cannot read back a sort run")?;
            sources.push(Source::File {
                reader: BufReader::with_capacity(1 << 20, file),
                row: Vec::new(),
            });
        }
        sources.push(Source::Memory { next: 0 });
        let mut heap = BinaryHeap::new();
        for (i, s) in sources.iter_mut().enumerate() {
            if s.advance(&self.rows)? {
                heap.push(Head(i, s.current(&self.arena, &self.rows).0.to_vec()));
            }
        }
        while let Some(Head(i, _)) = heap.pop() {
            let (k, v) = sources[i].current(&self.arena, &self.rows);
            f(k, v)?;
            if sources[i].advance(&self.rows)? {
                heap.push(Head(
                    i,
                    sources[i].current(&self.arena, &self.rows).0.to_vec(),
                ));
            }
        }
        Ok(())
    }
}

/// The smallest key first; among equal keys, the earliest run.
#[derive(PartialEq, Eq)]
struct Head(usize, Vec<u8>);

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        other.1.cmp(&self.1).then(other.0.cmp(&self.0))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

enum Source {
    File {
        reader: BufReader<File>,
        row: Vec<u8>,
    },
    /// Position (in `rows`) of the next in-memory row, plus one once started.
    Memory { next: usize },
}

impl Source {
    /// Moves to the next row; false at the end.
    fn advance(&mut self, rows: &[usize]) -> Result<bool> {
        match self {
            Source::File { reader, row } => {
                let mut header = [0u8; 8];
                match reader.read_exact(&mut header) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
                    Err(e) => return Err(e).context("cannot read back a sort run"),
                }
                let (k, v) = lengths(&header);
                row.clear();
                row.extend_from_slice(&header);
                row.resize(8 + k + v, 0);
                reader
                    .read_exact(&mut row[8..])
                    .context("cannot read back a sort run")?;
                Ok(true)
            }
            Source::Memory { next } => {
                *next += 1;
                Ok(*next <= rows.len())
            }
        }
    }

    fn current<'a>(&'a self, arena: &'a [u8], rows: &[usize]) -> (&'a [u8], &'a [u8]) {
        match self {
            Source::File { row, .. } => row_at(row, 0),
            Source::Memory { next } => row_at(arena, rows[*next - 1]),
        }
    }
}

/// The first 8 bytes of `key`, zero-padded, as a big-endian number: ordered as the keys.
fn prefix(key: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = key.len().min(8);
    b[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(b)
}

fn put_row(out: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    out.extend_from_slice(&(key.len() as u32).to_le_bytes());
    out.extend_from_slice(&(value.len() as u32).to_le_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(value);
}

fn lengths(header: &[u8]) -> (usize, usize) {
    let k = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
    let v = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    (k, v)
}

fn row_end(buf: &[u8], at: usize) -> usize {
    let (k, v) = lengths(&buf[at..at + 8]);
    at + 8 + k + v
}

/// The row at `at` of a buffer this module wrote (so its lengths are in bounds).
fn row_at(buf: &[u8], at: usize) -> (&[u8], &[u8]) {
    let (k, v) = lengths(&buf[at..at + 8]);
    let key = &buf[at + 8..at + 8 + k];
    (key, &buf[at + 8 + k..at + 8 + k + v])
}

/// A new file in `dir`, already unlinked where the platform allows, so that nothing is
/// left behind by a killed process.
pub(crate) fn temp_file(dir: &Path) -> Result<(File, PathBuf)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(format!("sort-{}-{n}.tmp", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("{}: cannot create a sort run", path.display()))?;
    let _ = std::fs::remove_file(&path);
    Ok((file, path))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn collect(runs: Runs) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::new();
        runs.drain(|k, v| {
            out.push((k.to_vec(), v.to_vec()));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn sorts_across_spilled_runs_keeping_push_order_of_equal_keys() {
        let dir = tempfile::tempdir().unwrap();
        // A budget of a few rows forces many runs.
        let mut runs = Runs::new(dir.path(), 64);
        let mut expected = Vec::new();
        let mut x = 12345u64;
        for i in 0..2000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let key = format!("k{}", (x >> 33) % 300).into_bytes();
            let value = i.to_le_bytes().to_vec();
            runs.push(&key, &value).unwrap();
            expected.push((key, value));
        }
        expected.sort_by(|a, b| a.0.cmp(&b.0)); // stable: push order among equal keys
        assert!(runs.spilled.len() > 10);
        assert_eq!(collect(runs), expected);
        // Spilled runs are unlinked as soon as they are created.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn distinct_keys_keep_the_last_value() {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Runs::new(dir.path(), 40);
        for (k, v) in [
            ("b", "1"),
            ("a", "2"),
            ("b", "3"),
            ("c", "4"),
            ("a", "5"),
            ("b", "6"),
        ] {
            runs.push(k.as_bytes(), v.as_bytes()).unwrap();
        }
        let mut out = Vec::new();
        runs.drain_distinct(|k, v| {
            out.push((
                String::from_utf8(k.to_vec()).unwrap(),
                String::from_utf8(v.to_vec()).unwrap(),
            ));
            Ok(())
        })
        .unwrap();
        let want: Vec<(String, String)> = [("a", "5"), ("b", "6"), ("c", "4")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(out, want);
    }

    #[test]
    fn in_memory_only_and_empty() {
        let dir = tempfile::tempdir().unwrap();
        let runs = Runs::new(dir.path(), 1 << 20);
        assert!(runs.is_empty());
        assert!(collect(runs).is_empty());
        let mut runs = Runs::new(dir.path(), 1 << 20);
        for k in ["b", "a", "c", "a"] {
            runs.push(k.as_bytes(), b"").unwrap();
        }
        let keys: Vec<_> = collect(runs).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, [b"a", b"a", b"b", b"c"]);
    }
}
