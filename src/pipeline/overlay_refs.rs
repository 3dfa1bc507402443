//! The reference edges of the tree a query asks about (for `map`): the index's, and with
//! an overlay, the names its changed files define or reference recomputed by the rules the
//! index keeps them by (`model::refgraph`), so that the answer equals a fresh index of that
//! tree.

use std::collections::HashMap;

use anyhow::Result;

use super::source::ObjectSource;
use crate::model::overlay::Overlay;
use crate::model::refgraph::{pair_changes, NameChanges, MAX_CALLERS, MAX_DEFINERS};
use crate::model::FileIndex;
use crate::store::index::Index;

/// The edges `(from, to)` of the index's tree, or of the overlay's, as positions given by
/// `pos_of` (a path's node), each once; edges whose ends have no position are left out.
pub fn reference_edges(
    index: &Index,
    source: &mut ObjectSource<'_>,
    overlay: Option<&Overlay>,
    pos_of: impl Fn(&[u8]) -> Option<usize>,
) -> Result<Vec<(usize, usize)>> {
    let none = Overlay::default();
    let overlay = overlay.unwrap_or(&none);
    let mut counts: HashMap<(u32, u32), i64> = HashMap::new();
    for (e, n) in index.reference_edges()? {
        counts.insert(e, i64::from(n));
    }
    // Files the index lacks get ids past its own.
    let mut next = u32::try_from(index.state()?.unwrap_or_default().next_file).unwrap_or(u32::MAX);
    let mut added: HashMap<u32, &[u8]> = HashMap::new();
    let mut changes = NameChanges::new(usize::MAX);
    for path in &overlay.changed {
        let old = match index.file(path)? {
            Some((blob, lang, _)) => {
                match (index.path_id(path)?, source.current(path, &blob, lang)?) {
                    (Some(id), Some(f)) => Some((id, f)),
                    _ => None,
                }
            }
            None => None,
        };
        let new = overlay.files.get(path).map(|f| match &old {
            Some((id, _)) => (*id, f),
            None => {
                added.insert(next, path.as_slice());
                next = next.saturating_add(1);
                (next - 1, f)
            }
        });
        changes.note(old.as_ref().map(|(i, f)| (*i, f as &FileIndex)), new);
    }
    for (name, delta) in changes.names() {
        // Read on the old side at most what decides whether the name counts on either.
        let Some(definers) =
            index.definer_ids(name, MAX_DEFINERS + delta.definers_removed.len())?
        else {
            continue;
        };
        let Some(callers) = index.caller_ids(name, MAX_CALLERS + delta.callers_removed.len())?
        else {
            continue;
        };
        let new = delta.after(&callers, &definers);
        pair_changes((&callers, &definers), (&new.0, &new.1), |c, d, sign| {
            *counts.entry((c, d)).or_default() += i64::from(sign);
        });
    }
    let mut paths = index.paths()?;
    let mut node: HashMap<u32, Option<usize>> = HashMap::new();
    let mut out = Vec::new();
    for ((from, to), n) in counts {
        if n <= 0 {
            continue;
        }
        let mut at = |id: u32| -> Result<Option<usize>> {
            if let Some(p) = node.get(&id) {
                return Ok(*p);
            }
            let p = match added.get(&id) {
                Some(path) => pos_of(path),
                None => pos_of(&paths.path(id)?),
            };
            node.insert(id, p);
            Ok(p)
        };
        if let (Some(a), Some(b)) = (at(from)?, at(to)?) {
            out.push((a, b));
        }
    }
    out.sort_unstable();
    Ok(out)
}
