//! Arbitrary bytes as a container file of each kind, with and without the checksum check;
//! every chunk accessor is called on what parses.
#![no_main]

use git_atse::format::container::{Container, FileKind};
use libfuzzer_sys::fuzz_target;

const IDS: [[u8; 4]; 12] = [
    *b"GMET", *b"FOFF", *b"FDEL", *b"ROFF", *b"RDEL", *b"BLMH", *b"BTRE", *b"BCOM", *b"BITS",
    *b"BASE", *b"PHDR", *b"PDAT",
];

fuzz_target!(|data: &[u8]| {
    for kind in [FileKind::Graph, FileKind::Bloom, FileKind::Pack] {
        for c in [Container::parse(data, kind), Container::parse_structure(data, kind)]
            .into_iter()
            .flatten()
        {
            for id in IDS {
                let _ = c.find(id);
                if let Ok(r) = c.range(id) {
                    assert!(r.end <= data.len());
                    assert_eq!(c.chunk(id).ok().map(|b| b.len()), Some(r.len()));
                }
            }
        }
    }
});
