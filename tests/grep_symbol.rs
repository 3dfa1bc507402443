//! `git atse grep-symbol`: exact output in every format, filters, exit codes.

use crate::util::Repo;

fn polyglot() -> Repo {
    let repo = Repo::new();
    repo.write(
        "src/cli.py",
        "import argparse\n\nclass Parser:\n    def parse_args(self, argv):\n        return helper(argv)\n\n    class Inner:\n        def parse_args(self):\n            pass\n\ndef parse_args(argv):\n    return Parser().parse_args(argv)\n",
    )
    .write(
        "src/lib.rs",
        "pub struct Parser { pos: usize }\n\nimpl Parser {\n    pub fn parse_args(&self) {}\n}\n\npub trait Parse {\n    fn parse(&self);\n}\n\nmod inner {\n    pub enum Mode { A, B }\n}\n",
    )
    .write(
        "cmd/main.go",
        "package main\n\nimport \"fmt\"\n\ntype Server struct{ n int }\n\nfunc (s *Server) Serve() { fmt.Println(s.n) }\n\nfunc main() {}\n",
    )
    .write(
        "web/app.js",
        "import x from './x.js';\nclass Widget {\n  render() { return draw(); }\n}\nfunction draw() {}\n",
    )
    .write(
        "web/types.ts",
        "export interface Shape { area(): number; }\nexport class Circle implements Shape {\n  area(): number { return 1; }\n}\n",
    )
    .write(
        "web/view.tsx",
        "export function View() { return <div/>; }\n",
    )
    .write(
        "c/util.c",
        "#include <stdio.h>\n#include \"util.h\"\n\nstruct point { int x; };\n\nint add(int a, int b) { return a + b; }\n",
    )
    .write(
        "c/util.h",
        "namespace geo {\nclass Shape {\npublic:\n  int area() const;\n};\n}\nint geo::Shape::area() const { return 0; }\n",
    )
    .write(
        "java/App.java",
        "package demo;\n\npublic class App {\n  public App() {}\n  void run() {}\n  void run(int n) {}\n  static class Nested { void run() {} }\n}\n",
    );
    repo.commit_all("init");
    repo
}

#[test]
fn exact_match_prints_definitions_sorted_by_path_then_line() {
    let repo = polyglot();
    let out = repo.atse(&["grep-symbol", "parse_args"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "src/cli.py:4:9: method parse_args (in Parser)\n\
         src/cli.py:8:13: method parse_args (in Inner)\n\
         src/cli.py:11:5: function parse_args\n\
         src/lib.rs:4:12: method parse_args (in Parser)\n"
    );
}

#[test]
fn every_language_is_indexed() {
    let repo = polyglot();
    let cases = [
        ("Server", "cmd/main.go:5:6: struct Server\n"),
        ("Serve", "cmd/main.go:7:18: method Serve (in Server)\n"),
        ("Widget", "web/app.js:2:7: class Widget\n"),
        ("render", "web/app.js:3:3: method render (in Widget)\n"),
        (
            "Shape",
            "c/util.h:2:7: class Shape (in geo)\nweb/types.ts:1:18: interface Shape\n",
        ),
        ("Circle", "web/types.ts:2:14: class Circle\n"),
        ("View", "web/view.tsx:1:17: function View\n"),
        ("add", "c/util.c:6:5: function add\n"),
        ("point", "c/util.c:4:8: struct point\n"),
        ("Parse", "src/lib.rs:7:11: trait Parse\n"),
        ("Mode", "src/lib.rs:12:14: enum Mode (in inner)\n"),
        (
            "App",
            "java/App.java:3:14: class App\njava/App.java:4:10: constructor App (in App)\n",
        ),
    ];
    for (name, expected) in cases {
        let out = repo.atse(&["grep-symbol", name]);
        assert_eq!(out.stdout, expected, "grep-symbol {name}: {}", out.stderr);
        assert_eq!(out.code, 0);
    }
}

#[test]
fn overloads_and_nested_classes_are_all_listed() {
    let repo = polyglot();
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "run"]),
        "java/App.java:5:8: method run (in App)\n\
         java/App.java:6:8: method run (in App)\n\
         java/App.java:7:30: method run (in Nested)\n"
    );
    // An out-of-class C++ definition names its class.
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "area", "--lang", "cpp"]),
        "c/util.h:4:7: method area (in Shape)\nc/util.h:7:17: method area (in Shape)\n"
    );
}

