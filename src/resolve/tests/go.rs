//! Resolution cases: Go.

use super::*;

const GO_MOD: &str = "// comment\nmodule example.com/shop\n\ngo 1.22\n";
pub(super) const GO_FILES: &[&str] = &[
    "main.go",
    "doc.go",
    "root_test.go",
    "cmd/shop/main.go",
    "internal/cart/cart.go",
    "internal/cart/total.go",
    "internal/cart/cart_test.go",
    "internal/cart/README.md",
    "internal/cart/sub/sub.go",
    "internal/onlytests/x_test.go",
    "vendor/github.com/pkg/errors/errors.go",
    "tools/lint/lint.go",
    "tools/lint/rules/rules.go",
];
pub(super) const GO_CONFIGS: &[(&str, &str)] = &[
    ("go.mod", GO_MOD),
    ("tools/go.mod", "module example.com/shop/tools\n"),
    ("other/go.mod", "module \"github.com/acme/other/v2\"\n"),
];

const fn go(importer: &'static str, import: &'static str, want: &'static [&'static str]) -> Case {
    Case {
        lang: Lang::Go,
        files: GO_FILES,
        configs: GO_CONFIGS,
        importer,
        import,
        want,
    }
}

#[test]
fn go_imports() {
    check_all(&[
        // A package is every non-test file of its directory.
        go(
            "cmd/shop/main.go",
            "example.com/shop/internal/cart",
            &["internal/cart/cart.go", "internal/cart/total.go"],
        ),
        go(
            "cmd/shop/main.go",
            "example.com/shop/internal/cart/sub",
            &["internal/cart/sub/sub.go"],
        ),
        // The module's root package.
        go(
            "cmd/shop/main.go",
            "example.com/shop",
            &["doc.go", "main.go"],
        ),
        // Only tests, or no directory: external.
        go(
            "cmd/shop/main.go",
            "example.com/shop/internal/onlytests",
            &[],
        ),
        go("cmd/shop/main.go", "example.com/shop/internal/nothing", &[]),
        // The longest module path wins: a nested module.
        go(
            "cmd/shop/main.go",
            "example.com/shop/tools/lint",
            &["tools/lint/lint.go"],
        ),
        go(
            "tools/lint/lint.go",
            "example.com/shop/tools/lint/rules",
            &["tools/lint/rules/rules.go"],
        ),
        // vendor/ of the importer's module.
        go(
            "cmd/shop/main.go",
            "github.com/pkg/errors",
            &["vendor/github.com/pkg/errors/errors.go"],
        ),
        // The standard library and unknown modules.
        go("cmd/shop/main.go", "fmt", &[]),
        go("cmd/shop/main.go", "net/http", &[]),
        go("cmd/shop/main.go", "example.com/shopping", &[]),
        go("cmd/shop/main.go", "github.com/acme/other/v2/pkg", &[]),
    ]);
}
