//! `map` ranks by references as well as imports: a file whose names are referenced from
//! many files ranks high though nothing imports it. The reference edges the index keeps by
//! name, commit after commit, equal those of an index built from scratch, and `--worktree`
//! answers as a fresh index of the files on disk would.

use std::collections::BTreeMap;
use std::path::Path;

use git_atse::store::index::Index;

use crate::util::Repo;

/// The reference edges of the index at `git_dir/atse`, by path, with their counts.
fn edges(git_dir: &Path) -> BTreeMap<(String, String), u32> {
    let index = Index::open_read(&git_dir.join("atse").join("index.redb"))
        .unwrap()
        .expect("an index");
    let mut paths = index.paths().unwrap();
    let mut path = |id| String::from_utf8(paths.path(id).unwrap()).unwrap();
    index
        .reference_edges()
        .unwrap()
        .into_iter()
        .map(|((a, b), n)| ((path(a), path(b)), n))
        .collect()
}

/// The edges of a fresh index of HEAD, built in a clone.
fn fresh_edges(repo: &Repo) -> BTreeMap<(String, String), u32> {
    let fresh = tempfile::tempdir().unwrap();
    let dest = fresh.path().to_str().unwrap();
    repo.git(&["clone", "-q", ".", dest]);
    let mut cmd = repo.cmd("git", &["atse", "update", "--quiet"]);
    cmd.current_dir(fresh.path());
    assert!(cmd.status().unwrap().success());
    edges(&fresh.path().join(".git"))
}

fn assert_incremental_equals_fresh(repo: &Repo, step: &str) {
    repo.atse_ok(&["update", "--quiet"]);
    let kept = edges(&repo.path().join(".git"));
    assert_eq!(kept, fresh_edges(repo), "after {step}");
}

#[test]
fn reference_edges_kept_by_updates_equal_a_fresh_index() {
    let repo = Repo::new();
    repo.write("core.py", "def helper():\n    pass\n")
        .write("a.py", "def a():\n    helper()\n")
        .write("b.py", "def b():\n    helper()\n    a()\n");
    repo.commit_all("init");
    assert_incremental_equals_fresh(&repo, "init");
    let kept = edges(&repo.path().join(".git"));
    assert_eq!(kept.get(&("a.py".into(), "core.py".into())), Some(&1));
    assert_eq!(kept.get(&("b.py".into(), "a.py".into())), Some(&1));

    // A caller stops calling; another file starts defining the name.
    repo.write("a.py", "def a():\n    pass\n")
        .write("other.py", "def helper():\n    pass\n");
    repo.commit_all("second definer");
    assert_incremental_equals_fresh(&repo, "a second definer");

    // More definers than count: the name stops making edges; then it counts again.
    for i in 0..4 {
        repo.write(&format!("d{i}.py"), "def helper():\n    pass\n");
    }
    repo.commit_all("many definers");
    assert_incremental_equals_fresh(&repo, "too many definers");
    let kept = edges(&repo.path().join(".git"));
    assert!(
        !kept.keys().any(|(_, to)| to == "core.py"),
        "a name defined in 6 files still makes edges: {kept:?}"
    );
    for i in 0..3 {
        repo.remove(&format!("d{i}.py"));
    }
    repo.commit_all("fewer definers");
    assert_incremental_equals_fresh(&repo, "fewer definers");

    // Rename, delete, and a file that calls what it defines itself.
    repo.git(&["mv", "b.py", "renamed.py"]);
    repo.remove("core.py");
    repo.write("self.py", "def own():\n    own()\n    helper()\n");
    repo.commit_all("rename, delete, self");
    assert_incremental_equals_fresh(&repo, "rename and delete");
    let kept = edges(&repo.path().join(".git"));
    assert!(!kept.contains_key(&("self.py".into(), "self.py".into())));
}

#[test]
fn map_ranks_a_file_referenced_from_everywhere_first() {
    let repo = Repo::new();
    // Nothing imports zz_base.py (last by path, so a tie would put it last); four files call its
    // function.
    repo.write("zz_base.py", "def shared_work():\n    pass\n");
    for i in 0..4 {
        repo.write(
            &format!("user{i}.py"),
            format!("def user{i}():\n    shared_work()\n"),
        );
    }
    repo.write("a_lonely.py", "def lonely():\n    pass\n");
    repo.commit_all("init");
    let map = repo.atse_ok(&["map", "--tokens", "1000"]);
    assert!(
        map.starts_with("zz_base.py\n     1│ def shared_work():\n"),
        "{map}"
    );
}

#[test]
fn worktree_map_ranks_as_a_fresh_index_of_the_files_on_disk() {
    let repo = Repo::new();
    repo.write("base.py", "def shared_work():\n    pass\n")
        .write("alt.py", "def alt_work():\n    pass\n");
    for i in 0..3 {
        repo.write(
            &format!("user{i}.py"),
            format!("def user{i}():\n    shared_work()\n"),
        );
    }
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    // Uncommitted: the users move to alt_work, a new file calls it too.
    for i in 0..3 {
        repo.write(
            &format!("user{i}.py"),
            format!("def user{i}():\n    alt_work()\n"),
        );
    }
    repo.write("new.py", "def fresh():\n    alt_work()\n");
    let worktree = repo.atse_ok(&["map", "--worktree", "--tokens", "1000", "."]);
    assert!(worktree.starts_with("alt.py\n"), "{worktree}");

    let fresh = tempfile::tempdir().unwrap();
    let dest = fresh.path().to_str().unwrap();
    repo.git(&["clone", "-q", ".", dest]);
    for f in ["user0.py", "user1.py", "user2.py", "new.py"] {
        std::fs::copy(repo.path().join(f), fresh.path().join(f)).unwrap();
    }
    let run = |args: &[&str]| {
        let mut cmd = repo.cmd("git", args);
        cmd.current_dir(fresh.path());
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["add", "-A"]);
    run(&["commit", "-q", "-m", "the working tree"]);
    run(&["atse", "update", "--quiet"]);
    assert_eq!(worktree, run(&["atse", "map", "--tokens", "1000", "."]));
}
