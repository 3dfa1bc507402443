//! Ruby. Classes and modules (`A::B` named `B`), methods and singleton methods with
//! their names as spelled (`empty?`, `save!`, `name=`, `==`), `alias`, constants assigned;
//! `require "a/b"` and `load` by load path, `require_relative "x"` stored as `./x`; calls
//! of a method by name.

use tree_sitter::Node;

use super::{call, def, field, field_of, named, Found};
use crate::model::Kind;

/// Records what `node` defines, calls or imports.
pub(crate) fn visit(node: Node, data: &[u8], found: &mut Found) {
    match node.kind() {
        "class" => def(found, data, Kind::Class, node, type_name(node)),
        "module" => def(found, data, Kind::Module, node, type_name(node)),
        "method" | "singleton_method" | "alias" => {
            def(found, data, Kind::Method, node, field(node, "name"));
        }
        "assignment" => {
            let name = field_of(node, "left", "constant");
            def(found, data, Kind::Constant, node, name);
        }
        "call" => {
            let Some(method) = field(node, "method") else {
                return;
            };
            match method.kind() {
                "identifier" => {
                    require(node, method, data, found);
                    call(found, data, Some(method));
                }
                "constant" => call(found, data, Some(method)),
                _ => {}
            }
        }
        _ => {}
    }
}

/// A class or module name: `Foo`, or `Foo` in `Outer::Foo`.
fn type_name(node: Node) -> Option<Node> {
    let name = field(node, "name")?;
    match name.kind() {
        "constant" => Some(name),
        "scope_resolution" => field(name, "name"),
        _ => None,
    }
}

/// `require "a/b"`, `load "x.rb"`, `require_relative "x"`: a first argument that is a
/// plain string without interpolation.
fn require(node: Node, method: Node, data: &[u8], found: &mut Found) {
    let prefix = match &data[method.byte_range()] {
        b"require" | b"load" => None,
        b"require_relative" => Some("./"),
        _ => return,
    };
    let Some(args) = field_of(node, "arguments", "argument_list") else {
        return;
    };
    let Some(first) = named(args).into_iter().next() else {
        return;
    };
    if first.kind() != "string" {
        return;
    }
    if let [content] = named(first).as_slice() {
        if content.kind() == "string_content" {
            found.import(*content, prefix, data);
        }
    }
}
