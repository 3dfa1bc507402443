//! Git object ids as git-atse passes them between layers: typed, so that a tree id is never
//! taken for a blob's, and parsed from or printed as hex in one place. They hold the raw
//! hash bytes (20 for SHA-1, 32 for SHA-256) and know nothing of gix.

use std::fmt;

use anyhow::{bail, Result};

macro_rules! object_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Vec<u8>);

        impl $name {
            /// Wraps raw hash bytes; only SHA-1 and SHA-256 lengths are accepted.
            pub fn from_bytes(bytes: &[u8]) -> Result<$name> {
                if bytes.len() != 20 && bytes.len() != 32 {
                    bail!("invalid {} id of {} bytes", $what, bytes.len());
                }
                Ok($name(bytes.to_vec()))
            }

            /// Wraps hash bytes whose length the caller guarantees (an id git handed out).
            pub(crate) fn from_trusted(bytes: &[u8]) -> $name {
                debug_assert!(bytes.len() == 20 || bytes.len() == 32);
                $name(bytes.to_vec())
            }

            /// Parses lower- or upper-case hex of 40 or 64 digits.
            pub fn from_hex(hex: &str) -> Result<$name> {
                match decode_hex(hex) {
                    Some(bytes) => $name::from_bytes(&bytes),
                    None => bail!("{hex}: not a {} id", $what),
                }
            }

            /// The raw hash bytes.
            pub fn as_bytes(&self) -> &[u8] {
                &self.0
            }

            /// Lower-case hex, as git prints it.
            pub fn to_hex(&self) -> String {
                encode_hex(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }
    };
}

object_id!(
    /// A git blob id: the key of a per-blob object.
    BlobId,
    "blob"
);
object_id!(
    /// A git tree id: what an index describes.
    TreeId,
    "tree"
);
object_id!(
    /// A git commit id.
    CommitId,
    "commit"
);

/// A file's number in one index (never reused until the next rebuild); the node id of the
/// dependency graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// Lower-case hex of `bytes`.
pub fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// The bytes of an even-length hex string, `None` if it is not one.
pub fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let hex = hex.as_bytes();
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.chunks_exact(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hex_round_trip_and_rejects() {
        let hex = "0123456789abcdef0123456789abcdef01234567";
        let id = BlobId::from_hex(hex).unwrap();
        assert_eq!(id.to_hex(), hex);
        assert_eq!(id.as_bytes().len(), 20);
        assert_eq!(TreeId::from_hex(&hex.to_uppercase()).unwrap().to_hex(), hex);
        assert!(BlobId::from_hex("abc").is_err());
        assert!(BlobId::from_hex("zz23456789abcdef0123456789abcdef01234567").is_err());
        assert!(CommitId::from_hex(&hex[..38]).is_err());
        assert!(BlobId::from_bytes(&[0; 21]).is_err());
    }
}
