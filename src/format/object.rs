//! The encoding of one per-blob object: a FlatBuffers `FileIndex` in a small envelope.
//!
//! Layout (all integers little-endian):
//! ```text
//!  0..8     magic b"ATSEOBJ\n"
//!  8        envelope version (u8) = 2
//!  9        id length L (u8): 20 (SHA-1) or 32 (SHA-256)
//!  10       language (u8), as in the payload
//!  11       reserved, 0
//!  12..16   extractor version (u32), as in the payload
//!  16..48   the blob id the object was made from (L bytes, then zeros)
//!  48..n-8  FlatBuffers FileIndex (file identifier "ATSE"), see flatbuffers/file_index.fbs:
//!           strings stored once, records as fixed-size structs indexing them
//!  n-8..n   xxh3-64 of bytes 0..n-8
//! ```
//! The checksum catches bit rot the FlatBuffers verifier cannot see (a flipped byte inside a
//! name); the verifier catches structural damage before any accessor runs. The identity
//! binds an object to its blob: an object stored under another blob's id (copied, or
//! forged) is damaged, never an answer, and never used to retract what that blob gave.

use flatbuffers::FlatBufferBuilder;
use twox_hash::XxHash3_64;

use crate::error::Damaged;
use crate::fb::atse::fb as gen;
use crate::model::{BlobId, Definition, FileIndex, Import, Kind, Lang, Reference, SkipReason};

const MAGIC: [u8; 8] = *b"ATSEOBJ\n";
/// The object envelope's format version.
pub const VERSION: u8 = 2;
const VERSION_OFFSET: usize = MAGIC.len();
const ID_LEN_OFFSET: usize = VERSION_OFFSET + 1;
const LANG_OFFSET: usize = ID_LEN_OFFSET + 1;
const EXTRACTOR_OFFSET: usize = LANG_OFFSET + 1 + 1; // + 1 reserved
const ID_OFFSET: usize = EXTRACTOR_OFFSET + 4;
const ID_SPACE: usize = 32;
const HEADER_LEN: usize = ID_OFFSET + ID_SPACE;
const TRAILER_LEN: usize = 8;
/// Objects larger than this are refused when read (they cannot come from a 1 GiB blob cap).
pub const MAX_OBJECT_BYTES: usize = 256 << 20;

/// Interns strings in first-use order, so each is stored once.
struct Strings<'s> {
    ids: std::collections::HashMap<&'s str, u32>,
    list: Vec<&'s str>,
}

impl<'s> Strings<'s> {
    fn id(&mut self, s: &'s str) -> u32 {
        let next = self.list.len() as u32;
        *self.ids.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }
}

/// `Definition.container` when there is no container.
const NO_STRING: u32 = u32::MAX;

