//! The `meta` table: what the index describes (tree, commit), its counters and versions.

use anyhow::{bail, Result};
use redb::ReadableTable;

use super::INDEX_FORMAT;
use crate::error::Damaged;
use crate::model::EXTRACTOR_VERSION;

/// What the index describes and how big it is, kept in `meta`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Hex id of the indexed tree.
    pub tree: String,
    /// Hex id of the indexed commit, if the tree came from one.
    pub commit: Option<String>,
    /// Indexed files (paths in a supported language).
    pub files: u64,
    /// Definitions.
    pub symbols: u64,
    /// Files whose blob was skipped (binary, too large, timeout).
    pub skipped: u64,
    /// Distinct defined names.
    pub names: u64,
    /// Unix time of the last update, in seconds.
    pub updated_at: u64,
    /// Duration of the last update, in milliseconds.
    pub update_ms: u64,
    /// The next file id to hand out.
    pub next_file: u64,
    /// Incremented by every commit.
    pub generation: u64,
    /// The generation the graph file (CSR base) was written at; its dirty set is relative
    /// to it.
    pub graph_generation: u64,
    /// File ids below this were handed out in path order (by the last rebuild, which adds
    /// files in tree order): postings of one name keyed by those ids come in path order,
    /// so a lookup can stream them and stop. Later ids (files added since) are few and
    /// sorted apart.
    pub ordered_below: u64,
}

impl State {
    /// The indexed commit and its tree (hex), when the tree came from a commit.
    pub fn commit_and_tree(&self) -> Option<(&str, &str)> {
        self.commit.as_deref().map(|c| (c, self.tree.as_str()))
    }
}

fn meta_u64(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<u64>> {
    match meta.get(key)? {
        Some(v) => {
            let b = v.value();
            let arr: [u8; 8] = b
                .try_into()
                .map_err(|_| Damaged::index(format!("meta {key} has {} bytes", b.len())))?;
            Ok(Some(u64::from_le_bytes(arr)))
        }
        None => Ok(None),
    }
}

fn meta_str(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<String>> {
    Ok(meta
        .get(key)?
        .map(|v| String::from_utf8_lossy(v.value()).into_owned()))
}

pub(super) fn read_state(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<Option<State>> {
    let Some(format) = meta_u64(meta, "format")? else {
        return Ok(None);
    };
    if format != u64::from(INDEX_FORMAT) {
        bail!(Damaged::index(format!(
            "index format {format}, this git-atse uses {INDEX_FORMAT}"
        )));
    }
    let extractor = meta_u64(meta, "extractor")?.unwrap_or(0);
    if extractor != u64::from(EXTRACTOR_VERSION) {
        bail!(Damaged::index(format!(
            "extractor version {extractor}, this git-atse uses {EXTRACTOR_VERSION}"
        )));
    }
    let Some(tree) = meta_str(meta, "tree")? else {
        return Ok(None);
    };
    let get = |k| meta_u64(meta, k).map(|v| v.unwrap_or(0));
    Ok(Some(State {
        tree,
        commit: meta_str(meta, "commit")?.filter(|c| !c.is_empty()),
        files: get("files")?,
        symbols: get("symbols")?,
        skipped: get("skipped")?,
        names: get("names")?,
        updated_at: get("updated_at")?,
        update_ms: get("update_ms")?,
        next_file: get("next_file")?,
        generation: get("generation")?,
        graph_generation: get("graph_generation")?,
        ordered_below: get("ordered_below")?,
    }))
}
