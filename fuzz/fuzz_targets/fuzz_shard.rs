//! Arbitrary bytes as `.git/atse/shard` (the record an `update --shard` job leaves for
//! `share push`): parsing never panics, and what parses prints to a record that parses to the
//! same thing.
#![no_main]

use git_atse::format::shard::{parse_spec, ShardRecord};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(record) = ShardRecord::parse(&text) {
        assert!((1..=record.n).contains(&record.k));
        let printed = record.print();
        assert_eq!(ShardRecord::parse(&printed).expect("a printed record parses"), record);
    }
    if let Ok((k, n)) = parse_spec(&text) {
        assert!(k >= 1 && k <= n && n <= 65_536);
    }
});
