//! Resolution cases: JavaScript and TypeScript.

use super::*;

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
pub(super) const JS_CONFIGS: &[(&str, &str)] = &[("web/tsconfig.json", TSCONFIG)];

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
