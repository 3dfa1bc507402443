//! The Bloom filter of defined names: the chunks of a container of kind `Bloom`.
//!
//! ```text
//! BLMH  seed u64, bit count u64, hash count u32, pad u32, name count u64  (HEAD_LEN bytes)
//! BTRE  the hex id of the tree whose names it holds
//! BCOM  the hex id of the commit that tree came from (empty when none)
//! BITS  the bit array (bit i is byte i/8, bit i%8)
//! BASE  (a delta only) the checksum of the base filter it extends, u64
//! ```
//! Positions come from one seeded xxh3-64 of the raw name bytes, split into two 32-bit
//! halves for double hashing (Kirsch-Mitzenmacher). About 10 bits per name and 7 hashes
//! give about 1% false positives, and never a false negative.

use std::ops::Range;

use anyhow::{bail, Result};
use twox_hash::XxHash3_64;

use super::container::{u64_at, Container, FileKind, Writer};
use crate::error::Damaged;

/// Seed of the name hash; part of the format.
pub const SEED: u64 = 0x6174_7365_626c_6f6d; // "atsebloom"
/// Bits reserved per name a filter is sized for.
pub const BITS_PER_NAME: u64 = 10;
/// Hashes per name.
pub const HASHES: u32 = 7;

const SEED_OFFSET: usize = 0;
const BITS_OFFSET: usize = SEED_OFFSET + 8;
const HASHES_OFFSET: usize = BITS_OFFSET + 8;
const COUNT_OFFSET: usize = HASHES_OFFSET + 4 + 4; // + 4 pad
const HEAD_LEN: usize = COUNT_OFFSET + 8;

/// What a filter is labelled with: the tree (and commit) whose names it holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Label {
    /// Hex tree id.
    pub tree: String,
    /// Hex commit id, empty when the tree came from no commit.
    pub commit: String,
}

fn positions(name: &[u8], bits: u64, hashes: u32) -> impl Iterator<Item = u64> {
    let h = XxHash3_64::oneshot_with_seed(SEED, name);
    let (h1, h2) = (h & 0xffff_ffff, (h >> 32) | 1);
    (0..u64::from(hashes)).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) % bits)
}

/// Sets the bits of `names` in `array` (of `bits` bits); returns how many names.
pub fn set_all<'n>(array: &mut [u8], bits: u64, names: impl Iterator<Item = &'n [u8]>) -> u64 {
    let mut n = 0u64;
    for name in names {
        for p in positions(name, bits, HASHES) {
            if let Some(byte) = array.get_mut((p / 8) as usize) {
                *byte |= 1 << (p % 8);
            }
        }
        n += 1;
    }
    n
}

/// The container of a filter of `bits` bits holding `count` names, labelled `label`;
/// `base` is the checksum of the base a delta extends.
pub fn encode(bits: u64, count: u64, label: &Label, array: Vec<u8>, base: Option<u64>) -> Writer {
    let mut head = [0u8; HEAD_LEN];
    head[SEED_OFFSET..SEED_OFFSET + 8].copy_from_slice(&SEED.to_le_bytes());
    head[BITS_OFFSET..BITS_OFFSET + 8].copy_from_slice(&bits.to_le_bytes());
    head[HASHES_OFFSET..HASHES_OFFSET + 4].copy_from_slice(&HASHES.to_le_bytes());
    head[COUNT_OFFSET..COUNT_OFFSET + 8].copy_from_slice(&count.to_le_bytes());
    let mut w = Writer::new(FileKind::Bloom);
    w.chunk(*b"BLMH", head.to_vec());
    w.chunk(*b"BTRE", label.tree.as_bytes().to_vec());
    w.chunk(*b"BCOM", label.commit.as_bytes().to_vec());
    w.chunk(*b"BITS", array);
    if let Some(sum) = base {
        w.chunk(*b"BASE", sum.to_le_bytes().to_vec());
    }
    w
}

/// The validated layout of one filter file. Bits are read from the bytes it was parsed
/// from.
#[derive(Clone, Debug)]
pub struct Filter {
    array: Range<usize>,
    /// Number of bits.
    pub bits: u64,
    hashes: u32,
    /// Names it holds.
    pub count: u64,
    /// What it is labelled with.
    pub label: Label,
    /// The checksum of the file (its last 8 bytes).
    pub checksum: u64,
    /// For a delta, the checksum of its base.
    pub base: Option<u64>,
}

impl Filter {
    /// Validates the filter chunks of container `c`.
    pub fn parse(c: &Container<'_>) -> Result<Filter> {
        let head = c.chunk(*b"BLMH")?;
        let array = c.range(*b"BITS")?;
        let text = |id| -> Result<String> {
            Ok(String::from_utf8_lossy(c.chunk(id)?)
                .trim_end_matches('\0')
                .to_string())
        };
        let label = Label {
            tree: text(*b"BTRE")?,
            commit: text(*b"BCOM")?,
        };
        if head.len() < HEAD_LEN || u64_at(head, SEED_OFFSET / 8) != SEED {
            bail!(Damaged::file("bloom header"));
        }
        let bits = u64_at(head, BITS_OFFSET / 8);
        let h = &head[HASHES_OFFSET..HASHES_OFFSET + 4];
        let hashes = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
        if bits == 0
            || !bits.is_multiple_of(64)
            || bits / 8 > array.len() as u64
            || hashes == 0
            || hashes > 32
        {
            bail!(Damaged::file(format!(
                "bloom of {bits} bits and {hashes} hashes"
            )));
        }
        let base = c
            .find(*b"BASE")
            .filter(|b| b.len() >= 8)
            .map(|b| u64_at(b, 0));
        let data = c.data();
        // The container checked the length; its last 8 bytes are its checksum.
        let checksum = u64_at(&data[data.len().saturating_sub(8)..], 0);
        Ok(Filter {
            array: array.start..array.start + (bits / 8) as usize,
            bits,
            hashes,
            count: u64_at(head, COUNT_OFFSET / 8),
            label,
            checksum,
            base,
        })
    }

    /// The bit array in `data` (the bytes this layout was parsed from).
    pub fn array<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        data.get(self.array.clone()).unwrap_or_default()
    }

    /// False only when `name` was certainly not among the names the filter holds.
    pub fn may_contain(&self, data: &[u8], name: &[u8]) -> bool {
        let array = self.array(data);
        positions(name, self.bits, self.hashes).all(|p| {
            array
                .get((p / 8) as usize)
                .is_none_or(|byte| byte & (1 << (p % 8)) != 0)
        })
    }
}
