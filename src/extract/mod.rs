//! `extract`: pure functions from a blob's bytes and language to a [`FileIndex`].
//!
//! Never reads files or git, so the same bytes always give the same result (the time
//! bound is the one exception, and a timed-out blob is recorded as skipped, not retried).

mod found;
pub mod header;
mod import_text;
mod java_scan;
pub mod lang;
mod spec;
mod walk;
mod walkers;

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use anyhow::Result;
use streaming_iterator::StreamingIterator;
use tree_sitter::{ParseOptions, Parser, QueryCursor, QueryCursorOptions};

use crate::model::{Definition, FileIndex, Kind, Lang, Reference, SkipReason, EXTRACTOR_VERSION};
use found::{Found, RawDef};
#[cfg(test)]
use import_text::import_text;
use spec::{spec, Engine, LanguageSpec, QuerySpec};

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

/// The language of contents `data` at `path`, whose name says `lang`: a `.h` file is C or
/// C++ by its own bytes (`header`); every other name decides alone.
pub fn refine(path: &[u8], lang: Lang, data: &[u8]) -> Lang {
    match lang::is_h(path) {
        true => header::header_lang(data),
        false => lang,
    }
}

/// The tree-sitter grammar `lang` is parsed with (for tools that time parsing alone).
pub fn grammar(lang: Lang) -> Result<tree_sitter::Language> {
    Ok(spec(lang)?.language.clone())
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

/// Whether the hand-written Java scanner reads `data` itself; `false` when it hands it to
/// tree-sitter (for tools that compare the two).
pub fn java_scanner_reads(data: &[u8]) -> bool {
    java_scan::scan(data, &mut java_scan::Buffers::default()).is_some()
}

/// Per-thread extraction state (a parser and a query cursor), reused across blobs.
pub struct Extractor {
    parser: Parser,
    cursor: QueryCursor,
    java: java_scan::Buffers,
    limits: Limits,
}

impl Extractor {
    /// A new extractor with the given bounds.
    pub fn new(limits: Limits) -> Extractor {
        Extractor {
            parser: Parser::new(),
            cursor: QueryCursor::new(),
            java: java_scan::Buffers::default(),
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
        if let Some(skipped) = self.refuse(lang, data) {
            return Ok(skipped);
        }
        if lang == Lang::Java {
            if let Some(found) = java_scan::scan(data, &mut self.java) {
                return Ok(finish(lang, found));
            }
        }
        self.extract_tree(lang, data)
    }

    /// [`Extractor::extract`] through tree-sitter always, even for a language with a
    /// hand-written scanner: for comparing the two (`examples/java_scan_diff`).
    pub fn extract_parsed(&mut self, lang: Lang, data: &[u8]) -> Result<FileIndex> {
        match self.refuse(lang, data) {
            Some(skipped) => Ok(skipped),
            None => self.extract_tree(lang, data),
        }
    }

    /// The skipped `FileIndex` of a blob that is too large or binary.
    fn refuse(&self, lang: Lang, data: &[u8]) -> Option<FileIndex> {
        if data.len() as u64 > self.limits.max_file_bytes {
            return Some(FileIndex::skipped(lang, SkipReason::TooLarge));
        }
        is_binary(data).then(|| FileIndex::skipped(lang, SkipReason::Binary))
    }

    fn extract_tree(&mut self, lang: Lang, data: &[u8]) -> Result<FileIndex> {
        let spec = spec(lang)?;
        let deadline = Instant::now() + self.limits.max_parse_time;
        let tree = match self.parse(spec, data, deadline)? {
            Ok(tree) => tree,
            Err(reason) => return Ok(FileIndex::skipped(lang, reason)),
        };
        let found = match &spec.engine {
            Engine::Query(query) => self.collect(query, &tree, data, deadline),
            Engine::Walk(visit) => walk::walk(&tree, data, *visit, deadline),
        };
        Ok(match found {
            Some(found) => finish(lang, found),
            None => FileIndex::skipped(lang, SkipReason::Timeout),
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
        spec: &QuerySpec,
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

/// Turns what a blob holds into its `FileIndex`: one definition per name, nested, calls
/// given their callers, imports in order.
fn finish(lang: Lang, mut found: Found) -> FileIndex {
    // One definition per name node: the earliest pattern in the query (or the walker's
    // first find) wins, so a specific pattern placed first overrides a general one.
    found.defs.sort_by_key(|d| (d.name_start, d.pattern));
    found.defs.dedup_by_key(|d| d.name_start);
    let definitions = nest(found.defs);
    let references = attach_callers(&definitions, found.calls);
    found.imports.sort_by_key(|(pos, _)| *pos);
    found.imports.dedup_by(|a, b| a.0 == b.0);
    FileIndex {
        extractor_version: EXTRACTOR_VERSION,
        lang,
        skip: None,
        error_names: found.error_names,
        definitions: definitions.into_iter().map(|(d, _, _)| d).collect(),
        imports: found.imports.into_iter().map(|(_, i)| i).collect(),
        references,
    }
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
