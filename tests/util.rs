//! Test helpers: real git repositories in temporary directories, an isolated environment,
//! and `git atse` run through git exactly as a user types it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A git repository in a temporary directory.
pub struct Repo {
    dir: tempfile::TempDir,
}

/// What a command printed, with its exit code.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    fn from(out: Output) -> Out {
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The directory holding the git-atse binary under test.
pub fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_git-atse"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Whether this is a CI run (`CI=true`), where a check must not skip for want of a tool.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says that `tool`, which a test checks against, is not installed: under CI the test fails
/// (so a missing install step cannot pass silently); elsewhere it is skipped.
pub fn tool_missing(tool: &str, install: &str) {
    assert!(
        !in_ci(),
        "{tool} is not installed, and under CI this check must run: install it with \
         `{install}` (.ci/run does)"
    );
    eprintln!("skipped: {tool} is not installed (install it with `{install}`)");
}

/// Makes `cmd` independent of the user's git config and environment, with the binary under
/// test first on PATH (so hooks' `git atse` runs it too).
pub fn isolate(cmd: &mut Command, home: &Path) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin_dir()];
    paths.extend(std::env::split_paths(&path));
    cmd.env("PATH", std::env::join_paths(paths).unwrap())
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_COMMON_DIR")
        .env_remove("NO_COLOR")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", home)
        .env("GIT_AUTHOR_NAME", "A")
        .env("GIT_AUTHOR_EMAIL", "a@example.com")
        .env("GIT_COMMITTER_NAME", "C")
        .env("GIT_COMMITTER_EMAIL", "c@example.com")
        .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z")
        .env("LC_ALL", "C")
        .env("TZ", "UTC");
}

impl Repo {
    /// `git init -b main` in a fresh temporary directory (the repository is `<tmp>/repo`).
    pub fn new() -> Repo {
        let repo = Repo::empty_dir();
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A fresh temporary directory with an empty `repo` subdirectory and no git repository.
    pub fn empty_dir() -> Repo {
        let dir = tempfile::Builder::new()
            .prefix("atse-test-")
            .tempdir()
            .unwrap();
        std::fs::create_dir(dir.path().join("repo")).unwrap();
        Repo { dir }
    }

    /// The repository's work tree.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// The temporary directory around the repository (for clones, a bare remote, HOME).
    pub fn tmp(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating directories).
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    /// Removes a file.
    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.path().join(path)).unwrap();
        self
    }

    /// A command in the repository with the isolated environment.
    pub fn cmd(&self, program: impl AsRef<OsStr>, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args).current_dir(self.path()).stdin(Stdio::null());
        isolate(&mut cmd, self.tmp());
        cmd
    }

    /// Runs git; panics with everything it printed when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Out::from(self.cmd("git", args).output().unwrap());
        assert_eq!(
            out.code,
            0,
            "git {args:?} failed in {}:\n{}{}",
            self.path().display(),
            out.stdout,
            out.stderr
        );
        out.stdout
    }

    /// Runs git and returns whatever happened.
    pub fn git_out(&self, args: &[&str]) -> Out {
        Out::from(self.cmd("git", args).output().unwrap())
    }

    /// `git add -A && git commit -m msg`; returns the new HEAD.
    pub fn commit_all(&self, msg: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// `git atse ARGS` through git, as a user types it.
    pub fn atse(&self, args: &[&str]) -> Out {
        let mut full = vec!["atse"];
        full.extend_from_slice(args);
        Out::from(self.cmd("git", &full).output().unwrap())
    }

    /// `git atse ARGS` with `input` on its standard input (a server fed by a client).
    pub fn atse_with_input(&self, args: &[&str], input: &[u8]) -> Out {
        use std::io::Write;
        let mut full = vec!["atse"];
        full.extend_from_slice(args);
        let mut child = self
            .cmd("git", &full)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        Out::from(child.wait_with_output().unwrap())
    }

    /// `git atse ARGS`, asserting exit code 0; returns stdout.
    pub fn atse_ok(&self, args: &[&str]) -> String {
        let out = self.atse(args);
        assert_eq!(
            out.code, 0,
            "git atse {args:?} failed:\n{}{}",
            out.stdout, out.stderr
        );
        out.stdout
    }

    /// The tags of a fresh index of HEAD's tree, built from scratch in a clone: what an
    /// incremental index must equal.
    pub fn fresh_index_tags(&self) -> String {
        let fresh = tempfile::tempdir().unwrap();
        let head = self.git(&["rev-parse", "HEAD"]);
        let dest = fresh.path().to_str().unwrap();
        assert!(self
            .cmd("git", &["clone", "-q", "--no-checkout", ".", dest])
            .status()
            .unwrap()
            .success());
        let mut cmd = self.cmd("git", &["atse", "update", "--quiet", "--rev", head.trim()]);
        cmd.current_dir(fresh.path());
        assert!(cmd.status().unwrap().success());
        let mut cmd = self.cmd("git", &["atse", "tags", "--no-update"]);
        cmd.current_dir(fresh.path());
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    }

    /// The `.git/atse` directory.
    pub fn atse_dir(&self) -> PathBuf {
        self.path().join(".git").join("atse")
    }

    /// Where the loose object of the blob at `path` in HEAD lives:
    /// `.git/atse/objects/<2 hex>/<38 hex>`.
    pub fn object_path(&self, path: &str) -> PathBuf {
        let id = self
            .git(&["rev-parse", &format!("HEAD:{path}")])
            .trim()
            .to_string();
        self.atse_dir()
            .join("objects")
            .join(&id[..2])
            .join(&id[2..])
    }
}

