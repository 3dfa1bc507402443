//! The record `update --shard K/N` leaves for `share push` (`.git/atse/shard`): which
//! commit and tree it extracted, which shard of how many, and the blobs of that shard.
//!
//! ```text
//! atse-shard 1
//! commit <hex>
//! tree <hex>
//! shard <K>/<N>
//! object <blob hex>        (one per blob of the shard, sorted)
//! ```

use anyhow::{bail, Context as _, Result};

use crate::model::BlobId;

const HEADER: &str = "atse-shard 1";

/// What one shard job extracted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShardRecord {
    /// The commit (hex) whose tree was split.
    pub commit: String,
    /// That tree (hex).
    pub tree: String,
    /// This job's shard, from 1.
    pub k: u32,
    /// How many shards.
    pub n: u32,
    /// The blobs of this shard that have an object.
    pub objects: Vec<BlobId>,
}

impl ShardRecord {
    /// The record's text.
    pub fn print(&self) -> String {
        let mut out = format!(
            "{HEADER}\ncommit {}\ntree {}\nshard {}/{}\n",
            self.commit, self.tree, self.k, self.n
        );
        for id in &self.objects {
            out.push_str("object ");
            out.push_str(&id.to_hex());
            out.push('\n');
        }
        out
    }

    /// Parses a record, strictly: anything else is an error that says which line.
    pub fn parse(text: &str) -> Result<ShardRecord> {
        let mut lines = text.lines().enumerate();
        if lines.next().map(|(_, l)| l) != Some(HEADER) {
            bail!("not a git-atse shard record (or from a newer version)");
        }
        let mut rec = ShardRecord::default();
        for (no, line) in lines {
            let bad = || format!("line {}: unexpected {line:?}", no + 1);
            match line.split_once(' ') {
                Some(("commit", hex)) if is_hex_id(hex) => rec.commit = hex.to_string(),
                Some(("tree", hex)) if is_hex_id(hex) => rec.tree = hex.to_string(),
                Some(("shard", kn)) => {
                    let (k, n) = parse_spec(kn).with_context(bad)?;
                    (rec.k, rec.n) = (k, n);
                }
                Some(("object", hex)) => rec.objects.push(BlobId::from_hex(hex).with_context(bad)?),
                _ => bail!(bad()),
            }
        }
        if rec.commit.is_empty() || rec.tree.is_empty() || rec.n == 0 {
            bail!("incomplete shard record (no commit, tree or shard line)");
        }
        Ok(rec)
    }
}

/// Parses `K/N` (1 <= K <= N <= 65,536).
pub fn parse_spec(s: &str) -> Result<(u32, u32)> {
    let parsed = s
        .split_once('/')
        .and_then(|(k, n)| Some((k.parse::<u32>().ok()?, n.parse::<u32>().ok()?)));
    match parsed {
        Some((k, n)) if (1..=n).contains(&k) && n <= 65_536 => Ok((k, n)),
        _ => bail!("{s:?} is not a shard K/N (1 <= K <= N <= 65536)"),
    }
}

fn is_hex_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn print_then_parse_gives_the_record_back() {
        let rec = ShardRecord {
            commit: "a".repeat(40),
            tree: "b".repeat(40),
            k: 2,
            n: 8,
            objects: vec![BlobId::from_hex(&"c".repeat(40)).unwrap()],
        };
        assert_eq!(ShardRecord::parse(&rec.print()).unwrap(), rec);
        assert!(ShardRecord::parse("atse-shard 2\n").is_err());
        assert!(ShardRecord::parse("atse-shard 1\nshard 0/3\n").is_err());
        assert!(ShardRecord::parse(&format!("atse-shard 1\ncommit {}\n", "a".repeat(40))).is_err());
    }

    #[test]
    fn specs() {
        assert_eq!(parse_spec("1/1").unwrap(), (1, 1));
        assert_eq!(parse_spec("3/8").unwrap(), (3, 8));
        for bad in ["0/2", "3/2", "x/2", "2", "1/0", "-1/2", "1/70000"] {
            assert!(parse_spec(bad).is_err(), "{bad}");
        }
    }
}
