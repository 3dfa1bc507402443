//! Resolution cases: Rust.

use super::*;

const RS_FILES: &[&str] = &[
    "Cargo.toml",
    "src/lib.rs",
    "src/main.rs",
    "src/model.rs",
    "src/extract/mod.rs",
    "src/extract/lang.rs",
    "src/extract/spec.rs",
    "src/extract/tests.rs",
    "src/store.rs",
    "src/store/object.rs",
    "src/store/object/pack.rs",
    "src/bin/tool.rs",
    "src/bin/helper.rs",
    "tests/it.rs",
    "tests/common/mod.rs",
];

#[test]
fn rust_imports() {
    use Lang::Rust as R;
    check_all(&[
        // `mod` declarations by directory rules.
        case(R, RS_FILES, "src/lib.rs", "mod model", &["src/model.rs"]),
        case(
            R,
            RS_FILES,
            "src/lib.rs",
            "mod extract",
            &["src/extract/mod.rs"],
        ),
        case(R, RS_FILES, "src/lib.rs", "mod store", &["src/store.rs"]),
        case(
            R,
            RS_FILES,
            "src/extract/mod.rs",
            "mod lang",
            &["src/extract/lang.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/store.rs",
            "mod object",
            &["src/store/object.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/store/object.rs",
            "mod pack",
            &["src/store/object/pack.rs"],
        ),
        case(
            R,
            RS_FILES,
            "tests/it.rs",
            "mod common",
            &["tests/common/mod.rs"],
        ),
        case(R, RS_FILES, "src/lib.rs", "mod missing", &[]),
        // `use crate::` to the deepest module file.
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "crate::model::Lang",
            &["src/model.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "crate::model::{Kind, Lang}",
            &["src/model.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "crate::{model, store::object::{self, pack::Pack}}",
            &[
                "src/model.rs",
                "src/store/object.rs",
                "src/store/object/pack.rs",
            ],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "crate::VERSION",
            &["src/lib.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/store/object/pack.rs",
            "crate::store::object::*",
            &["src/store/object.rs"],
        ),
        // `self::` and `super::`.
        case(
            R,
            RS_FILES,
            "src/extract/mod.rs",
            "self::spec::{spec, Role}",
            &["src/extract/spec.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/tests.rs",
            "super::*",
            &["src/extract/mod.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/tests.rs",
            "super::lang::by_path",
            &["src/extract/lang.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/store/object/pack.rs",
            "super::super::Store",
            &["src/store.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/store/object/pack.rs",
            "super::Object",
            &["src/store/object.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "super::super::model",
            &["src/model.rs"],
        ),
        case(R, RS_FILES, "src/model.rs", "super::x", &["src/lib.rs"]),
        case(R, RS_FILES, "src/lib.rs", "super::x", &[]),
        // Module-relative paths (2018) and crate-relative ones (2015).
        case(
            R,
            RS_FILES,
            "src/extract/mod.rs",
            "spec::Role",
            &["src/extract/spec.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "model::Lang",
            &["src/model.rs"],
        ),
        // Binaries are crate roots of their own.
        case(
            R,
            RS_FILES,
            "src/bin/tool.rs",
            "mod helper",
            &["src/bin/helper.rs"],
        ),
        case(
            R,
            RS_FILES,
            "src/bin/tool.rs",
            "crate::helper::x",
            &["src/bin/helper.rs"],
        ),
        // External: std, dependencies, `::` paths, extern crates.
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "std::collections::HashMap",
            &[],
        ),
        case(
            R,
            RS_FILES,
            "src/extract/lang.rs",
            "anyhow::{bail, Result}",
            &[],
        ),
        case(R, RS_FILES, "src/extract/lang.rs", "::model::Lang", &[]),
        case(R, RS_FILES, "src/lib.rs", "alloc", &[]),
    ]);
}
