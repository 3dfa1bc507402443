//! Pack files: many objects in one memory-mapped file with a sorted id index, as git packs
//! its loose objects (10M loose files cost tens of GB of filesystem blocks and inodes). The
//! layout is `format::pack`. Written under a temporary name and renamed; never modified in
//! place. Each object is a zstd frame of its own (a third of the size, still read one by
//! one); packs written before that, with plain objects, are read too.

use std::borrow::Cow;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use memmap2::Mmap;

use crate::format::container::{Container, FileKind};
use crate::format::pack::{self as layout, PackLayout};
use crate::model::BlobId;
use crate::store::atomic::ContainerFile;

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

/// The zstd level of objects in packs: objects of a few KB compress alike at levels 1 to
/// 9 (2.6-2.8 times), and level 1 is the fastest.
const ZSTD_LEVEL: i32 = 1;

/// The largest object a pack's frame may claim to inflate to: frames come from elsewhere
/// too (shared packs), and must not make this process allocate what they claim.
const MAX_OBJECT_BYTES: u64 = 256 << 20;

thread_local! {
    static DEFLATE: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    static INFLATE: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// `object` as stored in a pack: a zstd frame with its content size.
pub fn deflate(object: &[u8]) -> Result<Vec<u8>> {
    DEFLATE.with(|c| {
        let mut c = c.borrow_mut();
        let c = match c.as_mut() {
            Some(c) => c,
            None => c.insert(zstd::bulk::Compressor::new(ZSTD_LEVEL)?),
        };
        Ok(c.compress(object)?)
    })
}

/// The object a pack's frame holds; `None` when it is not a sound frame within bounds.
pub fn inflate(frame: &[u8]) -> Option<Vec<u8>> {
    inflate_within(frame, MAX_OBJECT_BYTES)
}

fn inflate_within(frame: &[u8], max: u64) -> Option<Vec<u8>> {
    // One frame and nothing after it (no skippable frames to carry padding).
    if zstd::zstd_safe::find_frame_compressed_size(frame).ok()? != frame.len() {
        return None;
    }
    let size = zstd::zstd_safe::get_frame_content_size(frame).ok()??;
    if size > max {
        return None;
    }
    INFLATE.with(|d| {
        let mut d = d.borrow_mut();
        let d = match d.as_mut() {
            Some(d) => d,
            None => d.insert(zstd::bulk::Decompressor::new().ok()?),
        };
        let out = d.decompress(frame, size as usize).ok()?;
        (out.len() as u64 == size).then_some(out)
    })
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
        let (data, _) = crate::store::runs::temp_file(dir)?;
        Ok(Builder {
            data: std::io::BufWriter::with_capacity(1 << 20, data),
            entries: Vec::new(),
            len: 0,
        })
    }

    /// Adds object `id` (a repeated id keeps its first bytes).
    pub fn add(&mut self, id: &BlobId, bytes: &[u8]) -> Result<()> {
        self.add_stored(id, &deflate(bytes)?)
    }

    /// Adds object `id` as stored: `frame` is what `deflate` made of it.
    pub fn add_stored(&mut self, id: &BlobId, frame: &[u8]) -> Result<()> {
        use std::io::Write;
        let bytes = frame;
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

    /// Writes the pack into `dir` under the name of its contents (see `name`), atomically
    /// and synced; returns its path. The same objects make the same bytes and so the same
    /// name; a pack already there under that name is kept, never overwritten.
    pub fn finish_in(mut self, dir: &Path) -> Result<PathBuf> {
        self.sort();
        let out = self.write_sorted(&dir.join("pack-new.pack"))?;
        out.commit_named(true, |sum| dir.join(name(sum)))
    }

    /// Like [`Builder::finish_in`], for objects imported from elsewhere (see
    /// `imported_name`).
    pub fn finish_imported_in(mut self, dir: &Path) -> Result<PathBuf> {
        self.sort();
        let out = self.write_sorted(&dir.join("pack-new.pack"))?;
        out.commit_named(true, |sum| dir.join(imported_name(sum)))
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
        self.write_sorted(path)?.commit(true)
    }

    /// Writes the pack, its table already sorted (`sort`), to be committed to `path`.
    fn write_sorted(self, path: &Path) -> Result<ContainerFile> {
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
        let mut fanout = [0u32; 256];
        for e in &entries {
            fanout[usize::from(e.id[0])] += 1;
        }
        let head = Head {
            id_len,
            flags: layout::ZSTD_OBJECTS,
            count,
            fanout: &fanout,
            data_len,
        };
        let mut out = head.start(path)?;
        for e in &entries {
            out.write(e.id())?;
        }
        write_offsets(&mut out, entries.iter().map(|e| e.len))?;
        let mut buf = Vec::new();
        for e in &entries {
            buf.resize(e.len as usize, 0);
            data.read_exact_at(&mut buf, e.at)
                .map_err(|err| anyhow::Error::new(err).context("cannot read back a pack's data"))?;
            out.write(&buf)?;
        }
        Ok(out)
    }
}

/// What a pack's chunks before its ids say: the id length, flags, object count, the ids'
/// first bytes counted (for the fanout) and the data length.
pub(super) struct Head<'a> {
    pub id_len: usize,
    pub flags: u32,
    pub count: u64,
    pub fanout: &'a [u32; 256],
    pub data_len: u64,
}

