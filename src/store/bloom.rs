//! The Bloom filter of defined names: "not defined here" without opening the index.
//!
//! The layout of each file is `format::bloom`.
//!
//! Two files: the base `bloom`, sized for twice the names it was built from, and
//! `bloom.delta`, a small filter of fixed size (`DELTA_NAMES` names) for the names defined
//! since, with a `BASE` chunk holding the base's checksum. An update rewrites only the
//! delta (and its label, which then is the filter's), so its cost follows the change, not
//! the repository; once the delta or the base is full, the base is rebuilt from the index.
//! A delta whose `BASE` is not the base's checksum is ignored: the base's own (older) label
//! then applies, which proves nothing about later trees.

use std::path::Path;

use anyhow::Result;
use memmap2::Mmap;

use super::atomic::ContainerFile;
use crate::format::bloom::{encode, set_all, Filter, BITS_PER_NAME};
use crate::format::container::FileKind;

pub use crate::format::bloom::Label;

/// Builds a filter with room for `capacity` names, holds `names`, and writes it to `path`
/// as the names of `tree`.
pub fn write<'n>(
    path: &Path,
    capacity: u64,
    label: &Label,
    names: impl Iterator<Item = &'n [u8]>,
) -> Result<()> {
    let mut b = Builder::new(capacity);
    for name in names {
        b.insert(name);
    }
    b.write(path, label)
}

/// A new filter filled one name at a time (no list of the names is ever held).
pub struct Builder {
    array: Vec<u8>,
    bits: u64,
    n: u64,
}

impl Builder {
    /// A filter with room for `capacity` names.
    pub fn new(capacity: u64) -> Builder {
        let bits = (capacity.max(1) * BITS_PER_NAME)
            .max(64)
            .next_multiple_of(64);
        Builder {
            array: vec![0u8; (bits / 8) as usize],
            bits,
            n: 0,
        }
    }

    /// Adds a name.
    pub fn insert(&mut self, name: &[u8]) {
        self.n += set_all(&mut self.array, self.bits, std::iter::once(name));
    }

    /// Writes the filter to `path` as a new base, labelled with the tree (and commit) its
    /// names are of; the old delta goes (it belonged to the old base).
    pub fn write(self, path: &Path, label: &Label) -> Result<()> {
        store(path, self.bits, self.n, label, self.array, None)?;
        match std::fs::remove_file(delta_path(path)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(anyhow::Error::new(e)
                .context(format!("{}: cannot remove", delta_path(path).display()))),
            _ => Ok(()),
        }
    }
}

/// Names the delta filter holds before the base must be rebuilt: its 80 KB are rewritten by
/// every update that defines a new name.
const DELTA_NAMES: u64 = 65_536;

fn delta_path(base: &Path) -> std::path::PathBuf {
    base.with_extension("delta")
}

/// The delta of the filter at `path` whose base is `base`; a missing, damaged or foreign
/// one is none.
fn delta_of(path: &Path, base: &Layer) -> Option<Layer> {
    Layer::open(&delta_path(path))
        .ok()
        .flatten()
        .filter(|d| d.filter.base == Some(base.filter.checksum))
}

/// Adds `names` to the filter at `path` (in its delta, a new file renamed into place), now
/// labelled with `label`. The result holds the old names too, so it answers for the old
/// state and the new one. Returns false, writing nothing, when there is no filter or it
/// is full.
pub fn extend(path: &Path, label: &Label, names: &[&[u8]]) -> Result<bool> {
    let Some(base) = Layer::open(path)? else {
        return Ok(false);
    };
    let delta = delta_of(path, &base);
    let (mut array, bits, count) = match &delta {
        Some(d) => (d.array().to_vec(), d.filter.bits, d.filter.count),
        None => {
            let bits = (DELTA_NAMES * BITS_PER_NAME).next_multiple_of(64);
            (vec![0u8; (bits / 8) as usize], bits, 0)
        }
    };
    let fresh = names.len() as u64;
    if base.filter.count + count + fresh > base.filter.bits / BITS_PER_NAME
        || count + fresh > DELTA_NAMES
    {
        return Ok(false);
    }
    let added = set_all(&mut array, bits, names.iter().copied());
    store(
        &delta_path(path),
        bits,
        count + added,
        label,
        array,
        Some(base.filter.checksum),
    )?;
    Ok(true)
}

fn store(
    path: &Path,
    bits: u64,
    n: u64,
    label: &Label,
    array: Vec<u8>,
    base: Option<u64>,
) -> Result<()> {
    ContainerFile::write_whole(encode(bits, n, label, array, base), path, false)
}

/// One file of a filter (the base or the delta).
struct Layer {
    map: Mmap,
    filter: Filter,
}

