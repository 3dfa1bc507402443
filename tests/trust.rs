//! Issue 13: an index that cannot be made to lie. Each test reproduces one way git-atse
//! could be made to answer wrongly with exit 0, and checks it now answers right or says
//! plainly that it cannot.

use crate::util::Repo;

// See: issue 13, item 2.
#[test]
fn issue_13_an_object_stored_under_another_blob_is_not_used_to_retract() {
    let repo = Repo::new();
    repo.write("a.py", "def old_name():\n    pass\n")
        .write("b.py", "def other_file():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    // A valid object, of b.py's blob, put where a.py's blob's object belongs.
    std::fs::copy(repo.object_path("b.py"), repo.object_path("a.py")).unwrap();
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

/// Flips the first byte of every occurrence of `needle` in the file at `path`.
fn flip_all(path: &std::path::Path, needle: &[u8]) -> usize {
    let mut bytes = std::fs::read(path).unwrap();
    let mut n = 0;
    let mut at = 0;
    while let Some(pos) = bytes[at..].windows(needle.len()).position(|w| w == needle) {
        bytes[at + pos] ^= 0x01;
        at += pos + needle.len();
        n += 1;
    }
    std::fs::write(path, bytes).unwrap();
    n
}

// See: issue 13, item 6.
#[test]
fn issue_13_a_flipped_letter_in_the_index_is_found_and_repaired() {
    let repo = Repo::new();
    repo.write("a.py", "def distinctive_name():\n    pass\n")
        .write("b.py", "def other():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    let tags = repo.atse_ok(&["tags"]);
    let flipped = flip_all(&repo.atse_dir().join("index.redb"), b"distinctive_name");
    assert!(flipped > 0);
    // Answered from as it is: a clear error, never the garbled name or "not found".
    let out = repo.atse(&["grep-symbol", "--no-update", "distinctive_name"]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{}", out.stderr);
    assert!(out.stderr.contains("index"), "{}", out.stderr);
    let out = repo.atse(&["tags", "--no-update"]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""), "{}", out.stderr);
    // The next update rebuilds it (from the objects: nothing is parsed) and says so.
    let out = repo.atse(&["update"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("rebuilt the index"), "{}", out.stderr);
    // It does not advise rebuilding what it has just rebuilt.
    assert!(!out.stderr.contains("update --full"), "{}", out.stderr);
    assert!(out.stderr.contains("0 parsed"), "{}", out.stderr);
    assert_eq!(repo.atse_ok(&["tags"]), tags);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "distinctive_name"]),
        "a.py:1:5: function distinctive_name\n"
    );
}

// See: issue 13, item 7.
#[test]
fn issue_13_a_damaged_index_page_never_panics_and_hooks_stay_silent() {
    let repo = Repo::new();
    for i in 0..200 {
        repo.write(
            &format!("m{i}.py"),
            format!("def f{i}():\n    return g{i}()\n"),
        );
    }
    repo.commit_all("init");
    repo.atse_ok(&["install", "--quiet"]);
    let index = repo.atse_dir().join("index.redb");
    let mut bytes = std::fs::read(&index).unwrap();
    // Every page but the header gets garbage: whatever redb reads next is damaged.
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i * 131 % 251) as u8;
    }
    std::fs::write(&index, bytes).unwrap();
    for args in [
        &["grep-symbol", "--no-update", "f7"][..],
        &["status", "--no-update"],
    ] {
        let out = repo.atse(args);
        assert_ne!(out.code, 101, "{args:?} panicked: {}", out.stderr);
        assert!(out.code == 2 && out.stdout.is_empty(), "{args:?}: {out:?}");
    }
    // A commit runs the post-commit hook: it repairs the index and prints nothing.
    repo.write("new.py", "def added():\n    pass\n");
    repo.git(&["add", "-A"]);
    let commit = repo.git_out(&["commit", "-q", "-m", "after damage"]);
    assert_eq!(commit.code, 0);
    assert_eq!(commit.stderr, "", "the hook printed something");
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "added"]),
        "new.py:1:5: function added\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "f7"]),
        "m7.py:1:5: function f7\n"
    );
    assert_eq!(repo.atse_ok(&["update", "--full", "--quiet"]), "");
    assert_eq!(repo.atse_ok(&["tags"]), repo.fresh_index_tags());
}

