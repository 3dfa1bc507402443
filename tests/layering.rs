//! The direction of dependencies between the top-level modules of src/ (issue 12).
//!
//! Every `.rs` file under src/ (but the generated src/fb/) belongs to a top-level module:
//! src/foo.rs and src/foo/** are module `foo`, src/lib.rs and src/main.rs are the crate
//! root. A file refers to another top-level module through a `crate::X` path (in a `use`,
//! grouped or not, or inline in code) or through a `super::` chain that climbs to the crate
//! root and then names `X`. Comments and string literals do not count.
//!
//! A module may refer only to modules of lower layers (and to itself); test code (files
//! named tests.rs, files in a `tests/` module directory and `#[cfg(test)]` items) may also
//! refer to modules of its own layer.
//! `cli` may be referred to by `commands` and the crate root only. The crate root may refer
//! to anything.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: &[&[&str]] = &[
    &["model", "error", "config", "failpoint", "fb"],
    &["format", "git", "extract", "resolve"],
    &["store"],
    &["pipeline", "query"],
    &["share", "hooks"],
    &["commands", "server", "cli"],
];

/// The modules that may refer to `cli` (besides the crate root).
const CLI_USERS: &[&str] = &["commands"];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// One reference from a file to a top-level module.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ref {
    /// 1-based line of the name of the referenced module.
    line: usize,
    /// The top-level module referred to.
    module: String,
    /// Whether the reference is in test-only code.
    test: bool,
}

/// `src` with every comment and every string, byte string and char literal replaced by
/// spaces (newlines kept), so that only code is left, on the same lines.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, from: usize, to: usize| {
        for &ch in &c[from..to.min(c.len())] {
            out.push(if ch == '\n' { '\n' } else { ' ' });
        }
    };
    // The index just past a string literal whose opening quote is at `open`.
    let string_end = |open: usize| {
        let mut j = open + 1;
        while j < c.len() {
            match c[j] {
                '\\' => j += 2,
                '"' => return j + 1,
                _ => j += 1,
            }
        }
        c.len()
    };
    // The index just past a char literal starting at `open`, or `None` for a lifetime or
    // a label (`'a`).
    let char_end = |open: usize| {
        if at(open + 1) == '\\' {
            let mut j = open + 3;
            while j < c.len() && c[j] != '\'' && c[j] != '\n' {
                j += 1;
            }
            (at(j) == '\'').then_some(j + 1)
        } else if at(open + 1) != '\'' && at(open + 2) == '\'' {
            Some(open + 3)
        } else {
            None
        }
    };
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == '/' && at(i + 1) == '/' {
            let end = c[i..]
                .iter()
                .position(|&x| x == '\n')
                .map_or(c.len(), |p| i + p);
            blank(&mut out, i, end);
            i = end;
        } else if ch == '/' && at(i + 1) == '*' {
            // Block comments nest in Rust.
            let (mut depth, mut j) = (1, i + 2);
            while j < c.len() && depth > 0 {
                if c[j] == '/' && at(j + 1) == '*' {
                    depth += 1;
                    j += 2;
                } else if c[j] == '*' && at(j + 1) == '/' {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if ch == '"' {
            let end = string_end(i);
            blank(&mut out, i, end);
            i = end;
        } else if ch == '\'' {
            match char_end(i) {
                Some(end) => {
                    blank(&mut out, i, end);
                    i = end;
                }
                None => {
                    out.push(ch);
                    i += 1;
                }
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let mut j = i;
            while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_') {
                j += 1;
            }
            let word: String = c[i..j].iter().collect();
            let end = match word.as_str() {
                // Raw strings: r"..", r#".."#, br#".."#, cr"..".
                "r" | "br" | "cr" => {
                    let hashes = c[j..].iter().take_while(|&&x| x == '#').count();
                    if at(j + hashes) == '"' {
                        let close: Vec<char> = std::iter::once('"')
                            .chain(std::iter::repeat_n('#', hashes))
                            .collect();
                        let body = j + hashes + 1;
                        Some(
                            c[body..]
                                .windows(close.len())
                                .position(|w| w == close.as_slice())
                                .map_or(c.len(), |p| body + p + close.len()),
                        )
                    } else {
                        None
                    }
                }
                // Byte and C strings, byte chars.
                "b" | "c" if at(j) == '"' => Some(string_end(j)),
                "b" if at(j) == '\'' => char_end(j),
                _ => None,
            };
            match end {
                Some(end) => {
                    blank(&mut out, i, end);
                    i = end;
                }
                None => {
                    out.push_str(&word);
                    i = j;
                }
            }
        } else {
            out.push(ch);
            i += 1;
        }
    }
    out
}

/// A token of code: an identifier or keyword, `::`, or one punctuation character.
#[derive(Debug)]
struct Token<'s> {
    text: &'s str,
    line: usize,
}

