#![allow(clippy::unwrap_used)]
//! Resolution cases per language over an in-memory tree, and the invalidation guarantee
//! checked on every case: adding or removing any path the resolver probed (or could find
//! through a directory or name listing) changes the result only if the path's keys meet
//! the import's keys or one of the path's scopes covers the importer.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::*;

#[derive(Clone, Default)]
struct MemTree {
    files: BTreeSet<String>,
    configs: BTreeMap<String, String>,
}

impl MemTree {
    fn new(files: &[&str], configs: &[(&str, &str)]) -> MemTree {
        let mut t = MemTree::default();
        for f in files {
            t.files.insert(f.to_string());
        }
        for (p, c) in configs {
            t.files.insert(p.to_string());
            t.configs.insert(p.to_string(), c.to_string());
        }
        t
    }
}

impl Tree for MemTree {
    fn exists(&self, path: &str) -> bool {
        self.files.contains(path)
    }
    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| dir_of(f) == dir)
            .cloned()
            .collect()
    }
    fn files_named(&self, name: &str) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| name_of(f) == name)
            .cloned()
            .collect()
    }
    fn config(&self, path: &str) -> Option<String> {
        if self.files.contains(path) {
            self.configs.get(path).cloned()
        } else {
            None
        }
    }
}

/// Records what the resolver asked.
struct Recorder<'a> {
    tree: &'a MemTree,
    probes: RefCell<BTreeSet<String>>,
    dirs: RefCell<BTreeSet<String>>,
    names: RefCell<BTreeSet<String>>,
}

impl Tree for Recorder<'_> {
    fn exists(&self, path: &str) -> bool {
        self.probes.borrow_mut().insert(path.to_string());
        self.tree.exists(path)
    }
    fn files_in_dir(&self, dir: &str) -> Vec<String> {
        self.dirs.borrow_mut().insert(dir.to_string());
        self.tree.files_in_dir(dir)
    }
    fn files_named(&self, name: &str) -> Vec<String> {
        self.names.borrow_mut().insert(name.to_string());
        self.tree.files_named(name)
    }
    fn config(&self, path: &str) -> Option<String> {
        self.probes.borrow_mut().insert(path.to_string());
        self.tree.config(path)
    }
}

struct Case {
    lang: Lang,
    files: &'static [&'static str],
    configs: &'static [(&'static str, &'static str)],
    importer: &'static str,
    import: &'static str,
    want: &'static [&'static str],
}

const fn case(
    lang: Lang,
    files: &'static [&'static str],
    importer: &'static str,
    import: &'static str,
    want: &'static [&'static str],
) -> Case {
    Case {
        lang,
        files,
        configs: &[],
        importer,
        import,
        want,
    }
}

fn resolved(tree: &dyn Tree, c: &Case) -> Vec<String> {
    resolve(tree, c.lang, c.importer, c.import).files().to_vec()
}

