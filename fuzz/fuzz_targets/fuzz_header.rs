//! Arbitrary bytes as a `.h` file of the working tree: deciding C or C++ never panics.
#![no_main]

use git_atse::extract::header::header_lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = header_lang(data);
});
