//! Sharing prebuilt index data through git notes: a bare remote and two clones.

use std::path::{Path, PathBuf};

use crate::util::{run_in as run, Repo};

/// Makes `bytes` (a new blob) the note of `object` in the remote, as a hostile publisher
/// would.
fn attach(repo: &Repo, remote: &Path, bytes: &[u8], object: &str) {
    let path = repo.tmp().join("attached-note");
    std::fs::write(&path, bytes).unwrap();
    let blob = run(repo, remote, &["hash-object", "-w", path.to_str().unwrap()]).1;
    let args = [
        "notes",
        "--ref",
        "refs/notes/atse",
        "add",
        "-f",
        "-C",
        blob.trim(),
        object,
    ];
    let (code, _, err) = run(repo, remote, &args);
    assert_eq!(code, 0, "{err}");
}

/// Makes `bytes` the note of every pack anchor in the remote's notes (the commit notes
/// stay), as a hostile publisher would.
fn replace_packs(repo: &Repo, remote: &Path, bytes: &[u8]) {
    let notes = run(repo, remote, &["notes", "--ref", "refs/notes/atse", "list"]).1;
    for line in notes.lines() {
        let (note, object) = line.split_once(' ').unwrap();
        let content = run(repo, remote, &["cat-file", "blob", note]).1;
        if !content.starts_with("atse-share") {
            attach(repo, remote, bytes, object);
        }
    }
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
    let (code, out, err) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!(code, 0, "{out}{err}");
    // The objects, and A's index itself: B has nothing left to do.
    assert!(
        out.contains("imported 21 objects and the index of tree"),
        "{out}"
    );
    let (_, _, err) = run(&repo, &b, &["atse", "update"]);
    assert!(err.contains("index is up to date: 21 files"), "{err}");
    assert_eq!(run(&repo, &b, &["atse", "tags"]).1, a_tags);
    for args in [&["atse", "rdeps", "src/m1.py"][..], &["atse", "rank"][..]] {
        assert_eq!(run(&repo, &b, args), run(&repo, &a, args), "{args:?}");
    }

    // A later commit in A publishes only its new objects.
    std::fs::write(a.join("src/new.py"), "def brand_new():\n    pass\n").unwrap();
    run(&repo, &a, &["add", "-A"]);
    run(&repo, &a, &["commit", "-q", "-m", "new"]);
    run(&repo, &a, &["push", "-q"]);
    let (code, out, err) = run(&repo, &a, &["atse", "share", "push"]);
    assert_eq!(code, 0, "{out}{err}");
    // Only the new object: the snapshot is carried forward (the tree barely moved).
    assert!(out.contains("published 1 new objects for"), "{out}");
    run(&repo, &b, &["pull", "-q"]);
    let (code, out, _) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!(code, 0);
    // B keeps its own index: a snapshot only seeds a clone that has none.
    assert!(out.contains("imported 1 objects from"), "{out}");
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
    let (code, out, err) = run(&repo, &a, &["atse", "share", "fetch", "--trust-unsigned"]);
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
    replace_packs(&repo, &remote, b"ATSE\x1a\n\xa9\n not really a pack");
    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, _, err) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
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
    let (code, _, err) = run(&repo, &c, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("was rejected"), "{err}");
}

