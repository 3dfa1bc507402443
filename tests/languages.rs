//! The languages added after the first eight (C#, Ruby, PHP, Kotlin, Swift, Scala, Lua,
//! shell) through the CLI: detection, names as spelled, bad input, and imports that follow
//! the tree as it changes, incrementally as a fresh index would.

use crate::util::{assert_graph_matches_full_rebuild, Repo};

fn polyglot() -> Repo {
    let repo = Repo::new();
    repo.write(
        "php/composer.json",
        r#"{"autoload": {"psr-4": {"App\\": "src/"}}}"#,
    )
    .write("php/src/Http/Kernel.php", "<?php\nnamespace App\\Http;\n\nuse App\\Models\\User;\n\nclass Kernel {}\n")
    .write("php/src/Models/User.php", "<?php\nnamespace App\\Models;\n\nclass User {}\n")
    .write("php/public/index.php", "<?php\nrequire __DIR__ . '/../src/Http/Kernel.php';\n")
    .write("rb/lib/rack.rb", "require \"rack/utils\"\nmodule Rack; end\n")
    .write("rb/lib/rack/utils.rb", "module Rack\n  module Utils\n    def self.escape(s) = s\n  end\nend\n")
    .write("rb/test/spec_rack.rb", "require_relative \"helper\"\n")
    .write("cs/Acme.Core/Service.cs", "namespace Acme.Core;\npublic class Service {}\n")
    .write("cs/Acme.App/Program.cs", "using Acme.Core;\nnamespace Acme.App;\nclass Program {}\n")
    .write("kt/src/main/kotlin/com/acme/core/Service.kt", "package com.acme.core\n\nclass Service\n")
    .write("kt/src/main/kotlin/com/acme/app/App.kt", "package com.acme.app\n\nimport com.acme.core.Service\nimport com.acme.core.helper\n\nfun main() {}\n")
    .write("scala/src/main/scala/cats/Functor.scala", "package cats\n\ntrait Functor\n")
    .write("scala/src/main/scala/cats/syntax/all.scala", "package cats.syntax\n\nimport cats.Functor\n")
    .write("swift/Sources/Net/Session.swift", "public class Session {}\n")
    .write("swift/Tests/NetTests/SessionTests.swift", "import XCTest\nimport Net\n")
    .write("lua/app/init.lua", "local util = require(\"app.util\")\nlocal M = {}\nfunction M.start() util.go() end\nfunction M:stop() end\nreturn M\n")
    .write("lua/app/util.lua", "local U = {}\nfunction U.go() end\nreturn U\n")
    .write("sh/run.sh", "#!/bin/sh\n. \"$(dirname \"$0\")/lib.sh\"\nmain() { helper; }\n")
    .write("sh/lib.sh", "helper() { echo hi; }\n");
    repo.commit_all("init");
    repo
}

#[test]
fn deps_resolve_imports_in_every_new_language() {
    let repo = polyglot();
    let cases = [
        ("php/src/Http/Kernel.php", "php/src/Models/User.php\n"),
        ("php/public/index.php", "php/src/Http/Kernel.php\n"),
        ("rb/lib/rack.rb", "rb/lib/rack/utils.rb\n"),
        ("cs/Acme.App/Program.cs", "cs/Acme.Core/Service.cs\n"),
        (
            "kt/src/main/kotlin/com/acme/app/App.kt",
            "kt/src/main/kotlin/com/acme/core/Service.kt\n",
        ),
        (
            "scala/src/main/scala/cats/syntax/all.scala",
            "scala/src/main/scala/cats/Functor.scala\n",
        ),
        (
            "swift/Tests/NetTests/SessionTests.swift",
            "swift/Sources/Net/Session.swift\n",
        ),
        ("lua/app/init.lua", "lua/app/util.lua\n"),
        ("sh/run.sh", "sh/lib.sh\n"),
    ];
    for (file, expected) in cases {
        let out = repo.atse(&["deps", file]);
        assert_eq!(out.stdout, expected, "deps {file}: {}", out.stderr);
    }
    // Not in the repository yet: external.
    assert_eq!(
        repo.atse_ok(&["deps", "--external", "rb/test/spec_rack.rb"]),
        "./helper (external)\n"
    );
}

#[test]
fn imports_follow_new_files_and_composer_json() {
    let repo = polyglot();
    repo.atse_ok(&["update", "--quiet"]);
    // The required file appears; a second file joins the C# namespace and the Kotlin
    // package (which now holds the imported top-level function).
    repo.write("rb/test/helper.rb", "def helper = 1\n")
        .write(
            "cs/Acme.Core/Repo.cs",
            "namespace Acme.Core;\nclass Repo {}\n",
        )
        .write(
            "kt/src/main/kotlin/com/acme/core/Util.kt",
            "package com.acme.core\n\nfun helper() {}\n",
        );
    repo.commit_all("new files");
    assert_eq!(
        repo.atse_ok(&["deps", "rb/test/spec_rack.rb"]),
        "rb/test/helper.rb\n"
    );
    assert_eq!(
        repo.atse_ok(&["deps", "cs/Acme.App/Program.cs"]),
        "cs/Acme.Core/Repo.cs\ncs/Acme.Core/Service.cs\n"
    );
    assert_eq!(
        repo.atse_ok(&["deps", "kt/src/main/kotlin/com/acme/app/App.kt"]),
        "kt/src/main/kotlin/com/acme/core/Service.kt\nkt/src/main/kotlin/com/acme/core/Util.kt\n"
    );
    assert_graph_matches_full_rebuild(&repo);

    // composer.json maps the models' namespace to a directory no path suffix finds:
    // PSR-4 follows it.
    repo.write(
        "php/composer.json",
        r#"{"autoload": {"psr-4": {"App\\": "src/", "App\\Models\\": "models/"}}}"#,
    );
    repo.git(&["mv", "php/src/Models", "php/models"]);
    repo.commit_all("psr-4 for the models");
    assert_eq!(
        repo.atse_ok(&["deps", "php/src/Http/Kernel.php"]),
        "php/models/User.php\n"
    );
    assert_graph_matches_full_rebuild(&repo);

    // A Lua module and a sourced script disappear.
    repo.remove("lua/app/util.lua").remove("sh/lib.sh");
    repo.commit_all("remove");
    assert_eq!(repo.atse(&["deps", "lua/app/init.lua"]).code, 1);
    assert_eq!(repo.atse(&["deps", "sh/run.sh"]).code, 1);
    assert_graph_matches_full_rebuild(&repo);
}

