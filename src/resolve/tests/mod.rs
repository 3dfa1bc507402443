#![allow(clippy::unwrap_used)]
//! Resolution cases per language over an in-memory tree, and the invalidation guarantee
//! checked on every case: adding or removing any path the resolver probed (or could find
//! through a directory or name listing) changes the result only if the path's keys meet
//! the import's keys or one of the path's scopes covers the importer.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::*;

#[derive(Clone, Default)]
struct MemTree {
    files: BTreeSet<String>,
    configs: BTreeMap<String, String>,
}

impl MemTree {
    fn new(files: &[&str], configs: &[(&str, &str)]) -> MemTree {
        let mut t = MemTree::default();
        for f in files {
            t.files.insert(f.to_string());
        }
        for (p, c) in configs {
            t.files.insert(p.to_string());
            t.configs.insert(p.to_string(), c.to_string());
        }
        t
    }
}

impl Tree for MemTree {
    fn exists(&self, path: &str) -> bool {
        self.files.contains(path)
    }
    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| dir_of(f) == dir)
            .cloned()
            .collect()
    }
    fn files_named(&self, name: &str) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| name_of(f) == name)
            .cloned()
            .collect()
    }
    fn config(&self, path: &str) -> Option<String> {
        if self.files.contains(path) {
            self.configs.get(path).cloned()
        } else {
            None
        }
    }
}

/// Records what the resolver asked.
struct Recorder<'a> {
    tree: &'a MemTree,
    probes: RefCell<BTreeSet<String>>,
    dirs: RefCell<BTreeSet<String>>,
    names: RefCell<BTreeSet<String>>,
}

impl Tree for Recorder<'_> {
    fn exists(&self, path: &str) -> bool {
        self.probes.borrow_mut().insert(path.to_string());
        self.tree.exists(path)
    }
    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.dirs.borrow_mut().insert(dir.to_string());
        self.tree.files_in_dir(dir)
    }
    fn files_named(&self, name: &str) -> Vec<String> {
        self.names.borrow_mut().insert(name.to_string());
        self.tree.files_named(name)
    }
    fn config(&self, path: &str) -> Option<String> {
        self.probes.borrow_mut().insert(path.to_string());
        self.tree.config(path)
    }
}

struct Case {
    lang: Lang,
    files: &'static [&'static str],
    configs: &'static [(&'static str, &'static str)],
    importer: &'static str,
    import: &'static str,
    want: &'static [&'static str],
}

const fn case(
    lang: Lang,
    files: &'static [&'static str],
    importer: &'static str,
    import: &'static str,
    want: &'static [&'static str],
) -> Case {
    Case {
        lang,
        files,
        configs: &[],
        importer,
        import,
        want,
    }
}

fn resolved(tree: &dyn Tree, c: &Case) -> Vec<String> {
    resolve(tree, c.lang, c.importer, c.import).files().to_vec()
}

/// Checks the expected result and the invalidation guarantee; returns the number of
/// tree variations checked.
fn check(c: &Case) -> usize {
    let tree = MemTree::new(c.files, c.configs);
    let rec = Recorder {
        tree: &tree,
        probes: RefCell::default(),
        dirs: RefCell::default(),
        names: RefCell::default(),
    };
    let got = resolved(&rec, c);
    assert_eq!(
        got,
        c.want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        "{} {:?} from {}",
        c.lang,
        c.import,
        c.importer
    );
    // Every sorted, deduplicated, importer-free.
    let mut sorted = got.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(got, sorted);
    assert!(!got.iter().any(|f| f == c.importer));
    for f in &got {
        assert!(tree.exists(f), "{f} does not exist");
    }

    // Paths whose presence could matter: every probe, every file, a new file in every
    // listed directory, a new file of every listed name elsewhere.
    let mut toggles: BTreeSet<String> = rec.probes.borrow().clone();
    toggles.extend(tree.files.iter().cloned());
    for d in rec.dirs.borrow().iter() {
        for n in [
            "zz.go",
            "zz_test.go",
            "Zz.java",
            "zz.rs",
            "Zz.kt",
            "Zz.scala",
            "Zz.cs",
            "Zz.swift",
        ] {
            toggles.insert(join(d, n));
        }
    }
    for n in rec.names.borrow().iter() {
        toggles.insert(format!("elsewhere/deep/{n}"));
        toggles.insert(join(dir_of(c.importer), &format!("near/{n}")));
    }
    toggles.remove(c.importer);
    let keys = import_keys(c.lang, c.import);
    for p in &toggles {
        let mut other = tree.clone();
        if !other.files.remove(p) {
            other.files.insert(p.clone());
        }
        if resolved(&other, c) == got {
            continue;
        }
        let pk_before = path_keys(&tree, p);
        let pk_after = path_keys(&other, p);
        let keyed = pk_before.iter().chain(&pk_after).any(|k| keys.contains(k));
        let scoped = path_scopes(p).iter().any(|s| s.covers(c.lang, c.importer));
        assert!(
            keyed || scoped,
            "{} {:?} from {}: toggling {p} changes the result, but keys {keys:?} miss {pk_before:?} and no scope covers it",
            c.lang,
            c.import,
            c.importer
        );
    }
    toggles.len()
}

fn check_all(cases: &[Case]) {
    let mut variations = 0;
    for c in cases {
        variations += check(c);
    }
    assert!(variations > 0);
}

mod c;
mod go;
mod java;
mod js;
mod keys;
mod more_langs;
mod python;
mod rust;
