//! Opening a repository and resolving revisions to trees.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use gix::ObjectId;

use super::oid;
use crate::model::{BlobId, CommitId, TreeId};

/// An open repository.
pub struct Repo {
    repo: gix::Repository,
}

/// A handle on the repository that threads share; each makes its own [`Repo`] from it.
#[derive(Clone)]
pub struct SyncRepo(gix::ThreadSafeRepository);

/// A tree to index, and the commit it came from (if any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The commit, when the revision named one.
    pub commit: Option<CommitId>,
    /// The tree.
    pub tree: TreeId,
}

fn tree_id(id: &gix::oid) -> TreeId {
    TreeId::from_trusted(id.as_bytes())
}

fn commit_id(id: &gix::oid) -> CommitId {
    CommitId::from_trusted(id.as_bytes())
}

/// What reading a blob gave.
pub enum BlobData {
    /// The contents.
    Data(Vec<u8>),
    /// The blob is larger than the limit; its contents were not read.
    TooLarge(u64),
}

impl Repo {
    /// Finds the repository containing `dir`, honouring `GIT_DIR` and friends as git does
    /// (hooks run with `GIT_DIR` set).
    pub fn discover(dir: &Path) -> Result<Repo> {
        // `git -c key=value atse ...` passes the overrides in GIT_CONFIG_PARAMETERS.
        let overrides = std::env::var("GIT_CONFIG_PARAMETERS")
            .map(|p| parse_config_parameters(&p))
            .unwrap_or_default();
        let mut trust = gix::sec::trust::Mapping::<gix::open::Options>::default();
        trust.full = trust.full.cli_overrides(overrides.clone());
        trust.reduced = trust.reduced.cli_overrides(overrides);
        let repo = gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
            dir,
            Default::default(),
            trust,
        )
        .map_err(|e| match object_format(dir).as_deref() {
            // gix is built for SHA-1 only: say so rather than "not a git repository".
            Some("sha256") => anyhow::Error::new(Sha256Unsupported),
            _ => anyhow::anyhow!("{e}").context(format!(
                "{}: not a git repository (or any parent)",
                dir.display()
            )),
        })?
        .to_thread_local();
        Ok(Repo { repo })
    }

    /// A handle usable from other threads (each makes its own thread-local `Repo`).
    pub fn sync(&self) -> SyncRepo {
        SyncRepo(self.repo.clone().into_sync())
    }

    /// Wraps a thread-local handle.
    pub fn from_sync(sync: &SyncRepo) -> Repo {
        Repo {
            repo: sync.0.to_thread_local(),
        }
    }

    /// The common git dir (shared by linked worktrees).
    pub fn common_dir(&self) -> PathBuf {
        self.repo.common_dir().to_path_buf()
    }

    /// This worktree's git dir.
    pub fn git_dir(&self) -> PathBuf {
        self.repo.git_dir().to_path_buf()
    }

    /// The work tree root, `None` in a bare repository.
    pub fn work_dir(&self) -> Option<PathBuf> {
        self.repo.workdir().map(Path::to_path_buf)
    }

    /// HEAD, like `resolve("HEAD")`, but without reading the commit when it is `known`'s
    /// commit (hex ids of a commit and its tree, e.g. what the index describes): a commit's
    /// tree never changes. Reading any object makes gix open the pack indexes, which costs
    /// time in proportion to the repository's objects (about 4 ms at 3M); a query on a
    /// current index has no need of it.
    pub fn head_known(&self, known: Option<(&str, &str)>) -> Result<Option<Target>> {
        if let Some((commit, tree)) = known {
            let head = self.repo.head().context("cannot read HEAD")?;
            let ids = (
                head.id().map(gix::Id::detach),
                ObjectId::from_hex(commit.as_bytes()),
                ObjectId::from_hex(tree.as_bytes()),
            );
            if let (Some(id), Ok(commit), Ok(tree)) = ids {
                if id == commit {
                    return Ok(Some(Target {
                        commit: Some(commit_id(&id)),
                        tree: tree_id(&tree),
                    }));
                }
            }
        }
        self.resolve("HEAD")
    }

    /// Resolves `rev` (`HEAD`, a branch, a commit or a tree) to a tree. `None` when `rev` is
    /// `HEAD` and HEAD has no commit yet.
    pub fn resolve(&self, rev: &str) -> Result<Option<Target>> {
        if rev == "HEAD" {
            let head = self.repo.head().context("cannot read HEAD")?;
            if head.is_unborn() {
                return Ok(None);
            }
        }
        let id = self
            .repo
            .rev_parse_single(rev)
            .with_context(|| format!("{rev}: unknown revision"))?;
        let object = id
            .object()
            .with_context(|| format!("{rev}: cannot read object {id}"))?;
        match object.kind {
            gix::object::Kind::Commit => {
                let commit = object.into_commit();
                let tree = commit.tree_id().with_context(|| {
                    format!("{rev}: cannot read the tree of commit {}", commit.id)
                })?;
                Ok(Some(Target {
                    commit: Some(commit_id(&commit.id)),
                    tree: tree_id(&tree),
                }))
            }
            gix::object::Kind::Tree => Ok(Some(Target {
                commit: None,
                tree: tree_id(&object.id),
            })),
            gix::object::Kind::Tag => {
                let peeled = object
                    .peel_to_kind(gix::object::Kind::Commit)
                    .with_context(|| format!("{rev}: tag does not point to a commit"))?;
                let commit = peeled.into_commit();
                let tree = commit.tree_id()?;
                Ok(Some(Target {
                    commit: Some(commit_id(&commit.id)),
                    tree: tree_id(&tree),
                }))
            }
            kind => bail!("{rev}: is a {kind}, not a commit or tree"),
        }
    }

    /// Whether the object database has the tree `id`.
    pub fn has_tree(&self, id: &TreeId) -> bool {
        self.has(id.as_bytes())
    }

    /// Whether the object database has the blob `id`.
    pub fn has_blob(&self, id: &BlobId) -> bool {
        self.has(id.as_bytes())
    }

    fn has(&self, id: &[u8]) -> bool {
        oid(id).is_ok_and(|id| self.repo.has_object(id))
    }

    /// The size of blob `id` in bytes, from its header (nothing is inflated).
    pub fn blob_size(&self, id: &BlobId) -> Result<u64> {
        let header = self
            .repo
            .find_header(oid(id.as_bytes())?)
            .with_context(|| format!("blob {id}: not found in the object database"))?;
        Ok(header.size())
    }

    /// Reads a blob, unless its header says it is larger than `max_bytes`.
    pub fn read_blob(&self, id: &BlobId, max_bytes: u64) -> Result<BlobData> {
        self.read_blob_oid(oid(id.as_bytes())?, max_bytes)
    }

    fn read_blob_oid(&self, id: ObjectId, max_bytes: u64) -> Result<BlobData> {
        let header = self
            .repo
            .find_header(id)
            .with_context(|| format!("blob {id}: not found in the object database"))?;
        if header.size() > max_bytes {
            return Ok(BlobData::TooLarge(header.size()));
        }
        let blob = self
            .repo
            .find_blob(id)
            .with_context(|| format!("blob {id}: cannot read"))?;
        Ok(BlobData::Data(blob.detach().data))
    }

    /// The contents of the regular file at `path` in `tree`, if there is one no larger than
    /// `max_bytes` (configuration files such as go.mod and tsconfig.json).
    pub fn read_path(&self, tree: &TreeId, path: &str, max_bytes: u64) -> Result<Option<Vec<u8>>> {
        let Some(blob) = self.blob_at(tree, path.as_bytes())? else {
            return Ok(None);
        };
        match self.read_blob_oid(oid(blob.as_bytes())?, max_bytes)? {
            BlobData::Data(d) => Ok(Some(d)),
            BlobData::TooLarge(_) => Ok(None),
        }
    }

    /// The blob of the regular file at `path` in `tree`, if there is one.
    pub fn blob_at(&self, tree: &TreeId, path: &[u8]) -> Result<Option<BlobId>> {
        let tree = self
            .repo
            .find_tree(oid(tree.as_bytes())?)
            .with_context(|| format!("tree {tree}: cannot read"))?;
        let Some(entry) = tree
            .lookup_entry(path.split(|&b| b == b'/'))
            .with_context(|| {
                format!(
                    "{}: cannot look up in tree {}",
                    String::from_utf8_lossy(path),
                    tree.id
                )
            })?
        else {
            return Ok(None);
        };
        Ok(entry
            .mode()
            .is_blob()
            .then(|| super::blob_id(entry.object_id().as_ref())))
    }

    /// An integer from git config, if set.
    pub fn config_u64(&self, key: &str) -> Result<Option<u64>> {
        let config = self.repo.config_snapshot();
        match config.integer(key) {
            Some(v) => u64::try_from(v)
                .map(Some)
                .map_err(|_| anyhow::anyhow!("git config {key}: {v} is negative")),
            None => Ok(None),
        }
    }

    /// The tree of what is staged (git's index), written with `git write-tree` (which fails
    /// while a merge has conflicts).
    pub fn staged_tree(&self) -> Result<TreeId> {
        let dir = self.work_dir().unwrap_or_else(|| self.git_dir());
        let out = super::cli::run(dir.as_path(), &["write-tree"], None)
            .context("cannot answer for the staged tree")?;
        TreeId::from_hex(String::from_utf8_lossy(&out).trim())
    }

    /// A string from git config, if set.
    pub fn config_string(&self, key: &str) -> Option<String> {
        let config = self.repo.config_snapshot();
        config.string(key).map(|v| v.to_string())
    }

    /// A boolean from git config, if set.
    pub fn config_bool(&self, key: &str) -> Result<Option<bool>> {
        let config = self.repo.config_snapshot();
        config
            .try_boolean(key)
            .map_err(|e| anyhow::anyhow!("git config {key}: {e}"))
    }

    pub(crate) fn inner(&self) -> &gix::Repository {
        &self.repo
    }
}

/// A SHA-256 repository: git-atse reads SHA-1 repositories only, for now.
#[derive(Debug)]
pub struct Sha256Unsupported;

impl std::fmt::Display for Sha256Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SHA-256 repositories are not supported yet")
    }
}

impl std::error::Error for Sha256Unsupported {}

/// The object format of the repository at `dir`, as git itself reports it.
fn object_format(dir: &Path) -> Option<String> {
    let out = super::cli::run(dir, &["rev-parse", "--show-object-format"], None).ok()?;
    Some(String::from_utf8_lossy(&out).trim().to_string())
}

/// Splits git's `GIT_CONFIG_PARAMETERS` (shell-quoted `'key'='value'` or `'key=value'`
/// words) into `key=value` strings.
fn parse_config_parameters(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    let mut in_word = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_config_parameters;

    #[test]
    fn config_parameters_as_git_writes_them() {
        assert_eq!(
            parse_config_parameters("'atse.maxfilesize'='10' 'user.name'='O'\\''Neil x'"),
            ["atse.maxfilesize=10", "user.name=O'Neil x"]
        );
        assert_eq!(
            parse_config_parameters("'core.abbrev=5'"),
            ["core.abbrev=5"]
        );
        assert!(parse_config_parameters("").is_empty());
    }
}