#[test]
fn a_lying_or_damaged_index_snapshot_is_rejected() {
    let (repo, remote, a) = setup();
    let tree1 = run(&repo, &a, &["rev-parse", "HEAD^{tree}"])
        .1
        .trim()
        .to_string();
    std::fs::write(a.join("src/two.py"), "def two():\n    pass\n").unwrap();
    run(&repo, &a, &["add", "-A"]);
    run(&repo, &a, &["commit", "-q", "-m", "two"]);
    run(&repo, &a, &["push", "-q"]);
    let (code, out, err) = run(&repo, &a, &["atse", "share", "push"]);
    assert_eq!(code, 0, "{out}{err}");
    let head = run(&repo, &a, &["rev-parse", "HEAD"]).1.trim().to_string();
    let note = run(
        &repo,
        &remote,
        &["notes", "--ref", "refs/notes/atse", "show", &head],
    )
    .1;
    let index_line = note.lines().find(|l| l.starts_with("index ")).unwrap();
    let anchor = index_line.split(' ').nth(1).unwrap().to_string();
    let forge = |text: String| {
        let path = repo.tmp().join("forged-note");
        std::fs::write(&path, text).unwrap();
        let (code, _, err) = run(
            &repo,
            &remote,
            &[
                "notes",
                "--ref",
                "refs/notes/atse",
                "add",
                "-f",
                "-F",
                path.to_str().unwrap(),
                &head,
            ],
        );
        assert_eq!(code, 0, "{err}");
    };
    let fetch_into = |name: &str| {
        let b = repo.tmp().join(name);
        repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
        let (code, _, err) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
        (b, code, err)
    };

    // The note claims the snapshot describes the first commit's tree: it does not.
    forge(note.replace(index_line, &format!("index {anchor} {tree1}")));
    let (b, code, err) = fetch_into("b");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rejected the index snapshot"), "{err}");
    assert!(err.contains(&format!("not {tree1}")), "{err}");
    // The objects were fine: B builds its index from them, parsing nothing.
    let (_, _, err) = run(&repo, &b, &["atse", "update"]);
    assert!(err.contains("0 parsed, 22 reused"), "{err}");
    assert_eq!(
        run(&repo, &b, &["atse", "tags"]).1,
        run(&repo, &a, &["atse", "tags"]).1
    );

    // The snapshot's bytes are garbage (a zstd frame of junk, then raw junk).
    for junk in [
        {
            let mut z = vec![0x28, 0xb5, 0x2f, 0xfd];
            z.extend_from_slice(&[0x55; 300]);
            z
        },
        b"not an index at all".to_vec(),
    ] {
        forge(note.clone());
        attach(&repo, &remote, &junk, &anchor);
        let (b, code, err) = fetch_into(&format!("c{}", junk.len()));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("rejected the index snapshot"), "{err}");
        assert!(!b.join(".git/atse/index.redb.incoming").exists());
        let (_, _, err) = run(&repo, &b, &["atse", "update"]);
        assert!(err.contains("0 parsed, 22 reused"), "{err}");
    }
}

// See: issue 13, item 4.
#[test]
fn issue_13_an_honest_note_without_packs_imports_nothing_and_succeeds() {
    let (repo, remote, a) = setup();
    let head = run(&repo, &remote, &["rev-parse", "HEAD"]).1;
    attach(&repo, &remote, b"atse-share 1\n", head.trim());
    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, out, err) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("imported 0 objects"), "{out}");
    let _ = a;
}

// See: issue 13, item 5.
#[test]
fn issue_13_option_like_remotes_and_a_notes_ref_that_is_no_commit_are_refused() {
    let (repo, remote, a) = setup();
    let witness = repo.tmp().join("ran");
    let evil = format!("--upload-pack=touch {}", witness.display());
    for cmd in ["fetch", "push"] {
        // After `--`, so that it reaches git-atse as a remote, not as one of its options.
        let (code, out, err) = run(&repo, &a, &["atse", "share", cmd, "--", &evil]);
        assert_eq!((code, out.as_str()), (2, ""), "{err}");
        assert!(err.contains("is not a remote"), "{err}");
        assert!(!witness.exists(), "the remote ran a command");
    }
    // The remote's notes ref points at a blob.
    let path = repo.tmp().join("b.txt");
    std::fs::write(&path, "x").unwrap();
    let blob = run(
        &repo,
        &remote,
        &["hash-object", "-w", path.to_str().unwrap()],
    )
    .1;
    let (code, _, err) = run(
        &repo,
        &remote,
        &["update-ref", "refs/notes/atse", blob.trim()],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&repo, &a, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("not a notes commit"), "{err}");
    let (code, _, _) = run(
        &repo,
        &a,
        &["rev-parse", "-q", "--verify", "refs/notes/atse"],
    );
    assert_ne!(code, 0, "the blob was copied into the local notes ref");
}

/// An ssh signing key in `dir`; returns (private key path, public key line).
fn ssh_key(repo: &Repo, name: &str) -> (PathBuf, String) {
    let key = repo.tmp().join(name);
    let out = repo
        .cmd(
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"],
        )
        .arg(&key)
        .output()
        .expect("ssh-keygen (openssh-client) is needed to test signed sharing");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    (key, public.trim().to_string())
}

/// Makes `dir` sign with `key` (as `git commit -S` would, ssh format).
fn sign_with(repo: &Repo, dir: &Path, key: &Path) {
    for (k, v) in [
        ("gpg.format", "ssh"),
        ("user.signingKey", key.to_str().unwrap()),
    ] {
        assert_eq!(run(repo, dir, &["config", k, v]).0, 0);
    }
}

