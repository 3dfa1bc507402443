//! The file dependency graph in CSR form, forward and reverse: the chunks of a container of
//! kind `Graph`.
//!
//! ```text
//! GMET  node count u32, pad u32, edge count u64, generation u64     (META_LEN bytes)
//! FOFF  node count + 1 byte offsets (u64) into FDEL: row i is FDEL[FOFF[i]..FOFF[i+1]]
//! FDEL  the targets, sorted per node, each the LEB128 of its difference from the one
//!       before (the first: from 0; `varint::put_deltas`)
//! ROFF  as FOFF, into RDEL
//! RDEL  the sources, as FDEL
//! ```
//! Nodes are the index's file ids; a file's imports and importers are near each other in
//! id (path) order, so most differences take one or two bytes instead of four. Graph files
//! with the fixed-width chunks of earlier versions (`FEDG`, `REDG`) lack these chunks and
//! are rebuilt. Opening checks the chunk sizes and that the last offset is each edge
//! chunk's end; neither the offsets nor the edges are scanned (in every process): each
//! row's offsets and codes are checked as it is read, the writer checked them all, and the
//! container's checksum guards them.

use std::ops::Range;

use anyhow::{bail, Result};

use super::container::{u32_at, u64_at, Container};
use super::varint::Deltas;
use crate::error::Damaged;

/// The meta chunk.
pub const GMET: [u8; 4] = *b"GMET";
/// Forward offsets.
pub const FOFF: [u8; 4] = *b"FOFF";
/// Forward edges.
pub const FDEL: [u8; 4] = *b"FDEL";
/// Reverse offsets.
pub const ROFF: [u8; 4] = *b"ROFF";
/// Reverse edges.
pub const RDEL: [u8; 4] = *b"RDEL";

const NODES_OFFSET: usize = 0;
const EDGES_OFFSET: usize = NODES_OFFSET + 4 + 4; // + 4 pad
const GENERATION_OFFSET: usize = EDGES_OFFSET + 8;
/// The size of `GMET`.
pub const META_LEN: usize = GENERATION_OFFSET + 8;

/// The meta chunk of a graph of `nodes` nodes and `edges` edges, at `generation`.
pub fn meta(nodes: u32, edges: u64, generation: u64) -> [u8; META_LEN] {
    let mut m = [0u8; META_LEN];
    m[NODES_OFFSET..NODES_OFFSET + 4].copy_from_slice(&nodes.to_le_bytes());
    m[EDGES_OFFSET..EDGES_OFFSET + 8].copy_from_slice(&edges.to_le_bytes());
    m[GENERATION_OFFSET..GENERATION_OFFSET + 8].copy_from_slice(&generation.to_le_bytes());
    m
}

/// The validated layout of a graph file: where its chunks are, and its counts. Rows are
/// read from the same bytes it was parsed from.
#[derive(Clone, Debug)]
pub struct Csr {
    nodes: u32,
    edges: u64,
    generation: u64,
    forward: (Range<usize>, Range<usize>),
    reverse: (Range<usize>, Range<usize>),
}

impl Csr {
    /// Validates the graph chunks of container `c`.
    pub fn parse(c: &Container<'_>) -> Result<Csr> {
        let meta = c.chunk(GMET)?;
        if meta.len() < META_LEN {
            bail!(Damaged::file("graph meta"));
        }
        let nodes = u32_at(meta, NODES_OFFSET / 4);
        let edges = u64_at(meta, EDGES_OFFSET / 8);
        let generation = u64_at(meta, GENERATION_OFFSET / 8);
        let direction = |off: [u8; 4], edg: [u8; 4]| -> Result<(Range<usize>, Range<usize>)> {
            let (off, edg) = (c.range(off)?, c.range(edg)?);
            let offsets_fit = (nodes as u64 + 1)
                .checked_mul(8)
                .is_some_and(|need| off.len() as u64 >= need);
            // Every edge takes one byte at least.
            if !offsets_fit || (edg.len() as u64) < edges {
                bail!(Damaged::file("graph chunk sizes"));
            }
            // The chunk is padded to 8 bytes: the codes end in its last 8.
            let end = u64_at(&c.data()[off.clone()], nodes as usize);
            let len = edg.len() as u64;
            if end > len || len - end >= 8 {
                bail!(Damaged::file("graph offsets do not cover the edges"));
            }
            Ok((off, edg.start..edg.start + end as usize))
        };
        Ok(Csr {
            nodes,
            edges,
            generation,
            forward: direction(FOFF, FDEL)?,
            reverse: direction(ROFF, RDEL)?,
        })
    }

    /// Number of nodes (file ids `0..nodes`).
    pub fn nodes(&self) -> u32 {
        self.nodes
    }

    /// Number of edges.
    pub fn edges(&self) -> u64 {
        self.edges
    }

    /// The index generation this snapshot was taken at.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The targets of `node` in `data` (the bytes this layout was parsed from).
    pub fn forward<'a>(&self, data: &'a [u8], node: u32) -> impl Iterator<Item = u32> + 'a {
        self.row(data, &self.forward, node)
    }

    /// The sources of `node` in `data` (the bytes this layout was parsed from).
    pub fn reverse<'a>(&self, data: &'a [u8], node: u32) -> impl Iterator<Item = u32> + 'a {
        self.row(data, &self.reverse, node)
    }

    fn row<'a>(
        &self,
        data: &'a [u8],
        (off, edg): &(Range<usize>, Range<usize>),
        node: u32,
    ) -> impl Iterator<Item = u32> + 'a {
        let nodes = self.nodes;
        let (offs, edges) = (
            data.get(off.clone()).unwrap_or_default(),
            data.get(edg.clone()).unwrap_or_default(),
        );
        let row = match node < nodes && offs.len() >= (node as usize + 2) * 8 {
            true => {
                let (s, e) = (u64_at(offs, node as usize), u64_at(offs, node as usize + 1));
                // Damaged offsets give no row rather than a read out of bounds.
                match s <= e && e <= edges.len() as u64 {
                    true => &edges[s as usize..e as usize],
                    false => &[][..],
                }
            }
            false => &[][..],
        };
        // A code cut short ends the row; the writer checked every target, and this guards
        // the readers' indexing anyway.
        Deltas::new(row).filter(move |&t| t < nodes)
    }
}
