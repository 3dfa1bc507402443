//! Python imports. Stored forms (see `import_text`): `a.b.c` for `import a.b.c [as x]`,
//! `from .a.b import c, d` (aliases dropped, leading dots kept) for `from` imports.
//!
//! A module `a.b.c` is the file `R/a/b/c.py` or the package `R/a/b/c/__init__.py`; when it
//! is missing, its deepest existing parent (`import os.path` gives `os.py`). Absolute
//! imports try, in order, the source roots of the importer: the directory above its
//! top-level package (the importer's own directory when that is not a package), each
//! further ancestor, and `src/` and `lib/` under each of those; the first root holding any
//! prefix of the module wins. Relative imports start from the importer's package. `from
//! M import n` is an edge to the submodule `M.n` when it exists, else to `M` itself.
//! A dotted absolute module not found under any root is looked up by path suffix
//! (`a/b/c.py` anywhere, nearest first). Not resolved: `sys.path` manipulation,
//! `.pth` files, installed packages, extension modules, `importlib` calls.

use super::{ancestors, by_suffix, dir_of, join, key_of, Resolver};

/// A parsed import: leading dots, module components, imported names (`from` only).
struct Parsed<'a> {
    dots: usize,
    module: Vec<&'a str>,
    names: Vec<&'a str>,
}

fn parse(import: &str) -> Parsed<'_> {
    let (module, names) = match import.strip_prefix("from ") {
        Some(rest) => match rest.split_once(" import ") {
            Some((m, n)) => (m.trim(), n),
            None => (rest.trim().trim_end_matches(" import"), ""),
        },
        None => (import.trim(), ""),
    };
    let dots = module.len() - module.trim_start_matches('.').len();
    Parsed {
        dots,
        module: module[dots..]
            .split('.')
            .filter(|s| !s.is_empty())
            .collect(),
        names: names
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != "*")
            .collect(),
    }
}

/// The file of module `dir/name`: `name.py`, else `name/__init__.py`.
fn module_file(r: &Resolver, dir: &str, name: &str) -> Option<String> {
    let file = join(dir, &format!("{name}.py"));
    if r.tree.exists(&file) {
        return Some(file);
    }
    let init = join(&join(dir, name), "__init__.py");
    r.tree.exists(&init).then_some(init)
}

/// The deepest existing module of `base` + `module`: (components matched, its file).
/// Namespace directories (no `__init__.py`) are walked through.
fn deepest(r: &Resolver, base: &str, module: &[&str]) -> (usize, Option<String>) {
    let mut best = (0, None);
    let mut dir = base.to_string();
    for (i, name) in module.iter().enumerate() {
        if let Some(f) = module_file(r, &dir, name) {
            best = (i + 1, Some(f));
        }
        dir = join(&dir, name);
    }
    best
}

/// Resolves `module` and the `from` names below the directory `base`; `None` when
/// nothing of an absolute module is found there.
fn resolve_at(r: &Resolver, base: &str, p: &Parsed) -> Option<Vec<String>> {
    let (depth, file) = if p.module.is_empty() {
        // `from . import x`: the package is `base` itself.
        let init = join(base, "__init__.py");
        (0, r.tree.exists(&init).then_some(init))
    } else {
        deepest(r, base, &p.module)
    };
    let full = depth == p.module.len();
    // A namespace package (no file) or a regular one can hold submodules.
    let is_package = !full || file.as_deref().is_none_or(|f| f.ends_with("__init__.py"));
    let pkg = join(base, &p.module.join("/"));
    let mut out = Vec::new();
    let mut missing = p.names.is_empty();
    for name in &p.names {
        match is_package.then(|| module_file(r, &pkg, name)).flatten() {
            Some(sub) => out.push(sub),
            None => missing = true,
        }
    }
    if missing {
        out.extend(file);
    }
    if out.is_empty() && !p.module.is_empty() {
        return None;
    }
    Some(out)
}

/// The importer's source roots, in the order they are tried.
fn roots(r: &Resolver, importer: &str) -> Vec<String> {
    let mut top = dir_of(importer);
    while !top.is_empty() && r.tree.exists(&join(top, "__init__.py")) {
        top = dir_of(top);
    }
    let mut out: Vec<String> = Vec::new();
    for a in ancestors(top) {
        for root in [a.to_string(), join(a, "src"), join(a, "lib")] {
            if !out.contains(&root) {
                out.push(root);
            }
        }
    }
    out
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let p = parse(import);
    if p.dots > 0 {
        let mut base = dir_of(importer);
        for _ in 1..p.dots {
            if base.is_empty() {
                return Vec::new();
            }
            base = dir_of(base);
        }
        return resolve_at(r, base, &p).unwrap_or_default();
    }
    if p.module.is_empty() {
        return Vec::new();
    }
    for root in roots(r, importer) {
        if let Some(found) = resolve_at(r, &root, &p) {
            return found;
        }
    }
    // Not under a root: a dotted module by path suffix (`a/b/c.py` anywhere).
    let suffix = |parts: &[&str]| {
        if parts.len() >= 2 {
            by_suffix(r, importer, &format!("{}.py", parts.join("/")))
        } else {
            Vec::new()
        }
    };
    let module_hits = suffix(&p.module);
    if p.names.is_empty() {
        return module_hits;
    }
    let mut out = Vec::new();
    for name in &p.names {
        let mut parts = p.module.clone();
        parts.push(name);
        let hits = suffix(&parts);
        if hits.is_empty() {
            out.extend(module_hits.iter().cloned());
        } else {
            out.extend(hits);
        }
    }
    out
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    let p = parse(import);
    p.module.iter().chain(&p.names).map(|s| key_of(s)).collect()
}
