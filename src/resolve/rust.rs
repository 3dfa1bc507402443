//! Rust module paths. Stored forms (see `import_text`): `mod foo` for `mod foo;` at the
//! top of a file, the `use` tree as written (`crate::a::{b, c::{self, D}}`), and the
//! crate name of `extern crate`.
//!
//! Module files follow rustc: a file that owns its directory (`mod.rs`, `lib.rs`,
//! `main.rs`, `build.rs`, or a crate root directly in `bin/`, `tests/`, `examples/`,
//! `benches/`) keeps its submodules beside it, any other `a/foo.rs` in `a/foo/`; module
//! `x` of that directory is `x.rs` or `x/mod.rs`. `crate::` starts at the crate root (the
//! importer if it is one, else the nearest `lib.rs` or `main.rs` above it), `self::` at the
//! importer, `super::` at its parent module; a path without such a prefix is tried from
//! the importer's module (2018 edition), then from the crate root (2015), and is external
//! when its first component is no module file (`std::`, a dependency). A `use` path gives
//! the deepest module file it reaches: `crate::a::b::Item` is `a/b.rs`, `crate::Item` the
//! crate root. Not resolved: `#[path]` attributes, modules declared inside inline
//! `mod x { ... }` blocks, other crates of a workspace, macros.

use super::{ancestors, dir_of, join, key_of, name_of, Resolver};

/// Where a module lives: its file and the directory of its submodules.
#[derive(Clone, Debug)]
struct Module {
    file: String,
    dir: String,
}

/// Whether `path` is a file whose submodules live beside it.
fn owns_dir(path: &str) -> bool {
    matches!(name_of(path), "mod.rs" | "lib.rs" | "main.rs" | "build.rs") || is_crate_root(path)
}

/// Whether `path` is a crate root by its place alone.
fn is_crate_root(path: &str) -> bool {
    matches!(name_of(path), "lib.rs" | "main.rs" | "build.rs")
        || matches!(
            name_of(dir_of(path)),
            "bin" | "tests" | "examples" | "benches"
        )
}

fn module_of(path: &str) -> Module {
    let dir = if owns_dir(path) {
        dir_of(path).to_string()
    } else {
        join(dir_of(path), name_of(path).trim_end_matches(".rs"))
    };
    Module {
        file: path.to_string(),
        dir,
    }
}

/// Submodule `name` of `parent`: `name.rs` or `name/mod.rs` in its directory.
fn child(r: &Resolver, parent: &Module, name: &str) -> Option<Module> {
    let file = join(&parent.dir, &format!("{name}.rs"));
    let dir = join(&parent.dir, name);
    if r.tree.exists(&file) {
        return Some(Module { file, dir });
    }
    let file = join(&dir, "mod.rs");
    r.tree.exists(&file).then_some(Module { file, dir })
}

fn crate_root(r: &Resolver, importer: &str) -> Option<Module> {
    if is_crate_root(importer) {
        return Some(module_of(importer));
    }
    ancestors(dir_of(importer)).into_iter().find_map(|d| {
        ["lib.rs", "main.rs"].iter().find_map(|n| {
            let f = join(d, n);
            r.tree.exists(&f).then(|| module_of(&f))
        })
    })
}

/// The parent module of `m`, `None` at a crate root.
fn parent(r: &Resolver, m: &Module) -> Option<Module> {
    if is_crate_root(&m.file) {
        return None;
    }
    let dir = if owns_dir(&m.file) {
        dir_of(&m.dir)
    } else {
        dir_of(&m.file)
    };
    let above = dir_of(dir);
    let candidates = [
        join(dir, "mod.rs"),
        join(above, &format!("{}.rs", name_of(dir))),
        join(dir, "lib.rs"),
        join(dir, "main.rs"),
    ];
    candidates
        .into_iter()
        .filter(|f| !dir.is_empty() || !f.starts_with(".rs"))
        .find(|f| r.tree.exists(f))
        .map(|f| Module {
            file: f,
            dir: dir.to_string(),
        })
}

/// The use tree as flat paths: `a::{b, c::{self, d as e}}` -> `a::b`, `a::c`, `a::c::d`.
fn expand(tree: &str) -> Vec<Vec<String>> {
    // Comments were removed at extraction (`extract::import_text`); fold the white space.
    let clean: String = tree
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let mut out = Vec::new();
    expand_into(&clean, &mut Vec::new(), &mut out);
    out
}

fn expand_into(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    let (head, group) = match tree.find('{') {
        Some(i) => (&tree[..i], tree[i + 1..].trim_end().strip_suffix('}')),
        None => (tree, None),
    };
    let head = head.split(" as ").next().unwrap_or(head);
    let n = prefix.len();
    let head = head.trim().trim_end_matches("::");
    if head.starts_with("::") {
        prefix.push("::".to_string());
    }
    for seg in head.split("::").map(str::trim).filter(|s| !s.is_empty()) {
        if seg == "self" && !prefix.is_empty() && n == prefix.len() && group.is_none() {
            // `a::{self}`: the prefix itself.
            continue;
        }
        prefix.push(seg.to_string());
    }
    match group {
        Some(inner) => {
            let mut depth = 0usize;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth = depth.saturating_sub(1),
                    ',' if depth == 0 => {
                        expand_into(&inner[start..i], prefix, out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if !inner[start..].trim().is_empty() {
                expand_into(&inner[start..], prefix, out);
            }
        }
        None => {
            if !prefix.is_empty() {
                out.push(prefix.clone());
            }
        }
    }
    prefix.truncate(n);
}

/// The deepest module file `segs` reaches from `start`, and how many components it took.
fn walk(r: &Resolver, start: Module, segs: &[String]) -> (Module, usize) {
    let mut m = start;
    let mut taken = 0;
    for s in segs {
        if s == "*" {
            break;
        }
        match child(r, &m, s) {
            Some(c) => {
                m = c;
                taken += 1;
            }
            None => break,
        }
    }
    (m, taken)
}

fn resolve_path(r: &Resolver, importer: &str, path: &[String]) -> Option<String> {
    let first = path.first()?.as_str();
    match first {
        "::" => None,
        "crate" | "$crate" => Some(walk(r, crate_root(r, importer)?, &path[1..]).0.file),
        "self" | "super" => {
            let mut m = module_of(importer);
            let mut rest = path;
            while let Some(s) = rest.first() {
                match s.as_str() {
                    "self" => {}
                    "super" => m = parent(r, &m)?,
                    _ => break,
                }
                rest = &rest[1..];
            }
            Some(walk(r, m, rest).0.file)
        }
        _ => {
            let (m, taken) = walk(r, module_of(importer), path);
            if taken > 0 {
                return Some(m.file);
            }
            let (m, taken) = walk(r, crate_root(r, importer)?, path);
            (taken > 0).then_some(m.file)
        }
    }
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    if let Some(name) = import.strip_prefix("mod ") {
        return child(r, &module_of(importer), name.trim())
            .map(|m| m.file)
            .into_iter()
            .collect();
    }
    expand(import)
        .iter()
        .filter_map(|p| resolve_path(r, importer, p))
        .collect()
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    if let Some(name) = import.strip_prefix("mod ") {
        return vec![key_of(name.trim())];
    }
    expand(import)
        .into_iter()
        .flatten()
        .filter(|s| {
            !matches!(
                s.as_str(),
                "crate" | "$crate" | "self" | "super" | "::" | "*"
            )
        })
        .map(|s| key_of(&s))
        .collect()
}

#[cfg(test)]
pub(crate) fn expand_for_tests(tree: &str) -> Vec<Vec<String>> {
    expand(tree)
}
