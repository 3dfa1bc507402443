//! C and C++ includes. Stored forms (see `import_text`): `x/y.h` for `#include "x/y.h"`,
//! `<x/y.h>` for `#include <x/y.h>`, anything else (a macro) for computed includes.
//!
//! A quoted include is first looked up relative to the including file's directory; then
//! quoted and angle includes alike are matched by path suffix among the files named like
//! the header (`<linux/list.h>` matches `include/linux/list.h`), the candidates sharing
//! the most leading directories with the includer winning (all of them on a tie). Not
//! resolved: include paths (`-I`), computed includes, headers not in the repository.

use super::{by_suffix, dir_of, join, key_of, name_of, normalize, Resolver};

/// The header path and whether it was quoted; `None` for a computed include.
fn parse(import: &str) -> Option<(&str, bool)> {
    if let Some(inner) = import.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
        return Some((inner.trim(), false));
    }
    // A bare identifier is a macro (`#include CONFIG_H`); a path has `.` or `/`.
    if import.is_empty() || !import.contains(['.', '/']) {
        return None;
    }
    Some((import, true))
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let Some((header, quoted)) = parse(import) else {
        return Vec::new();
    };
    if quoted {
        if let Some(p) = normalize(&join(dir_of(importer), header)) {
            if !p.is_empty() && r.tree.exists(&p) {
                return vec![p];
            }
        }
    }
    // The suffix search: `../x/y.h` looks for `x/y.h`.
    let Some(suffix) = normalize(
        header
            .split('/')
            .skip_while(|c| *c == ".." || *c == ".")
            .collect::<Vec<_>>()
            .join("/")
            .as_str(),
    ) else {
        return Vec::new();
    };
    if suffix.is_empty() {
        return Vec::new();
    }
    by_suffix(r, importer, &suffix)
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    match parse(import) {
        Some((header, _)) => vec![key_of(name_of(header))],
        None => Vec::new(),
    }
}
