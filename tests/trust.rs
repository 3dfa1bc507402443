//! Issue 13: an index that cannot be made to lie. Each test reproduces one way git-atse
//! could be made to answer wrongly with exit 0, and checks it now answers right or says
//! plainly that it cannot.

use crate::util::Repo;

fn object_path(repo: &Repo, path: &str) -> std::path::PathBuf {
    let id = repo
        .git(&["rev-parse", &format!("HEAD:{path}")])
        .trim()
        .to_string();
    repo.atse_dir()
        .join("objects")
        .join(&id[..2])
        .join(&id[2..])
}

// See: issue 13, item 2.
#[test]
fn issue_13_an_object_stored_under_another_blob_is_not_used_to_retract() {
    let repo = Repo::new();
    repo.write("a.py", "def old_name():\n    pass\n")
        .write("b.py", "def other_file():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    // A valid object, of b.py's blob, put where a.py's blob's object belongs.
    std::fs::copy(object_path(&repo, "b.py"), object_path(&repo, "a.py")).unwrap();
    repo.write("a.py", "def new_name():\n    pass\n");
    repo.commit_all("rename");
    assert_eq!(
        repo.atse(&["grep-symbol", "old_name"]).code,
        1,
        "a stale definition survived a retraction through the wrong object"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "new_name"]),
        "a.py:1:5: function new_name\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "other_file"]),
        "b.py:1:5: function other_file\n"
    );
    assert_eq!(repo.atse_ok(&["tags"]), repo.fresh_index_tags());
}
