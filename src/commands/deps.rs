//! `git atse deps` and `git atse rdeps`: as lists (text, JSON) or pictures (dot, mermaid).

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{bail, Result};

use super::{deps_picture, found, output, picture, Session};
use crate::cli::{DepsArgs, GraphFormat, RdepsArgs, TreeArgs};
use crate::model::overlay::Overlay;
use crate::query::deps::GraphView;
use crate::store::index::Index;

/// A file's dependencies: the paths it imports, and its imports of nothing in the tree.
pub(super) type Deps = (Vec<Vec<u8>>, Vec<String>);

/// Files with their distance from FILE.
pub(super) type Dependents = Vec<(Vec<u8>, usize)>;

/// The index (caught up once), the overlay `tree` asks for (`None` for HEAD: the index
/// answers as it is) and the repository path of `file`.
fn open(
    session: &Session,
    file: &str,
    no_update: bool,
    tree: &TreeArgs,
) -> Result<(Index, Option<Overlay>, String)> {
    let Some(index) = session.index_for_query(no_update)? else {
        bail!("nothing is indexed yet; run `git atse update`");
    };
    let overlay = session.overlay_for(&index, tree)?;
    Ok((index, overlay, session.repo_path(file)?))
}

/// The file id of `path` in the index.
fn indexed_id(index: &Index, path: &str) -> Result<u32> {
    match index.path_id(path.as_bytes())? {
        Some(id) => Ok(id),
        None => bail!("{path}: not an indexed file (only files in a supported language are)"),
    }
}

/// The dependencies of FILE in the index.
fn indexed_deps(index: &Index, path: &str) -> Result<Deps> {
    let id = indexed_id(index, path)?;
    let mut paths = index.paths()?;
    let mut deps: Vec<Vec<u8>> = index
        .deps_of(id)?
        .into_iter()
        .map(|t| paths.path(t))
        .collect::<Result<_>>()?;
    deps.sort();
    Ok((deps, index.externals_of(id)?))
}

/// The dependencies of FILE in the tree `--rev`, `--cached` or `--worktree` asks for.
fn overlaid_deps(session: &Session, index: &Index, overlay: &Overlay, path: &str) -> Result<Deps> {
    let (deps, externals) = crate::pipeline::overlay_deps::deps_of(
        &session.repo,
        &session.layout.objects(),
        index,
        overlay,
        path,
        crate::pipeline::limits_from_config(&session.config),
    )?;
    Ok((
        deps.into_iter().map(String::into_bytes).collect(),
        externals,
    ))
}

/// What depends on FILE in the index, with the distance, and how many files do. With
/// `--limit N`, only the files that can be among the first N by path.
pub(super) fn indexed_rdeps(
    session: &Session,
    index: &Index,
    path: &str,
    args: &RdepsArgs,
) -> Result<(Dependents, usize)> {
    let id = indexed_id(index, path)?;
    let view = GraphView::open(index, &session.layout.graph_path())?;
    let mut hits: Vec<(u32, usize)> = if args.transitive || args.depth.is_some() {
        view.reverse_closure(id, args.depth)?
    } else {
        view.reverse(id)?.into_iter().map(|s| (s, 1)).collect()
    };
    let total = hits.len();
    if let Some(limit) = args.view.limit {
        hits = first_by_path(hits, limit, index)?;
    }
    let mut paths = index.paths()?;
    let mut rows: Vec<(Vec<u8>, usize)> = hits
        .into_iter()
        .map(|(s, d)| Ok((paths.path(s)?, d)))
        .collect::<Result<_>>()?;
    rows.sort();
    Ok((rows, total))
}

/// The files of `hits` that can be among the first `limit` by path, without looking up
/// every path: ids below the index's `ordered_below` were numbered in path order, so only
/// the first `limit` of them, and the files added since, can be.
fn first_by_path(
    mut hits: Vec<(u32, usize)>,
    limit: usize,
    index: &Index,
) -> Result<Vec<(u32, usize)>> {
    let ordered = index.state()?.map_or(0, |s| s.ordered_below);
    let (mut early, late): (Vec<_>, Vec<_>) =
        hits.drain(..).partition(|&(id, _)| u64::from(id) < ordered);
    early.sort_unstable();
    early.truncate(limit);
    early.extend(late);
    Ok(early)
}

/// What depends on FILE in the tree `--rev`, `--cached` or `--worktree` asks for.
pub(super) fn overlaid_rdeps(
    session: &Session,
    index: &Index,
    overlay: &Overlay,
    path: &str,
    args: &RdepsArgs,
) -> Result<Dependents> {
    let rows = crate::pipeline::overlay_rdeps::rdeps_of(
        (&session.repo, &session.layout.objects(), index),
        overlay,
        path,
        (args.transitive || args.depth.is_some(), args.depth),
        crate::pipeline::limits_from_config(&session.config),
    )?;
    Ok(rows.into_iter().map(|(p, d)| (p.into_bytes(), d)).collect())
}

/// The tree a query answers for, as `deps` and `rdeps` walk it.
pub(super) struct Tree<'a> {
    pub session: &'a Session,
    pub index: &'a Index,
    pub overlay: Option<&'a Overlay>,
}

