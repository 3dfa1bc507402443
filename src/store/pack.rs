//! Packs: many objects in one memory-mapped file with a sorted id index, as git packs its
//! loose objects (10M loose files cost tens of GB of filesystem blocks and inodes).
//!
//! A container file (see `format`) of kind 3 with chunks:
//! ```text
//! PHDR  id length u32, pad u32, object count u64
//! PFAN  256 x u32: how many ids start with a byte <= i (git's .idx fanout)
//! PIDS  the ids, sorted, id length bytes each
//! POFF  count + 1 x u64: offsets of the objects in PDAT
//! PDAT  the objects' bytes (each a whole object, envelope and checksum included)
//! ```
//! Written under a temporary name and renamed; never modified in place.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use memmap2::Mmap;

use super::format::{u32_at, u64_at, Container, FileKind, StreamWriter};
use crate::error::Damaged;
use crate::model::BlobId;

/// Writes a pack of `objects` (sorted and deduplicated here) to `path`.
pub fn write(path: &Path, objects: Vec<(BlobId, Vec<u8>)>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut b = Builder::new(dir)?;
    for (id, bytes) in objects {
        b.add(&id, &bytes)?;
    }
    b.finish(path)
}

/// Builds a pack from objects added one at a time, in any order, in memory proportional to
/// their number (about 48 bytes each), not their size: their bytes wait in an unlinked
/// temporary file, and the pack is written streaming.
pub struct Builder {
    data: std::io::BufWriter<std::fs::File>,
    entries: Vec<Entry>,
    len: u64,
}

struct Entry {
    id: [u8; 32],
    id_len: u8,
    at: u64,
    len: u64,
}

impl Entry {
    fn id(&self) -> &[u8] {
        &self.id[..usize::from(self.id_len)]
    }
}

impl Builder {
    /// A builder whose temporary file lives in `dir` (the pack's directory).
    pub fn new(dir: &Path) -> Result<Builder> {
        let (data, _) = super::runs::temp_file(dir)?;
        Ok(Builder {
            data: std::io::BufWriter::with_capacity(1 << 20, data),
            entries: Vec::new(),
            len: 0,
        })
    }

    /// Adds object `id` (a repeated id keeps its first bytes).
    pub fn add(&mut self, id: &BlobId, bytes: &[u8]) -> Result<()> {
        use std::io::Write;
        let raw = id.as_bytes();
        let mut e = Entry {
            id: [0; 32],
            id_len: raw.len() as u8,
            at: self.len,
            len: bytes.len() as u64,
        };
        e.id[..raw.len()].copy_from_slice(raw);
        self.data
            .write_all(bytes)
            .map_err(|err| anyhow::Error::new(err).context("cannot write a pack's data"))?;
        self.len += e.len;
        self.entries.push(e);
        Ok(())
    }

    /// Makes room for `n` more objects at once: a builder of millions of objects would
    /// otherwise hold up to twice its table while the vector grows.
    pub fn reserve(&mut self, n: usize) {
        self.entries.reserve_exact(n);
    }

