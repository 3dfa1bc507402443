//! Answers for another tree than HEAD's (issue 14): `--rev REV`, `--cached` and
//! `--worktree` apply an overlay at query time, and must answer as a fresh index of that
//! tree would; the index is not changed.

use crate::util::Repo;

/// What each of `queries` prints on a fresh index of `rev`, built from scratch in a clone.
pub(crate) fn fresh_at(repo: &Repo, rev: &str, queries: &[&[&str]]) -> Vec<String> {
    let sha = repo.git(&["rev-parse", rev]).trim().to_string();
    let fresh = tempfile::tempdir().unwrap();
    let dest = fresh.path().to_str().unwrap();
    let cloned = repo
        .cmd("git", &["clone", "-q", "--no-checkout", ".", dest])
        .status();
    assert!(cloned.unwrap().success());
    let run = |args: &[&str]| {
        let mut cmd = repo.cmd("git", args);
        cmd.current_dir(fresh.path());
        let out = cmd.output().unwrap();
        let code = out.status.code().unwrap_or(2);
        assert!(code < 2, "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["atse", "update", "--quiet", "--rev", &sha]);
    queries
        .iter()
        .map(|q| {
            let mut args = vec!["atse"];
            args.extend_from_slice(q);
            args.push("--no-update");
            run(&args)
        })
        .collect()
}

/// The tags of a fresh index of `rev`.
fn fresh_tags_at(repo: &Repo, rev: &str) -> String {
    fresh_at(repo, rev, &[&["tags"]]).remove(0)
}

/// A history of 20 commits: functions renamed, lines inserted above others, files added,
/// deleted and moved, in Python and Rust.
fn history() -> Repo {
    let repo = Repo::new();
    for i in 0..6 {
        repo.write(
            &format!("py/m{i}.py"),
            format!("def f{i}():\n    return g{i}()\n"),
        );
        repo.write(
            &format!("rs/r{i}.rs"),
            format!("pub fn r{i}() {{ helper{i}(); }}\n"),
        );
    }
    repo.commit_all("c0");
    for c in 1..=20 {
        let i = c % 6;
        match c % 4 {
            0 => repo.write(
                &format!("py/m{i}.py"),
                format!("def renamed{c}():\n    pass\n"),
            ),
            1 => repo.write(
                &format!("rs/r{i}.rs"),
                format!("// inserted {c}\n\npub struct S{c};\npub fn r{i}() {{ helper{i}(); }}\n"),
            ),
            2 => repo.write(
                &format!("py/new{c}.py"),
                format!("class New{c}:\n    def m(self):\n        pass\n"),
            ),
            _ => {
                if repo.path().join(format!("py/new{}.py", c - 1)).exists() {
                    repo.git(&[
                        "mv",
                        &format!("py/new{}.py", c - 1),
                        &format!("moved{c}.py"),
                    ]);
                }
                &repo
            }
        };
        repo.commit_all(&format!("c{c}"));
    }
    repo
}

#[test]
fn rev_answers_equal_a_fresh_index_of_that_commit() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    let before = std::fs::read(repo.atse_dir().join("index.redb")).unwrap();
    for n in 0..=20 {
        let rev = format!("HEAD~{n}");
        assert_eq!(
            repo.atse_ok(&["tags", "--rev", &rev]),
            fresh_tags_at(&repo, &rev),
            "tags --rev {rev}"
        );
    }
    // Lookups: a name as of an old commit, gone at HEAD.
    assert_eq!(repo.atse(&["grep-symbol", "f4"]).code, 1);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--rev", "HEAD~20", "f4"]),
        "py/m4.py:1:5: function f4\n"
    );
    let none = repo.atse(&["grep-symbol", "--rev", "HEAD~20", "--prefix", "renamed"]);
    assert_eq!((none.code, none.stdout.as_str()), (1, ""));
    // The index is untouched.
    assert_eq!(
        std::fs::read(repo.atse_dir().join("index.redb")).unwrap(),
        before
    );
}

