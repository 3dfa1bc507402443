//! The model test of index patches.
#![allow(clippy::unwrap_used)]
use std::collections::BTreeMap;

use super::*;
use crate::model::Definition;
use crate::model::{FileIndex, EXTRACTOR_VERSION};

fn file(names: &[(&str, u32)]) -> FileIndex {
    FileIndex {
        extractor_version: EXTRACTOR_VERSION,
        lang: Lang::Python,
        skip: None,
        error_names: 0,
        definitions: names
            .iter()
            .map(|&(n, line)| Definition {
                name: n.to_string(),
                kind: Kind::Function,
                container: (line % 2 == 0).then(|| ("C".to_string(), Kind::Class)),
                line,
                column: 1,
                end_line: line + 1,
                end_column: 2,
            })
            .collect(),
        imports: vec![],
        // Each file calls what it defines at odd lines: callers change with definitions.
        references: names
            .iter()
            .filter(|&&(_, line)| line % 2 == 1)
            .map(|&(n, line)| crate::model::Reference {
                name: n.to_string(),
                line,
                column: 1,
                caller: None,
            })
            .collect(),
    }
}

/// Random add/remove sequences against a model: postings, counts and the names tables
/// must always agree with a plain map of what each path defines.
#[test]
fn patches_agree_with_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open_write(&dir.path().join("i.redb")).unwrap();
    let blob = BlobId::from_bytes(&[7; 20]).unwrap();
    let pool = ["main", "get", "Main", "main_loop", "x", "__init__"];
    let mut model: BTreeMap<Vec<u8>, FileIndex> = BTreeMap::new();
    let mut seed = 42u64;
    let mut rand = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        (seed >> 33) % n
    };
    for round in 0..40 {
        let mut patch = index.begin().unwrap();
        for _ in 0..10 {
            let dir = ["d", "e/d", "d/e"][rand(3) as usize];
            let path = format!("{dir}/f{}.py", rand(12)).into_bytes();
            let old = model.remove(&path);
            let new = (rand(3) > 0).then(|| {
                let names: Vec<(&str, u32)> = (0..rand(5))
                    .map(|i| (pool[rand(pool.len() as u64) as usize], i as u32 * 3 + 1))
                    .collect();
                let mut f = file(&names);
                // And a call of a name other files may define: reference edges.
                f.references.push(crate::model::Reference {
                    name: pool[rand(pool.len() as u64) as usize].to_string(),
                    line: 99,
                    column: 1,
                    caller: None,
                });
                f
            });
            let side = |index| Side {
                index,
                import_keys: &[],
            };
            patch
                .apply(&[FileChange {
                    path: &path,
                    old: old.as_ref().map(side),
                    new: new.as_ref().map(|n| (side(n), &blob)),
                }])
                .unwrap();
            if let Some(new) = new {
                model.insert(path, new);
            }
        }
        let state = patch.commit(&format!("{round:040}"), None, 0, 0).unwrap();
        // Lookups by path suffix find exactly the paths that end with it.
        let patch = index.begin().unwrap();
        let tables = patch.tree_tables().unwrap();
        for suffix in [
            "f1.py",
            "d/f1.py",
            "e/d/f1.py",
            "d/e/f1.py",
            "x/f1.py",
            "e/f1",
        ] {
            let mut got = tables.files_ending(suffix).unwrap();
            got.sort();
            let expected: Vec<String> = model
                .keys()
                .map(|p| String::from_utf8(p.clone()).unwrap())
                .filter(|p| p == suffix || p.ends_with(&format!("/{suffix}")))
                .collect();
            assert_eq!(got, expected, "round {round}, suffix {suffix}");
        }
        drop(tables);
        drop(patch);
        assert_eq!(
            reference_edges(&index),
            crate::model::refgraph::edges_of(model.iter().map(|(p, f)| (p.as_slice(), f))),
            "round {round}"
        );
        let symbols: usize = model.values().map(|f| f.definitions.len()).sum();
        assert_eq!(state.symbols as usize, symbols);
        assert_eq!(state.files as usize, model.len());
        for name in pool {
            let mut expected: Vec<(Vec<u8>, u32)> = model
                .iter()
                .flat_map(|(p, f)| {
                    f.definitions
                        .iter()
                        .filter(|d| d.name == name)
                        .map(|d| (p.clone(), d.line))
                })
                .collect();
            expected.sort();
            let got: Vec<(Vec<u8>, u32)> = index
                .postings_of(name)
                .unwrap()
                .into_iter()
                .map(|p| (p.path, p.line))
                .collect();
            assert_eq!(got, expected, "round {round}, name {name}");
            let folded = index.names_folded(&name.to_lowercase()).unwrap();
            assert_eq!(folded.contains(&name.to_string()), !expected.is_empty());
            let callers = model
                .values()
                .filter(|f| f.references.iter().any(|r| r.name == name))
                .count();
            assert_eq!(
                index.callers_of(name).unwrap().len(),
                callers,
                "round {round}"
            );
        }
    }

    // A rewrite in key order keeps every row and the state.
    let path = dir.path().join("i.redb");
    let mut before = Vec::new();
    index
        .all_postings(|p| {
            before.push(p);
            Ok(())
        })
        .unwrap();
    let state = index.state().unwrap();
    let index = index.rewrite_sorted(&path).unwrap();
    let mut after = Vec::new();
    index
        .all_postings(|p| {
            after.push(p);
            Ok(())
        })
        .unwrap();
    assert_eq!(after, before);
    assert_eq!(index.state().unwrap(), state);
    assert!(!dir.path().join("i.redb.rewrite").exists());

    // A rebuild (bulk load through sort runs small enough to spill) of the same files,
    // with calls and import keys, in a fresh file: the same rows and counters.
    let rebuilt = Index::open_write(&dir.path().join("r.redb")).unwrap();
    let mut patch = rebuilt.begin().unwrap();
    patch
        .clear_with_budgets(dir.path(), state.as_ref().unwrap().generation, 256, 64)
        .unwrap();
    let keys = ["k1".to_string(), "k2".to_string()];
    let mut with_calls = Vec::new();
    for (path, f) in &model {
        let mut f = f.clone();
        f.references = f
            .definitions
            .iter()
            .map(|d| crate::model::Reference {
                name: d.name.clone(),
                line: 1,
                column: 1,
                caller: None,
            })
            .collect();
        // A duplicate position: one posting, as `insert` makes it.
        if let Some(d) = f.definitions.first().cloned() {
            f.definitions.push(d);
        }
        with_calls.push((path.clone(), f));
    }
    for (path, f) in &with_calls {
        patch
            .apply(&[FileChange {
                path,
                old: None,
                new: Some((
                    Side {
                        index: f,
                        import_keys: &keys,
                    },
                    &blob,
                )),
            }])
            .unwrap();
    }
    patch.finish_bulk().unwrap();
    let got = patch.commit("t", None, 0, 0).unwrap();
    let want = state.unwrap();
    assert_eq!(
        (got.files, got.symbols, got.names, got.generation),
        (want.files, want.symbols, want.names, want.generation + 1)
    );
    let mut bulk = Vec::new();
    rebuilt
        .all_postings(|p| {
            bulk.push(p);
            Ok(())
        })
        .unwrap();
    assert_eq!(bulk, after);
    for name in pool {
        let folded = rebuilt.names_folded(&name.to_lowercase()).unwrap();
        assert_eq!(folded, index.names_folded(&name.to_lowercase()).unwrap());
        assert_eq!(rebuilt.callers_of(name).unwrap().len(), {
            let defined = with_calls
                .iter()
                .filter(|(_, f)| f.definitions.iter().any(|d| d.name == name));
            defined.count()
        });
    }
    let mut names = Vec::new();
    rebuilt.all_names(|n| names.push(n.to_string())).unwrap();
    let mut expect = Vec::new();
    index.all_names(|n| expect.push(n.to_string())).unwrap();
    assert_eq!(names, expect);
}

