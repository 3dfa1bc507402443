//! Hand-written walkers, one per language whose grammar makes query set-up too slow for a
//! hook: tree-sitter analyses a query against every parse state of its grammar at each
//! start (C++ 100 ms, Swift 100 ms, TypeScript, Ruby and Scala 35 ms, C#, JavaScript and
//! C 13-23 ms, PHP, Kotlin, Rust, Python and shell 8-15 ms); a walker builds nothing
//! (about 3 ms). Each
//! `visit` records what one node defines, calls or imports, as the query it replaced did:
//! the golden tests in `extract/tests` hold them to the same output, and each was compared
//! with its query on real repositories (docs/BENCHMARKS.md). Java has one for speed: its
//! query's matching took a third of Java's extraction. Go and Lua keep their queries
//! (3.5-4 ms).

pub(crate) mod c_family;
pub(crate) mod csharp;
pub(crate) mod java;
pub(crate) mod js;
pub(crate) mod kotlin;
mod lexical;
pub(crate) mod php;
pub(crate) mod python;
pub(crate) mod ruby;
pub(crate) mod rust;
pub(crate) mod scala;
pub(crate) mod shell;
pub(crate) mod swift;

use tree_sitter::Node;

pub(crate) use super::found::{DefAt, Found};
use crate::model::Kind;

/// The child in field `name`.
fn field<'t>(node: Node<'t>, name: &str) -> Option<Node<'t>> {
    node.child_by_field_name(name)
}

/// The first child in field `name` of kind `kind` (see [`field_where`]).
fn field_of<'t>(node: Node<'t>, name: &str, kind: &str) -> Option<Node<'t>> {
    field_where(node, name, |n| n.kind() == kind)
}

/// The first child in field `name` that `pred` accepts: a field may hold more than one node
/// (tree-sitter-cpp puts the `template` keyword of `T::template f` in `name` too).
fn field_where<'t>(
    node: Node<'t>,
    name: &str,
    pred: impl Fn(&Node<'t>) -> bool,
) -> Option<Node<'t>> {
    fields(node, name).into_iter().find(|n| pred(n))
}

/// The named children of `node`.
fn named<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// Every child in field `name`.
fn fields<'t>(node: Node<'t>, name: &str) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children_by_field_name(name, &mut cursor).collect()
}

/// Records `node` as a definition of `kind` named by `name`.
fn def(found: &mut Found, data: &[u8], kind: Kind, node: Node, name: Option<Node>) {
    def_ranked(found, data, 0, kind, node, name);
}

/// [`def`] for a walker whose rules can name the same node: the lowest `rule` wins, as
/// the earliest pattern of the query it replaced did.
fn def_ranked(
    found: &mut Found,
    data: &[u8],
    rule: usize,
    kind: Kind,
    node: Node,
    name: Option<Node>,
) {
    def_in(found, data, rule, kind, node, name, None);
}

/// [`def_ranked`] with `context`, a node naming the container explicitly (C++'s `A` of
/// `void A::f()`).
fn def_in(
    found: &mut Found,
    data: &[u8],
    rule: usize,
    kind: Kind,
    node: Node,
    name: Option<Node>,
    context: Option<Node>,
) {
    if let Some(name) = name {
        let at = DefAt {
            kind,
            node,
            name,
            context: context.map(|c| (c, None)),
            pattern: rule,
        };
        found.def(at, data);
    }
}

/// Records a call of `name`.
fn call(found: &mut Found, data: &[u8], name: Option<Node>) {
    if let Some(name) = name {
        found.call(name, data);
    }
}
