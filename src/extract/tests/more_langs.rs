//! Golden extraction: C#, Ruby, PHP, Kotlin, Swift, Scala, Lua and shell.

use super::*;

#[test]
fn golden_csharp() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.cs");
    check(
        Lang::CSharp,
        src,
        &[
            ("Acme.Core", Kind::Namespace, 5, None),
            (
                "Handler",
                Kind::Type,
                7,
                Some(("Acme.Core", Kind::Namespace)),
            ),
            (
                "IShape",
                Kind::Interface,
                8,
                Some(("Acme.Core", Kind::Namespace)),
            ),
            ("Area", Kind::Method, 8, Some(("IShape", Kind::Interface))),
            (
                "Point",
                Kind::Struct,
                9,
                Some(("Acme.Core", Kind::Namespace)),
            ),
            ("X", Kind::Field, 9, Some(("Point", Kind::Struct))),
            (
                "Color",
                Kind::Enum,
                10,
                Some(("Acme.Core", Kind::Namespace)),
            ),
            ("Red", Kind::Enumerator, 10, Some(("Color", Kind::Enum))),
            ("Green", Kind::Enumerator, 10, Some(("Color", Kind::Enum))),
            (
                "Person",
                Kind::Class,
                11,
                Some(("Acme.Core", Kind::Namespace)),
            ),
            (
                "Circle",
                Kind::Class,
                12,
                Some(("Acme.Core", Kind::Namespace)),
            ),
            ("r", Kind::Field, 14, Some(("Circle", Kind::Class))),
            ("Radius", Kind::Field, 15, Some(("Circle", Kind::Class))),
            ("Changed", Kind::Field, 16, Some(("Circle", Kind::Class))),
            (
                "Circle",
                Kind::Constructor,
                17,
                Some(("Circle", Kind::Class)),
            ),
            ("Area", Kind::Method, 18, Some(("Circle", Kind::Class))),
            ("Helper", Kind::Method, 19, Some(("Circle", Kind::Class))),
            ("Local", Kind::Function, 19, None),
        ],
        &[
            ("System", 1),
            ("Newtonsoft.Json.Linq", 2),
            ("System.Math", 3),
            ("Newtonsoft.Json", 4),
        ],
        &[("Helper", 18, Some("Area"))],
    );
}

#[test]
fn golden_ruby() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.rb");
    check(
        Lang::Ruby,
        src,
        &[
            ("Outer", Kind::Module, 3, None),
            ("Foo", Kind::Class, 4, Some(("Outer", Kind::Module))),
            ("VERSION", Kind::Constant, 5, Some(("Foo", Kind::Class))),
            ("empty?", Kind::Method, 6, Some(("Foo", Kind::Class))),
            ("save!", Kind::Method, 7, Some(("Foo", Kind::Class))),
            ("name=", Kind::Method, 8, Some(("Foo", Kind::Class))),
            ("==", Kind::Method, 9, Some(("Foo", Kind::Class))),
            ("build", Kind::Method, 10, Some(("Foo", Kind::Class))),
            ("size", Kind::Method, 15, Some(("Foo", Kind::Class))),
            ("Baz", Kind::Class, 17, Some(("Outer", Kind::Module))),
            ("top_level", Kind::Method, 19, None),
        ],
        &[("json", 1), ("./lib/helper", 2)],
        &[
            ("require", 1, None),
            ("require_relative", 2, None),
            ("new", 11, Some("build")),
            ("tap", 11, Some("build")),
            ("save!", 11, Some("build")),
            ("helper", 12, Some("build")),
            ("alias_method", 14, Some("Foo")),
        ],
    );
}

#[test]
fn golden_php() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.php");
    check(
        Lang::Php,
        src,
        &[
            ("App\\Http", Kind::Namespace, 2, None),
            ("Shape", Kind::Interface, 9, None),
            ("area", Kind::Method, 9, Some(("Shape", Kind::Interface))),
            ("Greets", Kind::Trait, 10, None),
            ("hi", Kind::Method, 10, Some(("Greets", Kind::Trait))),
            ("Suit", Kind::Enum, 11, None),
            ("Hearts", Kind::Enumerator, 11, Some(("Suit", Kind::Enum))),
            ("Spades", Kind::Enumerator, 11, Some(("Suit", Kind::Enum))),
            ("MAX", Kind::Constant, 12, None),
            ("helper", Kind::Function, 13, None),
            ("Kernel", Kind::Class, 14, None),
            ("VERSION", Kind::Constant, 15, Some(("Kernel", Kind::Class))),
            ("name", Kind::Field, 16, Some(("Kernel", Kind::Class))),
            ("area", Kind::Method, 17, Some(("Kernel", Kind::Class))),
            ("make", Kind::Method, 18, Some(("Kernel", Kind::Class))),
        ],
        &[
            ("use App\\Models\\User", 4),
            ("use Illuminate\\Support\\Str", 5),
            ("use Illuminate\\Support\\Arr", 5),
            ("__DIR__ . '/../bootstrap.php'", 6),
            ("config.php", 7),
        ],
        &[
            ("strlen", 13, Some("helper")),
            ("compute", 17, Some("area")),
            ("Kernel", 18, Some("make")),
        ],
    );
}