/// The reference edges of `index` by path, with their counts.
fn reference_edges(index: &Index) -> BTreeMap<(Vec<u8>, Vec<u8>), u32> {
    let mut paths = index.paths().unwrap();
    index
        .reference_edges()
        .unwrap()
        .into_iter()
        .map(|((a, b), n)| ((paths.path(a).unwrap(), paths.path(b).unwrap()), n))
        .collect()
}

/// `verify` finds reverse edges that are not the forward edges turned round.
#[test]
fn verify_finds_reverse_edges_that_disagree() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.redb");
    let index = Index::open_write(&path).unwrap();
    let blob = BlobId::from_bytes(&[7; 20]).unwrap();
    let one = file(&[("a", 1)]);
    let mut patch = index.begin().unwrap();
    for p in ["a.py", "b.py", "c.py"] {
        let side = Side {
            index: &one,
            import_keys: &[],
        };
        patch
            .apply(&[FileChange {
                path: p.as_bytes(),
                old: None,
                new: Some((side, &blob)),
            }])
            .unwrap();
    }
    let tables = patch.tree_tables().unwrap();
    let ids: Vec<u32> = ["a.py", "b.py", "c.py"]
        .iter()
        .map(|p| tables.path_id(p.as_bytes()).unwrap().unwrap())
        .collect();
    drop(tables);
    patch.set_edges(ids[0], &[ids[1], ids[2]], &[]).unwrap();
    patch.set_edges(ids[1], &[ids[2]], &[]).unwrap();
    patch.commit(&format!("{:040}", 1), None, 0, 0).unwrap();
    drop(index);
    Index::verify_foreign(&path).unwrap();
    // c.py's importers become b.py and c.py instead of a.py and b.py: as many edges,
    // well-formed chunks, but not `deps` turned round.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut t = txn.open_table(schema::RDEPS).unwrap();
            let key = crate::format::keys::edge_key(ids[2], ids[0]);
            t.remove(key.as_slice()).unwrap();
            let key = crate::format::keys::edge_key(ids[2], ids[1]);
            let value = crate::format::keys::pack_ids(&[ids[1], ids[2]]);
            t.insert(key.as_slice(), value.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = Index::verify_foreign(&path).unwrap_err();
    assert!(
        format!("{err:#}").contains("reverse edges are not its edges turned round"),
        "{err:#}"
    );
}
