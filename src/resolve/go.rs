//! Go imports. Stored form: the import path (`example.com/m/pkg`).
//!
//! The path is matched against the module paths of the repository's `go.mod` files (the
//! longest module path that is a prefix wins: `example.com/m` in `svc/go.mod` maps
//! `example.com/m/pkg` to the directory `svc/pkg`), then against `vendor/` of the
//! importer's module. An import names a package, that is a directory: the result is every
//! `.go` file directly in it except `_test.go` files. Not resolved: the standard library,
//! modules outside the repository, `replace` directives, `go.work`, GOPATH layouts, build
//! constraints (every non-test file counts).

use std::rc::Rc;

use super::{ancestors, dir_of, join, key_of, name_of, Resolver};

/// The `module` line of a go.mod.
fn module_path(go_mod: &str) -> Option<String> {
    go_mod.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("module")?;
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let m = rest.split("//").next()?.trim().trim_matches(['"', '`']);
        (!m.is_empty()).then(|| m.to_string())
    })
}

/// The module path declared by `dir/go.mod`, cached.
fn module_at(r: &Resolver, dir: &str) -> Option<Rc<str>> {
    if let Some(m) = r.go_mod_at.borrow().get(dir) {
        return m.clone();
    }
    let m: Option<Rc<str>> = r
        .tree
        .config(&join(dir, "go.mod"))
        .and_then(|c| module_path(&c))
        .map(Rc::from);
    r.go_mod_at.borrow_mut().insert(dir.to_string(), m.clone());
    m
}

/// Every module of the repository: (module path, directory).
pub(crate) type Modules = Rc<Vec<(String, String)>>;

/// [`Modules`], cached.
fn modules(r: &Resolver) -> Modules {
    if let Some(m) = r.go_mods.borrow().as_ref() {
        return m.clone();
    }
    let mut found: Vec<(String, String)> = r
        .tree
        .files_named("go.mod")
        .iter()
        .filter_map(|p| {
            let dir = dir_of(p);
            module_at(r, dir).map(|m| (m.to_string(), dir.to_string()))
        })
        .collect();
    found.sort();
    let found = Rc::new(found);
    *r.go_mods.borrow_mut() = Some(found.clone());
    found
}

/// The non-test Go files directly in `dir`.
fn package_files(r: &Resolver, dir: &str) -> Vec<String> {
    r.tree
        .files_in_dir(dir)
        .into_iter()
        .filter(|p| p.ends_with(".go") && !p.ends_with("_test.go") && dir_of(p) == dir)
        .collect()
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let import = import.trim_end_matches('/');
    if import.is_empty() || import.starts_with('.') || import.starts_with('/') {
        return Vec::new();
    }
    // The longest module path that is a prefix of the import.
    let best = modules(r)
        .iter()
        .filter_map(|(m, dir)| {
            let rest = import.strip_prefix(m.as_str())?;
            if rest.is_empty() {
                Some((m.len(), dir.clone()))
            } else {
                rest.strip_prefix('/')
                    .map(|rest| (m.len(), join(dir, rest)))
            }
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    if let Some((_, dir)) = best {
        let files = package_files(r, &dir);
        if !files.is_empty() {
            return files;
        }
    }
    // vendor/ of the importer's module.
    let own = ancestors(dir_of(importer))
        .into_iter()
        .find(|d| module_at(r, d).is_some());
    if let Some(moddir) = own {
        return package_files(r, &join(&join(moddir, "vendor"), import));
    }
    Vec::new()
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    vec![key_of(name_of(import.trim_end_matches('/')))]
}

/// The key of the root package of the module whose `go.mod` is in `dir`, if any.
pub(crate) fn root_package_key(tree: &dyn super::Tree, dir: &str) -> Option<String> {
    let m = module_path(&tree.config(&join(dir, "go.mod"))?)?;
    Some(key_of(name_of(&m)))
}