#[test]
fn json_lines_have_every_key() {
    let repo = polyglot();
    let out = repo.atse_ok(&["grep-symbol", "--json", "Parser"]);
    assert_eq!(
        out,
        "{\"column\":7,\"container\":null,\"end_column\":17,\"end_line\":9,\"kind\":\"class\",\"lang\":\"python\",\"line\":3,\"name\":\"Parser\",\"path\":\"src/cli.py\"}\n\
         {\"column\":12,\"container\":null,\"end_column\":33,\"end_line\":1,\"kind\":\"struct\",\"lang\":\"rust\",\"line\":1,\"name\":\"Parser\",\"path\":\"src/lib.rs\"}\n\
         {\"column\":6,\"container\":null,\"end_column\":2,\"end_line\":5,\"kind\":\"impl\",\"lang\":\"rust\",\"line\":3,\"name\":\"Parser\",\"path\":\"src/lib.rs\"}\n"
    );
}

#[test]
fn ctags_format_and_kind_filter() {
    let repo = polyglot();
    assert_eq!(
        repo.atse_ok(&[
            "grep-symbol",
            "--format",
            "ctags",
            "--kind",
            "method",
            "parse_args"
        ]),
        "parse_args\tsrc/cli.py\t4;\"\tmethod\tline:4\tclass:Parser\n\
         parse_args\tsrc/cli.py\t8;\"\tmethod\tline:8\tclass:Inner\n\
         parse_args\tsrc/lib.rs\t4;\"\tmethod\tline:4\timpl:Parser\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--kind", "struct,impl", "Parser"]),
        "src/lib.rs:1:12: struct Parser\nsrc/lib.rs:3:6: impl Parser\n"
    );
}

#[test]
fn prefix_ignore_case_lang_and_limit() {
    let repo = polyglot();
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--prefix", "pars"]),
        "src/cli.py:4:9: method parse_args (in Parser)\n\
         src/cli.py:8:13: method parse_args (in Inner)\n\
         src/cli.py:11:5: function parse_args\n\
         src/lib.rs:4:12: method parse_args (in Parser)\n\
         src/lib.rs:8:8: method parse (in Parse)\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "-i", "PARSER"]),
        "src/cli.py:3:7: class Parser\nsrc/lib.rs:1:12: struct Parser\nsrc/lib.rs:3:6: impl Parser\n"
    );
    assert_eq!(
        repo.atse_ok(&[
            "grep-symbol",
            "-i",
            "--prefix",
            "PARSE",
            "--lang",
            "rust",
            "--limit",
            "2"
        ]),
        "src/lib.rs:1:12: struct Parser\nsrc/lib.rs:3:6: impl Parser\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--limit", "1", "parse_args"]),
        "src/cli.py:4:9: method parse_args (in Parser)\n"
    );
}

#[test]
fn prefixes_match_names_of_every_case_and_script() {
    // Names are found through their lower case: a prefix must still match exactly, and a
    // non-ASCII one (whose lower case need not start the name's: a final sigma) too.
    let repo = Repo::new();
    repo.write(
        "u.py",
        "def \u{3a3}\u{391}\u{3a3}():\n    pass\n\ndef \u{c9}t\u{e9}():\n    pass\n\ndef getX():\n    pass\n\ndef GetY():\n    pass\n",
    );
    repo.commit_all("unicode");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--prefix", "\u{3a3}\u{391}"]),
        "u.py:1:5: function \u{3a3}\u{391}\u{3a3}\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--prefix", "\u{c9}t"]),
        "u.py:4:5: function \u{c9}t\u{e9}\n"
    );
    assert_eq!(repo.atse(&["grep-symbol", "--prefix", "\u{e9}t"]).code, 1);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "-i", "--prefix", "\u{e9}T"]),
        "u.py:4:5: function \u{c9}t\u{e9}\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--prefix", "get"]),
        "u.py:7:5: function getX\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "-i", "--prefix", "GET"]),
        "u.py:7:5: function getX\nu.py:10:5: function GetY\n"
    );
}

