//! `git atse status`: what is indexed, from the index's own counters (no scan).

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use super::Session;
use crate::cli::StatusArgs;

pub(super) fn run(args: &StatusArgs) -> Result<ExitCode> {
    let session = Session::open()?;
    let index = session.index_for_query(args.no_update)?;
    let state = match &index {
        Some(i) => i.state()?,
        None => None,
    };
    let head = session.head_after(state.as_ref())?;
    let head_tree = head.as_ref().map(|h| h.tree.to_string());
    let current = match (&state, &head_tree) {
        (Some(s), Some(h)) => s.tree == *h,
        (None, None) => true,
        _ => false,
    };
    let index_bytes = std::fs::metadata(session.layout.index_path())
        .map(|m| m.len())
        .unwrap_or(0);
    // Counted as objects are written, never by scanning the directory.
    let objects = session.layout.objects().count();
    let bytes = index_bytes + objects.bytes + objects.packed_bytes;
    let s = state.clone().unwrap_or_default();
    // Written through a handle that reports errors: `git atse status | head -1` closes
    // the pipe, which is not a failure (see main).
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({
            "indexed_commit": state.as_ref().and_then(|s| s.commit.clone()),
            "indexed_tree": state.as_ref().map(|s| s.tree.clone()),
            "head_tree": head_tree,
            "current": current,
            "files": s.files,
            "symbols": s.symbols,
            "names": s.names,
            "skipped": s.skipped,
            "objects": objects.objects + objects.packed,
            "loose_objects": objects.objects,
            "packed_objects": objects.packed,
            "bytes": bytes,
            "index_bytes": index_bytes,
            "updated_at": s.updated_at,
            "update_ms": s.update_ms,
        });
        writeln!(out, "{v}")?;
    } else {
        match &state {
            None => writeln!(out, "not indexed yet (run `git atse update`)")?,
            Some(st) => {
                writeln!(out, "indexed tree:   {}", st.tree)?;
                writeln!(
                    out,
                    "indexed commit: {}",
                    st.commit.as_deref().unwrap_or("(none)")
                )?;
                writeln!(
                    out,
                    "HEAD tree:      {}",
                    head_tree.as_deref().unwrap_or("(no commit)")
                )?;
                writeln!(
                    out,
                    "current:        {}",
                    if current { "yes" } else { "no" }
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
                    "size on disk:   {bytes} bytes (index {index_bytes}, objects {})",
                    objects.bytes + objects.packed_bytes
                )?;
                writeln!(
                    out,
                    "last update:    {} ms, at unix time {}",
                    st.update_ms, st.updated_at
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
