//! Every `atse.*` git config key, its default and its meaning, and the one place they are
//! read. The reader takes a lookup function, so this module needs no git.

use anyhow::Result;

/// One integer key of git config.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// The key as written in git config (`atse.maxFileSize`; git ignores case).
    pub name: &'static str,
    /// Its value when unset.
    pub default: u64,
    /// What it means, for `--help` and the README.
    pub doc: &'static str,
}

/// Blobs larger than this are skipped (recorded, never retried).
pub const MAX_FILE_SIZE: Key = Key {
    name: "atse.maxFileSize",
    default: 1 << 20,
    doc: "blobs larger than this are skipped (recorded, never retried)",
};

/// A hook updates inline up to this many changed paths, else in the background.
pub const HOOK_MAX_CHANGES: Key = Key {
    name: "atse.hookMaxChanges",
    default: 500,
    doc: "a hook updates inline up to this many changed paths",
};

/// A query catches up inline up to this many changed paths, else in the background while
/// it answers from the older index.
pub const QUERY_MAX_CHANGES: Key = Key {
    name: "atse.queryMaxChanges",
    default: 5000,
    doc: "a query catches up inline up to this many changed paths",
};

/// An update packs the loose objects past this many (git's own `gc.auto`).
pub const AUTO_PACK_LOOSE: Key = Key {
    name: "atse.autoPackLoose",
    default: 6700,
    doc: "an update packs the loose objects past this many",
};

/// `share fetch` imports notes whose commits are not signed by a trusted key (a boolean;
/// for private remotes).
pub const SHARE_TRUST_UNSIGNED: &str = "atse.share.trustUnsigned";

/// Queries answer for the working tree unless told otherwise (a boolean).
pub const WORKTREE: &str = "atse.worktree";

/// Every key, in the README's order.
pub const ALL: &[Key] = &[
    MAX_FILE_SIZE,
    HOOK_MAX_CHANGES,
    QUERY_MAX_CHANGES,
    AUTO_PACK_LOOSE,
];

/// The configured values of every key.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// `atse.maxFileSize`.
    pub max_file_size: u64,
    /// `atse.hookMaxChanges`.
    pub hook_max_changes: u64,
    /// `atse.queryMaxChanges`.
    pub query_max_changes: u64,
    /// `atse.autoPackLoose`.
    pub auto_pack_loose: u64,
    /// `atse.share.trustUnsigned`.
    pub share_trust_unsigned: bool,
    /// `atse.worktree`.
    pub worktree: bool,
}

impl Config {
    /// Reads every key through `get` and `get_bool` (which return `None` for an unset key).
    pub fn read(
        get: impl Fn(&str) -> Result<Option<u64>>,
        get_bool: impl Fn(&str) -> Result<Option<bool>>,
    ) -> Result<Config> {
        let value = |key: Key| -> Result<u64> { Ok(get(key.name)?.unwrap_or(key.default)) };
        Ok(Config {
            max_file_size: value(MAX_FILE_SIZE)?,
            hook_max_changes: value(HOOK_MAX_CHANGES)?,
            query_max_changes: value(QUERY_MAX_CHANGES)?,
            auto_pack_loose: value(AUTO_PACK_LOOSE)?,
            share_trust_unsigned: get_bool(SHARE_TRUST_UNSIGNED)?.unwrap_or(false),
            worktree: get_bool(WORKTREE)?.unwrap_or(false),
        })
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_file_size: MAX_FILE_SIZE.default,
            hook_max_changes: HOOK_MAX_CHANGES.default,
            query_max_changes: QUERY_MAX_CHANGES.default,
            auto_pack_loose: AUTO_PACK_LOOSE.default,
            share_trust_unsigned: false,
            worktree: false,
        }
    }
}