#[test]
fn exit_codes_follow_grep() {
    let repo = polyglot();
    let miss = repo.atse(&["grep-symbol", "NoSuchName"]);
    assert_eq!((miss.code, miss.stdout.as_str()), (1, ""));
    let bad_kind = repo.atse(&["grep-symbol", "--kind", "functoin", "x"]);
    assert_eq!(bad_kind.code, 2);
    assert!(
        bad_kind.stderr.contains("unknown kind 'functoin'"),
        "{}",
        bad_kind.stderr
    );
    let bad_lang = repo.atse(&["grep-symbol", "--lang", "cobol", "x"]);
    assert_eq!(bad_lang.code, 2);
    assert!(
        bad_lang.stderr.contains("unknown language 'cobol'"),
        "{}",
        bad_lang.stderr
    );
}

#[test]
fn color_always_paints_like_git_grep() {
    let repo = polyglot();
    let out = repo.atse_ok(&["grep-symbol", "--color=always", "add"]);
    assert_eq!(
        out,
        "\x1b[35mc/util.c\x1b[m\x1b[36m:\x1b[m\x1b[32m6\x1b[m\x1b[36m:\x1b[m\x1b[32m5\x1b[m\x1b[36m:\x1b[m function \x1b[1;31madd\x1b[m\n"
    );
    // git's conventions: color.ui, then NO_COLOR over it, --color over both.
    let plain = "c/util.c:6:5: function add\n";
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "add"]),
        plain,
        "a pipe: auto is off"
    );
    repo.git(&["config", "color.ui", "always"]);
    assert_eq!(repo.atse_ok(&["grep-symbol", "add"]), out);
    let no_color = repo
        .cmd("git", &["atse", "grep-symbol", "add"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&no_color.stdout), plain);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--color=never", "add"]),
        plain
    );
    repo.git(&["config", "color.atse", "never"]);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "add"]),
        plain,
        "color.atse first"
    );
}

#[test]
fn no_update_answers_from_the_index_as_it_is() {
    let repo = polyglot();
    repo.atse_ok(&["update", "--quiet"]);
    repo.write("src/new.py", "def brand_new():\n    pass\n");
    repo.commit_all("add");
    let stale = repo.atse(&["grep-symbol", "--no-update", "brand_new"]);
    assert_eq!(stale.code, 1);
    // Without --no-update the query catches up with HEAD first.
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "brand_new"]),
        "src/new.py:1:5: function brand_new\n"
    );
}

