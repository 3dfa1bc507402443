//! `git atse gc` and packs: git decides reachability; packed objects read back as loose
//! ones did; a gc killed at any moment loses nothing.

use std::process::Stdio;
use std::time::Duration;

use crate::util::Repo;

fn status(repo: &Repo) -> serde_json::Value {
    serde_json::from_str(&repo.atse_ok(&["status", "--json", "--no-update"])).unwrap()
}

#[test]
fn gc_removes_objects_of_pruned_blobs_and_packs_the_rest() {
    let repo = Repo::new();
    repo.write("a.py", "def old_a():\n    pass\n")
        .write("b.py", "def b():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    // Rewrite a.py's history so that its old blob becomes unreachable.
    repo.write("a.py", "def new_a():\n    pass\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "-m", "amended"]);
    // A blob that only another branch has stays.
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("c.py", "def on_side():\n    pass\n");
    repo.commit_all("side");
    repo.atse_ok(&["update", "--quiet"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.atse_ok(&["update", "--quiet"]);
    assert_eq!(status(&repo)["objects"], 4);
    // git prunes the old blob.
    repo.git(&["reflog", "expire", "--expire=now", "--all"]);
    repo.git(&["gc", "-q", "--prune=now"]);

    let out = repo.atse_ok(&["gc"]);
    assert!(
        out.starts_with("removed 1 objects of blobs git no longer has, packed 3 objects"),
        "{out}"
    );
    let st = status(&repo);
    assert_eq!(
        (
            st["objects"].clone(),
            st["loose_objects"].clone(),
            st["packed_objects"].clone()
        ),
        (3.into(), 0.into(), 3.into())
    );
    let loose: usize = std::fs::read_dir(repo.atse_dir().join("objects"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().len() == 2)
        .map(|e| std::fs::read_dir(e.path()).unwrap().count())
        .sum();
    assert_eq!(loose, 0);

    // Packed objects read back as the loose ones did: a rebuild parses nothing.
    let tags = repo.atse_ok(&["tags"]);
    let out = repo.atse(&["update", "--full"]);
    assert!(out.stderr.contains("0 parsed, 2 reused"), "{}", out.stderr);
    assert_eq!(repo.atse_ok(&["tags"]), tags);
    repo.git(&["checkout", "-q", "side"]);
    let out = repo.atse(&["update"]);
    assert!(out.stderr.contains("0 parsed"), "{}", out.stderr);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "on_side"]),
        "c.py:1:5: function on_side\n"
    );
}

#[test]
fn updates_pack_loose_objects_past_the_threshold() {
    let repo = Repo::new();
    repo.git(&["config", "atse.autoPackLoose", "5"]);
    for i in 0..12 {
        repo.write(&format!("f{i}.py"), format!("def f{i}():\n    pass\n"));
    }
    repo.commit_all("many");
    repo.atse_ok(&["update", "--quiet"]);
    let st = status(&repo);
    assert_eq!(
        (st["loose_objects"].clone(), st["packed_objects"].clone()),
        (0.into(), 12.into())
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "f7"]),
        "f7.py:1:5: function f7\n"
    );
    // New objects go loose again until the next threshold.
    repo.write("g.py", "def g():\n    pass\n");
    repo.commit_all("one more");
    repo.atse_ok(&["update", "--quiet"]);
    let st = status(&repo);
    assert_eq!(
        (
            st["loose_objects"].clone(),
            st["packed_objects"].clone(),
            st["objects"].clone()
        ),
        (1.into(), 12.into(), 13.into())
    );
}

#[test]
fn a_first_index_of_many_files_writes_one_pack_and_says_where_its_time_went() {
    let repo = Repo::new();
    for i in 0..1100 {
        repo.write(
            &format!("d{}/f{i}.py", i % 10),
            format!("def f{i}():\n    pass\n"),
        );
    }
    repo.commit_all("many");
    let out = repo.atse(&["update", "--timings"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for line in [
        "changed paths: diff, objects, rows",
        "imports resolved",
        "index committed",
        "blobs parsed and walked",
    ] {
        assert!(out.stderr.contains(line), "no {line:?} in {}", out.stderr);
    }
    // Not 1,100 loose files written and read back to pack them.
    let st = status(&repo);
    assert_eq!(
        (st["loose_objects"].clone(), st["packed_objects"].clone()),
        (0.into(), 1100.into())
    );
    let packs = std::fs::read_dir(repo.atse_dir().join("objects/pack"))
        .unwrap()
        .count();
    assert_eq!(packs, 1);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "f777"]),
        "d7/f777.py:1:5: function f777\n"
    );
    // Later commits write loose objects again.
    repo.write("g.py", "def g():\n    pass\n");
    repo.commit_all("one more");
    repo.atse_ok(&["update", "--quiet"]);
    assert_eq!(status(&repo)["loose_objects"], 1);
}

#[test]
fn a_gc_killed_at_random_moments_loses_nothing() {
    let repo = Repo::new();
    for i in 0..300 {
        repo.write(
            &format!("d{}/m{i}.py", i % 5),
            format!("def m{i}():\n    return {i}\n"),
        );
    }
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    let expected = repo.atse_ok(&["tags"]);
    let bin = crate::util::bin_dir().join("git-atse");
    for round in 0..8u64 {
        let mut child = repo
            .cmd(&bin, &["gc", "--quiet"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis((round * 37) % 90));
        let _ = child.kill();
        let _ = child.wait();
        // Every object is still there, loose or packed: a rebuild parses nothing.
        let out = repo.atse(&["update", "--full"]);
        assert!(
            out.stderr
                .contains("(300 changed paths: 0 parsed, 300 reused)"),
            "round {round}: {}",
            out.stderr
        );
        assert_eq!(repo.atse_ok(&["tags"]), expected, "round {round}");
    }
    repo.atse_ok(&["gc", "--quiet"]);
    assert_eq!(status(&repo)["packed_objects"], 300);
}

#[test]
fn a_damaged_pack_is_never_trusted_and_gc_replaces_it() {
    let repo = Repo::new();
    repo.write("a.py", "def packed_fn():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    repo.atse_ok(&["gc", "--quiet"]);
    let pack_dir = repo.atse_dir().join("objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&pack).unwrap();
    // The object's compressed bytes end the file, before the 8-byte checksum (and at most
    // 7 bytes of padding): one of them flipped.
    let at = bytes.len() - 8 - 7 - 32;
    bytes[at] ^= 0x20;
    std::fs::write(&pack, &bytes).unwrap();
    // The object is extracted again from git, not read from the damaged pack.
    let out = repo.atse(&["update", "--full"]);
    assert!(out.stderr.contains("1 parsed"), "{}", out.stderr);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "packed_fn"]),
        "a.py:1:5: function packed_fn\n"
    );
    let out = repo.atse_ok(&["gc"]);
    assert!(out.contains("and 1 damaged ones"), "{out}");
    assert_eq!(status(&repo)["packed_objects"], 1);
}
