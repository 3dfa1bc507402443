//! Rust. Structs, enums and variants, unions, type aliases and associated types, traits,
//! modules, `macro_rules!`, functions and signatures, consts, statics, fields, and `impl`
//! blocks named by their type; `use` trees, `extern crate`, and a top-level `mod foo;`
//! stored as `mod foo` (a module file to load); calls and macro invocations.

use tree_sitter::Node;

use super::{call, def, field, field_of, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    let (kind, name_kind) = match node.kind() {
        "struct_item" => (Kind::Struct, "type_identifier"),
        "enum_item" => (Kind::Enum, "type_identifier"),
        "union_item" => (Kind::Union, "type_identifier"),
        "type_item" | "associated_type" => (Kind::Type, "type_identifier"),
        "trait_item" => (Kind::Trait, "type_identifier"),
        "mod_item" => {
            if field(node, "body").is_none()
                && node.parent().is_some_and(|p| p.kind() == "source_file")
            {
                found.import(node, None, data);
            }
            (Kind::Module, "identifier")
        }
        "macro_definition" => (Kind::Macro, "identifier"),
        "function_item" | "function_signature_item" => (Kind::Function, "identifier"),
        "const_item" => (Kind::Constant, "identifier"),
        "static_item" => (Kind::Variable, "identifier"),
        "enum_variant" => (Kind::Enumerator, "identifier"),
        "field_declaration" => (Kind::Field, "field_identifier"),
        "impl_item" => return def(found, data, Kind::Impl, node, impl_name(node)),
        "use_declaration" => {
            if let Some(arg) = field(node, "argument") {
                found.import(arg, None, data);
            }
            return;
        }
        "extern_crate_declaration" => {
            if let Some(name) = field_of(node, "name", "identifier") {
                found.import(name, None, data);
            }
            return;
        }
        "call_expression" => return call(found, data, field(node, "function").and_then(callee)),
        "macro_invocation" => {
            let name = field(node, "macro").and_then(|m| match m.kind() {
                "identifier" => Some(m),
                "scoped_identifier" => field_of(m, "name", "identifier"),
                _ => None,
            });
            return call(found, data, name);
        }
        _ => return,
    };
    def(found, data, kind, node, field_of(node, "name", name_kind));
}

/// `Foo` of `impl Foo`, `impl<T> Trait for Foo<T>`, `impl a::Foo`, `impl a::Foo<T>`.
fn impl_name(node: Node) -> Option<Node> {
    let ty = field(node, "type")?;
    let ty = match ty.kind() {
        "generic_type" => field(ty, "type")?,
        _ => ty,
    };
    match ty.kind() {
        "type_identifier" => Some(ty),
        "scoped_type_identifier" => field_of(ty, "name", "type_identifier"),
        _ => None,
    }
}

/// The called name: `f`, `x.f`, `a::f`, `f::<T>`, `a::f::<T>`, `x.f::<T>`.
fn callee(function: Node) -> Option<Node> {
    match function.kind() {
        "identifier" => Some(function),
        "field_expression" => field_of(function, "field", "field_identifier"),
        "scoped_identifier" => field_of(function, "name", "identifier"),
        "generic_function" => {
            let inner = field(function, "function")?;
            match inner.kind() {
                "identifier" => Some(inner),
                "scoped_identifier" => field_of(inner, "name", "identifier"),
                "field_expression" => field_of(inner, "field", "field_identifier"),
                _ => None,
            }
        }
        _ => None,
    }
}
