//! Bad input: each has a defined behaviour, and none crashes or loses data.

use crate::util::Repo;

#[test]
fn outside_a_repository_is_a_clear_error() {
    let dir = Repo::empty_dir();
    let mut cmd = dir.cmd(
        crate::util::bin_dir().join("git-atse"),
        &["grep-symbol", "x"],
    );
    cmd.env("GIT_CEILING_DIRECTORIES", dir.tmp());
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a git repository"), "{err}");
}

#[test]
fn repository_without_commits_has_nothing_to_index() {
    let repo = Repo::new();
    let out = repo.atse(&["update"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.contains("HEAD has no commit yet"),
        "{}",
        out.stderr
    );
    assert_eq!(repo.atse(&["grep-symbol", "x"]).code, 1);
    assert!(repo.atse_ok(&["tags"]).starts_with("!_TAG_FILE_FORMAT"));
}

#[test]
fn empty_tree_indexes_to_nothing() {
    let repo = Repo::new();
    repo.commit_all("empty");
    repo.atse_ok(&["update", "--quiet"]);
    assert_eq!(repo.atse(&["grep-symbol", "x"]).code, 1);
    let status: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json"])).unwrap();
    assert_eq!(status["files"], 0);
    assert_eq!(status["current"], true);
}

#[test]
fn binary_huge_empty_and_broken_files() {
    let repo = Repo::new();
    let mut huge = String::new();
    while huge.len() < 40_000 {
        huge.push_str("def filler():\n    pass\n");
    }
    repo.write("bin.py", b"def hidden():\n\0\0\0".as_slice())
        .write("huge.py", &huge)
        .write("empty.py", "")
        .write("broken.py", "def ok_before():\n    pass\n\nclass Broken(:\n    def inside(self):\n        pass\n\ndef ok_after():\n    pass\n")
        .write("latin1.py", b"# caf\xe9\ndef latin():\n    pass\n".as_slice());
    repo.commit_all("bad files");
    repo.git(&["config", "atse.maxFileSize", "20000"]);
    let out = repo.atse(&["update"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("5 files") && out.stderr.contains("2 skipped"),
        "{}",
        out.stderr
    );
    assert_eq!(
        repo.atse(&["grep-symbol", "hidden"]).code,
        1,
        "binary files are not parsed"
    );
    assert_eq!(
        repo.atse(&["grep-symbol", "filler"]).code,
        1,
        "files over atse.maxFileSize are skipped"
    );
    // What tree-sitter recovers around a syntax error is kept.
    let ok = repo.atse_ok(&["grep-symbol", "--prefix", "ok_"]);
    assert_eq!(
        ok,
        "broken.py:1:5: function ok_before\nbroken.py:8:5: function ok_after\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "latin"]),
        "latin1.py:2:5: function latin\n"
    );

    // Skips are recorded in the objects: a later update does not parse them again.
    repo.write("other.py", "def other():\n    pass\n");
    repo.commit_all("more");
    let out = repo.atse(&["update"]);
    assert!(
        out.stderr.contains("(1 changed paths: 1 parsed, 0 reused)"),
        "{}",
        out.stderr
    );
}

#[test]
fn non_utf8_paths_symlinks_and_submodules() {
    let repo = Repo::new();
    repo.write("ok.py", "def plain():\n    pass\n");
    let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"caf\xe9.py");
    std::fs::write(repo.path().join(name), "def latin_path():\n    pass\n").unwrap();
    std::os::unix::fs::symlink("ok.py", repo.path().join("link.py")).unwrap();
    repo.commit_all("init");
    // A gitlink (submodule) entry, added without a .gitmodules checkout.
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},sub"),
    ]);
    repo.git(&["commit", "-q", "-m", "submodule"]);

    // Quoted as git quotes paths (issue 13, item 15); raw with core.quotePath=false.
    let out = repo
        .cmd("git", &["atse", "grep-symbol", "latin_path"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"\"caf\\351.py\":1:5: function latin_path\n");
    let out = repo
        .cmd(
            "git",
            &[
                "-c",
                "core.quotePath=false",
                "atse",
                "grep-symbol",
                "latin_path",
            ],
        )
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"caf\xe9.py:1:5: function latin_path\n");
    // The symlink is not indexed: `plain` is defined once.
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "plain"]),
        "ok.py:1:5: function plain\n"
    );
    let status: serde_json::Value =
        serde_json::from_str(&repo.atse_ok(&["status", "--json"])).unwrap();
    assert_eq!(status["files"], 2);
}

#[test]
fn shebang_scripts_without_extension_are_indexed() {
    let repo = Repo::new();
    repo.write(
        "bin/tool",
        "#!/usr/bin/env python3\ndef tool_main():\n    pass\n",
    )
    .write("bin/run", "#!/usr/bin/env node\nfunction runIt() {}\n")
    .write("bin/sh", "#!/bin/sh\necho hi\n");
    repo.commit_all("scripts");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "tool_main"]),
        "bin/tool:2:5: function tool_main\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "runIt"]),
        "bin/run:2:10: function runIt\n"
    );
}

#[test]
fn a_truncated_index_is_rebuilt_not_trusted() {
    let repo = Repo::new();
    repo.write("a.py", "def f():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    let db = repo.atse_dir().join("index.redb");
    let len = std::fs::metadata(&db).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len / 3).unwrap();
    drop(f);
    let out = repo.atse(&["grep-symbol", "f"]);
    assert_eq!(out.stdout, "a.py:1:5: function f\n", "{}", out.stderr);
    assert_eq!(out.code, 0);
}

#[test]
fn garbage_index_file_is_rebuilt() {
    let repo = Repo::new();
    repo.write("a.py", "def f():\n    pass\n");
    repo.commit_all("init");
    std::fs::create_dir_all(repo.atse_dir()).unwrap();
    std::fs::write(repo.atse_dir().join("index.redb"), vec![0x5a; 10_000]).unwrap();
    let out = repo.atse(&["grep-symbol", "f"]);
    assert_eq!(out.stdout, "a.py:1:5: function f\n", "{}", out.stderr);
}
