//! The keys and values of the index's redb tables (see `store::index` for the tables).
//! Integers in keys are big-endian or ordered varints (`ord`, [`super::varint`]), so that
//! byte order is numeric order; in values they are little-endian or LEB128 (`leb`). Names
//! never contain NUL (identifiers do not), which keeps the separator unambiguous; a key that
//! does not decode is damage ([`Damaged`]), never a panic.
//!
//! ```text
//! posting key     see `posting`
//! id key          prefix 0x00 file:ord [ord bytes u8]   (callers, ikeys, basenames)
//! folded key      lowercase(name) 0x00 [nothing | 0x01 upper-case mask | 0x02 name]
//! edge key        target:ord source:ord           (rdeps: the source is a chunk's first)
//! id list         [leb of the difference from the id before...]   (deps, rdeps chunks)
//! file value      [id_len u8][blob id][lang u8][skip u8, 0: none][path_len leb][path]
//!                 ([name_len leb][container name][container kind u8])...
//! ```

use anyhow::{bail, Result};

pub use super::posting::{
    decode_posting_key, decode_posting_value, posting_key, posting_key_from_file, posting_name,
    posting_value, Containers, PostingKey, PostingValue,
};
use super::suffix;
use super::varint::{get_exactly, get_leb, get_ordered, put_deltas, put_leb, put_ordered, Deltas};
use crate::error::Damaged;
use crate::model::{BlobId, Kind, Lang, SkipReason};

/// The separator after a name or prefix.
pub(super) const SEP: u8 = 0;

/// Appends `prefix 0x00`, the ordered codes of `numbers` and their length in one byte: the
/// layout of posting and id keys. Keys of one prefix sort by their numbers; the length lets
/// a reader find the prefix from the end whatever bytes it holds (suffix keys hold NUL), and
/// never decides an order, as the codes before it differ first.
pub(super) fn put_tailed(key: &mut Vec<u8>, prefix: &[u8], numbers: &[u32]) {
    key.extend_from_slice(prefix);
    key.push(SEP);
    let at = key.len();
    numbers.iter().for_each(|&n| put_ordered(key, n));
    let len = (key.len() - at) as u8;
    key.push(len);
}

/// The prefix and the `N` numbers of a key [`put_tailed`] wrote; `None` for any other bytes.
pub(super) fn split_tailed<const N: usize>(key: &[u8]) -> Option<(&[u8], [u32; N])> {
    let (&len, rest) = key.split_last()?;
    let sep = rest.len().checked_sub(usize::from(len) + 1)?;
    if rest[sep] != SEP {
        return None;
    }
    Some((&rest[..sep], get_exactly(&rest[sep + 1..], get_ordered)?))
}

/// `prefix 0x00 file:ord [ord bytes u8]` ([`put_tailed`]): keys of one prefix sort by file
/// id.
pub fn id_key(prefix: &[u8], id: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + 7);
    put_tailed(&mut k, prefix, &[id]);
    k
}

/// The prefix and file id of an id key; anything `id_key` cannot have written is damage.
pub fn split_id_key(key: &[u8]) -> Result<(&[u8], u32)> {
    match split_tailed(key) {
        Some((prefix, [id])) => Ok((prefix, id)),
        None => bail!(Damaged::index(format!(
            "a key of {} bytes where a file id ends it",
            key.len()
        ))),
    }
}

/// The file id at the end of an id key.
pub fn trailing_id(key: &[u8]) -> Result<u32> {
    Ok(split_id_key(key)?.1)
}

