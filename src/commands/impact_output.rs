//! How `impact` prints: sections in the manner of `git diff --stat` (counts, then one line
//! per item), or one JSON object per line, each naming its `section` and `path`.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::picture::{self, Picture, PictureKind};
use super::Session;
use crate::cli::{GraphFormat, ImpactArgs};
use crate::query::impact::{Change, DefChange};
use crate::query::refs::Call;

/// A file that depends on a changed one: (path, distance, PageRank).
pub(super) type Dependent = (String, usize, f64);

/// What `impact` found.
#[derive(Default)]
pub(super) struct Report {
    /// Changed files: (path, existed before, exists after).
    pub files: Vec<(Vec<u8>, bool, bool)>,
    /// Definitions touched, with their file.
    pub definitions: Vec<(Vec<u8>, DefChange)>,
    /// Files that depend on a changed one: (path, distance, PageRank), most central first.
    pub dependents: Vec<Dependent>,
    /// Call sites of added, removed or changed definitions: (called name, call).
    pub references: Vec<(String, Call)>,
    /// Imports among the changed files and their dependents: (importer, imported).
    pub edges: Vec<(String, String)>,
}

/// The picture of the changed files (drawn apart) and their dependents, nearest first, at
/// most `max_nodes` files (a note on stderr when cut).
fn draw(report: &Report, kind: PictureKind, max_nodes: usize) -> String {
    let mut nodes: Vec<String> = report
        .files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.0).into_owned())
        .collect();
    let asked = nodes.len();
    let mut deps: Vec<&Dependent> = report.dependents.iter().collect();
    deps.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    nodes.extend(deps.iter().map(|d| d.0.clone()));
    if nodes.len() > max_nodes.max(asked) {
        eprintln!(
            "git-atse: the picture shows {} of {} files, the changed ones and the nearest dependents (--max-nodes N)",
            max_nodes.max(asked),
            nodes.len()
        );
        nodes.truncate(max_nodes.max(asked));
    }
    let pos: std::collections::HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut edges: Vec<(usize, usize)> = report
        .edges
        .iter()
        .filter_map(|(a, b)| Some((*pos.get(a.as_str())?, *pos.get(b.as_str())?)))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let p = Picture {
        nodes,
        edges,
        asked,
    };
    match kind {
        PictureKind::Dot => picture::dot(&p, "impact"),
        PictureKind::Mermaid => picture::mermaid(&p),
    }
}

fn status((_, before, after): &(Vec<u8>, bool, bool)) -> (&'static str, &'static str) {
    match (before, after) {
        (false, _) => ("A", "added"),
        (_, false) => ("D", "deleted"),
        _ => ("M", "modified"),
    }
}

/// Prints `report` as `args` asks (cut at `--limit`, with a note on stderr when cut).
pub(super) fn print(session: &Session, report: &Report, args: &ImpactArgs) -> Result<()> {
    let limit = args.limit.unwrap_or(usize::MAX);
    let deps = &report.dependents[..report.dependents.len().min(limit)];
    let refs = &report.references[..report.references.len().min(limit)];
    let mut w = BufWriter::new(io::stdout().lock());
    match (args.out.format(), picture::format_of(args.out.format())) {
        (_, Some(kind)) => w.write_all(draw(report, kind, args.out.max_nodes).as_bytes())?,
        (GraphFormat::Json, None) => print_json(&mut w, report, deps, refs)?,
        _ => print_text(&mut w, session, report, (deps, refs))?,
    }
    w.flush()?;
    for (what, shown, all) in [
        ("dependents", deps.len(), report.dependents.len()),
        ("references", refs.len(), report.references.len()),
    ] {
        if shown < all {
            eprintln!("git-atse: printed {shown} of {all} {what} (--limit {limit})");
        }
    }
    if let Some(depth) = args.depth {
        eprintln!("git-atse: dependents at most {depth} steps from a changed file (--depth)");
    }
    Ok(())
}

pub(super) fn print_json(
    w: &mut impl Write,
    report: &Report,
    deps: &[Dependent],
    refs: &[(String, Call)],
) -> Result<()> {
    let lossy = |p: &[u8]| String::from_utf8_lossy(p).into_owned();
    for f in &report.files {
        let v =
            serde_json::json!({ "section": "file", "path": lossy(&f.0), "status": status(f).1 });
        writeln!(w, "{v}")?;
    }
    for (path, d) in &report.definitions {
        let mut v = serde_json::json!({
            "section": "definition", "path": lossy(path), "name": d.name, "kind": d.kind.as_str(),
            "container": d.container, "line": d.line, "change": d.change.as_str(),
        });
        if let Change::Moved { from } = d.change {
            v["from_line"] = from.into();
        }
        writeln!(w, "{v}")?;
    }
    for (path, depth, score) in deps {
        let v = serde_json::json!({ "section": "dependent", "path": path, "depth": depth, "score": score });
        writeln!(w, "{v}")?;
    }
    for (name, c) in refs {
        let v = serde_json::json!({
            "section": "reference", "path": lossy(&c.path), "line": c.line, "column": c.column,
            "name": name, "caller": c.caller,
        });
        writeln!(w, "{v}")?;
    }
    Ok(())
}

pub(super) fn print_text(
    w: &mut impl Write,
    session: &Session,
    report: &Report,
    (deps, refs): (&[Dependent], &[(String, Call)]),
) -> Result<()> {
    let paths = session.path_style()?;
    let path = |w: &mut dyn Write, p: &[u8]| w.write_all(&paths.show(p));
    let n = report.files.len();
    writeln!(w, "{n} file{} changed", if n == 1 { "" } else { "s" })?;
    for f in &report.files {
        write!(w, " {} ", status(f).0)?;
        path(w, &f.0)?;
        writeln!(w)?;
    }
    writeln!(
        w,
        "\n{} definitions added, removed, changed or moved",
        report.definitions.len()
    )?;
    for (p, d) in &report.definitions {
        write!(w, " ")?;
        path(w, p)?;
        let container = d
            .container
            .as_ref()
            .map(|c| format!(" (in {c})"))
            .unwrap_or_default();
        write!(
            w,
            ":{}: {} {}{container}: {}",
            d.line,
            d.kind,
            d.name,
            d.change.as_str()
        )?;
        match d.change {
            Change::Moved { from } => writeln!(w, " from line {from}")?,
            _ => writeln!(w)?,
        }
    }
    writeln!(
        w,
        "\n{} files depend on them (most central first)",
        report.dependents.len()
    )?;
    for (p, depth, _) in deps {
        write!(w, " ")?;
        path(w, p.as_bytes())?;
        writeln!(w, " ({depth} step{})", if *depth == 1 { "" } else { "s" })?;
    }
    writeln!(
        w,
        "\n{} call sites of added, removed or changed definitions",
        report.references.len()
    )?;
    for (name, c) in refs {
        write!(w, " ")?;
        path(w, &c.path)?;
        match &c.caller {
            Some(caller) => writeln!(w, ":{}:{}: {name} in {caller}", c.line, c.column)?,
            None => writeln!(w, ":{}:{}: {name} at top level", c.line, c.column)?,
        }
    }
    Ok(())
}
