//! The whole file graph of the tree a query answers for, as plain data for PageRank and
//! walks (`impact`, `map`): the index's (through the CSR view), or an overlay's; for `map`,
//! with the reference edges beside the imports.

use std::collections::HashMap;

use anyhow::Result;

use super::Session;
use crate::model::overlay::Overlay;
use crate::pipeline::limits_from_config;
use crate::pipeline::overlay_refs;
use crate::query::deps::GraphView;
use crate::store::index::Index;

/// The files (sorted as the index lists them) and, for each, the positions of the files
/// it imports.
pub(super) fn file_graph(
    session: &Session,
    index: &Index,
    overlay: Option<&Overlay>,
) -> Result<(Vec<String>, Vec<Vec<usize>>)> {
    if let Some(overlay) = overlay {
        return crate::pipeline::overlay_rdeps::graph(
            (&session.repo, &session.layout.objects(), index),
            overlay,
            limits_from_config(&session.config),
        );
    }
    let view = GraphView::open(index, &session.layout.graph_path())?;
    let ids = index.file_ids()?;
    let mut paths = index.paths()?;
    // File ids are dense: a position per id, no hashing.
    let size = ids.iter().max().map_or(0, |&m| m as usize + 1);
    let mut pos = vec![usize::MAX; size];
    for (i, &id) in ids.iter().enumerate() {
        pos[id as usize] = i;
    }
    let mut nodes = Vec::with_capacity(ids.len());
    let mut edges = Vec::with_capacity(ids.len());
    for &id in &ids {
        nodes.push(String::from_utf8_lossy(&paths.path(id)?).into_owned());
        let mut out: Vec<usize> = view
            .forward(id)?
            .iter()
            .filter_map(|&t| pos.get(t as usize).copied().filter(|&p| p != usize::MAX))
            .collect();
        out.sort_unstable();
        out.dedup();
        edges.push(out);
    }
    Ok((nodes, edges))
}

/// Adds to `edges` (over `nodes`) the reference edges of the tree asked
/// about: a file points at the files defining the names it references
/// (`model::refgraph`).
pub(super) fn add_reference_edges(
    session: &Session,
    (index, overlay): (&Index, Option<&Overlay>),
    nodes: &[String],
    edges: &mut [Vec<usize>],
) -> Result<()> {
    let at: HashMap<&[u8], usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_bytes(), i))
        .collect();
    let pos_of = |p: &[u8]| at.get(p).copied();
    let objects = session.layout.objects();
    let mut source = session.object_source(&objects);
    let pairs = overlay_refs::reference_edges(index, &mut source, overlay, pos_of)?;
    for (a, b) in pairs {
        if let Some(out) = edges.get_mut(a) {
            out.push(b);
        }
    }
    for out in edges.iter_mut() {
        out.sort_unstable();
        out.dedup();
    }
    Ok(())
}