impl Drop for Repo {
    /// Waits (up to 30 s) for any git-atse process still working in the repository (a
    /// background update a hook or a query started) before the directory is removed.
    fn drop(&mut self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        for lock in ["update.lock", "objects/gc.lock"] {
            let Ok(file) = std::fs::File::open(self.atse_dir().join(lock)) else {
                continue;
            };
            while file.try_lock().is_err() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

/// `git ARGS` run in `dir` (a clone beside the repository) with the isolated environment.
pub fn git_in(repo: &Repo, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = repo.cmd("git", args);
    cmd.current_dir(dir);
    cmd
}

/// [`git_in`], run: (exit code, stdout, stderr).
pub fn run_in(repo: &Repo, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = git_in(repo, dir, args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A repository whose index describes its first commit (`old` in a.py) while HEAD is a
/// commit of 30 new files (`new0`..`new29`) ahead: past `atse.queryMaxChanges=10`, a query
/// answers from the older index and catches up in the background.
pub fn far_behind() -> Repo {
    let repo = Repo::new();
    repo.write("a.py", "def old():\n    pass\n");
    repo.commit_all("one");
    repo.atse_ok(&["update", "--quiet"]);
    for i in 0..30 {
        repo.write(&format!("n{i}.py"), format!("def new{i}():\n    pass\n"));
    }
    repo.commit_all("many");
    repo
}

/// The first `n` lines of `text`, each with its newline: what `--limit n` must print.
pub fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).map(|l| format!("{l}\n")).collect()
}

/// The path of each `path:line...` line of `text`.
pub fn paths_of(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect()
}

/// Every file's deps (with externals) as JSON, for comparing an incremental index with a
/// fresh one.
pub fn graph_dump(repo: &Repo, dir: &std::path::Path) -> String {
    let files = repo.git(&["ls-files"]);
    let mut out = String::new();
    for f in files
        .lines()
        .filter(|f| !f.ends_with(".mod") && !f.ends_with(".json"))
    {
        let mut cmd = repo.cmd(
            "git",
            &["atse", "deps", "--json", "--external", "--no-update", f],
        );
        cmd.current_dir(dir);
        let o = cmd.output().unwrap();
        out.push_str(&format!("{f}:\n{}", String::from_utf8_lossy(&o.stdout)));
    }
    out
}

pub fn assert_graph_matches_full_rebuild(repo: &Repo) {
    repo.atse_ok(&["update", "--quiet"]);
    let fresh = tempfile::tempdir().unwrap();
    let mut cmd = repo.cmd("git", &["clone", "-q", ".", fresh.path().to_str().unwrap()]);
    assert!(cmd.status().unwrap().success());
    let mut cmd = repo.cmd("git", &["atse", "update", "--quiet"]);
    cmd.current_dir(fresh.path());
    assert!(cmd.status().unwrap().success());
    assert_eq!(
        graph_dump(repo, &repo.path()),
        graph_dump(repo, fresh.path())
    );
}
