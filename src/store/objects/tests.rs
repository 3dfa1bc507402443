//! The spool and gc, on a real directory.
#![allow(clippy::unwrap_used)]
use super::*;
use std::path::Path;

use crate::model::{Lang, SkipReason};

fn id(i: u8) -> BlobId {
    BlobId::from_bytes(&[i; 20]).unwrap()
}

/// Past the threshold, objects go into chunk packs readable at once, then one pack;
/// the loose ones before it stay, and a damaged loose object is replaced in place.
#[test]
fn spooled_objects_land_in_one_pack() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::at(dir.path());
    let index = FileIndex::skipped(Lang::Python, SkipReason::TooLarge);
    objects.spool_with(2, 3);
    // A damaged loose object of blob 9, written before the spool.
    let damaged = objects.path(&id(9));
    fs::create_dir_all(damaged.parent().unwrap()).unwrap();
    fs::write(&damaged, b"junk").unwrap();
    for i in 1..=8 {
        objects.write(&id(i), &index).unwrap();
    }
    objects.write(&id(9), &index).unwrap();
    let loose: Vec<bool> = (1..=9).map(|i| objects.path(&id(i)).exists()).collect();
    assert_eq!(
        loose,
        [true, true, false, false, false, false, false, false, true]
    );
    // Objects 3-8 filled two chunks: readable before the spool ends.
    for i in 1..=9 {
        assert!(
            matches!(objects.read(&id(i)).unwrap(), Lookup::Found(_)),
            "{i}"
        );
    }
    assert_eq!(objects.pack_paths().len(), 2);
    objects.write(&id(10), &index).unwrap();
    assert!(matches!(objects.read(&id(10)).unwrap(), Lookup::Missing));
    assert!(objects.finish_spool().unwrap());
    assert_eq!(objects.pack_paths().len(), 1);
    for i in 1..=10 {
        assert!(
            matches!(objects.read(&id(i)).unwrap(), Lookup::Found(_)),
            "{i}"
        );
    }
    let count = objects.count();
    assert_eq!((count.objects, count.packed), (3, 7));
    // Loose again after the spool; nothing to finish.
    objects.write(&id(11), &index).unwrap();
    assert!(objects.path(&id(11)).exists());
    assert!(!objects.finish_spool().unwrap());
}

/// A pack of the objects of `ids` in the store's pack directory.
fn pack_of(objects: &Objects, ids: impl IntoIterator<Item = u8>) -> PathBuf {
    let index = FileIndex::skipped(Lang::Python, SkipReason::TooLarge);
    let mut b = objects.pack_builder().unwrap();
    for i in ids {
        b.add(&id(i), &object::encode(&id(i), &index)).unwrap();
    }
    objects.finish_pack(b).unwrap()
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

/// gc writes what it keeps at most once: a pack that lost nothing stays as it is, one that
/// lost objects is rewritten alone, small packs (and the loose objects) are merged.
#[test]
fn gc_rewrites_only_the_packs_that_lost_objects_or_are_small() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::at(dir.path());
    let big = pack_of(&objects, 1..=100);
    let lost = pack_of(&objects, 101..=120);
    let small = [pack_of(&objects, 121..=122), pack_of(&objects, 123..=124)];
    // A second copy of object 5, and an unusable object.
    let repeated = pack_of(&objects, [5, 125, 126]);
    let mut b = objects.pack_builder().unwrap();
    b.add(&id(127), b"not an object").unwrap();
    objects.finish_pack(b).unwrap();
    let index = FileIndex::skipped(Lang::Python, SkipReason::TooLarge);
    objects.write(&id(200), &index).unwrap();
    objects.write(&id(201), &index).unwrap();
    let big_inode = inode(&big);
    let gone = [101, 102, 201];

    let report = objects.gc(&|b| !gone.iter().any(|g| *b == id(*g))).unwrap();
    assert_eq!((report.removed, report.damaged), (3, 1));
    assert_eq!(report.kept, 100 + 18 + 2 + 2 + 2 + 1);
    // The full pack was not touched; the others are gone, replaced.
    assert_eq!(inode(&big), big_inode);
    for p in [&lost, &small[0], &small[1], &repeated] {
        assert!(!p.exists(), "{}", p.display());
    }
    let after = Objects::at(dir.path());
    assert_eq!(
        after.pack_paths().len(),
        3,
        "the full one, the rewritten one, the merged small ones"
    );
    let count = after.count();
    assert_eq!((count.objects, count.packed), (0, report.kept));
    for i in (1..=126).chain([200]) {
        let found = matches!(after.read(&id(i)).unwrap(), Lookup::Found(_));
        assert_eq!(found, !gone.contains(&i), "{i}");
    }
    // Nothing more to do: a second gc writes nothing.
    let packs = after.pack_paths();
    let inodes: Vec<u64> = packs.iter().map(|p| inode(p)).collect();
    let again = after.gc(&|_| true).unwrap();
    assert_eq!(
        (again.removed, again.damaged, again.kept),
        (0, 0, report.kept)
    );
    assert_eq!(Objects::at(dir.path()).pack_paths(), packs);
    assert_eq!(packs.iter().map(|p| inode(p)).collect::<Vec<_>>(), inodes);
}

