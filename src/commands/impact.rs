//! `git atse impact A..B | --worktree | --cached`: the files a change touches, the
//! definitions it adds, removes, changes or moves, every file that depends on a changed
//! one (ranked by PageRank) and the call sites of the definitions it adds, removes or
//! changes, all in the tree after the change.

use std::collections::{BTreeSet, HashMap};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::file_graph::file_graph;
use super::impact_output::{self, Report};
use super::{found, Session};
use crate::cli::{ImpactArgs, TreeArgs};
use crate::model::TreeId;
use crate::pipeline::impact::{file_changes, Target};
use crate::pipeline::limits_from_config;
use crate::query::deps::pagerank;
use crate::query::impact::{dependents, diff_definitions, Change};
use crate::query::refs::calls_of;

/// The tree before the change, the side after it, and the tree arguments that make the
/// index answer for that side.
fn sides(session: &Session, args: &ImpactArgs) -> Result<(TreeId, Target, TreeArgs)> {
    let tree_of = |rev: &str| -> Result<TreeId> {
        match session.repo.resolve(rev)? {
            Some(t) => Ok(t.tree),
            None => bail!("{rev}: no commit yet"),
        }
    };
    if args.worktree || args.cached {
        let head = tree_of("HEAD")?;
        return Ok(match args.worktree {
            true => (
                head,
                Target::Worktree,
                TreeArgs {
                    worktree: true,
                    ..TreeArgs::default()
                },
            ),
            false => (
                head,
                Target::Tree(session.repo.staged_tree()?),
                TreeArgs {
                    cached: true,
                    ..TreeArgs::default()
                },
            ),
        });
    }
    let range = args.range.as_deref().unwrap_or("HEAD");
    let (a, b) = match range.split_once("..") {
        Some((a, b)) => (a, if b.is_empty() { "HEAD" } else { b }),
        None => (range, "HEAD"),
    };
    if a.is_empty() || b.starts_with('.') {
        bail!("{range:?}: give a range as A..B (or A, meaning A..HEAD)");
    }
    let rev = TreeArgs {
        rev: Some(b.to_string()),
        ..TreeArgs::default()
    };
    Ok((tree_of(a)?, Target::Tree(tree_of(b)?), rev))
}

pub(super) fn run(args: &ImpactArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let report = compute(&session, args)?;
    let any = !report.files.is_empty();
    impact_output::print(&session, &report, args)?;
    Ok(found(any))
}

/// What the change `args` names touches.
pub(super) fn compute(session: &Session, args: &ImpactArgs) -> Result<Report> {
    let Some(index) = session.index_for_query(args.no_update)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let (from, target, tree_args) = sides(session, args)?;
    let limits = limits_from_config(&session.config);
    let max = session.config.query_max_changes as usize;
    let objects = session.layout.objects();
    let files = file_changes(&session.repo, &objects, &from, &target, (limits, max))?;
    let mut report = Report::default();
    for f in &files {
        let (old, new) = (f.old.as_ref(), f.new.as_ref());
        let changes = diff_definitions(
            old.map(|v| (&v.index, v.text.as_slice())),
            new.map(|v| (&v.index, v.text.as_slice())),
        );
        report
            .files
            .push((f.path.clone(), old.is_some(), new.is_some()));
        report
            .definitions
            .extend(changes.into_iter().map(|c| (f.path.clone(), c)));
    }
    if files.is_empty() {
        // Nothing changed: no dependents, no call sites, no graph to build.
        return Ok(report);
    }
    let overlay = session.overlay_for(&index, &tree_args)?;
    let (nodes, edges) = file_graph(session, &index, overlay.as_ref())?;
    let pos: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let changed: Vec<usize> = files
        .iter()
        .filter_map(|f| pos.get(String::from_utf8_lossy(&f.path).as_ref()).copied())
        .collect();
    let scores = pagerank(&edges);
    // The imports among the changed files and their dependents, for pictures.
    let mut shown = vec![false; nodes.len()];
    for &i in &changed {
        shown[i] = true;
    }
    let deps_found = dependents(&edges, &changed, args.depth);
    for &(i, _) in &deps_found {
        shown[i] = true;
    }
    for (i, targets) in edges.iter().enumerate().filter(|(i, _)| shown[*i]) {
        for &t in targets.iter().filter(|&&t| shown[t]) {
            report.edges.push((nodes[i].clone(), nodes[t].clone()));
        }
    }
    let mut deps: Vec<(String, usize, f64)> = deps_found
        .into_iter()
        .map(|(i, d)| (nodes[i].clone(), d, scores[i]))
        .collect();
    deps.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    report.dependents = deps;
    // Call sites of what was added, removed or changed by content (not of what only moved).
    let names: BTreeSet<&str> = report
        .definitions
        .iter()
        .filter(|(_, c)| !matches!(c.change, Change::Moved { .. }))
        .map(|(_, c)| c.name.as_str())
        .collect();
    let mut source = session.object_source(&objects);
    let mut object_of = |blob: &_, lang, path: &[u8]| source.current(path, blob, lang);
    let mut refs = Vec::new();
    for name in names {
        for call in calls_of(&index, &mut object_of, name, overlay.as_ref(), None)? {
            refs.push((name.to_string(), call));
        }
    }
    refs.sort_by(|a, b| (&a.1.path, a.1.line, a.1.column).cmp(&(&b.1.path, b.1.line, b.1.column)));
    report.references = refs;
    Ok(report)
}
