//! Sharing prebuilt index data through git notes: a bare remote and two clones.

use std::path::{Path, PathBuf};

use crate::util::Repo;

fn run(repo: &Repo, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = repo.cmd("git", args);
    cmd.current_dir(dir);
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A bare remote with a few commits, and clone A (the publisher) of it.
fn setup() -> (Repo, PathBuf, PathBuf) {
    let repo = Repo::new();
    for i in 0..20 {
        repo.write(
            &format!("src/m{i}.py"),
            format!("def f{i}():\n    return g{i}()\n"),
        );
    }
    repo.write("lib.rs", "pub struct S;\nimpl S { pub fn m(&self) {} }\n");
    repo.commit_all("init");
    let remote = repo.tmp().join("remote.git");
    repo.git(&["clone", "-q", "--bare", ".", remote.to_str().unwrap()]);
    let a = repo.tmp().join("a");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), a.to_str().unwrap()]);
    (repo, remote, a)
}

#[test]
fn a_clone_indexes_from_notes_without_parsing() {
    let (repo, remote, a) = setup();
    let (code, out, err) = run(&repo, &a, &["atse", "share", "push"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("published 21 new objects"), "{out}");
    let a_tags = run(&repo, &a, &["atse", "tags"]).1;

    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, out, err) = run(&repo, &b, &["atse", "share", "fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("imported 21 objects"), "{out}");
    let (_, _, err) = run(&repo, &b, &["atse", "update"]);
    assert!(
        err.contains("(21 changed paths: 0 parsed, 21 reused)"),
        "{err}"
    );
    assert_eq!(run(&repo, &b, &["atse", "tags"]).1, a_tags);

    // A later commit in A publishes only its new objects.
    std::fs::write(a.join("src/new.py"), "def brand_new():\n    pass\n").unwrap();
    run(&repo, &a, &["add", "-A"]);
    run(&repo, &a, &["commit", "-q", "-m", "new"]);
    run(&repo, &a, &["push", "-q"]);
    let (code, out, err) = run(&repo, &a, &["atse", "share", "push"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("published 1 new objects"), "{out}");
    run(&repo, &b, &["pull", "-q"]);
    let (code, out, _) = run(&repo, &b, &["atse", "share", "fetch"]);
    assert_eq!(code, 0);
    assert!(out.contains("imported 1 objects"), "{out}");
    let (_, _, err) = run(&repo, &b, &["atse", "update"]);
    assert!(err.contains("0 parsed, 1 reused"), "{err}");

    // B publishes too: the notes merge (no forced refspec), and A imports B's object.
    std::fs::write(b.join("src/from_b.py"), "def from_b():\n    pass\n").unwrap();
    run(&repo, &b, &["add", "-A"]);
    run(&repo, &b, &["commit", "-q", "-m", "b"]);
    run(&repo, &b, &["push", "-q"]);
    let (code, out, err) = run(&repo, &b, &["atse", "share", "push"]);
    assert_eq!(code, 0, "{out}{err}");
    run(&repo, &a, &["pull", "-q"]);
    let (code, out, err) = run(&repo, &a, &["atse", "share", "fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    let notes = run(&repo, &a, &["notes", "--ref", "refs/notes/atse", "list"]).1;
    assert!(notes.lines().count() >= 6, "{notes}");
    let (_, _, err) = run(&repo, &a, &["atse", "update"]);
    assert!(err.contains("0 parsed, 1 reused"), "{err}");
}

#[test]
fn hostile_notes_are_rejected_and_change_nothing() {
    let (repo, remote, a) = setup();
    run(&repo, &a, &["atse", "share", "push"]);
    // Replace every pack in the remote's notes with garbage and a tampered copy.
    let notes = run(
        &repo,
        &remote,
        &["notes", "--ref", "refs/notes/atse", "list"],
    )
    .1;
    for line in notes.lines() {
        let (note, object) = line.split_once(' ').unwrap();
        let content = run(&repo, &remote, &["cat-file", "blob", note]).1;
        if content.starts_with("atse-share") {
            continue;
        }
        let mut cmd = repo.cmd("git", &["hash-object", "-w", "--stdin"]);
        cmd.current_dir(&remote)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"ATSE\x1a\n\xa9\n not really a pack")
            .unwrap();
        let garbage = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
        let (code, _, err) = run(
            &repo,
            &remote,
            &[
                "notes",
                "--ref",
                "refs/notes/atse",
                "add",
                "-f",
                "-C",
                garbage.trim(),
                object,
            ],
        );
        assert_eq!(code, 0, "{err}");
    }
    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, _, err) = run(&repo, &b, &["atse", "share", "fetch"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rejected pack"), "{err}");
    // Nothing was imported; the index is built from the source, correctly.
    let (_, _, err) = run(&repo, &b, &["atse", "update"]);
    assert!(err.contains("21 parsed"), "{err}");
    assert_eq!(
        run(&repo, &b, &["atse", "grep-symbol", "f3"]).1,
        "src/m3.py:1:5: function f3\n"
    );

    // A commit note that is not ours is rejected with a message, not a crash.
    let head = run(&repo, &remote, &["rev-parse", "HEAD"]).1;
    run(
        &repo,
        &remote,
        &[
            "notes",
            "--ref",
            "refs/notes/atse",
            "add",
            "-f",
            "-m",
            "hello",
            head.trim(),
        ],
    );
    let c = repo.tmp().join("c");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), c.to_str().unwrap()]);
    let (code, _, err) = run(&repo, &c, &["atse", "share", "fetch"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("was rejected"), "{err}");
}
