//! Call sites of a name, read from the objects of the files the index says call it.

use anyhow::{bail, Result};

use crate::model::overlay::Overlay;
use crate::model::{BlobId, FileIndex, Lang};
use crate::store::index::{Caller, Index};

/// Gives the object of a file (its blob, language and path), `None` when there is none to
/// be had: the stored one, or (from `pipeline`) one extracted again when it is damaged.
pub type ObjectOf<'a> = dyn FnMut(&BlobId, Lang, &[u8]) -> Result<Option<FileIndex>> + 'a;

/// One call site.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Call {
    /// The calling file's path.
    pub path: Vec<u8>,
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub column: u32,
    /// The enclosing definition (`Container.name`), `None` at top level.
    pub caller: Option<String>,
}

/// The calls of `name` in path, line and column order, at most `limit` (all by default);
/// with an overlay, as of the tree it describes. The calling files are read in path order
/// and the reading stops at the limit: `--limit 10` of a name called from 100,000 files
/// reads a few objects.
pub fn calls_of(
    index: &Index,
    object_of: &mut ObjectOf<'_>,
    name: &str,
    overlay: Option<&Overlay>,
    limit: Option<usize>,
) -> Result<Vec<Call>> {
    let limit = limit.unwrap_or(usize::MAX);
    let mut extra: Vec<Call> = overlay
        .map(|o| &o.files)
        .into_iter()
        .flatten()
        .flat_map(|(path, fi)| calls_in(path, fi, name))
        .collect();
    extra.sort();
    let mut extra = extra.into_iter().peekable();
    let mut hits = Vec::new();
    index.callers_streamed(name, |(path, blob, lang): &Caller| {
        if overlay.is_some_and(|o| !o.keeps(path)) {
            return Ok(true);
        }
        hits.extend(std::iter::from_fn(|| extra.next_if(|c| &c.path < path)));
        if hits.len() >= limit {
            return Ok(false);
        }
        let Some(fi) = object_of(blob, *lang, path)? else {
            bail!(
                "{}: the object of blob {blob} cannot be had; run `git atse update --full`",
                String::from_utf8_lossy(path)
            );
        };
        let mut calls: Vec<Call> = calls_in(path, &fi, name).collect();
        calls.sort();
        hits.extend(calls);
        Ok(hits.len() < limit)
    })?;
    hits.extend(extra);
    hits.truncate(limit);
    Ok(hits)
}

/// The calls of `name` in the object `fi` of the file at `path`.
fn calls_in<'a>(
    path: &'a [u8],
    fi: &'a FileIndex,
    name: &'a str,
) -> impl Iterator<Item = Call> + 'a {
    fi.references
        .iter()
        .filter(move |r| r.name == name)
        .map(move |r| {
            let caller = r
                .caller
                .and_then(|c| fi.definitions.get(c as usize))
                .map(|d| match &d.container {
                    Some((c, _)) => format!("{c}.{}", d.name),
                    None => d.name.clone(),
                });
            Call {
                path: path.to_vec(),
                line: r.line,
                column: r.column,
                caller,
            }
        })
}
