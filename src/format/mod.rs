//! `format`: the byte layouts of everything git-atse writes, as pure codecs over `&[u8]`.
//! No files, no locks, no git: `store` reads and writes the bytes, these modules say what
//! they mean, and every reader validates before it hands anything out (a fuzz target per
//! reader lives in `fuzz/`).
//!
//! - [`container`]: the versioned, chunked, checksummed file shared by graph, Bloom and
//!   pack files (after git's commit-graph);
//! - [`object`]: one per-blob object (a FlatBuffers `FileIndex` in an envelope);
//! - [`pack`], [`csr`], [`bloom`]: the chunks of a pack, the graph and the Bloom filter;
//! - [`keys`]: the keys and values of the index's redb tables, and [`posting`] those of
//!   its postings;
//! - [`suffix`]: the suffix key of a path (`a/b/x.h` -> `x.h 0x00 b/a/`);
//! - [`shard`]: the record an `update --shard` job leaves for `share push`;
//! - [`varint`]: variable-length integers, ordered for keys and LEB128 for values.

pub mod bloom;
pub mod container;
pub mod csr;
pub mod keys;
pub mod object;
pub mod pack;
pub mod posting;
pub mod shard;
pub mod suffix;
pub mod varint;
