//! The dependency graph commands (deps, rdeps, refs, rank) and the Bloom filter, on real
//! multi-language repositories, through commits that add, delete and rename files.

use crate::util::{assert_graph_matches_full_rebuild, Repo};

#[test]
fn refs_lists_call_sites_with_their_callers() {
    let repo = Repo::new();
    repo.write(
        "a.py",
        "def helper():\n    pass\n\nclass K:\n    def m(self):\n        helper()\n\nhelper()\n",
    )
    .write("b.rs", "fn helper() {}\nfn main() {\n    helper();\n}\n");
    repo.commit_all("init");
    assert_eq!(
        repo.atse_ok(&["refs", "helper"]),
        "a.py:6:9: in K.m\na.py:8:1: at top level\nb.rs:3:5: in main\n"
    );
    let json = repo.atse_ok(&["refs", "--json", "--limit", "1", "helper"]);
    assert_eq!(
        json,
        "{\"caller\":\"K.m\",\"column\":9,\"line\":6,\"name\":\"helper\",\"path\":\"a.py\"}\n"
    );
    assert_eq!(repo.atse(&["refs", "nobody_calls_this"]).code, 1);

    // After a commit that removes the call, refs follows.
    repo.write("b.rs", "fn helper() {}\nfn main() {}\n");
    repo.commit_all("no call");
    assert_eq!(
        repo.atse_ok(&["refs", "helper"]),
        "a.py:6:9: in K.m\na.py:8:1: at top level\n"
    );
}

#[test]
fn bloom_filter_never_hides_a_defined_name() {
    let repo = Repo::new();
    repo.write("a.py", "def alpha():\n    pass\n");
    repo.commit_all("one");
    repo.atse_ok(&["update", "--quiet"]);
    let bloom = repo.atse_dir().join("bloom");
    assert!(bloom.exists(), "an update writes the filter");
    assert_eq!(repo.atse(&["grep-symbol", "NoSuchName"]).code, 1);
    // Names defined by later commits are found: the filter grows with the index.
    for i in 0..40 {
        repo.write(&format!("n{i}.py"), format!("def beta_{i}():\n    pass\n"));
        repo.commit_all(&format!("c{i}"));
        repo.atse_ok(&["update", "--quiet"]);
        assert_eq!(
            repo.atse_ok(&["grep-symbol", &format!("beta_{i}")]),
            format!("n{i}.py:1:5: function beta_{i}\n")
        );
    }
    // A rebuild from scratch rebuilds the filter too: it never keeps a stale one.
    repo.write("r.py", "def rebuilt_name():\n    pass\n");
    repo.commit_all("r");
    repo.atse_ok(&["update", "--quiet", "--full"]);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "rebuilt_name"]),
        "r.py:1:5: function rebuilt_name\n"
    );
    // A damaged filter is ignored, never trusted, and rewritten by the next update.
    let mut bytes = std::fs::read(&bloom).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&bloom, &bytes).unwrap();
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "alpha"]),
        "a.py:1:5: function alpha\n"
    );
    repo.write("z.py", "def gamma():\n    pass\n");
    repo.commit_all("z");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "gamma"]),
        "z.py:1:5: function gamma\n"
    );
    assert_ne!(std::fs::read(&bloom).unwrap(), bytes);
}

