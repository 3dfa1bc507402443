//! JavaScript, TypeScript and TSX: one walker for the three grammars (a node kind one of
//! them lacks never occurs in its trees). It replaces the queries in the same order of
//! precedence: when two rules name the same node, the lower `rule` number wins (a function
//! bound by `const f = () => {}` is a function, not a constant).
//!
//! Definitions: functions and generators, classes (declared, or class expressions with a
//! name or bound to one), methods, functions bound to a variable, an assignment or an
//! object key, `X.prototype.f = ...` as methods of X, top-level `const`s, names bound to a
//! non-empty object literal; in TypeScript also interfaces, abstract classes, type
//! aliases, enums, signatures, fields, modules and namespaces. Imports: `import`/`export
//! ... from`, `require("x")`, `import("x")`, `import x = require("x")`. Calls: `f()`,
//! `o.f()`, `new C()`, `new ns.C()`.

use tree_sitter::Node;

use super::{call, def_in, def_ranked, field, named, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    match node.kind() {
        "function_declaration" | "generator_function_declaration" => {
            let rule = if node.kind() == "function_declaration" {
                0
            } else {
                1
            };
            let name = field(node, "name").filter(|n| n.kind() == "identifier");
            def_ranked(found, data, rule, Kind::Function, node, name);
        }
        "class_declaration" => def_ranked(found, data, 2, Kind::Class, node, field(node, "name")),
        "class" => def_ranked(found, data, 3, Kind::Class, node, field(node, "name")),
        "method_definition" => {
            let name = field(node, "name").filter(|n| {
                matches!(
                    n.kind(),
                    "property_identifier"
                        | "private_property_identifier"
                        | "computed_property_name"
                )
            });
            def_ranked(found, data, 4, Kind::Method, node, name);
        }
        "variable_declarator" => declarator(node, data, found),
        "assignment_expression" => assignment(node, data, found),
        "pair" => pair(node, data, found),
        "function_expression" => {
            let name = field(node, "name").filter(|n| n.kind() == "identifier");
            def_ranked(found, data, 12, Kind::Function, node, name);
        }
        "generator_function" => {
            let name = field(node, "name").filter(|n| n.kind() == "identifier");
            def_ranked(found, data, 13, Kind::Function, node, name);
        }
        "field_definition" => {
            let name = field(node, "property").filter(|n| is_property(n));
            def_ranked(found, data, 19, Kind::Field, node, name);
        }
        "import_statement" | "export_statement" | "import_require_clause" => {
            if let Some(source) = field(node, "source").filter(|s| s.kind() == "string") {
                found.import(source, None, data);
            }
        }
        "call_expression" => call_expression(node, data, found),
        "new_expression" => {
            let name = field(node, "constructor").and_then(|c| match c.kind() {
                "identifier" => Some(c),
                "member_expression" => {
                    field(c, "property").filter(|p| p.kind() == "property_identifier")
                }
                _ => None,
            });
            call(found, data, name);
        }
        _ => typescript(node, data, found),
    }
}

/// TypeScript's own declarations.
fn typescript(node: Node, data: &[u8], found: &mut Found) {
    let name = field(node, "name");
    let (rule, kind, name) = match node.kind() {
        "interface_declaration" => (20, Kind::Interface, name.filter(is_type_identifier)),
        "abstract_class_declaration" => (21, Kind::Class, name.filter(is_type_identifier)),
        "type_alias_declaration" => (22, Kind::Type, name.filter(is_type_identifier)),
        "enum_declaration" => (23, Kind::Enum, name.filter(is_identifier)),
        "function_signature" => (24, Kind::Function, name.filter(is_identifier)),
        "method_signature" => (25, Kind::Method, name.filter(is_property)),
        "abstract_method_signature" => (26, Kind::Method, name.filter(is_property)),
        "property_signature" => (
            27,
            Kind::Field,
            name.filter(|n| n.kind() == "property_identifier"),
        ),
        "public_field_definition" => (28, Kind::Field, name.filter(is_property)),
        "module" => (
            29,
            Kind::Module,
            name.filter(|n| matches!(n.kind(), "identifier" | "nested_identifier" | "string")),
        ),
        "internal_module" => (
            30,
            Kind::Namespace,
            name.filter(|n| matches!(n.kind(), "identifier" | "nested_identifier")),
        ),
        _ => return,
    };
    def_ranked(found, data, rule, kind, node, name);
}

