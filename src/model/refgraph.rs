//! References as file -> file edges, for ranking files (`map`): a file that references a
//! name points at the files that define it. Only names defined in a few files count (a name
//! defined everywhere does not say which file is meant), and only names referenced from a
//! bounded number of files (so that one changed file never rewrites an unbounded number of
//! edges). An edge holds the number of names that make it; it exists while that is above 0.
//!
//! The index keeps these edges current by name: an update notes which files started or
//! stopped defining or referencing each name ([`NameChanges`]), then recomputes, for those
//! names only, the pairs their change removes and adds ([`pair_changes`]). The same rules
//! apply to a query's overlay, so that incremental, overlaid and fresh agree.

use std::collections::{BTreeMap, BTreeSet};

use super::FileIndex;

/// A name counts when it is defined in at most this many files...
pub const MAX_DEFINERS: usize = 4;
/// ... and referenced from at most this many.
pub const MAX_CALLERS: usize = 4096;

/// Whether a name defined in `definers` files and referenced from `callers` files makes
/// edges.
pub fn counts(definers: usize, callers: usize) -> bool {
    (1..=MAX_DEFINERS).contains(&definers) && callers <= MAX_CALLERS
}

/// How the files defining and referencing one name changed, by file id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameDelta {
    /// Files that reference the name now and did not before.
    pub callers_added: Vec<u32>,
    /// Files that referenced the name and no longer do.
    pub callers_removed: Vec<u32>,
    /// Files that define the name now and did not before.
    pub definers_added: Vec<u32>,
    /// Files that defined the name and no longer do.
    pub definers_removed: Vec<u32>,
}

impl NameDelta {
    /// The sets before, given the sets after (`callers`, `definers`, sorted and distinct).
    pub fn before(&self, callers: &[u32], definers: &[u32]) -> (Vec<u32>, Vec<u32>) {
        (
            apply(callers, &self.callers_added, &self.callers_removed),
            apply(definers, &self.definers_added, &self.definers_removed),
        )
    }

    /// The sets after, given the sets before.
    pub fn after(&self, callers: &[u32], definers: &[u32]) -> (Vec<u32>, Vec<u32>) {
        (
            apply(callers, &self.callers_removed, &self.callers_added),
            apply(definers, &self.definers_removed, &self.definers_added),
        )
    }

    fn len(&self) -> usize {
        self.callers_added.len()
            + self.callers_removed.len()
            + self.definers_added.len()
            + self.definers_removed.len()
    }
}