/// Encodes `index`, made from blob `blob`, into object bytes. Deterministic: the same input
/// gives the same bytes.
pub fn encode(blob: &BlobId, index: &FileIndex) -> Vec<u8> {
    let mut strings = Strings {
        ids: Default::default(),
        list: Vec::new(),
    };
    let defs: Vec<gen::Definition> = index
        .definitions
        .iter()
        .map(|d| {
            let name = strings.id(&d.name);
            let container = d
                .container
                .as_ref()
                .map_or(NO_STRING, |(c, _)| strings.id(c));
            gen::Definition::new(
                name,
                container,
                d.kind.to_u8(),
                d.container.as_ref().map_or(0, |(_, k)| k.to_u8()),
                d.line,
                d.column,
                d.end_line,
                d.end_column,
            )
        })
        .collect();
    let imports: Vec<gen::Import> = index
        .imports
        .iter()
        .map(|i| gen::Import::new(strings.id(&i.path), i.line))
        .collect();
    let refs: Vec<gen::Reference> = index
        .references
        .iter()
        .map(|r| {
            let caller = r.caller.map_or(-1, |c| c as i32);
            gen::Reference::new(strings.id(&r.name), r.line, r.column, caller)
        })
        .collect();

    let mut fbb = FlatBufferBuilder::with_capacity(256 + refs.len() * 16 + defs.len() * 28);
    let string_offsets: Vec<_> = strings.list.iter().map(|s| fbb.create_string(s)).collect();
    let strings = fbb.create_vector(&string_offsets);
    let defs = fbb.create_vector(&defs);
    let imports = fbb.create_vector(&imports);
    let refs = fbb.create_vector(&refs);
    let root = gen::FileIndex::create(
        &mut fbb,
        &gen::FileIndexArgs {
            extractor_version: index.extractor_version,
            lang: index.lang.to_u8(),
            skip: index.skip.map_or(0, SkipReason::to_u8),
            error_names: index.error_names,
            strings: Some(strings),
            definitions: Some(defs),
            imports: Some(imports),
            references: Some(refs),
        },
    );
    gen::finish_file_index_buffer(&mut fbb, root);
    let payload = fbb.finished_data();

    let mut out = vec![0u8; HEADER_LEN];
    out.reserve(payload.len() + TRAILER_LEN);
    out[..MAGIC.len()].copy_from_slice(&MAGIC);
    out[VERSION_OFFSET] = VERSION;
    let id = blob.as_bytes();
    out[ID_LEN_OFFSET] = id.len() as u8;
    out[LANG_OFFSET] = index.lang.to_u8();
    out[EXTRACTOR_OFFSET..ID_OFFSET].copy_from_slice(&index.extractor_version.to_le_bytes());
    out[ID_OFFSET..ID_OFFSET + id.len()].copy_from_slice(id);
    out.extend_from_slice(payload);
    let sum = XxHash3_64::oneshot(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Decodes the object of blob `blob`: checks magic, version, checksum and FlatBuffers
/// structure, then that the object was made from `blob` (and that its identity agrees with
/// its payload).
pub fn decode(bytes: &[u8], blob: &BlobId) -> Result<FileIndex, Damaged> {
    let (made_from, index) = decode_any(bytes)?;
    if made_from != *blob {
        return Err(Damaged::object(format!(
            "made from blob {made_from}, stored as blob {blob}"
        )));
    }
    Ok(index)
}

/// Decodes object bytes whatever blob they were made from; returns that blob and the
/// object (checked as [`decode`] checks it).
pub fn decode_any(bytes: &[u8]) -> Result<(BlobId, FileIndex), Damaged> {
    let bad = |why: &str| Damaged::object(why);
    if bytes.len() < HEADER_LEN + TRAILER_LEN {
        return Err(bad("too short"));
    }
    if bytes.len() > MAX_OBJECT_BYTES {
        return Err(bad("larger than any object git-atse writes"));
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(bad("bad magic"));
    }
    if bytes[VERSION_OFFSET] != VERSION {
        return Err(Damaged::object(format!(
            "envelope version {} (this git-atse reads {VERSION})",
            bytes[VERSION_OFFSET]
        )));
    }
    let (body, trailer) = bytes.split_at(bytes.len() - TRAILER_LEN);
    let mut sum = [0u8; TRAILER_LEN];
    sum.copy_from_slice(trailer);
    if XxHash3_64::oneshot(body) != u64::from_le_bytes(sum) {
        return Err(bad("checksum mismatch"));
    }
    let payload = &body[HEADER_LEN..];
    if !gen::file_index_buffer_has_identifier(payload) {
        return Err(bad("missing FlatBuffers identifier"));
    }
    let fi =
        gen::root_as_file_index(payload).map_err(|e| Damaged::object(format!("verifier: {e}")))?;
    let index = from_flat(fi)?;
    let id_len = usize::from(bytes[ID_LEN_OFFSET]);
    let blob = BlobId::from_bytes(bytes.get(ID_OFFSET..ID_OFFSET + id_len).unwrap_or_default())
        .map_err(|_| bad("a malformed blob id"))?;
    let mut extractor = [0u8; 4];
    extractor.copy_from_slice(&bytes[EXTRACTOR_OFFSET..ID_OFFSET]);
    let padding_clear = bytes[ID_OFFSET + id_len..HEADER_LEN]
        .iter()
        .all(|&b| b == 0);
    if bytes[LANG_OFFSET] != index.lang.to_u8()
        || u32::from_le_bytes(extractor) != index.extractor_version
        || bytes[LANG_OFFSET + 1] != 0
        || !padding_clear
    {
        return Err(bad("its identity disagrees with its contents"));
    }
    Ok((blob, index))
}

fn from_flat(fi: gen::FileIndex<'_>) -> Result<FileIndex, Damaged> {
    let lang = Lang::from_u8(fi.lang())
        .ok_or_else(|| Damaged::object(format!("unknown language {}", fi.lang())))?;
    let skip = match fi.skip() {
        0 => None,
        n => Some(
            SkipReason::from_u8(n)
                .ok_or_else(|| Damaged::object(format!("unknown skip reason {n}")))?,
        ),
    };
    let strings: Vec<&str> = fi.strings().map(|v| v.iter().collect()).unwrap_or_default();
    let string = |i: u32| {
        strings
            .get(i as usize)
            .map(|s| s.to_string())
            .ok_or_else(|| Damaged::object(format!("string index {i} out of range")))
    };
    let kind = |n: u8| Kind::from_u8(n).ok_or_else(|| Damaged::object(format!("unknown kind {n}")));
    let mut definitions = Vec::new();
    for d in fi.definitions().iter().flatten() {
        let container = match d.container() {
            NO_STRING => None,
            c => Some((string(c)?, kind(d.container_kind())?)),
        };
        definitions.push(Definition {
            name: string(d.name())?,
            kind: kind(d.kind())?,
            container,
            line: d.line(),
            column: d.column(),
            end_line: d.end_line(),
            end_column: d.end_column(),
        });
    }
    let mut imports = Vec::new();
    for i in fi.imports().iter().flatten() {
        imports.push(Import {
            path: string(i.path())?,
            line: i.line(),
        });
    }
    let n_defs = definitions.len();
    let mut references = Vec::new();
    for r in fi.references().iter().flatten() {
        let caller = match r.caller() {
            -1 => None,
            c if c >= 0 && (c as usize) < n_defs => Some(c as u32),
            c => {
                return Err(Damaged::object(format!(
                    "reference caller {c} out of range"
                )))
            }
        };
        references.push(Reference {
            name: string(r.name())?,
            line: r.line(),
            column: r.column(),
            caller,
        });
    }
    Ok(FileIndex {
        extractor_version: fi.extractor_version(),
        lang,
        skip,
        error_names: fi.error_names(),
        definitions,
        imports,
        references,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::EXTRACTOR_VERSION;

    fn sample() -> FileIndex {
        FileIndex {
            extractor_version: EXTRACTOR_VERSION,
            lang: Lang::Python,
            skip: None,
            error_names: 1,
            definitions: vec![Definition {
                name: "f".into(),
                kind: Kind::Method,
                container: Some(("C".into(), Kind::Class)),
                line: 2,
                column: 9,
                end_line: 3,
                end_column: 5,
            }],
            imports: vec![Import {
                path: "os.path".into(),
                line: 1,
            }],
            references: vec![Reference {
                name: "g".into(),
                line: 3,
                column: 9,
                caller: Some(0),
            }],
        }
    }

    fn blob(b: u8) -> BlobId {
        BlobId::from_bytes(&[b; 20]).unwrap()
    }

    #[test]
    fn round_trip_and_determinism() {
        let a = encode(&blob(1), &sample());
        assert_eq!(a, encode(&blob(1), &sample()));
        assert_eq!(decode(&a, &blob(1)).unwrap(), sample());
        let wide = BlobId::from_bytes(&[9; 32]).unwrap();
        assert_eq!(decode(&encode(&wide, &sample()), &wide).unwrap(), sample());
    }

    #[test]
    fn an_object_answers_only_for_its_own_blob() {
        let a = encode(&blob(1), &sample());
        let err = decode(&a, &blob(2)).unwrap_err();
        assert!(err.reason.contains("made from blob"), "{err}");
        assert_eq!(decode_any(&a).unwrap().0, blob(1));
    }

    #[test]
    fn every_single_byte_flip_is_detected() {
        let a = encode(&blob(1), &sample());
        for i in 0..a.len() {
            let mut b = a.clone();
            b[i] ^= 0x20;
            assert!(decode(&b, &blob(1)).is_err(), "flip at {i} went unnoticed");
        }
        assert!(decode(&a[..a.len() - 1], &blob(1)).is_err());
        assert!(decode(b"", &blob(1)).is_err());
    }
}
