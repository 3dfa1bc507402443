//! Crashes aimed at each window of an update and a gc with failpoints (built with the
//! `failpoints` feature, as the README's test command does): the process aborts there, as
//! if killed, and the next command must answer exactly as a fresh index would.
#![cfg(feature = "failpoints")]

use crate::util::{Out, Repo};

/// `git atse ARGS` with the failpoint `point` armed; asserts the process was killed by it.
fn crash_at(repo: &Repo, point: &str, args: &[&str]) {
    let mut full = vec!["atse"];
    full.extend_from_slice(args);
    let out = repo
        .cmd("git", &full)
        .env("ATSE_FAILPOINT", point)
        .output()
        .unwrap();
    let out = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_ne!(
        out.code, 0,
        "git atse {args:?} was not stopped at {point}:\n{}{}",
        out.stdout, out.stderr
    );
}

/// A repository indexed at its first commit, with a second commit not indexed yet.
fn indexed_then_changed() -> Repo {
    let repo = Repo::new();
    for i in 0..20 {
        repo.write(
            &format!("pkg/m{i}.py"),
            format!(
                "import pkg.m{}\n\ndef f{i}():\n    return g{i}()\n",
                (i + 1) % 20
            ),
        );
    }
    repo.commit_all("one");
    repo.atse_ok(&["update", "--quiet"]);
    for i in 0..5 {
        repo.write(
            &format!("pkg/m{i}.py"),
            format!("def changed{i}():\n    pass\n"),
        );
    }
    repo.write(
        "pkg/new.py",
        "class Added:\n    def method(self):\n        pass\n",
    );
    repo.remove("pkg/m19.py");
    repo.commit_all("two");
    repo
}

/// After a crash: a reader that does not update still answers from a committed index, and
/// the next command that updates answers as a fresh index of HEAD.
fn assert_recovers(repo: &Repo, point: &str) {
    let stale = repo.atse(&["tags", "--no-update"]);
    assert_eq!(stale.code, 0, "{point}: {}", stale.stderr);
    assert_eq!(
        repo.atse_ok(&["tags"]),
        repo.fresh_index_tags(),
        "{point}: wrong answer after the crash"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "Added"]),
        "pkg/new.py:1:7: class Added\n",
        "{point}"
    );
    assert_eq!(repo.atse(&["grep-symbol", "f19"]).code, 1, "{point}");
}

#[test]
fn an_update_killed_after_writing_objects_leaves_the_old_index() {
    let repo = indexed_then_changed();
    crash_at(&repo, "objects_written", &["update", "--quiet"]);
    assert_recovers(&repo, "objects_written");
}

#[test]
fn an_update_killed_before_its_commit_leaves_the_old_index() {
    let repo = indexed_then_changed();
    crash_at(&repo, "before_commit", &["update", "--quiet"]);
    assert_recovers(&repo, "before_commit");
}

#[test]
fn a_rebuild_killed_before_its_rename_leaves_the_old_index() {
    let repo = indexed_then_changed();
    crash_at(&repo, "before_rename", &["update", "--quiet", "--full"]);
    assert_recovers(&repo, "before_rename");
}

#[test]
fn a_rebuild_killed_before_its_bloom_filter_answers_from_the_index() {
    let repo = indexed_then_changed();
    crash_at(&repo, "before_bloom", &["update", "--quiet", "--full"]);
    // No filter: lookups ask the index, and a miss is still a miss.
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "--no-update", "changed3"]),
        "pkg/m3.py:1:5: function changed3\n"
    );
    assert_recovers(&repo, "before_bloom");
}

#[test]
fn a_gc_killed_after_packing_loses_no_object() {
    let repo = indexed_then_changed();
    repo.atse_ok(&["update", "--quiet"]);
    crash_at(&repo, "gc_packed", &["gc", "--quiet"]);
    assert_recovers(&repo, "gc_packed");
    repo.atse_ok(&["gc", "--quiet"]);
    // Every object survived: refs reads them, and nothing is extracted again.
    assert_eq!(repo.atse_ok(&["refs", "g7"]), "pkg/m7.py:4:12: in f7\n");
    let full = repo.atse(&["update", "--full"]);
    let said = format!("{}{}", full.stdout, full.stderr);
    assert!(full.code == 0 && said.contains(": 0 parsed"), "{said}");
}
