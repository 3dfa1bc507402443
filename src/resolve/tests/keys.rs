//! Resolution cases: keys, scopes, parsing.

use super::go::{GO_CONFIGS, GO_FILES};
use super::js::JS_CONFIGS;
use super::*;

#[test]
fn keys_per_language() {
    assert_eq!(import_keys(Lang::C, "<linux/list.h>"), ["list"]);
    assert_eq!(import_keys(Lang::Cpp, "../a/b.hpp"), ["b"]);
    assert!(import_keys(Lang::C, "CONFIG_H").is_empty());
    assert_eq!(import_keys(Lang::Python, "a.b.c"), ["a", "b", "c"]);
    assert_eq!(
        import_keys(Lang::Python, "from ..x import y, z"),
        ["x", "y", "z"]
    );
    assert_eq!(
        import_keys(Lang::Python, "from . import *"),
        Vec::<String>::new()
    );
    assert_eq!(import_keys(Lang::Go, "gopkg.in/yaml.v3"), ["yaml"]);
    assert_eq!(import_keys(Lang::TypeScript, "./a/b.js"), ["b"]);
    assert_eq!(import_keys(Lang::TypeScript, ".."), ["index"]);
    assert_eq!(import_keys(Lang::Java, "a.b.*"), ["a", "b"]);
    assert_eq!(
        import_keys(Lang::Rust, "crate::a::{b, c as d}"),
        ["a", "b", "c"]
    );
    assert_eq!(import_keys(Lang::Rust, "mod foo"), ["foo"]);

    let t = MemTree::new(&["x.go"], &[("go.mod", "module example.com/m/v2\n")]);
    assert_eq!(path_keys(&t, "x.go"), ["/", "v2", "x"]);
    assert_eq!(path_keys(&t, "a/pkg/__init__.py"), ["__init__", "pkg"]);
    assert_eq!(path_keys(&t, "a/foo.test.ts"), ["a", "foo"]);
    let t = MemTree::new(&[], JS_CONFIGS);
    assert_eq!(
        path_keys(&t, "web/src/shared/config/main.ts"),
        ["@cfg", "config", "main"]
    );
}

#[test]
fn scopes() {
    let s = path_scopes("a/b/__init__.py");
    assert_eq!(s.len(), 1);
    assert!(s[0].covers(Lang::Python, "a/b/c/d.py"));
    assert!(!s[0].covers(Lang::Python, "a/bc/d.py"));
    assert!(!s[0].covers(Lang::Rust, "a/b/c.rs"));
    assert!(path_scopes("x/go.mod")[0].covers(Lang::Go, "y/z.go"));
    assert!(path_scopes("src/store.rs")[0].covers(Lang::Rust, "src/store/object.rs"));
    assert!(path_scopes("web/tsconfig.json")[0].covers(Lang::Tsx, "web/a.tsx"));
    assert!(path_scopes("src/util.h").is_empty());
}

#[test]
fn rust_use_trees_expand() {
    let e = |s: &str| -> Vec<String> { rust_expand(s).into_iter().map(|p| p.join("::")).collect() };
    assert_eq!(e("a::b"), ["a::b"]);
    assert_eq!(
        e("a::{b, c::{self, d as e}, *}"),
        ["a::b", "a::c", "a::c::d", "a::*"]
    );
    // Comments are removed at extraction (see extract's `rust_use_tree_comments_are_dropped`).
    assert_eq!(e("a::{\n  b,\n   d,\n}"), ["a::b", "a::d"]);
    assert_eq!(e("::std::fmt"), ["::::std::fmt"]);
    assert_eq!(e("self::x as y"), ["self::x"]);
}

fn rust_expand(s: &str) -> Vec<Vec<String>> {
    crate::resolve::rust::expand_for_tests(s)
}

#[test]
fn tsconfig_dialect() {
    let t = MemTree::new(
        &["a/src/x.ts"],
        &[(
            "a/jsconfig.json",
            "{ /* c */ \"compilerOptions\": { \"baseUrl\": \"./src\", }, }",
        )],
    );
    assert_eq!(
        resolve(&t, Lang::JavaScript, "a/b.js", "x").files(),
        ["a/src/x.ts"]
    );
    let t = MemTree::new(&["a/src/x.ts"], &[("a/tsconfig.json", "not json")]);
    assert_eq!(
        resolve(&t, Lang::JavaScript, "a/b.js", "x"),
        Resolved::External
    );
}

#[test]
fn resolver_cache_is_consistent() {
    let t = MemTree::new(GO_FILES, GO_CONFIGS);
    let r = Resolver::new(&t);
    for _ in 0..2 {
        assert_eq!(
            r.resolve(Lang::Go, "main.go", "example.com/shop/internal/cart")
                .files(),
            ["internal/cart/cart.go", "internal/cart/total.go"]
        );
    }
}

/// The resolver against `bench/python_deps.py --expect-only` on a Python standard library
/// (see that script): recall and precision of at least 90%.
#[test]
#[ignore = "needs ATSE_PY_CORPUS and ATSE_PY_EXPECT (bench/python_deps.py --expect-only)"]
fn python_stdlib_against_ast() {
    use crate::extract::{Extractor, Limits};
    let corpus = std::path::PathBuf::from(std::env::var("ATSE_PY_CORPUS").unwrap());
    let expect = std::fs::read_to_string(std::env::var("ATSE_PY_EXPECT").unwrap()).unwrap();
    let mut tree = MemTree::default();
    let mut stack = vec![corpus.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if p.is_dir() {
                if !matches!(
                    name.as_str(),
                    "site-packages" | "__pycache__" | "dist-packages"
                ) {
                    stack.push(p);
                }
            } else if name.ends_with(".py") {
                let rel = p
                    .strip_prefix(&corpus)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                tree.files.insert(rel);
            }
        }
    }
    let r = Resolver::new(&tree);
    let mut ex = Extractor::new(Limits::default());
    let (mut hit, mut want_n, mut got_n) = (0usize, 0usize, 0usize);
    for line in expect.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = v["file"].as_str().unwrap();
        let want: BTreeSet<String> = v["deps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect();
        let data = std::fs::read(corpus.join(file)).unwrap();
        let index = ex.extract(Lang::Python, &data).unwrap();
        let got: BTreeSet<String> = index
            .imports
            .iter()
            .flat_map(|i| r.resolve(Lang::Python, file, &i.path).files().to_vec())
            .collect();
        if want != got {
            eprintln!(
                "{file}: missing {:?} extra {:?}",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            );
        }
        hit += want.intersection(&got).count();
        want_n += want.len();
        got_n += got.len();
    }
    let recall = hit as f64 / want_n.max(1) as f64;
    let precision = hit as f64 / got_n.max(1) as f64;
    eprintln!("expected {want_n} reported {got_n} recall {recall:.3} precision {precision:.3}");
    assert!(recall >= 0.9 && precision >= 0.9);
}
