//! A rebuild's load: the rows of the tables whose keys are random in tree order are
//! collected in sort runs and inserted in key order.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::meta::State;
use super::patch::Patch;
use super::schema::*;
use crate::format::keys::{folded_key, posting_name};
use crate::store::runs::Runs;

/// The rows a rebuild collects for the tables whose keys are random in tree order; they
/// are inserted in key order by `Patch::finish_bulk`. (`paths` and `files` are filled
/// directly: tree order is path order, and file ids are handed out in sequence.)
pub(super) struct Bulk {
    pub defs: Runs,
    pub callers: Runs,
    pub ikeys: Runs,
    pub basenames: Runs,
    dir: std::path::PathBuf,
    /// For the runs made while loading (names, folded names).
    other_budget: usize,
}

/// Memory for a rebuild's sort runs (beyond it, runs spill to disk): postings are the
/// bulk of the rows.
const BULK_DEFS_BUDGET: usize = 128 << 20;
const BULK_OTHER_BUDGET: usize = 32 << 20;

impl Patch {
    /// Empties every table, for a rebuild from scratch. Until `finish_bulk`, the postings,
    /// callers, import keys and base names applied are collected in sort runs (spilled to
    /// `spill_dir` beyond a memory budget) instead of being inserted. The state restarts
    /// from `generation`.
    pub fn clear(&mut self, spill_dir: &Path, generation: u64) -> Result<()> {
        self.clear_with_budgets(spill_dir, generation, BULK_DEFS_BUDGET, BULK_OTHER_BUDGET)
    }

    pub(super) fn clear_with_budgets(
        &mut self,
        spill_dir: &Path,
        generation: u64,
        defs_budget: usize,
        other_budget: usize,
    ) -> Result<()> {
        let handles: Vec<_> = self.txn.list_tables()?.collect();
        for h in handles {
            self.txn.delete_table(h)?;
        }
        self.state = State {
            generation,
            ..State::default()
        };
        self.track_fresh = false;
        self.ref_changes = None;
        self.rebuilt = true;
        self.bulk = Some(Bulk {
            defs: Runs::new(spill_dir, defs_budget),
            callers: Runs::new(spill_dir, other_budget),
            ikeys: Runs::new(spill_dir, other_budget),
            basenames: Runs::new(spill_dir, other_budget),
            dir: spill_dir.to_path_buf(),
            other_budget,
        });
        self.rdeps_runs = Some(Runs::new(spill_dir, other_budget));
        Ok(())
    }

    /// Inserts what a rebuild collected, in key order, and counts the postings and names.
    /// Must run before anything reads those tables (the edge pass); `commit` runs it too.
    pub fn finish_bulk(&mut self) -> Result<()> {
        let Some(bulk) = self.bulk.take() else {
            return Ok(());
        };
        let st = &mut self.state;
        // Postings, and the folded key of each name (equal names are adjacent, as names
        // never contain NUL; the folded table is loaded distinct and counted whatever).
        let mut folded_runs = Runs::new(&bulk.dir, bulk.other_budget);
        {
            let mut defs = self.txn.open_table(DEFS)?;
            let mut cursor = defs.upper_bound_mut(std::ops::Bound::<&[u8]>::Unbounded)?;
            let mut name: Option<Vec<u8>> = None;
            let mut key = Vec::new();
            // Equal keys (two definitions at one position) make one posting, the last one
            // applied, as `insert` does in an incremental update.
            bulk.defs.drain_distinct(|k, v| {
                cursor.insert_before(k, v).map_err(sort_error)?;
                st.symbols += 1;
                let n = posting_name(k)?;
                if name.as_deref() != Some(n) {
                    name = Some(n.to_vec());
                    let n =
                        std::str::from_utf8(n).context("internal error: a name is not UTF-8")?;
                    folded_runs.push(folded_key(&mut key, n), &[])?;
                }
                Ok(())
            })?;
            cursor.close()?;
        }
        st.names += load_keys(&self.txn, FOLDED, folded_runs)?;
        for (runs, def) in [
            (bulk.callers, CALLERS),
            (bulk.ikeys, IKEYS),
            (bulk.basenames, BASENAMES),
        ] {
            load_keys(&self.txn, def, runs)?;
        }
        Ok(())
    }
}
