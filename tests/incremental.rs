//! `git atse update` patches the index for exactly the changed paths, and the result equals
//! an index built from scratch for the same tree.

use crate::util::Repo;

fn assert_matches_full_rebuild(repo: &Repo) {
    let incremental = repo.atse_ok(&["tags"]);
    assert_eq!(
        incremental,
        repo.fresh_index_tags(),
        "incremental index differs from a full rebuild"
    );
}

#[test]
fn modify_add_delete_rename_follow_the_tree() {
    let repo = Repo::new();
    repo.write("a.py", "def one():\n    pass\n")
        .write("pkg/b.py", "def two():\n    pass\n")
        .write("pkg/c.rs", "fn three() {}\n");
    repo.commit_all("init");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "one"]),
        "a.py:1:5: function one\n"
    );

    // Modify.
    repo.write("a.py", "def uno():\n    pass\n");
    repo.commit_all("modify");
    let out = repo.atse(&["grep-symbol", "one"]);
    assert_eq!(
        out.code, 1,
        "stale definition still answered: {}",
        out.stdout
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "uno"]),
        "a.py:1:5: function uno\n"
    );
    assert_matches_full_rebuild(&repo);

    // Rename (same blob, new path) and delete.
    repo.git(&["mv", "pkg/b.py", "pkg/renamed.py"]);
    repo.remove("pkg/c.rs");
    repo.commit_all("rename and delete");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "two"]),
        "pkg/renamed.py:1:5: function two\n"
    );
    assert_eq!(repo.atse(&["grep-symbol", "three"]).code, 1);
    assert_matches_full_rebuild(&repo);

    // A directory replaced by a file and a file becoming a symlink.
    repo.git(&["rm", "-q", "-r", "pkg"]);
    repo.write("pkg", "not a dir\n");
    std::fs::remove_file(repo.path().join("a.py")).unwrap();
    std::os::unix::fs::symlink("pkg", repo.path().join("a.py")).unwrap();
    repo.commit_all("reshape");
    assert_eq!(repo.atse(&["grep-symbol", "uno"]).code, 1);
    assert_eq!(repo.atse(&["grep-symbol", "two"]).code, 1);
    assert_matches_full_rebuild(&repo);
}

#[test]
fn a_modification_that_reorders_containers_keeps_each_members_container() {
    // Postings name their container by its position in the file's row: a class added
    // above the others moves every position, and the members it did not touch must still
    // say the right class.
    let repo = Repo::new();
    repo.write(
        "m.py",
        "class A:\n    def a1(self):\n        pass\n\nclass B:\n    def b1(self):\n        pass\n",
    );
    repo.commit_all("init");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "b1"]),
        "m.py:6:9: method b1 (in B)\n"
    );
    // Only b1's posting changes (its end): it is rewritten alone and must still name the
    // second of the file's containers, not the first of the changed part's.
    repo.write(
        "m.py",
        "class A:\n    def a1(self):\n        pass\n\nclass B:\n    def b1(self):\n        x = 1\n        pass\n",
    );
    repo.commit_all("grow b1");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "b1"]),
        "m.py:6:9: method b1 (in B)\n"
    );
    assert_matches_full_rebuild(&repo);
    repo.write(
        "m.py",
        "class Z:\n    def z1(self):\n        pass\n\nclass B:\n    def b1(self):\n        pass\n\nclass A:\n    def a1(self):\n        pass\n",
    );
    repo.commit_all("reorder");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "b1"]),
        "m.py:6:9: method b1 (in B)\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "a1"]),
        "m.py:10:9: method a1 (in A)\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "z1"]),
        "m.py:2:9: method z1 (in Z)\n"
    );
    assert_matches_full_rebuild(&repo);
    // b1 keeps its line and column while its container's position changes (1 -> 0).
    repo.write(
        "m.py",
        "class B:\n    def x1(self):\n        pass\n\nclass B:\n    def b1(self):\n        pass\n",
    );
    repo.commit_all("one container");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "b1"]),
        "m.py:6:9: method b1 (in B)\n"
    );
    assert_eq!(repo.atse(&["grep-symbol", "a1"]).code, 1);
    assert_matches_full_rebuild(&repo);
}

#[test]
fn update_reports_what_it_did_and_reuses_objects() {
    let repo = Repo::new();
    repo.write("a.py", "def f():\n    pass\n")
        .write("b.py", "def g():\n    pass\n");
    repo.commit_all("init");
    let out = repo.atse(&["update"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.contains(
            "indexed 2 files, 2 symbols, 0 skipped (2 changed paths: 2 parsed, 0 reused)"
        ),
        "{}",
        out.stderr
    );
    let again = repo.atse(&["update"]);
    assert!(
        again.stderr.contains("index is up to date"),
        "{}",
        again.stderr
    );

    // The same blob at a new path is not parsed again.
    repo.write("copy.py", "def f():\n    pass\n");
    repo.commit_all("copy");
    let out = repo.atse(&["update"]);
    assert!(
        out.stderr.contains("(1 changed paths: 0 parsed, 1 reused)"),
        "{}",
        out.stderr
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "f"]),
        "a.py:1:5: function f\ncopy.py:1:5: function f\n"
    );

    let quiet = repo.atse(&["update", "--quiet", "--full"]);
    assert_eq!(
        (quiet.code, quiet.stdout.as_str(), quiet.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn hot_name_in_many_files_survives_a_one_file_change() {
    let repo = Repo::new();
    for i in 0..300 {
        repo.write(&format!("m{i:03}.py"), "def main():\n    pass\n");
        repo.write(
            &format!("n{i:03}.py"),
            format!("def main():\n    return {i}\n"),
        );
    }
    repo.commit_all("init");
    let before = repo.atse_ok(&["grep-symbol", "main"]);
    assert_eq!(before.lines().count(), 600);
    repo.write("n007.py", "def not_main():\n    pass\n");
    repo.commit_all("one file");
    let after = repo.atse_ok(&["grep-symbol", "main"]);
    assert_eq!(after.lines().count(), 599);
    assert!(!after.contains("n007.py"));
    assert_matches_full_rebuild(&repo);
}

#[test]
fn status_counts_match_the_tree() {
    let repo = Repo::new();
    repo.write("a.py", "def f():\n    pass\nclass C:\n    pass\n")
        .write("README", "no language\n")
        .write("bin.c", b"\0\x01binary".as_slice());
    let commit = repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    let status: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json"])).unwrap();
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]).trim().to_string();
    assert_eq!(status["indexed_commit"], commit.as_str());
    assert_eq!(status["indexed_tree"], tree.as_str());
    assert_eq!(status["head_tree"], tree.as_str());
    assert_eq!(status["current"], true);
    assert_eq!(status["files"], 2);
    assert_eq!(status["symbols"], 2);
    assert_eq!(status["skipped"], 1);
    // One object per distinct blob (the binary one records its skip), counted without a scan.
    assert_eq!(status["objects"], 2);
    assert_eq!(status["loose_objects"], 2);
    assert_eq!(status["packed_objects"], 0);
    let on_disk = std::fs::metadata(repo.atse_dir().join("index.redb"))
        .unwrap()
        .len();
    assert!(status["bytes"].as_u64().unwrap() > on_disk, "{status}");

    // The same blob at another path adds no object; a new blob adds one.
    repo.write("copy.py", "def f():\n    pass\nclass C:\n    pass\n")
        .write("new.py", "x = 1\n");
    repo.commit_all("more");
    let status: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json"])).unwrap();
    assert_eq!(status["objects"], 3);
    assert_eq!(status["files"], 4);
}
