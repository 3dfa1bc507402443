//! The keys and values of the index's redb tables (see `store::index` for the tables).
//! Integers in keys are big-endian, so that byte order is numeric order; in values they are
//! little-endian. Names never contain NUL (identifiers do not), which keeps the separator
//! unambiguous; a key that does not decode is damage ([`Damaged`]), never a panic.
//!
//! ```text
//! posting key     name 0x00 file:u32be line:u32be column:u32be
//! posting value   [kind u8][lang u8][container kind u8, 0: none][end_line u32][end_column u32]
//!                 [container name...]
//! id key          prefix 0x00 file:u32be          (callers, ikeys, basenames)
//! folded key      lowercase(name) 0x00 name
//! edge key        target:u32be source:u32be       (rdeps)
//! id list         [u32le...]                       (deps)
//! file value      [id_len u8][blob id][lang u8][skip u8, 0: none][path...]
//! ```

use anyhow::{bail, Result};

use super::suffix;
use crate::error::Damaged;
use crate::model::{BlobId, Definition, Kind, Lang, SkipReason};

/// The separator after a name or prefix.
const SEP: u8 = 0;
const FILE_ID_LEN: usize = 4;
/// Bytes after the name in a posting key: separator, file, line, column.
pub const POSTING_SUFFIX_LEN: usize = 1 + 3 * 4;

const KIND_OFFSET: usize = 0;
const LANG_OFFSET: usize = KIND_OFFSET + 1;
const CONTAINER_KIND_OFFSET: usize = LANG_OFFSET + 1;
const END_LINE_OFFSET: usize = CONTAINER_KIND_OFFSET + 1;
const END_COLUMN_OFFSET: usize = END_LINE_OFFSET + 4;
const CONTAINER_OFFSET: usize = END_COLUMN_OFFSET + 4;
/// The fixed part of a posting value.
pub const POSTING_VALUE_LEN: usize = CONTAINER_OFFSET;

fn u32be(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn u32le(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// Writes the posting key of definition `name` in `file` at `line`:`column` into `key`.
pub fn posting_key(key: &mut Vec<u8>, name: &str, file: u32, line: u32, column: u32) {
    key.clear();
    key.extend_from_slice(name.as_bytes());
    key.push(SEP);
    key.extend_from_slice(&file.to_be_bytes());
    key.extend_from_slice(&line.to_be_bytes());
    key.extend_from_slice(&column.to_be_bytes());
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
    let Some(name_len) = key.len().checked_sub(POSTING_SUFFIX_LEN) else {
        bail!(Damaged::index("posting with a malformed key or value"));
    };
    let (name, rest) = key.split_at(name_len);
    if rest[0] != SEP {
        bail!(Damaged::index("posting with a malformed key or value"));
    }
    Ok(PostingKey {
        name,
        file: u32be(&rest[1..5]),
        line: u32be(&rest[5..9]),
        column: u32be(&rest[9..13]),
    })
}

/// The name of a posting key (everything before its fixed suffix).
pub fn posting_name(key: &[u8]) -> Result<&[u8]> {
    Ok(decode_posting_key(key)?.name)
}

/// Writes the posting value of `d` (in a file of `lang`) into `val`.
pub fn posting_value(val: &mut Vec<u8>, d: &Definition, lang: Lang) {
    val.clear();
    val.push(d.kind.to_u8());
    val.push(lang.to_u8());
    val.push(d.container.as_ref().map_or(0, |(_, k)| k.to_u8()));
    val.extend_from_slice(&d.end_line.to_le_bytes());
    val.extend_from_slice(&d.end_column.to_le_bytes());
    if let Some((c, _)) = &d.container {
        val.extend_from_slice(c.as_bytes());
    }
}

/// A decoded posting value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostingValue {
    /// What the definition is.
    pub kind: Kind,
    /// Its file's language.
    pub lang: Lang,
    /// Its container's name and kind.
    pub container: Option<(String, Kind)>,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column.
    pub end_column: u32,
}

/// A decoded posting value whose container name borrows from the value's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostingValueRef<'v> {
    /// What the definition is.
    pub kind: Kind,
    /// Its file's language.
    pub lang: Lang,
    /// Its container's name (raw bytes, UTF-8 when written by git-atse) and kind.
    pub container: Option<(&'v [u8], Kind)>,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column.
    pub end_column: u32,
}

/// Decodes a posting value without copying its container's name.
pub fn decode_posting_value_ref(val: &[u8]) -> Result<PostingValueRef<'_>> {
    let corrupt = |what: &str| Damaged::index(format!("posting with {what}"));
    if val.len() < POSTING_VALUE_LEN {
        bail!(corrupt("a malformed key or value"));
    }
    let kind = Kind::from_u8(val[KIND_OFFSET]).ok_or_else(|| corrupt("an unknown kind"))?;
    let lang = Lang::from_u8(val[LANG_OFFSET]).ok_or_else(|| corrupt("an unknown language"))?;
    let container = match val[CONTAINER_KIND_OFFSET] {
        0 => None,
        k => Some((
            &val[CONTAINER_OFFSET..],
            Kind::from_u8(k).ok_or_else(|| corrupt("an unknown container kind"))?,
        )),
    };
    Ok(PostingValueRef {
        kind,
        lang,
        container,
        end_line: u32le(&val[END_LINE_OFFSET..END_COLUMN_OFFSET]),
        end_column: u32le(&val[END_COLUMN_OFFSET..CONTAINER_OFFSET]),
    })
}

