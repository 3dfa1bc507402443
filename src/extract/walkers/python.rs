//! Python. Classes, functions (and names bound to a `lambda`), module-level names
//! (constants when upper case, variables otherwise) and class attributes; `import a.b`,
//! `from m import x` (captured whole, see `import_text`); calls of a name or `x.name`.

use tree_sitter::Node;

use super::{call, def_ranked, field, fields, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    match node.kind() {
        "class_definition" => def_ranked(found, data, 0, Kind::Class, node, name_of(node)),
        "function_definition" => def_ranked(found, data, 1, Kind::Function, node, name_of(node)),
        "assignment" => assignment(node, data, found),
        "import_statement" => {
            for n in fields(node, "name") {
                let path = match n.kind() {
                    "dotted_name" => Some(n),
                    "aliased_import" => field(n, "name").filter(|d| d.kind() == "dotted_name"),
                    _ => None,
                };
                if let Some(path) = path {
                    found.import(path, None, data);
                }
            }
        }
        "import_from_statement" | "future_import_statement" => found.import(node, None, data),
        "call" => {
            let name = field(node, "function").and_then(|f| match f.kind() {
                "identifier" => Some(f),
                "attribute" => field(f, "attribute").filter(|a| a.kind() == "identifier"),
                _ => None,
            });
            call(found, data, name);
        }
        _ => {}
    }
}

fn name_of(node: Node) -> Option<Node> {
    field(node, "name").filter(|n| n.kind() == "identifier")
}

/// `f = lambda ...` anywhere; `NAME = ...` and `name = ...` in the module; `attr = ...` in
/// a class body.
fn assignment(node: Node, data: &[u8], found: &mut Found) {
    let Some(left) = field(node, "left").filter(|l| l.kind() == "identifier") else {
        return;
    };
    if field(node, "right").is_some_and(|r| r.kind() == "lambda") {
        def_ranked(found, data, 2, Kind::Function, node, Some(left));
    }
    let Some(statement) = node.parent().filter(|p| p.kind() == "expression_statement") else {
        return;
    };
    match statement.parent().map(|p| p.kind()) {
        Some("module") => {
            let constant = upper_case(&data[left.byte_range()]);
            let kind = if constant {
                Kind::Constant
            } else {
                Kind::Variable
            };
            def_ranked(found, data, 3, kind, node, Some(left));
        }
        Some("block")
            if statement
                .parent()
                .and_then(|b| b.parent())
                .is_some_and(|c| {
                    c.kind() == "class_definition" && field(c, "body") == statement.parent()
                }) =>
        {
            def_ranked(found, data, 5, Kind::Field, node, Some(left));
        }
        _ => {}
    }
}

/// `^[A-Z][A-Z0-9_]*$`.
fn upper_case(name: &[u8]) -> bool {
    name.first().is_some_and(u8::is_ascii_uppercase)
        && name
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}