#[test]
fn graph_commands_on_an_unknown_file_say_so() {
    let repo = Repo::new();
    repo.write("a.py", "import os\n");
    repo.commit_all("init");
    let out = repo.atse(&["deps", "nope.py"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("nope.py: not an indexed file"),
        "{}",
        out.stderr
    );
    assert_eq!(repo.atse(&["deps", "a.py"]).code, 1);
    assert_eq!(
        repo.atse_ok(&["deps", "--external", "a.py"]),
        "os (external)\n"
    );
}

fn polyglot() -> Repo {
    let repo = Repo::new();
    repo.write("c/main.c", "#include \"util.h\"\n#include <stdio.h>\nint main(void) { return 0; }\n")
        .write("c/util.h", "#include \"deep.h\"\nint util(void);\n")
        .write("c/deep.h", "#define DEEP 1\n")
        .write("c/util.c", "#include \"util.h\"\nint util(void) { return 1; }\n")
        .write("py/pkg/__init__.py", "")
        .write("py/pkg/mod.py", "from . import helper\nimport os\n")
        .write("py/pkg/helper.py", "def h():\n    pass\n")
        .write("py/app.py", "from pkg import mod\n")
        .write("go.mod", "module example.com/m\n\ngo 1.21\n")
        .write("srv/server.go", "package srv\n\nfunc Serve() {}\n")
        .write("srv/server_test.go", "package srv\n")
        .write("cmd/main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/srv\"\n)\n\nfunc main() { fmt.Println(); srv.Serve() }\n")
        .write("web/app.js", "import { x } from './lib/x';\n")
        .write("web/lib/x.js", "export const x = 1;\n")
        .write("web/a.ts", "import { y } from './b';\n")
        .write("web/b.ts", "export const y = 2;\n")
        .write("java/com/ex/App.java", "package com.ex;\n\nimport com.ex.util.Helper;\n\npublic class App {}\n")
        .write("java/com/ex/util/Helper.java", "package com.ex.util;\n\npublic class Helper {}\n")
        .write("rs/src/lib.rs", "mod foo;\nuse crate::foo::bar;\n")
        .write("rs/src/foo.rs", "pub fn bar() {}\n");
    repo.commit_all("init");
    repo
}

#[test]
fn deps_resolve_imports_in_every_language() {
    let repo = polyglot();
    let cases = [
        ("c/main.c", "c/util.h\n"),
        ("c/util.c", "c/util.h\n"),
        ("py/pkg/mod.py", "py/pkg/helper.py\n"),
        ("py/app.py", "py/pkg/mod.py\n"),
        ("cmd/main.go", "srv/server.go\n"),
        ("web/app.js", "web/lib/x.js\n"),
        ("web/a.ts", "web/b.ts\n"),
        ("java/com/ex/App.java", "java/com/ex/util/Helper.java\n"),
        ("rs/src/lib.rs", "rs/src/foo.rs\n"),
    ];
    for (file, expected) in cases {
        let out = repo.atse(&["deps", file]);
        assert_eq!(out.stdout, expected, "deps {file}: {}", out.stderr);
        assert_eq!(out.code, 0);
    }
    assert_eq!(
        repo.atse_ok(&["deps", "--external", "c/main.c"]),
        "c/util.h\n<stdio.h> (external)\n"
    );
    assert_eq!(
        repo.atse_ok(&["deps", "--json", "--external", "py/pkg/mod.py"]),
        "{\"external\":false,\"path\":\"py/pkg/helper.py\"}\n{\"external\":true,\"import\":\"os\"}\n"
    );
    // Paths are taken, and printed, relative to the current directory, as git does;
    // JSON keeps repository paths.
    let in_c = |args: &[&str]| {
        let mut cmd = repo.cmd("git", args);
        cmd.current_dir(repo.path().join("c"));
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    assert_eq!(in_c(&["atse", "deps", "main.c"]), "util.h\n");
    assert_eq!(
        in_c(&["atse", "deps", "--json", "main.c"]),
        "{\"external\":false,\"path\":\"c/util.h\"}\n"
    );
    assert_eq!(in_c(&["atse", "rdeps", "../c/util.h"]), "main.c\nutil.c\n");
}

#[test]
fn rdeps_direct_transitive_and_depth() {
    let repo = polyglot();
    assert_eq!(repo.atse_ok(&["rdeps", "c/util.h"]), "c/main.c\nc/util.c\n");
    assert_eq!(repo.atse_ok(&["rdeps", "c/deep.h"]), "c/util.h\n");
    assert_eq!(
        repo.atse_ok(&["rdeps", "--transitive", "c/deep.h"]),
        "c/main.c\nc/util.c\nc/util.h\n"
    );
    assert_eq!(
        repo.atse_ok(&["rdeps", "--transitive", "--depth", "1", "c/deep.h"]),
        "c/util.h\n"
    );
    assert_eq!(
        repo.atse_ok(&["rdeps", "--transitive", "--json", "c/deep.h"]),
        "{\"depth\":2,\"path\":\"c/main.c\"}\n{\"depth\":2,\"path\":\"c/util.c\"}\n{\"depth\":1,\"path\":\"c/util.h\"}\n"
    );
    assert_eq!(repo.atse(&["rdeps", "c/main.c"]).code, 1);
    // --limit: exactly N lines on stdout, the note on stderr.
    let cut = repo.atse(&["rdeps", "--transitive", "--limit", "2", "c/deep.h"]);
    assert_eq!((cut.code, cut.stdout.as_str()), (0, "c/main.c\nc/util.c\n"));
    assert!(
        cut.stderr.contains("printed 2 of 3 (--limit 2)"),
        "{}",
        cut.stderr
    );
    let all = repo.atse(&["rdeps", "--transitive", "--limit", "3", "c/deep.h"]);
    assert_eq!(
        (all.stdout.as_str(), all.stderr.as_str()),
        ("c/main.c\nc/util.c\nc/util.h\n", "")
    );
    let none = repo.atse(&["rdeps", "--limit", "0", "c/util.h"]);
    assert_eq!(
        (none.code, none.stdout.as_str()),
        (0, ""),
        "found, none printed"
    );
    // deps: the files first, then the external imports, N in all.
    let one = repo.atse(&["deps", "--external", "--limit", "1", "c/main.c"]);
    assert_eq!(one.stdout, "c/util.h\n");
    assert!(
        one.stderr.contains("printed 1 of 2 (--limit 1)"),
        "{}",
        one.stderr
    );
}

#[test]
fn rank_puts_the_most_included_header_first() {
    let repo = Repo::new();
    repo.write("a.h", "int a;\n");
    for f in ["b.c", "c.c", "d.c"] {
        repo.write(f, "#include \"a.h\"\n");
    }
    repo.write("e.c", "#include \"b.h\"\n")
        .write("b.h", "int b;\n");
    repo.commit_all("init");
    let out = repo.atse_ok(&["rank", "--top", "2"]);
    let paths: Vec<&str> = out.lines().map(|l| l.split('\t').nth(1).unwrap()).collect();
    assert_eq!(paths, ["a.h", "b.h"], "{out}");
    let json = repo.atse_ok(&["rank", "--top", "1", "--json"]);
    assert!(json.starts_with("{\"path\":\"a.h\",\"score\":0."), "{json}");
}

#[test]
fn edges_follow_files_that_appear_disappear_and_move() {
    let repo = polyglot();
    // An import of a submodule that does not exist yet reaches its package (importing
    // pkg.later runs pkg/__init__.py)...
    repo.write("py/late.py", "import pkg.later\nimport notyet\n");
    repo.commit_all("late");
    assert_eq!(
        repo.atse_ok(&["deps", "--external", "py/late.py"]),
        "py/pkg/__init__.py\nnotyet (external)\n"
    );
    // ...until the module appears.
    repo.write("py/pkg/later.py", "X = 1\n")
        .write("py/notyet.py", "");
    repo.commit_all("later");
    assert_eq!(
        repo.atse_ok(&["deps", "py/late.py"]),
        "py/notyet.py\npy/pkg/later.py\n"
    );
    assert_graph_matches_full_rebuild(&repo);

    // The imported file moves away: the import no longer resolves.
    repo.git(&["mv", "web/lib/x.js", "web/lib/y.js"]);
    repo.commit_all("move");
    assert_eq!(repo.atse(&["deps", "web/app.js"]).code, 1);
    assert_eq!(repo.atse(&["rdeps", "web/lib/y.js"]).code, 1);
    // A TypeScript twin appears under the old name: it resolves again.
    repo.write("web/lib/x.ts", "export const x = 3;\n");
    repo.commit_all("twin");
    assert_eq!(repo.atse_ok(&["deps", "web/app.js"]), "web/lib/x.ts\n");
    assert_graph_matches_full_rebuild(&repo);

    // Deleting a header drops its edges; a new go.mod module path re-resolves Go imports.
    repo.remove("c/deep.h");
    repo.write("go.mod", "module example.com/other\n");
    repo.commit_all("delete and re-module");
    assert_eq!(repo.atse(&["deps", "c/util.h"]).code, 1);
    assert_eq!(repo.atse(&["deps", "cmd/main.go"]).code, 1);
    assert_graph_matches_full_rebuild(&repo);

    // Modifying a file redoes only its own edges, and its importers keep theirs.
    repo.write("c/util.h", "int util(void);\n#include \"main.c\"\n");
    repo.commit_all("modify");
    assert_eq!(repo.atse_ok(&["deps", "c/util.h"]), "c/main.c\n");
    assert_eq!(repo.atse_ok(&["rdeps", "c/util.h"]), "c/main.c\nc/util.c\n");
    assert_graph_matches_full_rebuild(&repo);
}

#[test]
fn a_damaged_graph_file_is_ignored_not_trusted() {
    let repo = polyglot();
    repo.atse_ok(&["update", "--quiet"]);
    let graph = repo.atse_dir().join("graph");
    assert!(graph.exists());
    let expected = repo.atse_ok(&["rdeps", "--transitive", "c/deep.h"]);
    let mut bytes = std::fs::read(&graph).unwrap();
    let at = bytes.len() - 20;
    bytes[at] ^= 0x55;
    std::fs::write(&graph, &bytes).unwrap();
    assert_eq!(
        repo.atse_ok(&["rdeps", "--transitive", "c/deep.h"]),
        expected
    );
    std::fs::write(&graph, b"garbage").unwrap();
    assert_eq!(
        repo.atse_ok(&["rdeps", "--transitive", "c/deep.h"]),
        expected
    );
    std::fs::remove_file(&graph).unwrap();
    assert_eq!(
        repo.atse_ok(&["rdeps", "--transitive", "c/deep.h"]),
        expected
    );
}

/// `rdeps --limit N` looks up only the paths that can be among the first N, and prints
/// exactly the first N lines of the whole answer, with importers added after the first
/// index among them.
#[test]
fn rdeps_limit_prints_the_first_importers_in_path_order() {
    let repo = Repo::new();
    repo.write("core.py", "def base():\n    pass\n");
    for d in ["b", "b/x", "d"] {
        repo.write(&format!("{d}/m.py"), "import core\n");
    }
    repo.commit_all("first");
    repo.atse_ok(&["update", "--quiet"]);
    for d in ["a", "c", "e"] {
        repo.write(&format!("{d}/m.py"), "import core\n");
    }
    repo.commit_all("more");
    let all = repo.atse_ok(&["rdeps", "core.py"]);
    assert_eq!(all, "a/m.py\nb/m.py\nb/x/m.py\nc/m.py\nd/m.py\ne/m.py\n");
    for n in 0..=7 {
        let cut = repo.atse(&["rdeps", "--limit", &n.to_string(), "core.py"]);
        let want = crate::util::first_lines(&all, n);
        assert_eq!(cut.stdout, want, "--limit {n}");
        assert_eq!(
            cut.stderr.contains("printed"),
            n < 6,
            "--limit {n}: {}",
            cut.stderr
        );
    }
}
