//! The tools: each answers from the library (never by printing), as text (`path:line` per
//! item) and as structured content saying which commit it reflects, whether uncommitted
//! changes are included, and whether it was cut at its limit.

use anyhow::{bail, Result};
use serde_json::{json, Value};

use super::{schema, RpcError};
use crate::cli::{
    FileGraphArgs, GraphFormat, ImpactArgs, MapArgs, PictureArgs, RdepsArgs, TreeArgs,
};
use crate::commands::worktree_watch::WorktreeWatch;
use crate::commands::{deps, grep_symbol, impact, impact_output, map, status, Session};
use crate::model::overlay::Overlay;
use crate::query::refs::calls_of;
use crate::query::symbol;
use crate::store::index::Index;

/// Lists are cut here unless the call says otherwise.
const DEFAULT_LIMIT: usize = 100;

/// What a tool found: its text, and its items as JSON.
struct Found {
    text: String,
    items: Vec<Value>,
}

/// `tools/call`: checks the arguments, runs the tool; a failure of the tool itself is a
/// result with `isError` (as MCP wants), a bad call a JSON-RPC error.
pub(super) fn call(
    (session, watch): (&Session, &WorktreeWatch),
    params: &Value,
) -> Result<Value, RpcError> {
    let Some(name) = params.get("name").and_then(Value::as_str) else {
        return Err(RpcError::params("tools/call needs a tool name"));
    };
    let args = params
        .get("arguments")
        .cloned()
        .unwrap_or_else(|| json!({}));
    schema::check(name, &args)?;
    Ok(match run((session, watch), name, &args) {
        Ok(v) => v,
        Err(e) => {
            json!({ "content": [{ "type": "text", "text": format!("{e:#}") }], "isError": true })
        }
    })
}

fn str_arg<'a>(args: &'a Value, key: &str) -> Option<&'a str> {
    args.get(key).and_then(Value::as_str)
}
fn bool_arg(args: &Value, key: &str) -> Option<bool> {
    args.get(key).and_then(Value::as_bool)
}
fn int_arg(args: &Value, key: &str) -> Option<usize> {
    args.get(key).and_then(Value::as_u64).map(|n| n as usize)
}

/// The tree a call asks about: the working tree by default (the servers follow edits),
/// HEAD when `worktree` is false or the repository has none, or `rev`.
fn tree_of(session: &Session, args: &Value) -> TreeArgs {
    let rev = str_arg(args, "rev").map(str::to_string);
    let worktree = rev.is_none()
        && bool_arg(args, "worktree").unwrap_or(true)
        && session.repo.work_dir().is_some();
    TreeArgs {
        rev,
        worktree,
        no_worktree: !worktree,
        ..TreeArgs::default()
    }
}

fn run((session, watch): (&Session, &WorktreeWatch), name: &str, args: &Value) -> Result<Value> {
    let limit = int_arg(args, "limit").unwrap_or(DEFAULT_LIMIT);
    let Some(index) = session.index_for_query(false)? else {
        bail!("nothing is indexed yet; run `git atse update` in the repository");
    };
    let tree = tree_of(session, args);
    let overlay = match name {
        "impact" | "repo_map" | "index_status" => None,
        _ => watch.overlay(session, &index, &tree)?,
    };
    let found = match name {
        "find_symbol" => find_symbol(&index, overlay.as_ref(), args, limit)?,
        "find_references" => find_references(session, &index, overlay.as_ref(), args, limit)?,
        "file_deps" => file_deps(session, &index, overlay.as_ref(), args)?,
        "file_rdeps" => file_rdeps(session, &index, overlay.as_ref(), args)?,
        "impact" => impact_of(session, args)?,
        "repo_map" => repo_map(session, args)?,
        _ => index_status(session, &index)?,
    };
    let total = found.items.len();
    let cut = total > limit && !matches!(name, "repo_map" | "index_status" | "impact");
    // Lookups read one past the limit and stop: they know there is more, not how much.
    let probed = matches!(name, "find_symbol" | "find_references");
    let items: Vec<Value> = match cut {
        true => found.items.into_iter().take(limit).collect(),
        false => found.items,
    };
    let mut text = match cut {
        true => found
            .text
            .lines()
            .take(limit)
            .map(|l| format!("{l}\n"))
            .collect(),
        false => found.text,
    };
    match (cut, probed) {
        (true, true) => text.push_str(&format!(
            "(showing the first {limit}; there are more: pass a larger limit)\n"
        )),
        (true, false) => text.push_str(&format!(
            "(showing {limit} of {total}; pass a larger limit for more)\n"
        )),
        (false, _) => {}
    }
    let total = match cut && probed {
        true => Value::Null,
        false => json!(total),
    };
    let commit = index.state()?.and_then(|s| s.commit);
    let worktree = tree.worktree && !matches!(name, "impact" | "repo_map" | "index_status");
    Ok(json!({
        "content": [{ "type": "text", "text": text }],
        "structuredContent": {
            "commit": commit,
            "uncommitted_included": worktree || (name == "impact" && str_arg(args, "range").is_none()),
            "results": items,
            "total": total,
            "truncated": cut,
        },
        "isError": false,
    }))
}

