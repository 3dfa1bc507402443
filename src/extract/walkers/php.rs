//! PHP. Namespaces, classes, interfaces, traits, enums and cases, functions, methods,
//! properties and constants; `require`/`include` (and `_once`) arguments as written, `use`
//! clauses as `use A\B\C` (a group `use A\{B, C}` as `use A\B` and `use A\C`); calls of
//! functions, methods (`->`, `?->`, `::`) and `new`. Inside a parse error, declarations by
//! their text (`lexical`).

use tree_sitter::Node;

use super::lexical::{self, Keywords};
use super::{call, def, field, field_of, named, Found};
use crate::model::Kind;

/// Declarations in text the grammar could not parse (see `lexical`).
const KEYWORDS: Keywords = Keywords {
    modifiers: &[
        "public",
        "private",
        "protected",
        "static",
        "abstract",
        "final",
        "readonly",
    ],
    kinds: &[
        ("function", Kind::Function),
        ("class", Kind::Class),
        ("interface", Kind::Interface),
        ("trait", Kind::Trait),
        ("enum", Kind::Enum),
    ],
};

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    let kind = match node.kind() {
        "namespace_definition" => {
            let name = field_of(node, "name", "namespace_name");
            return def(found, data, Kind::Namespace, node, name);
        }
        "class_declaration" => Kind::Class,
        "interface_declaration" => Kind::Interface,
        "trait_declaration" => Kind::Trait,
        "enum_declaration" => Kind::Enum,
        "enum_case" => Kind::Enumerator,
        "function_definition" => Kind::Function,
        "method_declaration" => Kind::Method,
        "property_declaration" => return members(node, data, found, "property_element"),
        "const_declaration" => return members(node, data, found, "const_element"),
        "require_expression"
        | "require_once_expression"
        | "include_expression"
        | "include_once_expression" => {
            for arg in named(node) {
                found.import(arg, None, data);
            }
            return;
        }
        "namespace_use_clause" => return use_clause(node, data, found),
        "ERROR" => return lexical::declarations(node, data, found, &KEYWORDS),
        "function_call_expression" => {
            let name = field(node, "function").and_then(last_name);
            return call(found, data, name);
        }
        "member_call_expression" | "nullsafe_member_call_expression" | "scoped_call_expression" => {
            return call(found, data, field_of(node, "name", "name"));
        }
        "object_creation_expression" => {
            for n in named(node) {
                call(found, data, last_name(n));
            }
            return;
        }
        _ => return,
    };
    def(found, data, kind, node, field_of(node, "name", "name"));
}

/// `Name`, or the last `Name` of `A\B\Name`.
fn last_name(node: Node) -> Option<Node> {
    match node.kind() {
        "name" => Some(node),
        "qualified_name" => named(node).last().copied().filter(|n| n.kind() == "name"),
        _ => None,
    }
}

/// `private $a, $b;`, `const A = 1, B = 2;`: every element's name.
fn members(node: Node, data: &[u8], found: &mut Found, element: &str) {
    let kind = match element {
        "property_element" => Kind::Field,
        _ => Kind::Constant,
    };
    for el in named(node) {
        if el.kind() != element {
            continue;
        }
        let name = named(el).into_iter().find_map(|n| match n.kind() {
            "variable_name" => named(n).into_iter().find(|c| c.kind() == "name"),
            "name" => Some(n),
            _ => None,
        });
        def(found, data, kind, node, name);
    }
}

/// `use A\B\C;` or one clause of `use A\{B, C};`, as `use A\B\C`.
fn use_clause(node: Node, data: &[u8], found: &mut Found) {
    let Some(target) = named(node)
        .into_iter()
        .find(|n| matches!(n.kind(), "name" | "qualified_name"))
    else {
        return;
    };
    let group_prefix = node
        .parent()
        .filter(|p| p.kind() == "namespace_use_group")
        .and_then(|g| g.parent())
        .and_then(|d| named(d).into_iter().find(|n| n.kind() == "namespace_name"));
    match group_prefix {
        Some(ns) => {
            let ns = String::from_utf8_lossy(&data[ns.byte_range()]);
            found.import(target, Some(&format!("use {}\\", ns.trim())), data);
        }
        None => found.import(target, Some("use "), data),
    }
}
