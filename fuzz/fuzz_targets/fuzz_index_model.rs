//! The index patched by arbitrary operations (set a file, delete it, commit, abandon the
//! transaction, rewrite in key order, set a file's dependency edges) against a `BTreeMap`
//! of what each path defines and imports: after every commit, postings, counters, folded
//! names, callers, reference edges, reverse dependency edges and prefix lookups with a
//! limit agree with the model.
//! The deterministic copy of this is `store::index::tests::patches_agree_with_a_model`.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::Arbitrary;
use git_atse::model::{BlobId, Definition, FileIndex, Kind, Lang, Reference, EXTRACTOR_VERSION};
use git_atse::query::symbol::{find, Options};
use git_atse::store::index::{FileChange, Index, Side};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 6] = ["main", "get", "Main", "main_loop", "x", "__init__"];
const DIRS: [&str; 3] = ["d", "e/d", "d/e"];

#[derive(Arbitrary, Debug)]
enum Op {
    /// Sets file `path` to define these (name, line) pairs; odd lines also call the name;
    /// and to call the names of `calls` (which other files may define).
    Set {
        path: u8,
        defs: Vec<(u8, u8)>,
        calls: Vec<u8>,
    },
    Delete { path: u8 },
    /// Sets the resolved imports of file `path` (if it exists) to the files `targets`
    /// (those that exist).
    Edges { path: u8, targets: Vec<u8> },
    Commit,
    Abort,
    Rewrite,
}

fn path_of(n: u8) -> Vec<u8> {
    format!("{}/f{}.py", DIRS[usize::from(n) % 3], n % 12).into_bytes()
}

fn file(defs: &[(u8, u8)]) -> FileIndex {
    let defs: Vec<(&str, u32)> = defs
        .iter()
        .take(8)
        .map(|&(n, l)| (NAMES[usize::from(n) % NAMES.len()], u32::from(l) + 1))
        .collect();
    FileIndex {
        extractor_version: EXTRACTOR_VERSION,
        lang: Lang::Python,
        skip: None,
        error_names: 0,
        definitions: defs
            .iter()
            .map(|&(name, line)| Definition {
                name: name.to_string(),
                kind: Kind::Function,
                container: (line % 2 == 0).then(|| ("C".to_string(), Kind::Class)),
                line,
                column: 1,
                end_line: line + 1,
                end_column: 2,
            })
            .collect(),
        imports: vec![],
        references: defs
            .iter()
            .filter(|&&(_, line)| line % 2 == 1)
            .map(|&(name, line)| Reference {
                name: name.to_string(),
                line,
                column: 1,
                caller: None,
            })
            .collect(),
    }
}

