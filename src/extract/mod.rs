//! `extract`: pure functions from a blob's bytes and language to a [`FileIndex`].
//!
//! Never reads files or git, so the same bytes always give the same result (the time
//! bound is the one exception, and a timed-out blob is recorded as skipped, not retried).

pub mod header;
pub mod lang;
mod spec;

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use anyhow::Result;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, ParseOptions, Parser, QueryCursor, QueryCursorOptions};

use crate::model::{
    Definition, FileIndex, Import, Kind, Lang, Reference, SkipReason, EXTRACTOR_VERSION,
};
use spec::{spec, LanguageSpec, Role};

/// Bounds on the work spent on one blob.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Blobs larger than this are skipped unparsed.
    pub max_file_bytes: u64,
    /// Parsing and querying one blob may take at most this long.
    pub max_parse_time: Duration,
}

/// `atse.maxFileSize` default: 1 MiB.
pub const MAX_FILE_BYTES_DEFAULT: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES_DEFAULT,
            max_parse_time: Duration::from_secs(5),
        }
    }
}

/// Whether setting up `lang`'s query costs a new process more than a hook's budget
/// (about 20 ms): tree-sitter analyses a query against the grammar at every start, and
/// C++'s grammar is large (measured: C++ 134 ms, TypeScript/TSX 44 ms, JavaScript 20 ms,
/// C 15 ms, Rust 14 ms, Python 9 ms, Java 6 ms, Go 4 ms).
pub fn slow_to_start(lang: Lang) -> bool {
    matches!(lang, Lang::Cpp | Lang::TypeScript | Lang::Tsx)
}

/// The language of contents `data` at `path`, whose name says `lang`: a `.h` file is C or
/// C++ by its own bytes (`header`); every other name decides alone.
pub fn refine(path: &[u8], lang: Lang, data: &[u8]) -> Lang {
    match lang::is_h(path) {
        true => header::header_lang(data),
        false => lang,
    }
}

/// Whether `data` looks binary, as git decides it: a NUL byte in the first 8 KiB.
pub fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8000)].contains(&0)
}

/// The language of a blob at `path`: by extension, else by shebang for extension-less
/// names. `None`: not a language git-atse indexes.
pub fn detect_lang(path: &[u8], data: &[u8]) -> Option<Lang> {
    lang::by_path(path)
        .map(|l| refine(path, l, data))
        .or_else(|| {
            if lang::has_extension(path) {
                None
            } else {
                lang::by_shebang(data)
            }
        })
}

/// Per-thread extraction state (a parser and a query cursor), reused across blobs.
pub struct Extractor {
    parser: Parser,
    cursor: QueryCursor,
    limits: Limits,
}

/// A definition while the file is processed: byte range kept for nesting.
struct RawDef {
    def: Definition,
    start_byte: usize,
    end_byte: usize,
    name_start: usize,
    context: Option<String>,
    /// The container kind the pattern gives `context` (`atse.context_kind`).
    context_kind: Option<Kind>,
    pattern: usize,
}

impl Extractor {
    /// A new extractor with the given bounds.
    pub fn new(limits: Limits) -> Extractor {
        Extractor {
            parser: Parser::new(),
            cursor: QueryCursor::new(),
            limits,
        }
    }

    /// The bounds this extractor applies.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Extracts definitions, imports and calls from `data`, parsed as `lang`.
    /// Binary, oversized, unparsable and timed-out blobs give a skipped `FileIndex`.
    /// Errors are only internal ones (a query that does not build).
    pub fn extract(&mut self, lang: Lang, data: &[u8]) -> Result<FileIndex> {
        if data.len() as u64 > self.limits.max_file_bytes {
            return Ok(FileIndex::skipped(lang, SkipReason::TooLarge));
        }
        if is_binary(data) {
            return Ok(FileIndex::skipped(lang, SkipReason::Binary));
        }
        let spec = spec(lang)?;
        let deadline = Instant::now() + self.limits.max_parse_time;
        let tree = match self.parse(spec, data, deadline)? {
            Ok(tree) => tree,
            Err(reason) => return Ok(FileIndex::skipped(lang, reason)),
        };
        let Some(mut found) = self.collect(spec, &tree, data, deadline) else {
            return Ok(FileIndex::skipped(lang, SkipReason::Timeout));
        };
        // One definition per name node: the earliest pattern in the query wins, so a
        // specific pattern placed first overrides a general one.
        found.defs.sort_by_key(|d| (d.name_start, d.pattern));
        found.defs.dedup_by_key(|d| d.name_start);
        let definitions = nest(found.defs);
        let references = attach_callers(&definitions, found.calls);
        found.imports.sort_by_key(|(pos, _)| *pos);
        found.imports.dedup_by(|a, b| a.0 == b.0);
        Ok(FileIndex {
            extractor_version: EXTRACTOR_VERSION,
            lang,
            skip: None,
            error_names: found.error_names,
            definitions: definitions.into_iter().map(|(d, _, _)| d).collect(),
            imports: found.imports.into_iter().map(|(_, i)| i).collect(),
            references,
        })
    }