/// Checks the expected result and the invalidation guarantee; returns the number of
/// tree variations checked.
fn check(c: &Case) -> usize {
    let tree = MemTree::new(c.files, c.configs);
    let rec = Recorder {
        tree: &tree,
        probes: RefCell::default(),
        dirs: RefCell::default(),
        names: RefCell::default(),
    };
    let got = resolved(&rec, c);
    assert_eq!(
        got,
        c.want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        "{} {:?} from {}",
        c.lang,
        c.import,
        c.importer
    );
    // Every sorted, deduplicated, importer-free.
    let mut sorted = got.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(got, sorted);
    assert!(!got.iter().any(|f| f == c.importer));
    for f in &got {
        assert!(tree.exists(f), "{f} does not exist");
    }

    // Paths whose presence could matter: every probe, every file, a new file in every
    // listed directory, a new file of every listed name elsewhere.
    let mut toggles: BTreeSet<String> = rec.probes.borrow().clone();
    toggles.extend(tree.files.iter().cloned());
    for d in rec.dirs.borrow().iter() {
        for n in ["zz.go", "zz_test.go", "Zz.java", "zz.rs"] {
            toggles.insert(join(d, n));
        }
    }
    for n in rec.names.borrow().iter() {
        toggles.insert(format!("elsewhere/deep/{n}"));
        toggles.insert(join(dir_of(c.importer), &format!("near/{n}")));
    }
    toggles.remove(c.importer);
    let keys = import_keys(c.lang, c.import);
    for p in &toggles {
        let mut other = tree.clone();
        if !other.files.remove(p) {
            other.files.insert(p.clone());
        }
        if resolved(&other, c) == got {
            continue;
        }
        let pk_before = path_keys(&tree, p);
        let pk_after = path_keys(&other, p);
        let keyed = pk_before.iter().chain(&pk_after).any(|k| keys.contains(k));
        let scoped = path_scopes(p).iter().any(|s| s.covers(c.lang, c.importer));
        assert!(
            keyed || scoped,
            "{} {:?} from {}: toggling {p} changes the result, but keys {keys:?} miss {pk_before:?} and no scope covers it",
            c.lang,
            c.import,
            c.importer
        );
    }
    toggles.len()
}

fn check_all(cases: &[Case]) {
    let mut variations = 0;
    for c in cases {
        variations += check(c);
    }
    assert!(variations > 0);
}

// ---- C and C++ ----------------------------------------------------------------------

const C_FILES: &[&str] = &[
    "src/net/sock.c",
    "src/net/sock.h",
    "src/net/util.h",
    "src/util.h",
    "include/linux/list.h",
    "tools/include/linux/list.h",
    "tools/perf/main.c",
    "lib/a/types.h",
    "lib/b/types.h",
    "src/common.hpp",
];

#[test]
fn c_includes() {
    use Lang::{Cpp, C};
    check_all(&[
        // Quoted: relative to the includer first.
        case(C, C_FILES, "src/net/sock.c", "sock.h", &["src/net/sock.h"]),
        case(C, C_FILES, "src/net/sock.c", "util.h", &["src/net/util.h"]),
        case(C, C_FILES, "src/net/sock.c", "../util.h", &["src/util.h"]),
        // Quoted, not beside: by suffix, nearest wins.
        case(
            C,
            C_FILES,
            "src/net/sock.c",
            "linux/list.h",
            &["include/linux/list.h", "tools/include/linux/list.h"],
        ),
        case(
            C,
            C_FILES,
            "tools/perf/main.c",
            "linux/list.h",
            &["tools/include/linux/list.h"],
        ),
        // Angle includes by suffix too.
        case(
            C,
            C_FILES,
            "tools/perf/main.c",
            "<linux/list.h>",
            &["tools/include/linux/list.h"],
        ),
        case(
            C,
            C_FILES,
            "src/net/sock.c",
            "<linux/list.h>",
            &["include/linux/list.h", "tools/include/linux/list.h"],
        ),
        // A tie: every candidate.
        case(
            C,
            C_FILES,
            "src/net/sock.c",
            "types.h",
            &["lib/a/types.h", "lib/b/types.h"],
        ),
        // The suffix must end at a directory boundary.
        case(C, C_FILES, "src/net/sock.c", "<ist.h>", &[]),
        // External: system headers, computed includes, missing.
        case(C, C_FILES, "src/net/sock.c", "<stdio.h>", &[]),
        case(C, C_FILES, "src/net/sock.c", "CONFIG_H", &[]),
        case(C, C_FILES, "src/net/sock.c", "missing.h", &[]),
        case(C, C_FILES, "src/net/sock.c", "../../../x.h", &[]),
        case(
            Cpp,
            C_FILES,
            "src/net/sock.c",
            "../common.hpp",
            &["src/common.hpp"],
        ),
        case(
            Cpp,
            C_FILES,
            "tools/perf/main.c",
            "common.hpp",
            &["src/common.hpp"],
        ),
    ]);
}