    /// Number of objects added.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no object was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The ids added, sorted and deduplicated.
    pub fn ids(&self) -> Vec<BlobId> {
        let mut ids: Vec<BlobId> = self
            .entries
            .iter()
            .filter_map(|e| BlobId::from_bytes(e.id()).ok())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Writes the pack into `dir` under the name of its ids (see `name`), atomically and
    /// synced; returns its path. Names it from its own table, so that no second list of
    /// millions of ids is made.
    pub fn finish_in(mut self, dir: &Path) -> Result<PathBuf> {
        self.sort();
        let path = dir.join(name(self.entries.iter().map(Entry::id)));
        self.write_sorted(&path)?;
        Ok(path)
    }

    /// Sorts the table by id and drops repeated ids (keeping the first bytes added).
    fn sort(&mut self) {
        // Stable: of a repeated id, the first added stays first.
        self.entries.sort_by(|a, b| a.id().cmp(b.id()));
        self.entries.dedup_by(|a, b| a.id() == b.id());
    }

    /// Writes the pack to `path` (atomically, synced).
    pub fn finish(mut self, path: &Path) -> Result<()> {
        self.sort();
        self.write_sorted(path)
    }

    /// Writes the pack, its table already sorted (`sort`), to `path`.
    fn write_sorted(self, path: &Path) -> Result<()> {
        use std::os::unix::fs::FileExt;
        let entries = self.entries;
        let data = self.data.into_inner().map_err(|err| {
            anyhow::Error::new(err.into_error()).context("cannot write a pack's data")
        })?;
        let id_len = entries.first().map_or(20, |e| usize::from(e.id_len));
        if entries.iter().any(|e| usize::from(e.id_len) != id_len) {
            bail!("internal error: a pack mixes object id lengths");
        }
        let count = entries.len() as u64;
        let data_len: u64 = entries.iter().map(|e| e.len).sum();
        let mut head = Vec::with_capacity(16);
        head.extend_from_slice(&(id_len as u32).to_le_bytes());
        head.extend_from_slice(&0u32.to_le_bytes());
        head.extend_from_slice(&count.to_le_bytes());
        let mut fanout = [0u32; 256];
        for e in &entries {
            fanout[usize::from(e.id[0])] += 1;
        }
        let mut fan = Vec::with_capacity(1024);
        let mut acc = 0;
        for f in fanout {
            acc += f;
            fan.extend_from_slice(&acc.to_le_bytes());
        }
        let chunks = [
            (*b"PHDR", head.len() as u64),
            (*b"PFAN", fan.len() as u64),
            (*b"PIDS", count * id_len as u64),
            (*b"POFF", (count + 1) * 8),
            (*b"PDAT", data_len),
        ];
        let mut out = StreamWriter::create(path, FileKind::Pack, &chunks)?;
        out.write(&head)?;
        out.write(&fan)?;
        for e in &entries {
            out.write(e.id())?;
        }
        let mut offset = 0u64;
        for e in &entries {
            out.write(&offset.to_le_bytes())?;
            offset += e.len;
        }
        out.write(&offset.to_le_bytes())?;
        let mut buf = Vec::new();
        for e in &entries {
            buf.resize(e.len as usize, 0);
            data.read_exact_at(&mut buf, e.at)
                .map_err(|err| anyhow::Error::new(err).context("cannot read back a pack's data"))?;
            out.write(&buf)?;
        }
        out.commit(true)
    }
}

/// The file name of a pack holding the objects `sorted_ids` (sorted, without repeats): a
/// hash of the ids, so that the same set of objects makes the same pack.
pub fn name<'a>(sorted_ids: impl Iterator<Item = &'a [u8]>) -> String {
    use std::hash::Hasher as _;
    // Streaming XXH3 hashes as the one-shot function hashes the concatenation.
    let mut h = twox_hash::XxHash3_64::new();
    for id in sorted_ids {
        h.write(id);
    }
    format!("pack-{:016x}.pack", h.finish())
}

/// An open, validated pack.
pub struct Pack {
    map: Mmap,
    id_len: usize,
    count: usize,
    fan: usize,
    ids: usize,
    offs: usize,
    data: usize,
    data_len: u64,
}

impl Pack {
    /// Opens a local pack at `path`, in time independent of its size: the container's
    /// structure, the fanout and the last offset are checked; each object's offsets are
    /// checked as it is read, and each object carries its own checksum. `None` when it does
    /// not exist.
    pub fn open(path: &Path) -> Result<Option<Pack>> {
        Self::open_with(path, false)
    }

    /// Opens a pack from elsewhere at `path`, checking everything: the checksum of the
    /// whole file and that every offset is ordered and in range.
    pub fn open_verified(path: &Path) -> Result<Option<Pack>> {
        Self::open_with(path, true)
    }

