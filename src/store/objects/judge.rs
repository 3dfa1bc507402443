//! What gc does with each packed object, and which packs it merges: the judging half of
//! `gc`, which reads and decides, and writes nothing.

use std::path::PathBuf;

use super::gc::GcReport;
use super::pack::Pack;
use super::{Lookup, Objects};
use crate::model::BlobId;

/// Whether a pack read before holds a sound copy of `id` (kept or removed with it).
pub(super) fn held<'a>(mut judged: impl Iterator<Item = &'a Judged>, id: &BlobId) -> bool {
    judged.any(|j| {
        j.pack
            .find(id.as_bytes())
            .is_some_and(|k| matches!(j.state[k], State::Live | State::Removed))
    })
}

/// What gc does with a packed object.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Kept.
    Live,
    /// Sound, but git no longer has its blob.
    Removed,
    /// A second copy of an object an earlier pack holds soundly.
    Repeated,
    /// Unusable: damaged, or of another extractor version.
    Damaged,
}

/// A pack and what gc does with each of its objects.
pub(super) struct Judged {
    pub path: PathBuf,
    pub pack: Pack,
    pub state: Vec<State>,
    /// Written by this gc (the loose objects' pack).
    pub ours: bool,
    /// An imported pack (read after the local ones).
    pub imported: bool,
}

impl Judged {
    /// The live objects' count and bytes as stored.
    fn live(&self) -> (u64, u64) {
        let mut out = (0, 0);
        for (i, s) in self.state.iter().enumerate() {
            if *s == State::Live {
                out.0 += 1;
                out.1 += self.pack.stored(i).map_or(0, |b| b.len() as u64);
            }
        }
        out
    }
}

/// What becomes of each object of `pack`, given the packs judged before it (a second
/// sound copy is dropped: objects are a function of their blob, so both hold the same). An
/// id not above every id before it is unusable: the merge relies on sorted packs, and a
/// lookup's binary search could not find it.
pub(super) fn judge(
    pack: &Pack,
    earlier: &[Judged],
    keep: &dyn Fn(&BlobId) -> bool,
    report: &mut GcReport,
) -> Vec<State> {
    let mut highest: Option<&[u8]> = None;
    (0..pack.len())
        .map(|i| {
            let id = pack.id(i);
            let in_order = highest.is_none_or(|h| h < pack.id_bytes(i));
            let sound = match (&id, pack.object(i)) {
                (Some(id), Some(b)) => matches!(Objects::check(&b, id), Lookup::Found(_)),
                _ => false,
            };
            let Some(id) = id.filter(|_| sound && in_order) else {
                report.damaged += 1;
                return State::Damaged;
            };
            highest = Some(pack.id_bytes(i));
            if held(earlier.iter(), &id) {
                State::Repeated
            } else if keep(&id) {
                State::Live
            } else {
                report.removed += 1;
                State::Removed
            }
        })
        .collect()
}

/// The packs to merge (positions in `judged`): of the local packs under half of `max`
/// bytes, sorted by live objects, the smallest ones up to the largest that is less than
/// twice all the smaller ones together; no more than `max` bytes of them, since all are
/// written before any goes.
pub(super) fn geometric(judged: &[Judged], max: u64) -> Vec<usize> {
    let mut small: Vec<(u64, u64, usize)> = judged
        .iter()
        .enumerate()
        .filter(|(_, j)| !j.imported)
        .filter_map(|(at, j)| {
            let (count, bytes) = j.live();
            (bytes < max / 2).then_some((count, bytes, at))
        })
        .collect();
    small.sort_unstable();
    let mut below = 0u64;
    let mut cut = 0;
    for (k, (count, _, _)) in small.iter().enumerate() {
        if *count < 2 * below {
            cut = k + 1;
        }
        below += count;
    }
    let mut bytes = 0u64;
    small[..cut]
        .iter()
        .take_while(|(_, b, _)| {
            bytes += b;
            bytes <= max
        })
        .map(|(_, _, at)| *at)
        .collect()
}