fn tokens(code: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut rest = code.char_indices().peekable();
    while let Some((i, ch)) = rest.next() {
        if ch == '\n' {
            line += 1;
        } else if ch.is_whitespace() {
        } else if ch.is_alphanumeric() || ch == '_' {
            let mut end = i + ch.len_utf8();
            while let Some(&(j, c)) = rest.peek() {
                if !(c.is_alphanumeric() || c == '_') {
                    break;
                }
                end = j + c.len_utf8();
                rest.next();
            }
            out.push(Token {
                text: &code[i..end],
                line,
            });
        } else if ch == ':' && rest.peek().is_some_and(|&(_, c)| c == ':') {
            rest.next();
            out.push(Token {
                text: &code[i..i + 2],
                line,
            });
        } else {
            out.push(Token {
                text: &code[i..i + ch.len_utf8()],
                line,
            });
        }
    }
    out
}

fn is_ident(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The names a path continues with at `toks[at]`: one identifier, or the first identifier
/// of each element of a `{ .. }` group (`self` and globs left out). Each with its line.
fn path_heads(toks: &[Token], at: usize) -> Vec<(usize, String)> {
    let Some(first) = toks.get(at) else {
        return Vec::new();
    };
    if first.text != "{" {
        return if is_ident(first.text) && first.text != "self" {
            vec![(first.line, first.text.to_string())]
        } else {
            Vec::new()
        };
    }
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut element_start = true;
    for t in &toks[at..] {
        match t.text {
            "{" => {
                depth += 1;
                element_start = depth == 1;
            }
            "}" => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            "," if depth == 1 => element_start = true,
            text if element_start && depth == 1 => {
                if is_ident(text) && text != "self" {
                    heads.push((t.line, text.to_string()));
                }
                element_start = false;
            }
            _ => {}
        }
    }
    heads
}

/// The references to top-level modules in the source of a file whose module path is
/// `module` (`["query", "deps"]` for src/query/deps.rs, empty for the crate root).
/// `test_file` marks the whole file as test code.
fn references(src: &str, module: &[&str], test_file: bool) -> Vec<Ref> {
    let code = code_only(src);
    let toks = tokens(&code);
    let text = |i: usize| toks.get(i).map_or("", |t| t.text);
    let mut refs = Vec::new();
    // Brace depth, and the depth of parentheses and brackets.
    let (mut braces, mut parens) = (0usize, 0usize);
    // Inline `mod name { .. }` blocks: their name and the brace depth outside them.
    let mut inline: Vec<(&str, usize)> = Vec::new();
    // The `#[cfg(test)]` items we are in: the brace and paren depth the item started at,
    // and whether its braces have opened.
    let mut test_items: Vec<(usize, usize, bool)> = Vec::new();
    let mut test_whole = test_file;
    let mut i = 0;
    while i < toks.len() {
        let t = text(i);
        let in_test = test_whole || !test_items.is_empty();
        // `#[cfg(test)]` and `#![cfg(test)]`.
        if t == "#" {
            let inner = text(i + 1) == "!";
            let s = if inner { i + 2 } else { i + 1 };
            if (s..s + 6).map(text).eq(["[", "cfg", "(", "test", ")", "]"]) {
                if inner {
                    test_whole = true;
                } else {
                    test_items.push((braces, parens, false));
                }
                i = s + 6;
                continue;
            }
        }
        match t {
            "{" => {
                if text(i.wrapping_sub(2)) == "mod" && is_ident(text(i - 1)) {
                    inline.push((text(i - 1), braces));
                }
                for item in test_items.iter_mut().filter(|it| it.0 == braces) {
                    item.2 = true;
                }
                braces += 1;
            }
            "}" => {
                braces = braces.saturating_sub(1);
                if inline.last().is_some_and(|&(_, d)| d == braces) {
                    inline.pop();
                }
                test_items.retain(|&(d, _, opened)| !(opened && d == braces));
            }
            "(" | "[" => parens += 1,
            ")" | "]" => parens = parens.saturating_sub(1),
            ";" => test_items.retain(|&(d, p, _)| !(d == braces && p == parens)),
            "crate" if text(i + 1) == "::" => {
                for (line, name) in path_heads(&toks, i + 2) {
                    refs.push(Ref {
                        line,
                        module: name,
                        test: in_test,
                    });
                }
            }
            "super" if text(i.wrapping_sub(1)) != "::" => {
                // A chain `super::super::..::X`: count the steps up.
                let mut ups = 1;
                let mut j = i + 1;
                while text(j) == "::" && text(j + 1) == "super" {
                    ups += 1;
                    j += 2;
                }
                let depth = module.len() + inline.len();
                if text(j) == "::" && ups == depth {
                    for (line, name) in path_heads(&toks, j + 1) {
                        refs.push(Ref {
                            line,
                            module: name,
                            test: in_test,
                        });
                    }
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    refs
}

/// The module path of a file from its path under src/: `["query", "deps"]` for
/// query/deps.rs, `["query"]` for query/mod.rs or query.rs, empty for lib.rs and main.rs.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.strip_suffix(".rs").unwrap_or(&last);
    if parts.is_empty() && (stem == "lib" || stem == "main") {
        return Vec::new();
    }
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// Every .rs file under `dir`, sorted, leaving out `skip`.
fn rust_files(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path == skip {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, skip, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn describe(module: &str) -> String {
    match layer(module) {
        Some(l) => format!("module {module} (layer {l})"),
        None => format!("module {module} (not in the layer table)"),
    }
}

/// What the check found under src/.
struct Report {
    /// Every reference that breaks the layer order, one line each.
    violations: Vec<String>,
    /// Top-level modules (of files, or referred to) that the layer table does not name.
    unknown: BTreeSet<String>,
}

/// Checks every file under `src` against the layer table.
fn check(src: &Path) -> Report {
    let mut files = Vec::new();
    rust_files(src, &src.join("fb"), &mut files);
    let mut report = Report {
        violations: Vec::new(),
        unknown: BTreeSet::new(),
    };
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let path = module_path(rel);
        let Some(from) = path.first() else {
            continue; // the crate root may refer to anything
        };
        if layer(from).is_none() {
            report.unknown.insert(from.clone());
        }
        // `tests.rs`, or any file of a `tests/` module directory (split by subject).
        let test_file = rel.file_name().is_some_and(|n| n == "tests.rs")
            || rel.components().any(|c| c.as_os_str() == "tests");
        let text = std::fs::read_to_string(&file).unwrap();
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let mut seen = BTreeSet::new();
        for r in references(&text, &path, test_file) {
            let to = r.module.as_str();
            if to == from || !seen.insert((r.line, r.module.clone())) {
                continue;
            }
            let allowed = match (layer(from), layer(to)) {
                _ if to == "cli" => CLI_USERS.contains(&from.as_str()),
                (Some(a), Some(b)) => b < a || (r.test && b == a),
                _ => false,
            };
            if allowed {
                continue;
            }
            if layer(to).is_none() {
                report.unknown.insert(to.to_string());
            }
            let mut line = format!(
                "src/{}:{}: {} -> {}",
                rel.display(),
                r.line,
                describe(from),
                describe(to)
            );
            if r.test {
                line.push_str(" [test code]");
            }
            report.violations.push(line);
        }
    }
    report
}

#[test]
fn top_level_modules_only_refer_to_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let report = check(&src);
    let mut msg = String::new();
    if !report.violations.is_empty() {
        let _ = writeln!(
            msg,
            "{} references break the layer order (a module may refer only to lower layers, \
             test code also to its own; `cli` only from commands and the crate root):\n{}",
            report.violations.len(),
            report.violations.join("\n")
        );
    }
    if !report.unknown.is_empty() {
        let names: Vec<&str> = report.unknown.iter().map(String::as_str).collect();
        let _ = writeln!(
            msg,
            "modules not in the layer table: {} (add them to the layer table in \
             tests/layering.rs)",
            names.join(", ")
        );
    }
    if !msg.is_empty() {
        let _ = writeln!(msg, "layers, lowest first:");
        for (i, l) in LAYERS.iter().enumerate() {
            let _ = writeln!(msg, "  layer {i}: {}", l.join(", "));
        }
        panic!("{msg}");
    }
}

#[test]
fn the_scanner_finds_module_paths_and_ignores_comments_and_strings() {
    let src = r###"//! See `crate::resolve` for how names are resolved.
use std::fmt;
use crate::model::Kind;
use crate::{
    git::diff,
    extract::{self, Extractor},
    self,
};
/* A block comment naming crate::share /* nested crate::hooks */ crate::server */
/// Doc text: crate::commands
fn f<'a>(x: &'a str) -> char {
    let s = "crate::pipeline";
    let r = r#"a "quoted" crate::cli"#;
    let b = b"crate::config";
    let q = '"';
    let esc = '\'';
    crate::store::open(super::super::error::Error::new(x));
    let v = super::sibling::g();
    pub(crate) struct P;
    'outer: loop { break 'outer; }
    crate::format::write()
}
#[cfg(test)]
mod tests {
    use super::super::super::fb;
    use crate::query;
    fn helper() -> [u8; 2] { [0; 2] }
    use crate::{resolve, share::x};
}
use crate::model;
"###;
    let got = references(src, &["query", "deps"], false);
    let got: Vec<(usize, String, bool)> = got
        .into_iter()
        .map(|r| (r.line, r.module, r.test))
        .collect();
    let want: Vec<(usize, String, bool)> = [
        (3, "model", false),
        (5, "git", false),
        (6, "extract", false),
        (17, "store", false),
        (17, "error", false),
        (21, "format", false),
        (25, "fb", true),
        (26, "query", true),
        (28, "resolve", true),
        (28, "share", true),
        (30, "model", false),
    ]
    .into_iter()
    .map(|(l, m, t)| (l, m.to_string(), t))
    .collect();
    assert_eq!(got, want);

    // The number of `super` steps that reaches the crate root depends on the file.
    let chain = "use super::store;\nfn f() { super::super::store::x(); }\n";
    let modules = |module: &[&str]| -> Vec<(usize, String)> {
        references(chain, module, false)
            .into_iter()
            .map(|r| (r.line, r.module))
            .collect()
    };
    assert_eq!(modules(&["query"]), [(1, "store".to_string())]);
    assert_eq!(modules(&["query", "deps"]), [(2, "store".to_string())]);
    assert_eq!(modules(&["query", "deps", "inner"]), []);

    // A test-only file.
    let got = references("use crate::store::X;\n", &["pipeline", "tests"], true);
    assert_eq!(
        got,
        [Ref {
            line: 1,
            module: "store".to_string(),
            test: true
        }]
    );

    assert_eq!(module_path(Path::new("lib.rs")), Vec::<String>::new());
    assert_eq!(module_path(Path::new("main.rs")), Vec::<String>::new());
    assert_eq!(module_path(Path::new("store.rs")), ["store"]);
    assert_eq!(module_path(Path::new("store/mod.rs")), ["store"]);
    assert_eq!(module_path(Path::new("query/deps.rs")), ["query", "deps"]);
    assert_eq!(module_path(Path::new("a/lib.rs")), ["a", "lib"]);
}

#[test]
fn the_check_applies_the_layer_rules_to_a_tree() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let files = [
        ("lib.rs", "pub mod store;\nuse crate::commands::run;\n"),
        (
            "main.rs",
            "use git_atse::cli;\nfn main() { crate::server::x(); }\n",
        ),
        ("fb/gen.rs", "use crate::commands;\n"),
        (
            "store/mod.rs",
            "use crate::model::Kind;\nuse crate::query::Q;\nuse crate::store::index;\n",
        ),
        (
            "git/mod.rs",
            "//! See crate::commands.\nuse crate::extract::E;\n\
             #[cfg(test)]\nmod tests {\n    use crate::resolve::R;\n}\n",
        ),
        (
            "git/tests.rs",
            "use crate::format::F;\nuse crate::store::S;\n",
        ),
        (
            "commands/mod.rs",
            "use crate::cli::Cli;\nuse crate::share;\n",
        ),
        ("server.rs", "use crate::cli::Cli;\nuse crate::commands;\n"),
        ("hooks/x.rs", "fn f() { crate::cli::parse(); }\n"),
        (
            "query/deps.rs",
            "use super::super::pipeline::P;\nuse super::super::{model, share};\n",
        ),
        ("update.rs", "use crate::store::S;\n"),
    ];
    for (path, text) in files {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let report = check(src);
    assert_eq!(
        report.violations,
        [
            "src/git/mod.rs:2: module git (layer 1) -> module extract (layer 1)",
            "src/git/tests.rs:2: module git (layer 1) -> module store (layer 2) [test code]",
            "src/hooks/x.rs:1: module hooks (layer 4) -> module cli (layer 5)",
            "src/query/deps.rs:1: module query (layer 3) -> module pipeline (layer 3)",
            "src/query/deps.rs:2: module query (layer 3) -> module share (layer 4)",
            "src/server.rs:1: module server (layer 5) -> module cli (layer 5)",
            "src/server.rs:2: module server (layer 5) -> module commands (layer 5)",
            "src/store/mod.rs:2: module store (layer 2) -> module query (layer 3)",
            "src/update.rs:1: module update (not in the layer table) -> module store (layer 2)",
        ]
    );
    assert_eq!(report.unknown.into_iter().collect::<Vec<_>>(), ["update"]);
}
