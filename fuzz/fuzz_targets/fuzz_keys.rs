//! Arbitrary bytes as every kind of index key and value: decoding never panics, and what
//! decodes re-encodes to the same bytes where the encoding is canonical.
#![no_main]

use git_atse::format::keys;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(k) = keys::decode_posting_key(data) {
        if let Ok(name) = std::str::from_utf8(k.name) {
            let mut again = Vec::new();
            keys::posting_key(&mut again, name, k.file, k.line, k.column);
            assert_eq!(again, data);
        }
    }
    let _ = keys::posting_name(data);
    let _ = keys::decode_posting_value(data);
    let _ = keys::trailing_id(data);
    let _ = keys::decode_folded(data);
    let _ = keys::unpack_ids(data);
    if let Ok((t, s)) = keys::edge_of(data) {
        assert_eq!(keys::edge_key(t, s), data);
    }
    if let Ok((path, id)) = keys::basename_of(data) {
        assert_eq!(keys::basename_key(&path, id), data);
    }
    if let Ok(row) = keys::decode_file_value(data) {
        // Names that are UTF-8 re-encode to the same row.
        let names: Option<Vec<(&str, _)>> = row
            .containers
            .iter()
            .map(|(c, k)| std::str::from_utf8(c).ok().map(|c| (c, *k)))
            .collect();
        if let Some(names) = names {
            let mut again = Vec::new();
            keys::file_value(&mut again, &row.blob, row.lang, row.skip, &row.path, &names);
            assert_eq!(again, data);
        }
    }
});
