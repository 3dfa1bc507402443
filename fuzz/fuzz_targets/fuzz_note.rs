//! Arbitrary text as a commit note from another clone: parsing never panics, and what
//! parses prints to a note that parses to the same thing.
#![no_main]

use git_atse::share::note::Note;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(note) = Note::parse(&text) {
        let printed = note.print();
        assert_eq!(Note::parse(&printed).expect("a printed note parses"), note);
    }
});
