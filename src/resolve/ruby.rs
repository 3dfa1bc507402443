//! Ruby `require`, `require_relative` and `load`. Stored forms: `a/b` (`require "a/b"`,
//! by load path) and `./x` (`require_relative "x"`, from the file's own directory).
//!
//! `./x` is `x.rb` (or `x` when it has an extension) relative to the importer's directory.
//! `a/b` is `a/b.rb` by path suffix, the candidates sharing the most leading directories
//! with the importer winning: the gem's own `lib/`, or the repository root. Not resolved:
//! gems and the standard library (`require "json"` finds nothing unless the repository has
//! a `json.rb`), `$LOAD_PATH` changes, `autoload`.

use super::{by_suffix, key_of, name_of, relative_file, Resolver};

fn with_ext(path: &str) -> String {
    match name_of(path).contains('.') {
        true => path.to_string(),
        false => format!("{path}.rb"),
    }
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    if import.is_empty() || import.contains(['#', '$']) {
        return Vec::new();
    }
    if let Some(rel) = import.strip_prefix("./") {
        return relative_file(r, importer, &with_ext(rel), true);
    }
    if import.starts_with('/') || import.starts_with('.') {
        return Vec::new();
    }
    by_suffix(r, importer, &with_ext(import))
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    vec![key_of(name_of(import.trim_end_matches('/')))]
}
