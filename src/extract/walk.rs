//! The walker engine: one pre-order pass over a tree with a `TreeCursor`, handing every
//! named node to the language's visit function (`walkers`). No query is built, so a
//! process pays nothing at start for the grammar's size.

use std::time::Instant;

use tree_sitter::{Node, Tree};

use super::found::Found;

/// A language's visit function: records what `node` itself defines, calls or imports
/// (its children are visited on their own).
pub(crate) type Visit = fn(Node<'_>, &[u8], &mut Found);

/// Nodes visited between two looks at the clock.
const CLOCK_EVERY: u32 = 4096;

/// Visits every named node of `tree`; `None` when it ran past `deadline`.
pub(crate) fn walk(tree: &Tree, data: &[u8], visit: Visit, deadline: Instant) -> Option<Found> {
    let mut found = Found::default();
    let mut cursor = tree.walk();
    let mut seen = 0u32;
    loop {
        let node = cursor.node();
        if node.is_named() {
            visit(node, data, &mut found);
        }
        seen = seen.wrapping_add(1);
        if seen.is_multiple_of(CLOCK_EVERY) && Instant::now() > deadline {
            return None;
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return Some(found);
            }
        }
    }
}
