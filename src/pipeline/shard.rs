//! `update --shard K/N`: one of N jobs extracts its share of a tree's blobs into objects
//! and records them for `share push`; no index is written. Every job computes the same split
//! from the tree alone (no coordination), balanced by bytes; the objects depend only on
//! their blob, so the N jobs' objects together are exactly a full index's.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::ops::ControlFlow;
use std::time::Instant;

use anyhow::{bail, Result};
use rayon::prelude::*;

use super::source::ObjectSource;
use super::Progress;
use crate::extract::{self, Limits};
use crate::format::shard::ShardRecord;
use crate::git::{self, Repo, Target};
use crate::model::BlobId;
use crate::store::Store;

/// What one shard job did.
#[derive(Debug, Default)]
pub struct ShardReport {
    /// Blobs of the tree in indexed languages (each once), and their bytes.
    pub total: (usize, u64),
    /// This shard's blobs and bytes.
    pub mine: (usize, u64),
    /// Of this shard's blobs: parsed now, and found already stored.
    pub extracted: usize,
    /// Objects found already stored.
    pub reused: usize,
    /// Wall time.
    pub seconds: f64,
}

/// The shard (0-based) of each of `blobs` (id, bytes) among `n`: largest first, each to the
/// shard with the fewest bytes so far (ties: the lowest shard; equal sizes: by id), so the
/// split is a function of the set of blobs alone and within one blob's size of even.
pub fn split(blobs: &[(BlobId, u64)], n: u32) -> Vec<u32> {
    let mut order: Vec<usize> = (0..blobs.len()).collect();
    order.sort_by(|&a, &b| {
        blobs[b]
            .1
            .cmp(&blobs[a].1)
            .then_with(|| blobs[a].0.cmp(&blobs[b].0))
    });
    let mut load: BinaryHeap<Reverse<(u64, u32)>> =
        (0..n.max(1)).map(|s| Reverse((0, s))).collect();
    let mut out = vec![0; blobs.len()];
    for i in order {
        if let Some(Reverse((bytes, shard))) = load.pop() {
            out[i] = shard;
            // Never 0: an empty blob still costs a lookup.
            load.push(Reverse((bytes + blobs[i].1.max(1), shard)));
        }
    }
    out
}

/// A path of each blob (for its language).
type PathOf = BTreeMap<BlobId, Vec<u8>>;

/// The blobs of `target`'s tree in indexed languages, each once with the first path that
/// has it (for its language), and their sizes from their headers (capped at the size
/// limit: a skipped blob costs no more than the largest parsed one).
fn blobs_of(repo: &Repo, target: &Target, limits: Limits) -> Result<(PathOf, Vec<(BlobId, u64)>)> {
    let mut paths: BTreeMap<BlobId, Vec<u8>> = BTreeMap::new();
    git::diff::changes(repo, None, &target.tree, 4096, &mut |batch| {
        for c in batch {
            let Some(blob) = c.new else { continue };
            let indexed =
                extract::lang::by_path(&c.path).is_some() || !extract::lang::has_extension(&c.path);
            if indexed {
                paths.entry(blob).or_insert(c.path);
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let sync = repo.sync();
    let blobs = paths
        .keys()
        .collect::<Vec<_>>()
        .par_iter()
        .map_init(
            || Repo::from_sync(&sync),
            |repo, id| {
                Ok((
                    (*id).clone(),
                    repo.blob_size(id)?.min(limits.max_file_bytes),
                ))
            },
        )
        .collect::<Result<_>>()?;
    Ok((paths, blobs))
}

/// Runs shard `k` of `n` (from 1) of `target`'s tree: extracts (or finds) the objects of
/// its blobs and records them in `.git/atse/shard`.
pub fn run(
    repo: &Repo,
    layout: &Store,
    target: &Target,
    (k, n): (u32, u32),
    limits: Limits,
    progress: &dyn Progress,
) -> Result<ShardReport> {
    let started = Instant::now();
    let Some(commit) = &target.commit else {
        bail!("--shard needs a commit (to attach the shared objects to), not a bare tree");
    };
    let (paths, blobs) = blobs_of(repo, target, limits)?;
    let sync = repo.sync();
    let shards = split(&blobs, n);
    let mine: Vec<(&BlobId, u64)> = blobs
        .iter()
        .zip(&shards)
        .filter(|(_, &s)| s == k - 1)
        .map(|((id, bytes), _)| (id, *bytes))
        .collect();
    progress.total(mine.len() as u64);
    let objects = layout.objects();
    let got: Vec<Option<(BlobId, bool)>> = mine
        .par_iter()
        .map_init(
            || ObjectSource::new(&sync, &objects, limits),
            |source, (id, _)| {
                let path = paths.get(*id).map(Vec::as_slice).unwrap_or_default();
                let got = source.object_for(path, id)?;
                progress.advance(1);
                Ok(got.map(|g| ((*id).clone(), g.extracted)))
            },
        )
        .collect::<Result<_>>()?;
    let mut record = ShardRecord {
        commit: commit.to_hex(),
        tree: target.tree.to_hex(),
        k,
        n,
        objects: Vec::with_capacity(got.len()),
    };
    let mut report = ShardReport {
        total: (blobs.len(), blobs.iter().map(|b| b.1).sum()),
        mine: (mine.len(), mine.iter().map(|m| m.1).sum()),
        ..ShardReport::default()
    };
    for (id, extracted) in got.into_iter().flatten() {
        match extracted {
            true => report.extracted += 1,
            false => report.reused += 1,
        }
        record.objects.push(id);
    }
    record.objects.sort();
    // `status` and the automatic packing read the count file, not the directory.
    objects.flush_count()?;
    layout.write_shard(&record)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn id(i: u32) -> BlobId {
        BlobId::from_hex(&format!("{i:040x}")).unwrap()
    }

    #[test]
    fn split_is_deterministic_and_balanced_by_bytes() {
        // Sizes as real code has them: many small files, a few large.
        let blobs: Vec<(BlobId, u64)> = (0..5000u32)
            .map(|i| {
                (
                    id(i),
                    200 + u64::from(i * 7919 % 40_000) + u64::from(i % 97 == 0) * 300_000,
                )
            })
            .collect();
        for n in [1, 2, 3, 8] {
            let a = split(&blobs, n);
            let mut shuffled = blobs.clone();
            shuffled.reverse();
            let b = split(&shuffled, n);
            for (i, (blob, _)) in blobs.iter().enumerate() {
                let j = shuffled.iter().position(|(x, _)| x == blob).unwrap();
                assert_eq!(a[i], b[j], "the split depends on the set, not its order");
            }
            let mut bytes = vec![0u64; n as usize];
            for (i, s) in a.iter().enumerate() {
                bytes[*s as usize] += blobs[i].1;
            }
            let (lo, hi) = (*bytes.iter().min().unwrap(), *bytes.iter().max().unwrap());
            assert!(hi as f64 <= lo as f64 * 1.10, "n={n}: {bytes:?}");
        }
    }
}
