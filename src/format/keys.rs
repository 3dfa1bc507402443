//! The keys and values of the index's redb tables (see `store::index` for the tables).
//! Integers in keys are big-endian or ordered varints (`ord`, [`super::varint`]), so that
//! byte order is numeric order; in values they are little-endian or LEB128 (`leb`). Names
//! never contain NUL (identifiers do not), which keeps the separator unambiguous; a key that
//! does not decode is damage ([`Damaged`]), never a panic.
//!
//! ```text
//! posting key     name 0x00 file:ord line:ord column:ord [ord bytes u8]
//! posting value   [kind u8][lang u8][container kind u8, 0: none][end_line leb][end_column leb]
//!                 [container position leb, when its kind is not 0]
//! id key          prefix 0x00 file:u32be          (callers, ikeys, basenames)
//! folded key      lowercase(name) 0x00 [nothing | 0x01 upper-case mask | 0x02 name]
//! edge key        target:ord source:ord           (rdeps)
//! id list         [leb of the difference from the id before...]   (deps)
//! file value      [id_len u8][blob id][lang u8][skip u8, 0: none][path_len leb][path]
//!                 ([name_len leb][container name])...
//! ```
//!
//! A posting names its container by position in its file's row ([`Containers`]): a class's
//! name is stored once per file, not once per member.

use anyhow::{bail, Result};

use super::suffix;
use super::varint::{get_leb, get_ordered, put_leb, put_ordered};
use crate::error::Damaged;
use crate::model::{BlobId, Definition, Kind, Lang, SkipReason};

/// The separator after a name or prefix.
const SEP: u8 = 0;
const FILE_ID_LEN: usize = 4;

const KIND_OFFSET: usize = 0;
const LANG_OFFSET: usize = KIND_OFFSET + 1;
const CONTAINER_KIND_OFFSET: usize = LANG_OFFSET + 1;
const NUMBERS_OFFSET: usize = CONTAINER_KIND_OFFSET + 1;

fn u32be(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

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

/// `prefix 0x00 file:u32be`.
pub fn id_key(prefix: &[u8], id: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + 1 + FILE_ID_LEN);
    k.extend_from_slice(prefix);
    k.push(SEP);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The file id at the end of a `... file:u32be` key; a shorter key is damage.
pub fn trailing_id(key: &[u8]) -> Result<u32> {
    match key.len().checked_sub(FILE_ID_LEN) {
        Some(at) => Ok(u32be(&key[at..])),
        None => bail!(Damaged::index(format!(
            "a key of {} bytes where a file id ends it",
            key.len()
        ))),
    }
}

/// The prefix of an id key whose prefix is exactly `len` bytes long, if `key` is one.
pub fn id_key_has_prefix_len(key: &[u8], len: usize) -> bool {
    key.len() == len + 1 + FILE_ID_LEN
}

/// The key range of every `prefix 0x00 ...` key: `prefix 0x00` up to `prefix 0x01`.
pub fn prefix_range(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut lo = Vec::with_capacity(prefix.len() + 1);
    lo.extend_from_slice(prefix);
    lo.push(SEP);
    let mut hi = lo.clone();
    hi.pop();
    hi.push(SEP + 1);
    (lo, hi)
}

/// The `basenames` key of file `id` at `path`.
pub fn basename_key(path: &[u8], id: u32) -> Vec<u8> {
    id_key(&suffix::key(path), id)
}

/// The path and file id of a `basenames` key. Only the key `basename_key` makes of them
/// is accepted (a damaged key may decode to another path).
pub fn basename_of(key: &[u8]) -> Result<(Vec<u8>, u32)> {
    let id = trailing_id(key)?;
    key.len()
        .checked_sub(1 + FILE_ID_LEN)
        .filter(|&end| key[end] == SEP)
        .and_then(|end| suffix::path_of(&key[..end]))
        .filter(|path| basename_key(path, id) == key)
        .map(|path| (path, id))
        .ok_or_else(|| {
            Damaged::index(format!("a malformed file-name key of {} bytes", key.len())).into()
        })
}

/// Writes the `folded` key of `name` into `key`: its lower case, the separator, then what
/// gives the name back from it, shortest first:
///
/// - nothing: the name is its own lower case;
/// - `0x01` and a bit mask of its upper-case letters (bit `i % 8` of byte `i / 8` for the
///   `i`th byte, trailing zero bytes cut): an ASCII name;
/// - `0x02` and the name: any other.
pub fn folded_key<'k>(key: &'k mut Vec<u8>, name: &str) -> &'k [u8] {
    key.clear();
    let lower = name.to_lowercase();
    key.extend_from_slice(lower.as_bytes());
    key.push(SEP);
    if lower == name {
    } else if name.is_ascii() {
        key.push(FOLDED_MASK);
        let mut mask = vec![0u8; name.len().div_ceil(8)];
        for (i, b) in name.bytes().enumerate() {
            if b.is_ascii_uppercase() {
                mask[i / 8] |= 1 << (i % 8);
            }
        }
        let len = mask.iter().rposition(|&m| m != 0).map_or(0, |at| at + 1);
        key.extend_from_slice(&mask[..len]);
    } else {
        key.push(FOLDED_NAME);
        key.extend_from_slice(name.as_bytes());
    }
    key.as_slice()
}