impl Head<'_> {
    /// Starts the pack at `path` (written under a temporary name): header and fanout
    /// written, ready for the `count` ids, then `write_offsets`, then the data.
    pub(super) fn start(&self, path: &Path) -> Result<ContainerFile> {
        let head = layout::head(self.id_len, self.flags, self.count);
        let mut fan = Vec::with_capacity(layout::FANOUT_LEN);
        let mut acc = 0u32;
        for f in self.fanout {
            acc += f;
            fan.extend_from_slice(&acc.to_le_bytes());
        }
        let chunks = [
            (layout::PHDR, head.len() as u64),
            (layout::PFAN, fan.len() as u64),
            (layout::PIDS, self.count * self.id_len as u64),
            (layout::POFF, (self.count + 1) * 8),
            (layout::PDAT, self.data_len),
        ];
        let mut out = ContainerFile::create(path, FileKind::Pack, &chunks)?;
        out.write(&head)?;
        out.write(&fan)?;
        Ok(out)
    }
}

/// Writes the offsets of objects of lengths `lens`, in order, and the end of the last.
pub(super) fn write_offsets(
    out: &mut ContainerFile,
    lens: impl Iterator<Item = u64>,
) -> Result<()> {
    let mut offset = 0u64;
    for len in lens {
        out.write(&offset.to_le_bytes())?;
        offset += len;
    }
    out.write(&offset.to_le_bytes())
}

/// The file name of a pack whose container checksum is `sum`: a name from its contents,
/// so that the same objects make the same pack, and a different pack never takes the name
/// of another.
pub fn name(sum: u64) -> String {
    format!("pack-{sum:016x}.pack")
}

/// The file name of a pack imported from elsewhere whose checksum is `sum`. Imported packs
/// are read after local ones, so they never shadow a local object.
pub fn imported_name(sum: u64) -> String {
    format!("pack-imported-{sum:016x}.pack")
}

/// Whether `path` names an imported pack (see `imported_name`).
pub fn is_imported(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("pack-imported-"))
}

