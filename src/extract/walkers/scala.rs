//! Scala. Packages and package objects, classes and objects, traits, enums and their cases, functions, type
//! definitions, `given`s, `val`s and `var`s; imports captured whole (see
//! `resolve::scala`); calls of a name or of `x.name`, and `new T`.

use tree_sitter::Node;

use super::{call, def, field, field_of, named, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    let (kind, name_field, name_kind) = match node.kind() {
        "package_clause" => (Kind::Module, "name", "package_identifier"),
        "class_definition" | "object_definition" => (Kind::Class, "name", "identifier"),
        // `package object cats`: the package's own members.
        "package_object" => (Kind::Module, "name", "identifier"),
        "trait_definition" => (Kind::Trait, "name", "identifier"),
        "enum_definition" => (Kind::Enum, "name", "identifier"),
        "simple_enum_case" | "full_enum_case" => (Kind::Enumerator, "name", "identifier"),
        "function_definition" | "function_declaration" => (Kind::Function, "name", "identifier"),
        "type_definition" => (Kind::Type, "name", "type_identifier"),
        "given_definition" | "val_declaration" | "var_declaration" => {
            (Kind::Variable, "name", "identifier")
        }
        "val_definition" | "var_definition" => (Kind::Variable, "pattern", "identifier"),
        "import_declaration" => return found.import(node, None, data),
        "call_expression" => {
            let name = field(node, "function").and_then(|f| match f.kind() {
                "identifier" => Some(f),
                "field_expression" => field_of(f, "field", "identifier"),
                _ => None,
            });
            return call(found, data, name);
        }
        "instance_expression" => {
            for n in named(node) {
                match n.kind() {
                    "type_identifier" => call(found, data, Some(n)),
                    "generic_type" => call(found, data, field_of(n, "type", "type_identifier")),
                    _ => {}
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
        field_of(node, name_field, name_kind),
    );
}
