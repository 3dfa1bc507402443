//! Call sites of a name, read from the objects of the files the index says call it.

use anyhow::{bail, Result};

use crate::model::overlay::Overlay;
use crate::model::{BlobId, FileIndex, Lang};
use crate::store::index::Index;

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

/// Every call of `name`, in path, line and column order; with an overlay, as of the tree
/// it describes.
pub fn calls_of(
    index: &Index,
    object_of: &mut ObjectOf<'_>,
    name: &str,
    overlay: Option<&Overlay>,
) -> Result<Vec<Call>> {
    let mut paths = index.paths()?;
    let mut hits = Vec::new();
    for id in index.callers_of(name)? {
        let Some((blob, lang)) = paths.blob(id)? else {
            continue;
        };
        let path = paths.path(id)?;
        if overlay.is_some_and(|o| !o.keeps(&path)) {
            continue;
        }
        let Some(fi) = object_of(&blob, lang, &path)? else {
            bail!(
                "{}: the object of blob {blob} cannot be had; run `git atse update --full`",
                String::from_utf8_lossy(&path)
            );
        };
        hits.extend(calls_in(&path, &fi, name));
    }
    for (path, fi) in overlay.map(|o| &o.files).into_iter().flatten() {
        hits.extend(calls_in(path, fi, name));
    }
    hits.sort();
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
