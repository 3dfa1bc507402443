//! Kotlin imports. Stored form: the import statement as written (`import a.b.C as D`,
//! `import a.b.*`).
//!
//! `a.b.C` is the file `a/b/C.kt` by path suffix (outer classes for nested names), else
//! the package directory `a/b`'s `.kt` files under the nearest ancestor of the importer
//! that has it; `a.b.*` is that directory's files (see [`super::java::resolve_by_package`]).
//! Not resolved: same-package names used without import, libraries, the standard library.

use super::{java, key_of, Resolver};

/// (segments, wildcard) of `import a.b.C as D` / `import a.b.*`.
fn segments(import: &str) -> (Vec<&str>, bool) {
    let body = import.trim();
    let body = body.strip_prefix("import").unwrap_or(body).trim();
    let path = body.split(" as ").next().unwrap_or(body);
    let mut segs: Vec<&str> = path
        .split('.')
        .map(|s| s.trim().trim_matches('`'))
        .filter(|s| !s.is_empty())
        .collect();
    let wildcard = segs.last() == Some(&"*");
    if wildcard {
        segs.pop();
    }
    (segs, wildcard)
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let (segs, wildcard) = segments(import);
    java::resolve_by_package(r, importer, &segs, wildcard, "kt")
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    segments(import).0.into_iter().map(key_of).collect()
}
