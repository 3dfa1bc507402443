//! The stored form of an import: what a query or walker captured, as `resolve` reads it.

/// The stored form of an import capture, by its shape (the capture is a string literal,
/// a name, or for some languages a whole statement). See `crate::resolve` for how each
/// form is resolved.
///
/// - `"foo/bar.h"`, `'./x'`, `` `m` `` -> the string inside the quotes (C quoted includes,
///   Go, JavaScript and TypeScript specifiers).
/// - `<stdio.h>` -> kept with its brackets, so C and C++ angle includes stay distinct from
///   quoted ones.
/// - `from .pkg import (a as b, c)  # note` (Python, captured whole) ->
///   `from .pkg import a, c`: leading dots kept, aliases, parentheses, comments and line
///   continuations dropped; `from m import *` -> `from m import *`.
/// - `import static a.b.C.*;` (Java, captured whole) -> `a.b.C.*`.
/// - `pub(crate) mod foo;` (a Rust module declaration without body) -> `mod foo`.
/// - anything else (Python `a.b`, Rust `use` trees) -> the trimmed text.
pub(crate) fn import_text(raw: String) -> String {
    let t = raw.trim();
    if t.starts_with('<') && t.ends_with('>') {
        return t.to_string();
    }
    if let Some(inner) = t
        .strip_prefix(['"', '\'', '`'])
        .map(|s| s.strip_suffix(['"', '\'', '`']).unwrap_or(s))
    {
        return inner.trim().to_string();
    }
    if t.starts_with("from") && t[4..].starts_with(char::is_whitespace) {
        return python_from_import(t);
    }
    if let Some(body) = t.strip_suffix(';') {
        if let Some(rest) = body
            .strip_prefix("import")
            .filter(|r| r.starts_with(char::is_whitespace))
        {
            // Java: `import [static] a . b . C [. *]`, comments aside.
            let rest = rest.trim_start();
            let rest = match rest.strip_prefix("static") {
                Some(r) if r.starts_with(char::is_whitespace) => r,
                _ => rest,
            };
            return strip_c_comments(rest)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
        }
        let words: Vec<&str> = body.split_whitespace().collect();
        if words.len() >= 2 && words[words.len() - 2] == "mod" {
            return format!("mod {}", words[words.len() - 1]);
        }
    }
    // Rust use trees (`a::{b, /* x */ c}`) may hold comments; keep the paths only.
    strip_c_comments(t).trim().to_string()
}

/// `from .m import (a as b, c)` -> `from .m import a, c` (see [`import_text`]).
fn python_from_import(stmt: &str) -> String {
    let mut clean = String::with_capacity(stmt.len());
    for line in stmt.lines() {
        let line = line.split('#').next().unwrap_or("");
        clean.push_str(line.trim_end().trim_end_matches('\\'));
        clean.push(' ');
    }
    let clean = clean.replace(['(', ')'], " ");
    let body = clean.trim_start()[4..].trim_start();
    let (module, names) = match body.find(" import ") {
        Some(i) => (&body[..i], &body[i + 8..]),
        None => (body, ""),
    };
    let module: String = module.chars().filter(|c| !c.is_whitespace()).collect();
    let names: Vec<&str> = names
        .split(',')
        .filter_map(|n| n.split_whitespace().next())
        .collect();
    format!("from {module} import {}", names.join(", "))
}

/// `a /* x */ . b // y` -> `a  . b ` (Java import bodies).
fn strip_c_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
        } else if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]);
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}
