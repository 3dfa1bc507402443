//! C#. Namespaces (block and file-scoped, named in full), classes, structs, records,
//! interfaces, enums and members, delegates, methods, constructors, local functions,
//! properties, events and fields; `using` directives by the namespace or type they name
//! (an alias's target); calls of a name, of `x.Name`, of generic `Name<T>`, and `new T`.

use tree_sitter::Node;

use super::{call, def, field, field_of, named, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    let kind = match node.kind() {
        "namespace_declaration" | "file_scoped_namespace_declaration" => {
            let name =
                field(node, "name").filter(|n| matches!(n.kind(), "identifier" | "qualified_name"));
            return def(found, data, Kind::Namespace, node, name);
        }
        "class_declaration" | "record_declaration" => Kind::Class,
        "struct_declaration" => Kind::Struct,
        "interface_declaration" => Kind::Interface,
        "enum_declaration" => Kind::Enum,
        "enum_member_declaration" => Kind::Enumerator,
        "delegate_declaration" => Kind::Type,
        "method_declaration" => Kind::Method,
        "constructor_declaration" => Kind::Constructor,
        "local_function_statement" => Kind::Function,
        "property_declaration" | "event_declaration" => Kind::Field,
        "field_declaration" | "event_field_declaration" => return fields(node, data, found),
        "using_directive" => {
            // The last name: `using X = A.B;` imports `A.B`.
            if let Some(last) = named(node).last() {
                if matches!(last.kind(), "identifier" | "qualified_name") {
                    found.import(*last, None, data);
                }
            }
            return;
        }
        "invocation_expression" => {
            let name = field(node, "function").and_then(|f| match f.kind() {
                "member_access_expression" => field(f, "name").and_then(simple_name),
                _ => simple_name(f),
            });
            return call(found, data, name);
        }
        "object_creation_expression" => {
            let name = field(node, "type").and_then(|t| match t.kind() {
                "qualified_name" => field_of(t, "name", "identifier"),
                _ => simple_name(t),
            });
            return call(found, data, name);
        }
        _ => return,
    };
    def(
        found,
        data,
        kind,
        node,
        field_of(node, "name", "identifier"),
    );
}

/// `Name` or the `Name` of `Name<T>`.
fn simple_name(node: Node) -> Option<Node> {
    match node.kind() {
        "identifier" => Some(node),
        "generic_name" => named(node).into_iter().find(|n| n.kind() == "identifier"),
        _ => None,
    }
}

/// `int a, b;`: every declarator's name, each a field spanning the declaration.
fn fields(node: Node, data: &[u8], found: &mut Found) {
    for decl in named(node) {
        if decl.kind() != "variable_declaration" {
            continue;
        }
        for v in named(decl) {
            if v.kind() == "variable_declarator" {
                def(
                    found,
                    data,
                    Kind::Field,
                    node,
                    field_of(v, "name", "identifier"),
                );
            }
        }
    }
}
