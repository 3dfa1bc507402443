//! The spool, on a real directory.
#![allow(clippy::unwrap_used)]
use super::*;
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