    /// Parses `data` before `deadline`; the reason it was not parsed otherwise.
    fn parse(
        &mut self,
        spec: &LanguageSpec,
        data: &[u8],
        deadline: Instant,
    ) -> Result<std::result::Result<tree_sitter::Tree, SkipReason>> {
        self.parser.set_language(&spec.language)?;
        let mut timed_out = false;
        let mut on_progress = |_: &tree_sitter::ParseState| {
            if Instant::now() > deadline {
                timed_out = true;
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let len = data.len();
        let tree = self.parser.parse_with_options(
            &mut |i, _| if i < len { &data[i..] } else { &[] },
            None,
            Some(ParseOptions::new().progress_callback(&mut on_progress)),
        );
        Ok(match tree {
            Some(tree) => Ok(tree),
            None => {
                self.parser.reset();
                Err(match timed_out {
                    true => SkipReason::Timeout,
                    false => SkipReason::ParseFailed,
                })
            }
        })
    }

    /// Runs the language's query over `tree`; `None` when it ran past `deadline`.
    fn collect(
        &mut self,
        spec: &LanguageSpec,
        tree: &tree_sitter::Tree,
        data: &[u8],
        deadline: Instant,
    ) -> Option<Found> {
        let mut found = Found::default();
        let query_timed_out = std::cell::Cell::new(false);
        let mut on_query_progress = |_: &tree_sitter::QueryCursorState| {
            if Instant::now() > deadline {
                query_timed_out.set(true);
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let mut matches = self.cursor.matches_with_options(
            &spec.query,
            tree.root_node(),
            data,
            QueryCursorOptions::new().progress_callback(&mut on_query_progress),
        );
        while let Some(m) = matches.next() {
            found.add_match(spec, m, data);
        }
        (!query_timed_out.get()).then_some(found)
    }
}

/// What the query found in one blob, before nesting and sorting.
#[derive(Default)]
struct Found {
    defs: Vec<RawDef>,
    imports: Vec<(usize, Import)>,
    calls: Vec<(usize, String, u32, u32)>,
    error_names: u32,
}

impl Found {
    /// Records one query match: a definition, a call or imports.
    fn add_match(&mut self, spec: &LanguageSpec, m: &tree_sitter::QueryMatch<'_, '_>, data: &[u8]) {
        let mut def: Option<(Kind, Node)> = None;
        let mut name: Option<Node> = None;
        let mut context: Option<Node> = None;
        let mut call: Option<Node> = None;
        for cap in m.captures() {
            match spec.roles[cap.index as usize] {
                Role::Definition(kind) => def = Some((kind, cap.node)),
                Role::Name => name = Some(cap.node),
                Role::Context => context = Some(cap.node),
                Role::Call => call = Some(cap.node),
                Role::Import => {
                    let mut path = import_text(text(cap.node, data));
                    if let Some(prefix) = &spec.import_prefix[m.pattern_index] {
                        path.insert_str(0, prefix);
                    }
                    if !path.is_empty() {
                        let line = cap.node.start_position().row as u32 + 1;
                        self.imports
                            .push((cap.node.start_byte(), Import { path, line }));
                    }
                }
                Role::Ignored => {}
            }
        }
        if let (Some((kind, node)), Some(name)) = (def, name) {
            let node = match &spec.up[m.pattern_index] {
                Some(up) => match climb(node, up) {
                    Some(n) => n,
                    None => return,
                },
                None => node,
            };
            let name_text = text(name, data);
            if name_text.is_empty() {
                return;
            }
            if name.has_error() {
                self.error_names += 1;
            }
            let start = name.start_position();
            let end = node.end_position();
            self.defs.push(RawDef {
                def: Definition {
                    name: name_text,
                    kind,
                    container: None,
                    line: start.row as u32 + 1,
                    column: start.column as u32 + 1,
                    end_line: end.row as u32 + 1,
                    end_column: end.column as u32 + 1,
                },
                start_byte: node.start_byte(),
                end_byte: node.end_byte(),
                name_start: name.start_byte(),
                context: context.map(|c| context_text(text(c, data))),
                context_kind: spec.context_kind[m.pattern_index],
                pattern: m.pattern_index,
            });
        } else if let (Some(_), Some(name)) = (call, name) {
            let pos = name.start_position();
            self.calls.push((
                name.start_byte(),
                text(name, data),
                pos.row as u32 + 1,
                pos.column as u32 + 1,
            ));
        }
    }
}

/// The definition around `node`: climbs through `up.through` kinds to the first `up.to`
/// kind; `None` when another kind comes first (the match is not a definition).
fn climb<'t>(node: Node<'t>, up: &spec::Up) -> Option<Node<'t>> {
    let mut cur = node.parent()?;
    loop {
        let k = cur.kind_id();
        if up.to.contains(&k) {
            return Some(cur);
        }
        if !up.through.contains(&k) {
            return None;
        }
        cur = cur.parent()?;
    }
}

fn text(node: Node, data: &[u8]) -> String {
    String::from_utf8_lossy(&data[node.byte_range()]).into_owned()
}

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
fn import_text(raw: String) -> String {
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

/// The container named by a `@context` node: `(r *Server)` -> `Server`, `ns::A` -> `A`,
/// `(t *Tree[K, V])` -> `Tree`, `Map<K, V>` -> `Map`.
fn context_text(raw: String) -> String {
    // Generic arguments first: they may hold spaces and `::`.
    let mut t = String::with_capacity(raw.len());
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '<' | '[' => depth += 1,
            '>' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => t.push(c),
            _ => {}
        }
    }
    let t = t.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
    // A Go receiver `r *Server`: the type is the last word, without pointer.
    let t = t.rsplit([' ', '\t', '\n']).next().unwrap_or(t);
    let t = t.trim_start_matches(['*', '&']);
    let t = t.rsplit("::").next().unwrap_or(t);
    t.trim().to_string()
}

/// Assigns containers by nesting (the innermost enclosing container-kind definition, unless
/// the query named one with `@context`) and turns functions directly inside class-like
/// containers into methods. Returns the definitions sorted by position with byte ranges.
fn nest(mut defs: Vec<RawDef>) -> Vec<(Definition, usize, usize)> {
    // Outer definitions first when two start at the same byte.
    defs.sort_by(|a, b| {
        a.start_byte
            .cmp(&b.start_byte)
            .then(b.end_byte.cmp(&a.end_byte))
    });
    // Stack of enclosing definitions: (end_byte, name, kind).
    let mut stack: Vec<(usize, String, Kind)> = Vec::new();
    let mut out = Vec::with_capacity(defs.len());
    for raw in defs {
        while stack
            .last()
            .is_some_and(|(end, _, _)| *end <= raw.start_byte)
        {
            stack.pop();
        }
        let mut def = raw.def;
        let parent = stack.last().map(|(_, name, kind)| (name.clone(), *kind));
        if let Some(ctx) = raw.context.filter(|c| !c.is_empty()) {
            let ctx_kind = match parent {
                Some((ref name, kind)) if *name == ctx => kind,
                _ => raw.context_kind.unwrap_or(Kind::Type),
            };
            if def.kind == Kind::Function
                && raw.context_kind.is_none_or(|_| ctx_kind.makes_methods())
            {
                def.kind = Kind::Method;
            }
            def.container = Some((ctx, ctx_kind));
        } else if let Some((name, kind)) = parent {
            if kind.is_container() {
                if def.kind == Kind::Function && kind.makes_methods() {
                    def.kind = Kind::Method;
                }
                def.container = Some((name, kind));
            }
        }
        if def.kind.is_container() || matches!(def.kind, Kind::Function | Kind::Method) {
            stack.push((raw.end_byte, def.name.clone(), def.kind));
        }
        out.push((def, raw.start_byte, raw.end_byte));
    }
    out
}

/// Sorts calls by position and gives each the innermost definition that encloses it.
fn attach_callers(
    defs: &[(Definition, usize, usize)],
    mut calls: Vec<(usize, String, u32, u32)>,
) -> Vec<Reference> {
    calls.sort_by_key(|c| c.0);
    calls.dedup_by_key(|c| c.0);
    let mut out = Vec::with_capacity(calls.len());
    let mut stack: Vec<usize> = Vec::new(); // indices into defs, nested
    let mut next_def = 0;
    for (pos, name, line, column) in calls {
        while next_def < defs.len() && defs[next_def].1 <= pos {
            while stack.last().is_some_and(|&i| defs[i].2 <= defs[next_def].1) {
                stack.pop();
            }
            stack.push(next_def);
            next_def += 1;
        }
        while stack.last().is_some_and(|&i| defs[i].2 <= pos) {
            stack.pop();
        }
        out.push(Reference {
            name,
            line,
            column,
            caller: stack.last().map(|&i| i as u32),
        });
    }
    out
}

#[cfg(test)]
mod tests;