/// An open, validated pack.
pub struct Pack {
    map: Mmap,
    layout: PackLayout,
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
        let Some(map) = crate::store::mmap::map(path)? else {
            return Ok(None);
        };
        let container = match verify {
            true => Container::parse(&map, FileKind::Pack)?,
            false => Container::parse_structure(&map, FileKind::Pack)?,
        };
        let layout = PackLayout::parse(&container, verify)?;
        Ok(Some(Pack { map, layout }))
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.layout.len()
    }

    /// Whether the pack holds no object.
    pub fn is_empty(&self) -> bool {
        self.layout.is_empty()
    }

    /// The id of the `i`-th object, in id order.
    pub fn id(&self, i: usize) -> Option<BlobId> {
        self.layout.id(&self.map, i)
    }

    /// The bytes of the object `id`, if the pack has it (and, compressed, its frame is
    /// sound).
    pub fn get(&self, id: &BlobId) -> Option<Cow<'_, [u8]>> {
        self.object(self.find(id.as_bytes())?)
    }

    /// The id bytes of the `i`-th object, in id order.
    pub fn id_bytes(&self, i: usize) -> &[u8] {
        self.layout.id_at(&self.map, i)
    }

    /// The position of the object `id`, if the pack has it.
    pub fn find(&self, id: &[u8]) -> Option<usize> {
        self.layout.find(&self.map, id)
    }

    /// The bytes of the `i`-th object, in id order.
    pub fn object(&self, i: usize) -> Option<Cow<'_, [u8]>> {
        let stored = self.stored(i)?;
        match self.compressed() {
            true => inflate(stored).map(Cow::Owned),
            false => Some(Cow::Borrowed(stored)),
        }
    }

    /// The `i`-th object as stored: a zstd frame when `compressed`.
    pub fn stored(&self, i: usize) -> Option<&[u8]> {
        self.layout.object(&self.map, i)
    }

    /// Whether its objects are zstd frames (packs written before are not).
    pub fn compressed(&self) -> bool {
        self.layout.flags() & layout::ZSTD_OBJECTS != 0
    }

    /// The container checksum of the file (what names it).
    pub fn checksum(&self) -> u64 {
        crate::format::container::checksum_of(&self.map)
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
    fn a_pack_is_named_after_its_contents_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let build = |bytes: &[u8]| {
            let mut b = Builder::new(dir.path()).unwrap();
            b.reserve(3);
            for (i, c) in [(9, 1), (0, 2), (9, 1), (4, 0)] {
                b.add(&id(i, c), bytes).unwrap();
            }
            b.finish_in(dir.path()).unwrap()
        };
        let path = build(b"x");
        // The name is the file's own checksum: the same objects make the same pack.
        let bytes = std::fs::read(&path).unwrap();
        let sum = crate::format::container::checksum_of(&bytes);
        assert_eq!(path.file_name().unwrap().to_str().unwrap(), name(sum));
        assert_eq!(build(b"x"), path);
        assert_eq!(Pack::open(&path).unwrap().unwrap().len(), 3);
        // The same ids with other bytes are another pack, beside the first.
        let other = build(b"y");
        assert_ne!(other, path);
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
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
        assert_eq!(p.get(&id(9, 1)).as_deref(), Some(&b"nine"[..]));
        assert_eq!(p.get(&id(9, 0)).as_deref(), Some(&b"n0"[..]));
        assert_eq!(p.get(&id(0, 2)).as_deref(), Some(&b"zero"[..]));
        assert_eq!(p.get(&id(255, 0)).as_deref(), Some(&b""[..]));
        assert_eq!(p.get(&id(9, 2)), None);
        assert!(p.compressed());
        assert_eq!(p.id(0), Some(id(0, 2)));
        assert_eq!(p.object(4), None, "past the last object");
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
                    let _ = p.object(i);
                }
            }
        }
    }

    #[test]
    fn packs_of_plain_objects_are_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.pack");
        super::super::tests::write_plain(&path, &[(id(1, 0), b"one"), (id(2, 0), b"two")]);
        let p = Pack::open_verified(&path).unwrap().unwrap();
        assert!(!p.compressed());
        assert_eq!(p.get(&id(2, 0)).as_deref(), Some(&b"two"[..]));
        assert_eq!(p.stored(0), Some(&b"one"[..]));
    }

    #[test]
    fn a_frame_is_inflated_only_within_bounds() {
        let object = vec![7u8; 100_000];
        let frame = deflate(&object).unwrap();
        assert!(frame.len() < 1000);
        assert_eq!(inflate(&frame), Some(object));
        // A frame may claim any size: more than the bound is refused before allocating.
        assert_eq!(inflate_within(&frame, 99_999), None);
        assert_eq!(inflate(&frame[..frame.len() - 1]), None);
        assert_eq!(inflate(b"not a frame"), None);
        // A skippable frame after it would carry padding through every copy: refused.
        let mut padded = frame.clone();
        padded.extend_from_slice(&0x184D_2A50u32.to_le_bytes());
        padded.extend_from_slice(&4u32.to_le_bytes());
        padded.extend_from_slice(b"junk");
        assert_eq!(inflate(&padded), None);
    }
}
