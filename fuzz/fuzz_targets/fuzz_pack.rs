//! Arbitrary bytes as a pack (structure only: the checksum would stop almost every input
//! before the pack checks), quick and full; every lookup is called on what parses, and
//! every object is inflated as a compressed pack's frame.
#![no_main]

use git_atse::format::container::{Container, FileKind};
use git_atse::format::pack::PackLayout;
use git_atse::model::BlobId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(c) = Container::parse_structure(data, FileKind::Pack) else {
        return;
    };
    for every_offset in [false, true] {
        let Ok(pack) = PackLayout::parse(&c, every_offset) else {
            continue;
        };
        for i in 0..pack.len().min(4096) + 1 {
            if let Some(id) = pack.id(data, i) {
                let _ = pack.get(data, &id);
            }
            // A compressed pack's objects are zstd frames, inflated within bounds.
            if let Some(frame) = pack.object(data, i) {
                let _ = git_atse::store::objects::pack::inflate(frame);
            }
        }
        for probe in [[0u8; 20], [0xff; 20], [0x7f; 20]] {
            if let Ok(id) = BlobId::from_bytes(&probe) {
                let _ = pack.get(data, &id);
            }
        }
    }
});
