//! The file dependency graph file (`graph`), memory-mapped; its layout is
//! `format::csr`. The file is a snapshot ("base") taken at `generation`; files whose edges
//! changed since are listed in the index as dirty and read from there (see `query::deps`),
//! and the base is rebuilt once the dirty set grows, so a 1-file commit never rewrites a
//! 10M-node file.

use std::path::Path;

use anyhow::{bail, Result};
use memmap2::Mmap;

use super::atomic::ContainerFile;
use crate::format::container::FileKind;
use crate::format::csr::{self, Csr};
use crate::format::varint::{deltas_len, put_deltas};

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
/// is 4 bytes per node, whatever the number of edges. Rows are encoded by `put_deltas`, so
/// each direction is read once to size it and again to write it.
pub fn write_rows(
    path: &Path,
    nodes: u32,
    generation: u64,
    forward: &Rows<'_>,
    reverse: &Rows<'_>,
) -> Result<()> {
    let n = nodes as usize;
    // Each node's in-degree, then (once the reverse rows are checked against it) the bytes
    // of its reverse row.
    let mut per_node = vec![0u32; n];
    let (mut edges, mut forward_bytes) = (0u64, 0u64);
    let mut last = None;
    forward(&mut |s, targets| {
        if s >= nodes || last.is_some_and(|l| l >= s) {
            bail!("internal error: graph row {s} out of order or outside {nodes} nodes");
        }
        last = Some(s);
        for &t in targets {
            match per_node.get_mut(t as usize) {
                Some(d) => *d += 1,
                None => bail!("internal error: edge {s} -> {t} outside {nodes} nodes"),
            }
        }
        edges += targets.len() as u64;
        forward_bytes += deltas_len(targets);
        Ok(())
    })?;
    let (mut reverse_edges, mut reverse_bytes) = (0u64, 0u64);
    let mut last = None;
    reverse(&mut |t, sources| {
        if last.is_some_and(|l| l >= t) {
            bail!("internal error: reverse graph row {t} out of order");
        }
        last = Some(t);
        let slot = per_node.get_mut(t as usize);
        let bytes = deltas_len(sources);
        match slot {
            Some(d) if *d == sources.len() as u32 => {
                *d = u32::try_from(bytes)
                    .map_err(|_| anyhow::anyhow!("the reverse row of {t} is over 4 GiB"))?;
            }
            _ => bail!("internal error: the reverse edges of {t} do not match the forward ones"),
        }
        reverse_edges += sources.len() as u64;
        reverse_bytes += bytes;
        Ok(())
    })?;
    if reverse_edges != edges {
        bail!("internal error: {reverse_edges} reverse edges for {edges} forward ones");
    }
    let offsets_len = (n as u64 + 1) * 8;
    let chunks = [
        (csr::GMET, csr::META_LEN as u64),
        (csr::FOFF, offsets_len),
        (csr::FDEL, forward_bytes),
        (csr::ROFF, offsets_len),
        (csr::RDEL, reverse_bytes),
    ];
    let mut out = ContainerFile::create(path, FileKind::Graph, &chunks)?;
    out.write(&csr::meta(nodes, edges, generation))?;
    // Forward offsets: a node without a row starts where the next one does.
    let (mut next, mut at) = (0u32, 0u64);
    forward(&mut |s, targets| {
        while next <= s {
            out.write(&at.to_le_bytes())?;
            next += 1;
        }
        at += deltas_len(targets);
        Ok(())
    })?;
    while next <= nodes {
        out.write(&at.to_le_bytes())?;
        next += 1;
    }
    let mut row = Vec::new();
    forward(&mut |_, targets| {
        row.clear();
        put_deltas(&mut row, targets);
        out.write(&row)
    })?;
    let mut at = 0u64;
    for bytes in &per_node {
        out.write(&at.to_le_bytes())?;
        at += u64::from(*bytes);
    }
    out.write(&at.to_le_bytes())?;
    reverse(&mut |_, sources| {
        row.clear();
        put_deltas(&mut row, sources);
        out.write(&row)
    })?;
    out.commit(true)
}

/// An open, validated graph.
pub struct Graph {
    map: Mmap,
    csr: Csr,
}

impl Graph {
    /// Opens and validates the graph at `path` (magic, version, chunks, checksum, and that
    /// the offsets cover the edges); `None` when there is none.
    pub fn open(path: &Path) -> Result<Option<Graph>> {
        let Some((map, meta)) = super::checked::map(path)? else {
            return Ok(None);
        };
        let csr = Csr::parse(&super::checked::parse(path, &meta, &map, FileKind::Graph)?)?;
        Ok(Some(Graph { map, csr }))
    }

    /// Number of nodes (file ids `0..nodes`).
    pub fn nodes(&self) -> u32 {
        self.csr.nodes()
    }

    /// Number of edges.
    pub fn edges(&self) -> u64 {
        self.csr.edges()
    }

    /// The index generation this snapshot was taken at.
    pub fn generation(&self) -> u64 {
        self.csr.generation()
    }

    /// The files `node` depends on.
    pub fn forward(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        self.csr.forward(&self.map, node)
    }

    /// The files that depend on `node`.
    pub fn reverse(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        self.csr.reverse(&self.map, node)
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
    fn rows_of_every_code_length_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph");
        let nodes = 300_000;
        // Differences of 1 to 300,000: LEB128 codes of one to three bytes.
        let mut edges: Vec<(u32, u32)> = (0..2_000u32)
            .map(|i| (i * 1_499 % nodes, (i * i * 7 + 1) % nodes))
            .filter(|(s, t)| s != t)
            .collect();
        edges.extend([(0, nodes - 1), (nodes - 1, 0), (5, 6), (5, 7), (5, 299_998)]);
        write(&path, nodes, 1, edges.clone()).unwrap();
        let g = Graph::open(&path).unwrap().unwrap();
        edges.sort_unstable();
        edges.dedup();
        assert_eq!(g.edges(), edges.len() as u64);
        for &(s, _) in &edges {
            let want: Vec<u32> = edges.iter().filter(|e| e.0 == s).map(|e| e.1).collect();
            assert_eq!(g.forward(s).collect::<Vec<_>>(), want, "forward {s}");
        }
        for &(_, t) in &edges {
            let want: Vec<u32> = edges.iter().filter(|e| e.1 == t).map(|e| e.0).collect();
            assert_eq!(g.reverse(t).collect::<Vec<_>>(), want, "reverse {t}");
        }
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
