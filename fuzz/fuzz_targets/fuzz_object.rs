//! Arbitrary bytes as a per-blob object: decoding never panics, and whatever decodes
//! encodes (for the blob it names) to bytes that decode to the same thing (objects are
//! deterministic).
#![no_main]

use git_atse::format::object::{decode, decode_any, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((blob, index)) = decode_any(data) {
        let again = encode(&blob, &index);
        let back = decode(&again, &blob).expect("an encoded object decodes");
        assert_eq!(back, index);
        assert_eq!(encode(&blob, &back), again, "encoding is deterministic");
    }
});