// See: issue 13, item 8.
#[test]
fn issue_13_refs_after_lost_objects_and_a_raised_size_limit_need_no_manual_repair() {
    let repo = Repo::new();
    repo.write("a.py", "def caller():\n    return target()\n")
        .write(
            "big.py",
            format!("def big_one():\n    pass\n{}", "# padding\n".repeat(300)),
        );
    repo.commit_all("init");
    repo.git(&["config", "atse.maxFileSize", "1000"]);
    repo.atse_ok(&["update", "--quiet"]);
    assert_eq!(
        repo.atse(&["grep-symbol", "big_one"]).code,
        1,
        "skipped as too large"
    );
    // A raised limit takes effect with --full, though the skip is recorded in an object.
    repo.git(&["config", "atse.maxFileSize", "100000"]);
    repo.atse_ok(&["update", "--full", "--quiet"]);
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "big_one"]),
        "big.py:1:5: function big_one\n"
    );
    // Every object lost: refs extracts what it needs again, without a manual repair.
    std::fs::remove_dir_all(repo.atse_dir().join("objects")).unwrap();
    assert_eq!(repo.atse_ok(&["refs", "target"]), "a.py:2:12: in caller\n");
}

// See: issue 13, item 12.
#[test]
fn issue_13_tags_output_never_replaces_a_device_fifo_or_symlink() {
    use std::os::unix::fs::FileTypeExt;
    let repo = Repo::new();
    repo.write("a.py", "def alpha():\n    pass\n");
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    // A character device: written to, never renamed over (as root this destroyed it).
    repo.atse_ok(&["tags", "-o", "/dev/null"]);
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // A symlink: the file it points to gets the tags, the link stays a link.
    let real = repo.tmp().join("real.tags");
    let link = repo.tmp().join("link.tags");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    repo.atse_ok(&["tags", "-o", link.to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .contains("alpha\ta.py"));
    // A FIFO: read by another process as the tags are written; it stays a FIFO.
    let fifo = repo.tmp().join("tags.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    repo.atse_ok(&["tags", "-o", fifo.to_str().unwrap()]);
    assert!(reader.join().unwrap().contains("alpha\ta.py"));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

// See: issue 13, item 14.
#[test]
fn issue_13_json_into_a_closed_pipe_exits_quietly_like_the_other_formats() {
    let repo = Repo::new();
    for i in 0..1500 {
        repo.write(&format!("d/m{i}.py"), "def dup():\n    pass\n");
    }
    repo.commit_all("init");
    repo.atse_ok(&["update", "--quiet"]);
    for format in [&["--json"][..], &[]] {
        let mut args = vec!["atse", "grep-symbol"];
        args.extend_from_slice(format);
        args.push("dup");
        let script = format!(
            "git {} 2>err | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
            args.join(" ")
        );
        let out = repo.cmd("bash", &["-c", &script]).output().unwrap();
        let status = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let err = std::fs::read_to_string(repo.path().join("err")).unwrap();
        assert_eq!((status.as_str(), err.as_str()), ("0", ""), "{format:?}");
    }
}

// See: issue 13, item 13.
#[test]
fn issue_13_install_again_after_another_tool_replaced_a_hook_loses_no_hook() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new();
    let hooks = repo.path().join(".git/hooks");
    let write_hook = |name: &str, body: &str| {
        let p = hooks.join(name);
        std::fs::write(&p, body).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    write_hook("post-commit", "#!/bin/sh\necho the user's own hook\n");
    repo.atse_ok(&["install", "--quiet", "--no-index"]);
    // Another tool installs its own post-commit over git-atse's.
    write_hook("post-commit", "#!/bin/sh\necho another tool's hook\n");
    let out = repo.atse(&["install", "--quiet", "--no-index"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("merge the two"), "{}", out.stderr);
    let read = |name: &str| std::fs::read_to_string(hooks.join(name)).unwrap();
    assert_eq!(
        read("post-commit.atse-chained"),
        "#!/bin/sh\necho the user's own hook\n"
    );
    assert_eq!(read("post-commit"), "#!/bin/sh\necho another tool's hook\n");
}

/// Runs `git atse ARGS` with the repository's `.git/atse` mounted read-only (in a mount
/// namespace of its own); `None` when this machine cannot make one.
fn atse_read_only(repo: &Repo, args: &[&str]) -> Option<crate::util::Out> {
    let atse = repo.atse_dir();
    let script = format!(
        "mount --bind -o ro '{0}' '{0}' || exit 97; exec git atse {1}",
        atse.display(),
        args.join(" ")
    );
    let out = repo
        .cmd("unshare", &["-m", "sh", "-c", &script])
        .output()
        .ok()?;
    let out = crate::util::Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    (out.code != 97 && !out.stderr.contains("unshare failed")).then_some(out)
}

// See: issue 13, item 9.
#[test]
fn issue_13_a_read_only_store_is_answered_from_as_it_is() {
    let repo = Repo::new();
    repo.write("a.py", "def alpha():\n    pass\n");
    repo.commit_all("one");
    repo.atse_ok(&["update", "--quiet"]);
    // Unrecorded (copied from elsewhere, say), and then behind HEAD as well.
    std::fs::remove_file(repo.atse_dir().join("index.redb.ok")).unwrap();
    let Some(out) = atse_read_only(&repo, &["grep-symbol", "alpha"]) else {
        eprintln!("skipped: this machine cannot mount read-only in a namespace (unshare -m)");
        return;
    };
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "a.py:1:5: function alpha\n"),
        "{}",
        out.stderr
    );
    repo.write("b.py", "def beta():\n    pass\n");
    repo.commit_all("two");
    let out = atse_read_only(&repo, &["grep-symbol", "alpha"]).unwrap();
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "a.py:1:5: function alpha\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("answering from it as it is"),
        "{}",
        out.stderr
    );
}

// See: issue 13, items 10 and 11.
#[test]
fn issue_13_queries_wait_for_a_first_index_and_update_says_what_it_waits_for() {
    let repo = Repo::new();
    repo.write("a.py", "def alpha():\n    pass\n");
    repo.commit_all("one");
    // Another process holds the update lock as a first index would, for two seconds.
    let lock_path = repo.atse_dir().join("update.lock");
    std::fs::create_dir_all(repo.atse_dir()).unwrap();
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        drop(lock);
    });
    let query = repo.atse(&["grep-symbol", "alpha"]);
    release.join().unwrap();
    assert_eq!(
        (query.code, query.stdout.as_str()),
        (0, "a.py:1:5: function alpha\n"),
        "{}",
        query.stderr
    );
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        drop(lock);
    });
    repo.write("b.py", "def beta():\n    pass\n");
    repo.commit_all("two");
    let update = repo.atse(&["update"]);
    release.join().unwrap();
    assert_eq!(update.code, 0, "{}", update.stderr);
    assert!(
        update.stderr.contains("waiting for it to finish"),
        "{}",
        update.stderr
    );
}

