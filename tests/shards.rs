//! One index built by many jobs (issue 17): `update --shard K/N` in each of N clones, a
//! concurrent `share push` from all of them to one bare remote, then a fresh clone fetches
//! and builds its index from the objects alone.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::util::{git_in, run_in as run, Repo};

/// A repository of 60 files in four languages, its bare remote, and `n` clones of it.
fn setup(n: usize) -> (Repo, PathBuf, Vec<PathBuf>) {
    let repo = Repo::new();
    for i in 0..20 {
        repo.write(
            &format!("py/m{i}.py"),
            format!(
                "import py.m{}\n\ndef f{i}():\n    return {}\n",
                (i + 1) % 20,
                "1 + ".repeat(i * 30) + "1"
            ),
        );
        repo.write(
            &format!("rs/r{i}.rs"),
            format!("pub struct S{i};\nimpl S{i} {{ pub fn m{i}(&self) {{}} }}\n"),
        );
        repo.write(
            &format!("c/h{i}.h"),
            format!("#include \"h{}.h\"\nint c{i}(void);\n", (i + 3) % 20),
        );
    }
    repo.commit_all("init");
    let remote = repo.tmp().join("remote.git");
    repo.git(&["clone", "-q", "--bare", ".", remote.to_str().unwrap()]);
    let clones = (0..n)
        .map(|i| clone(&repo, &remote, &format!("job{i}")))
        .collect();
    (repo, remote, clones)
}

/// A clone of `remote` where blobs over 2,200 bytes are skipped as too large (the largest
/// Python file is: a skip must travel like any object).
fn clone(repo: &Repo, remote: &Path, name: &str) -> PathBuf {
    let dir = repo.tmp().join(name);
    let (from, to) = (remote.to_str().unwrap(), dir.to_str().unwrap());
    repo.git(&["clone", "-q", from, to]);
    run(repo, &dir, &["config", "atse.maxFileSize", "2200"]);
    dir
}

#[test]
fn three_shard_jobs_pushing_at_once_make_one_index_that_parses_nothing() {
    let (repo, remote, jobs) = setup(3);
    let mut objects = 0;
    for (i, dir) in jobs.iter().enumerate() {
        let spec = format!("{}/3", i + 1);
        let (code, out, err) = run(&repo, dir, &["atse", "update", "--shard", &spec]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(err.contains(&format!("shard {spec}:")), "{err}");
        assert!(err.contains("no index written"), "{err}");
        assert!(
            !dir.join(".git/atse/index.redb").exists(),
            "a shard job writes no index"
        );
        let parsed: usize = err
            .split(" parsed")
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{err}"));
        objects += parsed;
    }
    assert_eq!(objects, 60, "every blob in exactly one shard");
    // All three push at the same moment: the notes ref races, and every one must land.
    let pushes: Vec<_> = jobs
        .iter()
        .map(|dir| {
            git_in(&repo, dir, &["atse", "share", "push"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut published = 0;
    for p in pushes {
        let out = p.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        published += text
            .split("published ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{text}"));
    }
    assert_eq!(published, 60, "none lost, none published twice");
    // A fresh clone: fetch, then an update that parses nothing.
    let fresh = clone(&repo, &remote, "fresh");
    let (code, out, err) = run(
        &repo,
        &fresh,
        &["atse", "share", "fetch", "--trust-unsigned"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("imported 60 objects"), "{out}");
    let (code, out, err) = run(&repo, &fresh, &["atse", "update"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains(" 0 parsed, 60 reused"), "{err}");
    assert!(
        err.contains(", 1 skipped "),
        "one file over atse.maxFileSize: {err}"
    );
    let tags = run(&repo, &fresh, &["atse", "tags", "-o", "-"]).1;
    // The same as a full index of the same commit, built from nothing.
    let full = clone(&repo, &remote, "full");
    run(&repo, &full, &["atse", "update", "--quiet"]);
    assert_eq!(tags, run(&repo, &full, &["atse", "tags", "-o", "-"]).1);
    assert!(tags.lines().count() > 100, "{tags}");
    // Pushing again publishes nothing new.
    let (code, out, _) = run(&repo, &jobs[0], &["atse", "share", "push"]);
    assert_eq!(code, 0);
    assert!(out.contains("published 0 new objects"), "{out}");
}

#[test]
fn a_bad_shard_spec_is_a_clear_error() {
    let (repo, _, jobs) = setup(1);
    for bad in ["0/3", "4/3", "x", "1/0"] {
        let (code, _, err) = run(&repo, &jobs[0], &["atse", "update", "--shard", bad]);
        assert_eq!(code, 2, "{bad}");
        assert!(err.contains("is not a shard K/N"), "{bad}: {err}");
    }
    let (code, _, err) = run(
        &repo,
        &jobs[0],
        &["atse", "update", "--shard", "1/2", "--full"],
    );
    assert_eq!(code, 2, "{err}");
}