#[test]
fn no_update_without_an_index_says_what_to_do() {
    let repo = polyglot();
    let out = repo.atse(&["grep-symbol", "--no-update", "Parser"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("run `git atse update`"),
        "{}",
        out.stderr
    );
}

#[test]
fn works_from_a_subdirectory_and_in_a_bare_repository() {
    let repo = polyglot();
    // From a subdirectory, paths are relative to it, as `git grep` prints them; JSON
    // keeps repository paths.
    let in_dir = |dir: &str, args: &[&str]| {
        let mut cmd = repo.cmd("git", args);
        cmd.current_dir(repo.path().join(dir));
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    assert_eq!(
        in_dir("src", &["atse", "grep-symbol", "add"]),
        "../c/util.c:6:5: function add\n"
    );
    assert_eq!(
        in_dir("c", &["atse", "grep-symbol", "add"]),
        "util.c:6:5: function add\n"
    );
    assert!(
        in_dir("src", &["atse", "grep-symbol", "--json", "add"]).contains("\"path\":\"c/util.c\"")
    );
    assert!(
        in_dir("src", &["atse", "grep-symbol", "--format", "ctags", "add"])
            .contains("\tc/util.c\t"),
        "tags lines keep repository paths"
    );

    let bare = repo.tmp().join("bare.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    let mut cmd = repo.cmd("git", &["atse", "grep-symbol", "add"]);
    cmd.current_dir(&bare);
    let out = cmd.output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "c/util.c:6:5: function add\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(bare.join("atse").join("index.redb").exists());
}

#[test]
fn rev_indexes_another_commit() {
    let repo = polyglot();
    let first = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.write("src/later.py", "def later():\n    pass\n");
    repo.commit_all("later");
    repo.atse_ok(&["update", "--quiet", "--rev", &first]);
    assert_eq!(repo.atse(&["grep-symbol", "--no-update", "later"]).code, 1);
    let status = repo.atse_ok(&["status", "--json", "--no-update"]);
    assert!(
        status.contains(&format!("\"indexed_commit\":\"{first}\"")),
        "{status}"
    );
    assert!(status.contains("\"current\":false"), "{status}");
}

#[test]
fn status_prints_human_sizes_and_times_and_json_exact_numbers() {
    let repo = polyglot();
    repo.atse_ok(&["update", "--quiet"]);
    let text = repo.atse_ok(&["status"]);
    let size = text
        .lines()
        .find(|l| l.starts_with("size on disk:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        size.contains(" KiB (index ") || size.contains(" MiB (index "),
        "{size}"
    );
    assert!(!size.contains("bytes"), "{size}");
    let last = text
        .lines()
        .find(|l| l.starts_with("last update:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        last.contains(" ms, just now (") && last.ends_with(" UTC)"),
        "{last}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json"])).unwrap();
    assert!(json["bytes"].as_u64().unwrap() > 1024, "{json}");
    assert!(json["update_ms"].is_u64(), "{json}");
}

/// Asserts that `grep-symbol ARGS --limit N` prints the first N lines of `all` (the answer
/// without a limit), for each N of `ns`.
fn assert_limits_cut(repo: &Repo, args: &[&str], all: &str, ns: &[usize]) {
    for &n in ns {
        let limit = n.to_string();
        let mut with_limit = vec!["grep-symbol", "--limit", &limit];
        with_limit.extend_from_slice(args);
        let cut = repo.atse_ok(&with_limit);
        assert_eq!(
            cut,
            crate::util::first_lines(all, n),
            "{args:?} --limit {n}"
        );
    }
}

/// `--prefix` reads the postings of every matching name in one pass and leaves a name once
/// its next posting cannot be among the first N. A name defined in 30 files, 30 names
/// defined once, files added later between them by path, and a kind filter: `--limit N`
/// prints exactly the first N lines of the whole answer.
#[test]
fn prefix_limits_print_the_first_lines_of_many_names() {
    let repo = Repo::new();
    for i in 0..30 {
        repo.write(
            &format!("m{i:02}.py"),
            format!("def get():\n    pass\nclass Get{i}:\n    pass\ndef get_{i}():\n    pass\n"),
        );
    }
    repo.commit_all("first");
    repo.atse_ok(&["update", "--quiet"]);
    for path in ["a.py", "m05b.py", "z.py"] {
        repo.write(path, "def get():\n    pass\ndef getter():\n    pass\n");
    }
    repo.commit_all("more");
    let all = repo.atse_ok(&["grep-symbol", "--prefix", "get"]);
    assert_eq!(all.lines().count(), 33 + 30 + 3, "{all}");
    let paths = crate::util::paths_of(&all);
    assert!(paths.windows(2).all(|w| w[0] <= w[1]), "{all}");
    assert!(
        all.starts_with("a.py:1:5: function get\na.py:3:5: function getter\n"),
        "{all}"
    );
    assert_limits_cut(
        &repo,
        &["--prefix", "get"],
        &all,
        &[1, 2, 3, 4, 5, 17, 20, 40, 65, 66, 70],
    );
    let classes = repo.atse_ok(&["grep-symbol", "--prefix", "--kind", "class", "Get"]);
    assert_eq!(classes.lines().count(), 30, "{classes}");
    assert_limits_cut(
        &repo,
        &["--prefix", "--kind", "class", "Get"],
        &classes,
        &[1, 7, 30],
    );
    // Either case: `get` and `Get` are read as two exact prefixes and merged.
    let any_case = repo.atse_ok(&["grep-symbol", "-i", "--prefix", "GET"]);
    assert_eq!(any_case.lines().count(), 66 + 30, "{any_case}");
    assert_limits_cut(
        &repo,
        &["-i", "--prefix", "GET"],
        &any_case,
        &[1, 3, 31, 96],
    );
}

/// Files added after the first index get later ids than files beside them in path order;
/// every lookup still prints in path order, and `--limit N` prints exactly the first N.
#[test]
fn limits_print_the_first_lines_in_path_order_after_files_are_added() {
    let repo = Repo::new();
    // Nested and top-level files: a breadth-first walk would number b0.py before
    // b/x/y/m.py, which comes first by path.
    for d in ["b", "b/x/y", "d", "f"] {
        repo.write(
            &format!("{d}/m.py"),
            "def hot():\n    pass\ndef Hot_b():\n    pass\n",
        );
    }
    repo.write("b0.py", "def hot():\n    pass\n");
    repo.commit_all("first");
    repo.atse_ok(&["update", "--quiet"]);
    // Added later, between and around the first files by path.
    for d in ["a", "c", "e", "g"] {
        repo.write(
            &format!("{d}/m.py"),
            "def hot():\n    pass\ndef hot_c():\n    pass\n",
        );
    }
    repo.commit_all("more");
    let all = repo.atse_ok(&["grep-symbol", "hot"]);
    let paths = crate::util::paths_of(&all);
    assert_eq!(
        paths,
        [
            "a/m.py",
            "b/m.py",
            "b/x/y/m.py",
            "b0.py",
            "c/m.py",
            "d/m.py",
            "e/m.py",
            "f/m.py",
            "g/m.py"
        ],
        "{all}"
    );
    assert_limits_cut(&repo, &["hot"], &all, &[1, 2, 3, 4, 5, 7, 9, 11]);
    // Several names: the first N of their merged order.
    let all = repo.atse_ok(&["grep-symbol", "-i", "--prefix", "hot"]);
    assert_eq!(all.lines().count(), 9 + 4 + 4, "{all}");
    assert_limits_cut(&repo, &["-i", "--prefix", "hot"], &all, &[1, 4, 10]);
    // A rebuild numbers every file in path order again: the same answers.
    repo.atse_ok(&["update", "--full", "--quiet"]);
    assert_eq!(repo.atse_ok(&["grep-symbol", "-i", "--prefix", "hot"]), all);
    // Uncommitted edits: the limit cuts the merged order of the index and the edits.
    repo.write("a/m.py", "def hot_w():\n    pass\n");
    repo.write("c/m.py", "x = 1\n");
    repo.write("a0.py", "def HOT():\n    pass\n");
    let wt = repo.atse_ok(&["grep-symbol", "--worktree", "-i", "--prefix", "hot"]);
    assert_eq!(
        crate::util::paths_of(&wt)[..3],
        ["a/m.py", "a0.py", "b/m.py"],
        "{wt}"
    );
    assert_eq!(wt.lines().count(), 17 - 2 - 2 + 2, "{wt}");
    for n in [1, 2, 3, 6] {
        let cut = repo.atse_ok(&[
            "grep-symbol",
            "--worktree",
            "-i",
            "--prefix",
            "--limit",
            &n.to_string(),
            "hot",
        ]);
        assert_eq!(cut, crate::util::first_lines(&wt, n), "--limit {n}");
    }
}

/// `refs --limit N` reads the calling files in path order and stops: the first N lines of
/// the whole answer, with files added after the first index among them.
#[test]
fn refs_limits_print_the_first_calls_in_path_order() {
    let repo = Repo::new();
    for d in ["b", "b/x/y", "d"] {
        repo.write(
            &format!("{d}/m.py"),
            "def f():\n    helper()\n    helper()\n",
        );
    }
    repo.commit_all("first");
    repo.atse_ok(&["update", "--quiet"]);
    for d in ["a", "c", "e"] {
        repo.write(&format!("{d}/m.py"), "def g():\n    helper()\n");
    }
    repo.commit_all("more");
    let all = repo.atse_ok(&["refs", "helper"]);
    let paths = crate::util::paths_of(&all);
    assert_eq!(
        paths,
        [
            "a/m.py",
            "b/m.py",
            "b/m.py",
            "b/x/y/m.py",
            "b/x/y/m.py",
            "c/m.py",
            "d/m.py",
            "d/m.py",
            "e/m.py"
        ],
        "{all}"
    );
    for n in [1, 2, 3, 6, 9, 12] {
        let cut = repo.atse_ok(&["refs", "--limit", &n.to_string(), "helper"]);
        let want = crate::util::first_lines(&all, n);
        assert_eq!(cut, want, "--limit {n}");
    }
    // An uncommitted file among them, by path.
    repo.write("bb.py", "def h():\n    helper()\n");
    let wt = repo.atse_ok(&["refs", "--worktree", "--limit", "6", "helper"]);
    let paths = crate::util::paths_of(&wt);
    assert_eq!(
        paths,
        [
            "a/m.py",
            "b/m.py",
            "b/m.py",
            "b/x/y/m.py",
            "b/x/y/m.py",
            "bb.py"
        ],
        "{wt}"
    );
}