fn find_symbol(
    index: &Index,
    overlay: Option<&Overlay>,
    args: &Value,
    limit: usize,
) -> Result<Found> {
    let kinds: Vec<String> = str_arg(args, "kind")
        .map(str::to_string)
        .into_iter()
        .collect();
    let flags = (
        bool_arg(args, "prefix").unwrap_or(false),
        bool_arg(args, "ignore_case").unwrap_or(false),
    );
    // One more than asked: enough to know the answer was cut.
    let opts = grep_symbol::options_from(&kinds, str_arg(args, "lang"), flags, Some(limit + 1))?;
    let name = str_arg(args, "name").unwrap_or_default();
    let qualified = match flags {
        (false, false) => symbol::split_qualified(name),
        _ => None,
    };
    let mut hits = Vec::new();
    symbol::find_qualified(index, name, qualified, &opts, overlay, |p| {
        hits.push(p.clone());
        Ok(())
    })?;
    let mut found = Found {
        text: String::new(),
        items: Vec::new(),
    };
    for p in &hits {
        let path = String::from_utf8_lossy(&p.path);
        let container = p.container.as_ref().map(|c| c.0.clone());
        let within = container
            .as_ref()
            .map(|c| format!(" (in {c})"))
            .unwrap_or_default();
        found.text.push_str(&format!(
            "{path}:{}: {} {}{within}\n",
            p.line, p.kind, p.name
        ));
        found.items.push(json!({
            "path": path, "line": p.line, "column": p.column, "name": p.name,
            "kind": p.kind.as_str(), "lang": p.lang.as_str(), "container": container,
        }));
    }
    Ok(found)
}

fn find_references(
    session: &Session,
    index: &Index,
    overlay: Option<&Overlay>,
    args: &Value,
    limit: usize,
) -> Result<Found> {
    let objects = session.layout.objects();
    let mut source = session.object_source(&objects);
    let mut object_of = |blob: &_, lang, path: &[u8]| source.current(path, blob, lang);
    let name = str_arg(args, "name").unwrap_or_default();
    let limit = Some(limit.saturating_add(1));
    let mut found = Found {
        text: String::new(),
        items: Vec::new(),
    };
    for c in calls_of(index, &mut object_of, name, overlay, limit)? {
        let path = String::from_utf8_lossy(&c.path);
        let caller = c
            .caller
            .as_deref()
            .map(|c| format!(" in {c}"))
            .unwrap_or_else(|| " at top level".into());
        found
            .text
            .push_str(&format!("{path}:{}:{}:{caller}\n", c.line, c.column));
        found
            .items
            .push(json!({ "path": path, "line": c.line, "column": c.column, "caller": c.caller }));
    }
    Ok(found)
}

/// (transitive, depth) as `deps`/`rdeps` take them: a depth implies transitive.
fn reach(args: &Value) -> (bool, Option<usize>) {
    let depth = int_arg(args, "depth");
    (
        bool_arg(args, "transitive").unwrap_or(false) || depth.is_some(),
        depth,
    )
}

