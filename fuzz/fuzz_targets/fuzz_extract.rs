//! Arbitrary bytes as a source file of every language: extraction never panics, and what
//! it returns is well-formed (positions inside the file, callers that exist). The first
//! byte picks the language.
#![no_main]

use git_atse::extract::{Extractor, Limits};
use git_atse::model::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, src)) = data.split_first() else {
        return;
    };
    let lang = Lang::ALL[usize::from(pick) % Lang::ALL.len()];
    let mut ex = Extractor::new(Limits::default());
    let Ok(index) = ex.extract(lang, src) else {
        panic!("extract({lang}) failed on input data");
    };
    let lines = src.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    for d in &index.definitions {
        assert!(d.line >= 1 && d.line <= lines && d.line <= d.end_line, "{d:?}");
    }
    for r in &index.references {
        assert!(r.caller.is_none_or(|c| (c as usize) < index.definitions.len()));
    }
});