impl Tree<'_> {
    /// What `path` imports in this tree.
    pub fn deps(&self, path: &str) -> Result<Deps> {
        match self.overlay {
            Some(overlay) => overlaid_deps(self.session, self.index, overlay, path),
            None => indexed_deps(self.index, path),
        }
    }
}

/// What FILE imports, and with `--depth N` what those import, up to N steps away: (path,
/// distance) sorted by path; and FILE's own imports of nothing.
pub(super) fn deps_rows(
    tree: &Tree<'_>,
    path: &str,
    depth: usize,
) -> Result<(Dependents, Vec<String>)> {
    let (direct, externals) = tree.deps(path)?;
    let mut seen: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut queue: VecDeque<(Vec<u8>, usize)> = direct.into_iter().map(|p| (p, 1)).collect();
    while let Some((p, d)) = queue.pop_front() {
        if p == path.as_bytes() || seen.contains_key(&p) {
            continue;
        }
        seen.insert(p.clone(), d);
        if d < depth {
            let (next, _) = tree.deps(&String::from_utf8_lossy(&p))?;
            queue.extend(next.into_iter().map(|n| (n, d + 1)));
        }
    }
    Ok((seen.into_iter().collect(), externals))
}

pub(super) fn run_deps(args: &DepsArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let (index, overlay, path) = open(&session, &args.file, args.view.no_update, &args.view.tree)?;
    let tree = Tree {
        session: &session,
        index: &index,
        overlay: overlay.as_ref(),
    };
    let (rows, mut externals) = deps_rows(&tree, &path, args.depth.unwrap_or(1))?;
    if !args.external {
        externals.clear();
    }
    let out = &args.view.out;
    let format = out.format();
    if let Some(picture) = picture::format_of(format) {
        let title = format!("deps of {path}");
        return deps_picture::print(&tree, &path, &rows, (picture, &title), out.max_nodes);
    }
    let paths = session.path_style()?;
    let mut w = BufWriter::new(io::stdout().lock());
    let all = rows.len() + externals.len();
    let (rows, externals) = cut_both(rows, externals, args.view.limit);
    for (p, depth) in &rows {
        if format == GraphFormat::Json {
            let mut v =
                serde_json::json!({ "path": String::from_utf8_lossy(p), "external": false });
            if args.depth.is_some() {
                v["depth"] = (*depth).into();
            }
            output::add_path_bytes(&mut v, p);
            writeln!(w, "{v}")?;
        } else {
            w.write_all(&paths.show(p))?;
            w.write_all(b"\n")?;
        }
    }
    for e in &externals {
        if format == GraphFormat::Json {
            writeln!(
                w,
                "{}",
                serde_json::json!({ "import": e, "external": true })
            )?;
        } else {
            writeln!(w, "{e} (external)")?;
        }
    }
    w.flush()?;
    note_cut(rows.len() + externals.len(), all, args.view.limit);
    Ok(found(all > 0))
}

/// `rows` then `externals`, at most `limit` of them in all.
fn cut_both(
    mut rows: Dependents,
    mut externals: Vec<String>,
    limit: Option<usize>,
) -> (Dependents, Vec<String>) {
    let limit = limit.unwrap_or(usize::MAX);
    rows.truncate(limit);
    externals.truncate(limit - rows.len());
    (rows, externals)
}

/// Says on stderr that `--limit` printed `shown` of `all` (stdout keeps exactly the lines).
fn note_cut(shown: usize, all: usize, limit: Option<usize>) {
    if let Some(limit) = limit.filter(|_| shown < all) {
        eprintln!("git-atse: printed {shown} of {all} (--limit {limit})");
    }
}

pub(super) fn run_rdeps(args: &RdepsArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let (index, overlay, path) = open(&session, &args.file, args.view.no_update, &args.view.tree)?;
    let (rows, all) = match &overlay {
        Some(overlay) => {
            let rows = overlaid_rdeps(&session, &index, overlay, &path, args)?;
            let all = rows.len();
            (rows, all)
        }
        None => indexed_rdeps(&session, &index, &path, args)?,
    };
    let out = &args.view.out;
    let format = out.format();
    if let Some(picture) = picture::format_of(format) {
        let tree = Tree {
            session: &session,
            index: &index,
            overlay: overlay.as_ref(),
        };
        let title = format!("rdeps of {path}");
        return deps_picture::print(&tree, &path, &rows, (picture, &title), out.max_nodes);
    }
    let paths = session.path_style()?;
    let mut w = BufWriter::new(io::stdout().lock());
    let (rows, _) = cut_both(rows, Vec::new(), args.view.limit);
    for (p, depth) in &rows {
        if format == GraphFormat::Json {
            let mut v = serde_json::json!({ "path": String::from_utf8_lossy(p), "depth": depth });
            output::add_path_bytes(&mut v, p);
            writeln!(w, "{v}")?;
        } else {
            w.write_all(&paths.show(p))?;
            w.write_all(b"\n")?;
        }
    }
    w.flush()?;
    note_cut(rows.len(), all, args.view.limit);
    Ok(found(all > 0))
}