fn paths_found(rows: Vec<(Vec<u8>, usize)>) -> Found {
    let mut found = Found {
        text: String::new(),
        items: Vec::new(),
    };
    for (p, depth) in rows {
        let path = String::from_utf8_lossy(&p).into_owned();
        found.text.push_str(&format!("{path}:1\n"));
        found
            .items
            .push(json!({ "path": path, "line": 1, "depth": depth }));
    }
    found
}

fn file_deps(
    session: &Session,
    index: &Index,
    overlay: Option<&Overlay>,
    args: &Value,
) -> Result<Found> {
    let tree = deps::Tree {
        session,
        index,
        overlay,
    };
    let (transitive, depth) = reach(args);
    let steps = match transitive {
        true => depth.unwrap_or(usize::MAX),
        false => 1,
    };
    let (rows, _) = deps::deps_rows(&tree, str_arg(args, "path").unwrap_or_default(), steps)?;
    Ok(paths_found(rows))
}

fn file_rdeps(
    session: &Session,
    index: &Index,
    overlay: Option<&Overlay>,
    args: &Value,
) -> Result<Found> {
    let (transitive, depth) = reach(args);
    let rdeps = RdepsArgs {
        file: str_arg(args, "path").unwrap_or_default().to_string(),
        transitive,
        depth,
        view: FileGraphArgs {
            // The server cuts at its own `limit` (with the total).
            limit: None,
            out: PictureArgs {
                format: GraphFormat::Text,
                json: false,
                max_nodes: 0,
            },
            no_update: false,
            tree: TreeArgs::default(),
        },
    };
    let path = rdeps.file.clone();
    let rows = match overlay {
        Some(o) => deps::overlaid_rdeps(session, index, o, &path, &rdeps)?,
        None => deps::indexed_rdeps(session, index, &path, &rdeps)?.0,
    };
    Ok(paths_found(rows))
}

fn impact_of(session: &Session, args: &Value) -> Result<Found> {
    let range = str_arg(args, "range").map(str::to_string);
    let worktree = range.is_none() || bool_arg(args, "worktree").unwrap_or(false);
    if range.is_some() && bool_arg(args, "worktree") == Some(true) {
        bail!("give range or worktree, not both");
    }
    let impact_args = ImpactArgs {
        range,
        worktree,
        cached: false,
        depth: None,
        limit: int_arg(args, "limit"),
        out: PictureArgs {
            format: GraphFormat::Json,
            json: false,
            max_nodes: 0,
        },
        no_update: false,
    };
    let report = impact::compute(session, &impact_args)?;
    let limit = impact_args.limit.unwrap_or(DEFAULT_LIMIT);
    let deps = &report.dependents[..report.dependents.len().min(limit)];
    let refs = &report.references[..report.references.len().min(limit)];
    let (mut text, mut rows) = (Vec::new(), Vec::new());
    impact_output::print_text(&mut text, session, &report, (deps, refs))?;
    impact_output::print_json(&mut rows, &report, deps, refs)?;
    let items = String::from_utf8_lossy(&rows)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    Ok(Found {
        text: String::from_utf8_lossy(&text).into_owned(),
        items,
    })
}

fn repo_map(session: &Session, args: &Value) -> Result<Found> {
    let map_args = MapArgs {
        paths: args
            .get("paths")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        tokens: int_arg(args, "tokens").unwrap_or(1024),
        no_update: false,
        tree: TreeArgs::default(),
    };
    let text = map::render(session, &map_args)?;
    let items = text
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|p| json!({ "path": p, "line": 1 }))
        .collect();
    Ok(Found { text, items })
}

fn index_status(session: &Session, index: &Index) -> Result<Found> {
    let state = index.state()?;
    let head = session.head_after(state.as_ref())?;
    let st = crate::query::status::status(
        &session.layout,
        Some(index),
        head.map(|h| h.tree.to_string()),
    )?;
    let mut out = Vec::new();
    status::print_json(&mut out, &st, ("HEAD", 0))?;
    let value: Value = serde_json::from_slice(&out)?;
    Ok(Found {
        text: String::from_utf8_lossy(&out).into_owned(),
        items: vec![value],
    })
}
