//! `git atse status`: what is indexed, from the index's own counters (no scan).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{human, Session};
use crate::cli::StatusArgs;
use crate::query::status::{status, Status};

pub(super) fn run(args: &StatusArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let index = session.index_for_query(args.no_update)?;
    let state = match &index {
        Some(i) => i.state()?,
        None => None,
    };
    let head = session.head_after(state.as_ref())?;
    let head_tree = head.as_ref().map(|h| h.tree.to_string());
    let status = status(&session.layout, index.as_ref(), head_tree)?;
    let overlay = match &index {
        Some(index) => session.overlay_for(index, &args.tree)?,
        None => None,
    };
    let answered = match (&args.tree.rev, args.tree.cached, &overlay) {
        (Some(rev), _, _) => rev.clone(),
        (None, true, _) => "cached".to_string(),
        (None, false, Some(_)) => "worktree".to_string(),
        (None, false, None) => "HEAD".to_string(),
    };
    let changed = overlay.as_ref().map_or(0, |o| o.changed.len());
    // Written through a handle that reports errors: `git atse status | head -1` closes
    // the pipe, which is not a failure (see main).
    let mut out = std::io::stdout().lock();
    match args.json {
        true => print_json(&mut out, &status, (&answered, changed))?,
        false => print_text(&mut out, &status)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn print_json(
    out: &mut impl Write,
    status: &Status,
    (answered, changed): (&str, usize),
) -> Result<()> {
    let (state, objects) = (&status.state, &status.objects);
    let s = state.clone().unwrap_or_default();
    let v = serde_json::json!({
        "indexed_commit": state.as_ref().and_then(|s| s.commit.clone()),
        "indexed_tree": state.as_ref().map(|s| s.tree.clone()),
        "head_tree": status.head_tree,
        "current": status.current,
        "files": s.files,
        "symbols": s.symbols,
        "names": s.names,
        "skipped": s.skipped,
        "objects": objects.objects + objects.packed,
        "loose_objects": objects.objects,
        "packed_objects": objects.packed,
        "bytes": status.bytes(),
        "index_bytes": status.index_bytes,
        "updated_at": s.updated_at,
        "update_ms": s.update_ms,
        "answered": answered,
        "worktree_changed": changed,
    });
    writeln!(out, "{v}")?;
    Ok(())
}

fn print_text(out: &mut impl Write, status: &Status) -> Result<()> {
    let Some(st) = &status.state else {
        writeln!(out, "not indexed yet (run `git atse update`)")?;
        return Ok(());
    };
    let objects = &status.objects;
    writeln!(out, "indexed tree:   {}", st.tree)?;
    writeln!(
        out,
        "indexed commit: {}",
        st.commit.as_deref().unwrap_or("(none)")
    )?;
    writeln!(
        out,
        "HEAD tree:      {}",
        status.head_tree.as_deref().unwrap_or("(no commit)")
    )?;
    writeln!(
        out,
        "current:        {}",
        if status.current { "yes" } else { "no" }
    )?;
    writeln!(out, "files:          {} ({} skipped)", st.files, st.skipped)?;
    writeln!(
        out,
        "symbols:        {} ({} distinct names)",
        st.symbols, st.names
    )?;
    writeln!(
        out,
        "objects:        {} loose, {} packed",
        objects.objects, objects.packed
    )?;
    writeln!(
        out,
        "size on disk:   {} (index {}, objects {})",
        human::size(status.bytes()),
        human::size(status.index_bytes),
        human::size(objects.bytes + objects.packed_bytes)
    )?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    writeln!(
        out,
        "last update:    took {}, {} ({})",
        human::duration_ms(st.update_ms),
        human::ago(st.updated_at, now),
        human::utc(st.updated_at)
    )?;
    Ok(())
}