// See: issue 13, item 16.
#[test]
fn issue_13_a_sha256_repository_gets_one_clear_line_and_silent_hooks() {
    let repo = Repo::new();
    let sha256 = repo.tmp().join("sha256");
    let init = repo.git_out(&[
        "init",
        "-q",
        "--object-format=sha256",
        sha256.to_str().unwrap(),
    ]);
    if init.code != 0 {
        eprintln!(
            "skipped: this git cannot make SHA-256 repositories: {}",
            init.stderr
        );
        return;
    }
    std::fs::write(sha256.join("a.py"), "def alpha():\n    pass\n").unwrap();
    let in_sha256 = |args: &[&str]| {
        let out = repo.cmd("git", args).current_dir(&sha256).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = in_sha256(&["atse", "grep-symbol", "alpha"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(
        err,
        "git-atse: SHA-256 repositories are not supported yet\n"
    );
    // Hooks that got there anyway (a template directory) print nothing on a commit.
    repo.atse_ok(&["install", "--quiet", "--no-index"]);
    for hook in ["post-commit", "post-checkout", "post-merge", "post-rewrite"] {
        let from = repo.path().join(".git/hooks").join(hook);
        std::fs::copy(&from, sha256.join(".git/hooks").join(hook)).unwrap();
    }
    in_sha256(&["add", "-A"]);
    let (code, _, err) = in_sha256(&["commit", "-q", "-m", "one"]);
    assert_eq!((code, err.as_str()), (0, ""));
}

// See: issue 13, item 15.
#[test]
fn issue_13_odd_paths_are_quoted_escaped_and_lossless() {
    let repo = Repo::new();
    let odd = "tab\there\x1b[31m.py";
    repo.write(odd, "def odd_one():\n    pass\n");
    let bad_name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"bad\xffname.py");
    std::fs::write(repo.path().join(bad_name), "def bad_one():\n    pass\n").unwrap();
    repo.commit_all("odd paths");
    // As git prints paths: quoted, with C escapes.
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "odd_one"]),
        "\"tab\\there\\033[31m.py\":1:5: function odd_one\n"
    );
    assert_eq!(
        repo.atse_ok(&["grep-symbol", "bad_one"]),
        "\"bad\\377name.py\":1:5: function bad_one\n"
    );
    // The tags file keeps one tag per line.
    let tags = repo.atse_ok(&["tags"]);
    assert!(
        tags.lines()
            .any(|l| l == "odd_one\ttab\\there\x1b[31m.py\t1;\"\tfunction\tline:1"),
        "{tags}"
    );
    // JSON gives the exact bytes of a path that is not UTF-8.
    let json = repo.atse_ok(&["grep-symbol", "--json", "bad_one"]);
    let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(v["path_bytes"], "626164ff6e616d652e7079");
}
