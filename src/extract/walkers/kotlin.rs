//! Kotlin. The package, classes (interfaces and enum classes by their keyword), objects
//! and companion objects (an unnamed one is `Companion`), functions, enum entries, type aliases and properties; imports
//! captured whole (see `resolve::kotlin`); calls of a name or of `x.name`. Inside a parse
//! error, declarations by their text (`lexical`).

use tree_sitter::Node;

use super::lexical::{self, Keywords};
use super::{call, def, field_of, named, DefAt, Found};
use crate::model::Kind;

/// Declarations in text the grammar could not parse (see `lexical`).
const KEYWORDS: Keywords = Keywords {
    modifiers: &[
        "public",
        "private",
        "internal",
        "protected",
        "override",
        "open",
        "abstract",
        "final",
        "suspend",
        "inline",
        "operator",
        "infix",
        "tailrec",
        "external",
        "actual",
        "expect",
        "data",
        "sealed",
        "inner",
        "annotation",
        "value",
        "companion",
        "const",
        "lateinit",
        "enum",
    ],
    kinds: &[
        ("fun", Kind::Function),
        ("class", Kind::Class),
        ("interface", Kind::Interface),
        ("object", Kind::Class),
    ],
};

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    match node.kind() {
        "package_header" => {
            let name = named(node)
                .into_iter()
                .find(|n| n.kind() == "qualified_identifier");
            def(found, data, Kind::Module, node, name);
        }
        "class_declaration" => {
            let kind = if has_keyword(node, "interface") {
                Kind::Interface
            } else if is_enum(node) {
                Kind::Enum
            } else {
                Kind::Class
            };
            def(
                found,
                data,
                kind,
                node,
                field_of(node, "name", "identifier"),
            );
        }
        "object_declaration" => {
            def(
                found,
                data,
                Kind::Class,
                node,
                field_of(node, "name", "identifier"),
            );
        }
        "companion_object" => companion(node, data, found),
        "function_declaration" => {
            let name = field_of(node, "name", "identifier");
            def(found, data, Kind::Function, node, name);
        }
        "enum_entry" => each_identifier(node, data, found, Kind::Enumerator),
        "type_alias" => def(
            found,
            data,
            Kind::Type,
            node,
            field_of(node, "type", "identifier"),
        ),
        "property_declaration" => {
            for decl in named(node) {
                if decl.kind() == "variable_declaration" {
                    for n in named(decl) {
                        if n.kind() == "identifier" {
                            def(found, data, Kind::Variable, node, Some(n));
                        }
                    }
                }
            }
        }
        "import" => found.import(node, None, data),
        "ERROR" => lexical::declarations(node, data, found, &KEYWORDS),
        "call_expression" => {
            for n in named(node) {
                match n.kind() {
                    "identifier" => call(found, data, Some(n)),
                    "navigation_expression" => {
                        let last = named(n).last().copied();
                        call(found, data, last.filter(|l| l.kind() == "identifier"));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// `companion object Name`, or unnamed: `Companion`, as Kotlin names it, at the `object`
/// keyword.
fn companion(node: Node, data: &[u8], found: &mut Found) {
    if let Some(name) = field_of(node, "name", "identifier") {
        return def(found, data, Kind::Class, node, Some(name));
    }
    let mut cursor = node.walk();
    let keyword = node.children(&mut cursor).find(|c| c.kind() == "object");
    if let Some(keyword) = keyword {
        let at = DefAt {
            kind: Kind::Class,
            node,
            name: keyword,
            context: None,
            pattern: 0,
        };
        found.def_named(at, "Companion".to_string(), data);
    }
}

/// Every `identifier` child of `node`, as a definition spanning `node`.
fn each_identifier(node: Node, data: &[u8], found: &mut Found, kind: Kind) {
    for n in named(node) {
        if n.kind() == "identifier" {
            def(found, data, kind, node, Some(n));
        }
    }
}

/// Whether `node` has the keyword `word` among its own tokens.
fn has_keyword(node: Node, word: &str) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| !c.is_named() && c.kind() == word);
    found
}

/// `enum class`: an `enum` class modifier.
fn is_enum(node: Node) -> bool {
    named(node)
        .into_iter()
        .filter(|m| m.kind() == "modifiers")
        .flat_map(named)
        .any(|m| m.kind() == "class_modifier" && has_keyword(m, "enum"))
}
