//! Java. Classes, records, interfaces, enums and constants, annotation types and their
//! elements, methods, constructors, fields and constants, the package; imports captured
//! whole (`import static a.b.C.*;` is stored as `a.b.C.*`); method calls and `new T()`.
//! Most Java never reaches it: `java_scan` reads well-formed files without a tree and finds
//! the same things; this walker reads what the scanner hands over (broken or odd text).

use tree_sitter::Node;

use super::{call, def, field, field_of, fields, named, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    let kind = match node.kind() {
        "class_declaration" | "record_declaration" => Kind::Class,
        "interface_declaration" => Kind::Interface,
        "enum_declaration" => Kind::Enum,
        "annotation_type_declaration" => Kind::Annotation,
        "method_declaration" | "annotation_type_element_declaration" => Kind::Method,
        "constructor_declaration" | "compact_constructor_declaration" => Kind::Constructor,
        "enum_constant" => Kind::Enumerator,
        "field_declaration" => return declarators(node, data, found, Kind::Field),
        "constant_declaration" => return declarators(node, data, found, Kind::Constant),
        "package_declaration" => {
            let name = named(node)
                .into_iter()
                .find(|n| matches!(n.kind(), "identifier" | "scoped_identifier"));
            return def(found, data, Kind::Module, node, name);
        }
        "import_declaration" => return found.import(node, None, data),
        "method_invocation" => return call(found, data, field_of(node, "name", "identifier")),
        "object_creation_expression" => {
            let name = field(node, "type").and_then(|t| match t.kind() {
                "type_identifier" => Some(t),
                "generic_type" => named(t).into_iter().find(|n| n.kind() == "type_identifier"),
                "scoped_type_identifier" => named(t)
                    .last()
                    .copied()
                    .filter(|n| n.kind() == "type_identifier"),
                _ => None,
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

/// `int a, b = 1;`: every declarator's name, each spanning the declaration.
fn declarators(node: Node, data: &[u8], found: &mut Found, kind: Kind) {
    for d in fields(node, "declarator") {
        if d.kind() == "variable_declarator" {
            def(found, data, kind, node, field_of(d, "name", "identifier"));
        }
    }
}
