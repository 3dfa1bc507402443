//! A posting: one definition's row in the index's `defs` table (see `keys` for the other
//! tables, and `store::index` for how they are used).
//!
//! ```text
//! posting key     name 0x00 file:ord line:ord column:ord [ord bytes u8]
//! posting value   [kind u8][end_line leb][end_column leb][container position + 1 leb, 0: none]
//! ```
//!
//! A posting names its container (a name and a kind) by position in its file's row
//! ([`Containers`]): a class's name is stored once per file, not once per member. Its
//! language is its file's, in the file's row too.

use anyhow::{bail, Result};

use super::keys::{put_tailed, split_tailed, SEP};
use super::varint::{get_exactly, get_leb, put_leb, put_ordered};
use crate::error::Damaged;
use crate::model::{Definition, Kind};

/// Writes the posting key of definition `name` in `file` at `line`:`column` into `key`
/// (`keys::put_tailed`: a name's postings sort by file, line and column, and the name is
/// found from the end whatever bytes it holds).
pub fn posting_key(key: &mut Vec<u8>, name: &str, file: u32, line: u32, column: u32) {
    key.clear();
    put_tailed(key, name.as_bytes(), &[file, line, column]);
}

/// The start of the posting keys of `name` in files numbered `file` or above.
pub fn posting_key_from_file(name: &[u8], file: u32) -> Vec<u8> {
    let mut key = Vec::with_capacity(name.len() + 6);
    key.extend_from_slice(name);
    key.push(SEP);
    put_ordered(&mut key, file);
    key
}

/// A decoded posting key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostingKey<'k> {
    /// The defined name (raw bytes, UTF-8 when written by git-atse).
    pub name: &'k [u8],
    /// The file id.
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub column: u32,
}

/// Decodes a posting key.
pub fn decode_posting_key(key: &[u8]) -> Result<PostingKey<'_>> {
    match split_tailed(key) {
        Some((name, [file, line, column])) => Ok(PostingKey {
            name,
            file,
            line,
            column,
        }),
        None => bail!(Damaged::index("posting with a malformed key or value")),
    }
}

/// The name of a posting key (everything before its fixed suffix).
pub fn posting_name(key: &[u8]) -> Result<&[u8]> {
    Ok(decode_posting_key(key)?.name)
}

/// Writes the posting value of `d` (in a file whose definitions have `containers`) into
/// `val`.
pub fn posting_value(val: &mut Vec<u8>, d: &Definition, containers: &Containers) {
    val.clear();
    val.push(d.kind.to_u8());
    put_leb(val, d.end_line);
    put_leb(val, d.end_column);
    let container = d
        .container
        .as_ref()
        .map_or(0, |(c, k)| containers.position(c, *k).saturating_add(1));
    put_leb(val, container);
}

/// A decoded posting value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostingValue {
    /// What the definition is.
    pub kind: Kind,
    /// Its container's position among its file's containers (see [`Containers`]).
    pub container: Option<u32>,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column.
    pub end_column: u32,
}

/// Decodes a posting value.
pub fn decode_posting_value(val: &[u8]) -> Result<PostingValue> {
    let malformed = || Damaged::index("posting with a malformed key or value");
    let (&kind, rest) = val.split_first().ok_or_else(malformed)?;
    let kind = Kind::from_u8(kind).ok_or_else(|| Damaged::index("posting with an unknown kind"))?;
    let [end_line, end_column, container] = get_exactly(rest, get_leb).ok_or_else(malformed)?;
    Ok(PostingValue {
        kind,
        container: container.checked_sub(1),
        end_line,
        end_column,
    })
}