#[test]
fn golden_kotlin() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.kt");
    check(
        Lang::Kotlin,
        src,
        &[
            ("com.acme.core", Kind::Module, 1, None),
            ("Name", Kind::Type, 7, None),
            ("TOP", Kind::Variable, 9, None),
            ("topLevel", Kind::Function, 11, None),
            ("Circle", Kind::Class, 13, None),
            ("area", Kind::Variable, 14, Some(("Circle", Kind::Class))),
            ("grow", Kind::Method, 17, Some(("Circle", Kind::Class))),
            ("Factory", Kind::Class, 22, Some(("Circle", Kind::Class))),
            ("make", Kind::Method, 23, Some(("Factory", Kind::Class))),
            ("Registry", Kind::Class, 27, None),
            (
                "register",
                Kind::Method,
                28,
                Some(("Registry", Kind::Class)),
            ),
            ("Shape", Kind::Interface, 31, None),
            ("area", Kind::Method, 32, Some(("Shape", Kind::Interface))),
            ("Color", Kind::Enum, 35, None),
            ("RED", Kind::Enumerator, 36, Some(("Color", Kind::Enum))),
            ("GREEN", Kind::Enumerator, 37, Some(("Color", Kind::Enum))),
        ],
        &[
            ("import com.acme.util.Helper", 3),
            ("import com.acme.other.*", 4),
            ("import kotlinx.coroutines.launch as go", 5),
        ],
        &[
            ("helper", 11, Some("topLevel")),
            ("run", 18, Some("grow")),
            ("listOf", 19, Some("grow")),
            ("Circle", 23, Some("make")),
        ],
    );
}

#[test]
fn golden_swift() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.swift");
    check(
        Lang::Swift,
        src,
        &[
            ("Shape", Kind::Interface, 3, None),
            ("area", Kind::Method, 3, Some(("Shape", Kind::Interface))),
            ("name", Kind::Field, 3, Some(("Shape", Kind::Interface))),
            ("Point", Kind::Struct, 4, None),
            ("x", Kind::Variable, 4, Some(("Point", Kind::Struct))),
            ("Circle", Kind::Class, 5, None),
            ("r", Kind::Variable, 6, Some(("Circle", Kind::Class))),
            ("init", Kind::Constructor, 7, Some(("Circle", Kind::Class))),
            ("area", Kind::Method, 8, Some(("Circle", Kind::Class))),
            ("name", Kind::Variable, 9, Some(("Circle", Kind::Class))),
            ("Color", Kind::Enum, 11, None),
            ("red", Kind::Enumerator, 11, Some(("Color", Kind::Enum))),
            ("green", Kind::Enumerator, 11, Some(("Color", Kind::Enum))),
            ("Circle", Kind::Impl, 12, None),
            ("grow", Kind::Method, 12, Some(("Circle", Kind::Impl))),
            ("helper", Kind::Function, 13, None),
            ("Name", Kind::Type, 14, None),
            ("Counter", Kind::Class, 15, None),
            ("inc", Kind::Method, 15, Some(("Counter", Kind::Class))),
            ("Point", Kind::Impl, 16, None),
            ("==", Kind::Method, 17, Some(("Point", Kind::Impl))),
        ],
        &[("Foundation", 1), ("Alamofire", 2)],
        &[("helper", 8, Some("area")), ("print", 12, Some("grow"))],
    );
}

