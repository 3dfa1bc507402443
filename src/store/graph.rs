//! The file dependency graph in CSR form, forward and reverse, memory-mapped.
//!
//! Chunks (see `format`): `GMET` = node count u32, pad u32, edge count u64, generation
//! u64; `FOFF`/`ROFF` = node count + 1 offsets (u64) into `FEDG`/`REDG`, the targets (u32,
//! sorted per node). Nodes are the index's file ids. The file is a snapshot ("base") taken
//! at `generation`; files whose edges changed since are listed in the index as dirty and
//! read from there (see `query::deps`), and the base is rebuilt once the dirty set grows,
//! so a 1-file commit never rewrites a 10M-node file.

use std::path::Path;

use anyhow::{bail, Result};
use memmap2::Mmap;

use super::format::{u32_at, u64_at, FileKind, StreamWriter};
use crate::error::Damaged;

/// One direction of a graph, for `write_rows`: calls its argument with each node that has
/// neighbours and those neighbours (sorted), in increasing node order. It is called more
/// than once.
pub type Rows<'a> = dyn Fn(&mut dyn FnMut(u32, &[u32]) -> Result<()>) -> Result<()> + 'a;

/// Writes the graph of `edges` (source, target) over nodes `0..nodes` to `path`,
/// atomically (in memory: for tests and benchmarks; updates use `write_rows`).
pub fn write(path: &Path, nodes: u32, generation: u64, mut edges: Vec<(u32, u32)>) -> Result<()> {
    edges.sort_unstable();
    edges.dedup();
    let mut reversed: Vec<(u32, u32)> = edges.iter().map(|&(s, t)| (t, s)).collect();
    reversed.sort_unstable();
    let rows = |pairs: &[(u32, u32)], f: &mut dyn FnMut(u32, &[u32]) -> Result<()>| {
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            let targets: Vec<u32> = group.iter().map(|e| e.1).collect();
            f(group[0].0, &targets)?;
        }
        Ok(())
    };
    write_rows(path, nodes, generation, &|f| rows(&edges, f), &|f| {
        rows(&reversed, f)
    })
}

/// Writes the graph whose forward and reverse rows `forward` and `reverse` give (they must
/// describe the same edges) over nodes `0..nodes` to `path`, atomically, streaming: memory
/// is 4 bytes per node, whatever the number of edges.
pub fn write_rows(
    path: &Path,
    nodes: u32,
    generation: u64,
    forward: &Rows<'_>,
    reverse: &Rows<'_>,
) -> Result<()> {
    let n = nodes as usize;
    let mut in_degree = vec![0u32; n];
    let mut edges = 0u64;
    let mut last = None;
    forward(&mut |s, targets| {
        if s >= nodes || last.is_some_and(|l| l >= s) {
            bail!("internal error: graph row {s} out of order or outside {nodes} nodes");
        }
        last = Some(s);
        for &t in targets {
            match in_degree.get_mut(t as usize) {
                Some(d) => *d += 1,
                None => bail!("internal error: edge {s} -> {t} outside {nodes} nodes"),
            }
        }
        edges += targets.len() as u64;
        Ok(())
    })?;
    let offsets_len = (n as u64 + 1) * 8;
    let chunks = [
        (*b"GMET", 24),
        (*b"FOFF", offsets_len),
        (*b"FEDG", edges * 4),
        (*b"ROFF", offsets_len),
        (*b"REDG", edges * 4),
    ];
    let mut out = StreamWriter::create(path, FileKind::Graph, &chunks)?;
    let mut meta = Vec::with_capacity(24);
    meta.extend_from_slice(&nodes.to_le_bytes());
    meta.extend_from_slice(&0u32.to_le_bytes());
    meta.extend_from_slice(&edges.to_le_bytes());
    meta.extend_from_slice(&generation.to_le_bytes());
    out.write(&meta)?;
    // Forward offsets: a node without a row starts where the next one does.
    let (mut next, mut at) = (0u32, 0u64);
    forward(&mut |s, targets| {
        while next <= s {
            out.write(&at.to_le_bytes())?;
            next += 1;
        }
        at += targets.len() as u64;
        Ok(())
    })?;
    while next <= nodes {
        out.write(&at.to_le_bytes())?;
        next += 1;
    }
    forward(&mut |_, targets| {
        for t in targets {
            out.write(&t.to_le_bytes())?;
        }
        Ok(())
    })?;
    let mut at = 0u64;
    for d in &in_degree {
        out.write(&at.to_le_bytes())?;
        at += u64::from(*d);
    }
    out.write(&at.to_le_bytes())?;
    reverse(&mut |t, sources| {
        if in_degree.get(t as usize).copied() != Some(sources.len() as u32) {
            bail!("internal error: the reverse edges of {t} do not match the forward ones");
        }
        for s in sources {
            out.write(&s.to_le_bytes())?;
        }
        Ok(())
    })?;
    out.commit(true)
}

