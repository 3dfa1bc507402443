//! What extraction finds in one blob before nesting and sorting, and how a query match or
//! a walker's find is recorded.

use tree_sitter::Node;

use super::import_text::import_text;
use super::spec::{QuerySpec, Role};
use crate::model::{Definition, Import, Kind};

/// A definition while the file is processed: byte range kept for nesting.
pub(crate) struct RawDef {
    pub(crate) def: Definition,
    pub(crate) start_byte: usize,
    pub(crate) end_byte: usize,
    pub(crate) name_start: usize,
    pub(crate) context: Option<String>,
    /// The container kind the pattern gives `context` (`atse.context_kind`).
    pub(crate) context_kind: Option<Kind>,
    pub(crate) pattern: usize,
}

/// What the query or walker found in one blob, before nesting and sorting.
#[derive(Default)]
pub(crate) struct Found {
    pub(crate) defs: Vec<RawDef>,
    pub(crate) imports: Vec<(usize, Import)>,
    pub(crate) calls: Vec<(usize, String, u32, u32)>,
    pub(crate) error_names: u32,
}

/// A definition to record: its kind, its whole node and its name node.
pub(crate) struct DefAt<'t> {
    pub(crate) kind: Kind,
    pub(crate) node: Node<'t>,
    pub(crate) name: Node<'t>,
    /// A node naming the container explicitly, with the kind it gives it.
    pub(crate) context: Option<(Node<'t>, Option<Kind>)>,
    /// Priority among definitions of the same name node: the lowest wins.
    pub(crate) pattern: usize,
}

impl Found {
    /// Records one query match: a definition, a call or imports.
    pub(crate) fn add_match(
        &mut self,
        spec: &QuerySpec,
        m: &tree_sitter::QueryMatch<'_, '_>,
        data: &[u8],
    ) {
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
                Role::Import => self.import(cap.node, None, data),
                Role::Ignored => {}
            }
        }
        if let (Some((kind, node)), Some(name)) = (def, name) {
            let context_kind = spec.context_kind[m.pattern_index];
            self.def(
                DefAt {
                    kind,
                    node,
                    name,
                    context: context.map(|c| (c, context_kind)),
                    pattern: m.pattern_index,
                },
                data,
            );
        } else if let (Some(_), Some(name)) = (call, name) {
            self.call(name, data);
        }
    }

    /// Records a definition (nothing for an empty name).
    pub(crate) fn def(&mut self, at: DefAt, data: &[u8]) {
        let name = text(at.name, data);
        self.def_named(at, name, data);
    }

    /// Records a definition under a name its source does not spell (Kotlin's unnamed
    /// `companion object` is `Companion`); `at.name` gives its position.
    pub(crate) fn def_named(&mut self, at: DefAt, name_text: String, data: &[u8]) {
        if name_text.is_empty() {
            return;
        }
        if at.name.has_error() {
            self.error_names += 1;
        }
        let start = at.name.start_position();
        let end = at.node.end_position();
        self.defs.push(RawDef {
            def: Definition {
                name: name_text,
                kind: at.kind,
                container: None,
                line: start.row as u32 + 1,
                column: start.column as u32 + 1,
                end_line: end.row as u32 + 1,
                end_column: end.column as u32 + 1,
            },
            start_byte: at.node.start_byte(),
            end_byte: at.node.end_byte(),
            name_start: at.name.start_byte(),
            context: at.context.map(|(c, _)| context_text(text(c, data))),
            context_kind: at.context.and_then(|(_, k)| k),
            pattern: at.pattern,
        });
    }

    /// Records a definition found by its text alone (`walkers::lexical`): the name's byte
    /// offset, length and 1-based position; it spans its name. It loses to a definition of
    /// the tree at the same name.
    pub(crate) fn lexical_def(
        &mut self,
        kind: Kind,
        at: usize,
        len: usize,
        line: u32,
        column: u32,
        data: &[u8],
    ) {
        let name = String::from_utf8_lossy(&data[at..at + len]).into_owned();
        self.defs.push(RawDef {
            def: Definition {
                name,
                kind,
                container: None,
                line,
                column,
                end_line: line,
                end_column: column + len as u32,
            },
            start_byte: at,
            end_byte: at + len,
            name_start: at,
            context: None,
            context_kind: None,
            pattern: usize::MAX,
        });
    }

    /// Records a call of the name `name`.
    pub(crate) fn call(&mut self, name: Node, data: &[u8]) {
        let pos = name.start_position();
        self.calls.push((
            name.start_byte(),
            text(name, data),
            pos.row as u32 + 1,
            pos.column as u32 + 1,
        ));
    }

    /// Records the import written as `node` (see [`import_text`]), after `prefix`.
    pub(crate) fn import(&mut self, node: Node, prefix: Option<&str>, data: &[u8]) {
        let mut path = import_text(text(node, data));
        if let Some(prefix) = prefix {
            path.insert_str(0, prefix);
        }
        if !path.is_empty() {
            let line = node.start_position().row as u32 + 1;
            self.imports
                .push((node.start_byte(), Import { path, line }));
        }
    }
}

pub(crate) fn text(node: Node, data: &[u8]) -> String {
    String::from_utf8_lossy(&data[node.byte_range()]).into_owned()
}

/// The container named by a `@context` node: `(r *Server)` -> `Server`, `ns::A` -> `A`,
/// `(t *Tree[K, V])` -> `Tree`, `Map<K, V>` -> `Map`.
pub(crate) fn context_text(raw: String) -> String {
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