#[test]
fn golden_scala() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.scala");
    check(
        Lang::Scala,
        src,
        &[
            ("com.acme.core", Kind::Module, 1, None),
            ("Shape", Kind::Trait, 7, None),
            ("area", Kind::Method, 7, Some(("Shape", Kind::Trait))),
            ("Circle", Kind::Class, 8, None),
            ("area", Kind::Method, 9, Some(("Circle", Kind::Class))),
            ("name", Kind::Variable, 10, Some(("Circle", Kind::Class))),
            ("Circle", Kind::Class, 12, None),
            ("unit", Kind::Method, 12, Some(("Circle", Kind::Class))),
            ("Color", Kind::Enum, 13, None),
            ("Red", Kind::Enumerator, 13, Some(("Color", Kind::Enum))),
            ("Green", Kind::Enumerator, 13, Some(("Color", Kind::Enum))),
            ("Name", Kind::Type, 14, None),
            ("top", Kind::Function, 15, None),
            ("util", Kind::Module, 16, None),
            ("helper", Kind::Function, 17, Some(("util", Kind::Module))),
        ],
        &[
            ("import com.acme.util.Helper", 3),
            ("import com.acme.other._", 4),
            ("import scala.collection.{mutable, immutable => im}", 5),
        ],
        &[("sq", 9, Some("area")), ("Circle", 12, Some("unit"))],
    );
}

#[test]
fn golden_lua() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.lua");
    check(
        Lang::Lua,
        src,
        &[
            ("f", Kind::Function, 4, Some(("M", Kind::Module))),
            ("m", Kind::Method, 5, Some(("M", Kind::Class))),
            ("c", Kind::Function, 6, Some(("a.b", Kind::Module))),
            ("helper", Kind::Function, 7, None),
            ("global_fn", Kind::Function, 8, None),
            ("h", Kind::Function, 9, Some(("M", Kind::Module))),
            ("k", Kind::Function, 10, None),
        ],
        &[("lib.util", 2), ("other", 3)],
        &[
            ("require", 2, None),
            ("require", 3, None),
            ("g", 4, Some("f")),
            ("f", 5, Some("m")),
        ],
    );
}

#[test]
fn golden_shell() {
    // The fixture of the golden objects (tests/golden.rs).
    let src = include_str!("../../../tests/fixtures/objects/sample.sh");
    check(
        Lang::Shell,
        src,
        &[
            ("foo", Kind::Function, 5, None),
            ("bar", Kind::Function, 6, None),
        ],
        &[
            ("lib/common.sh", 2),
            ("$(dirname \"$0\")/helpers.sh", 3),
            ("./x.sh", 4),
        ],
        &[
            ("source", 2, None),
            (".", 3, None),
            ("dirname", 3, None),
            (".", 4, None),
            ("echo", 5, Some("foo")),
            ("foo", 7, Some("bar")),
            ("ls", 8, Some("bar")),
            ("bar", 10, None),
        ],
    );
}

/// The definitions (name, kind, line, container) extracted from `src`.
fn defs_of(lang: Lang, src: &str) -> Vec<(String, Kind, u32, Option<String>)> {
    let index = Extractor::new(Limits::default())
        .extract(lang, src.as_bytes())
        .unwrap();
    index
        .definitions
        .into_iter()
        .map(|d| (d.name, d.kind, d.line, d.container.map(|c| c.0)))
        .collect()
}

#[test]
fn kotlin_declarations_inside_a_parse_error_are_read_by_their_text() {
    // An unterminated string makes tree-sitter-kotlin-ng lose the rest of the file; the
    // declarations are still found, line by line (without containers).
    let src = "fun ok() {}\nval s = \"unterminated\nfun hidden(x: Int) {}\n\
               internal data class Lost(val a: Int) {\n  override fun `also lost`() {}\n  \
               fun <T> String.ext(): T = TODO()\n}\nfun interface Op\n";
    let d = |n: &str, k: Kind, l: u32| (n.to_string(), k, l, None::<String>);
    assert_eq!(
        defs_of(Lang::Kotlin, src),
        vec![
            d("ok", Kind::Function, 1),
            d("hidden", Kind::Function, 3),
            d("Lost", Kind::Class, 4),
            d("also lost", Kind::Function, 5),
            d("ext", Kind::Function, 6),
            d("Op", Kind::Interface, 8),
        ]
    );
}

#[test]
fn kotlin_unnamed_companion_is_companion() {
    let src = "class A {\n  companion object {\n    fun make() = A()\n  }\n}\n";
    let d =
        |n: &str, k: Kind, l: u32, c: Option<&str>| (n.to_string(), k, l, c.map(str::to_string));
    assert_eq!(
        defs_of(Lang::Kotlin, src),
        vec![
            d("A", Kind::Class, 1, None),
            d("Companion", Kind::Class, 2, Some("A")),
            d("make", Kind::Method, 3, Some("Companion")),
        ]
    );
}