#[test]
fn names_as_the_language_spells_them() {
    let repo = polyglot();
    repo.write(
        "rb/lib/list.rb",
        "class List\n  def empty?; end\n  def save!; end\n  def name=(v); end\nend\n",
    );
    repo.commit_all("ruby names");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "empty?"]),
        "rb/lib/list.rb:2:7: method empty? (in List)\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "name="]),
        "rb/lib/list.rb:4:7: method name= (in List)\n"
    );
    // Lua: `function M.start()` is `start` in `M`, found by either name.
    let start = "lua/app/init.lua:3:12: function start (in M)\n";
    assert_eq!(repo.atse_ok(&["grep-symbol", "start"]), start);
    assert_eq!(repo.atse_ok(&["grep-symbol", "M.start"]), start);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "M:stop"]),
        "lua/app/init.lua:4:12: method stop (in M)\n"
    );
    // The qualifier must name the container.
    assert_eq!(repo.atse(&["grep-symbol", "U.start"]).code, 1);
    assert_eq!(
        repo.atse(&["grep-symbol", "--limit", "0", "M.start"]).code,
        1
    );
    // Ruby's `A::b` spelling works the same way.
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "Utils::escape"]),
        "rb/lib/rack/utils.rb:3:14: method escape (in Utils)\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--lang", "sh", "helper"]),
        "sh/lib.sh:1:1: function helper\n"
    );
}

#[test]
fn scripts_by_name_and_shebang_broken_and_huge_files() {
    let repo = Repo::new();
    let mut huge = String::new();
    while huge.len() < 40_000 {
        huge.push_str("filler() { :; }\n");
    }
    repo.write(
        "bin/deploy",
        "#!/usr/bin/env bash\ndeploy_all() {\n  :\n}\n",
    )
    .write("bin/tool", "#!/usr/bin/env ruby\ndef tool_main; end\n")
    .write("Rakefile", "def rake_helper; end\n")
    .write("huge.sh", &huge)
    .write(
        "broken.rb",
        "def ok_before; end\nclass Broken <\n  def inside(\nend\ndef ok_after; end\n",
    )
    .write(
        "broken.cs",
        "class A { void OkBefore() {} }\nclass B { void Broken( }\nclass C { void OkAfter() {} }\n",
    )
    .write(
        "broken.swift",
        "func okBefore() {}\nstruct S { var x: = }\nfunc okAfter() {}\n",
    )
    .write(
        "broken.lua",
        "function lua_before() end\nlocal x = = 1\nfunction lua_after() end\n",
    )
    .write(
        "broken.php",
        "<?php\nfunction php_before() {}\nclass { function (\nfunction php_after() {}\n",
    )
    .write(
        "broken.scala",
        "object A { def scalaBefore = 1 }\nclass ( {\nobject B { def scalaAfter = 2 }\n",
    )
    .write(
        "broken.sh",
        "sh_before() { :; }\nif [ ; then\nsh_after() { :; }\n",
    )
    .write(
        "broken.kt",
        "fun ktBefore() {}\nval s = \"open\nfun ktAfter() {}\n",
    )
    .write("bin.kt", b"fun hidden() {}\n\0\0".as_slice());
    repo.commit_all("scripts and bad files");
    repo.git(&["config", "atse.maxFileSize", "20000"]);
    let out = repo.atse(&["update"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("2 skipped"), "{}", out.stderr);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "deploy_all"]),
        "bin/deploy:2:1: function deploy_all\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "tool_main"]),
        "bin/tool:2:5: method tool_main\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "rake_helper"]),
        "Rakefile:1:5: method rake_helper\n"
    );
    assert_eq!(repo.atse(&["grep-symbol", "filler"]).code, 1, "too large");
    assert_eq!(repo.atse(&["grep-symbol", "hidden"]).code, 1, "binary");
    // What tree-sitter recovers around a syntax error is kept.
    for (file, before, after) in [
        ("broken.rb", "ok_before", "ok_after"),
        ("broken.cs", "OkBefore", "OkAfter"),
        ("broken.swift", "okBefore", "okAfter"),
        ("broken.lua", "lua_before", "lua_after"),
        ("broken.php", "php_before", "php_after"),
        ("broken.scala", "scalaBefore", "scalaAfter"),
        ("broken.sh", "sh_before", "sh_after"),
        ("broken.kt", "ktBefore", "ktAfter"),
    ] {
        for name in [before, after] {
            let out = repo.atse(&["grep-symbol", name]);
            assert!(
                out.stdout.starts_with(file),
                "{name} in {file}: {}",
                out.stdout
            );
        }
    }
}
