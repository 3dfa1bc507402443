//! The container format shared by every file git-atse memory-maps (`graph`, `bloom`, packs):
//! versioned, chunked and checksummed, after git's commit-graph.
//!
//! Store (all integers little-endian):
//! ```text
//!  0..8    magic b"ATSE\x1a\n\xa9\n" (PNG-style: catches text-mode and CRLF damage)
//!  8       format version (u8) = 1
//!  9       file kind (u8): 1 = graph, 2 = bloom, 3 = pack
//!  10..12  reserved, 0
//!  12..16  chunk count C (u32)
//!  16..    chunk table: C entries of [id: 4 bytes][offset: u64], then [0;4][end offset]
//!  ...     chunks, each 8-byte aligned
//!  n-8..n  xxh3-64 of bytes 0..n-8
//! ```
//! [`Container::parse`] checks size, magic, version, kind, the chunk table (ordered offsets
//! inside the file) and the checksum before any chunk is handed out.

use anyhow::{bail, Result};
use twox_hash::XxHash3_64;

use crate::error::Damaged;

const MAGIC: [u8; 8] = *b"ATSE\x1a\n\xa9\n";
/// The container format's version (graph, bloom).
pub const VERSION: u8 = 1;
const HEADER_LEN: usize = 16;
const ENTRY_LEN: usize = 12;
const TRAILER_LEN: usize = 8;

/// What a container file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum FileKind {
    /// The file dependency graph (`store::graph`).
    Graph = 1,
    /// The Bloom filter of defined names (`store::bloom`).
    Bloom = 2,
    /// A pack of objects (`store::objects::pack`).
    Pack = 3,
}

/// Builds a container in memory.
pub struct Writer {
    kind: FileKind,
    chunks: Vec<([u8; 4], Vec<u8>)>,
}

impl Writer {
    /// A container of `kind`.
    pub fn new(kind: FileKind) -> Writer {
        Writer {
            kind,
            chunks: Vec::new(),
        }
    }

    /// Adds a chunk.
    pub fn chunk(&mut self, id: [u8; 4], data: Vec<u8>) {
        self.chunks.push((id, data));
    }

    /// Streams the chunks into `out`, a writer announced with [`Writer::sizes`].
    pub fn write_into<W: std::io::Write>(self, out: &mut StreamWriter<W>) -> Result<()> {
        for (_, data) in &self.chunks {
            out.write(data)?;
        }
        Ok(())
    }

    /// The kind of file being written.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The file's bytes.
    pub fn finish(self) -> Result<Vec<u8>> {
        let mut out = StreamWriter::new(self.kind, &self.sizes(), Vec::new())?;
        for (_, data) in &self.chunks {
            out.write(data)?;
        }
        out.finish()
    }

    /// Each chunk's id and size, as [`StreamWriter::new`] wants them.
    pub fn sizes(&self) -> Vec<([u8; 4], u64)> {
        self.chunks
            .iter()
            .map(|(id, d)| (*id, d.len() as u64))
            .collect()
    }
}

/// Writes a container whose chunk sizes are known up front, streaming: the chunks' bytes
/// are written in order as they come, and the checksum is computed on the way, so a
/// multi-gigabyte pack never has to be in memory.
pub struct StreamWriter<W: std::io::Write> {
    out: W,
    hasher: XxHash3_64,
    /// Sizes of the chunks not yet complete (the current one first), bytes left in it.
    left: std::collections::VecDeque<u64>,
    written: u64,
}