/// Decodes a posting value.
pub fn decode_posting_value(val: &[u8]) -> Result<PostingValue> {
    let v = decode_posting_value_ref(val)?;
    Ok(PostingValue {
        kind: v.kind,
        lang: v.lang,
        container: v
            .container
            .map(|(c, k)| (String::from_utf8_lossy(c).into_owned(), k)),
        end_line: v.end_line,
        end_column: v.end_column,
    })
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

/// Writes the `folded` key of `name` into `key`.
pub fn folded_key<'k>(key: &'k mut Vec<u8>, name: &str) -> &'k [u8] {
    key.clear();
    key.extend_from_slice(name.to_lowercase().as_bytes());
    key.push(SEP);
    key.extend_from_slice(name.as_bytes());
    key.as_slice()
}

/// The lower-cased name and the name of a `folded` key.
pub fn decode_folded(key: &[u8]) -> Result<(&[u8], &[u8])> {
    match key.iter().position(|&b| b == SEP) {
        Some(sep) => Ok((&key[..sep], &key[sep + 1..])),
        None => bail!(Damaged::index("folded-name key without separator")),
    }
}

/// The `rdeps` key of the edge `source` -> `target`.
pub fn edge_key(target: u32, source: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&target.to_be_bytes());
    k[4..].copy_from_slice(&source.to_be_bytes());
    k
}

/// The (target, source) of an `rdeps` key.
pub fn edge_of(key: &[u8]) -> Result<(u32, u32)> {
    if key.len() != 8 {
        bail!(Damaged::index("a malformed reverse edge"));
    }
    Ok((u32be(&key[..4]), u32be(&key[4..])))
}

/// A list of file ids as stored in `deps`.
pub fn pack_ids(ids: &[u32]) -> Vec<u8> {
    ids.iter().flat_map(|t| t.to_le_bytes()).collect()
}

/// The file ids of a `deps` value (a trailing partial id is ignored; `verify` refuses it).
pub fn unpack_ids(bytes: &[u8]) -> Vec<u32> {
    bytes.chunks_exact(FILE_ID_LEN).map(u32le).collect()
}

/// The `files` value of file at `path` holding `blob` in `lang`.
pub fn file_value(
    val: &mut Vec<u8>,
    blob: &BlobId,
    lang: Lang,
    skip: Option<SkipReason>,
    path: &[u8],
) {
    val.clear();
    val.push(blob.as_bytes().len() as u8);
    val.extend_from_slice(blob.as_bytes());
    val.push(lang.to_u8());
    val.push(skip.map_or(0, SkipReason::to_u8));
    val.extend_from_slice(path);
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
}

/// Decodes a `files` value.
pub fn decode_file_value(v: &[u8]) -> Result<FileRow> {
    let row = decode_file_value_ref(v)?;
    Ok(FileRow {
        blob: BlobId::from_trusted(row.blob),
        lang: row.lang,
        skip: row.skip,
        path: row.path.to_vec(),
    })
}

/// A decoded file row whose path borrows from the value's bytes.
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
}

/// Decodes a file row without copying its path.
pub fn decode_file_value_ref(v: &[u8]) -> Result<FileRowRef<'_>> {
    let corrupt = || Damaged::index("a damaged file row");
    let n = usize::from(*v.first().ok_or_else(corrupt)?);
    if v.len() < n + 3 {
        bail!(corrupt());
    }
    if n != 20 && n != 32 {
        bail!(corrupt());
    }
    let blob = &v[1..1 + n];
    let lang = Lang::from_u8(v[1 + n]).ok_or_else(corrupt)?;
    let skip = match v[2 + n] {
        0 => None,
        s => Some(SkipReason::from_u8(s).ok_or_else(corrupt)?),
    };
    Ok(FileRowRef {
        blob,
        lang,
        skip,
        path: &v[3 + n..],
    })
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
        assert!(decode_posting_key(&k[..12]).is_err());
        assert_eq!(trailing_id(&id_key(b"f", 5)).unwrap(), 5);
        assert!(trailing_id(b"abc").is_err());
        assert_eq!(edge_of(&edge_key(1, 2)).unwrap(), (1, 2));
        assert_eq!(
            basename_of(&basename_key(b"a/b/x.h", 4)).unwrap(),
            (b"a/b/x.h".to_vec(), 4)
        );
        assert_eq!(unpack_ids(&pack_ids(&[1, 2, 3])), [1, 2, 3]);
        let (lower, name) = decode_folded(folded_key(&mut k, "MaIn")).unwrap();
        assert_eq!((lower, name), (&b"main"[..], &b"MaIn"[..]));
        let blob = BlobId::from_bytes(&[3; 20]).unwrap();
        file_value(&mut k, &blob, Lang::Go, None, b"a.go");
        let row = decode_file_value(&k).unwrap();
        assert_eq!(
            (row.blob, row.lang, row.skip, row.path),
            (blob, Lang::Go, None, b"a.go".to_vec())
        );
        for n in 0..k.len() {
            let _ = decode_file_value(&k[..n]);
        }
        // Found by fuzz_keys: a key that decodes to a path whose key is another.
        let odd = [1, 0, 10, 255, 41, 255, 255];
        if let Ok((path, id)) = basename_of(&odd) {
            assert_eq!(basename_key(&path, id), odd);
        }
    }
}
