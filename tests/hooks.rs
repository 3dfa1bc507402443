//! The hooks keep the index in step through every git operation; operations that run no
//! hook are caught up by the next query. After each step the index must equal one built
//! from scratch for the same tree.

use std::path::Path;

use crate::util::Repo;

/// The index's tags as they are (no catch-up), and the tags of a fresh full index of
/// HEAD's tree built in another directory.
fn assert_current_and_exact(repo: &Repo, step: &str) {
    let status: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json", "--no-update"])).unwrap();
    assert_eq!(
        status["current"], true,
        "after {step}, the hooks left the index behind: {status}"
    );
    let incremental = repo.atse_ok(&["tags", "--no-update"]);
    assert_eq!(
        incremental,
        repo.fresh_index_tags(),
        "after {step}, the index differs from a full rebuild"
    );
}

fn installed() -> Repo {
    let repo = Repo::new();
    repo.write("lib.py", "def base():\n    pass\n");
    repo.commit_all("init");
    let out = repo.atse(&["install"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    repo
}

#[test]
fn install_puts_hooks_in_place_and_indexes_head() {
    let repo = installed();
    for hook in ["post-commit", "post-checkout", "post-merge", "post-rewrite"] {
        let path = repo.path().join(".git/hooks").join(hook);
        let meta = std::fs::metadata(&path).unwrap();
        assert!(
            std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o111 != 0,
            "{hook} not executable"
        );
    }
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "base"]),
        "lib.py:1:5: function base\n"
    );
    // Installing twice changes nothing.
    let before = std::fs::read(repo.path().join(".git/hooks/post-commit")).unwrap();
    let out = repo.atse_ok(&["install", "--no-index"]);
    assert!(out.contains("post-commit: already installed"), "{out}");
    assert_eq!(
        std::fs::read(repo.path().join(".git/hooks/post-commit")).unwrap(),
        before
    );
}

#[test]
fn hooks_follow_commit_amend_checkout_merge_rebase_cherry_pick() {
    let repo = installed();

    repo.write("a.py", "def alpha():\n    pass\n");
    repo.commit_all("commit");
    assert_current_and_exact(&repo, "commit");

    repo.write("a.py", "def alpha2():\n    pass\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "-m", "amended"]);
    assert_current_and_exact(&repo, "commit --amend");

    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("t.rs", "fn topic_fn() {}\n");
    repo.commit_all("topic");
    repo.git(&["checkout", "-q", "main"]);
    assert_current_and_exact(&repo, "checkout main");
    assert_eq!(
        repo.atse(&["grep-symbol", "--no-update", "topic_fn"]).code,
        1
    );

    // A single-file checkout moves no HEAD: the index stays as it is (and is still exact).
    repo.git(&["checkout", "-q", "topic", "--", "t.rs"]);
    repo.git(&["reset", "-q", "--hard"]);

    repo.git(&["merge", "-q", "--ff-only", "topic"]);
    assert_current_and_exact(&repo, "fast-forward merge");

    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    repo.write("s.go", "package s\n\nfunc Side() {}\n");
    repo.commit_all("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    assert_current_and_exact(&repo, "true merge");

    repo.git(&["checkout", "-q", "-b", "rb", "HEAD~2"]);
    repo.write("r.py", "def rebased():\n    pass\n");
    repo.commit_all("to rebase");
    repo.git(&["rebase", "-q", "main"]);
    assert_current_and_exact(&repo, "rebase");

    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["cherry-pick", "rb"]);
    assert_current_and_exact(&repo, "cherry-pick");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "rebased"]),
        "r.py:1:5: function rebased\n"
    );
}

#[test]
fn conflicted_merge_then_resolved() {
    let repo = installed();
    repo.git(&["checkout", "-q", "-b", "other"]);
    repo.write("lib.py", "def theirs():\n    pass\n");
    repo.commit_all("theirs");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("lib.py", "def ours():\n    pass\n");
    repo.commit_all("ours");
    // post-merge does not run on a conflict; the index stays at the last commit.
    assert_ne!(repo.git_out(&["merge", "-q", "other"]).code, 0);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "ours"]),
        "lib.py:1:5: function ours\n"
    );
    repo.write("lib.py", "def resolved():\n    pass\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-edit"]);
    assert_current_and_exact(&repo, "resolved merge");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "resolved"]),
        "lib.py:1:5: function resolved\n"
    );
}

