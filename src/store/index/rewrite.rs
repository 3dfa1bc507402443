//! A copy of the index in key order.

use std::path::Path;

use anyhow::{bail, Context as _, Result};

use super::schema::copy_all;
use super::{Db, Index};

impl Index {
    /// Rewrites the index into a fresh file in key order and renames it over `path`. A
    /// rebuild inserts postings in tree order, which is random in name order and leaves
    /// B-tree pages about half full; the rewrite inserts sequentially. Needs the update
    /// lock. Readers that opened the old file keep reading its (identical) contents.
    pub fn rewrite_sorted(self, path: &Path) -> Result<Index> {
        let tmp = path.with_extension("redb.rewrite");
        let _ = std::fs::remove_file(&tmp);
        {
            let src = self.read_txn()?;
            let new = Index::open_write(&tmp)?;
            let Db::Write(db) = &new.db else {
                bail!("internal error: a new index opened read-only");
            };
            let mut txn = db.begin_write()?;
            txn.set_quick_repair(true);
            copy_all(&src, &txn)?;
            txn.commit().context("cannot commit the rewritten index")?;
        }
        drop(self);
        crate::failpoint::hit("before_rename");
        std::fs::rename(&tmp, path)
            .with_context(|| format!("{}: cannot replace the index", path.display()))?;
        Index::open_write(path)
    }
}
