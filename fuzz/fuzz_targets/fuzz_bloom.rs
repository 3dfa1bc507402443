//! Arbitrary bytes as a Bloom filter file (structure only); lookups never panic.
#![no_main]

use git_atse::format::bloom::Filter;
use git_atse::format::container::{Container, FileKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(c) = Container::parse_structure(data, FileKind::Bloom) else {
        return;
    };
    let Ok(filter) = Filter::parse(&c) else {
        return;
    };
    let _ = filter.array(data);
    for name in [&b"main"[..], b"", b"x", &data[..data.len().min(64)]] {
        let _ = filter.may_contain(data, name);
    }
});