#[test]
fn cached_answers_equal_a_fresh_index_of_the_staged_tree() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    // Stage a rename and a new file; then change the working tree again on top.
    repo.write("py/m1.py", "def staged_name():\n    pass\n");
    repo.write("py/added.py", "def staged_new():\n    pass\n");
    repo.git(&["add", "-A"]);
    repo.write("py/m1.py", "def unstaged_name():\n    pass\n");
    let staged = repo.git(&["write-tree"]).trim().to_string();
    let commit = repo
        .git(&["commit-tree", &staged, "-p", "HEAD", "-m", "staged"])
        .trim()
        .to_string();
    repo.git(&["update-ref", "refs/heads/staged", &commit]);
    assert_eq!(
        repo.atse_ok(&["tags", "--cached"]),
        fresh_tags_at(&repo, "staged")
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--cached", "--json", "staged_name"])
            .lines()
            .count(),
        1
    );
    assert_eq!(
        repo.atse(&["grep-symbol", "--cached", "unstaged_name"])
            .code,
        1
    );
    assert_eq!(
        repo.atse(&["grep-symbol", "staged_name"]).code,
        1,
        "HEAD is unchanged"
    );
}

#[test]
fn a_rev_too_far_for_an_overlay_says_what_to_do() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    let out = repo
        .cmd(
            "git",
            &[
                "-c",
                "atse.queryMaxChanges=2",
                "atse",
                "tags",
                "--rev",
                "HEAD~20",
            ],
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("git worktree add"), "{err}");
}

/// A commit of the working tree exactly as it is (untracked files included), made through a
/// copy of git's index so that the repository's own is untouched; returns a branch name.
fn commit_worktree(repo: &Repo) -> String {
    let index = repo.tmp().join("worktree-index");
    std::fs::copy(repo.path().join(".git/index"), &index).unwrap();
    let git = |args: &[&str]| {
        let out = repo
            .cmd("git", args)
            .env("GIT_INDEX_FILE", &index)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    git(&["add", "-A"]);
    let tree = git(&["write-tree"]);
    let commit = git(&["commit-tree", &tree, "-p", "HEAD", "-m", "worktree"]);
    repo.git(&["update-ref", "refs/heads/worktree-state", &commit]);
    "worktree-state".to_string()
}

#[test]
fn worktree_answers_equal_a_fresh_index_of_the_files_on_disk() {
    let repo = history();
    repo.atse_ok(&["update", "--quiet"]);
    let clean = repo.atse_ok(&["tags"]);
    assert_eq!(
        repo.atse_ok(&["tags", "--worktree"]),
        clean,
        "a clean tree is HEAD"
    );
    // A rename, lines inserted above others, an untracked file, a deleted file, and a
    // staged change with another on top of it.
    repo.write("py/m2.py", "def renamed_on_disk():\n    pass\n");
    repo.write(
        "rs/r3.rs",
        "// new\n// lines\n\npub fn r3() { helper3(); }\npub fn later() {}\n",
    );
    repo.write(
        "py/untracked.py",
        "class Untracked:\n    def go(self):\n        pass\n",
    );
    repo.remove("py/m5.py");
    repo.write("py/m0.py", "def staged():\n    pass\n");
    repo.git(&["add", "py/m0.py"]);
    repo.write(
        "py/m0.py",
        "def staged():\n    pass\n\ndef on_top():\n    pass\n",
    );
    let head_tags = repo.atse_ok(&["tags"]);
    assert_eq!(head_tags, clean, "HEAD's answers are unchanged");
    let state = commit_worktree(&repo);
    assert_eq!(
        repo.atse_ok(&["tags", "--worktree"]),
        fresh_tags_at(&repo, &state)
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--worktree", "on_top"]),
        "py/m0.py:4:5: function on_top\n"
    );
    assert_eq!(
        repo.atse(&["grep-symbol", "--worktree", "f5"]).code,
        1,
        "deleted"
    );
    // atse.worktree makes it the default; --no-worktree answers for HEAD.
    repo.git(&["config", "atse.worktree", "true"]);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "Untracked"]),
        "py/untracked.py:1:7: class Untracked\n"
    );
    assert_eq!(
        repo.atse(&["grep-symbol", "--no-worktree", "Untracked"])
            .code,
        1
    );
}

#[test]
fn json_rows_from_a_lagging_index_say_stale() {
    let repo = crate::util::far_behind();
    let args = [
        "-c",
        "atse.queryMaxChanges=10",
        "atse",
        "grep-symbol",
        "--json",
        "old",
    ];
    let out = repo.cmd("git", &args).output().unwrap();
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["stale"], true, "{row}");
    assert_eq!(row["path"], "a.py");
}

