//! Scala imports. Stored form: the import statement as written (`import a.b.C`,
//! `import a.b._`, `import a.b.{C, D => E}`, `import a.b.*`, `import a.B, c.D`).
//!
//! Each imported name is resolved as for Kotlin ([`super::java::resolve_by_package`] with
//! `.scala`): the file named after it, else its package directory's files; `_`, `*` and
//! `given` selectors name the package directory. The result is every selector's files.
//! Not resolved: relative imports of a package in scope (`import b.C` inside `package a`),
//! libraries, the standard library.

use super::{java, key_of, Resolver};

/// Every imported path of the statement, as (segments, wildcard).
fn paths(import: &str) -> Vec<(Vec<String>, bool)> {
    let body = import.trim();
    let body = body.strip_prefix("import").unwrap_or(body);
    let mut out = Vec::new();
    for clause in split_top(body) {
        let (head, selectors) = match clause.find('{') {
            Some(i) => (&clause[..i], Some(clause[i + 1..].trim_end_matches('}'))),
            None => (clause, None),
        };
        let mut segs: Vec<String> = head
            .split('.')
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let Some(selectors) = selectors else {
            let wildcard = matches!(segs.last().map(String::as_str), Some("_" | "*"));
            if wildcard {
                segs.pop();
            }
            out.push((segs, wildcard));
            continue;
        };
        for sel in selectors.split(',') {
            let name = sel.split("=>").next().unwrap_or("").trim();
            let name = name.split(" as ").next().unwrap_or("").trim();
            match name {
                "" => {}
                "_" | "*" | "given" => out.push((segs.clone(), true)),
                n if n.starts_with("given ") => out.push((segs.clone(), true)),
                n => {
                    let mut s = segs.clone();
                    s.push(n.trim_matches('`').to_string());
                    out.push((s, false));
                }
            }
        }
    }
    out
}

/// `a.B, c.{D, E}` -> [`a.B`, `c.{D, E}`]: commas outside braces.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out.retain(|c| !c.is_empty());
    out
}

pub(crate) fn resolve(r: &Resolver, importer: &str, import: &str) -> Vec<String> {
    let mut files = Vec::new();
    for (segs, wildcard) in paths(import) {
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        files.extend(java::resolve_by_package(
            r, importer, &segs, wildcard, "scala",
        ));
    }
    files
}

pub(crate) fn keys(import: &str) -> Vec<String> {
    paths(import)
        .into_iter()
        .flat_map(|(segs, _)| segs)
        .map(|s| key_of(&s))
        .collect()
}