// ---- Python -------------------------------------------------------------------------

const PY_FILES: &[&str] = &[
    "app/__init__.py",
    "app/main.py",
    "app/util.py",
    "app/models/__init__.py",
    "app/models/user.py",
    "app/models/base.py",
    "app/api/__init__.py",
    "app/api/v1/__init__.py",
    "app/api/v1/routes.py",
    "scripts/tool.py",
    "scripts/helper.py",
    "src/lib2/__init__.py",
    "src/lib2/core.py",
    "services/svc/svc/__init__.py",
    "services/svc/svc/handlers.py",
    "services/svc/tests/test_handlers.py",
    "nspkg/mod.py",
    "vendor/thing/pkg/deep/leaf.py",
    "os.py",
];

#[test]
fn python_imports() {
    use Lang::Python as P;
    check_all(&[
        // Absolute, from the repository root.
        case(P, PY_FILES, "app/main.py", "app.util", &["app/util.py"]),
        case(P, PY_FILES, "app/main.py", "app", &["app/__init__.py"]),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "app.models",
            &["app/models/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "app.models.user",
            &["app/models/user.py"],
        ),
        // A missing submodule or an attribute: the deepest module.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "app.models.user.User",
            &["app/models/user.py"],
        ),
        case(P, PY_FILES, "app/main.py", "os.path", &["os.py"]),
        // `from` imports: submodules, else the module.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.models import user, base",
            &["app/models/base.py", "app/models/user.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.models import User",
            &["app/models/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.models import user, User",
            &["app/models/__init__.py", "app/models/user.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app.util import helper",
            &["app/util.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from app import *",
            &["app/__init__.py"],
        ),
        // Relative imports.
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from . import base",
            &["app/models/base.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .base import Base",
            &["app/models/base.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .. import util",
            &["app/util.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .. import settings",
            &["app/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from . import *",
            &["app/models/__init__.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/api/v1/routes.py",
            "from ...models import user",
            &["app/models/user.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/api/v1/routes.py",
            "from ..v1 import routes",
            &[],
        ),
        case(
            P,
            PY_FILES,
            "app/models/user.py",
            "from .missing import x",
            &[],
        ),
        case(P, PY_FILES, "app/main.py", "from ..... import x", &[]),
        // A package imports its own `__init__` through `from . import`.
        case(
            P,
            PY_FILES,
            "app/models/base.py",
            "from . import VERSION",
            &["app/models/__init__.py"],
        ),
        // Scripts: their own directory is a root.
        case(
            P,
            PY_FILES,
            "scripts/tool.py",
            "helper",
            &["scripts/helper.py"],
        ),
        // Not in a package: no implicit relative import of `util` from app/ code.
        case(P, PY_FILES, "app/main.py", "util", &[]),
        // src/ is a root.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "lib2.core",
            &["src/lib2/core.py"],
        ),
        case(
            P,
            PY_FILES,
            "scripts/tool.py",
            "from lib2 import core",
            &["src/lib2/core.py"],
        ),
        // The directory holding a top-level package is a root (tests beside it).
        case(
            P,
            PY_FILES,
            "services/svc/tests/test_handlers.py",
            "svc.handlers",
            &["services/svc/svc/handlers.py"],
        ),
        case(
            P,
            PY_FILES,
            "services/svc/tests/test_handlers.py",
            "from svc import handlers",
            &["services/svc/svc/handlers.py"],
        ),
        case(
            P,
            PY_FILES,
            "services/svc/svc/handlers.py",
            "svc",
            &["services/svc/svc/__init__.py"],
        ),
        // Namespace packages (no __init__.py).
        case(P, PY_FILES, "app/main.py", "nspkg.mod", &["nspkg/mod.py"]),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from nspkg import mod",
            &["nspkg/mod.py"],
        ),
        // Dotted modules found by suffix when no root holds them.
        case(
            P,
            PY_FILES,
            "app/main.py",
            "pkg.deep.leaf",
            &["vendor/thing/pkg/deep/leaf.py"],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from pkg.deep import leaf",
            &["vendor/thing/pkg/deep/leaf.py"],
        ),
        // External.
        case(P, PY_FILES, "app/main.py", "json", &[]),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from collections import OrderedDict",
            &[],
        ),
        case(
            P,
            PY_FILES,
            "app/main.py",
            "from __future__ import annotations",
            &[],
        ),
        case(P, PY_FILES, "app/main.py", "leaf", &[]),
    ]);
}

// ---- Go -----------------------------------------------------------------------------

const GO_MOD: &str = "// comment\nmodule example.com/shop\n\ngo 1.22\n";
const GO_FILES: &[&str] = &[
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
const GO_CONFIGS: &[(&str, &str)] = &[
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

// ---- JavaScript and TypeScript ------------------------------------------------------

const JS_FILES: &[&str] = &[
    "web/src/app.ts",
    "web/src/util.ts",
    "web/src/view.tsx",
    "web/src/legacy.js",
    "web/src/types.d.ts",
    "web/src/esm.mts",
    "web/src/data.json",
    "web/src/style.css",
    "web/src/components/index.ts",
    "web/src/components/button.tsx",
    "web/src/lib/index.js",
    "web/src/lib/math.test.ts",
    "web/src/shared/config/main.ts",
    "web/src/index.ts",
    "web/index.ts",
    "node/server.js",
    "node/routes/index.js",
    "node/db.cjs",
];
const TSCONFIG: &str = r#"{
  // comments and trailing commas are allowed
  "compilerOptions": {
    "baseUrl": "src",
    "paths": {
      "@components/*": ["components/*"],
      "@cfg": ["shared/config/main"],
      "~/*": ["./*", "missing/*",],
    },
  },
}"#;
const JS_CONFIGS: &[(&str, &str)] = &[("web/tsconfig.json", TSCONFIG)];

const fn js(
    lang: Lang,
    importer: &'static str,
    import: &'static str,
    want: &'static [&'static str],
) -> Case {
    Case {
        lang,
        files: JS_FILES,
        configs: JS_CONFIGS,
        importer,
        import,
        want,
    }
}

#[test]
fn js_imports() {
    use Lang::{JavaScript as J, Tsx as X, TypeScript as T};
    check_all(&[
        // Extension probing.
        js(T, "web/src/app.ts", "./util", &["web/src/util.ts"]),
        js(T, "web/src/app.ts", "./view", &["web/src/view.tsx"]),
        js(T, "web/src/app.ts", "./legacy", &["web/src/legacy.js"]),
        js(T, "web/src/app.ts", "./types", &["web/src/types.d.ts"]),
        js(T, "web/src/app.ts", "./esm", &["web/src/esm.mts"]),
        // Exact files, and the TypeScript twin of a `.js` specifier.
        js(T, "web/src/app.ts", "./data.json", &["web/src/data.json"]),
        js(T, "web/src/app.ts", "./style.css", &["web/src/style.css"]),
        js(T, "web/src/app.ts", "./util.js", &["web/src/util.ts"]),
        js(T, "web/src/app.ts", "./esm.mjs", &["web/src/esm.mts"]),
        js(
            T,
            "web/src/app.ts",
            "./lib/math.test",
            &["web/src/lib/math.test.ts"],
        ),
        // Index files.
        js(
            T,
            "web/src/app.ts",
            "./components",
            &["web/src/components/index.ts"],
        ),
        js(T, "web/src/app.ts", "./lib", &["web/src/lib/index.js"]),
        js(
            X,
            "web/src/components/button.tsx",
            "..",
            &["web/src/index.ts"],
        ),
        js(
            X,
            "web/src/components/button.tsx",
            ".",
            &["web/src/components/index.ts"],
        ),
        js(
            X,
            "web/src/components/button.tsx",
            "./",
            &["web/src/components/index.ts"],
        ),
        js(
            X,
            "web/src/components/button.tsx",
            "../../",
            &["web/index.ts"],
        ),
        js(
            X,
            "web/src/components/index.ts",
            "./button",
            &["web/src/components/button.tsx"],
        ),
        // Query strings are not part of the path.
        js(
            T,
            "web/src/app.ts",
            "./style.css?inline",
            &["web/src/style.css"],
        ),
        // tsconfig paths and baseUrl.
        js(
            T,
            "web/src/app.ts",
            "@components/button",
            &["web/src/components/button.tsx"],
        ),
        js(T, "web/src/app.ts", "@components", &[]),
        js(
            T,
            "web/src/app.ts",
            "@cfg",
            &["web/src/shared/config/main.ts"],
        ),
        js(T, "web/src/app.ts", "~/util", &["web/src/util.ts"]),
        js(T, "web/src/app.ts", "util", &["web/src/util.ts"]),
        js(
            T,
            "web/src/app.ts",
            "components",
            &["web/src/components/index.ts"],
        ),
        // JavaScript: require, index.js, .cjs.
        js(J, "node/server.js", "./routes", &["node/routes/index.js"]),
        js(J, "node/server.js", "./db", &["node/db.cjs"]),
        js(J, "node/routes/index.js", "../server", &["node/server.js"]),
        // No tsconfig above node/: bare specifiers are packages.
        js(J, "node/server.js", "express", &[]),
        js(T, "web/src/app.ts", "react", &[]),
        js(T, "web/src/app.ts", "node:fs", &[]),
        js(T, "web/src/app.ts", "./missing", &[]),
        js(T, "web/src/app.ts", "../../../../x", &[]),
    ]);
}

// ---- Java ---------------------------------------------------------------------------

const JAVA_FILES: &[&str] = &[
    "core/src/main/java/com/acme/core/Service.java",
    "core/src/main/java/com/acme/core/Util.java",
    "core/src/main/java/com/acme/core/package-info.txt",
    "core/src/main/java/com/acme/core/impl/Impl.java",
    "core/src/main/java/com/acme/app/App.java",
    "web/src/main/java/com/acme/web/Controller.java",
    "web/src/main/java/com/acme/web/Outer.java",
];

#[test]
fn java_imports() {
    use Lang::Java as J;
    check_all(&[
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.Service",
            &["core/src/main/java/com/acme/core/Service.java"],
        ),
        // Across source trees, by suffix.
        case(
            J,
            JAVA_FILES,
            "web/src/main/java/com/acme/web/Controller.java",
            "com.acme.core.Util",
            &["core/src/main/java/com/acme/core/Util.java"],
        ),
        // Nested classes and static members give the outer class.
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.web.Outer.Inner",
            &["web/src/main/java/com/acme/web/Outer.java"],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.Util.helper",
            &["core/src/main/java/com/acme/core/Util.java"],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.Util.*",
            &["core/src/main/java/com/acme/core/Util.java"],
        ),
        // Wildcards: the package directory's .java files, not its subpackages.
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.*",
            &[
                "core/src/main/java/com/acme/core/Service.java",
                "core/src/main/java/com/acme/core/Util.java",
            ],
        ),
        // External: the JDK, a missing class, a lower-case package never becomes a class.
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "java.util.List",
            &[],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "java.util.*",
            &[],
        ),
        case(
            J,
            JAVA_FILES,
            "core/src/main/java/com/acme/app/App.java",
            "com.acme.core.impl",
            &[],
        ),
    ]);
}

// ---- Rust ---------------------------------------------------------------------------

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

// ---- keys, scopes, parsing ----------------------------------------------------------

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
    rust::expand_for_tests(s)
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