#[test]
fn operations_without_hooks_are_caught_up_by_the_next_query() {
    let repo = installed();
    repo.write("x.py", "def first():\n    pass\n");
    repo.commit_all("one");
    repo.write("x.py", "def second():\n    pass\n");
    repo.commit_all("two");
    // reset --hard runs no hook.
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    assert_eq!(
        repo.atse(&["grep-symbol", "--no-update", "first"]).code,
        1,
        "no hook ran, so the index is behind"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "first"]),
        "x.py:1:5: function first\n"
    );
    assert_current_and_exact(&repo, "reset --hard + query");

    // stash runs no hook either (it does a reset internally).
    repo.write("x.py", "def stashed():\n    pass\n");
    repo.git(&["stash", "-q"]);
    assert_eq!(repo.atse(&["grep-symbol", "stashed"]).code, 1);
    repo.git(&["stash", "pop", "-q"]);
    repo.commit_all("popped");
    assert_current_and_exact(&repo, "stash pop + commit");

    // A commit made with hooks disabled (as libgit2-based tools do).
    repo.write("y.py", "def hookless():\n    pass\n");
    repo.git(&["add", "-A"]);
    repo.git(&[
        "-c",
        "core.hooksPath=/dev/null",
        "commit",
        "-q",
        "-m",
        "no hooks",
    ]);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "hookless"]),
        "y.py:1:5: function hookless\n"
    );
}

#[test]
fn existing_hooks_are_chained_and_restored_by_uninstall() {
    let repo = Repo::new();
    repo.write("a.py", "def f():\n    pass\n");
    repo.commit_all("init");
    let hooks = repo.path().join(".git/hooks");
    let mine = "#!/bin/sh\necho \"user hook $1\" >> \"$(git rev-parse --git-dir)/user-hook.log\"\nexit 3\n";
    std::fs::write(hooks.join("post-checkout"), mine).unwrap();
    set_exec(&hooks.join("post-checkout"));
    let rewrite = "#!/bin/sh\ncat > \"$(git rev-parse --git-dir)/rewrite-pairs\"\n";
    std::fs::write(hooks.join("post-rewrite"), rewrite).unwrap();
    set_exec(&hooks.join("post-rewrite"));

    repo.atse_ok(&["install"]);
    // The user's post-checkout ran and its failure reached git, as without git-atse.
    assert_ne!(repo.git_out(&["checkout", "-q", "-b", "b2"]).code, 0);
    repo.write("a.py", "def g():\n    pass\n");
    repo.commit_all("g");
    let out = repo.git_out(&["checkout", "-q", "main"]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    let log = std::fs::read_to_string(repo.path().join(".git/user-hook.log")).unwrap();
    assert_eq!(log.lines().count(), 2);
    assert_current_and_exact(&repo, "chained checkout");

    // The chained post-rewrite still gets the old/new pairs on stdin.
    repo.git(&["commit", "-q", "--amend", "--allow-empty", "-m", "amend"]);
    let pairs = std::fs::read_to_string(repo.path().join(".git/rewrite-pairs")).unwrap();
    assert_eq!(pairs.split_whitespace().count(), 2, "{pairs:?}");

    repo.atse_ok(&["uninstall"]);
    assert_eq!(
        std::fs::read_to_string(hooks.join("post-checkout")).unwrap(),
        mine
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("post-rewrite")).unwrap(),
        rewrite
    );
    assert!(!hooks.join("post-commit").exists());
    assert!(!hooks.join("post-checkout.atse-chained").exists());
}

fn set_exec(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn core_hooks_path_is_honoured() {
    let repo = Repo::new();
    repo.write("a.py", "def f():\n    pass\n");
    repo.commit_all("init");
    repo.git(&["config", "core.hooksPath", "my-hooks"]);
    let out = repo.atse_ok(&["install", "--no-index"]);
    assert!(out.contains("my-hooks"), "{out}");
    assert!(repo.path().join("my-hooks/post-commit").exists());
    repo.write("b.py", "def via_hooks_path():\n    pass\n");
    repo.commit_all("b");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "via_hooks_path"]),
        "b.py:1:5: function via_hooks_path\n"
    );
}

