//! Arbitrary import strings, file paths and configuration files (composer.json, go.mod,
//! tsconfig.json): resolution never panics and answers only files of the tree, never the
//! importer. Input: lines; the first is `LANG IMPORTER`, the second the import, the rest
//! the tree's files, where a line `path\tcontents` is a configuration file.
#![no_main]

use std::collections::BTreeMap;

use git_atse::model::Lang;
use git_atse::resolve::{resolve, Tree};
use libfuzzer_sys::fuzz_target;

struct Mem(BTreeMap<String, Option<String>>);

fn dir_of(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..i])
}

impl Tree for Mem {
    fn exists(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }
    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.0.keys().filter(|p| dir_of(p) == dir).cloned().collect()
    }
    fn files_named(&self, name: &str) -> Vec<String> {
        let suffix = format!("/{name}");
        self.0
            .keys()
            .filter(|p| *p == name || p.ends_with(&suffix))
            .cloned()
            .collect()
    }
    fn config(&self, path: &str) -> Option<String> {
        self.0.get(path).cloned().flatten()
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines();
    let (Some(head), Some(import)) = (lines.next(), lines.next()) else {
        return;
    };
    let (lang, importer) = head.split_once(' ').unwrap_or((head, "a/b"));
    let Some(lang) = Lang::parse(lang) else {
        return;
    };
    let mut files = BTreeMap::new();
    for l in lines {
        match l.split_once('\t') {
            Some((p, c)) => files.insert(p.to_string(), Some(c.replace("\\n", "\n"))),
            None => files.insert(l.to_string(), None),
        };
    }
    let tree = Mem(files);
    for f in resolve(&tree, lang, importer, import).files() {
        assert!(tree.exists(f), "{f} is not in the tree");
        assert_ne!(f, importer);
    }
});