/// The distinct containers (name and kind) of a file's definitions, in order of first
/// appearance. The file's row holds them and each posting names its container by
/// position, so a class's name is stored once per file rather than once per member.
pub struct Containers<'a> {
    list: Vec<(&'a str, Kind)>,
    position: std::collections::HashMap<(&'a str, Kind), u32>,
}

impl<'a> Containers<'a> {
    /// The containers of `defs`.
    pub fn of(defs: &'a [Definition]) -> Containers<'a> {
        let mut list = Vec::new();
        let mut position = std::collections::HashMap::new();
        for (c, k) in defs.iter().filter_map(|d| d.container.as_ref()) {
            position.entry((c.as_str(), *k)).or_insert_with(|| {
                list.push((c.as_str(), *k));
                list.len() as u32 - 1
            });
        }
        Containers { list, position }
    }

    /// Their names and kinds, by position.
    pub fn list(&self) -> &[(&'a str, Kind)] {
        &self.list
    }

    /// The position of `name` of `kind`; one past the last for a container not among them
    /// (a posting that names it reads as damage, never as another container).
    fn position(&self, name: &str, kind: Kind) -> u32 {
        self.position
            .get(&(name, kind))
            .copied()
            .unwrap_or(self.list.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn posting_keys_round_trip_and_cut_keys_are_damage() {
        let mut k = Vec::new();
        posting_key(&mut k, "main", 7, 3, 9);
        let d = decode_posting_key(&k).unwrap();
        assert_eq!((d.name, d.file, d.line, d.column), (&b"main"[..], 7, 3, 9));
        for n in 0..k.len() {
            if let Ok(d) = decode_posting_key(&k[..n]) {
                let mut again = Vec::new();
                let name = std::str::from_utf8(d.name).unwrap();
                posting_key(&mut again, name, d.file, d.line, d.column);
                assert_eq!(again, &k[..n]);
            }
        }
    }

    #[test]
    fn a_names_postings_sort_by_file_line_and_column_and_any_name_decodes() {
        let positions = [
            (0, 1, 1),
            (5, 0x7f, 300),
            (5, 0x80, 1),
            (127, 70_000, 2),
            (128, 1, 1),
            (20_000, 3, 4),
            (u32::MAX, u32::MAX, u32::MAX),
        ];
        let keys: Vec<Vec<u8>> = positions
            .iter()
            .map(|&(f, l, c)| {
                let mut k = Vec::new();
                posting_key(&mut k, "a\0b", f, l, c);
                k
            })
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        for (k, &(file, line, column)) in keys.iter().zip(&positions) {
            let d = decode_posting_key(k).unwrap();
            assert_eq!(
                (d.name, d.file, d.line, d.column),
                (&b"a\0b"[..], file, line, column)
            );
            assert!(k.as_slice() >= posting_key_from_file(b"a\0b", file).as_slice());
            assert!(
                k.as_slice() < posting_key_from_file(b"a\0b", file.saturating_add(1)).as_slice()
                    || file == u32::MAX
            );
        }
    }

    #[test]
    fn posting_values_round_trip_and_trailing_bytes_are_damage() {
        let other = Definition {
            name: "g".into(),
            kind: Kind::Method,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            container: Some(("Other".into(), Kind::Class)),
        };
        let mut d = Definition {
            name: "f".into(),
            kind: Kind::Method,
            line: 3,
            column: 1,
            end_line: 70_000,
            end_column: 200,
            container: Some(("Outer".into(), Kind::Class)),
        };
        let defs = [other, d.clone()];
        let containers = Containers::of(&defs);
        assert_eq!(
            containers.list(),
            [("Other", Kind::Class), ("Outer", Kind::Class)]
        );
        let mut v = Vec::new();
        posting_value(&mut v, &d, &containers);
        let got = decode_posting_value(&v).unwrap();
        assert_eq!(
            (got.kind, got.container, got.end_line, got.end_column),
            (Kind::Method, Some(1), 70_000, 200)
        );
        d.container = None;
        posting_value(&mut v, &d, &containers);
        assert_eq!(decode_posting_value(&v).unwrap().container, None);
        v.push(b'x');
        assert!(decode_posting_value(&v).is_err());
        for n in 0..v.len() - 1 {
            assert!(decode_posting_value(&v[..n]).is_err(), "{n}");
        }
    }
}
