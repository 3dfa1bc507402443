//! HEAD's commit id read straight from the files git keeps (`.git/HEAD`, a loose ref or
//! `packed-refs`), without opening the repository: a few small reads, for the one query
//! that must beat a process start-up (a name defined nowhere, see `commands::grep_symbol`).
//! It is a hint: anything unusual (`GIT_DIR`, bare repositories, a ref it cannot find)
//! gives `None`, and the caller takes the ordinary path through gix.

use std::fs;
use std::path::{Path, PathBuf};

/// Where a work tree's git data is, and HEAD's commit.
#[derive(Debug, PartialEq, Eq)]
pub struct HeadHint {
    /// This worktree's git dir (`.git`, or `.git/worktrees/<name>` for a linked one).
    pub git_dir: PathBuf,
    /// HEAD's commit id, lower-case hex.
    pub commit: String,
}

/// Reads HEAD's commit for the work tree containing `cwd`, or `None` when unsure.
pub fn head_hint(cwd: &Path) -> Option<HeadHint> {
    if std::env::var_os("GIT_DIR").is_some() || std::env::var_os("GIT_WORK_TREE").is_some() {
        return None;
    }
    let dot_git = cwd
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|p| p.exists())?;
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else {
        // A linked worktree or submodule: `gitdir: <path>`.
        let text = fs::read_to_string(&dot_git).ok()?;
        let target = text.strip_prefix("gitdir:")?.trim();
        let base = dot_git.parent()?;
        base.join(target)
    };
    let common = match fs::read_to_string(git_dir.join("commondir")) {
        Ok(rel) => git_dir.join(rel.trim()),
        Err(_) => git_dir.clone(),
    };
    // Queries may answer for the working tree (atse.worktree), which HEAD's Bloom filter
    // knows nothing of: no hint then.
    if worktree_may_be_configured(&common) {
        return None;
    }
    let head = fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let commit = match head.strip_prefix("ref:") {
        None => head.to_string(),
        Some(name) => {
            let name = name.trim();
            if !name.starts_with("refs/") || name.contains("..") {
                return None;
            }
            read_ref(&git_dir, name)
                .or_else(|| read_ref(&common, name))
                .or_else(|| packed(&common, name))?
        }
    };
    let valid = (commit.len() == 40 || commit.len() == 64)
        && commit
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    valid.then_some(HeadHint { git_dir, commit })
}

fn read_ref(dir: &Path, name: &str) -> Option<String> {
    let text = fs::read_to_string(dir.join(name)).ok()?;
    let text = text.trim();
    // A symbolic ref pointing further: leave it to gix.
    (!text.starts_with("ref:")).then(|| text.to_string())
}

fn packed(common: &Path, name: &str) -> Option<String> {
    let text = fs::read_to_string(common.join("packed-refs")).ok()?;
    text.lines().find_map(|l| {
        let (id, r) = l.split_once(' ')?;
        (r == name && !l.starts_with('#') && !l.starts_with('^')).then(|| id.to_string())
    })
}

/// Whether `atse.worktree` may be set: any config git reads (the repository's, the global
/// ones, `git -c`) with an `[atse]` section that mentions `worktree`. Conservative: a false
/// "yes" only costs the fast path.
fn worktree_may_be_configured(common: &Path) -> bool {
    let mentions = |text: &str| {
        let text = text.to_ascii_lowercase();
        text.contains("atse.worktree")
            || text
                .split('[')
                .skip(1)
                .any(|section| section.starts_with("atse") && section.contains("worktree"))
    };
    if std::env::var("GIT_CONFIG_PARAMETERS").is_ok_and(|p| mentions(&p)) {
        return true;
    }
    let mut files = vec![common.join("config")];
    match std::env::var_os("GIT_CONFIG_GLOBAL") {
        Some(global) => files.push(PathBuf::from(global)),
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                files.push(Path::new(&home).join(".gitconfig"));
                files.push(Path::new(&home).join(".config/git/config"));
            }
            if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME") {
                files.push(Path::new(&xdg).join("git/config"));
            }
        }
    }
    files
        .iter()
        .any(|f| fs::read_to_string(f).is_ok_and(|t| mentions(&t)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef01234567";
    const B: &str = "89abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn loose_packed_detached_and_linked_worktree() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("r");
        let git = repo.join(".git");
        fs::create_dir_all(git.join("refs/heads")).unwrap();
        fs::create_dir_all(repo.join("sub/dir")).unwrap();
        fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        assert_eq!(head_hint(&repo), None, "an unborn branch gives no hint");
        fs::write(
            git.join("packed-refs"),
            format!("# pack-refs with: peeled\n{B} refs/heads/main\n"),
        )
        .unwrap();
        assert_eq!(head_hint(&repo.join("sub/dir")).unwrap().commit, B);
        fs::write(git.join("refs/heads/main"), format!("{A}\n")).unwrap();
        let hint = head_hint(&repo).unwrap();
        assert_eq!(
            (hint.git_dir.as_path(), hint.commit.as_str()),
            (git.as_path(), A)
        );
        fs::write(git.join("HEAD"), format!("{B}\n")).unwrap();
        assert_eq!(head_hint(&repo).unwrap().commit, B);

        // A linked worktree: .git file -> worktrees/<name>, refs in the common dir.
        let wt_git = git.join("worktrees/w");
        fs::create_dir_all(&wt_git).unwrap();
        fs::write(wt_git.join("commondir"), "../..\n").unwrap();
        fs::write(wt_git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        let wt = tmp.path().join("w");
        fs::create_dir_all(&wt).unwrap();
        fs::write(wt.join(".git"), format!("gitdir: {}\n", wt_git.display())).unwrap();
        let hint = head_hint(&wt).unwrap();
        assert_eq!(
            (hint.git_dir.as_path(), hint.commit.as_str()),
            (wt_git.as_path(), A)
        );

        fs::write(git.join("HEAD"), "garbage\n").unwrap();
        assert_eq!(head_hint(&repo), None);
    }
}
