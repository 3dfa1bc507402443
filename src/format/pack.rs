//! Packs: many objects in one file with a sorted id index, as git packs its loose objects.
//! The chunks of a container of kind `Pack`:
//!
//! ```text
//! PHDR  id length u32, flags u32, object count u64                  (HEAD_LEN bytes)
//! PFAN  256 x u32: how many ids start with a byte <= i (git's .idx fanout)
//! PIDS  the ids, sorted, id length bytes each
//! POFF  count + 1 x u64: offsets of the objects in PDAT
//! PDAT  the objects' bytes (each a whole object, envelope and checksum included; with
//!       ZSTD_OBJECTS in the flags, each a zstd frame of them)
//! ```

use std::cmp::Ordering;
use std::ops::Range;

use anyhow::{bail, Result};

use super::container::{u32_at, u64_at, Container};
use crate::error::Damaged;
use crate::model::BlobId;

/// The header chunk.
pub const PHDR: [u8; 4] = *b"PHDR";
/// The fanout chunk.
pub const PFAN: [u8; 4] = *b"PFAN";
/// The sorted ids.
pub const PIDS: [u8; 4] = *b"PIDS";
/// The offsets of the objects.
pub const POFF: [u8; 4] = *b"POFF";
/// The objects.
pub const PDAT: [u8; 4] = *b"PDAT";

const ID_LEN_OFFSET: usize = 0;
const FLAGS_OFFSET: usize = ID_LEN_OFFSET + 4;
const COUNT_OFFSET: usize = FLAGS_OFFSET + 4;

/// Flag: each object in `PDAT` is a zstd frame (with its content size) of the object.
/// Objects compress about 2.7 times one by one; a pack stays readable object by object.
pub const ZSTD_OBJECTS: u32 = 1;
/// The flags this version understands (a pack with others was written by a newer
/// git-atse, and is not read).
pub const KNOWN_FLAGS: u32 = ZSTD_OBJECTS;
/// The size of `PHDR`.
pub const HEAD_LEN: usize = COUNT_OFFSET + 8;
/// The size of `PFAN`.
pub const FANOUT_LEN: usize = 256 * 4;

/// The header chunk of a pack of `count` ids of `id_len` bytes, with `flags`.
pub fn head(id_len: usize, flags: u32, count: u64) -> [u8; HEAD_LEN] {
    let mut h = [0u8; HEAD_LEN];
    h[ID_LEN_OFFSET..ID_LEN_OFFSET + 4].copy_from_slice(&(id_len as u32).to_le_bytes());
    h[FLAGS_OFFSET..FLAGS_OFFSET + 4].copy_from_slice(&flags.to_le_bytes());
    h[COUNT_OFFSET..COUNT_OFFSET + 8].copy_from_slice(&count.to_le_bytes());
    h
}

/// The validated layout of a pack: where its chunks are and how many objects it holds.
/// Lookups read the bytes it was parsed from.
#[derive(Clone, Debug)]
pub struct PackLayout {
    id_len: usize,
    flags: u32,
    count: usize,
    fan: Range<usize>,
    ids: Range<usize>,
    offs: Range<usize>,
    data: Range<usize>,
    data_len: u64,
}