impl Layer {
    fn open(path: &Path) -> Result<Option<Layer>> {
        let Some((map, meta)) = super::checked::map(path)? else {
            return Ok(None);
        };
        let filter = Filter::parse(&super::checked::parse(path, &meta, &map, FileKind::Bloom)?)?;
        Ok(Some(Layer { map, filter }))
    }

    fn array(&self) -> &[u8] {
        self.filter.array(&self.map)
    }

    fn may_contain(&self, name: &[u8]) -> bool {
        self.filter.may_contain(&self.map, name)
    }
}

/// An open filter: the base and, when it belongs to it, the delta.
pub struct Bloom {
    base: Layer,
    delta: Option<Layer>,
}

impl Bloom {
    /// Opens and validates the filter at `path`; `None` when there is none. A damaged
    /// base is an error; a damaged or foreign delta is ignored.
    pub fn open(path: &Path) -> Result<Option<Bloom>> {
        let Some(base) = Layer::open(path)? else {
            return Ok(None);
        };
        let delta = delta_of(path, &base);
        Ok(Some(Bloom { base, delta }))
    }

    fn label(&self) -> &Label {
        &self.delta.as_ref().unwrap_or(&self.base).filter.label
    }

    /// The hex id of the tree whose names the filter holds (it may hold more: the names of
    /// the tree indexed before it, and names removed since it was sized).
    pub fn tree(&self) -> &str {
        &self.label().tree
    }

    /// The hex id of the commit of [`Bloom::tree`], empty when none.
    pub fn commit(&self) -> &str {
        &self.label().commit
    }

    /// False only when `name` was certainly not among the names the filter was built from.
    pub fn may_contain(&self, name: &[u8]) -> bool {
        self.base.may_contain(name) || self.delta.as_ref().is_some_and(|d| d.may_contain(name))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn lbl(tree: &str) -> Label {
        Label {
            tree: tree.into(),
            commit: format!("c-{tree}"),
        }
    }

    #[test]
    fn no_false_negatives_and_few_false_positives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bloom");
        let names: Vec<String> = (0..20_000).map(|i| format!("name_{i}")).collect();
        write(
            &path,
            25_000,
            &lbl("t1"),
            names.iter().map(|n| n.as_bytes()),
        )
        .unwrap();
        let bloom = Bloom::open(&path).unwrap().unwrap();
        assert_eq!(bloom.tree(), "t1");
        assert!(names.iter().all(|n| bloom.may_contain(n.as_bytes())));
        let fp = (0..20_000)
            .filter(|i| bloom.may_contain(format!("other_{i}").as_bytes()))
            .count();
        assert!(fp < 400, "{fp} false positives in 20000");
        drop(bloom);
        // Extending keeps the old names and adds the new ones, in the delta: the base is
        // not rewritten. A full filter refuses.
        let base_bytes = std::fs::read(&path).unwrap();
        assert!(extend(&path, &lbl("t2"), &[b"fresh".as_slice()]).unwrap());
        assert!(extend(&path, &lbl("t2b"), &[b"fresher".as_slice()]).unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), base_bytes);
        let bloom = Bloom::open(&path).unwrap().unwrap();
        assert_eq!((bloom.tree(), bloom.commit()), ("t2b", "c-t2b"));
        assert!(bloom.may_contain(b"fresh") && bloom.may_contain(b"fresher"));
        assert!(bloom.may_contain(b"name_7"));
        drop(bloom);
        // A delta of another base is ignored: the base's own label applies again.
        let delta = std::fs::read(delta_path(&path)).unwrap();
        write(
            &path,
            25_000,
            &lbl("t9"),
            names.iter().map(|n| n.as_bytes()),
        )
        .unwrap();
        std::fs::write(delta_path(&path), &delta).unwrap();
        let bloom = Bloom::open(&path).unwrap().unwrap();
        assert_eq!(bloom.tree(), "t9");
        drop(bloom);
        // A damaged delta is ignored too.
        assert!(extend(&path, &lbl("t10"), &[b"fresh".as_slice()]).unwrap());
        let mut d = std::fs::read(delta_path(&path)).unwrap();
        let mid = d.len() / 2;
        d[mid] ^= 1;
        std::fs::write(delta_path(&path), &d).unwrap();
        assert_eq!(Bloom::open(&path).unwrap().unwrap().tree(), "t9");
        let many: Vec<String> = (0..6000).map(|i| format!("more_{i}")).collect();
        let many: Vec<&[u8]> = many.iter().map(|n| n.as_bytes()).collect();
        assert!(!extend(&path, &lbl("t3"), &many).unwrap());
    }

    #[test]
    fn damage_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bloom");
        write(
            &path,
            3,
            &lbl("t"),
            [b"a".as_slice(), b"b", b"c"].into_iter(),
        )
        .unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[40] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        assert!(Bloom::open(&path).is_err());
        assert!(Bloom::open(&dir.path().join("none")).unwrap().is_none());
    }
}