#[test]
fn hook_failure_is_logged_and_git_succeeds() {
    let repo = installed();
    // A directory where the update lock should be: every update fails to take it. (A
    // directory where the index should be is moved aside and the index rebuilt.)
    let lock = repo.atse_dir().join("update.lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::create_dir(&lock).unwrap();
    repo.write("b.py", "def b():\n    pass\n");
    repo.git(&["add", "-A"]);
    let out = repo.git_out(&["commit", "-q", "-m", "b"]);
    assert_eq!(out.code, 0, "a failing hook must not fail the commit");
    assert!(
        out.stderr
            .lines()
            .filter(|l| l.contains("git-atse"))
            .count()
            <= 1,
        "{}",
        out.stderr
    );
    let log = std::fs::read_to_string(repo.atse_dir().join("log")).unwrap();
    assert!(log.contains("hook post-commit"), "{log}");
}

#[test]
fn hooks_are_silent_when_git_atse_is_not_on_path() {
    let repo = installed();
    repo.write("b.py", "def b():\n    pass\n");
    repo.git(&["add", "-A"]);
    let mut cmd = repo.cmd("git", &["commit", "-q", "-m", "b"]);
    cmd.env("PATH", "/usr/bin:/bin:/usr/local/bin");
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn linked_worktrees_have_their_own_index_and_share_objects() {
    let repo = installed();
    repo.git(&["branch", "wt-branch"]);
    let wt = repo.tmp().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap(), "wt-branch"]);
    std::fs::write(wt.join("w.py"), "def only_in_worktree():\n    pass\n").unwrap();
    let run = |dir: &Path, args: &[&str]| {
        let mut cmd = repo.cmd("git", args);
        cmd.current_dir(dir);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&wt, &["add", "-A"]);
    run(&wt, &["commit", "-q", "-m", "wt"]);
    assert_eq!(
        run(
            &wt,
            &["atse", "grep-symbol", "--no-update", "only_in_worktree"]
        ),
        "w.py:1:5: function only_in_worktree\n"
    );
    assert_eq!(
        repo.atse(&["grep-symbol", "--no-update", "only_in_worktree"])
            .code,
        1
    );
    let git_dir = run(&wt, &["rev-parse", "--absolute-git-dir"]);
    assert!(Path::new(git_dir.trim()).join("atse/index.redb").exists());
    // Objects live in the common dir only.
    assert!(!Path::new(git_dir.trim()).join("atse/objects").exists());
    assert!(repo.atse_dir().join("objects").exists());
}

#[test]
fn a_c_header_is_c_by_its_bytes_and_indexed_inline() {
    let repo = installed();
    repo.write(
        "list.h",
        "struct list { struct list *next; int class; };\nint list_len(struct list *new);\n",
    );
    repo.commit_all("a C header");
    // Inline: the hook's own update made the index current.
    let status: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json", "--no-update"])).unwrap();
    assert_eq!(status["current"], true, "{status}");
    let lang = |name: &str| {
        let out = repo.atse_ok(&["grep-symbol", "--json", "--no-update", name]);
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        v["lang"].as_str().unwrap().to_string()
    };
    assert_eq!(lang("list_len"), "c");
    // A C++ file elsewhere changes nothing about the header: its language is its bytes'.
    repo.write("app.cpp", "#include \"list.h\"\nclass App {};\n");
    repo.commit_all("C++ appears");
    repo.atse_ok(&["update", "--quiet"]);
    assert_eq!(lang("list_len"), "c");
    assert_eq!(lang("App"), "cpp");
    assert_eq!(
        repo.atse_ok(&["deps", "app.cpp"]),
        "list.h\n",
        "a C++ file includes a C header"
    );
}

#[test]
fn a_cpp_commit_is_indexed_inline() {
    let repo = installed();
    repo.write(
        "geo.h",
        "namespace geo { class Shape { int area() const; }; }\n",
    );
    repo.commit_all("header");
    // Inline: C++ used to take over 100 ms to set up its query and went to the
    // background; its walker sets up in 3 ms.
    let status: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json", "--no-update"])).unwrap();
    assert_eq!(status["current"], true, "{status}");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "Shape"]),
        "geo.h:1:23: class Shape (in geo)\n"
    );
}

#[test]
fn commits_in_languages_read_by_walkers_are_indexed_inline() {
    let repo = installed();
    let files = [
        ("a.js", "function jsThing() {}\n", "jsThing"),
        ("a.ts", "interface TsThing { a: number }\n", "TsThing"),
        (
            "a.tsx",
            "export const TsxThing = () => <div />;\n",
            "TsxThing",
        ),
        ("A.cs", "class CsThing { void Run() {} }\n", "CsThing"),
        ("a.rb", "class RbThing\nend\n", "RbThing"),
        ("a.php", "<?php\nclass PhpThing {}\n", "PhpThing"),
        ("A.kt", "class KtThing\n", "KtThing"),
        ("A.swift", "struct SwiftThing {}\n", "SwiftThing"),
        ("A.scala", "class ScalaThing\n", "ScalaThing"),
        ("a.lua", "function lua_thing() end\n", "lua_thing"),
        ("a.sh", "sh_thing() { :; }\n", "sh_thing"),
    ];
    for (path, src, name) in files {
        repo.write(path, src);
        repo.commit_all(path);
        // Inline: the hook's own update made the index current (none of these builds a
        // query that takes longer than a hook's budget to set up).
        let status: serde_json::Value =
            serde_json::from_str(&repo.atse_ok(&["status", "--json", "--no-update"])).unwrap();
        assert_eq!(status["current"], true, "after {path}: {status}");
        let out = repo.atse_ok(&["grep-symbol", "--no-update", name]);
        assert!(out.starts_with(path), "{name}: {out}");
    }
}
