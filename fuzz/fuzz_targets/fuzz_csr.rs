//! Arbitrary bytes as a graph file (structure only); every row of what parses is read, and
//! no row names a node out of range.
#![no_main]

use git_atse::format::container::{Container, FileKind};
use git_atse::format::csr::Csr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(c) = Container::parse_structure(data, FileKind::Graph) else {
        return;
    };
    let Ok(csr) = Csr::parse(&c) else {
        return;
    };
    let _ = (csr.edges(), csr.generation());
    for node in 0..csr.nodes().min(4096).saturating_add(2) {
        for t in csr.forward(data, node).chain(csr.reverse(data, node)) {
            assert!(t < csr.nodes());
        }
    }
});
