//! `deps` and `rdeps` as pictures: the files nearest FILE (up to `--max-nodes`), and every
//! import among them.

use std::collections::HashMap;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;

use super::deps::{Dependents, Tree};
use super::found;
use super::picture::{self, Picture, PictureKind};

/// Prints the picture of FILE (`root`) and `rows` (files with their distance from it).
pub(super) fn print(
    tree: &Tree<'_>,
    root: &str,
    rows: &Dependents,
    (kind, title): (PictureKind, &str),
    max_nodes: usize,
) -> Result<ExitCode> {
    let mut chosen: Vec<&(Vec<u8>, usize)> = rows.iter().collect();
    chosen.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let keep = max_nodes.max(1) - 1;
    if chosen.len() > keep {
        eprintln!(
            "git-atse: the picture shows {} of {} files, the nearest first (--max-nodes N)",
            keep + 1,
            chosen.len() + 1
        );
        chosen.truncate(keep);
    }
    let mut nodes = vec![root.to_string()];
    nodes.extend(
        chosen
            .iter()
            .map(|(p, _)| String::from_utf8_lossy(p).into_owned()),
    );
    let pos: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        for target in tree.deps(node)?.0 {
            if let Some(&j) = pos.get(String::from_utf8_lossy(&target).as_ref()) {
                if j != i {
                    edges.push((i, j));
                }
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    let picture = Picture {
        nodes,
        edges,
        asked: 1,
    };
    let text = match kind {
        PictureKind::Dot => picture::dot(&picture, title),
        PictureKind::Mermaid => picture::mermaid(&picture),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(found(!rows.is_empty()))
}
