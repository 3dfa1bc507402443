//! Git notes under `refs/notes/atse`, through the git CLI: the plumbing that sharing needs
//! is a handful of calls per publish (never one per object), and git's own notes merge
//! and push rules apply.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context as _, Result};

use super::cli::run as git;

/// The notes ref git-atse publishes to.
pub const NOTES_REF: &str = "refs/notes/atse";

/// Notes of one repository (its work tree or git dir).
pub struct Notes {
    dir: PathBuf,
}

impl Notes {
    /// Notes of the repository at `dir`.
    pub fn at(dir: &Path) -> Notes {
        Notes {
            dir: dir.to_path_buf(),
        }
    }

    /// Writes `data` as a blob; returns its id.
    pub fn write_blob(&self, data: &[u8]) -> Result<String> {
        let out = git(&self.dir, &["hash-object", "-w", "--stdin"], Some(data))?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// Writes the already-compressed file at `path` as a blob (see
    /// `write_compressed_blob`); returns its id.
    pub fn write_compressed_file(&self, path: &Path) -> Result<String> {
        let path = path.to_string_lossy();
        let args = [
            "-c",
            "core.looseCompression=0",
            "hash-object",
            "-w",
            "--",
            &path,
        ];
        let out = git(&self.dir, &args, None)?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// Writes already-compressed `data` as a blob, without zlib on top (it would gain
    /// nothing and cost a pass over the bytes on every side); returns its id.
    pub fn write_compressed_blob(&self, data: &[u8]) -> Result<String> {
        let args = [
            "-c",
            "core.looseCompression=0",
            "hash-object",
            "-w",
            "--stdin",
        ];
        let out = git(&self.dir, &args, Some(data))?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// Attaches the blob `note` (as is, byte for byte) as the note of `object`.
    pub fn set(&self, object: &str, note_blob: &str) -> Result<()> {
        git(
            &self.dir,
            &[
                "notes", "--ref", NOTES_REF, "add", "-f", "-C", note_blob, object,
            ],
            None,
        )?;
        Ok(())
    }

    /// `(note blob, annotated object)` for every note.
    pub fn list(&self) -> Result<Vec<(String, String)>> {
        let out = match git(&self.dir, &["notes", "--ref", NOTES_REF, "list"], None) {
            Ok(o) => o,
            Err(_) => return Ok(Vec::new()), // no notes ref yet
        };
        Ok(String::from_utf8_lossy(&out)
            .lines()
            .filter_map(|l| {
                l.split_once(' ')
                    .map(|(n, o)| (n.to_string(), o.to_string()))
            })
            .collect())
    }

    /// The note blob on `object`, if it has one.
    pub fn note_on(&self, object: &str) -> Result<Option<String>> {
        Ok(self
            .list()?
            .into_iter()
            .find_map(|(note, annotated)| (annotated == object).then_some(note)))
    }

    /// The bytes of blob `id`, refused when larger than `max_bytes`.
    pub fn read_blob(&self, id: &str, max_bytes: u64) -> Result<Vec<u8>> {
        self.check_size(id, max_bytes)?;
        git(&self.dir, &["cat-file", "blob", id], None)
    }

    /// Streams blob `id` to `f` (never whole in memory), refused when larger than
    /// `max_bytes`.
    pub fn read_blob_with(
        &self,
        id: &str,
        max_bytes: u64,
        f: impl FnOnce(&mut dyn std::io::Read) -> Result<()>,
    ) -> Result<()> {
        self.check_size(id, max_bytes)?;
        let mut child = Command::new("git")
            .args(["cat-file", "blob", id])
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot run git cat-file")?;
        let result = match child.stdout.take() {
            Some(mut out) => f(&mut out),
            None => Err(anyhow::anyhow!("git cat-file has no output")),
        };
        if result.is_err() {
            let _ = child.kill();
        }
        let status = child.wait().context("cannot wait for git cat-file")?;
        result?;
        if !status.success() {
            bail!("git cat-file blob {id} failed ({status})");
        }
        Ok(())
    }

    fn check_size(&self, id: &str, max_bytes: u64) -> Result<()> {
        if !id.bytes().all(|b| b.is_ascii_hexdigit()) || !(id.len() == 40 || id.len() == 64) {
            bail!("{id:?} is not an object id");
        }
        let size: u64 = String::from_utf8_lossy(&git(&self.dir, &["cat-file", "-s", id], None)?)
            .trim()
            .parse()
            .with_context(|| format!("blob {id}: cannot read its size"))?;
        if size > max_bytes {
            bail!("blob {id} is {size} bytes, over the limit of {max_bytes}");
        }
        Ok(())
    }

    /// Pushes the notes ref to `remote`.
    pub fn push(&self, remote: &str) -> Result<()> {
        check_remote(remote)?;
        git(
            &self.dir,
            &[
                // The notes' bulk is zstd-compressed packs: zlib would gain nothing.
                "-c",
                "pack.compression=0",
                "push",
                "-q",
                "--",
                remote,
                &format!("{NOTES_REF}:{NOTES_REF}"),
            ],
            None,
        )?;
        Ok(())
    }

    /// Fetches `remote`'s notes without a forced refspec into a fresh local ref, then
    /// merges them into ours (union of lines on conflict: the same object id always means
    /// the same bytes, so merging is safe). With `verify`, every fetched commit that is not
    /// already in our notes must carry a signature git verifies (see [`Notes::verify`]);
    /// otherwise nothing is merged. Returns the fetched tip, `None` when the remote has no
    /// notes.
    pub fn fetch_and_merge(&self, remote: &str, verify: bool) -> Result<Option<String>> {
        check_remote(remote)?;
        let tracking = "refs/notes/atse-fetched";
        let _ = git(&self.dir, &["update-ref", "-d", tracking], None);
        let fetched = git(
            &self.dir,
            &[
                // Keep what arrives as a pack: unpacking a few large blobs into loose
                // objects would deflate them all again.
                "-c",
                "fetch.unpackLimit=1",
                "fetch",
                "-q",
                "--",
                remote,
                &format!("{NOTES_REF}:{tracking}"),
            ],
            None,
        );
        match fetched {
            Ok(_) => {}
            // The remote has no notes: not an error.
            Err(e) if format!("{e:#}").contains("couldn't find remote ref") => return Ok(None),
            Err(e) => return Err(e.context(format!("cannot fetch {NOTES_REF} from {remote}"))),
        }
        let checked = self.check_fetched(remote, tracking, verify);
        let merged = checked.and_then(|tip| self.merge(tracking).map(|()| tip));
        let _ = git(&self.dir, &["update-ref", "-d", tracking], None);
        merged.map(Some)
    }

    /// Checks what a fetch put at `tracking`: a commit (anything else would be copied into
    /// ours and break every later merge and push), and with `verify`, signed history.
    fn check_fetched(&self, remote: &str, tracking: &str, verify: bool) -> Result<String> {
        let kind = git(&self.dir, &["cat-file", "-t", tracking], None)?;
        if String::from_utf8_lossy(&kind).trim() != "commit" {
            bail!(
                "{remote}'s {NOTES_REF} is a {}, not a notes commit; refused",
                String::from_utf8_lossy(&kind).trim()
            );
        }
        let tip = rev_parse(&self.dir, tracking)?;
        if verify {
            for commit in self.new_commits(tracking)? {
                self.verify(&commit).with_context(|| {
                    format!(
                        "{remote}'s notes were refused: commit {commit} is not signed by a \
                         key you trust (set up the publisher's key as for `git verify-commit`, \
                         or pass --trust-unsigned for a private remote)"
                    )
                })?;
            }
        }
        Ok(tip)
    }

    /// The commits of `rev`'s history that our notes ref does not have yet.
    fn new_commits(&self, rev: &str) -> Result<Vec<String>> {
        let mut args = vec!["rev-list", rev];
        let have = rev_parse(&self.dir, NOTES_REF).ok();
        if let Some(have) = &have {
            args.extend(["--not", have]);
        }
        let out = git(&self.dir, &args, None)?;
        Ok(String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect())
    }

    /// Verifies the signature of `commit` as `git verify-commit` does: openpgp keys from
    /// the gpg keyring, ssh keys from `gpg.ssh.allowedSignersFile`, x509 from gpgsm.
    pub fn verify(&self, commit: &str) -> Result<()> {
        let out = Command::new("git")
            .args(["verify-commit", "--", commit])
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .context("cannot run git verify-commit")?;
        if out.status.success() {
            return Ok(());
        }
        // One line: what gpg or ssh-keygen said, joined.
        let said = String::from_utf8_lossy(&out.stderr);
        let said: Vec<&str> = said
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        match said.is_empty() {
            true => bail!("no signature"),
            false => bail!("{}", said.join("; ")),
        }
    }

    /// Merges the notes at `tracking` into ours.
    fn merge(&self, tracking: &str) -> Result<()> {
        if rev_parse(&self.dir, NOTES_REF).is_ok() {
            git(
                &self.dir,
                &[
                    "notes",
                    "--ref",
                    NOTES_REF,
                    "merge",
                    "-q",
                    "-s",
                    "cat_sort_uniq",
                    tracking,
                ],
                None,
            )?;
        } else {
            git(&self.dir, &["update-ref", NOTES_REF, tracking], None)?;
        }
        Ok(())
    }

    /// The bytes of the repository's object database (loose and packed, as `git
    /// count-objects -v` counts them).
    pub fn repo_bytes(&self) -> Result<u64> {
        let out = git(&self.dir, &["count-objects", "-v"], None)?;
        let mut kib = 0u64;
        for line in String::from_utf8_lossy(&out).lines() {
            if let Some(("size" | "size-pack", n)) = line.split_once(": ") {
                kib += n.trim().parse::<u64>().unwrap_or(0);
            }
        }
        Ok(kib * 1024)
    }

    /// Our notes ref's commit, `None` when there is none.
    pub fn tip(&self) -> Option<String> {
        rev_parse(&self.dir, NOTES_REF).ok()
    }

    /// Whether git would sign a commit here (`user.signingKey` is set).
    pub fn signing_configured(&self) -> bool {
        git(&self.dir, &["config", "user.signingKey"], None)
            .is_ok_and(|out| !String::from_utf8_lossy(&out).trim().is_empty())
    }

    /// Replaces whatever commits our notes ref gained since `parents` with one commit of
    /// its tree whose parents are `parents` (those that are not ancestors of another),
    /// signed as `git commit -S` signs when `sign`. A signing failure fails.
    pub fn seal(&self, parents: &[String], sign: bool) -> Result<String> {
        let tree = rev_parse(&self.dir, &format!("{NOTES_REF}^{{tree}}"))?;
        let mut kept: Vec<&String> = Vec::new();
        for p in parents {
            let covered = parents.iter().any(|q| {
                q != p && git(&self.dir, &["merge-base", "--is-ancestor", p, q], None).is_ok()
            });
            if !covered && !kept.contains(&p) {
                kept.push(p);
            }
        }
        let mut args = vec!["commit-tree".to_string()];
        if sign {
            args.push("-S".into());
        }
        for p in kept {
            args.extend(["-p".to_string(), p.clone()]);
        }
        args.extend(["-m".to_string(), "git-atse share".to_string(), tree]);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let commit = String::from_utf8_lossy(&git(&self.dir, &argv, None)?)
            .trim()
            .to_string();
        git(&self.dir, &["update-ref", NOTES_REF, &commit], None)?;
        Ok(commit)
    }

    /// Commits from `rev` back, newest first, at most `limit`.
    pub fn ancestry(&self, rev: &str, limit: usize) -> Result<Vec<String>> {
        let out = git(
            &self.dir,
            &["rev-list", &format!("--max-count={limit}"), rev],
            None,
        )?;
        Ok(String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect())
    }
}

/// Refuses a remote that git would take for an option (`--upload-pack=CMD` runs CMD).
fn check_remote(remote: &str) -> Result<()> {
    if remote.is_empty() || remote.starts_with('-') {
        bail!("{remote:?} is not a remote (a remote cannot start with '-')");
    }
    Ok(())
}

/// The commit id `rev` names.
fn rev_parse(dir: &Path, rev: &str) -> Result<String> {
    let out = git(dir, &["rev-parse", "-q", "--verify", rev], None)?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}