/// Makes `dir` trust `public` for the committer of the tests (c@example.com).
fn trust(repo: &Repo, dir: &Path, public: &str) {
    let file = repo.tmp().join(format!(
        "allowed-{}",
        dir.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(
        &file,
        format!("c@example.com namespaces=\"git\" {public}\n"),
    )
    .unwrap();
    let set = [
        "config",
        "gpg.ssh.allowedSignersFile",
        file.to_str().unwrap(),
    ];
    assert_eq!(run(repo, dir, &set).0, 0);
}

// See: issue 13, item 1.
#[test]
fn issue_13_signed_notes_are_imported_and_unsigned_or_untrusted_ones_refused() {
    let (repo, remote, a) = setup();
    let (key, public) = ssh_key(&repo, "publisher");
    sign_with(&repo, &a, &key);
    let (code, out, err) = run(&repo, &a, &["atse", "share", "push"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(", signed"), "{out}");
    // A clone that trusts the publisher's key imports without any opt-out.
    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    trust(&repo, &b, &public);
    let (code, out, err) = run(&repo, &b, &["atse", "share", "fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("imported 21 objects"), "{out}");
    // A clone that trusts another key refuses the same notes, and imports nothing.
    let c = repo.tmp().join("c");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), c.to_str().unwrap()]);
    let (_, other) = ssh_key(&repo, "someone-else");
    trust(&repo, &c, &other);
    let (code, out, err) = run(&repo, &c, &["atse", "share", "fetch"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("not signed by a key you trust"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        !c.join(".git/atse/objects/pack").exists(),
        "something was imported"
    );
    let (code, _, _) = run(
        &repo,
        &c,
        &["rev-parse", "-q", "--verify", "refs/notes/atse"],
    );
    assert_ne!(code, 0, "the refused notes were merged");
    // A hostile commit on top of the signed history (unsigned) is refused by B too.
    let head = run(&repo, &remote, &["rev-parse", "HEAD"]).1;
    attach(&repo, &remote, b"atse-share 1\n", head.trim());
    let (code, _, err) = run(&repo, &b, &["atse", "share", "fetch"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not signed by a key you trust"), "{err}");
}

// See: issue 13, item 1.
#[test]
fn issue_13_a_push_whose_configured_signing_fails_fails() {
    let (repo, _remote, a) = setup();
    sign_with(&repo, &a, &repo.tmp().join("no-such-key"));
    let (code, out, err) = run(&repo, &a, &["atse", "share", "push"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
}

// See: issue 13, item 1 (defence in depth: a trusted publisher's forged object).
#[test]
fn issue_13_a_forged_object_for_a_real_blob_rejects_the_whole_pack() {
    use git_atse::format::object;
    use git_atse::model::BlobId;
    let (repo, remote, a) = setup();
    run(&repo, &a, &["atse", "share", "push"]);
    // Every pack the remote names is replaced by one whose object for src/m3.py's blob
    // defines `planted` instead of f3 (a valid object, bound to the right blob id).
    let blob_hex = run(&repo, &a, &["rev-parse", "HEAD:src/m3.py"]).1;
    let blob = BlobId::from_hex(blob_hex.trim()).unwrap();
    let honest = std::fs::read(
        a.join(".git/atse/objects")
            .join(&blob_hex.trim()[..2])
            .join(&blob_hex.trim()[2..]),
    )
    .unwrap();
    let mut forged = object::decode(&honest, &blob).unwrap();
    forged.definitions[0].name = "planted".into();
    let pack = repo.tmp().join("forged.pack");
    git_atse::store::objects::pack::write(
        &pack,
        vec![(blob.clone(), object::encode(&blob, &forged))],
    )
    .unwrap();
    replace_packs(&repo, &remote, &std::fs::read(&pack).unwrap());
    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, _, err) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not what blob"), "{err}");
    run(&repo, &b, &["atse", "update", "--quiet"]);
    assert_eq!(run(&repo, &b, &["atse", "grep-symbol", "planted"]).0, 1);
    assert_eq!(
        run(&repo, &b, &["atse", "grep-symbol", "f3"]).1,
        "src/m3.py:1:5: function f3\n"
    );
}

// See: issue 13, item 1 (a snapshot whose postings its blobs do not give).
#[test]
fn issue_13_a_snapshot_with_a_made_up_definition_is_rejected() {
    use git_atse::store::index::{FileChange, Index, Side};
    let (repo, remote, a) = setup();
    run(&repo, &a, &["atse", "update", "--quiet"]);
    // The publisher's own index gets a definition no blob has (sound in every other way).
    let index_path = a.join(".git/atse/index.redb");
    {
        let index = Index::open_write(&index_path).unwrap();
        let state = index.state().unwrap().unwrap();
        let blob_hex = run(&repo, &a, &["rev-parse", "HEAD:src/m3.py"]).1;
        let blob = git_atse::model::BlobId::from_hex(blob_hex.trim()).unwrap();
        let honest = std::fs::read(
            a.join(".git/atse/objects")
                .join(&blob_hex.trim()[..2])
                .join(&blob_hex.trim()[2..]),
        )
        .unwrap();
        let old = git_atse::format::object::decode(&honest, &blob).unwrap();
        let mut new = old.clone();
        let mut planted = new.definitions[0].clone();
        planted.name = "planted".into();
        planted.line += 1;
        new.definitions.push(planted);
        let side = |index| Side {
            index,
            import_keys: &[],
        };
        let mut patch = index.begin().unwrap();
        let change = FileChange {
            path: b"src/m3.py",
            old: Some(side(&old)),
            new: Some((side(&new), &blob)),
        };
        patch.apply(&[change]).unwrap();
        patch
            .commit(&state.tree, state.commit.as_deref(), 0, 0)
            .unwrap();
    }
    std::fs::remove_file(a.join(".git/atse/index.redb.ok")).unwrap();
    let (code, out, err) = run(&repo, &a, &["atse", "share", "push"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("and the index of tree"), "{out}");
    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, _, err) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rejected the index snapshot"), "{err}");
    assert!(err.contains("planted"), "{err}");
    assert_eq!(run(&repo, &b, &["atse", "grep-symbol", "planted"]).0, 1);
}

// See: issue 13, item 3.
#[test]
fn issue_13_a_decompression_bomb_is_refused_unwritten_and_a_pack_imported_once() {
    let (repo, remote, a) = setup();
    run(&repo, &a, &["atse", "share", "push"]);
    let head = run(&repo, &remote, &["rev-parse", "HEAD"])
        .1
        .trim()
        .to_string();
    let tree = run(&repo, &remote, &["rev-parse", "HEAD^{tree}"])
        .1
        .trim()
        .to_string();
    let note = run(
        &repo,
        &remote,
        &["notes", "--ref", "refs/notes/atse", "show", &head],
    )
    .1;
    let pack = note
        .lines()
        .find_map(|l| l.strip_prefix("pack "))
        .unwrap()
        .to_string();
    // A 256 MiB snapshot in a small frame, and the honest pack named 300 times.
    let bomb = zstd::bulk::compress(&vec![0u8; 256 << 20], 3).unwrap();
    assert!(bomb.len() < 100_000);
    let anchor_file = repo.tmp().join("anchor");
    std::fs::write(&anchor_file, "atse-index bomb\n").unwrap();
    let anchor = run(
        &repo,
        &remote,
        &["hash-object", "-w", anchor_file.to_str().unwrap()],
    )
    .1;
    attach(&repo, &remote, &bomb, anchor.trim());
    let mut text = format!("atse-share 1\ntree {tree}\n");
    for _ in 0..300 {
        text.push_str(&format!("pack {pack}\n"));
    }
    text.push_str(&format!("index {} {tree}\n", anchor.trim()));
    attach(&repo, &remote, text.as_bytes(), &head);
    let b = repo.tmp().join("b");
    repo.git(&["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()]);
    let (code, out, err) = run(&repo, &b, &["atse", "share", "fetch", "--trust-unsigned"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("over the limit"), "{err}");
    assert!(
        out.starts_with("imported 21 objects"),
        "each pack once: {out}"
    );
    assert!(!b.join(".git/atse/index.redb.incoming").exists());
    assert!(
        !b.join(".git/atse/index.redb").exists(),
        "the bomb became the index"
    );
}

#[test]
fn a_remote_without_notes_is_not_an_error_but_an_unreachable_one_is() {
    let (repo, _remote, a) = setup();
    let (code, out, err) = run(&repo, &a, &["atse", "share", "fetch"]);
    assert_eq!(
        (code, out.as_str()),
        (1, "origin has no git-atse notes\n"),
        "{err}"
    );
    let (code, out, err) = run(&repo, &a, &["atse", "share", "fetch", "no-such-remote"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("cannot fetch"), "{err}");
}
