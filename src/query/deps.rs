//! The file graph as queries see it: the memory-mapped CSR base, overlaid with the files
//! whose edges changed since it was written (read from the index). With no usable base
//! (none yet, damaged, or from an uncommitted update) everything comes from the index.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use anyhow::Result;

use crate::store::graph::Graph;
use crate::store::index::Index;

/// Forward and reverse edges of the current graph.
pub struct GraphView<'i> {
    index: &'i Index,
    base: Option<Graph>,
    dirty: HashSet<u32>,
    /// Current forward edges of the dirty files.
    dirty_forward: HashMap<u32, Vec<u32>>,
    /// Reverse of `dirty_forward`.
    dirty_reverse: HashMap<u32, Vec<u32>>,
}

impl<'i> GraphView<'i> {
    /// The view of `index`, using the graph file at `graph_path` when it matches.
    pub fn open(index: &'i Index, graph_path: &Path) -> Result<GraphView<'i>> {
        let state = index.state()?.unwrap_or_default();
        // A damaged or mismatched base is ignored: answers then come from the index.
        let base = Graph::open(graph_path)
            .ok()
            .flatten()
            .filter(|g| g.generation() == state.graph_generation && state.graph_generation > 0);
        let mut view = GraphView {
            index,
            base,
            dirty: HashSet::new(),
            dirty_forward: HashMap::new(),
            dirty_reverse: HashMap::new(),
        };
        if view.base.is_some() {
            for id in index.dirty_ids()? {
                let targets = index.deps_of(id)?;
                for &t in &targets {
                    view.dirty_reverse.entry(t).or_default().push(id);
                }
                view.dirty.insert(id);
                view.dirty_forward.insert(id, targets);
            }
        }
        Ok(view)
    }

    /// Whether the CSR base is in use (for reporting).
    pub fn has_base(&self) -> bool {
        self.base.is_some()
    }

    /// The files `node` depends on.
    pub fn forward(&self, node: u32) -> Result<Vec<u32>> {
        match &self.base {
            Some(base) if !self.dirty.contains(&node) => Ok(base.forward(node).collect()),
            Some(_) => Ok(self.dirty_forward.get(&node).cloned().unwrap_or_default()),
            None => self.index.deps_of(node),
        }
    }

    /// The files that depend on `node`.
    pub fn reverse(&self, node: u32) -> Result<Vec<u32>> {
        match &self.base {
            Some(base) => {
                let mut out: Vec<u32> = base
                    .reverse(node)
                    .filter(|s| !self.dirty.contains(s))
                    .collect();
                if let Some(more) = self.dirty_reverse.get(&node) {
                    out.extend(more);
                }
                out.sort_unstable();
                out.dedup();
                Ok(out)
            }
            None => self.index.rdeps_of(node),
        }
    }

    /// The files reachable from `start` through reverse edges (who depends on it,
    /// transitively), with their distance, up to `max_depth` steps (`None`: no limit).
    pub fn reverse_closure(
        &self,
        start: u32,
        max_depth: Option<usize>,
    ) -> Result<Vec<(u32, usize)>> {
        let mut seen = HashSet::from([start]);
        let mut queue = VecDeque::from([(start, 0usize)]);
        let mut out = Vec::new();
        while let Some((node, depth)) = queue.pop_front() {
            if max_depth.is_some_and(|m| depth >= m) {
                continue;
            }
            for s in self.reverse(node)? {
                if seen.insert(s) {
                    out.push((s, depth + 1));
                    queue.push_back((s, depth + 1));
                }
            }
        }
        Ok(out)
    }

    /// PageRank over the live files (damping 0.85, 30 iterations); scores sum to 1.
    pub fn rank(&self, live: &[u32]) -> Result<Vec<(u32, f64)>> {
        let n = live.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        let pos: HashMap<u32, usize> = live.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let mut out_edges: Vec<Vec<usize>> = Vec::with_capacity(n);
        for &id in live {
            let mut targets: Vec<usize> = self
                .forward(id)?
                .iter()
                .filter_map(|t| pos.get(t).copied())
                .collect();
            targets.sort_unstable();
            targets.dedup();
            out_edges.push(targets);
        }
        let d = 0.85;
        let mut score = vec![1.0 / n as f64; n];
        for _ in 0..30 {
            let mut next = vec![(1.0 - d) / n as f64; n];
            let mut dangling = 0.0;
            for (i, targets) in out_edges.iter().enumerate() {
                if targets.is_empty() {
                    dangling += score[i];
                } else {
                    let share = d * score[i] / targets.len() as f64;
                    for &t in targets {
                        next[t] += share;
                    }
                }
            }
            let spread = d * dangling / n as f64;
            for v in &mut next {
                *v += spread;
            }
            score = next;
        }
        Ok(live.iter().copied().zip(score).collect())
    }
}
