//! Shell (sh, bash). Functions; `source FILE` and `. FILE` by their first argument as
//! written (see `resolve::shell`); every command run, as a call of its name.

use tree_sitter::Node;

use super::{call, def, field, field_of, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    match node.kind() {
        "function_definition" => {
            def(
                found,
                data,
                Kind::Function,
                node,
                field_of(node, "name", "word"),
            );
        }
        "command" => {
            let Some(word) = field(node, "name")
                .filter(|n| n.kind() == "command_name")
                .and_then(|n| n.named_child(0))
                .filter(|w| w.kind() == "word")
            else {
                return;
            };
            if matches!(&data[word.byte_range()], b"source" | b".") {
                source(node, data, found);
            }
            call(found, data, Some(word));
        }
        _ => {}
    }
}

/// The file of `source FILE`: the first argument, when it is a word or a string.
fn source(node: Node, data: &[u8], found: &mut Found) {
    let mut cursor = node.walk();
    let first = node.children_by_field_name("argument", &mut cursor).next();
    if let Some(arg) = first.filter(|a| {
        matches!(a.kind(), "word" | "string" | "raw_string" | "concatenation")
            && a.prev_named_sibling()
                .is_some_and(|p| p.kind() == "command_name")
    }) {
        found.import(arg, None, data);
    }
}
