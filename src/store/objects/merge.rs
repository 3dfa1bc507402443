//! New packs written from the objects of open packs, each object's bytes copied once,
//! straight from its source's map: gc and the end of a spool rewrite objects without a
//! temporary copy (the sources are sorted, so the output is their merge in id order). The
//! objects of packs written before objects were compressed are compressed on the way.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::pack::{self, write_offsets, Head, Pack};
use crate::format::pack as layout;

/// The objects of one pack that go into the new packs: those marked live.
pub(super) struct Source<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// Per object, in id order: whether it is written.
    pub live: Vec<bool>,
}

/// Object data per pack written, beyond which a new pack starts (one object may exceed
/// it). gc rewrites a pack that lost objects on its own, so this bounds the disk it needs
/// beyond what it keeps, whatever the size of the store.
pub(super) const PACK_MAX_BYTES: u64 = 1 << 30;

/// Writes the live objects of `sources` into new packs in `dir`, named by `name` of their
/// checksum, in id order, starting a new pack past `max_bytes` of object data. An id live in
/// several sources is written once, from the first. The live ids of each source must be
/// strictly increasing (gc marks the others unusable). Returns the paths written (none when
/// nothing is live).
pub(super) fn write_packs(
    dir: &Path,
    sources: &[Source<'_>],
    max_bytes: u64,
    name: fn(u64) -> String,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut merge = Merge::new(sources);
    let mut last: Option<&[u8]> = None;
    loop {
        let start = merge.clone();
        let Some(plan) = plan_one(&mut merge, max_bytes, &mut last)? else {
            return Ok(written);
        };
        written.push(write_one(dir, start, &plan, name)?);
    }
}

/// What one pack will hold: its object count, id length, fanout, data length, and each
/// object's length as stored.
struct Plan {
    count: u64,
    id_len: usize,
    fanout: [u32; 256],
    data_len: u64,
    lens: Vec<u32>,
}

/// Takes objects from `merge` up to `max_bytes` of data (at least one). `last` is the last
/// id taken, which every next one must follow.
fn plan_one<'a>(
    merge: &mut Merge<'a>,
    max_bytes: u64,
    last: &mut Option<&'a [u8]>,
) -> Result<Option<Plan>> {
    let mut plan = Plan {
        count: 0,
        id_len: 0,
        fanout: [0; 256],
        data_len: 0,
        lens: Vec::new(),
    };
    while let Some(next) = merge.peek() {
        let (id, bytes) = next.parts(merge.sources)?;
        let len = bytes.len() as u64;
        let Ok(len32) = u32::try_from(len) else {
            bail!("an object of {len} bytes cannot be packed");
        };
        if plan.count > 0 && plan.data_len + len > max_bytes {
            break;
        }
        if plan.count == 0 {
            plan.id_len = id.len();
        } else if id.len() != plan.id_len {
            bail!("internal error: a pack mixes object id lengths");
        }
        if last.is_some_and(|l| l >= id) {
            bail!("internal error: a pack's ids are out of order");
        }
        *last = Some(id);
        plan.fanout[usize::from(id.first().copied().unwrap_or(0))] += 1;
        plan.count += 1;
        plan.data_len += len;
        plan.lens.push(len32);
        merge.advance();
    }
    Ok((plan.count > 0).then_some(plan))
}

/// Writes the `plan.count` objects `merge` yields from here as one pack.
fn write_one(
    dir: &Path,
    merge: Merge<'_>,
    plan: &Plan,
    name: fn(u64) -> String,
) -> Result<PathBuf> {
    let n = usize::try_from(plan.count).unwrap_or(usize::MAX);
    let head = Head {
        id_len: plan.id_len,
        flags: layout::ZSTD_OBJECTS,
        count: plan.count,
        fanout: &plan.fanout,
        data_len: plan.data_len,
    };
    let mut out = head.start(&dir.join("pack-new.pack"))?;
    let sources = merge.sources;
    for at in merge.clone().take(n) {
        out.write(sources[at.source].pack.id_bytes(at.i))?;
    }
    write_offsets(&mut out, plan.lens.iter().map(|l| u64::from(*l)))?;
    for (at, len) in merge.take(n).zip(&plan.lens) {
        let (_, bytes) = at.parts(sources)?;
        if bytes.len() as u64 != u64::from(*len) {
            bail!("a pack's object {} changed while it was copied", at.i);
        }
        out.write(&bytes)?;
    }
    out.commit_named(true, |sum| dir.join(name(sum)))
}

/// An object of a source: which source, and its position there.
#[derive(Clone, Copy)]
struct At {
    source: usize,
    i: usize,
}

impl At {
    /// Its id, and its bytes as a compressed pack stores them.
    fn parts<'a>(self, sources: &[Source<'a>]) -> Result<(&'a [u8], Cow<'a, [u8]>)> {
        let pack = sources[self.source].pack;
        let Some(stored) = pack.stored(self.i) else {
            // The caller checked every live object: a pack changed under us.
            bail!("a pack's object {} moved while it was copied", self.i);
        };
        let bytes = match pack.compressed() {
            true => Cow::Borrowed(stored),
            false => Cow::Owned(pack::deflate(stored)?),
        };
        Ok((pack.id_bytes(self.i), bytes))
    }
}

/// The live objects of the sources in id order, each id once (from the first source
/// that has it live).
#[derive(Clone)]
struct Merge<'a> {
    sources: &'a [Source<'a>],
    /// The next live object of each source not yet taken, smallest id first.
    heads: BinaryHeap<Reverse<(&'a [u8], usize, usize)>>,
}

impl<'a> Merge<'a> {
    fn new(sources: &'a [Source<'a>]) -> Merge<'a> {
        let mut m = Merge {
            sources,
            heads: BinaryHeap::with_capacity(sources.len()),
        };
        for s in 0..sources.len() {
            m.push_from(s, 0);
        }
        m
    }

    /// Queues the first live object of source `s` at or after `i`.
    fn push_from(&mut self, s: usize, mut i: usize) {
        let src = &self.sources[s];
        while i < src.live.len() && !src.live[i] {
            i += 1;
        }
        if i < src.live.len() {
            self.heads.push(Reverse((src.pack.id_bytes(i), s, i)));
        }
    }

    fn peek(&self) -> Option<At> {
        self.heads.peek().map(|Reverse((_, source, i))| At {
            source: *source,
            i: *i,
        })
    }

    /// Takes the smallest id, and drops its copies in later sources.
    fn advance(&mut self) {
        let Some(Reverse((id, s, i))) = self.heads.pop() else {
            return;
        };
        self.push_from(s, i + 1);
        while let Some(Reverse((next, s2, i2))) = self.heads.peek().copied() {
            if next != id {
                break;
            }
            self.heads.pop();
            self.push_from(s2, i2 + 1);
        }
    }
}

impl Iterator for Merge<'_> {
    type Item = At;

    fn next(&mut self) -> Option<At> {
        let at = self.peek()?;
        self.advance();
        Some(at)
    }
}
