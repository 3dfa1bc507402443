//! C and C++: one walker for both grammars, with the rules of the queries it replaced
//! (C's, and for C++ C's plus C++'s, in that order of precedence).
//!
//! Functions are found at their `function_declarator`: the name however pointer,
//! reference, parenthesized or attributed declarators wrap it, up to the definition or
//! declaration that holds it (a declarator inside a parameter list meets its
//! `parameter_declaration` first and is dropped). C++ adds methods declared in a class
//! (`field_declaration`), operators, destructors, template specializations and qualified
//! names (`void A::f()` is `f` in `A`; `a::B::f` is `f` in `B`). Types with a body, typedefs,
//! enumerators, fields, macros, top-level variables, `#include`s and calls; in C++ also
//! classes (with template or qualified names), namespaces, aliases, and two forms the
//! grammar misreads: `class EXPORT_MACRO A {...}` and `int f() const MACRO {...}`.

use tree_sitter::Node;

use super::{call, def_in, field, field_where, fields, named, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports, in C.
pub(crate) fn visit_c(node: Node, data: &[u8], found: &mut Found) {
    visit(node, data, found, false);
}

/// Records what `node` defines, calls or imports, in C++.
pub(crate) fn visit_cpp(node: Node, data: &[u8], found: &mut Found) {
    visit(node, data, found, true);
}

fn visit(node: Node, data: &[u8], found: &mut Found, cpp: bool) {
    match node.kind() {
        "function_declarator" => function_declarator(node, data, found, cpp),
        "function_definition" => function_definition(node, data, found, cpp),
        "struct_specifier" | "union_specifier" | "enum_specifier" | "class_specifier" => {
            specifier(node, data, found, cpp);
        }
        "type_definition" => {
            for d in fields(node, "declarator") {
                let name = match d.kind() {
                    "type_identifier" => Some(d),
                    "pointer_declarator" => {
                        field(d, "declarator").filter(|n| n.kind() == "type_identifier")
                    }
                    _ => None,
                };
                def_in(found, data, 10, Kind::Type, node, name, None);
            }
        }
        "enumerator" => {
            let name = field(node, "name").filter(|n| n.kind() == "identifier");
            def_in(found, data, 12, Kind::Enumerator, node, name, None);
        }
        "field_declaration" => {
            for d in fields(node, "declarator") {
                let name = match d.kind() {
                    "field_identifier" => Some(d),
                    "pointer_declarator" | "array_declarator" => {
                        field(d, "declarator").filter(|n| n.kind() == "field_identifier")
                    }
                    _ => None,
                };
                def_in(found, data, 13, Kind::Field, node, name, None);
            }
        }
        "preproc_def" | "preproc_function_def" => {
            let name = field(node, "name").filter(|n| n.kind() == "identifier");
            def_in(found, data, 16, Kind::Macro, node, name, None);
        }
        "declaration"
            if node
                .parent()
                .is_some_and(|p| p.kind() == "translation_unit") =>
        {
            for d in fields(node, "declarator") {
                let name = match d.kind() {
                    "identifier" => Some(d),
                    "init_declarator" => {
                        field(d, "declarator").filter(|n| n.kind() == "identifier")
                    }
                    _ => None,
                };
                def_in(found, data, 18, Kind::Variable, node, name, None);
            }
        }
        "preproc_include" => {
            if let Some(path) = field(node, "path") {
                found.import(path, None, data);
            }
        }
        "call_expression" => {
            let name = field(node, "function").and_then(|f| match f.kind() {
                "identifier" => Some(f),
                "field_expression" => field(f, "field").filter(|n| n.kind() == "field_identifier"),
                "qualified_identifier" | "template_function" if cpp => {
                    field_where(f, "name", |n| n.kind() == "identifier")
                }
                _ => None,
            });
            call(found, data, name);
        }
        "namespace_definition" if cpp => {
            let name = field(node, "name").filter(|n| {
                matches!(
                    n.kind(),
                    "namespace_identifier" | "nested_namespace_specifier"
                )
            });
            def_in(found, data, 40, Kind::Namespace, node, name, None);
        }
        "alias_declaration" if cpp => {
            let name = field(node, "name").filter(|n| n.kind() == "type_identifier");
            def_in(found, data, 42, Kind::Type, node, name, None);
        }
        _ => {}
    }
}

/// Kinds a function's declarator climbs through to its definition or declaration.
const THROUGH_C: &[&str] = &[
    "pointer_declarator",
    "parenthesized_declarator",
    "attributed_declarator",
    "function_declarator",
];
const THROUGH_CPP: &[&str] = &[
    "pointer_declarator",
    "reference_declarator",
    "parenthesized_declarator",
    "attributed_declarator",
    "function_declarator",
];
const TO_C: &[&str] = &["function_definition", "declaration"];
const TO_CPP_MEMBER: &[&str] = &["function_definition", "declaration", "field_declaration"];

/// The definition or declaration around a function declarator; `None` when another kind
/// comes first (a parameter's declarator).
fn climb<'t>(node: Node<'t>, through: &[&str], to: &[&str]) -> Option<Node<'t>> {
    let mut cur = node.parent()?;
    loop {
        let k = cur.kind();
        if to.contains(&k) {
            return Some(cur);
        }
        if !through.contains(&k) {
            return None;
        }
        cur = cur.parent()?;
    }
}