    fn open_with(path: &Path, verify: bool) -> Result<Option<Pack>> {
        let Some(map) = super::mmap::map(path)? else {
            return Ok(None);
        };
        let base = map.as_ptr() as usize;
        let (id_len, count, fan, ids, offs, data, data_len) = {
            let c = if verify {
                Container::parse(&map, FileKind::Pack)?
            } else {
                Container::parse_structure(&map, FileKind::Pack)?
            };
            let head = c.chunk(*b"PHDR")?;
            if head.len() < 16 {
                bail!(Damaged::file("pack header"));
            }
            let id_len = u32_at(head, 0) as usize;
            let count =
                usize::try_from(u64_at(head, 1)).map_err(|_| Damaged::file("pack count"))?;
            if id_len != 20 && id_len != 32 {
                bail!(Damaged::file(format!("pack of {id_len}-byte ids")));
            }
            let (fan, ids, offs, data) = (
                c.chunk(*b"PFAN")?,
                c.chunk(*b"PIDS")?,
                c.chunk(*b"POFF")?,
                c.chunk(*b"PDAT")?,
            );
            let fits = |len: usize, n: Option<usize>, each: usize| {
                n.and_then(|n| n.checked_mul(each))
                    .is_some_and(|need| len >= need)
            };
            if fan.len() < 1024
                || !fits(ids.len(), Some(count), id_len)
                || !fits(offs.len(), count.checked_add(1), 8)
            {
                bail!(Damaged::file("pack chunk sizes"));
            }
            let mut prev = 0;
            for i in 0..256 {
                let f = u32_at(fan, i);
                if f < prev {
                    bail!(Damaged::file("pack fanout not ordered"));
                }
                prev = f;
            }
            if prev as usize != count {
                bail!(Damaged::file("pack fanout does not cover the ids"));
            }
            let last = u64_at(offs, count);
            if last > data.len() as u64 {
                bail!(Damaged::file(format!("pack offset {last}")));
            }
            if verify {
                let mut prev = 0;
                for i in 0..=count {
                    let o = u64_at(offs, i);
                    if o < prev || o > last {
                        bail!(Damaged::file(format!("pack offset {o}")));
                    }
                    prev = o;
                }
            }
            let at = |chunk: &[u8]| chunk.as_ptr() as usize - base;
            (id_len, count, at(fan), at(ids), at(offs), at(data), last)
        };
        Ok(Some(Pack {
            map,
            id_len,
            count,
            fan,
            ids,
            offs,
            data,
            data_len,
        }))
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the pack holds no object.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn id_at(&self, i: usize) -> &[u8] {
        let at = self.ids + i * self.id_len;
        &self.map[at..at + self.id_len]
    }

    /// The id of the `i`-th object, in id order.
    pub fn id(&self, i: usize) -> Option<BlobId> {
        (i < self.count)
            .then(|| BlobId::from_bytes(self.id_at(i)).ok())
            .flatten()
    }

    /// The bytes of the object `id`, if the pack has it.
    pub fn get(&self, id: &BlobId) -> Option<&[u8]> {
        let key = id.as_bytes();
        if key.len() != self.id_len {
            return None;
        }
        let fan = &self.map[self.fan..];
        let first = usize::from(key[0]);
        let lo = if first == 0 {
            0
        } else {
            u32_at(fan, first - 1) as usize
        };
        let hi = u32_at(fan, first) as usize;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.id_at(mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let offs = &self.map[self.offs..];
                    let (s, e) = (u64_at(offs, mid), u64_at(offs, mid + 1));
                    if s > e || e > self.data_len {
                        return None;
                    }
                    return Some(&self.map[self.data + s as usize..self.data + e as usize]);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn id(b: u8, c: u8) -> BlobId {
        let mut v = [b; 20];
        v[19] = c;
        BlobId::from_bytes(&v).unwrap()
    }

    #[test]
    fn a_pack_is_named_after_its_sorted_ids() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Builder::new(dir.path()).unwrap();
        b.reserve(3);
        for (i, c) in [(9, 1), (0, 2), (9, 1), (4, 0)] {
            b.add(&id(i, c), b"x").unwrap();
        }
        let path = b.finish_in(dir.path()).unwrap();
        // The name the one-shot hash of the concatenated sorted ids gives, as packs were
        // named before: the same objects still make the same pack.
        let mut ids = [id(0, 2), id(4, 0), id(9, 1)].map(|i| i.as_bytes().to_vec());
        ids.sort();
        let expected = format!(
            "pack-{:016x}.pack",
            twox_hash::XxHash3_64::oneshot(&ids.concat())
        );
        assert_eq!(path.file_name().unwrap().to_str().unwrap(), expected);
        assert_eq!(Pack::open(&path).unwrap().unwrap().len(), 3);
    }

    #[test]
    fn lookups_and_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p");
        let objs = vec![
            (id(9, 1), b"nine".to_vec()),
            (id(0, 2), b"zero".to_vec()),
            (id(255, 0), vec![]),
            (id(9, 0), b"n0".to_vec()),
        ];
        write(&path, objs).unwrap();
        let p = Pack::open(&path).unwrap().unwrap();
        assert_eq!(p.len(), 4);
        assert_eq!(p.get(&id(9, 1)), Some(&b"nine"[..]));
        assert_eq!(p.get(&id(9, 0)), Some(&b"n0"[..]));
        assert_eq!(p.get(&id(0, 2)), Some(&b"zero"[..]));
        assert_eq!(p.get(&id(255, 0)), Some(&b""[..]));
        assert_eq!(p.get(&id(9, 2)), None);
        assert_eq!(p.id(0), Some(id(0, 2)));
        drop(p);
        let good = std::fs::read(&path).unwrap();
        for i in 0..good.len() {
            let mut b = good.clone();
            b[i] ^= 0x10;
            std::fs::write(&path, &b).unwrap();
            assert!(Pack::open_verified(&path).is_err(), "flip at {i}");
            // The quick open never panics on damage: it fails, or lookups answer
            // something (which the object's own checksum then judges) or nothing.
            if let Ok(Some(p)) = Pack::open(&path) {
                for (id, _) in [(id(9, 1), 0), (id(9, 0), 0), (id(0, 2), 0), (id(255, 0), 0)] {
                    let _ = p.get(&id);
                }
                for i in 0..p.len() + 1 {
                    let _ = p.id(i);
                }
            }
        }
    }
}
