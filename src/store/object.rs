//! The encoding of one per-blob object: a FlatBuffers `FileIndex` in a small envelope.
//!
//! Layout (all integers little-endian):
//! ```text
//!  0..8     magic b"ATSEOBJ\n"
//!  8        envelope version (u8) = 1
//!  9..16    reserved, 0
//!  16..n-8  FlatBuffers FileIndex (file identifier "ATSE"), see flatbuffers/file_index.fbs
//!  n-8..n   xxh3-64 of bytes 0..n-8
//! ```
//! The checksum catches bit rot the FlatBuffers verifier cannot see (a flipped byte inside a
//! name); the verifier catches structural damage before any accessor runs.

use flatbuffers::FlatBufferBuilder;
use twox_hash::XxHash3_64;

use crate::fb::atse::fb as gen;
use crate::model::{Definition, FileIndex, Import, Kind, Lang, Reference, SkipReason};

const MAGIC: [u8; 8] = *b"ATSEOBJ\n";
const VERSION: u8 = 1;
const HEADER_LEN: usize = 16;
const TRAILER_LEN: usize = 8;
/// Objects larger than this are refused when read (they cannot come from a 1 GiB blob cap).
pub const MAX_OBJECT_BYTES: usize = 256 << 20;

/// Why an object's bytes cannot be used. The caller re-extracts the blob.
#[derive(Debug)]
pub struct BadObject(pub String);

impl std::fmt::Display for BadObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "damaged object: {}", self.0)
    }
}

impl std::error::Error for BadObject {}

/// Encodes `index` into object bytes. Deterministic: the same input gives the same bytes.
pub fn encode(index: &FileIndex) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::with_capacity(256 + index.definitions.len() * 64);
    let defs: Vec<_> = index
        .definitions
        .iter()
        .map(|d| {
            let name = fbb.create_string(&d.name);
            let container = d.container.as_ref().map(|(c, _)| fbb.create_string(c));
            gen::Definition::create(
                &mut fbb,
                &gen::DefinitionArgs {
                    name: Some(name),
                    kind: d.kind.to_u8(),
                    container,
                    container_kind: d.container.as_ref().map_or(0, |(_, k)| k.to_u8()),
                    line: d.line,
                    column: d.column,
                    end_line: d.end_line,
                    end_column: d.end_column,
                },
            )
        })
        .collect();
    let defs = fbb.create_vector(&defs);
    let imports: Vec<_> = index
        .imports
        .iter()
        .map(|i| {
            let path = fbb.create_string(&i.path);
            gen::Import::create(
                &mut fbb,
                &gen::ImportArgs {
                    path: Some(path),
                    line: i.line,
                },
            )
        })
        .collect();
    let imports = fbb.create_vector(&imports);
    let refs: Vec<_> = index
        .references
        .iter()
        .map(|r| {
            let name = fbb.create_string(&r.name);
            gen::Reference::create(
                &mut fbb,
                &gen::ReferenceArgs {
                    name: Some(name),
                    line: r.line,
                    column: r.column,
                    caller: r.caller.map_or(-1, |c| c as i32),
                },
            )
        })
        .collect();
    let refs = fbb.create_vector(&refs);
    let root = gen::FileIndex::create(
        &mut fbb,
        &gen::FileIndexArgs {
            extractor_version: index.extractor_version,
            lang: index.lang.to_u8(),
            skip: index.skip.map_or(0, SkipReason::to_u8),
            error_names: index.error_names,
            definitions: Some(defs),
            imports: Some(imports),
            references: Some(refs),
        },
    );
    gen::finish_file_index_buffer(&mut fbb, root);
    let payload = fbb.finished_data();

    let mut out = Vec::with_capacity(HEADER_LEN + payload.len() + TRAILER_LEN);
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&[0u8; HEADER_LEN - MAGIC.len() - 1]);
    out.extend_from_slice(payload);
    let sum = XxHash3_64::oneshot(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Decodes object bytes, checking magic, version, checksum and FlatBuffers structure first.
pub fn decode(bytes: &[u8]) -> Result<FileIndex, BadObject> {
    let bad = |why: &str| BadObject(why.to_string());
    if bytes.len() < HEADER_LEN + TRAILER_LEN {
        return Err(bad("too short"));
    }
    if bytes.len() > MAX_OBJECT_BYTES {
        return Err(bad("larger than any object git-atse writes"));
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(bad("bad magic"));
    }
    if bytes[MAGIC.len()] != VERSION {
        return Err(BadObject(format!(
            "envelope version {} (this git-atse reads {VERSION})",
            bytes[MAGIC.len()]
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
    let fi = gen::root_as_file_index(payload).map_err(|e| BadObject(format!("verifier: {e}")))?;
    from_flat(fi)
}

fn from_flat(fi: gen::FileIndex<'_>) -> Result<FileIndex, BadObject> {
    let lang = Lang::from_u8(fi.lang())
        .ok_or_else(|| BadObject(format!("unknown language {}", fi.lang())))?;
    let skip = match fi.skip() {
        0 => None,
        n => Some(
            SkipReason::from_u8(n).ok_or_else(|| BadObject(format!("unknown skip reason {n}")))?,
        ),
    };
    let kind = |n: u8| Kind::from_u8(n).ok_or_else(|| BadObject(format!("unknown kind {n}")));
    let mut definitions = Vec::new();
    for d in fi.definitions().iter().flatten() {
        let container = match d.container() {
            Some(c) => Some((c.to_string(), kind(d.container_kind())?)),
            None => None,
        };
        definitions.push(Definition {
            name: d.name().to_string(),
            kind: kind(d.kind())?,
            container,
            line: d.line(),
            column: d.column(),
            end_line: d.end_line(),
            end_column: d.end_column(),
        });
    }
    let imports = fi
        .imports()
        .iter()
        .flatten()
        .map(|i| Import {
            path: i.path().to_string(),
            line: i.line(),
        })
        .collect();
    let n_defs = definitions.len();
    let mut references = Vec::new();
    for r in fi.references().iter().flatten() {
        let caller = match r.caller() {
            -1 => None,
            c if c >= 0 && (c as usize) < n_defs => Some(c as u32),
            c => return Err(BadObject(format!("reference caller {c} out of range"))),
        };
        references.push(Reference {
            name: r.name().to_string(),
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

    #[test]
    fn round_trip_and_determinism() {
        let a = encode(&sample());
        assert_eq!(a, encode(&sample()));
        assert_eq!(decode(&a).unwrap(), sample());
    }

    #[test]
    fn every_single_byte_flip_is_detected() {
        let a = encode(&sample());
        for i in 0..a.len() {
            let mut b = a.clone();
            b[i] ^= 0x20;
            assert!(decode(&b).is_err(), "flip at {i} went unnoticed");
        }
        assert!(decode(&a[..a.len() - 1]).is_err());
        assert!(decode(b"").is_err());
    }
}
