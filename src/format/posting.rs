//! A posting: one definition's row in the index's `defs` table (see `keys` for the other
//! tables, and `store::index` for how they are used).
//!
//! ```text
//! posting key     name 0x00 file:ord line:ord column:ord [ord bytes u8]
//! posting value   [kind u8][lang u8][container kind u8, 0: none][end_line leb][end_column leb]
//!                 [container position leb, when its kind is not 0]
//! ```
//!
//! A posting names its container by position in its file's row ([`Containers`]): a class's
//! name is stored once per file, not once per member.

use anyhow::{bail, Result};

use super::varint::{get_leb, get_ordered, put_leb, put_ordered};
use crate::error::Damaged;
use crate::model::{Definition, Kind, Lang};

/// The separator after a name.
const SEP: u8 = 0;

const KIND_OFFSET: usize = 0;
const LANG_OFFSET: usize = KIND_OFFSET + 1;
const CONTAINER_KIND_OFFSET: usize = LANG_OFFSET + 1;
const NUMBERS_OFFSET: usize = CONTAINER_KIND_OFFSET + 1;

/// Writes the posting key of definition `name` in `file` at `line`:`column` into `key`.
///
/// The numbers are ordered varints (`format::varint`), so a name's postings sort by file,
/// line and column. The last byte is their length, so that the name is found from the end
/// whatever bytes it holds; it never decides an order, as the codes before it differ
/// first.
pub fn posting_key(key: &mut Vec<u8>, name: &str, file: u32, line: u32, column: u32) {
    key.clear();
    key.extend_from_slice(name.as_bytes());
    key.push(SEP);
    let at = key.len();
    put_ordered(key, file);
    put_ordered(key, line);
    put_ordered(key, column);
    let numbers = (key.len() - at) as u8;
    key.push(numbers);
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
    let malformed = || Damaged::index("posting with a malformed key or value");
    let (&numbers, rest) = key.split_last().ok_or_else(malformed)?;
    let Some(sep) = rest.len().checked_sub(usize::from(numbers) + 1) else {
        bail!(malformed());
    };
    if rest[sep] != SEP {
        bail!(malformed());
    }
    let mut at = sep + 1;
    let mut next = || {
        let (v, n) = get_ordered(&rest[at..]).ok_or_else(malformed)?;
        at += n;
        Ok::<u32, Damaged>(v)
    };
    let (file, line, column) = (next()?, next()?, next()?);
    if at != rest.len() {
        bail!(malformed());
    }
    Ok(PostingKey {
        name: &rest[..sep],
        file,
        line,
        column,
    })
}

/// The name of a posting key (everything before its fixed suffix).
pub fn posting_name(key: &[u8]) -> Result<&[u8]> {
    Ok(decode_posting_key(key)?.name)
}

/// Writes the posting value of `d` (in a file of `lang` whose definitions have
/// `containers`) into `val`.
pub fn posting_value(val: &mut Vec<u8>, d: &Definition, lang: Lang, containers: &Containers) {
    val.clear();
    val.push(d.kind.to_u8());
    val.push(lang.to_u8());
    val.push(d.container.as_ref().map_or(0, |(_, k)| k.to_u8()));
    put_leb(val, d.end_line);
    put_leb(val, d.end_column);
    if let Some((c, _)) = &d.container {
        put_leb(val, containers.position(c));
    }
}

/// A decoded posting value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostingValue {
    /// What the definition is.
    pub kind: Kind,
    /// Its file's language.
    pub lang: Lang,
    /// Its container's position among its file's containers (see [`Containers`]) and its
    /// kind.
    pub container: Option<(u32, Kind)>,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column.
    pub end_column: u32,
}

/// Decodes a posting value.
pub fn decode_posting_value(val: &[u8]) -> Result<PostingValue> {
    let corrupt = |what: &str| Damaged::index(format!("posting with {what}"));
    let malformed = || corrupt("a malformed key or value");
    if val.len() < NUMBERS_OFFSET {
        bail!(malformed());
    }
    let kind = Kind::from_u8(val[KIND_OFFSET]).ok_or_else(|| corrupt("an unknown kind"))?;
    let lang = Lang::from_u8(val[LANG_OFFSET]).ok_or_else(|| corrupt("an unknown language"))?;
    let mut at = NUMBERS_OFFSET;
    let mut next = || {
        let (v, n) = get_leb(&val[at..]).ok_or_else(malformed)?;
        at += n;
        Ok::<u32, Damaged>(v)
    };
    let (end_line, end_column) = (next()?, next()?);
    let container = match val[CONTAINER_KIND_OFFSET] {
        0 => None,
        k => Some((
            next()?,
            Kind::from_u8(k).ok_or_else(|| corrupt("an unknown container kind"))?,
        )),
    };
    if at != val.len() {
        bail!(malformed());
    }
    Ok(PostingValue {
        kind,
        lang,
        container,
        end_line,
        end_column,
    })
}

/// The distinct containers of a file's definitions, in order of first appearance. The
/// file's row holds their names and each posting names its container by position, so a
/// class's name is stored once per file rather than once per member.
pub struct Containers<'a> {
    names: Vec<&'a str>,
    position: std::collections::HashMap<&'a str, u32>,
}

impl<'a> Containers<'a> {
    /// The containers of `defs`.
    pub fn of(defs: &'a [Definition]) -> Containers<'a> {
        let mut names = Vec::new();
        let mut position = std::collections::HashMap::new();
        for (c, _) in defs.iter().filter_map(|d| d.container.as_ref()) {
            position.entry(c.as_str()).or_insert_with(|| {
                names.push(c.as_str());
                names.len() as u32 - 1
            });
        }
        Containers { names, position }
    }

    /// Their names, by position.
    pub fn names(&self) -> &[&'a str] {
        &self.names
    }

    /// The position of `name`; one past the last for a name not among them (a posting
    /// that names it reads as damage, never as another container).
    fn position(&self, name: &str) -> u32 {
        self.position
            .get(name)
            .copied()
            .unwrap_or(self.names.len() as u32)
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
        assert_eq!(containers.names(), ["Other", "Outer"]);
        let mut v = Vec::new();
        posting_value(&mut v, &d, Lang::Java, &containers);
        let got = decode_posting_value(&v).unwrap();
        assert_eq!(
            (
                got.kind,
                got.lang,
                got.container,
                got.end_line,
                got.end_column
            ),
            (
                Kind::Method,
                Lang::Java,
                Some((1, Kind::Class)),
                70_000,
                200
            )
        );
        d.container = None;
        posting_value(&mut v, &d, Lang::Java, &containers);
        assert_eq!(decode_posting_value(&v).unwrap().container, None);
        v.push(b'x');
        assert!(decode_posting_value(&v).is_err());
        for n in 0..v.len() - 1 {
            assert!(decode_posting_value(&v[..n]).is_err(), "{n}");
        }
    }
}
