//! Swift. Type declarations by their keyword (`class_declaration` covers class, actor,
//! struct, enum and extension: an extension's members are its type's, kind `impl`),
//! functions (operators by their symbol), initializers (named `init`), properties, enum cases and type aliases;
//! `import M`; calls of a name or of `x.name`.

use tree_sitter::Node;

use super::{call, def, field, field_of, fields, named, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    match node.kind() {
        "class_declaration" => type_declaration(node, data, found),
        "protocol_declaration" => {
            let name = field_of(node, "name", "type_identifier");
            def(found, data, Kind::Interface, node, name);
        }
        "typealias_declaration" | "associatedtype_declaration" => {
            let name = field_of(node, "name", "type_identifier");
            def(found, data, Kind::Type, node, name);
        }
        "function_declaration" => {
            // A name, or an operator (`static func ==`), which is an anonymous token.
            let name =
                field(node, "name").filter(|n| n.kind() == "simple_identifier" || !n.is_named());
            def(found, data, Kind::Function, node, name);
        }
        "protocol_function_declaration" => {
            let name = field_of(node, "name", "simple_identifier");
            def(found, data, Kind::Method, node, name);
        }
        "init_declaration" => {
            let name = field(node, "name").filter(|n| n.kind() == "init");
            def(found, data, Kind::Constructor, node, name);
        }
        "enum_entry" => {
            for name in fields(node, "name") {
                if name.kind() == "simple_identifier" {
                    def(found, data, Kind::Enumerator, node, Some(name));
                }
            }
        }
        "property_declaration" => properties(node, data, found, Kind::Variable),
        "protocol_property_declaration" => properties(node, data, found, Kind::Field),
        "import_declaration" => {
            for n in named(node) {
                if n.kind() == "identifier" {
                    found.import(n, None, data);
                }
            }
        }
        "call_expression" => {
            for n in named(node) {
                match n.kind() {
                    "simple_identifier" => call(found, data, Some(n)),
                    "navigation_expression" => {
                        let suffix = field_of(n, "suffix", "navigation_suffix")
                            .and_then(|s| field_of(s, "suffix", "simple_identifier"));
                        call(found, data, suffix);
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// `class`, `actor`, `struct`, `enum` and `extension` declarations.
fn type_declaration(node: Node, data: &[u8], found: &mut Found) {
    let Some(keyword) = field(node, "declaration_kind") else {
        return;
    };
    let kind = match keyword.kind() {
        "class" | "actor" => Kind::Class,
        "struct" => Kind::Struct,
        "enum" => Kind::Enum,
        "extension" => {
            if let Some(ty) = field_of(node, "name", "user_type") {
                for n in named(ty) {
                    if n.kind() == "type_identifier" {
                        def(found, data, Kind::Impl, node, Some(n));
                    }
                }
            }
            return;
        }
        _ => return,
    };
    def(
        found,
        data,
        kind,
        node,
        field_of(node, "name", "type_identifier"),
    );
}

/// `var a = 1, b = 2`: every bound name.
fn properties(node: Node, data: &[u8], found: &mut Found, kind: Kind) {
    for pattern in fields(node, "name") {
        if pattern.kind() == "pattern" {
            let name = field_of(pattern, "bound_identifier", "simple_identifier");
            def(found, data, kind, node, name);
        }
    }
}
