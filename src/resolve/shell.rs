//! Shell `source FILE` and `. FILE`. Stored form: the argument as written, outer quotes
//! removed.
//!
//! A literal relative path is resolved against the sourcing file's directory, then the
//! repository root (scripts are often run from there). The script's own directory spelled
//! as `$(dirname "$0")`, `$(dirname "${BASH_SOURCE[0]}")`, `${BASH_SOURCE%/*}` or
//! `${0%/*}` counts as literal. Not resolved: any other variable or command substitution,
//! absolute paths, `~`.

use super::{key_of, name_of, relative_file, Resolver};

/// Ways of writing the script's own directory.
const SELF_DIR: &[&str] = &[
    "$(dirname $0)",
    "$(dirname ${0})",
    "$(dirname $BASH_SOURCE)",
    "$(dirname ${BASH_SOURCE})",
    "$(dirname ${BASH_SOURCE[0]})",
    "${BASH_SOURCE%/*}",
    "${BASH_SOURCE[0]%/*}",
    "${0%/*}",
];

/// The path relative to the script's directory (`true`) or as written (`false`); `None`
/// when it is computed.
fn literal(import: &str) -> Option<(String, bool)> {
    let t: String = import
        .chars()
        .filter(|c| !matches!(c, '"' | '\''))
        .collect();
    let (rest, own_dir) = match SELF_DIR.iter().find_map(|d| t.strip_prefix(d)) {
        Some(rest) => (rest.trim_start_matches('/').to_string(), true),
        None => (t, false),
    };
    let computed = rest.contains(['$', '`', '*', '?', '~', '{', ' ']);
    (!computed && !rest.is_empty() && !rest.starts_with('/')).then_some((rest, own_dir))
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let Some((rel, own_dir)) = literal(import) else {
        return Vec::new();
    };
    relative_file(r, importer, &rel, own_dir)
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    match literal(import) {
        Some((rel, _)) => vec![key_of(name_of(&rel))],
        None => Vec::new(),
    }
}