/// Whether `key` is an id key whose prefix is exactly `len` bytes long.
pub fn id_key_has_prefix_len(key: &[u8], len: usize) -> bool {
    split_id_key(key).is_ok_and(|(prefix, _)| prefix.len() == len)
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

/// The key range of every key that starts with the bytes of `prefix`: from `prefix` up to
/// (not including) the first key past them, `None` when there is none (no bytes, or all
/// 0xff).
pub fn bytes_prefix_range(prefix: &[u8]) -> (Vec<u8>, Option<Vec<u8>>) {
    let mut hi = prefix.to_vec();
    while let Some(last) = hi.pop() {
        if last < u8::MAX {
            hi.push(last + 1);
            return (prefix.to_vec(), Some(hi));
        }
    }
    (prefix.to_vec(), None)
}

/// The `basenames` key of file `id` at `path`.
pub fn basename_key(path: &[u8], id: u32) -> Vec<u8> {
    id_key(&suffix::key(path), id)
}

/// The path and file id of a `basenames` key. Only the key `basename_key` makes of them
/// is accepted (a damaged key may decode to another path).
pub fn basename_of(key: &[u8]) -> Result<(Vec<u8>, u32)> {
    let (prefix, id) = split_id_key(key)?;
    suffix::path_of(prefix)
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
    match get_exactly(key, get_ordered) {
        Some([target, source]) => Ok((target, source)),
        None => bail!(Damaged::index("a malformed reverse edge")),
    }
}

/// A sorted list of file ids as stored in `deps` and `rdeps` chunks ([`put_deltas`]).
pub fn pack_ids(ids: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    put_deltas(&mut out, ids);
    out
}

/// The file ids of a `deps` value.
pub fn unpack_ids(bytes: &[u8]) -> Result<Vec<u32>> {
    let mut ids = Deltas::new(bytes);
    let out: Vec<u32> = ids.by_ref().collect();
    if !ids.rest().is_empty() {
        bail!(Damaged::index("a malformed edge list"));
    }
    Ok(out)
}

/// The `files` value of file at `path` holding `blob` in `lang`, whose definitions have
/// `containers` (see [`Containers`]).
pub fn file_value(
    val: &mut Vec<u8>,
    blob: &BlobId,
    lang: Lang,
    skip: Option<SkipReason>,
    path: &[u8],
    containers: &[(&str, Kind)],
) {
    val.clear();
    val.push(blob.as_bytes().len() as u8);
    val.extend_from_slice(blob.as_bytes());
    val.push(lang.to_u8());
    val.push(skip.map_or(0, SkipReason::to_u8));
    put_leb(val, path.len() as u32);
    val.extend_from_slice(path);
    for (name, kind) in containers {
        put_leb(val, name.len() as u32);
        val.extend_from_slice(name.as_bytes());
        val.push(kind.to_u8());
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
    /// Its definitions' containers (name and kind), by position (see [`Containers`]).
    pub containers: Vec<(Vec<u8>, Kind)>,
}

/// Decodes a `files` value.
pub fn decode_file_value(v: &[u8]) -> Result<FileRow> {
    let row = decode_file_value_ref(v)?;
    if !row.containers_sound() {
        bail!(Damaged::index("a damaged file row"));
    }
    Ok(FileRow {
        blob: BlobId::from_trusted(row.blob),
        lang: row.lang,
        skip: row.skip,
        path: row.path.to_vec(),
        containers: row.containers().map(|(c, k)| (c.to_vec(), k)).collect(),
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
    /// The containers, each a LEB128 length, the name and a kind (checked as they are read:
    /// a path lookup need not walk them).
    containers: &'v [u8],
}

impl<'v> FileRowRef<'v> {
    /// Its definitions' containers (name and kind), by position, up to the first that does
    /// not decode (see [`FileRowRef::containers_sound`]; a posting that names a position
    /// past them reads as damage).
    pub fn containers(&self) -> impl Iterator<Item = (&'v [u8], Kind)> {
        let mut rest = self.containers;
        std::iter::from_fn(move || {
            let (name, kind, n) = container_at(rest)?;
            rest = &rest[n..];
            Some((name, kind))
        })
    }

    /// Whether every container decodes.
    pub fn containers_sound(&self) -> bool {
        let mut left = self.containers;
        while !left.is_empty() {
            match container_at(left) {
                Some((_, _, n)) => left = &left[n..],
                None => return false,
            }
        }
        true
    }
}

/// The container at the start of `b`: its name, its kind and the bytes it takes.
fn container_at(b: &[u8]) -> Option<(&[u8], Kind, usize)> {
    let (len, n) = get_leb(b)?;
    let end = n.checked_add(len as usize)?;
    let name = b.get(n..end)?;
    let kind = Kind::from_u8(*b.get(end)?)?;
    Some((name, kind, end + 1))
}

/// Decodes a file row without copying its path, and without walking its containers.
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
    Ok(FileRowRef {
        blob,
        lang,
        skip,
        path,
        containers: &rest[at + len as usize..],
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_bytes_prefix_range_holds_exactly_the_keys_that_start_with_it() {
        assert_eq!(
            bytes_prefix_range(b"get"),
            (b"get".to_vec(), Some(b"geu".to_vec()))
        );
        assert_eq!(
            bytes_prefix_range(b"a\xff\xff"),
            (b"a\xff\xff".to_vec(), Some(b"b".to_vec()))
        );
        assert_eq!(bytes_prefix_range(b"\xff"), (b"\xff".to_vec(), None));
        assert_eq!(bytes_prefix_range(b""), (Vec::new(), None));
        let (lo, hi) = bytes_prefix_range(b"ab");
        let hi = hi.unwrap();
        for key in [&b"ab"[..], b"ab\0\x05", b"ab\xff\xff\xff", b"abc"] {
            assert!(lo.as_slice() <= key && key < hi.as_slice(), "{key:?}");
        }
        for key in [&b"a"[..], b"aa\xff", b"ac", b"b"] {
            assert!(!(lo.as_slice() <= key && key < hi.as_slice()), "{key:?}");
        }
    }

    #[test]
    fn keys_round_trip_and_short_keys_are_damage() {
        let mut k = Vec::new();
        assert_eq!(trailing_id(&id_key(b"f", 5)).unwrap(), 5);
        let ids = [0, 127, 128, 70_000, u32::MAX];
        let keyed: Vec<Vec<u8>> = ids.iter().map(|&id| id_key(b"x.h\0a/", id)).collect();
        assert!(keyed.windows(2).all(|w| w[0] < w[1]));
        for (k, &id) in keyed.iter().zip(&ids) {
            assert_eq!(split_id_key(k).unwrap(), (&b"x.h\0a/"[..], id));
            assert!(id_key_has_prefix_len(k, 6) && !id_key_has_prefix_len(k, 5));
        }
        for bad in [
            &b""[..],
            b"\x01",
            b"f\x00\x05\x02",
            b"f\x01\x05\x01",
            b"f\x00\x80\x01",
        ] {
            assert!(split_id_key(bad).is_err(), "{bad:?}");
        }
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
        let containers = [
            ("T", Kind::Struct),
            ("", Kind::Class),
            ("Outer", Kind::Class),
        ];
        file_value(&mut k, &blob, Lang::Go, None, b"a.go", &containers);
        let row = decode_file_value(&k).unwrap();
        assert_eq!(
            (row.blob, row.lang, row.skip, row.path, row.containers),
            (
                blob,
                Lang::Go,
                None,
                b"a.go".to_vec(),
                vec![
                    (b"T".to_vec(), Kind::Struct),
                    (vec![], Kind::Class),
                    (b"Outer".to_vec(), Kind::Class)
                ]
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
}