/// A `folded` tail: the upper-case letters of an ASCII name.
const FOLDED_MASK: u8 = 1;
/// A `folded` tail: the name itself.
const FOLDED_NAME: u8 = 2;

/// The lower-cased name and the name of a `folded` key. A tail that cannot be
/// `folded_key`'s is damage; `verify` also checks the key is the name's.
pub fn decode_folded(key: &[u8]) -> Result<(&[u8], std::borrow::Cow<'_, [u8]>)> {
    use std::borrow::Cow;
    let malformed = || Damaged::index("a malformed folded-name key");
    let sep = key.iter().position(|&b| b == SEP).ok_or_else(malformed)?;
    let (lower, tail) = (&key[..sep], &key[sep + 1..]);
    let name = match tail.split_first() {
        None => Cow::Borrowed(lower),
        Some((&FOLDED_MASK, mask)) => {
            // Bits past the name's last byte would give one name two keys.
            let past = match (mask.len() == lower.len().div_ceil(8), lower.len() % 8) {
                (true, bits) if bits > 0 => mask.last().map_or(0, |&m| m >> bits),
                _ => 0,
            };
            let fits = lower.is_ascii()
                && mask.len() <= lower.len().div_ceil(8)
                && mask.last().is_some_and(|&m| m != 0)
                && past == 0;
            if !fits {
                bail!(malformed());
            }
            let mut name = lower.to_vec();
            for (i, b) in name.iter_mut().enumerate() {
                if mask.get(i / 8).is_some_and(|m| m & (1 << (i % 8)) != 0) {
                    if !b.is_ascii_lowercase() {
                        bail!(malformed());
                    }
                    b.make_ascii_uppercase();
                }
            }
            Cow::Owned(name)
        }
        Some((&FOLDED_NAME, name)) => Cow::Borrowed(name),
        Some(_) => bail!(malformed()),
    };
    Ok((lower, name))
}

/// The `rdeps` key of the edge `source` -> `target`: two ordered varints, so that a
/// target's sources are one key range, in id order.
pub fn edge_key(target: u32, source: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(10);
    put_ordered(&mut k, target);
    put_ordered(&mut k, source);
    k
}

/// The (target, source) of an `rdeps` key.
pub fn edge_of(key: &[u8]) -> Result<(u32, u32)> {
    let malformed = || Damaged::index("a malformed reverse edge");
    let (target, n) = get_ordered(key).ok_or_else(malformed)?;
    let (source, m) = get_ordered(&key[n..]).ok_or_else(malformed)?;
    if n + m != key.len() {
        bail!(malformed());
    }
    Ok((target, source))
}

/// A list of file ids as stored in `deps`: each the LEB128 of its difference from the one
/// before (wrapping), which is small for the sorted lists the index keeps.
pub fn pack_ids(ids: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    let mut last = 0u32;
    for &id in ids {
        put_leb(&mut out, id.wrapping_sub(last));
        last = id;
    }
    out
}

/// The file ids of a `deps` value.
pub fn unpack_ids(mut bytes: &[u8]) -> Result<Vec<u32>> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut last = 0u32;
    while !bytes.is_empty() {
        let Some((delta, n)) = get_leb(bytes) else {
            bail!(Damaged::index("a malformed edge list"));
        };
        last = last.wrapping_add(delta);
        out.push(last);
        bytes = &bytes[n..];
    }
    Ok(out)
}

/// The `files` value of file at `path` holding `blob` in `lang`, whose definitions have
/// `containers`.
pub fn file_value(
    val: &mut Vec<u8>,
    blob: &BlobId,
    lang: Lang,
    skip: Option<SkipReason>,
    path: &[u8],
    containers: &[&str],
) {
    val.clear();
    val.push(blob.as_bytes().len() as u8);
    val.extend_from_slice(blob.as_bytes());
    val.push(lang.to_u8());
    val.push(skip.map_or(0, SkipReason::to_u8));
    put_leb(val, path.len() as u32);
    val.extend_from_slice(path);
    for c in containers {
        put_leb(val, c.len() as u32);
        val.extend_from_slice(c.as_bytes());
    }
}

/// A decoded `files` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    /// The blob indexed at the path.
    pub blob: BlobId,
    /// Its language.
    pub lang: Lang,
    /// Why it was not parsed, if it was not.
    pub skip: Option<SkipReason>,
    /// The path.
    pub path: Vec<u8>,
    /// The names of its definitions' containers, by position (see [`Containers`]).
    pub containers: Vec<Vec<u8>>,
}

/// Decodes a `files` value.
pub fn decode_file_value(v: &[u8]) -> Result<FileRow> {
    let row = decode_file_value_ref(v)?;
    Ok(FileRow {
        blob: BlobId::from_trusted(row.blob),
        lang: row.lang,
        skip: row.skip,
        path: row.path.to_vec(),
        containers: row.containers().map(<[u8]>::to_vec).collect(),
    })
}