/// `const f = () => {}`, `var A = class {}`, a top-level `const X = ...`, `let o = {...}`.
fn declarator(node: Node, data: &[u8], found: &mut Found) {
    let Some(name) = field(node, "name").filter(is_identifier) else {
        return;
    };
    let value = field(node, "value");
    let parent = node.parent();
    let parent_kind = parent.map(|p| p.kind()).unwrap_or("");
    if value.is_some_and(is_function) {
        match parent_kind {
            "lexical_declaration" => def_ranked(found, data, 5, Kind::Function, node, Some(name)),
            "variable_declaration" => def_ranked(found, data, 6, Kind::Function, node, Some(name)),
            _ => {}
        }
    }
    if value.is_some_and(|v| v.kind() == "class") {
        def_ranked(found, data, 10, Kind::Class, node, Some(name));
    }
    if parent_kind == "lexical_declaration" {
        let outer = parent.and_then(|p| p.parent());
        match outer.map(|o| o.kind()) {
            Some("program") => def_ranked(found, data, 14, Kind::Constant, node, Some(name)),
            Some("export_statement")
                if outer.and_then(|o| o.parent()).map(|p| p.kind()) == Some("program") =>
            {
                def_ranked(found, data, 15, Kind::Constant, node, Some(name));
            }
            _ => {}
        }
    }
    if value.is_some_and(is_filled_object) {
        def_ranked(found, data, 16, Kind::Variable, node, Some(name));
    }
}

/// `X.prototype.f = ...` (a method of X), `a.f = function () {}`, `a.B = class {}`,
/// `a.o = {...}`.
fn assignment(node: Node, data: &[u8], found: &mut Found) {
    let (Some(left), Some(right)) = (field(node, "left"), field(node, "right")) else {
        return;
    };
    if let Some((class, name)) = prototype_member(left, data) {
        if is_function(right) || matches!(right.kind(), "identifier" | "member_expression") {
            def_in(found, data, 7, Kind::Method, node, Some(name), Some(class));
        }
    }
    let name = match left.kind() {
        "identifier" => Some(left),
        "member_expression" => {
            field(left, "property").filter(|p| p.kind() == "property_identifier")
        }
        _ => None,
    };
    if is_function(right) {
        def_ranked(found, data, 8, Kind::Function, node, name);
    } else if right.kind() == "class" {
        def_ranked(found, data, 11, Kind::Class, node, name);
    } else if is_filled_object(right) {
        def_ranked(found, data, 17, Kind::Variable, node, name);
    }
}

/// (`X`, `f`) of `X.prototype.f`.
fn prototype_member<'t>(left: Node<'t>, data: &[u8]) -> Option<(Node<'t>, Node<'t>)> {
    if left.kind() != "member_expression" {
        return None;
    }
    let name = field(left, "property").filter(|p| p.kind() == "property_identifier")?;
    let object = field(left, "object").filter(|o| o.kind() == "member_expression")?;
    let class = field(object, "object").filter(is_identifier)?;
    let proto = field(object, "property").filter(|p| p.kind() == "property_identifier")?;
    (&data[proto.byte_range()] == b"prototype").then_some((class, name))
}

/// `{ f: function () {} }`, `{ "f": () => {} }`, `{ headers: {...} }`.
fn pair(node: Node, data: &[u8], found: &mut Found) {
    let (Some(key), Some(value)) = (field(node, "key"), field(node, "value")) else {
        return;
    };
    let name = match key.kind() {
        "property_identifier" => Some(key),
        "string" => named(key)
            .into_iter()
            .find(|n| n.kind() == "string_fragment"),
        _ => None,
    };
    if is_function(value) {
        def_ranked(found, data, 9, Kind::Function, node, name);
    } else if is_filled_object(value) {
        def_ranked(found, data, 18, Kind::Field, node, name);
    }
}

/// Calls, and `require("x")` and `import("x")` as imports.
fn call_expression(node: Node, data: &[u8], found: &mut Found) {
    let Some(function) = field(node, "function") else {
        return;
    };
    let loads = match function.kind() {
        "identifier" => &data[function.byte_range()] == b"require",
        "import" => true,
        _ => false,
    };
    if loads {
        let first = field(node, "arguments")
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| named(a).into_iter().next())
            .filter(|s| s.kind() == "string");
        if let Some(source) = first {
            found.import(source, None, data);
        }
    }
    let name = match function.kind() {
        "identifier" => Some(function),
        "member_expression" => field(function, "property").filter(is_property),
        _ => None,
    };
    call(found, data, name);
}

fn is_function(n: Node) -> bool {
    matches!(
        n.kind(),
        "arrow_function" | "function_expression" | "generator_function"
    )
}

/// An object literal with something in it.
fn is_filled_object(n: Node) -> bool {
    n.kind() == "object" && n.named_child_count() > 0
}

fn is_identifier(n: &Node) -> bool {
    n.kind() == "identifier"
}

fn is_type_identifier(n: &Node) -> bool {
    n.kind() == "type_identifier"
}

fn is_property(n: &Node) -> bool {
    matches!(
        n.kind(),
        "property_identifier" | "private_property_identifier"
    )
}