/// A pack rewritten by gc is cut at the size limit, so that the next gc rewrites at most
/// that much beyond what it keeps.
#[test]
fn gc_cuts_the_packs_it_writes_at_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::at(dir.path());
    pack_of(&objects, 1..=40);
    let size = pack::deflate(&objects.raw(&id(1)).unwrap()).unwrap().len() as u64;
    let report = objects.gc_with(&|b| *b != id(7), 10 * size).unwrap();
    assert_eq!((report.removed, report.kept), (1, 39));
    let after = Objects::at(dir.path());
    let packs = after.pack_paths();
    assert_eq!(packs.len(), 4, "39 objects, 10 a pack");
    for p in &packs {
        assert!(Pack::open(p).unwrap().unwrap().len() <= 10);
    }
    for i in 1..=40 {
        let found = matches!(after.read(&id(i)).unwrap(), Lookup::Found(_));
        assert_eq!(found, i != 7, "{i}");
    }
}

/// A pack of plain objects, as written before objects were compressed.
pub(super) fn write_plain(path: &Path, objects: &[(BlobId, &[u8])]) {
    write_raw(path, 0, objects);
}

/// A pack with header flags `flags` of `objects` as given (in that order, bytes as they are).
fn write_raw(path: &Path, flags: u32, objects: &[(BlobId, &[u8])]) {
    let mut fanout = [0u32; 256];
    for (id, _) in objects {
        fanout[usize::from(id.as_bytes()[0])] += 1;
    }
    let head = pack::Head {
        id_len: 20,
        flags,
        count: objects.len() as u64,
        fanout: &fanout,
        data_len: objects.iter().map(|(_, b)| b.len() as u64).sum(),
    };
    let mut out = head.start(path).unwrap();
    for (id, _) in objects {
        out.write(id.as_bytes()).unwrap();
    }
    pack::write_offsets(&mut out, objects.iter().map(|(_, b)| b.len() as u64)).unwrap();
    for (_, b) in objects {
        out.write(b).unwrap();
    }
    out.commit(false).unwrap();
}

/// A pack written before objects were compressed is read, and merged into a compressed one.
#[test]
fn gc_merges_packs_of_plain_objects_into_compressed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::at(dir.path());
    let index = FileIndex::skipped(Lang::Python, SkipReason::TooLarge);
    let plain: Vec<(BlobId, Vec<u8>)> = (1..=3)
        .map(|i| (id(i), object::encode(&id(i), &index)))
        .collect();
    let refs: Vec<(BlobId, &[u8])> = plain
        .iter()
        .map(|(i, b)| (i.clone(), b.as_slice()))
        .collect();
    fs::create_dir_all(objects.pack_dir()).unwrap();
    write_plain(
        &objects.pack_dir().join("pack-0000000000000001.pack"),
        &refs,
    );
    pack_of(&objects, 4..=6);
    let report = objects.gc(&|_| true).unwrap();
    assert_eq!(report.kept, 6);
    let after = Objects::at(dir.path());
    let packs = after.pack_paths();
    assert_eq!(packs.len(), 1);
    assert!(Pack::open(&packs[0]).unwrap().unwrap().compressed());
    for i in 1..=6 {
        assert!(
            matches!(after.read(&id(i)).unwrap(), Lookup::Found(_)),
            "{i}"
        );
    }
}