impl PackLayout {
    /// Validates the pack chunks of container `c`, in time independent of its size: the
    /// chunk sizes, the fanout and the last offset. With `every_offset`, each offset is
    /// checked to be ordered and in range too (for packs from elsewhere); otherwise each is
    /// checked as it is read, and each object carries its own checksum.
    pub fn parse(c: &Container<'_>, every_offset: bool) -> Result<PackLayout> {
        let head = c.chunk(PHDR)?;
        if head.len() < HEAD_LEN {
            bail!(Damaged::file("pack header"));
        }
        let id_len = u32_at(head, ID_LEN_OFFSET / 4) as usize;
        let count = usize::try_from(u64_at(head, COUNT_OFFSET / 8))
            .map_err(|_| Damaged::file("pack count"))?;
        if id_len != 20 && id_len != 32 {
            bail!(Damaged::file(format!("pack of {id_len}-byte ids")));
        }
        let flags = u32_at(head, FLAGS_OFFSET / 4);
        if flags & !KNOWN_FLAGS != 0 {
            // Not damage: a gc must not delete what a newer git-atse wrote.
            bail!("pack flags {flags:#x}: a newer git-atse wrote this pack");
        }
        let (fan, ids, offs, data) = (
            c.range(PFAN)?,
            c.range(PIDS)?,
            c.range(POFF)?,
            c.range(PDAT)?,
        );
        let fits = |len: usize, n: Option<usize>, each: usize| {
            n.and_then(|n| n.checked_mul(each))
                .is_some_and(|need| len >= need)
        };
        if fan.len() < FANOUT_LEN
            || !fits(ids.len(), Some(count), id_len)
            || !fits(offs.len(), count.checked_add(1), 8)
        {
            bail!(Damaged::file("pack chunk sizes"));
        }
        let bytes = c.data();
        let fanout = &bytes[fan.clone()];
        let mut prev = 0;
        for i in 0..256 {
            let f = u32_at(fanout, i);
            if f < prev {
                bail!(Damaged::file("pack fanout not ordered"));
            }
            prev = f;
        }
        if prev as usize != count {
            bail!(Damaged::file("pack fanout does not cover the ids"));
        }
        let offsets = &bytes[offs.clone()];
        let last = u64_at(offsets, count);
        if last > data.len() as u64 {
            bail!(Damaged::file(format!("pack offset {last}")));
        }
        if every_offset {
            let mut prev = 0;
            for i in 0..=count {
                let o = u64_at(offsets, i);
                if o < prev || o > last {
                    bail!(Damaged::file(format!("pack offset {o}")));
                }
                prev = o;
            }
        }
        Ok(PackLayout {
            id_len,
            flags,
            count,
            fan,
            ids,
            offs,
            data,
            data_len: last,
        })
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.count
    }

    /// The pack's flags (`ZSTD_OBJECTS`).
    pub fn flags(&self) -> u32 {
        self.flags
    }

    /// Whether the pack holds no object.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The id bytes of the `i`-th object, in id order (empty past the end).
    pub fn id_at<'a>(&self, bytes: &'a [u8], i: usize) -> &'a [u8] {
        let at = self.ids.start + i * self.id_len;
        bytes.get(at..at + self.id_len).unwrap_or_default()
    }

    /// The id of the `i`-th object, in id order, in `bytes` (what this was parsed from).
    pub fn id(&self, bytes: &[u8], i: usize) -> Option<BlobId> {
        (i < self.count)
            .then(|| BlobId::from_bytes(self.id_at(bytes, i)).ok())
            .flatten()
    }

    /// The bytes of the object `id` in `bytes` (what this was parsed from), if the pack
    /// has it.
    pub fn get<'a>(&self, bytes: &'a [u8], id: &BlobId) -> Option<&'a [u8]> {
        self.object(bytes, self.find(bytes, id.as_bytes())?)
    }

    /// The position of the object with id bytes `key`, if the pack has it.
    pub fn find(&self, bytes: &[u8], key: &[u8]) -> Option<usize> {
        if key.len() != self.id_len {
            return None;
        }
        let fan = bytes.get(self.fan.clone())?;
        let first = usize::from(key[0]);
        let lo = match first {
            0 => 0,
            _ => u32_at(fan, first - 1) as usize,
        };
        let hi = u32_at(fan, first) as usize;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.id_at(bytes, mid).cmp(key) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The bytes of the `i`-th object, in id order, if there is one and its offsets are
    /// sound.
    pub fn object<'a>(&self, bytes: &'a [u8], i: usize) -> Option<&'a [u8]> {
        if i >= self.count {
            return None;
        }
        // `parse` checked that the offsets chunk holds count + 1 of them.
        let offs = bytes.get(self.offs.clone())?;
        let (s, e) = (u64_at(offs, i), u64_at(offs, i + 1));
        if s > e || e > self.data_len {
            return None;
        }
        let data = bytes.get(self.data.clone())?;
        data.get(s as usize..e as usize)
    }
}
