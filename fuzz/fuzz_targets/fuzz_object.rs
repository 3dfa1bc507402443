//! Arbitrary bytes as a per-blob object: decoding never panics, and whatever decodes
//! encodes to bytes that decode to the same thing (objects are deterministic).
#![no_main]

use git_atse::format::object::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(index) = decode(data) {
        let again = encode(&index);
        let back = decode(&again).expect("an encoded object decodes");
        assert_eq!(back, index);
        assert_eq!(encode(&back), again, "encoding is deterministic");
    }
});