/// Byte ranges of the chunks inside the map.
struct Layout {
    foff: usize,
    fedg: usize,
    roff: usize,
    redg: usize,
}

/// An open, validated graph.
pub struct Graph {
    map: Mmap,
    at: Layout,
    nodes: u32,
    edges: u64,
    generation: u64,
}

impl Graph {
    /// Opens and validates the graph at `path` (magic, version, chunks, checksum, and that
    /// the offsets are ordered and in range); `None` when there is none.
    pub fn open(path: &Path) -> Result<Option<Graph>> {
        let Some((map, meta)) = super::checked::map(path)? else {
            return Ok(None);
        };
        let (at, nodes, edges, generation) = {
            let c = super::checked::parse(path, &meta, &map, FileKind::Graph)?;
            let meta = c.chunk(*b"GMET")?;
            if meta.len() < 24 {
                bail!(Damaged::file("graph meta"));
            }
            let nodes = u32_at(meta, 0);
            let edges = u64_at(meta, 1);
            let generation = u64_at(meta, 2);
            let n = nodes as usize;
            let base = map.as_ptr() as usize;
            let mut at = [0usize; 4];
            for (i, (off, edg)) in [(*b"FOFF", *b"FEDG"), (*b"ROFF", *b"REDG")]
                .into_iter()
                .enumerate()
            {
                let off = c.chunk(off)?;
                let edg = c.chunk(edg)?;
                if off.len() < (n + 1) * 8 || (edg.len() as u64) < edges * 4 {
                    bail!(Damaged::file("graph chunk sizes"));
                }
                if u64_at(off, n) != edges {
                    bail!(Damaged::file("graph offsets do not cover the edges"));
                }
                // Neither the offsets nor the targets are scanned here (16 MB and 120 MB at
                // 1M files, in every process): each row's offsets and targets are checked as
                // it is read, the writer checked them all, and the checksum guards them.
                at[i * 2] = off.as_ptr() as usize - base;
                at[i * 2 + 1] = edg.as_ptr() as usize - base;
            }
            (
                Layout {
                    foff: at[0],
                    fedg: at[1],
                    roff: at[2],
                    redg: at[3],
                },
                nodes,
                edges,
                generation,
            )
        };
        Ok(Some(Graph {
            map,
            at,
            nodes,
            edges,
            generation,
        }))
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

    fn row(&self, off: usize, edg: usize, node: u32) -> impl Iterator<Item = u32> + '_ {
        let nodes = self.nodes;
        let range = if node < self.nodes {
            let offs = &self.map[off..];
            let (s, e) = (u64_at(offs, node as usize), u64_at(offs, node as usize + 1));
            if s <= e && e <= self.edges {
                s as usize..e as usize
            } else {
                0..0 // damaged: no row rather than a read out of bounds
            }
        } else {
            0..0
        };
        let edges = &self.map[edg..];
        // The writer checked every target; this guards the readers' indexing anyway.
        range
            .map(move |e| u32_at(edges, e))
            .filter(move |&t| t < nodes)
    }

    /// The files `node` depends on.
    pub fn forward(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        self.row(self.at.foff, self.at.fedg, node)
    }

    /// The files that depend on `node`.
    pub fn reverse(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        self.row(self.at.roff, self.at.redg, node)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn forward_and_reverse_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph");
        write(&path, 5, 9, vec![(0, 1), (0, 2), (3, 1), (2, 1)]).unwrap();
        let g = Graph::open(&path).unwrap().unwrap();
        assert_eq!((g.nodes(), g.edges(), g.generation()), (5, 4, 9));
        assert_eq!(g.forward(0).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(g.reverse(1).collect::<Vec<_>>(), [0, 2, 3]);
        assert_eq!(g.forward(4).count(), 0);
        assert_eq!(g.forward(99).count(), 0);
        assert!(write(&path, 2, 0, vec![(0, 5)]).is_err());
    }

    #[test]
    fn any_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph");
        write(&path, 3, 1, vec![(0, 1), (1, 2)]).unwrap();
        let good = std::fs::read(&path).unwrap();
        for i in (0..good.len()).step_by(3) {
            let mut b = good.clone();
            b[i] ^= 0x40;
            std::fs::write(&path, &b).unwrap();
            assert!(Graph::open(&path).is_err(), "flip at {i}");
        }
    }
}
