//! What a change touches, as plain data: the definitions added, removed, changed (by
//! content) or moved between two versions of a file, and the files that depend on the
//! changed ones in a file graph.

use std::collections::{BTreeMap, VecDeque};
use std::hash::Hasher as _;

use twox_hash::XxHash3_64;

use crate::model::{Definition, FileIndex, Kind};

/// How a definition differs between the two versions of its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Only in the new version.
    Added,
    /// Only in the old version (`line` is where it was).
    Removed,
    /// In both, with other text.
    Changed,
    /// In both, with the same text, at another line (`from`).
    Moved {
        /// Its line in the old version.
        from: u32,
    },
}

impl Change {
    /// The word text and JSON output use.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Moved { .. } => "moved",
        }
    }
}

/// One definition that a change touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefChange {
    /// The name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// The enclosing container's name, if any.
    pub container: Option<String>,
    /// Its line (in the new version; in the old one when removed).
    pub line: u32,
    /// How it changed.
    pub change: Change,
}

/// A version of a file: its object and its text.
pub type Version<'a> = (&'a FileIndex, &'a [u8]);

/// The text of `d` (its lines, from its name's line to its end), hashed; leading and
/// trailing whitespace of each line ignored, so re-indenting is not a change of content.
fn content(d: &Definition, text: &[u8]) -> u64 {
    let first = d.line.saturating_sub(1) as usize;
    let count = (d.end_line.max(d.line) - d.line + 1) as usize;
    let mut h = XxHash3_64::default();
    for line in text.split(|&b| b == b'\n').skip(first).take(count) {
        h.write(line.trim_ascii());
        h.write(b"\n");
    }
    h.finish()
}

type Key = (String, Kind, Option<String>);

fn by_key<'a>(v: Option<Version<'a>>) -> BTreeMap<Key, Vec<(&'a Definition, u64)>> {
    let mut out: BTreeMap<Key, Vec<(&Definition, u64)>> = BTreeMap::new();
    if let Some((index, text)) = v {
        for d in &index.definitions {
            let key = (
                d.name.clone(),
                d.kind,
                d.container.as_ref().map(|c| c.0.clone()),
            );
            out.entry(key).or_default().push((d, content(d, text)));
        }
    }
    out
}

/// The definitions that differ between `old` and `new` versions of one file (either may be
/// missing: an added or deleted file), sorted by line. Definitions are matched by name, kind
/// and container; among several with the same key, equal texts pair first.
pub fn diff_definitions(old: Option<Version<'_>>, new: Option<Version<'_>>) -> Vec<DefChange> {
    let (mut old, new) = (by_key(old), by_key(new));
    let mut out = Vec::new();
    let change = |d: &Definition, line, change| DefChange {
        name: d.name.clone(),
        kind: d.kind,
        container: d.container.as_ref().map(|c| c.0.clone()),
        line,
        change,
    };
    for (key, news) in new {
        let mut olds = old.remove(&key).unwrap_or_default();
        let mut unmatched = Vec::new();
        for (d, hash) in news {
            match olds.iter().position(|(_, h)| *h == hash) {
                Some(i) => {
                    let (o, _) = olds.remove(i);
                    if o.line != d.line {
                        out.push(change(d, d.line, Change::Moved { from: o.line }));
                    }
                }
                None => unmatched.push(d),
            }
        }
        let mut olds = olds.into_iter();
        for d in unmatched {
            match olds.next() {
                Some(_) => out.push(change(d, d.line, Change::Changed)),
                None => out.push(change(d, d.line, Change::Added)),
            }
        }
        for (o, _) in olds {
            out.push(change(o, o.line, Change::Removed));
        }
    }
    for (_, olds) in old {
        for (o, _) in olds {
            out.push(change(o, o.line, Change::Removed));
        }
    }
    out.sort_by(|a, b| (a.line, &a.name).cmp(&(b.line, &b.name)));
    out
}

/// The nodes that depend on any of `changed` in the graph whose node `i` imports
/// `out_edges[i]`, with their distance (1 = imports a changed file directly), up to
/// `max_depth` steps; the changed nodes themselves are not listed.
pub fn dependents(
    out_edges: &[Vec<usize>],
    changed: &[usize],
    max_depth: Option<usize>,
) -> Vec<(usize, usize)> {
    let mut reverse = vec![Vec::new(); out_edges.len()];
    for (i, targets) in out_edges.iter().enumerate() {
        for &t in targets {
            if let Some(r) = reverse.get_mut(t) {
                r.push(i);
            }
        }
    }
    let mut dist = vec![usize::MAX; out_edges.len()];
    let mut queue = VecDeque::new();
    for &c in changed {
        if c < dist.len() {
            dist[c] = 0;
            queue.push_back(c);
        }
    }
    while let Some(at) = queue.pop_front() {
        if max_depth.is_some_and(|m| dist[at] >= m) {
            continue;
        }
        for &s in &reverse[at] {
            if dist[s] == usize::MAX {
                dist[s] = dist[at] + 1;
                queue.push_back(s);
            }
        }
    }
    dist.iter()
        .enumerate()
        .filter(|&(_, &d)| d != usize::MAX && d > 0)
        .map(|(i, &d)| (i, d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    fn def(name: &str, line: u32, end_line: u32) -> Definition {
        Definition {
            name: name.into(),
            kind: Kind::Function,
            container: None,
            line,
            column: 5,
            end_line,
            end_column: 1,
        }
    }

    fn file(defs: Vec<Definition>) -> FileIndex {
        FileIndex {
            definitions: defs,
            ..FileIndex::skipped(Lang::Python, crate::model::SkipReason::Binary)
        }
    }

    #[test]
    fn added_removed_changed_and_moved() {
        let old_text = b"def a():\n    return 1\n\ndef b():\n    return 2\n\ndef c():\n    pass\n";
        let new_text = b"# new line\n\ndef a():\n    return 1\n\ndef b():\n    return 3\n\ndef d():\n    pass\n";
        let old = file(vec![def("a", 1, 2), def("b", 4, 5), def("c", 7, 8)]);
        let new = file(vec![def("a", 3, 4), def("b", 6, 7), def("d", 9, 10)]);
        let got = diff_definitions(Some((&old, old_text)), Some((&new, new_text)));
        let summary: Vec<(&str, u32, &str)> = got
            .iter()
            .map(|c| (c.name.as_str(), c.line, c.change.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("a", 3, "moved"),
                ("b", 6, "changed"),
                ("c", 7, "removed"),
                ("d", 9, "added")
            ]
        );
        assert_eq!(got[0].change, Change::Moved { from: 1 });
        assert!(diff_definitions(Some((&old, old_text)), Some((&old, old_text))).is_empty());
        assert_eq!(diff_definitions(None, Some((&new, new_text))).len(), 3);
    }

    #[test]
    fn dependents_by_distance() {
        // 0 -> 1 -> 2, 3 -> 2, 4 alone.
        let edges = vec![vec![1], vec![2], vec![], vec![2], vec![]];
        assert_eq!(dependents(&edges, &[2], None), [(0, 2), (1, 1), (3, 1)]);
        assert_eq!(dependents(&edges, &[2], Some(1)), [(1, 1), (3, 1)]);
        assert_eq!(dependents(&edges, &[1, 2], None), [(0, 1), (3, 1)]);
    }
}