/// A decoded file row whose path and container names borrow from the value's bytes.
#[derive(Clone, Copy, Debug)]
pub struct FileRowRef<'v> {
    /// The raw id of the blob indexed for the path (of a SHA-1 or SHA-256 length).
    pub blob: &'v [u8],
    /// Its language.
    pub lang: Lang,
    /// Why it was not extracted, if it was not.
    pub skip: Option<SkipReason>,
    /// The path in the tree.
    pub path: &'v [u8],
    /// The container names, each after its LEB128 length (checked whole by the decoder).
    containers: &'v [u8],
}

impl<'v> FileRowRef<'v> {
    /// The names of its definitions' containers, by position.
    pub fn containers(&self) -> impl Iterator<Item = &'v [u8]> {
        let mut rest = self.containers;
        std::iter::from_fn(move || {
            let (len, n) = get_leb(rest)?;
            let name = rest.get(n..n + len as usize)?;
            rest = &rest[n + len as usize..];
            Some(name)
        })
    }
}

/// Decodes a file row without copying its path.
pub fn decode_file_value_ref(v: &[u8]) -> Result<FileRowRef<'_>> {
    let corrupt = || Damaged::index("a damaged file row");
    let n = usize::from(*v.first().ok_or_else(corrupt)?);
    if v.len() < n + 3 || (n != 20 && n != 32) {
        bail!(corrupt());
    }
    let blob = &v[1..1 + n];
    let lang = Lang::from_u8(v[1 + n]).ok_or_else(corrupt)?;
    let skip = match v[2 + n] {
        0 => None,
        s => Some(SkipReason::from_u8(s).ok_or_else(corrupt)?),
    };
    let rest = &v[3 + n..];
    let (len, at) = get_leb(rest).ok_or_else(corrupt)?;
    let path = rest.get(at..at + len as usize).ok_or_else(corrupt)?;
    let row = FileRowRef {
        blob,
        lang,
        skip,
        path,
        containers: &rest[at + len as usize..],
    };
    // Every length must land inside the row, so that `containers` never stops early.
    let mut names = row.containers;
    while !names.is_empty() {
        let (len, n) = get_leb(names).ok_or_else(corrupt)?;
        names = names.get(n + len as usize..).ok_or_else(corrupt)?;
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_round_trip_and_short_keys_are_damage() {
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
        assert_eq!(trailing_id(&id_key(b"f", 5)).unwrap(), 5);
        assert!(trailing_id(b"abc").is_err());
        assert_eq!(edge_of(&edge_key(1, 2)).unwrap(), (1, 2));
        assert_eq!(
            basename_of(&basename_key(b"a/b/x.h", 4)).unwrap(),
            (b"a/b/x.h".to_vec(), 4)
        );
        for ids in [&[][..], &[1, 2, 3], &[7, 300_000, u32::MAX], &[9, 4, 0]] {
            assert_eq!(unpack_ids(&pack_ids(ids)).unwrap(), ids);
        }
        assert!(unpack_ids(&[0x80]).is_err());
        for (t, s) in [(0, 0), (1, 2), (200, 70_000), (u32::MAX, 5)] {
            assert_eq!(edge_of(&edge_key(t, s)).unwrap(), (t, s));
        }
        assert!(edge_key(1, u32::MAX) < edge_key(2, 0));
        for name in [
            "MaIn",
            "main",
            "ABCDEFGHIJ",
            "abcdefghiJ",
            "\u{c9}t\u{e9}",
            "\u{e9}",
        ] {
            let key = folded_key(&mut k, name).to_vec();
            let (lower, got) = decode_folded(&key).unwrap();
            assert_eq!(lower, name.to_lowercase().as_bytes());
            assert_eq!(&*got, name.as_bytes());
        }
        assert_eq!(folded_key(&mut k, "main"), b"main\0");
        assert_eq!(folded_key(&mut k, "MaIn"), b"main\0\x01\x05");
        for bad in [
            &b"main\0\x01\x00"[..],
            b"main\0\x01\x10",
            b"m1\0\x01\x02",
            b"a\0\x03",
        ] {
            assert!(decode_folded(bad).is_err(), "{bad:?}");
        }
        let blob = BlobId::from_bytes(&[3; 20]).unwrap();
        file_value(&mut k, &blob, Lang::Go, None, b"a.go", &["T", "", "Outer"]);
        let row = decode_file_value(&k).unwrap();
        assert_eq!(
            (row.blob, row.lang, row.skip, row.path, row.containers),
            (
                blob,
                Lang::Go,
                None,
                b"a.go".to_vec(),
                vec![b"T".to_vec(), vec![], b"Outer".to_vec()]
            )
        );
        // Cut anywhere inside the path or a name, the row is damage.
        for n in 0..k.len() {
            let cut = decode_file_value(&k[..n]);
            assert!(cut.is_err() || cut.unwrap().containers.len() < 3, "{n}");
        }
        // Found by fuzz_keys: a key that decodes to a path whose key is another.
        let odd = [1, 0, 10, 255, 41, 255, 255];
        if let Ok((path, id)) = basename_of(&odd) {
            assert_eq!(basename_key(&path, id), odd);
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
