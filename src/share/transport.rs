//! Files as note blobs: compressed into zstd frames on the way out, and decompressed on the
//! way in within a bound, so that a small hostile frame cannot fill the disk.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use crate::git::notes::Notes;

/// A pack larger than this is refused.
pub(super) const MAX_PACK_BYTES: u64 = 4 << 30;
/// An index snapshot larger than this (decompressed) is refused.
pub(super) const MAX_INDEX_BYTES: u64 = 64 << 30;
/// zstd's default level: 3x smaller than the pack, at several hundred MB/s.
const ZSTD_LEVEL: i32 = 3;
/// A zstd frame starts with these bytes.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Publishes the file at `path` (removed afterwards) as a zstd frame, the note of an
/// anchor blob `<kind> <blob id>`; returns the anchor.
pub(super) fn publish_file(notes: &Notes, path: &Path, kind: &str) -> Result<String> {
    let frame = path.with_extension("zst");
    let result = (|| -> Result<String> {
        let mut input = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let output = std::fs::File::create(&frame)
            .with_context(|| format!("{}: cannot create", frame.display()))?;
        let len = input
            .metadata()
            .with_context(|| format!("{}: cannot stat", path.display()))?
            .len();
        let mut enc = zstd::stream::write::Encoder::new(output, ZSTD_LEVEL)
            .context("cannot start compressing")?;
        // The frame declares what it expands to, so that a fetch can refuse it unread.
        enc.include_contentsize(true)
            .context("cannot start compressing")?;
        enc.set_pledged_src_size(Some(len))
            .context("cannot start compressing")?;
        std::io::copy(&mut input, &mut enc).context("cannot compress")?;
        enc.finish().context("cannot compress")?;
        let blob = notes.write_compressed_file(&frame)?;
        let anchor = notes.write_blob(format!("{kind} {blob}\n").as_bytes())?;
        notes.set(&anchor, &blob)?;
        Ok(anchor)
    })();
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(&frame);
    result
}

pub(super) fn tempfile_in(dir: &Path, what: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    Ok(dir.join(format!(".share-{}.{what}", std::process::id())))
}

/// Copies a published pack to `out`, decompressing a zstd frame (packs published before
/// compression are taken as they are); refuses more than `max` bytes of output, so a small
/// hostile frame cannot fill the disk.
pub(super) fn unpack(blob: &mut dyn Read, out: &mut dyn Write, max: u64) -> Result<()> {
    // A frame header is at most 18 bytes; it may declare the size the frame expands to.
    let mut head = [0u8; 18];
    let mut got = 0;
    while got < head.len() {
        match blob
            .read(&mut head[got..])
            .context("cannot read the pack")?
        {
            0 => break,
            n => got += n,
        }
    }
    if head[..got.min(4)] == ZSTD_MAGIC {
        if let Ok(Some(declared)) = zstd::zstd_safe::get_frame_content_size(&head[..got]) {
            if declared > max {
                bail!("the pack declares {declared} bytes, over the limit of {max}");
            }
        }
    }
    let rest = head[..got].chain(blob);
    let mut reader: Box<dyn Read + '_> = if head[..got.min(4)] == ZSTD_MAGIC {
        Box::new(zstd::stream::read::Decoder::new(rest).context("cannot decompress the pack")?)
    } else {
        Box::new(rest)
    };
    let copied = std::io::copy(&mut (&mut reader).take(max + 1), out)
        .context("cannot decompress the pack")?;
    if copied > max {
        bail!("the pack decompresses to more than {max} bytes");
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn unpacked(blob: &[u8], max: u64) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        unpack(&mut &blob[..], &mut out, max)?;
        Ok(out)
    }

    #[test]
    fn packs_are_unpacked_within_bounds() {
        let pack: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let frame = zstd::bulk::compress(&pack, ZSTD_LEVEL).unwrap();
        assert!(frame.len() < pack.len() / 3);
        assert_eq!(unpacked(&frame, 1 << 20).unwrap(), pack);
        // An uncompressed pack (an earlier publish) is taken as it is.
        assert_eq!(unpacked(&pack, 1 << 20).unwrap(), pack);
        assert_eq!(unpacked(b"ab", 10).unwrap(), b"ab");
        // A small frame that declares a huge output is refused before anything is written.
        let bomb = zstd::bulk::compress(&vec![0u8; 4 << 20], ZSTD_LEVEL).unwrap();
        let err = unpacked(&bomb, 1 << 20).unwrap_err();
        assert!(format!("{err:#}").contains("declares"), "{err:#}");
        // One that declares nothing is cut off at the bound.
        let mut enc = zstd::stream::write::Encoder::new(Vec::new(), ZSTD_LEVEL).unwrap();
        enc.include_contentsize(false).unwrap();
        std::io::Write::write_all(&mut enc, &vec![0u8; 4 << 20]).unwrap();
        let silent = enc.finish().unwrap();
        let err = unpacked(&silent, 1 << 20).unwrap_err();
        assert!(
            format!("{err:#}").contains("decompresses to more than"),
            "{err:#}"
        );
        // A damaged frame is an error, not a panic.
        let mut bad = frame.clone();
        bad.truncate(frame.len() / 2);
        bad.extend_from_slice(&[0xff; 64]);
        assert!(unpacked(&bad, 1 << 20).is_err());
    }
}
