//! C# `using` directives. Stored form: the namespace or type as written (`A.B.C`; for
//! `using X = A.B;` the target `A.B`; `using static A.B.C;` the type `A.B.C`).
//!
//! A namespace is resolved by directory, as C# projects lay it out: `A.B.C` is every `.cs`
//! file directly in the nearest directory (from the importer's ancestors down) whose path
//! ends with the namespace's components, joined by `/` or, for a project folder named
//! after the root namespace, by `.` (`Newtonsoft.Json/Linq`); leading components may be
//! missing (a project folder for `A.B` holding `C/`). A `using static A.B.C` or alias of a
//! type is the file `C.cs` of the namespace's directory when there is one, else that
//! directory's files (the type is in one of them). Not resolved:
//! namespaces declared in files laid out otherwise (the namespace declarations themselves
//! are not consulted), the base class library and NuGet packages.

use super::{ancestors, dir_of, join, key_of, Resolver};

fn segments(import: &str) -> Vec<&str> {
    let t = import.trim();
    let t = t.split('=').next_back().unwrap_or(t);
    t.split('.')
        .map(|s| s.trim().trim_start_matches("global::"))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Relative directory spellings of `segs`: for every suffix of the components, the first
/// `k` joined by `.` and the rest by `/`, longest first.
fn spellings(segs: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for start in 0..segs.len() {
        let s = &segs[start..];
        out.push(s.join("/"));
        for k in 2..=s.len() {
            let head = s[..k].join(".");
            out.push(match s.len() > k {
                true => format!("{head}/{}", s[k..].join("/")),
                false => head,
            });
        }
    }
    out
}

fn cs_files_in(r: &Resolver, dir: &str) -> Vec<String> {
    r.tree
        .files_in_dir(dir)
        .into_iter()
        .filter(|p| p.ends_with(".cs") && dir_of(p) == dir)
        .collect()
}

fn namespace(r: &Resolver, importer: &str, segs: &[&str]) -> Vec<String> {
    for rel in spellings(segs) {
        for a in ancestors(dir_of(importer)) {
            let files = cs_files_in(r, &join(a, &rel));
            if !files.is_empty() {
                return files;
            }
        }
    }
    Vec::new()
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let segs = segments(import);
    if segs.is_empty() {
        return Vec::new();
    }
    let files = namespace(r, importer, &segs);
    if !files.is_empty() {
        return files;
    }
    // A type: `C.cs` in its namespace's directory, else (a type in a file named
    // otherwise) the namespace's files.
    let (ty, ns) = segs.split_last().unwrap_or((&"", &[]));
    if ns.is_empty() {
        return Vec::new();
    }
    let want = format!("/{ty}.cs");
    let files = namespace(r, importer, ns);
    let named: Vec<String> = files
        .iter()
        .filter(|p| p.ends_with(&want))
        .cloned()
        .collect();
    match named.is_empty() {
        true => files,
        false => named,
    }
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    segments(import).into_iter().map(key_of).collect()
}