impl<W: std::io::Write> StreamWriter<W> {
    /// Writes the header and chunk table of a container of `kind` with `chunks` (id, size).
    pub fn new(kind: FileKind, chunks: &[([u8; 4], u64)], out: W) -> Result<StreamWriter<W>> {
        let table_len = (chunks.len() + 1) * ENTRY_LEN;
        let mut offset = align8(HEADER_LEN + table_len) as u64;
        let mut head = Vec::with_capacity(HEADER_LEN + table_len);
        head.extend_from_slice(&MAGIC);
        head.push(VERSION);
        head.push(kind as u8);
        head.extend_from_slice(&[0, 0]);
        head.extend_from_slice(&(chunks.len() as u32).to_le_bytes());
        for (id, len) in chunks {
            head.extend_from_slice(id);
            head.extend_from_slice(&offset.to_le_bytes());
            offset = align8_u64(offset + len);
        }
        head.extend_from_slice(&[0; 4]);
        head.extend_from_slice(&offset.to_le_bytes());
        let mut w = StreamWriter {
            out,
            hasher: XxHash3_64::with_seed(0),
            left: chunks.iter().map(|c| c.1).collect(),
            written: 0,
        };
        w.put(&head)?;
        w.pad()?;
        w.skip_empty()?;
        Ok(w)
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        use std::hash::Hasher;
        self.hasher.write(bytes);
        self.out
            .write_all(bytes)
            .map_err(|e| anyhow::Error::new(e).context("cannot write a container file"))?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn pad(&mut self) -> Result<()> {
        let pad = (align8_u64(self.written) - self.written) as usize;
        self.put(&[0u8; 8][..pad])
    }

    /// Moves past chunks that are complete (padding after each).
    fn skip_empty(&mut self) -> Result<()> {
        while self.left.front() == Some(&0) {
            self.left.pop_front();
            self.pad()?;
        }
        Ok(())
    }

    /// Writes the next bytes of the current chunk (and on into the following ones).
    pub fn write(&mut self, mut bytes: &[u8]) -> Result<()> {
        while !bytes.is_empty() {
            let Some(left) = self.left.front().copied() else {
                bail!("internal error: more container data than announced");
            };
            let n = (bytes.len() as u64).min(left) as usize;
            self.put(&bytes[..n])?;
            if let Some(l) = self.left.front_mut() {
                *l -= n as u64;
            }
            bytes = &bytes[n..];
            self.skip_empty()?;
        }
        Ok(())
    }

    /// Writes the checksum once every chunk is complete; returns the writer.
    pub fn finish(self) -> Result<W> {
        Ok(self.finish_with_sum()?.0)
    }

    /// Like [`StreamWriter::finish`], and also returns the checksum written (what names a
    /// pack by its contents).
    pub fn finish_with_sum(mut self) -> Result<(W, u64)> {
        use std::hash::Hasher;
        if !self.left.is_empty() {
            bail!("internal error: less container data than announced");
        }
        let sum = self.hasher.finish();
        self.out
            .write_all(&sum.to_le_bytes())
            .map_err(|e| anyhow::Error::new(e).context("cannot write a container file"))?;
        Ok((self.out, sum))
    }
}

fn align8_u64(n: u64) -> u64 {
    (n + 7) & !7
}

fn align8(n: usize) -> usize {
    (n + 7) & !7
}

/// A validated container over borrowed bytes (usually a memory map).
pub struct Container<'a> {
    data: &'a [u8],
    chunks: Vec<([u8; 4], usize, usize)>,
}