fn function_declarator(node: Node, data: &[u8], found: &mut Found, cpp: bool) {
    let Some(d) = field(node, "declarator") else {
        return;
    };
    // (name, context, through, to)
    let target = match d.kind() {
        "identifier" if !cpp => Some((d, None, THROUGH_C, TO_C)),
        "identifier" | "field_identifier" | "operator_name" | "destructor_name" if cpp => {
            Some((d, None, THROUGH_CPP, TO_CPP_MEMBER))
        }
        "parenthesized_declarator" => named(d)
            .into_iter()
            .find(|n| n.kind() == "identifier")
            .map(|n| (n, None, THROUGH_C, TO_C)),
        "template_function" if cpp => field(d, "name")
            .filter(|n| n.kind() == "identifier")
            .map(|n| (n, None, THROUGH_CPP, TO_CPP_MEMBER)),
        "qualified_identifier" if cpp => {
            qualified(d).map(|(name, scope)| (name, Some(scope), THROUGH_CPP, TO_C))
        }
        _ => None,
    };
    let Some((name, context, through, to)) = target else {
        return;
    };
    if let Some(whole) = climb(node, through, to) {
        def_in(found, data, 0, Kind::Function, whole, Some(name), context);
    }
}

/// The name and innermost scope of `A::f`, `a::B::f`, `a::b::C::f` (three levels at most)
/// and `A::f<T>`.
fn qualified(q: Node) -> Option<(Node, Node)> {
    let mut q = q;
    for level in 0..3 {
        let name = field_where(q, "name", |n| n.is_named())?;
        match name.kind() {
            "identifier" | "operator_name" | "destructor_name" => {
                return Some((name, field(q, "scope")?));
            }
            "template_function" if level == 0 => {
                let n = field(name, "name").filter(|n| n.kind() == "identifier")?;
                return Some((n, field(q, "scope")?));
            }
            "qualified_identifier" => q = name,
            _ => return None,
        }
    }
    None
}

/// `TEST(name) {...}`; in C++, `class EXPORT_MACRO A {...}` and `int f() const MACRO {...}`.
fn function_definition(node: Node, data: &[u8], found: &mut Found, cpp: bool) {
    let ty = field(node, "type");
    let declarator = field(node, "declarator");
    if ty.is_some_and(|t| t.kind() == "type_identifier") {
        if let Some(d) = declarator.filter(|d| d.kind() == "parenthesized_declarator") {
            let name = named(d).into_iter().find(|n| n.kind() == "identifier");
            def_in(found, data, 2, Kind::Function, node, name, None);
        }
    }
    if !cpp {
        return;
    }
    if let Some(ty) = ty {
        let kind = match ty.kind() {
            "class_specifier" => Some(Kind::Class),
            "struct_specifier" => Some(Kind::Struct),
            "union_specifier" => Some(Kind::Union),
            _ => None,
        };
        if let Some(kind) = kind.filter(|_| field(ty, "body").is_none()) {
            let next = ty.next_named_sibling();
            let name = next.and_then(|n| match n.kind() {
                "identifier" if declarator == Some(n) => Some(n),
                "ERROR" => named(n)
                    .into_iter()
                    .next()
                    .filter(|c| c.kind() == "identifier"),
                _ => None,
            });
            def_in(found, data, 34, kind, node, name, None);
        }
    }
    // `int f() const MACRO {...}`: the declarator is the macro, the function's declarator
    // an error before it.
    if declarator.is_some_and(|d| d.kind() == "identifier") {
        for err in named(node).into_iter().filter(|n| n.kind() == "ERROR") {
            let Some(fd) = named(err).into_iter().next() else {
                continue;
            };
            if fd.kind() != "function_declarator" {
                continue;
            }
            let Some(d) = field(fd, "declarator") else {
                continue;
            };
            let target = match d.kind() {
                "identifier" | "field_identifier" | "operator_name" | "destructor_name" => {
                    Some((d, None))
                }
                "qualified_identifier" => field(d, "name")
                    .filter(|n| {
                        matches!(n.kind(), "identifier" | "operator_name" | "destructor_name")
                    })
                    .and_then(|n| field(d, "scope").map(|s| (n, Some(s)))),
                _ => None,
            };
            if let Some((name, context)) = target {
                def_in(found, data, 50, Kind::Function, node, Some(name), context);
            }
        }
    }
}

/// `struct S {...}`, `union`, `enum`, and in C++ `class`, with a body; C++ names may be
/// templates (`Foo<T>` is `Foo`) or qualified (`class ns::A {...}` is `A` in `ns`).
fn specifier(node: Node, data: &[u8], found: &mut Found, cpp: bool) {
    if field(node, "body").is_none() {
        return;
    }
    let kind = match node.kind() {
        "struct_specifier" => Kind::Struct,
        "union_specifier" => Kind::Union,
        "enum_specifier" => Kind::Enum,
        "class_specifier" if cpp => Kind::Class,
        _ => return,
    };
    let Some(name) = field(node, "name") else {
        return;
    };
    match name.kind() {
        "type_identifier" => def_in(found, data, 6, kind, node, Some(name), None),
        "template_type" if cpp && kind != Kind::Enum => {
            let inner = field(name, "name").filter(|n| n.kind() == "type_identifier");
            def_in(found, data, 31, kind, node, inner, None);
        }
        "qualified_identifier" if cpp && matches!(kind, Kind::Class | Kind::Struct) => {
            let scope = field(name, "scope");
            let inner = field(name, "name").and_then(|n| match n.kind() {
                "type_identifier" => Some(n),
                "template_type" => field(n, "name").filter(|t| t.kind() == "type_identifier"),
                _ => None,
            });
            if let Some(scope) = scope {
                def_in(found, data, 33, kind, node, inner, Some(scope));
            }
        }
        _ => {}
    }
}
