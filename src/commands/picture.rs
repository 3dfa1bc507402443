//! Pictures of part of the file graph: Graphviz `dot` and Mermaid flowcharts, with the
//! files clustered by directory, the file asked about drawn apart and the most central
//! files (PageRank over the picture's own edges) emphasised.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::cli::GraphFormat;
use crate::query::deps::pagerank;

/// The picture formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PictureKind {
    /// Graphviz.
    Dot,
    /// Mermaid.
    Mermaid,
}

/// The picture `format` asks for, if it is one.
pub(crate) fn format_of(format: GraphFormat) -> Option<PictureKind> {
    match format {
        GraphFormat::Dot => Some(PictureKind::Dot),
        GraphFormat::Mermaid => Some(PictureKind::Mermaid),
        GraphFormat::Text | GraphFormat::Json => None,
    }
}

/// The part of the graph to draw: files, and edges importer -> imported by position.
pub(crate) struct Picture {
    /// Repository paths; the first `asked` are the files asked about.
    pub nodes: Vec<String>,
    /// How many of the first nodes were asked about (drawn apart).
    pub asked: usize,
    /// (importer, imported), positions in `nodes`.
    pub edges: Vec<(usize, usize)>,
}

/// How many files are emphasised: a tenth of the picture, from 1 to 10.
fn central(p: &Picture) -> Vec<bool> {
    let mut out_edges = vec![Vec::new(); p.nodes.len()];
    for &(a, b) in &p.edges {
        out_edges[a].push(b);
    }
    let scores = pagerank(&out_edges);
    let mut order: Vec<usize> = (0..p.nodes.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let keep = (p.nodes.len() / 10).clamp(1, 10);
    let mut marks = vec![false; p.nodes.len()];
    for &i in order.iter().take(keep) {
        // Only files something here imports are "central".
        if p.edges.iter().any(|&(_, b)| b == i) {
            marks[i] = true;
        }
    }
    marks
}

/// The nodes grouped by directory ("" for the root), in path order.
fn clusters(p: &Picture) -> BTreeMap<&str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, path) in p.nodes.iter().enumerate() {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        out.entry(dir).or_default().push(i);
    }
    out
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, f)| f)
}

/// A Graphviz string literal.
fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Graphviz `dot` source of `p`.
pub(crate) fn dot(p: &Picture, title: &str) -> String {
    let marks = central(p);
    let mut s = String::new();
    let _ = writeln!(s, "digraph {} {{", dot_quote(title));
    s.push_str(
        "  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n",
    );
    s.push_str("  edge [color=\"#777777\"];\n");
    for (c, (dir, members)) in clusters(p).into_iter().enumerate() {
        let _ = writeln!(s, "  subgraph cluster_{c} {{");
        let _ = writeln!(
            s,
            "    label={}; style=dashed; color=\"#bbbbbb\";",
            dot_quote(if dir.is_empty() { "/" } else { dir })
        );
        for i in members {
            let mut attrs = format!("label={}", dot_quote(file_name(&p.nodes[i])));
            if i < p.asked {
                attrs.push_str(", style=\"rounded,filled,bold\", fillcolor=\"#cfe2ff\"");
            } else if marks[i] {
                attrs.push_str(", style=\"rounded,filled,bold\", fillcolor=\"#ffd27f\"");
            }
            let _ = writeln!(s, "    n{i} [{attrs}];");
        }
        s.push_str("  }\n");
    }
    for &(a, b) in &p.edges {
        let _ = writeln!(s, "  n{a} -> n{b};");
    }
    s.push_str("}\n");
    s
}

/// A Mermaid label: quoted, with its entity escapes for what would end or break it.
fn mermaid_label(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Mermaid flowchart of `p` (GitHub and GitLab render it in Markdown).
pub(crate) fn mermaid(p: &Picture) -> String {
    let marks = central(p);
    let mut s = String::from("flowchart LR\n");
    for (c, (dir, members)) in clusters(p).into_iter().enumerate() {
        let label = mermaid_label(if dir.is_empty() { "/" } else { dir });
        let _ = writeln!(s, "  subgraph c{c}[{label}]");
        for i in members {
            let _ = writeln!(s, "    n{i}[{}]", mermaid_label(file_name(&p.nodes[i])));
        }
        s.push_str("  end\n");
    }
    for &(a, b) in &p.edges {
        let _ = writeln!(s, "  n{a} --> n{b}");
    }
    s.push_str("  classDef asked fill:#cfe2ff,stroke:#3d6fb6,stroke-width:2px\n");
    s.push_str("  classDef central fill:#ffd27f,stroke:#c47f00,stroke-width:2px\n");
    let asked: Vec<String> = (0..p.asked.min(p.nodes.len()))
        .map(|i| format!("n{i}"))
        .collect();
    if !asked.is_empty() {
        let _ = writeln!(s, "  class {} asked", asked.join(","));
    }
    let central: Vec<String> = (p.asked..p.nodes.len())
        .filter(|&i| marks[i])
        .map(|i| format!("n{i}"))
        .collect();
    if !central.is_empty() {
        let _ = writeln!(s, "  class {} central", central.join(","));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Picture {
        Picture {
            nodes: vec![
                "app/main.py".into(),
                "lib/a \"q\".py".into(),
                "lib/b.py".into(),
                "top.py".into(),
            ],
            edges: vec![(0, 1), (0, 2), (1, 2), (3, 2)],
            asked: 1,
        }
    }

    #[test]
    fn dot_clusters_quotes_and_emphasis() {
        let d = dot(&sample(), "deps of app/main.py");
        assert!(d.starts_with("digraph \"deps of app/main.py\" {"), "{d}");
        assert!(d.contains("label=\"lib\""), "{d}");
        assert!(d.contains("label=\"a \\\"q\\\".py\""), "{d}");
        assert!(
            d.contains("n2 [label=\"b.py\", style=\"rounded,filled,bold\""),
            "{d}"
        );
        assert_eq!(d.matches("subgraph cluster_").count(), 3);
        assert!(d.ends_with("}\n"));
    }

    #[test]
    fn mermaid_escapes_and_classes() {
        let m = mermaid(&sample());
        assert!(m.starts_with("flowchart LR\n"));
        assert!(m.contains("n1[\"a #quot;q#quot;.py\"]"), "{m}");
        assert!(m.contains("  class n2 central\n"), "{m}");
        assert_eq!(m.matches("  end\n").count(), 3);
    }
}