#[test]
fn worktree_bad_inputs_get_a_defined_answer_or_a_clear_error() {
    let repo = Repo::new();
    repo.write("a.py", "def base():\n    pass\n");
    repo.commit_all("one");
    // Mid-merge, a file with conflict markers is answered as tree-sitter recovers it.
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("a.py", "def side():\n    pass\n");
    repo.commit_all("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.py", "def main_side():\n    pass\n");
    repo.commit_all("main");
    assert_ne!(repo.git_out(&["merge", "-q", "side"]).code, 0, "a conflict");
    let out = repo.atse(&["grep-symbol", "--worktree", "--prefix", "main_"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "a.py:2:5: function main_side\n"),
        "{}",
        out.stderr
    );
    // A symlink on disk is not a file to index.
    std::os::unix::fs::symlink("a.py", repo.path().join("link.py")).unwrap();
    assert_eq!(
        repo.atse(&["grep-symbol", "--worktree", "--prefix", "side"])
            .stdout
            .lines()
            .count(),
        1
    );
    // A bare repository has no working tree: a clear error.
    let bare = repo.tmp().join("bare.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    let out = repo
        .cmd("git", &["atse", "grep-symbol", "--worktree", "base"])
        .current_dir(&bare)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bare"));
}

#[test]
fn objects_of_uncommitted_content_are_never_published() {
    let repo = Repo::new();
    repo.write("a.py", "def committed():\n    pass\n");
    repo.commit_all("one");
    let remote = repo.tmp().join("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo.atse_ok(&["update", "--quiet"]);
    repo.write("a.py", "def uncommitted():\n    pass\n");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--worktree", "uncommitted"]),
        "a.py:1:5: function uncommitted\n"
    );
    let dirty = repo.git(&["hash-object", "a.py"]).trim().to_string();
    assert!(
        repo.atse_dir()
            .join("objects")
            .join(&dirty[..2])
            .join(&dirty[2..])
            .exists(),
        "the dirty file's object is stored like any other"
    );
    repo.atse_ok(&["share", "push"]);
    let published = std::fs::read_to_string(repo.atse_dir().join("published")).unwrap();
    assert!(published.contains(&format!(
        "object {}",
        repo.git(&["rev-parse", "HEAD:a.py"]).trim()
    )));
    assert!(!published.contains(&dirty), "{published}");
}

/// `deps --external` of each of `files` in a fresh index of `rev`.
fn fresh_deps_at(repo: &Repo, rev: &str, files: &[&str]) -> Vec<String> {
    let queries: Vec<Vec<&str>> = files
        .iter()
        .map(|f| vec!["deps", "--external", f])
        .collect();
    let queries: Vec<&[&str]> = queries.iter().map(Vec::as_slice).collect();
    fresh_at(repo, rev, &queries)
}

#[test]
fn deps_answer_for_another_tree_as_a_fresh_index_would() {
    let repo = Repo::new();
    repo.write(
        "app/main.py",
        "import app.util\nfrom app import models\n\ndef main():\n    pass\n",
    );
    repo.write("app/util.py", "import os\n\ndef u():\n    pass\n");
    repo.write("app/models.py", "def m():\n    pass\n");
    repo.write("app/__init__.py", "");
    repo.commit_all("one");
    repo.write(
        "app/main.py",
        "import app.extra\nimport app.util\n\ndef main():\n    pass\n",
    );
    repo.write("app/extra.py", "import app.models\n");
    repo.remove("app/models.py");
    repo.commit_all("two");
    repo.atse_ok(&["update", "--quiet"]);
    let files = ["app/main.py", "app/util.py"];
    let at_old: Vec<String> = files
        .iter()
        .map(|f| {
            repo.atse(&["deps", "--rev", "HEAD~1", "--external", f])
                .stdout
        })
        .collect();
    assert_eq!(at_old, fresh_deps_at(&repo, "HEAD~1", &files));
    assert_eq!(
        at_old[0], "app/models.py\napp/util.py\n",
        "a file deleted since"
    );
    // On disk: a new import of a new, untracked file.
    repo.write(
        "app/util.py",
        "import os\nimport app.fresh\n\ndef u():\n    pass\n",
    );
    repo.write("app/fresh.py", "def f():\n    pass\n");
    assert_eq!(
        repo.atse_ok(&["deps", "--worktree", "--external", "app/util.py"]),
        "app/fresh.py\nos (external)\n"
    );
    assert_eq!(
        repo.atse_ok(&["deps", "--external", "app/util.py"]),
        "os (external)\n"
    );
}

#[test]
fn rdeps_answer_for_another_tree_as_a_fresh_index_would() {
    let repo = Repo::new();
    repo.write("lib/core.py", "def c():\n    pass\n");
    repo.write("lib/__init__.py", "");
    repo.write("lib/mid.py", "import lib.core\n");
    repo.write("app/top.py", "import lib.mid\n");
    repo.write("app/other.py", "import lib.core\n");
    repo.commit_all("one");
    repo.remove("app/other.py");
    repo.write("app/new.py", "import lib.core\nimport app.top\n");
    repo.write("lib/mid.py", "import os\n");
    repo.commit_all("two");
    repo.atse_ok(&["update", "--quiet"]);
    let rdeps = |rev_args: &[&str]| {
        let mut args = vec!["rdeps", "--json", "--transitive"];
        args.extend_from_slice(rev_args);
        args.push("lib/core.py");
        repo.atse(&args).stdout
    };
    // As of the first commit: through mid and top, and other.
    let fresh = fresh_at(
        &repo,
        "HEAD~1",
        &[&["rdeps", "--json", "--transitive", "lib/core.py"]],
    )
    .remove(0);
    assert_eq!(rdeps(&["--rev", "HEAD~1"]), fresh);
    let fresh_rank = fresh_at(&repo, "HEAD~1", &[&["rank", "--top", "50"]]).remove(0);
    assert_eq!(
        repo.atse_ok(&["rank", "--top", "50", "--rev", "HEAD~1"]),
        fresh_rank
    );
    assert_ne!(
        repo.atse_ok(&["rank", "--top", "50"]),
        fresh_rank,
        "HEAD ranks otherwise"
    );
    assert!(
        fresh.contains("app/other.py") && fresh.contains("app/top.py"),
        "{fresh}"
    );
    // On disk: mid imports core again, and a new untracked file imports top.
    repo.write("lib/mid.py", "import lib.core\n");
    repo.write("app/leaf.py", "import app.top\n");
    let on_disk = rdeps(&["--worktree"]);
    for (path, depth) in [
        ("app/leaf.py", 3),
        ("app/new.py", 1),
        ("app/top.py", 2),
        ("lib/mid.py", 1),
    ] {
        assert!(
            on_disk.contains(&format!("\"depth\":{depth},\"path\":\"{path}\"")),
            "{path}: {on_disk}"
        );
    }
    assert_eq!(on_disk.lines().count(), 4, "{on_disk}");
}

#[test]
fn a_config_file_changed_only_in_another_tree_is_resolved_against() {
    let repo = Repo::new();
    repo.write(
        "main.go",
        "package main\n\nimport \"example.com/m/util\"\n\nfunc main() { util.U() }\n",
    );
    repo.write("util/util.go", "package util\n\nfunc U() {}\n");
    repo.commit_all("no go.mod");
    repo.atse_ok(&["update", "--quiet"]);
    let deps = |extra: &[&str]| {
        let mut args = vec!["deps", "--external"];
        args.extend_from_slice(extra);
        args.push("main.go");
        repo.atse_ok(&args)
    };
    assert_eq!(deps(&[]), "example.com/m/util (external)\n");
    // An untracked go.mod names the module: the import is the repository's own.
    repo.write("go.mod", "module example.com/m\n\ngo 1.21\n");
    assert_eq!(deps(&["--worktree"]), "util/util.go\n");
    assert_eq!(
        repo.atse_ok(&["rdeps", "--worktree", "util/util.go"]),
        "main.go\n"
    );
    let state = commit_worktree(&repo);
    assert_eq!(
        deps(&["--worktree"]),
        fresh_deps_at(&repo, &state, &["main.go"]).remove(0)
    );
    assert_eq!(deps(&[]), "example.com/m/util (external)\n", "HEAD");
    // The same, committed on another branch, asked with --rev.
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.commit_all("go.mod");
    repo.git(&["checkout", "-q", "-"]);
    assert_eq!(deps(&["--rev", "side"]), "util/util.go\n");
    // Modified on disk to name another module: external again.
    repo.git(&["checkout", "-q", "side"]);
    repo.atse_ok(&["update", "--quiet"]);
    repo.write("go.mod", "module other.org/m\n");
    assert_eq!(deps(&["--worktree"]), "example.com/m/util (external)\n");
    assert_eq!(deps(&[]), "util/util.go\n", "HEAD");
}