/// A gc killed after writing a pack's rewrite, before removing the pack, leaves both: every
/// object is readable, and the next gc keeps one copy of each.
#[test]
fn gc_after_a_gc_killed_midway_keeps_one_copy() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::at(dir.path());
    pack_of(&objects, 1..=20);
    // What the killed gc wrote: the pack without object 3.
    let rewritten = pack_of(&objects, (1..=20).filter(|i| *i != 3));
    let report = objects.gc(&|b| *b != id(3)).unwrap();
    assert_eq!((report.removed, report.kept), (1, 19));
    let after = Objects::at(dir.path());
    assert_eq!(after.pack_paths(), vec![rewritten]);
    for i in 1..=20 {
        let found = matches!(after.read(&id(i)).unwrap(), Lookup::Found(_));
        assert_eq!(found, i != 3, "{i}");
    }
}

/// Imported packs stay imported: a local copy is kept over an imported one, and an imported
/// pack that lost objects is rewritten under an imported name.
#[test]
fn gc_keeps_local_copies_and_imported_packs_apart() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::at(dir.path());
    let local = pack_of(&objects, 1..=2);
    let index = FileIndex::skipped(Lang::Python, SkipReason::TooLarge);
    let mut b = objects.pack_builder().unwrap();
    for i in 1..=10 {
        b.add(&id(i), &object::encode(&id(i), &index)).unwrap();
    }
    let imported = b.finish_imported_in(&objects.pack_dir()).unwrap();
    let report = objects.gc(&|_| true).unwrap();
    assert_eq!((report.kept, report.damaged), (10, 0));
    assert!(local.exists() && !imported.exists());
    let after = Objects::at(dir.path());
    let packs = after.pack_paths();
    assert_eq!(packs.len(), 2);
    assert!(pack::is_imported(&packs[1]), "{packs:?}");
    assert_eq!(Pack::open(&packs[1]).unwrap().unwrap().len(), 8);
    for i in 1..=10 {
        assert!(
            matches!(after.read(&id(i)).unwrap(), Lookup::Found(_)),
            "{i}"
        );
    }
}

/// A pack a newer git-atse wrote (flags or a container version this one does not know) is
/// not gc's to delete; a pack whose ids are out of order loses those objects, not the
/// others.
#[test]
fn gc_leaves_newer_packs_and_drops_objects_out_of_order() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::at(dir.path());
    let index = FileIndex::skipped(Lang::Python, SkipReason::TooLarge);
    let enc: Vec<(BlobId, Vec<u8>)> = [3, 1, 2, 7]
        .iter()
        .map(|i| (id(*i), object::encode(&id(*i), &index)))
        .collect();
    let refs: Vec<(BlobId, &[u8])> = enc.iter().map(|(i, b)| (i.clone(), b.as_slice())).collect();
    fs::create_dir_all(objects.pack_dir()).unwrap();
    let newer = objects.pack_dir().join("pack-0000000000000002.pack");
    write_raw(&newer, 2, &refs[..1]);
    // And one of a later container format version.
    let later = pack_of(&objects, [9]);
    let mut bytes = fs::read(&later).unwrap();
    bytes[8] = crate::format::container::VERSION + 1;
    fs::write(&later, &bytes).unwrap();
    write_raw(
        &objects.pack_dir().join("pack-0000000000000003.pack"),
        0,
        &refs,
    );
    let report = objects.gc(&|_| true).unwrap();
    assert!(newer.exists() && later.exists());
    assert_eq!((report.kept, report.damaged), (2, 2));
    let after = Objects::at(dir.path());
    for (i, found) in [(3, true), (7, true), (1, false), (2, false)] {
        let got = matches!(after.read(&id(i)).unwrap(), Lookup::Found(_));
        assert_eq!(got, found, "{i}");
    }
}
