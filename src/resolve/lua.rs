//! Lua `require`. Stored form: the module name (`a.b`).
//!
//! Lua's default `package.path` (`./?.lua;./?/init.lua`) is relative to the directory the
//! program runs in; a repository does not say which, so `a.b` is `a/b.lua` or
//! `a/b/init.lua` under the importer's directory or the nearest of its ancestors that has
//! it (the repository root last), else by path suffix anywhere (a Neovim plugin's `lua/`,
//! a rock's `src/`). Not resolved: C modules, rocks installed outside the repository,
//! `package.path` set by the program.

use super::{ancestors, by_suffix, dir_of, join, key_of, Resolver};

fn rel_paths(import: &str) -> Option<[String; 2]> {
    let t = import.trim();
    if t.is_empty() || t.contains(['/', '\\', '$']) || t.starts_with('.') || t.ends_with('.') {
        return None;
    }
    let base = t.replace('.', "/");
    Some([format!("{base}.lua"), format!("{base}/init.lua")])
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let Some(rels) = rel_paths(import) else {
        return Vec::new();
    };
    for a in ancestors(dir_of(importer)) {
        for rel in &rels {
            let path = join(a, rel);
            if r.tree.exists(&path) {
                return vec![path];
            }
        }
    }
    for rel in &rels {
        let found = by_suffix(r, importer, rel);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    vec![key_of(import.trim().rsplit('.').next().unwrap_or(""))]
}
