//! Java imports. Stored forms (see `import_text`): `a.b.C`, `a.b.*`, and for static
//! imports `a.b.C.m`, `a.b.C.*` (the `static` keyword dropped).
//!
//! A class `a.b.C` is the file `a/b/C.java` found by path suffix among the files named
//! `C.java`, the candidates sharing the most leading directories with the importer winning.
//! When absent, trailing components are dropped while the last one left looks like a class
//! (upper-case initial): `a.b.Outer.Inner` and `a.b.C.member` give `a/b/Outer.java` and
//! `a/b/C.java`. `a.b.*` is every `.java` file directly in the directory `a/b` under the
//! nearest ancestor directory of the importer that has one (a source root such as
//! `src/main/java`), else the class `a.b` (a static `.*` import). Not resolved: wildcard
//! imports of packages in another source tree than the importer's, classes of the
//! importer's own package used without import, the JDK and other libraries.

use super::{ancestors, by_suffix, dir_of, join, key_of, Resolver};

fn segments(import: &str) -> (Vec<&str>, bool) {
    let mut segs: Vec<&str> = import.split('.').filter(|s| !s.is_empty()).collect();
    let wildcard = segs.last() == Some(&"*");
    if wildcard {
        segs.pop();
    }
    (segs, wildcard)
}

fn class(r: &Resolver, importer: &str, segs: &[&str], ext: &str) -> Vec<String> {
    for n in (1..=segs.len()).rev() {
        let last = segs[n - 1];
        if n < segs.len() && !last.starts_with(|c: char| c.is_uppercase()) {
            break;
        }
        let found = by_suffix(r, importer, &format!("{}.{ext}", segs[..n].join("/")));
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let (segs, wildcard) = segments(import);
    if segs.is_empty() {
        return Vec::new();
    }
    if wildcard {
        let files = package(r, importer, &segs, "java");
        if !files.is_empty() {
            return files;
        }
    }
    class(r, importer, &segs, "java")
}

/// The `.EXT` files directly in the package directory `segs` under the nearest ancestor
/// of the importer that has it (a source root such as `src/main/java`).
pub(crate) fn package(r: &Resolver, importer: &str, segs: &[&str], ext: &str) -> Vec<String> {
    let rel = segs.join("/");
    let suffix = format!(".{ext}");
    for a in ancestors(dir_of(importer)) {
        let dir = join(a, &rel);
        let files: Vec<String> = r
            .tree
            .files_in_dir(&dir)
            .into_iter()
            .filter(|p| p.ends_with(&suffix) && dir_of(p) == dir)
            .collect();
        if !files.is_empty() {
            return files;
        }
    }
    Vec::new()
}

/// Kotlin and Scala: `a.b.C` is the file `a/b/C.EXT` as for Java (by path suffix, outer
/// classes for nested names); a name no file is called after (a top-level function, a
/// second class in a file) and `a.b.*` are the package directory's `.EXT` files.
pub(crate) fn resolve_by_package(
    r: &Resolver,
    importer: &str,
    segs: &[&str],
    wildcard: bool,
    ext: &str,
) -> Vec<String> {
    if segs.is_empty() {
        return Vec::new();
    }
    if !wildcard {
        let found = class(r, importer, segs, ext);
        if !found.is_empty() {
            return found;
        }
    }
    let pkg = match wildcard {
        true => segs,
        false => &segs[..segs.len() - 1],
    };
    match pkg.is_empty() {
        true => Vec::new(),
        false => package(r, importer, pkg, ext),
    }
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    segments(import).0.into_iter().map(key_of).collect()
}