impl<'a> Container<'a> {
    /// Validates `data` as a container of `kind`, including its checksum.
    pub fn parse(data: &'a [u8], kind: FileKind) -> Result<Container<'a>> {
        Self::parse_with(data, kind, true)
    }

    /// Validates the structure of `data` (magic, version, kind, chunk table) but not its
    /// checksum, which would read every byte: for a local pack of millions of objects,
    /// whose objects carry checksums of their own, verified as they are read.
    pub fn parse_structure(data: &'a [u8], kind: FileKind) -> Result<Container<'a>> {
        Self::parse_with(data, kind, false)
    }

    fn parse_with(data: &'a [u8], kind: FileKind, checksum: bool) -> Result<Container<'a>> {
        let bad = |why: String| Damaged::file(why);
        if data.len() < HEADER_LEN + ENTRY_LEN + TRAILER_LEN {
            bail!(bad(format!("{} bytes is too short", data.len())));
        }
        if data[..8] != MAGIC {
            bail!(bad("bad magic".into()));
        }
        if data[8] != VERSION {
            bail!(bad(format!(
                "format version {} (this git-atse reads {VERSION})",
                data[8]
            )));
        }
        if data[9] != kind as u8 {
            bail!(bad(format!(
                "file kind {} where {} was expected",
                data[9], kind as u8
            )));
        }
        let body_len = data.len() - TRAILER_LEN;
        let (body, trailer) = data.split_at(body_len);
        if checksum && XxHash3_64::oneshot(body).to_le_bytes() != trailer {
            bail!(bad("checksum mismatch".into()));
        }
        let count = u32::from_le_bytes([data[12], data[13], data[14], data[15]]) as usize;
        let table_end = HEADER_LEN + (count + 1) * ENTRY_LEN;
        if count > 64 || table_end > body_len {
            bail!(bad(format!("chunk table of {count} entries does not fit")));
        }
        let entry = |i: usize| {
            let at = HEADER_LEN + i * ENTRY_LEN;
            let mut id = [0u8; 4];
            id.copy_from_slice(&data[at..at + 4]);
            let mut off = [0u8; 8];
            off.copy_from_slice(&data[at + 4..at + 12]);
            (id, u64::from_le_bytes(off))
        };
        let mut chunks = Vec::with_capacity(count);
        for i in 0..count {
            let (id, start) = entry(i);
            let (_, end) = entry(i + 1);
            if start < table_end as u64 || start > end || end > body_len as u64 {
                bail!(bad(format!(
                    "chunk {} has a bad offset",
                    String::from_utf8_lossy(&id)
                )));
            }
            chunks.push((id, start as usize, end as usize));
        }
        Ok(Container { data, chunks })
    }

    /// The bytes of chunk `id`, `None` when there is none (an optional chunk: no error is
    /// made, which costs a backtrace when RUST_BACKTRACE is set).
    pub fn find(&self, id: [u8; 4]) -> Option<&'a [u8]> {
        self.chunks
            .iter()
            .find(|c| c.0 == id)
            .map(|&(_, start, end)| &self.data[start..end])
    }

    /// The whole file's bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The bytes of chunk `id` (with up to 7 bytes of alignment padding at the end).
    pub fn chunk(&self, id: [u8; 4]) -> Result<&'a [u8]> {
        Ok(&self.data[self.range(id)?])
    }

    /// Where chunk `id` lies in the file (with its padding): for readers that keep the
    /// position and borrow the bytes again later (a memory map held beside it).
    pub fn range(&self, id: [u8; 4]) -> Result<std::ops::Range<usize>> {
        match self.chunks.iter().find(|c| c.0 == id) {
            Some(&(_, start, end)) => Ok(start..end),
            None => bail!(Damaged::file(format!(
                "missing chunk {}",
                String::from_utf8_lossy(&id)
            ))),
        }
    }
}

/// Reads the little-endian u32 at index `i` of `bytes` (bounds checked by the caller).
pub fn u32_at(bytes: &[u8], i: usize) -> u32 {
    let at = i * 4;
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Reads the little-endian u64 at index `i` of `bytes` (bounds checked by the caller).
pub fn u64_at(bytes: &[u8], i: usize) -> u64 {
    let at = i * 8;
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Whether `head` (a file's first bytes) starts like a container of a later format version
/// than this one reads: not damage, but what a newer git-atse wrote.
pub fn is_newer(head: &[u8]) -> bool {
    head.len() > 8 && head[..8] == MAGIC && head[8] > VERSION
}

/// The checksum of a container's bytes (its last 8 bytes; check it first with `parse`).
pub fn checksum_of(data: &[u8]) -> u64 {
    match data.len().checked_sub(TRAILER_LEN) {
        Some(at) => u64_at(&data[at..], 0),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trip_and_every_flip_detected() {
        let mut w = Writer::new(FileKind::Graph);
        w.chunk(*b"AAAA", vec![1, 2, 3]);
        w.chunk(*b"BBBB", (0..40).collect());
        let bytes = w.finish().unwrap();
        let c = Container::parse(&bytes, FileKind::Graph).unwrap();
        assert_eq!(&c.chunk(*b"AAAA").unwrap()[..3], &[1, 2, 3]);
        assert_eq!(
            &c.chunk(*b"BBBB").unwrap()[..40],
            (0..40).collect::<Vec<u8>>().as_slice()
        );
        assert!(c.chunk(*b"CCCC").is_err());
        assert!(Container::parse(&bytes, FileKind::Bloom).is_err());
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 1;
            assert!(
                Container::parse(&b, FileKind::Graph).is_err(),
                "flip at {i}"
            );
        }
        for n in 0..bytes.len() {
            assert!(Container::parse(&bytes[..n], FileKind::Graph).is_err());
        }
    }
}
