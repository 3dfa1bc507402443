//! What one file contributes to the index, retracted and added row by row; a modified
//! file touches only the rows that differ.

use anyhow::Result;
use redb::ReadableTable;

use super::bulk::Bulk;
use super::meta::State;
use super::patch::Side;
use super::schema::Tables;
use crate::format::keys::{
    file_value, folded_key, id_key, posting_key, posting_value, prefix_range, Containers,
};
use crate::model::{BlobId, FileIndex, Reference};

/// Whether any posting defines `name` (a name's folded row lives as long as it does).
fn defines(t: &Tables<'_>, name: &str) -> Result<bool> {
    let (lo, hi) = prefix_range(name.as_bytes());
    Ok(t.defs.range(lo.as_slice()..hi.as_slice())?.next().is_some())
}

fn distinct_call_names(index: &FileIndex) -> std::collections::BTreeSet<&str> {
    index.references.iter().map(|r| r.name.as_str()).collect()
}

/// What differs between the old and the new side of a modified file: the old postings,
/// call names and import keys the new side lacks (to retract), and the new ones the old
/// side lacks or has with other values (to add). Each side keeps its language and skip
/// reason, so that `retract` and `add` keep the counters exact.
pub(super) fn changed_parts(
    old: &Side<'_>,
    new: &Side<'_>,
) -> (FileIndex, Vec<String>, FileIndex, Vec<String>) {
    use std::collections::{BTreeMap, BTreeSet};
    // The posting each (name, line, column) ends up with: the last definition there.
    // Values name containers by position in their side's whole list, so a posting whose
    // container moved in the list differs too.
    let postings = |index: &FileIndex| -> BTreeMap<(String, u32, u32), Vec<u8>> {
        let mut out = BTreeMap::new();
        let containers = Containers::of(&index.definitions);
        for d in &index.definitions {
            let mut val = Vec::new();
            posting_value(&mut val, d, &containers);
            out.insert((d.name.clone(), d.line, d.column), val);
        }
        out
    };
    let (old_postings, new_postings) = (postings(old.index), postings(new.index));
    let pick = |index: &FileIndex, wanted: &dyn Fn(&(String, u32, u32)) -> bool| FileIndex {
        extractor_version: index.extractor_version,
        lang: index.lang,
        skip: index.skip,
        error_names: index.error_names,
        definitions: index
            .definitions
            .iter()
            .filter(|d| wanted(&(d.name.clone(), d.line, d.column)))
            .cloned()
            .collect(),
        imports: Vec::new(),
        references: Vec::new(),
    };
    let mut old_part = pick(old.index, &|k| !new_postings.contains_key(k));
    let mut new_part = pick(new.index, &|k| old_postings.get(k) != new_postings.get(k));
    let old_calls: BTreeSet<&str> = distinct_call_names(old.index);
    let new_calls: BTreeSet<&str> = distinct_call_names(new.index);
    // The items of `from` whose key is not among `other`'s.
    fn minus<T: Clone, K>(from: &[T], key: impl Fn(&T) -> K, other: &dyn Fn(&K) -> bool) -> Vec<T> {
        from.iter().filter(|x| !other(&key(x))).cloned().collect()
    }
    let name = |r: &Reference| r.name.clone();
    old_part.references = minus(&old.index.references, name, &|n| {
        new_calls.contains(n.as_str())
    });
    new_part.references = minus(&new.index.references, name, &|n| {
        old_calls.contains(n.as_str())
    });
    let same = |k: &String| k.clone();
    let old_keys = minus(old.import_keys, same, &|k| new.import_keys.contains(k));
    let new_keys = minus(new.import_keys, same, &|k| old.import_keys.contains(k));
    (old_part, old_keys, new_part, new_keys)
}

/// Retracts what `old` contributed under file `id` (postings, callers, import keys).
pub(super) fn retract(t: &mut Tables<'_>, st: &mut State, id: u32, old: &Side<'_>) -> Result<()> {
    let mut key = Vec::new();
    if old.index.skip.is_some() {
        st.skipped = st.skipped.saturating_sub(1);
    }
    for d in &old.index.definitions {
        posting_key(&mut key, &d.name, id, d.line, d.column);
        if t.defs.remove(key.as_slice())?.is_none() {
            continue;
        }
        st.symbols -= 1;
        if !defines(t, &d.name)? {
            t.folded.remove(folded_key(&mut key, &d.name))?;
            st.names = st.names.saturating_sub(1);
        }
    }
    for name in distinct_call_names(old.index) {
        t.callers.remove(id_key(name.as_bytes(), id).as_slice())?;
    }
    for k in old.import_keys {
        t.ikeys.remove(id_key(k.as_bytes(), id).as_slice())?;
    }
    Ok(())
}

/// Adds what `new` contributes under file `id` at `path`, where `new` is all of `whole`
/// (the blob's object) or the part of it that changed (see `changed_parts`).
#[allow(clippy::too_many_arguments)]
pub(super) fn add(
    t: &mut Tables<'_>,
    st: &mut State,
    bulk: Option<&mut Bulk>,
    id: u32,
    path: &[u8],
    blob: &BlobId,
    new: &Side<'_>,
    whole: &FileIndex,
) -> Result<()> {
    let index = new.index;
    let mut key = Vec::new();
    let mut val = Vec::new();
    // Positions in the whole file's list: `new` may be only the changed part.
    let containers = Containers::of(&whole.definitions);
    file_value(
        &mut val,
        blob,
        index.lang,
        index.skip,
        path,
        containers.list(),
    );
    t.files.insert(id, val.as_slice())?;
    if index.skip.is_some() {
        st.skipped += 1;
    }
    if let Some(bulk) = bulk {
        for d in &index.definitions {
            posting_key(&mut key, &d.name, id, d.line, d.column);
            posting_value(&mut val, d, &containers);
            bulk.defs.push(&key, &val)?;
        }
        for name in distinct_call_names(index) {
            bulk.callers.push(&id_key(name.as_bytes(), id), &[])?;
        }
        for k in new.import_keys {
            bulk.ikeys.push(&id_key(k.as_bytes(), id), &[])?;
        }
        return Ok(());
    }
    for d in &index.definitions {
        posting_key(&mut key, &d.name, id, d.line, d.column);
        posting_value(&mut val, d, &containers);
        let new_name = !defines(t, &d.name)?;
        if t.defs.insert(key.as_slice(), val.as_slice())?.is_some() {
            continue; // two definitions at one position: one posting
        }
        st.symbols += 1;
        if new_name {
            t.folded.insert(folded_key(&mut key, &d.name), ())?;
            if t.track_fresh {
                t.fresh.insert(d.name.as_str(), ())?;
            }
            st.names += 1;
        }
    }
    for name in distinct_call_names(index) {
        t.callers
            .insert(id_key(name.as_bytes(), id).as_slice(), ())?;
    }
    for k in new.import_keys {
        t.ikeys.insert(id_key(k.as_bytes(), id).as_slice(), ())?;
    }
    Ok(())
}
