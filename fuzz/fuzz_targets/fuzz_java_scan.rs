//! Arbitrary bytes as Java: the hand-written scanner never panics, and wherever
//! tree-sitter-java parses the text without an error, extraction gives exactly what
//! extraction through tree-sitter gives (the scanner either agrees or hands over).
#![no_main]

use git_atse::extract::{self, Extractor, Limits};
use git_atse::model::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut ex = Extractor::new(Limits::default());
    let (Ok(got), Ok(parsed)) = (
        ex.extract(Lang::Java, data),
        ex.extract_parsed(Lang::Java, data),
    ) else {
        panic!("extraction failed");
    };
    if got == parsed {
        return;
    }
    let mut parser = tree_sitter::Parser::new();
    let Ok(grammar) = extract::grammar(Lang::Java) else {
        return;
    };
    if parser.set_language(&grammar).is_err() {
        return;
    }
    let clean = parser
        .parse(data, None)
        .is_some_and(|t| !t.root_node().has_error());
    assert!(!clean, "scanner {got:?}\ntree-sitter {parsed:?}");
});
