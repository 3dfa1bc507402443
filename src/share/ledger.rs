//! The ledger: the packs and objects this clone published or imported, one per line
//! (`pack <anchor>`, `object <id>`), beside the objects, so that neither is sent or
//! imported twice.

use std::collections::HashSet;
use std::io::Write;

use anyhow::{Context as _, Result};

use crate::store::Store;

/// The ids of objects and the anchors of packs on record.
pub(super) fn read(layout: &Store) -> (HashSet<String>, Vec<String>) {
    let text = std::fs::read_to_string(layout.published_path()).unwrap_or_default();
    let mut ids = HashSet::new();
    let mut packs = Vec::new();
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("pack", anchor)) => packs.push(anchor.to_string()),
            Some(("object", id)) => {
                ids.insert(id.to_string());
            }
            _ => {}
        }
    }
    (ids, packs)
}

/// Appends `lines` to the ledger.
pub(super) fn append(layout: &Store, lines: &[String]) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    layout.create_dirs()?;
    let path = layout.published_path();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    for l in lines {
        writeln!(f, "{l}").with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(())
}