/// `set` without `minus`, with `plus`: sorted and distinct.
fn apply(set: &[u32], minus: &[u32], plus: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = set
        .iter()
        .copied()
        .filter(|x| !minus.contains(x))
        .chain(plus.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The per-name changes of a batch of file changes. Past `budget` noted memberships the
/// record gives up (`overflowed`): so large a change is cheaper to recompute whole.
#[derive(Debug)]
pub struct NameChanges {
    names: BTreeMap<String, NameDelta>,
    noted: usize,
    budget: usize,
    overflowed: bool,
}

impl NameChanges {
    /// An empty record that gives up past `budget` memberships.
    pub fn new(budget: usize) -> NameChanges {
        NameChanges {
            names: BTreeMap::new(),
            noted: 0,
            budget,
            overflowed: false,
        }
    }

    /// Whether the record gave up (the edges must be recomputed whole).
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// Notes that a path held `old` under file id `old.0` and holds `new` under `new.0`
    /// (a modification keeps its id; an addition or deletion has one side).
    pub fn note(&mut self, old: Option<(u32, &FileIndex)>, new: Option<(u32, &FileIndex)>) {
        if self.overflowed {
            return;
        }
        let (od, oc) = old.map(|(_, f)| names_of(f)).unwrap_or_default();
        let (nd, nc) = new.map(|(_, f)| names_of(f)).unwrap_or_default();
        let same = matches!((old, new), (Some((a, _)), Some((b, _))) if a == b);
        // A path changed twice in one batch toggles a membership back: the toggles cancel.
        let mut add = |names: &BTreeSet<&str>, others: &BTreeSet<&str>, id, (to, back): Lists| {
            for n in names.iter().filter(|n| !same || !others.contains(*n)) {
                let d = self.names.entry((*n).to_string()).or_default();
                match back(d).iter().position(|&x| x == id) {
                    Some(at) => {
                        back(d).swap_remove(at);
                    }
                    None => to(d).push(id),
                }
                self.noted += 1;
            }
        };
        if let Some((id, _)) = old {
            add(
                &od,
                &nd,
                id,
                (|d| &mut d.definers_removed, |d| &mut d.definers_added),
            );
            add(
                &oc,
                &nc,
                id,
                (|d| &mut d.callers_removed, |d| &mut d.callers_added),
            );
        }
        if let Some((id, _)) = new {
            add(
                &nd,
                &od,
                id,
                (|d| &mut d.definers_added, |d| &mut d.definers_removed),
            );
            add(
                &nc,
                &oc,
                id,
                (|d| &mut d.callers_added, |d| &mut d.callers_removed),
            );
        }
        if self.noted > self.budget {
            self.overflowed = true;
            self.names.clear();
        }
    }

    /// The changed names and how, in name order (empty once overflowed).
    pub fn names(&self) -> impl Iterator<Item = (&str, &NameDelta)> {
        self.names
            .iter()
            .filter(|(_, d)| d.len() > 0)
            .map(|(n, d)| (n.as_str(), d))
    }
}

/// The list a membership change goes to, and the one holding the opposite change.
type Lists = (
    fn(&mut NameDelta) -> &mut Vec<u32>,
    fn(&mut NameDelta) -> &mut Vec<u32>,
);

/// The distinct names `f` defines and references.
pub fn names_of(f: &FileIndex) -> (BTreeSet<&str>, BTreeSet<&str>) {
    (
        f.definitions.iter().map(|d| d.name.as_str()).collect(),
        f.references.iter().map(|r| r.name.as_str()).collect(),
    )
}

/// The edges of a whole tree computed directly from every file's object, by path, with
/// their counts: what the index's incremental upkeep must always equal (the model tests
/// and the fuzz target check it against this).
pub fn edges_of<'a>(
    files: impl IntoIterator<Item = (&'a [u8], &'a FileIndex)>,
) -> BTreeMap<(Vec<u8>, Vec<u8>), u32> {
    let mut definers: BTreeMap<&str, BTreeSet<&[u8]>> = BTreeMap::new();
    let mut callers: BTreeMap<&str, BTreeSet<&[u8]>> = BTreeMap::new();
    for (path, f) in files {
        let (defs, refs) = names_of(f);
        for n in defs {
            definers.entry(n).or_default().insert(path);
        }
        for n in refs {
            callers.entry(n).or_default().insert(path);
        }
    }
    let mut out = BTreeMap::new();
    for (name, cs) in &callers {
        let ds = definers.get(name).cloned().unwrap_or_default();
        if !counts(ds.len(), cs.len()) {
            continue;
        }
        for c in cs {
            for d in ds.iter().filter(|d| *d != c) {
                *out.entry((c.to_vec(), d.to_vec())).or_insert(0) += 1;
            }
        }
    }
    out
}

/// The (caller, definer) edges one name removes (`-1`) and adds (`+1`) when its sets go
/// from `old` to `new` (each `(callers, definers)`, sorted and distinct). A file's
/// reference to a name it defines itself makes no edge.
pub fn pair_changes(
    old: (&[u32], &[u32]),
    new: (&[u32], &[u32]),
    mut f: impl FnMut(u32, u32, i32),
) {
    let on = |(c, d): (&[u32], &[u32])| counts(d.len(), c.len());
    let (old_on, new_on) = (on(old), on(new));
    let has = |(c, d): (&[u32], &[u32]), x: u32, y: u32| {
        c.binary_search(&x).is_ok() && d.binary_search(&y).is_ok()
    };
    let mut emit = |side: (&[u32], &[u32]), other: Option<(&[u32], &[u32])>, sign: i32| {
        for &c in side.0 {
            for &d in side.1.iter().filter(|&&d| d != c) {
                if other.is_none_or(|o| !has(o, c, d)) {
                    f(c, d, sign);
                }
            }
        }
    };
    if old_on {
        emit(old, new_on.then_some(new), -1);
    }
    if new_on {
        emit(new, old_on.then_some(old), 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(old: (&[u32], &[u32]), new: (&[u32], &[u32])) -> Vec<(u32, u32, i32)> {
        let mut out = Vec::new();
        pair_changes(old, new, |c, d, s| out.push((c, d, s)));
        out.sort_unstable();
        out
    }

    #[test]
    fn a_new_caller_adds_an_edge_to_each_definer_but_itself() {
        assert_eq!(
            changes((&[1], &[5, 6]), (&[1, 5], &[5, 6])),
            vec![(5, 6, 1)]
        );
        assert_eq!(changes((&[1], &[5]), (&[1], &[5])), vec![]);
    }

    #[test]
    fn a_name_defined_in_too_many_files_stops_counting() {
        let many: Vec<u32> = (10..10 + MAX_DEFINERS as u32 + 1).collect();
        let few = &many[..MAX_DEFINERS];
        let got = changes((&[1], few), (&[1], &many));
        assert_eq!(got.len(), MAX_DEFINERS);
        assert!(got.iter().all(|&(c, _, s)| c == 1 && s == -1));
    }

    #[test]
    fn a_path_changed_twice_in_one_batch_nets_out() {
        let with = crate::model::FileIndex {
            definitions: vec![],
            references: vec![crate::model::Reference {
                name: "n".into(),
                line: 1,
                column: 1,
                caller: None,
            }],
            ..crate::model::FileIndex::skipped(
                crate::model::Lang::Python,
                crate::model::SkipReason::Binary,
            )
        };
        let without = crate::model::FileIndex {
            references: vec![],
            ..with.clone()
        };
        let mut c = NameChanges::new(100);
        c.note(Some((1, &without)), Some((1, &with)));
        c.note(Some((1, &with)), Some((1, &without)));
        assert_eq!(c.names().count(), 0);
    }

    #[test]
    fn deltas_give_the_sets_on_either_side() {
        let d = NameDelta {
            callers_added: vec![3],
            callers_removed: vec![1],
            definers_added: vec![],
            definers_removed: vec![9],
        };
        assert_eq!(d.before(&[2, 3], &[4]), (vec![1, 2], vec![4, 9]));
        assert_eq!(d.after(&[1, 2], &[4, 9]), (vec![2, 3], vec![4]));
    }
}