/// The postings the model gives `name`: one per distinct position, as the index keeps them.
fn expected(model: &BTreeMap<Vec<u8>, FileIndex>, name: &str) -> Vec<(Vec<u8>, u32)> {
    let mut out: Vec<(Vec<u8>, u32)> = model
        .iter()
        .flat_map(|(p, f)| {
            f.definitions
                .iter()
                .filter(|d| d.name == name)
                .map(|d| (p.clone(), d.line))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The model's dependency edges: each file id's targets (ids are never reused, and a
/// deleted file's own edges go, while edges to it stay until its importers are resolved
/// again, as in the index).
type Edges = BTreeMap<u32, BTreeSet<u32>>;

fn check_edges(index: &Index, edges: &Edges) {
    let next = index.state().unwrap().unwrap().next_file as u32;
    let mut reverse: Edges = BTreeMap::new();
    for (&source, targets) in edges {
        for &t in targets {
            reverse.entry(t).or_default().insert(source);
        }
    }
    for id in 0..next {
        let want: Vec<u32> = reverse.get(&id).into_iter().flatten().copied().collect();
        assert_eq!(index.rdeps_of(id).unwrap(), want, "importers of file {id}");
    }
}

fn check(index: &Index, model: &BTreeMap<Vec<u8>, FileIndex>) {
    let state = index.state().unwrap().unwrap();
    assert_eq!(state.files as usize, model.len());
    let mut symbols = 0;
    for name in NAMES {
        let want = expected(model, name);
        symbols += want.len();
        let got: Vec<(Vec<u8>, u32)> = index
            .postings_of(name)
            .unwrap()
            .into_iter()
            .map(|p| (p.path, p.line))
            .collect();
        assert_eq!(got, want, "postings of {name}");
        let folded = index.names_folded(&name.to_lowercase()).unwrap();
        assert_eq!(folded.contains(&name.to_string()), !want.is_empty(), "{name}");
        let callers = model
            .values()
            .filter(|f| f.references.iter().any(|r| r.name == name))
            .count();
        assert_eq!(index.callers_of(name).unwrap().len(), callers, "callers of {name}");
    }
    assert_eq!(state.symbols as usize, symbols);
    check_prefixes(index, model);
    let mut paths = index.paths().unwrap();
    let kept: BTreeMap<(Vec<u8>, Vec<u8>), u32> = index
        .reference_edges()
        .unwrap()
        .into_iter()
        .map(|((a, b), n)| ((paths.path(a).unwrap(), paths.path(b).unwrap()), n))
        .collect();
    let want = git_atse::model::refgraph::edges_of(model.iter().map(|(p, f)| (p.as_slice(), f)));
    assert_eq!(kept, want, "reference edges");
}

/// Prefix lookups, exact-case and `-i`, with and without a limit: the first N of every
/// matching name's postings in output order (the one pass of `Index::scan_prefixes`, which
/// leaves a name early).
fn check_prefixes(index: &Index, model: &BTreeMap<Vec<u8>, FileIndex>) {
    for prefix in ["", "m", "main", "M", "g", "_", "q"] {
        for ignore_case in [false, true] {
            let folded = prefix.to_lowercase();
            let mut want: Vec<(Vec<u8>, u32, String)> = NAMES
                .iter()
                .filter(|n| match ignore_case {
                    false => n.starts_with(prefix),
                    true => n.to_lowercase().starts_with(&folded),
                })
                .flat_map(|n| {
                    expected(model, n)
                        .into_iter()
                        .map(move |(p, l)| (p, l, n.to_string()))
                })
                .collect();
            want.sort();
            for limit in [None, Some(1), Some(2), Some(3), Some(7)] {
                let opts = Options {
                    prefix: true,
                    ignore_case,
                    limit,
                    ..Options::default()
                };
                let got: Vec<(Vec<u8>, u32, String)> = find(index, prefix, &opts, None)
                    .unwrap()
                    .into_iter()
                    .map(|p| (p.path, p.line, p.name))
                    .collect();
                let n = limit.unwrap_or(usize::MAX).min(want.len());
                assert_eq!(got, want[..n], "prefix {prefix:?}, -i {ignore_case}, limit {limit:?}");
            }
        }
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.redb");
    let mut index = Index::open_write(&path).unwrap();
    let blob = BlobId::from_bytes(&[7; 20]).unwrap();
    let mut committed: BTreeMap<Vec<u8>, FileIndex> = BTreeMap::new();
    let mut model = committed.clone();
    let mut patch = Some(index.begin().unwrap());
    let mut round = 0u32;
    let mut committed_edges = Edges::new();
    let mut edges = Edges::new();
    for op in ops.into_iter().take(64) {
        match op {
            Op::Set { path, defs, calls } => {
                let p = path_of(path);
                let old = model.remove(&p);
                let mut new = file(&defs);
                new.references.extend(calls.iter().take(4).map(|&n| Reference {
                    name: NAMES[usize::from(n) % NAMES.len()].to_string(),
                    line: 300,
                    column: 1,
                    caller: None,
                }));
                let side = |index| Side {
                    index,
                    import_keys: &[],
                };
                let change = FileChange {
                    path: &p,
                    old: old.as_ref().map(side),
                    new: Some((side(&new), &blob)),
                };
                patch.as_mut().unwrap().apply(&[change]).unwrap();
                model.insert(p, new);
            }
            Op::Delete { path } => {
                let p = path_of(path);
                if let Some(old) = model.remove(&p) {
                    let side = Side {
                        index: &old,
                        import_keys: &[],
                    };
                    let change = FileChange {
                        path: &p,
                        old: Some(side),
                        new: None,
                    };
                    let id = id_of(patch.as_ref().unwrap(), &p).unwrap();
                    patch.as_mut().unwrap().apply(&[change]).unwrap();
                    edges.remove(&id);
                }
            }
            Op::Edges { path, targets } => {
                let patch = patch.as_mut().unwrap();
                if let Some(id) = id_of(patch, &path_of(path)) {
                    let mut ids: Vec<u32> = targets
                        .iter()
                        .take(16)
                        .filter_map(|&t| id_of(patch, &path_of(t)))
                        .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    patch.set_edges(id, &ids, &[]).unwrap();
                    match ids.is_empty() {
                        true => edges.remove(&id),
                        false => edges.insert(id, ids.into_iter().collect()),
                    };
                }
            }
            Op::Commit => {
                round += 1;
                let tree = format!("{round:040}");
                patch.take().unwrap().commit(&tree, None, 0, 0).unwrap();
                committed = model.clone();
                committed_edges = edges.clone();
                check(&index, &committed);
                check_edges(&index, &committed_edges);
                patch = Some(index.begin().unwrap());
            }
            Op::Abort => {
                drop(patch.take());
                model = committed.clone();
                edges = committed_edges.clone();
                patch = Some(index.begin().unwrap());
            }
            Op::Rewrite => {
                drop(patch.take());
                model = committed.clone();
                edges = committed_edges.clone();
                if round > 0 {
                    index = index.rewrite_sorted(&path).unwrap();
                    check(&index, &committed);
                    check_edges(&index, &committed_edges);
                }
                patch = Some(index.begin().unwrap());
            }
        }
    }
});

/// The id of the file at `path` in the open transaction.
fn id_of(patch: &git_atse::store::index::Patch, path: &[u8]) -> Option<u32> {
    patch.tree_tables().unwrap().path_id(path).unwrap()
}
